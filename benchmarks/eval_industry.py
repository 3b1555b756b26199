"""Evaluate ``qz.classify`` on a labelled list of project names.

Input: a CSV with a name column (``name`` or ``project_name``) and the acceptable sections
(``sections`` like ``C`` or ``C|F``; or ``section``). A name counts as right when the section
chosen is among the acceptable ones; unclassified names count as wrong.

Prints accuracy, the unclassified share, the low-confidence share, and per section recall
(of names whose first acceptable section is S, the share classified acceptably) and
precision (of names classified S, the share where S is acceptable); with ``--errors`` also
the names it gets wrong, with the rule that decided.

Run by hand: ``python benchmarks/eval_industry.py PATH.csv [PATH2.csv ...] [--errors]``;
``--same dev.csv traditional_dev.csv`` compares the sections given to two spellings.

``--leave-out``: the last resort of ``classify`` (names like labelled ones,
``rules/industry_similar.csv``) learns from the evaluation sets themselves, which flatters
them. With this flag a set it learnt from is scored by a table learnt from the other sets
only — an honest figure for it (the keyword tables were still tuned on it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy
import qzanalysis as qz  # noqa: E402
from qzanalysis import industry  # noqa: E402


def learn_without(stem: str) -> bool:
    """Let ``classify`` guess from a similar-names table learnt without the set ``stem``
    (this process only). False when the shipped table did not learn from it anyway."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import make_industry_similar as learn

    if stem not in learn.TRAIN:
        return False
    compiled = learn.compiled_without(stem)
    industry._similar = lambda: compiled
    return True


def load(path: Path) -> pd.DataFrame:
    t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    name = "name" if "name" in t.columns else "project_name"
    ok = t["sections"] if "sections" in t.columns else t["section"]
    div = t["division"] if "division" in t.columns else pd.Series("", index=t.index)
    return pd.DataFrame({"name": t[name], "ok": ok.str.replace(" ", "").str.upper(),
                         "division": div.str.strip().str.zfill(2).where(div.str.strip() != "", "")})


def evaluate(truth: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = qz.classify(pd.DataFrame({"project_name": truth["name"]}))
    got = out["industry_section"].fillna("")
    allowed = truth["ok"].str.split("|")
    right = pd.Series([g in a for g, a in zip(got, allowed, strict=True)], index=truth.index)
    frame = truth.assign(got=got, right=right, got_div=out["industry_division"].fillna(""), conf=out.get("industry_confidence", pd.Series("", index=out.index)).fillna(""),
                         rule=out["industry_rule"].fillna(""))
    first = allowed.str[0]
    rows = []
    for s in sorted(set(first) | set(got[got != ""])):
        mine = first == s
        said = got == s
        rows.append({
            "section": s,
            "n": int(mine.sum()),
            "recall": right[mine].mean() if mine.any() else float("nan"),
            "classified_as": int(said.sum()),
            "precision": pd.Series([s in a for a in allowed[said]]).mean() if said.any()
            else float("nan"),
        })
    return frame, pd.DataFrame(rows).set_index("section")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--errors", action="store_true", help="list the names classified wrongly")
    ap.add_argument("--same", nargs=2, type=Path, metavar=("A.csv", "B.csv"),
                    help="share of rows (matched by id) given the same section in A and B "
                         "(e.g. dev.csv and traditional_dev.csv)")
    ap.add_argument("--leave-out", action="store_true",
                    help="score a set the similar-names table learnt from with one learnt "
                         "without it")
    args = ap.parse_args()
    if args.same:
        a, b = (pd.read_csv(p, dtype=str, keep_default_na=False) for p in args.same)
        a = a[a["id"].isin(b["id"])].reset_index(drop=True)  # the rows both files hold
        b = b.set_index("id").loc[a["id"]]
        sa = qz.classify(pd.DataFrame({"project_name": a["name"]}))["industry_section"].fillna("")
        sb = qz.classify(pd.DataFrame({"project_name": b["name"]}))["industry_section"].fillna("")
        same = sa.to_numpy() == sb.to_numpy()
        print(f"{args.same[0]} vs {args.same[1]}: same section for {same.mean():.1%} of {len(a)}")
        for x, y, na, nb in zip(sa[~same], sb[~same], a["name"][~same], b["name"][~same],
                                strict=True):
            print(f"  {x or '—'} {y or '—'}  {na} | {nb}")
    shipped = industry._similar
    for path in args.paths:
        industry._similar = shipped
        if args.leave_out and learn_without(path.stem):
            print(f"{path}: similar names learnt without this set")
        frame, per = evaluate(load(path))
        has_div = frame["division"] != ""
        div_right = (frame.loc[has_div, "got_div"] == frame.loc[has_div, "division"]).mean()
        print(f"{path}: {len(frame)} names, acceptable {frame['right'].mean():.1%}, "
              f"unclassified {(frame['got'] == '').mean():.1%}, "
              f"low confidence {(frame['conf'] == 'low').mean():.1%}, "
              f"divisions right {div_right:.1%} of {has_div.sum()} labelled with one")
        with pd.option_context("display.float_format", "{:.2f}".format, "display.width", 120):
            print(per.T.to_string())
        if args.errors:
            wrong = frame[~frame["right"]]
            for r in wrong.itertuples():
                print(f"  {r.ok:5} got {r.got or '—':2} {r.conf:6} {r.name}  [{r.rule}]")


if __name__ == "__main__":
    main()
