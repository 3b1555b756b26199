"""Metrics against hand-computed values and the founding article's figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from article_frame import article_projects

import qzanalysis as qz
from qzanalysis.errors import LedgerError
from qzanalysis.metrics import (
    LABELS,
    SUMMARY_COLUMNS,
    _report_month,
    month_over_month,
    monthly_totals,
    progress,
    start_rate,
    summarize,
)
from qzanalysis.periods import find_month, find_year, months_elapsed, period_from_text, schedule
from qzanalysis.vocab import STAGE_DTYPE, STAGES

NAN = np.nan
ROOT = Path(__file__).resolve().parents[1]
H1 = ROOT / "data" / "raw" / "qinzhou_h1_projects.xlsx"
MONTHLY = ROOT / "data" / "raw" / "monthly"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def small() -> pd.DataFrame:
    """Four projects with gaps; every expected value below is worked out by hand."""
    return pd.DataFrame(
        {
            "project_name": ["甲", "乙", "丙", "丁"],
            "stage": pd.Series(["续建", "续建", "新签约", None], dtype=STAGE_DTYPE),
            "total_investment": [100.0, 200.0, 50.0, NAN],
            "contracted_investment": [80.0, NAN, 40.0, NAN],
            "planned_investment": [50.0, NAN, 20.0, 10.0],
            "completed_investment": [30.0, 20.0, 5.0, NAN],
            "cumulative_investment": [60.0, 100.0, NAN, NAN],
            "funds_in_place": [40.0, 10.0, 30.0, NAN],
        }
    )




# --------------------------------------------------------------------------- summarize


def test_summarize_by_stage_reproduces_the_article():
    s = summarize(article_projects(), by="stage")
    assert s.index.tolist() == ["新签约", "续建", "合计"]  # pipeline order, not ledger order
    assert s.index.name == "stage"
    assert list(s.columns) == list(SUMMARY_COLUMNS)
    assert s["projects"].tolist() == [28, 31, 59]
    assert s["total_investment"].tolist() == [27553, 71030, 98583]
    assert s["completed_investment"].tolist() == [5995, 11505, 17500]
    assert s["funds_in_place"].tolist() == [5995, 10095, 16090]
    assert s.loc["合计", "contracted_investment"] == 86563
    # no 本年计划投资 / 累计 column in this frame: missing, never 0
    assert s["planned_investment"].isna().all()
    assert s["plan_rate"].isna().all() and s["completion_rate"].isna().all()
    assert s.loc["合计", "funds_rate"] == pytest.approx(16090 / 86563)
    assert s.loc["续建", "share_projects"] == pytest.approx(31 / 59)
    assert s.loc["续建", "share_investment"] == pytest.approx(71030 / 98583)


def test_summarize_rates_are_ratios_of_sums_over_complete_pairs(small):
    s = summarize(small, by="stage")
    assert s.index.tolist() == ["新签约", "续建", "未明确阶段", "合计"]
    xj = s.loc["续建"]
    assert xj["projects"] == 2
    assert (xj["total_investment"], xj["planned_investment"], xj["completed_investment"]) == (
        300, 50, 50,
    )
    assert xj["completion_rate"] == pytest.approx(160 / 300)
    assert xj["plan_rate"] == pytest.approx(30 / 50)  # 乙 has no plan: not 50/50
    assert xj["funds_rate"] == pytest.approx(40 / 80)  # 乙 has no contract: not 50/80
    assert np.isnan(s.loc["新签约", "completion_rate"])  # 丙 has no cumulative
    assert s.loc["新签约", "plan_rate"] == pytest.approx(5 / 20)
    assert s.loc["新签约", "funds_rate"] == pytest.approx(30 / 40)
    total = s.loc["合计"]
    assert total["projects"] == 4
    assert total["plan_rate"] == pytest.approx(35 / 70)  # not the mean of 0.6 and 0.25
    assert total["completion_rate"] == pytest.approx(160 / 300)
    assert total["funds_rate"] == pytest.approx(70 / 120)
    assert total["total_investment"] == 350


def test_summarize_all_missing_group_is_nan_not_zero(small):
    row = summarize(small, by="stage").loc["未明确阶段"]
    assert row["projects"] == 1
    assert row["planned_investment"] == 10
    for col in ("total_investment", "completed_investment", "funds_in_place",
                "contracted_investment", "cumulative_investment", "plan_rate"):
        assert np.isnan(row[col]), col


def test_summarize_zero_denominator_gives_nan():
    df = pd.DataFrame({"stage": ["续建"], "planned_investment": [0.0],
                       "completed_investment": [0.0], "total_investment": [10.0]})
    assert np.isnan(summarize(df).loc["续建", "plan_rate"])


def test_shares_sum_to_one(small):
    s = summarize(small, by="stage").drop(index="合计")
    assert s["share_projects"].sum() == pytest.approx(1.0)
    assert s["share_investment"].sum() == pytest.approx(1.0)  # 丁 has no total: NaN share
    assert s["share_investment"].tolist()[:2] == pytest.approx([50 / 350, 300 / 350])


def test_category_orders_and_missing_labels():
    df = pd.DataFrame(
        {
            "stage": ["竣工", "储备", "", "新开工"],  # plain text, one blank
            "funding_channel": ["多渠道", "自筹资金", None, "国家预算资金"],
            "industry_section": ["M", "C", "A", None],
            "sector": ["第三产业", None, "第一产业", "第二产业"],
            "section": ["城建", "工业", "农业", "工业"],
            "total_investment": [10.0, 30.0, 25.0, 5.0],
        }
    )
    assert summarize(df, "stage").index.tolist() == ["储备", "新开工", "竣工", "未明确阶段", "合计"]
    assert summarize(df, "funding_channel").index.tolist() == [
        "国家预算资金", "自筹资金", "多渠道", "未分类", "合计"]
    assert summarize(df, "industry_section").index.tolist() == ["A", "C", "M", "未分类", "合计"]
    assert summarize(df, "sector").index.tolist() == [
        "第一产业", "第二产业", "第三产业", "未分类", "合计"]
    # other columns: by descending total investment (工业 35, 农业 25, 城建 10)
    assert summarize(df, "section").index.tolist() == ["工业", "农业", "城建", "合计"]
    # a categorical column keeps its categories' order
    cat = df.assign(section=pd.Categorical(df["section"], categories=["城建", "农业", "工业"]))
    assert summarize(cat, "section").index.tolist() == ["城建", "农业", "工业", "合计"]


def test_unobserved_stages_can_be_kept_for_a_funnel(small):
    s = summarize(small, by="stage", observed=False)
    assert s.index.tolist() == [*STAGES, "未明确阶段", "合计"]
    assert s.loc["储备", "projects"] == 0
    assert np.isnan(s.loc["储备", "total_investment"])
    assert s.loc["合计", "projects"] == 4


def test_summarize_by_a_list_gives_a_multiindex(small):
    df = small.assign(section=["工业", "农业", "工业", "工业"])
    s = summarize(df, by=["stage", "section"])
    assert s.index.names == ["stage", "section"]
    assert s.index.tolist() == [
        ("新签约", "工业"), ("续建", "农业"), ("续建", "工业"), ("未明确阶段", "工业"), ("合计", ""),
    ]
    assert s.loc[("续建", "农业"), "total_investment"] == 200
    assert s.loc[("合计", ""), "projects"] == 4


def test_summarize_asks_for_classify_when_category_missing(small):
    with pytest.raises(ValueError, match=r"请先调用 qz\.classify\(df\).*call qz\.classify\(df\) first"):
        summarize(small, by="industry_section")
    with pytest.raises(ValueError, match="column 'nonexistent' not found"):
        summarize(small, by="nonexistent")


def test_summarize_empty_frame_has_only_the_total_row():
    s = summarize(pd.DataFrame({"stage": pd.Series([], dtype=STAGE_DTYPE)}))
    assert s.index.tolist() == ["合计"]
    assert s.loc["合计", "projects"] == 0
    assert np.isnan(s.loc["合计", "total_investment"])


def test_public_name_and_labels():
    assert qz.summarize is summarize
    for col in SUMMARY_COLUMNS:
        assert col in LABELS
    assert LABELS["projects"] == "项目数（个）"
    assert LABELS["plan_rate"] == "年度计划完成率（占年计划%）"
    assert LABELS["funds_rate"] == "资金到位率"


def test_inputs_are_not_mutated(small):
    before = small.copy(deep=True)
    summarize(small, by="stage")
    summarize(small, by=["stage", "project_name"], observed=False)
    progress(small, period="1-6月")
    start_rate(small, by="stage")
    pd.testing.assert_frame_equal(small, before)


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("period", "months"),
    [
        ("1-6月", 6), ("上半年", 6), ("下半年", 12), ("2008年全年", 12), ("前半年", 6), ("今年上半年", 6), ("1-8月", 8),
        ("1—8月", 8), ("1～8月", 8), ("1至8月", 8), ("一至三月", 3), ("1-12月", 12),
        ("全年", 12), ("一季度", 3), ("第二季度", 6), ("前三季度", 9), ("2008-08", 8),
        ("2008年8月", 8), ("2008年1-3月", 3), ("6月底", 6), ("１－６月", 6), (8, 8),
        (pd.Period("2008-08", freq="M"), 8), (pd.Period("2008Q3", freq="Q"), 9),
        (pd.Timestamp("2008-06-30"), 6),
    ],
)
def test_months_elapsed(period, months):
    assert months_elapsed(period) == months


@pytest.mark.parametrize("bad", ["项目台账", "", 13, 0, None, "2008年"])
def test_months_elapsed_rejects_what_names_no_month(bad):
    with pytest.raises(ValueError, match="报告期|月份|1–12"):
        months_elapsed(bad)


def test_schedule_values():
    assert schedule("1-6月") == 0.5
    assert schedule("1-8月") == pytest.approx(8 / 12)
    assert schedule("全年") == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("qinzhou_2008-03", (2008, 3)),
        ("qinzhou_2008_11", (2008, 11)),
        ("2008年3月项目台账", (2008, 3)),
        ("秦州区2008年1-3月招商引资项目进展情况表", (2008, 3)),
        ("秦州区2008年上半年招商引资项目进展情况表", (2008, 6)),
        ("1-3月", (None, 3)),
        ("1-3月 完成投资", (None, 3)),
        ("至2007年底累计完成投资", (None, None)),
        ("2008年度计划投资", (2008, None)),
        ("全年计划投资", (None, None)),
        ("2000头荷斯坦奶牛养殖基地建设", (None, None)),
        ("秦州区招商引资项目", (None, None)),
    ],
)
def test_period_from_text(text, expected):
    assert period_from_text(text) == expected
    assert (find_year(text), find_month(text)) == expected


# --------------------------------------------------------------------------- progress


def test_progress_published_example_74_percent_at_end_of_august():
    df = pd.DataFrame({"planned_investment": [1000.0], "completed_investment": [740.0]})
    row = progress(df, period="1-8月").iloc[0]
    assert row["plan_rate"] == pytest.approx(0.74)
    assert row["schedule"] == pytest.approx(8 / 12)
    assert round(row["schedule_gap"], 2) == 7.33
    assert row["lagging"] is not pd.NA and not row["lagging"]


def test_progress_rates_and_lagging():
    df = pd.DataFrame(
        {
            "project_name": ["甲", "乙", "丙", "丁", "戊", "己", "庚"],
            "stage": pd.Series(["续建", "续建", "新开工", "续建", "新签约", "储备", "新签约"],
                               dtype=STAGE_DTYPE),
            "total_investment": [1000.0, 500.0, 300.0, 200.0, 100.0, 800.0, 50.0],
            "cumulative_investment": [600.0, NAN, 0.0, 50.0, NAN, NAN, 10.0],
            "planned_investment": [400.0, 200.0, 100.0, NAN, NAN, NAN, 40.0],
            "completed_investment": [180.0, 60.0, 0.0, NAN, NAN, NAN, 22.0],
            "contracted_investment": [800.0, NAN, 0.0, NAN, NAN, NAN, 40.0],
            "funds_in_place": [400.0, 30.0, 0.0, NAN, NAN, NAN, 20.0],
        }
    )
    out = progress(df, period="上半年", lag_threshold=0.10)
    assert out["completion_rate"].tolist()[:2] == pytest.approx([0.6, NAN], nan_ok=True)
    assert out["plan_rate"].tolist()[:3] == pytest.approx([0.45, 0.3, 0.0])
    assert out["funds_rate"].tolist()[0] == pytest.approx(0.5)
    assert np.isnan(out["funds_rate"].iloc[2])  # contracted 0: no rate
    assert out["schedule"].eq(0.5).all()
    assert out["schedule_gap"].tolist()[:3] == pytest.approx([-5.0, -20.0, -50.0])
    # 甲 5 points behind (within 10); 乙 20 behind; 丙 nothing done; 丁 under construction,
    # nothing reported; 戊 signed, no figures: cannot judge; 己 储备: cannot judge;
    # 庚 signed, 55% of plan: ahead.
    assert out["lagging"].tolist() == [False, True, True, True, pd.NA, pd.NA, False]
    assert str(out["lagging"].dtype) == "boolean"
    # a looser threshold lets 乙 through but not 丙 (nothing completed)
    loose = progress(df, period="1-6月", lag_threshold=0.25)["lagging"].tolist()
    assert loose[:3] == [False, False, True]


def test_progress_uses_each_rows_as_of_when_no_period():
    df = pd.DataFrame(
        {
            "as_of": pd.PeriodIndex(["2008-03", "2008-09"], freq="M"),
            "planned_investment": [100.0, 100.0],
            "completed_investment": [30.0, 60.0],
        }
    )
    out = progress(df)
    assert out["schedule"].tolist() == [0.25, 0.75]
    assert out["schedule_gap"].tolist() == pytest.approx([5.0, -15.0])
    assert out["lagging"].tolist() == [False, True]
    assert progress(df.drop(columns="as_of"))["schedule"].tolist() == [0.5, 0.5]


# --------------------------------------------------------------------------- 开工率


def test_start_rate_counts_started_of_due():
    df = pd.DataFrame(
        {
            "stage": ["新开工", "新开工", "新签约", "新签约", "新签约", "续建", "洽谈", None],
            "section": ["工业", "农业", "工业", "工业", "农业", "工业", "工业", "农业"],
            "completed_investment": [10.0, 0.0, 25.0, 0.0, NAN, 40.0, NAN, 5.0],
        }
    )
    total = start_rate(df)
    assert total.index.tolist() == ["合计"]
    # due: 2 新开工 + 3 新签约 = 5; started: 2 新开工 + 1 signed project that has spent
    assert total.loc["合计", ["due", "started"]].tolist() == [5, 3]
    assert total.loc["合计", "start_rate"] == pytest.approx(3 / 5)
    strict = start_rate(df, count_spending=False)
    assert strict.loc["合计", "start_rate"] == pytest.approx(2 / 5)
    by = start_rate(df, by="section")
    assert by.index.tolist() == ["工业", "农业", "合计"]
    assert by["due"].tolist() == [3, 2, 5]
    assert by["started"].tolist() == [2, 1, 3]
    assert by["start_rate"].tolist() == pytest.approx([2 / 3, 1 / 2, 3 / 5])


def test_start_rate_nothing_due_is_nan():
    out = start_rate(pd.DataFrame({"stage": ["续建", "竣工"]}))
    assert out.loc["合计", "due"] == 0
    assert np.isnan(out.loc["合计", "start_rate"])


# --------------------------------------------------------------------------- several months


def monthly_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "as_of": pd.PeriodIndex(
                ["2008-01", "2008-01", "2008-02", "2008-02", "2008-03", "2008-03", "2008-03",
                 "2009-01"],
                freq="M",
            ),
            "project_name": ["甲", "乙", "甲", "乙", "甲", "乙", "丙", "甲"],
            "planned_investment": [1200.0, 600.0, 1200.0, 600.0, 1200.0, 600.0, 300.0, 2400.0],
            "completed_investment": [100.0, 0.0, 250.0, 40.0, 400.0, NAN, 30.0, 50.0],
            "funds_in_place": [80.0, 0.0, 200.0, 40.0, 300.0, 60.0, 30.0, 20.0],
        }
    )


def test_month_over_month_per_project():
    f = monthly_frame()
    before = f.copy(deep=True)
    out = month_over_month(f)
    pd.testing.assert_frame_equal(f, before)
    # 甲: 100, 250-100, 400-250; 乙: 0, 40, missing; 丙 appears in March: its YTD figure;
    # 甲 in January 2009: a new year starts from 0
    assert out["completed_investment_change"].tolist() == pytest.approx(
        [100, 0, 150, 40, 150, NAN, 30, 50], nan_ok=True
    )
    assert out["funds_in_place_change"].tolist() == pytest.approx(
        [80, 0, 120, 40, 100, 20, 30, 20]
    )


def test_monthly_totals():
    t = monthly_totals(monthly_frame())
    assert [str(p) for p in t.index] == ["2008-01", "2008-02", "2008-03", "2009-01"]
    assert t["projects"].tolist() == [2, 2, 3, 1]
    assert t["projects"].dtype == "int64"
    assert t["completed_investment"].tolist() == [100, 290, 430, 50]
    assert t["completed_investment_change"].tolist() == [100, 190, 140, 50]
    assert t["funds_in_place_change"].tolist() == [80, 160, 150, 20]
    # plan_rate over projects with both figures: March leaves 乙 out (no completed)
    assert t["plan_rate"].tolist() == pytest.approx(
        [100 / 1800, 290 / 1800, 430 / 1500, 50 / 2400]
    )
    assert t["schedule"].tolist() == pytest.approx([1 / 12, 2 / 12, 3 / 12, 1 / 12])


def _write_xlsx(path: Path, rows: list[list], sheet: str = "Sheet1") -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)


def test_report_month_from_title_when_file_name_has_none(tmp_path):
    path = tmp_path / "秦州区台账.xlsx"
    _write_xlsx(path, [["秦州区2008年1-3月招商引资项目进展情况表"], ["单位：万元"],
                       ["项目名称", "总投资", "至2007年底累计完成投资", "1-3月完成投资"]])
    projects = pd.DataFrame({"source_sheet": ["Sheet1"]})
    assert _report_month(path, projects, None) == pd.Period("2008-03", freq="M")


def test_report_month_file_name_first_then_header_then_year_argument(tmp_path):
    path = tmp_path / "1-5月.xlsx"  # month from the name; year from the title
    _write_xlsx(path, [["秦州区2008年招商引资项目"], ["项目名称", "总投资"]])
    assert _report_month(path, pd.DataFrame(), None) == pd.Period("2008-05", freq="M")
    path = tmp_path / "台账.xlsx"  # month from the header; no year anywhere
    _write_xlsx(path, [["秦州区招商引资项目"], ["项目名称", "至2007年底累计", "1-4月完成投资"]])
    with pytest.raises(LedgerError, match=r"文件 台账\.xlsx：无法确定报告期（年份）.*year=2008"):
        _report_month(path, pd.DataFrame(), None)
    assert _report_month(path, pd.DataFrame(), 2009) == pd.Period("2009-04", freq="M")


def test_report_month_from_sheet_name(tmp_path):
    path = tmp_path / "2008年台账.xlsx"
    _write_xlsx(path, [["招商引资项目"], ["项目名称", "总投资"]], sheet="1-2月")
    projects = pd.DataFrame({"source_sheet": ["1-2月"]})
    assert _report_month(path, projects, None) == pd.Period("2008-02", freq="M")


def test_report_month_unknown_names_the_file(tmp_path):
    path = tmp_path / "台账.xlsx"
    _write_xlsx(path, [["招商引资项目"], ["项目名称", "总投资"]])
    with pytest.raises(LedgerError, match=r"文件 台账\.xlsx：无法确定报告期（月份）"):
        _report_month(path, pd.DataFrame(), 2008)


def test_load_many_empty_folder_is_a_ledger_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(LedgerError, match="文件夹中没有台账文件"):
        qz.load_many(tmp_path)


# --------------------------------------------------------------------------- the sample data


def test_sample_half_year_summary_reproduces_the_article():
    projects = qz.load(H1).projects
    s = summarize(projects, by="stage")
    assert s.index.tolist() == ["新签约", "续建", "合计"]
    assert s["projects"].tolist() == [28, 31, 59]
    assert s["total_investment"].tolist() == [27553, 71030, 98583]
    assert s["completed_investment"].tolist() == [5995, 11505, 17500]
    assert s["funds_in_place"].tolist() == [5995, 10095, 16090]
    assert s.loc["合计", "contracted_investment"] == 86563


def test_sample_monthly_ledgers():
    frame = qz.load_many(MONTHLY)
    assert isinstance(frame["as_of"].dtype, pd.PeriodDtype)
    months = [str(p) for p in pd.unique(frame["as_of"])]
    assert months == ["2008-01", "2008-02", "2008-03", "2008-04", "2008-05", "2008-06"]
    # data/README.md: 新签约 projects per month 5, 10, 15, 20, 24, 28 besides 31 续建,
    # and from May the second phase of the 物流园区 (a monthly-ledger project)
    assert frame.groupby("as_of").size().tolist() == [36, 41, 46, 51, 55 + 1, 59 + 1]
    totals = monthly_totals(frame)
    # data/README.md: monthly totals of 完成投资 / 到位资金
    assert totals["completed_investment"].tolist() == [580, 1055, 3430, 7350, 12085, 17500]
    assert totals["funds_in_place"].tolist() == [455, 875, 2980, 6645, 11000, 16090]
    june = frame[(frame["as_of"] == pd.Period("2008-06", freq="M"))
                 & (frame["project_name"] != "秦州物流园区二期工程")]
    if H1.exists():
        half = summarize(qz.load(H1).projects).loc["合计"]
        assert summarize(june).loc["合计"].equals(half)
    changes = month_over_month(frame)
    for col in ("completed_investment_change", "funds_in_place_change"):
        assert (changes[col].dropna() >= 0).all(), col
    # per-project changes add up to each month's total change (no project drops out)
    by_month = changes.groupby("as_of")["completed_investment_change"].sum()
    assert by_month.tolist() == totals["completed_investment_change"].tolist()
    assert totals["completed_investment_change"].tolist() == [
        580, 1055 - 580, 3430 - 1055, 7350 - 3430, 12085 - 7350, 17500 - 12085]


@pytest.fixture
def fake_reader(monkeypatch):
    """Stand-in for qz.load: the projects of a file come from a dict keyed by file name."""
    import sys
    import types

    tables: dict[str, pd.DataFrame] = {}
    module = types.ModuleType("qzanalysis.reading")
    module.load = lambda path, **options: types.SimpleNamespace(projects=tables[Path(path).name])
    monkeypatch.setitem(sys.modules, "qzanalysis.reading", module)
    return tables


def test_load_many_folder_sorted_by_period(tmp_path, fake_reader):
    # file names in sorted order: 2008-02 first, then a name without a period (its title says 1-3月)
    _write_xlsx(tmp_path / "a_2008-02.xlsx", [["标题"]], sheet="1-2月")
    _write_xlsx(tmp_path / "b_台账.xlsx", [["秦州区2008年1-3月招商引资项目进展情况表"]])
    _write_xlsx(tmp_path / "c_2008-01.xlsx", [["标题"]])
    (tmp_path / "~$c_2008-01.xlsx").write_bytes(b"lock file")
    (tmp_path / "readme.txt").write_text("not a ledger")
    for name, values in [("a_2008-02.xlsx", [20.0]), ("b_台账.xlsx", [30.0, 5.0]),
                         ("c_2008-01.xlsx", [10.0])]:
        fake_reader[name] = pd.DataFrame(
            {"project_name": ["甲", "乙"][: len(values)], "completed_investment": values,
             "source_sheet": "Sheet"}
        )
    frame = qz.load_many(tmp_path)
    # DESIGN.md (issue 11): load_many's frame carries project_id right after as_of
    assert list(frame.columns) == ["as_of", "project_id", "project_name", "completed_investment",
                                   "source_sheet"]
    assert frame["project_id"].tolist() == ["P0001", "P0001", "P0001", "P0002"]
    assert [str(p) for p in frame["as_of"]] == ["2008-01", "2008-02", "2008-03", "2008-03"]
    assert frame["completed_investment"].tolist() == [10, 20, 30, 5]
    assert frame.index.tolist() == [0, 1, 2, 3]
    # a list of files works too, in any order
    listed = qz.load_many([tmp_path / "c_2008-01.xlsx", tmp_path / "a_2008-02.xlsx"])
    assert [str(p) for p in listed["as_of"]] == ["2008-01", "2008-02"]


def test_load_many_two_files_for_one_month_is_an_error(tmp_path, fake_reader):
    _write_xlsx(tmp_path / "qz_2008-03.xlsx", [["标题"]])
    _write_xlsx(tmp_path / "秦州区1-3月.xlsx", [["秦州区2008年项目"]])
    for name in ("qz_2008-03.xlsx", "秦州区1-3月.xlsx"):
        fake_reader[name] = pd.DataFrame({"project_name": ["甲"]})
    with pytest.raises(LedgerError, match=r"文件 秦州区1-3月\.xlsx：与 qz_2008-03\.xlsx 的报告期相同"):
        qz.load_many(tmp_path)


def test_month_over_month_unknown_earlier_figure_is_unknown_change():
    from qzanalysis.metrics import month_over_month, monthly_totals

    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2008-01", "2008-02", "2008-03"], freq="M"),
        "project_name": ["甲", "甲", "甲"],
        "completed_investment": [None, 250.0, 400.0],
    })
    change = month_over_month(f)["completed_investment_change"].tolist()
    assert np.isnan(change[0]) and np.isnan(change[1])  # Feb: January's figure is unknown
    assert change[2] == 150.0
    totals = monthly_totals(f)["completed_investment_change"].tolist()
    assert np.isnan(totals[0]) and np.isnan(totals[1]) and totals[2] == 150.0
