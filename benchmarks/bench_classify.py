"""Time ``qz.classify`` on 1,000,000 project names against two yardsticks.

1. DESIGN.md's fixed yardstick: one ``Series.str.extract`` pass with an alternation of
   90 common keywords (goal: classify ≤ 3× this);
2. a bare Aho–Corasick scan of all of the package's own keywords over the same names (the
   floor: the least work that finds every keyword in every name).

Names are the test set's real-sounding names with random places, phases and lot numbers
around them, so that nearly all of them are distinct (a real ledger repeats names far
more; ``classify`` works on distinct texts, which would flatter it).

Run by hand: ``python benchmarks/bench_classify.py [--n 1000000] [--repeat 3] [--processes 3]``
(each process times its own interleaved rounds; all rounds' ratios give the median)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy
import qzanalysis as qz  # noqa: E402
from qzanalysis import industry  # noqa: E402

#: DESIGN.md, "Performance yardsticks": the fixed reference alternation (do not tune)
YARDSTICK = """养殖 种植 奶牛 生猪 苹果 蔬菜 花椒 中药材 林木 育苗 食品 加工 饮料 酿酒 纺织 服装 印刷 包装
制药 化工 水泥 建材 混凝土 钢 铝 机械 设备 电器 电工 变压器 电子 集成电路 芯片 封装 汽车 光伏 风电 发电
供热 燃气 供水 水厂 污水 道路 公路 铁路 桥梁 物流 仓储 冷链 客运 商贸 超市 市场 商场 酒店 宾馆 餐饮 软件
数据 金融 银行 房地产 住宅 小区 棚户区 广场 公园 绿化 环卫 垃圾 河道 防洪 水利 生态 学校 教学楼 幼儿园
医院 卫生 养老 文化 体育 旅游 景区 博物馆 办公楼""".split()

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


def measure(n: int, repeat: int) -> dict:
    """Interleaved (yardstick, scan, classify) rounds in this process: on a shared machine
    the load changes between rounds, so each round's ratio is taken."""
    t0 = time.perf_counter()
    eng = industry.engine()
    load = time.perf_counter() - t0
    names = make_names(n)
    yard = "(" + "|".join(map(re.escape, sorted(YARDSTICK, key=len, reverse=True))) + ")"
    texts = names.tolist()
    frame = pd.DataFrame({"project_name": names})
    # the first classify in a process also reads and compiles the head words, the
    # similar-names table and the standard's names: timed on its own, then the rounds
    t0 = time.perf_counter()
    qz.classify(frame.head(1000))
    first = time.perf_counter() - t0
    rounds = []
    for _ in range(repeat):
        base, _ = timed(lambda: names.str.extract(yard, expand=False), 1)
        bare, _ = timed(lambda: eng.scan(texts), 1)
        cls, out = timed(lambda: qz.classify(frame), 1)
        rounds.append((base, bare, cls))
    return {"load": load, "first": first, "keywords": len(eng.rules), "rounds": rounds,
            "distinct": int(names.nunique()), "example": names.iloc[:3].tolist(),
            "decided": float(out["industry_section"].notna().mean())}


def main() -> None:
    assert len(YARDSTICK) == 87  # DESIGN.md says "90 common words" and lists these 87
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="rounds per process")
    ap.add_argument("--processes", type=int, default=3,
                    help="fresh Python processes, each with its own rounds (default 3)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.n, args.repeat)))
        return
    # Each process gets its own rounds: on the 2-core VM this was written on, an idle machine
    # ran classify ~15 % slower in one process than in the next with the same code and the
    # same PYTHONHASHSEED (a bare scan of the same text did not vary), so one process's median
    # can land anywhere in that band; each process's rounds are printed.
    runs = []
    for _ in range(args.processes):
        cmd = [sys.executable, __file__, "--child", "--n", str(args.n), "--repeat", str(args.repeat)]
        runs.append(json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                              text=True).stdout))
    first = runs[0]
    print(f"{args.n:,} names, {first['distinct']:,} distinct; e.g. {first['example']}")
    print(f"rule tables loaded and compiled on first use: {first['load']:.2f} s "
          f"({first['keywords']:,} keywords); first classify of 1,000 names (reads the other "
          f"tables): {first['first']:.2f} s")
    rounds = [r for run in runs for r in run["rounds"]]
    base, bare, cls = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"{args.processes} fresh processes x {args.repeat} interleaved rounds; medians")
    print(f"str.extract, DESIGN.md yardstick (87 words)     : {base:7.2f} s")
    print(f"bare Aho-Corasick scan, all {first['keywords']:,} keywords : {bare:7.2f} s")
    print(f"qz.classify(DataFrame(project_name=names))        : {cls:7.2f} s")
    for i, run in enumerate(runs, 1):
        ratios = [r[2] / r[0] for r in run["rounds"]]
        print(f"  process {i}: classify / yardstick per round "
              f"{', '.join(f'{x:.2f}' for x in ratios)}  (median {statistics.median(ratios):.2f})")
    ratio = statistics.median(r[2] / r[0] for r in rounds)
    ratio_bare = statistics.median(r[2] / r[1] for r in rounds)
    print(f"ratio classify / yardstick extract  : {ratio:5.2f}x   (goal <= 3x; median of all "
          f"{len(rounds)} rounds)")
    print(f"ratio classify / bare AC scan       : {ratio_bare:5.2f}x")
    print(f"industry decided for {first['decided']:.1%} of the names")


if __name__ == "__main__":
    main()
