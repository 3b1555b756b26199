"""The last resort of the industry classifier: names like labelled real ones (issue 10).

``rules/industry_similar.csv`` is learnt by ``scripts/make_industry_similar.py`` from the
evaluation sets; ``classify`` uses it only for names no keyword and no head word decided.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qzanalysis as qz
from qzanalysis import industry
from qzanalysis.classify import unclassified

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_industry_similar as learn  # noqa: E402
from test_industry_eval import PINS  # noqa: E402

EVAL = ROOT / "tests/data/industry_eval"


def test_the_shipped_table_is_what_the_script_learns():
    shipped = pd.read_csv(ROOT / "qzanalysis/rules/industry_similar.csv", dtype=str,
                          keep_default_na=False)
    learnt = learn.count(learn.labelled_names()).astype(str)
    pd.testing.assert_frame_equal(shipped, learnt.reset_index(drop=True))


def test_it_never_learns_from_a_sealed_set_not_yet_scored():
    # every set it learns from exists, and a sealed set is learnt from only once it has been
    # scored once: tests/test_industry_eval.py pins every such set at its once-figure
    assert set(learn.TRAIN) <= {p.stem for p in EVAL.glob("*.csv")}
    pinned = {part for part, _, _ in PINS}
    for stem in learn.TRAIN:
        if stem.startswith("sealed"):
            assert f"{stem}.csv" in pinned, stem


def test_the_counts_are_counts_of_names():
    # hand-counted: 2 names of C hold 铝, one of D; 铝材 once per name though twice in one
    names = pd.DataFrame({"name": ["杭州高精铝材铝材项目", "铝业扩建工程", "铝厂供水工程"],
                          "section": ["C", "C", "D"]})
    t = learn.count(names, min_names=1)
    got = dict(zip(zip(t["gram"], t["section"], strict=True), t["names"], strict=True))
    assert got[("铝", "C")] == 2 and got[("铝", "D")] == 1
    assert got[("铝材", "C")] == 1
    assert got[(industry.SIMILAR_PRIOR, "C")] == 2 and got[(industry.SIMILAR_PRIOR, "D")] == 1
    assert ("$项目", "C") not in got  # 项目/工程 at the end are stripped before counting
    assert ("$铝业扩建", "C") not in got and ("$铝业", "C") in got  # so is 扩建


def _classify(names):
    return qz.classify(pd.DataFrame({"project_name": names}))


def test_it_only_fills_what_nothing_else_decided(monkeypatch):
    names = pd.read_csv(EVAL / "dev3.csv", dtype=str)["name"]
    with_guess = _classify(names)
    monkeypatch.setattr(industry, "SIMILAR_MARGIN", np.inf)
    without = _classify(names)
    guessed = with_guess["industry_rule"].str.startswith("相似名称", na=False)
    assert guessed.sum() >= 5  # dev3 has names only the guess decides
    assert without.loc[guessed, "industry_section"].isna().all()
    pd.testing.assert_frame_equal(with_guess[~guessed], without[~guessed])


def test_a_guess_is_low_confidence_names_its_evidence_and_claims_no_division():
    out = _classify(["农田提效改造项目", "中核四0四生活保障区"])
    assert out["industry_rule"].str.startswith("相似名称→").all()
    assert (out["industry_confidence"] == "low").all()
    assert out["industry_division"].isna().all() and out["industry_runner_up"].notna().all()
    # the characters quoted as evidence are the name's own
    for name, rule in zip(["农田提效改造项目", "中核四0四生活保障区"], out["industry_rule"],
                          strict=True):
        quoted = rule.split("“")[1:]
        assert quoted and all(q.split("”")[0] in name for q in quoted)
    # farmland improvement is farming (A01); 中核四0四生活保障区 the housing of a nuclear
    # works (K, the label of its source): both real names from
    # tests/data/industry_eval/sealed6.csv (察隅县…雄久新村 was the second until 新村 became a
    # keyword in round 5)
    assert out["industry_section"].tolist() == ["A", "K"]


def test_an_uninformative_name_stays_missing():
    # the last two are test rows of a real county ledger (chengdu_longquanshan_baihu_2013.xls)
    out = _classify(["说明", "某某综合项目", "XX", "项目", "dddddddddddddddd", "TFT项目"])
    assert out["industry_section"].isna().all()


def test_a_local_category_that_does_not_allow_the_guess_wins():
    df = pd.DataFrame({"project_name": ["农田提效改造项目"] * 2, "industry": ["商贸", "农业"]})
    out = qz.classify(df)
    assert pd.isna(out["industry_section"].iloc[0])
    assert out["industry_section"].iloc[1] == "A"


@pytest.mark.parametrize("part, floor, unclassified_cap", [
    # learnt without the set scored: margin 2 nats, 2026-11-30 (87.1 / 3.1 and 89.6 / 2.3
    # before the company table and the round-4 keywords; 88.0 / 2.1, 89.9 / 2.1 after)
    ("sealed6", 0.875, 0.025),
    ("sealed5", 0.895, 0.024),
    # dev4: 92.4 / 1.3 once dev5 joined the table (92.7 / 1.0 before: one name more left open);
    # 1.6 % (6 names) once dev6, dev7 and sealed8 joined: a larger table guesses less often
    ("dev4", 0.92, 0.016),
    # sealed7's once-figure (it was scored before the table learnt from it): 86.9 % / 3.2 %
    ("sealed7", 0.868, 0.033),
    # dev5 (round 5), learnt without: 93.7 % / 0.6 % after tuning (89.5 / 1.7 once before)
    ("dev5", 0.925, 0.012),  # 4 of 363 open once session 6's sets joined (3 before)
    # dev6 (round 5, learnt without it): 84.7 % / 3.6 % after tuning (76.4 / 5.5 once before)
    ("dev6", 0.84, 0.04),
    # dev7 (round 5, learnt without it): 88.8 % / 2.6 % after tuning (84.8 / 4.5 once before)
    ("dev7", 0.88, 0.03),
    # sealed8's once-figure (scored before the table learnt from it): 88.4 % / 1.5 %
    ("sealed8", 0.883, 0.016),
    # dev8 (round 5, learnt without it): 91.6 % / 1.1 % after tuning (87.1 / 1.4 once before)
    # (1.7 % once dev9, dev10 and the session-6 sealed sets joined the table: 6 of 356 open)
    ("dev8", 0.91, 0.02),  # 2.0 % (7 open) once sealed15 joined
    # sealed9's once-figure (scored before the table learnt from it): 91.3 % / 1.8 %
    ("sealed9", 0.912, 0.019),
    # dev9 (session 6, learnt without it): 90.3 % / 1.2 % after tuning (87.9 / 1.2 once before)
    ("dev9", 0.90, 0.013),
    # dev10 (session 6, learnt without it): 89.6 % / 2.3 % after tuning (87.9 / 2.3 once before; 7 of 298 left open)
    ("dev10", 0.895, 0.027),  # 8 of 298 open once dev13-15 joined the table (7 before)
    # the once-figures of the three sealed sets of session 6 (scored before the table learnt
    # from them): 89.6 / 2.6, 91.3 / 1.6, 88.1 / 2.2
    ("sealed10", 0.896, 0.03),  # 2.9 % open (90.9 % right) once sealed13-15 joined
    ("sealed11", 0.912, 0.02),  # 1.9 % open learnt without it (91.9 % acceptable)
    ("sealed12", 0.881, 0.022),
    # dev11 and dev12 (session 6, learnt without them): 90.8 / 2.0 and 89.5 / 2.8 after tuning
    # (89.5 / 1.6 and 87.3 / 3.6 once before)
    ("dev11", 0.90, 0.03),  # 90.2 % / 3.0 % (9 open) once sealed13-14 joined the table
    ("dev12", 0.89, 0.034),  # 3.3 % open (89.2 % right) once sealed13-15 joined
    # the once-figures of sealed13 and sealed14 (session 6, scored before the table learnt
    # from them): 89.8 / 1.6 and 89.5 / 2.1
    ("sealed13", 0.898, 0.017),
    ("sealed14", 0.8945, 0.026),  # 213 of 238, the once-figure itself (0.895 was rounded
    # up); 6 open once dev13-15 joined the table (5 before)
    # sealed15's once-figure (the last set of session 6): 85.6 / 4.1
    ("sealed15", 0.855, 0.045),  # 13 of 291 open once dev16-18 joined the table (12 before)
    # dev13 (219 names, east, 43 % HARD), dev14 (299, centre, south and north, 41 % HARD) and
    # dev15 (284, west and north-east, 30 % HARD), session 7, learnt without them: 88.6 / 4.1,
    # 88.6 / 2.7 and 97.2 / 0.7 after tuning (84.5 / 3.7, 85.6 / 2.7, 95.8 / 0.7 once before)
    ("dev13", 0.88, 0.042),
    ("dev14", 0.88, 0.028),
    ("dev15", 0.965, 0.01),
    # dev16 (303 names, centre and south, 36 % HARD), dev17 (302, west and north-east, 31 %)
    # and dev18 (332, east, 33 %), session 7, learnt without them: 94.4 / 1.3, 94.0 / 0.3 and
    # 89.8 / 2.4 after tuning (88.1 / 2.0, 92.4 / 1.0, 86.1 / 3.3 once before)
    ("dev16", 0.935, 0.017),
    ("dev17", 0.93, 0.01),  # 3 open once dev33-34 joined the table (2 before)
    ("dev18", 0.89, 0.03),
    # dev19 (197 names, north and west, 32 % HARD) and dev20 (276, south and east, 37 %),
    # session 7, learnt without them: 91.9 / 1.5 and 90.9 / 0.7 after tuning (88.8 / 2.0 and
    # 88.4 / 1.4 once before)
    ("dev19", 0.91, 0.02),
    ("dev20", 0.90, 0.011),
    # dev21 (133 names, 32 % HARD) and dev22 (94, 22 % HARD), session 8, learnt without them:
    # 97.0 / 0.0 and 97.9 / 0.0 after tuning (94.0 / 0.8 and 93.6 / 1.1 once before)
    ("dev21", 0.955, 0.01),
    ("dev22", 0.955, 0.01),
    # dev23 and dev24, session 8, learnt without them: 91.9 / 1.5 and 91.3 / 1.0 after
    # tuning (89.6 / 2.2 and 88.0 / 2.3 once before)
    ("dev23", 0.915, 0.016),
    ("dev24", 0.91, 0.011),
    # the once-figures of sealed16-18 (collected blind at the start of session 7, scored once
    # at its end, before the table learnt from them): 91.6 / 1.2, 87.7 / 2.3, 89.3 / 2.3
    ("sealed16", 0.9155, 0.019),  # 293 of 320; 5 open (4 before) once dev25-26 joined the
    # table: 茉莉極萃園 lost its one-gram guess, a coin toss on a brand name; 6 once dev31-32
    # joined (春倫集團…茉莉花(花草)茶項目)
    ("sealed17", 0.877, 0.023),
    ("sealed18", 0.8925, 0.031),  # 8 of 298 open learnt without it (7 at the once-scoring);
    # 9 once dev33-34 joined the table
    # the once-figures of sealed19-21 (collected blind at the start of session 8, scored once
    # at its end, before the table learnt from them): 89.3 / 2.8, 92.3 / 0.0, 85.6 / 2.0
    ("sealed19", 0.8925, 0.029),
    ("sealed20", 0.923, 0.0),
    ("sealed21", 0.856, 0.02),
    # the once-figures of sealed22-24 (scored once at the end of session 9, before the table
    # learnt from them): 93.3 / 1.7, 88.0 / 3.0, 88.5 / 4.8; 11 of sealed24 open learnt
    # without it once the other two joined the table (10 at the once-scoring)
    ("sealed22", 0.933, 0.017),
    ("sealed23", 0.879, 0.031),
    ("sealed24", 0.884, 0.053),
    # dev25 (315 names) and dev26 (232), scored once with session 8's final code: 91.1 / 1.0
    # and 87.5 / 3.0; learnt without them after session 9's first keywords: 92.4 / 1.0, 90.5 / 1.3
    ("dev25", 0.92, 0.01),
    ("dev26", 0.90, 0.013),
    # dev27 (301 names) and dev28 (236), session 9, scored once on arrival: 90.0 / 1.3 and
    # 90.7 / 0.8; learnt without them after the session's tuning: 93.0 / 1.3, 95.3 / 0.4
    ("dev27", 0.925, 0.017),  # 5 open once dev31-32 joined the table (4 before)
    ("dev28", 0.945, 0.009),  # 94.9 / 0.8 once sealed22-24 joined the table (者竜乡…抗旱应急工程
    # lost its guess)
    # dev29 (367 names) and dev30 (312), session 9, scored once on arrival: 87.7 / 2.2 and
    # 89.1 / 2.9; learnt without them after the session's tuning: 92.4 / 1.1, 93.3 / 2.2
    ("dev29", 0.92, 0.012),
    ("dev30", 0.925, 0.026),  # 8 open once dev33-34 joined the table (7 before)
    # dev31 (327 names) and dev32 (400), session 9, scored once on arrival: 90.5 / 2.1 and
    # 87.5 / 3.0; learnt without them after the session's tuning: 93.9 / 1.2, 89.8 / 2.5
    ("dev31", 0.935, 0.016),  # 5 open once dev33-34 joined the table (4 before)
    ("dev32", 0.895, 0.028),  # 11 open once sealed22-24 joined the table (10 before)
    # dev33 (296 names) and dev34 (243), session 9's last sets, scored once on arrival: 93.6 /
    # 1.0 and 85.6 / 4.1; learnt without them after the session's tuning: 97.0 / 1.0, 89.3 / 3.7
    ("dev33", 0.965, 0.011),
    ("dev34", 0.885, 0.042),  # 10 open once sealed22-24 joined the table (9 before)
])
def test_learnt_without_a_set_it_still_lifts_that_set(part, floor, unclassified_cap,
                                                       monkeypatch):
    """The honest figure: the set scored is not among the names the guess learnt from.
    Without the guess at all sealed6 scores 83.0 % / 8.3 % unclassified, sealed5 87.6 / 5.8."""
    compiled = learn.compiled_without(part)
    monkeypatch.setattr(industry, "_similar", lambda: compiled)
    truth = pd.read_csv(EVAL / f"{part}.csv", dtype=str, keep_default_na=False)
    got = _classify(truth["name"])["industry_section"].fillna("").to_numpy()
    ok = np.mean([g in a.split("|") for g, a in zip(got, truth["sections"], strict=True)])
    assert ok >= floor, f"{part}: {ok:.1%}"
    assert (got == "").mean() <= unclassified_cap


def test_a_listed_company_name_decides_and_hides_the_words_inside_it():
    # rules/industry_companies.csv (CSRC industry classification of listed companies):
    # 联影医疗 makes imaging equipment (C35): 医疗 inside the company's name is not a
    # hospital (Q84); 深南电路 makes circuit boards (C39). Names from the evaluation sets.
    out = _classify(["上海聯影醫療產業化示範基地二期項目", "深南电路W2W9", "社区医疗服务中心"])
    assert out["industry_section"].tolist() == ["C", "C", "Q"]
    assert out["industry_division"].tolist()[:2] == ["35", "39"]
    assert out["industry_rule"].iloc[0].startswith("关键词:联影医疗→C35")


def test_the_review_list_suggests_words_not_company_names():
    # 合兴包装 and 宝钢包装 (listed packaging makers) share 包装 with the name: they decide
    # where they stand in a name, but are no word for an analyst to teach
    assert {"合兴包装", "宝钢包装"} <= industry.company_names()
    u = unclassified(pd.DataFrame({"project_name": ["果品分级包装厂建设项目"]}))
    near = u["near_matches"].iloc[0]
    assert "包装" in near and "合兴包装" not in near and "宝钢包装" not in near


def test_gram_lookup_gives_what_the_grams_of_each_name_give():
    """The vectorised look-up of a name's grams (all at once, by number) finds the rows a
    look-up of :func:`industry.similar_grams` one by one finds: on real names, an empty one,
    one character, characters beyond the BMP and characters the table lacks."""
    index, grams, _, _ = industry._similar()
    names = pd.concat([pd.read_csv(EVAL / f"{s}.csv", dtype=str)["name"]
                       for s in ("dev", "dev6", "sealed5")]).tolist()
    names += ["", "路", "铝材", "𠀀𠀁路", "A1B2", "喆䶮"]
    rows, starts = index.lookup(names)
    ends = np.append(starts[1:], len(rows))
    row_of = {g: i for i, g in enumerate(grams.tolist())}
    for i, name in enumerate(names):
        want = sorted(j for g in industry.similar_grams(name) if (j := row_of.get(g)) is not None)
        assert rows[starts[i]:ends[i]].tolist() == want, name
    assert len(rows) > 10 * len(names)

