"""The classifier's accuracy on real project names from public documents (issue 10).

tests/data/industry_eval/ holds real names nobody here wrote, labelled blind and split
before evaluation (see tests/data/README.md). Each sealed set is evaluated once, then it is
spent and may be tuned on like a dev set (2026-11-29):

    dev      592 names: 93.8 % acceptable (tuned on)                 -> 94.4 % today
    sealed   560 names: 78.0 % once, 10.9 % unclassified; then tuned -> 90.0 % today
    sealed2  568 names: 81.2 % once, 12.5 % unclassified (collected after the tuning)

    dev2     837 names (G city lists, H county lists): 75.1 % / 82.2 % before tuning on them
    dev3     800 names (I provincial lists, J county approvals): 85.2 % / 86.1 % before tuning
    sealed3  744 names: 84.7 % once, 7.9 % unclassified (92.9 % on the 506 names not marked
             HARD, 67.2 % on the 238 brand-only or misleading ones); then tuned on
    sealed4  762 names, collected after all that tuning: 87.4 % once, 6.2 % unclassified
             (94.3 % on the 525 names not marked HARD, 72.2 % on the 237 HARD ones); then tuned on
    sealed5  724 names (town and village works, the least-covered provinces), collected after
             that: 79.1 % once, 10.8 % unclassified (88.4 % not HARD, 62.5 % on the 259 HARD);
             then tuned on
    sealed6  581 names, collected after that: 83.0 % once, 8.3 % unclassified (92.4 % on
             the 380 names not HARD, 65.2 % on the 201 HARD ones) -- not yet tuned on

These tests pin the figures so that they cannot fall silently. Each sealed set is spent once
looked at: the next round collects a new one before it trusts a number.
"""

from pathlib import Path

import pandas as pd
import pytest

import qzanalysis as qz

EVAL = Path(__file__).parent / "data" / "industry_eval"


def _score(path: Path, column: str = "name") -> tuple[float, float, pd.Series]:
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    got = qz.classify(pd.DataFrame({"project_name": truth[column]}))["industry_section"]
    got = got.fillna("").astype(str).to_numpy()
    ok = [g in allowed.split("|") for g, allowed in zip(got, truth["sections"], strict=True)]
    return sum(ok) / len(ok), float((got == "").mean()), pd.Series(got, index=truth["id"])


