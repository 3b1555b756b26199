"""Generate ``qzanalysis/rules/industry_similar.csv`` from the labelled real project names.

The classifier's last resort for a name in which no keyword and no head word stands
(深南三期, 湘桂生态肥, 察隅县竹瓦根镇雄久新村) is a naive-Bayes vote of the characters and
character pairs it shares with labelled names (``qzanalysis.industry.guess_similar``).
This script counts them.

Input: the evaluation sets named in ``TRAIN`` (``tests/data/industry_eval/*.csv``: real names
copied from public documents, each with its source and the sections a statistician accepts;
see ``tests/data/README.md``). A set that is sealed — kept to be scored once — must never be
listed here. Each name counts once, under the first of its accepted sections.

Output (overwritten, deterministic): ``gram, section, names`` — in how many labelled names of
the section the gram occurs, for grams found in at least ``MIN_NAMES`` names; plus one row per
section whose gram is ``（名称数）`` with the number of labelled names of that section.

Run: ``python scripts/make_industry_similar.py``
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from qzanalysis import industry  # noqa: E402

EVAL = ROOT / "tests/data/industry_eval"
#: the sets learnt from; never a sealed set that has not been scored yet
TRAIN = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10",
         "dev11", "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev20",
         "dev21", "dev22", "dev23", "dev24", "dev25", "dev26", "dev27", "dev28",
         "dev29", "dev30", "dev31", "dev32", "dev33", "dev34",
         "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7", "sealed8",
         "sealed9", "sealed10", "sealed11", "sealed12", "sealed13", "sealed14", "sealed15",
         "sealed16", "sealed17", "sealed18", "sealed19", "sealed20", "sealed21", "sealed22",
         "sealed23", "sealed24")
MIN_NAMES = 2  # a gram seen in one labelled name only says nothing general
OUT = ROOT / "qzanalysis/rules/industry_similar.csv"


def labelled_names(sets=TRAIN) -> pd.DataFrame:
    """``name, section`` of every labelled name of ``sets`` (first accepted section)."""
    frames = [pd.read_csv(EVAL / f"{s}.csv", dtype=str, keep_default_na=False)
              for s in sets]
    t = pd.concat(frames, ignore_index=True)[["name", "sections"]]
    t = t[(t["name"] != "") & (t["sections"] != "")]
    return pd.DataFrame({"name": t["name"], "section": t["sections"].str.split("|").str[0]})


def count(names: pd.DataFrame, min_names: int = MIN_NAMES) -> pd.DataFrame:
    norm = industry.normalize_distinct(names["name"].to_numpy(dtype=object))
    _, cores = industry.name_heads([v if isinstance(v, str) else None for v in norm])
    per: Counter = Counter()
    prior: Counter = Counter()
    for core, sec in zip(cores, names["section"], strict=True):
        if not core:
            continue
        prior[sec] += 1
        per.update((g, sec) for g in industry.similar_grams(core))
    total: Counter = Counter()
    for (g, _), c in per.items():
        total[g] += c
    rows = [(industry.SIMILAR_PRIOR, s, c) for s, c in sorted(prior.items())]
    rows += sorted((g, s, c) for (g, s), c in per.items() if total[g] >= min_names)
    return pd.DataFrame(rows, columns=["gram", "section", "names"])


def compiled_without(stem: str):
    """What ``industry._similar`` returns, learnt from every set of ``TRAIN`` but ``stem``:
    a set scored by it is not among the names the guess learnt from."""
    table = count(labelled_names([s for s in TRAIN if s != stem]))
    return industry._similar_from(table.astype(str))


def main() -> None:
    table = count(labelled_names())
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(table.columns)
        w.writerows(table.itertuples(index=False))
    n = int(np.sum(table["gram"] == industry.SIMILAR_PRIOR))
    print(f"{OUT.relative_to(ROOT)}: {len(table) - n} rows, {table['gram'].nunique() - 1} grams, "
          f"{n} sections")


if __name__ == "__main__":
    main()
