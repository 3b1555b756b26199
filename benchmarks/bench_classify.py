"""Time ``qz.classify`` on 1,000,000 project names against one regex extract pass.

The yardstick (DESIGN.md): classifying costs at most 3× one ``Series.str.extract`` with
one alternation of all keywords over the same names — the least work that says which
keyword matched. Names are the test set's real-sounding names with random places,
phases and lot numbers around them, so that nearly all of them are distinct (a real
ledger repeats names far more; ``classify`` works on distinct texts, which would flatter it).

Run by hand: ``.venv/bin/python benchmarks/bench_classify.py [--n 1000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

import qzanalysis as qz
from qzanalysis.industry import _trie_regex, industry_rules

HERE = Path(__file__).resolve().parent
PLACES = [
    "", "", "秦州区", "麦积区", "甘谷县", "武山县", "清水县", "秦安县", "张家川县", "天水市",
    "定西市安定区", "陇西县", "临洮县", "陇南市武都区", "成县", "徽县", "平凉市崆峒区", "静宁县",
    "皂郊镇", "中梁镇", "玉泉镇", "社棠镇", "洛门镇", "兴国镇", "磐安镇", "华歧镇", "关子镇",
]
PREFIX = ["", "", "", "2024年", "新建", "续建", "省列重点", "市列"]
SUFFIX = ["", "", "项目", "工程", "建设项目", "（一期）", "（二期）", "二期工程", "扩建", "改造提升"]


def make_names(n: int, seed: int = 0) -> pd.Series:
    core = pd.read_csv(HERE.parent / "tests/data/classify_names.csv", dtype=str)["project_name"]
    rng = np.random.default_rng(seed)
    lot = np.where(rng.random(n) < 0.6, "", "第" + pd.Series(rng.integers(1, 60, n)).astype(str) + "标段")
    parts = [
        rng.choice(PLACES, n), rng.choice(PREFIX, n), rng.choice(core.to_numpy(), n),
        rng.choice(SUFFIX, n), lot,
    ]
    names = parts[0].astype(object)
    for p in parts[1:]:
        names = names + np.asarray(p, dtype=object)
    return pd.Series(names, dtype="str")


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    names = make_names(args.n)
    print(f"{len(names):,} names, {names.nunique():,} distinct; e.g. {names.iloc[:3].tolist()}")
    keywords = sorted(set(industry_rules()["keyword"]), key=len, reverse=True)
    naive = "(" + "|".join(map(re.escape, keywords)) + ")"
    trie = "(" + _trie_regex(keywords) + ")"
    base, _ = timed(lambda: names.str.extract(naive, expand=False), args.repeat)
    base_trie, _ = timed(lambda: names.str.extract(trie, expand=False), args.repeat)
    frame = pd.DataFrame({"project_name": names})
    cls, out = timed(lambda: qz.classify(frame), args.repeat)
    share = out["industry_section"].notna().mean()
    print(f"{len(keywords)} keywords; median of {args.repeat} runs")
    print(f"str.extract, plain alternation of all keywords : {base:7.2f} s")
    print(f"str.extract, same alternation factored as trie : {base_trie:7.2f} s")
    print(f"qz.classify(DataFrame(project_name=names))     : {cls:7.2f} s")
    print(f"ratio classify / plain extract : {cls / base:5.2f}x   (goal <= 3x)")
    print(f"ratio classify / trie extract  : {cls / base_trie:5.2f}x")
    print(f"industry decided for {share:.1%} of the names")


if __name__ == "__main__":
    main()