#: every set scored and its pin: a sealed set at its once-figure, a development set at today's
#: figure less a margin (test_industry_similar.py learns from a sealed set only once it is here)
PINS = [
    ("dev.csv", 0.94, 0.035),
    ("sealed.csv", 0.895, 0.035),
    ("sealed2.csv", 0.81, 0.13),
    # 2026-11-30: three development sets (dev2, dev3, 1,637 names) and a lexicon of head words
    # from real documents; sealed3 (744 names, collected before any of it) scored 84.7 %
    # acceptable, 7.9 % unclassified when looked at once
    ("sealed3.csv", 0.845, 0.08),
    # sealed4 (762 names, collected after all of that tuning): 87.4 %, 6.2 % unclassified once
    ("sealed4.csv", 0.87, 0.065),
    # sealed5 (724 names; village and town works from 视察/督导 reports, and the provinces the
    # earlier sets had least of, 40 % HARD in one half): 79.1 %, 10.8 % unclassified once
    ("sealed5.csv", 0.79, 0.11),
    # sealed6 (581 names, collected after the sealed5 tuning): 83.0 %, 8.3 % unclassified once
    ("sealed6.csv", 0.829, 0.085),
    ("dev2.csv", 0.89, 0.06),
    ("dev3.csv", 0.92, 0.05),
    ("dev4.csv", 0.895, 0.018),
    # sealed7 (405 names, 2026-11-30): 86.9 %, 3.2 % unclassified once
    ("sealed7.csv", 0.868, 0.033),
    # dev5 (363 names, round 5): 89.5 %, 1.7 % unclassified once before tuning on it
    ("dev5.csv", 0.925, 0.01),
    # dev6 (563 names, round 5, 63 % without an industry word: shopping centres, estates,
    # temples, brands): 76.4 %, 5.5 % unclassified once before tuning on it
    ("dev6.csv", 0.87, 0.03),
    # dev7 (507 names, round 5, 45 % HARD: old housing compounds, resorts, temples, brands):
    # 84.8 %, 4.5 % unclassified once before tuning on it
    ("dev7.csv", 0.895, 0.02),
    # sealed8 (396 names, 2026-11-30, 环评/批复/稳评 notices of the west and north-east, 37 %
    # HARD): 88.4 %, 1.5 % unclassified once
    ("sealed8.csv", 0.883, 0.016),
    # dev8 (356 names, round 5, 39 % HARD; north and east): 87.1 %, 1.4 % unclassified once
    # before tuning on it
    ("dev8.csv", 0.91, 0.015),
    # sealed9 (332 names, 2026-11-30, county key-project lists and news of the centre and
    # south, 27 % HARD): 91.3 %, 1.8 % unclassified once
    ("sealed9.csv", 0.912, 0.019),
    # dev9 (321 names, session 6, all 31 provinces, 32 % HARD): 87.9 %, 1.2 % unclassified
    # once before tuning on it
    ("dev9.csv", 0.90, 0.013),
    # dev10 (298 names, session 6, 30 provinces, 36 % HARD): 87.9 %, 2.3 % unclassified once
    # before tuning on it
    ("dev10.csv", 0.895, 0.024),
    # three sealed sets collected blind in session 6, each looked at once after all the work
    # above: sealed10 (309 names, centre, south and west, 28 % HARD) 89.6 %, 2.6 % unclassified;
    # sealed11 (309, north and east, 环评/备案 and lists, 40 % HARD) 91.3 %, 1.6 %; sealed12
    # (370, all provinces, 视察/调研 reports and project libraries, 33 % HARD) 88.1 %, 2.2 %
    ("sealed10.csv", 0.896, 0.026),
    ("sealed11.csv", 0.912, 0.017),
    # (sealed12 leaves 3.2 % open once the table learns from it and the later sets, 2.2 %
    # before: a table that learns from more names guesses less often; 89.2 % acceptable)
    ("sealed12.csv", 0.881, 0.033),
    # dev11 (305 names, session 6, north and north-west, 22 % HARD) and dev12 (361 names, east
    # and centre, 29 % HARD): 89.5 % / 1.6 % and 87.3 % / 3.6 % once before tuning on them
    ("dev11.csv", 0.92, 0.02),  # 1.6 % once sealed13-14 joined the table (1.3 % before)
    ("dev12.csv", 0.905, 0.025),
    # sealed13 (304 names, south, south-west and north, 34 % HARD) and sealed14 (238 names, all
    # provinces, industry-specific searches, 32 % HARD), collected blind in session 6 and looked
    # at once after the dev11-12 tuning: 89.8 % / 1.6 % and 89.5 % / 2.1 % unclassified
    ("sealed13.csv", 0.898, 0.017),
    ("sealed14.csv", 0.895, 0.022),
    # sealed15 (291 names, all provinces, short names from 视察/调研/督导 news, 31 % HARD),
    # looked at once at the end of session 6: 85.6 %, 4.1 % unclassified
    ("sealed15.csv", 0.855, 0.042),
    # dev13 (219 names, east, 43 % HARD), dev14 (299, centre, south and north, 41 % HARD) and
    # dev15 (284, west and north-east, 30 % HARD), session 7: 84.5 % / 3.7 %, 85.6 % / 2.7 %
    # and 95.8 % / 0.7 % once before tuning on them
    ("dev13.csv", 0.88, 0.042),
    ("dev14.csv", 0.88, 0.028),
    ("dev15.csv", 0.965, 0.01),
    # dev16 (303 names, centre and south), dev17 (302, west and north-east) and dev18 (332,
    # east), session 7, scored once after the dev13-15 tuning: 88.1 % / 2.0 %, 92.4 % / 1.0 %
    # and 86.1 % / 3.3 %
    ("dev16.csv", 0.935, 0.017),
    ("dev17.csv", 0.93, 0.007),
    ("dev18.csv", 0.89, 0.03),
    # dev19 (197 names, north and west) and dev20 (276, south and east), session 7, scored
    # once after the dev16-18 tuning: 88.8 % / 2.0 % and 88.4 % / 1.4 %
    ("dev19.csv", 0.91, 0.02),
    ("dev20.csv", 0.90, 0.011),
    # dev21 (133 names, mostly 环评 notices, north and east) and dev22 (94, 发改/民政 批复 of
    # county facilities, south and west), session 8, scored once: 94.0 % / 0.8 % and 93.6 % / 1.1 %
    ("dev21.csv", 0.955, 0.01),
    ("dev22.csv", 0.955, 0.01),
    # dev23 (270 names, north and east, 32 % HARD) and dev24 (299, south and west, 43 % HARD),
    # session 8, mostly news and 视察 reports; scored once: 89.6 % / 2.2 % and 88.0 % / 2.3 %
    ("dev23.csv", 0.92, 0.012),  # 3 open once dev27-28 joined the similar-names table
    # (嫩江湾捺钵岛 lost its guess; 2 before)
    ("dev24.csv", 0.92, 0.012),
    # dev25 (315 names, south and west, 34 % HARD) and dev26 (232, north and centre, 28 %),
    # replies to deputies and 视察 reports; scored once at the end of session 8, after all its
    # tuning: 91.1 % / 1.0 % and 87.5 % / 3.0 %
    # (in the similar-names table since session 9)
    ("dev25.csv", 0.92, 0.01),
    ("dev26.csv", 0.905, 0.01),
    # dev27 (301 names, south and east, 33 % HARD: township work summaries, replies to
    # deputies) and dev28 (236, north and west, 36 %: district project lists, news), session 9,
    # scored once when they arrived: 90.0 % / 1.3 % (at 6f49c36) and 90.7 % / 0.8 % (a0eeee6);
    # after tuning, not yet in the similar-names table: 93.0 / 1.3 and 95.3 / 0.4
    ("dev27.csv", 0.925, 0.014),
    ("dev28.csv", 0.95, 0.005),
    # dev29 (367 names, 31 provinces, 42 % HARD: award and designation lists, replies to
    # deputies) and dev30 (312, 48 % 福建, 37 % HARD: local news), session 9, scored once on
    # arrival at 1a316f2: 87.7 % / 2.2 % and 89.1 % / 2.9 %; after tuning, not yet in the
    # similar-names table: 92.4 / 1.1 and 92.9 / 2.6
    ("dev29.csv", 0.92, 0.012),
    ("dev30.csv", 0.925, 0.026),
    # dev31 (327 names, 29 provinces, 30 % HARD) and dev32 (400, 29 provinces, 30 % HARD),
    # session 9, from national and provincial designation lists (工业旅游示范基地, 森林康养基地,
    # 化工园区, 特色步行街, 历史文化街区, 农业科技园区); scored once on arrival at b2758bf: 90.5 % /
    # 2.1 % and 87.5 % / 3.0 %; after tuning, not yet in the similar-names table: 93.3 / 1.8 and
    # 89.8 / 2.8
    ("dev31.csv", 0.93, 0.019),
    ("dev32.csv", 0.895, 0.029),
    # dev33 (296 names, north, 31 % HARD) and dev34 (243, east and south with 21 from Taiwan,
    # Hong Kong and Macau, 47 % HARD: many bare village names from designation lists), session
    # 9, the last sets; scored once on arrival at 663ff91: 93.6 % / 1.0 % and 85.6 % / 4.1 %;
    # after tuning, not yet in the similar-names table: 97.0 / 0.7 and 89.3 / 3.3
    ("dev33.csv", 0.965, 0.008),
    ("dev34.csv", 0.89, 0.034),
    # sealed16 (320 names, centre, south and north, 22 % HARD), sealed17 (351, west and
    # north-east, 33 %) and sealed18 (298, east, 38 %), collected blind at the start of session
    # 7 and looked at once at its end, after all of the session's work: 91.6 % / 1.2 %,
    # 87.7 % / 2.3 % and 89.3 % / 2.3 % (together 89.5 % of 969, 1.96 % unclassified)
    ("sealed16.csv", 0.9155, 0.013),  # 293 of 320
    ("sealed17.csv", 0.877, 0.023),
    ("sealed18.csv", 0.8925, 0.023),  # 266 of 298
    # sealed19 (177 names, north, mostly 环评 and 批复 notices, 29 % HARD), sealed20 (183,
    # south, mostly 环评 notices, 36 %) and sealed21 (202, north and east, village fund notices
    # and 视察 news, 41 %), collected blind at the start of session 8 and scored once at its
    # end: 89.3 / 2.8, 92.3 / 0.0 and 85.6 / 2.0 — together 500 of 562 = 89.0 %
    ("sealed19.csv", 0.8925, 0.029),  # 158 of 177
    ("sealed20.csv", 0.923, 0.0),  # 169 of 183
    ("sealed21.csv", 0.856, 0.02),  # 173 of 202
    # sealed22 (299 names, south and west, 37 % HARD; collected blind at the end of session 8
    # and kept outside the repository), sealed23 (299, north and east, 40 %) and sealed24 (208,
    # centre and north-west, 34 %), collected blind at the start of session 9; all three scored
    # once at its end, at 29583a6: 93.3 / 1.7, 88.0 / 3.0, 88.5 / 4.8 — together 726 of 806 =
    # 90.1 %, 2.98 % unclassified
    ("sealed22.csv", 0.933, 0.017),  # 279 of 299
    ("sealed23.csv", 0.879, 0.031),  # 263 of 299
    ("sealed24.csv", 0.884, 0.049),  # 184 of 208
]


@pytest.mark.parametrize("part, floor, unclassified_cap", PINS)
def test_accuracy_on_real_names_does_not_fall(part, floor, unclassified_cap):
    accuracy, unclassified, _ = _score(EVAL / part)
    assert accuracy >= floor, f"{part}: {accuracy:.1%} acceptable (pinned at {floor:.1%})"
    assert unclassified <= unclassified_cap, f"{part}: {unclassified:.1%} unclassified"


def test_traditional_spellings_with_pinyin_give_the_same_sections():
    _, _, simplified = _score(EVAL / "dev.csv")
    _, _, traditional = _score(EVAL / "traditional_dev.csv")
    same = (simplified.reindex(traditional.index) == traditional).mean()
    assert same >= 0.95, f"{same:.1%} of traditional spellings get the simplified section"
