"""Each chart draws what its data says, in Chinese, without warnings, in every format.

Expected values are computed by hand in the tests from small frames written out here,
never read back from the code under test.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from qzanalysis import _fonts, charts, explore  # noqa: E402
from qzanalysis._style import (  # noqa: E402
    ACCENT_COLOR,
    BASE_COLOR,
    LIGHT_COLOR,
    MISSING_COLOR,
    SECTOR_COLORS,
    STAGE_COLORS,
    house_style,
    money_axis,
)
from qzanalysis.vocab import FUNDING_CHANNELS, STAGES  # noqa: E402

NAN = np.nan


# --------------------------------------------------------------------------- data


@pytest.fixture
def projects() -> pd.DataFrame:
    """Six projects in three stages (one without a stage), with every money column.

    By stage (hand sums):
        储备   1 project : total 20,   contracted 10,  funds 5
        新签约 2 projects: total 80,   contracted 60,  funds 30
        续建   2 projects: total 400,  contracted 300, funds 240
        (none) 1 project : total 7
    """
    return pd.DataFrame(
        {
            "project_name": ["甲项目", "乙项目", "丙项目", "丁项目", "戊项目", "己项目"],
            "stage": pd.Categorical(
                ["续建", "新签约", "续建", "储备", "新签约", None], categories=STAGES, ordered=True
            ),
            "total_investment": [100.0, 50.0, 300.0, 20.0, 30.0, 7.0],
            "contracted_investment": [100.0, 40.0, 200.0, 10.0, 20.0, NAN],
            "planned_investment": [100.0, 100.0, 200.0, NAN, 100.0, NAN],
            "completed_investment": [60.0, 30.0, 90.0, NAN, 0.0, NAN],
            "cumulative_investment": [80.0, 30.0, 150.0, NAN, 0.0, NAN],
            "funds_in_place": [90.0, 20.0, 150.0, 5.0, 10.0, NAN],
            "funding_channel": ["自筹资金", "国家预算资金", "自筹资金", "国内贷款", None, "其他资金"],
            "industry_section": ["C", "A", "G", "G", "C", None],
        }
    )


@pytest.fixture
def monthly() -> pd.DataFrame:
    """Two projects over three monthly ledgers of 2008, completed investment year to date.

    Totals: 1月 10+20 = 30, 2月 25+40 = 65, 3月 50+70 = 120; annual plan 120+120 = 240.
    """
    months = pd.PeriodIndex(["2008-01"] * 2 + ["2008-02"] * 2 + ["2008-03"] * 2, freq="M")
    return pd.DataFrame(
        {
            "as_of": pd.Series(months),
            "project_name": ["甲项目", "乙项目"] * 3,
            "stage": ["续建"] * 6,
            "planned_investment": [120.0] * 6,
            "completed_investment": [10.0, 20.0, 25.0, 40.0, 50.0, 70.0],
        }
    )


def tick_texts(labels) -> list[str]:
    return [t.get_text() for t in labels]


def same_color(a, b) -> bool:
    return np.allclose(mpl.colors.to_rgba(a), mpl.colors.to_rgba(b))


def annotations(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- font


def test_packaged_font_chosen_when_no_system_cjk_font():
    names = {entry.name for entry in font_manager.fontManager.ttflist if entry.fname and
             "pylopdf_fonts_zh_cn" not in entry.fname}
    if names & set(_fonts.SYSTEM_FONTS):
        pytest.skip("this machine has a system CJK font")
    font = _fonts.cjk_font()
    assert font.source == "package"
    assert font.family == "Noto Sans SC"
    assert font.path.name == "NotoSansSC-Regular.otf"
    assert "pylopdf_fonts_zh_cn" in str(font.path)
    assert font.pdf_fonttype == 3  # CFF outlines: matplotlib cannot write them as Type 42


@pytest.fixture
def fresh_font_choice():
    _fonts.cjk_font.cache_clear()
    yield
    _fonts.cjk_font.cache_clear()


def test_system_font_preferred_over_package(monkeypatch, fresh_font_choice, tmp_path):
    system_file = tmp_path / "wqy-microhei.otf"  # stands in for an installed system font
    system_file.symlink_to(_fonts._packaged_path())
    fake = font_manager.FontEntry(fname=str(system_file), name="WenQuanYi Micro Hei",
                                  style="normal", weight=400)
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [*font_manager.fontManager.ttflist, fake])
    font = _fonts.cjk_font()
    assert (font.source, font.family, font.path) == ("system", "WenQuanYi Micro Hei", system_file)
    # the packaged font stays behind it as a glyph fallback
    assert font.fallback == "Noto Sans SC"
    assert _fonts.font_families() == ["WenQuanYi Micro Hei", "Noto Sans SC", "DejaVu Sans"]


def test_no_cjk_font_at_all_is_an_error_naming_the_package(monkeypatch, fresh_font_choice):
    monkeypatch.setattr(_fonts, "_packaged_path", lambda: None)
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [e for e in font_manager.fontManager.ttflist if "CJK" not in e.name
         and e.name not in _fonts.SYSTEM_FONTS],
    )
    with pytest.raises(RuntimeError, match="pip install pylopdf-fonts-zh-cn"):
        _fonts.cjk_font()


def test_truetype_detection_decides_pdf_embedding():
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert _fonts._is_plain_truetype(dejavu)  # glyf outlines: Type 42
    assert not _fonts._is_plain_truetype(_fonts._packaged_path())  # OTTO (CFF): Type 3


FIXED_LABELS = (
    "".join(STAGES) + "".join(FUNDING_CHANNELS) + "未明确阶段未分类其他"
    + "农林牧渔业采矿业制造业电力热力燃气及水建筑业批发和零售业交通运输仓储邮政住宿和餐饮业"
    + "信息技术服务金融业房地产业租赁和商务服务业科研和技术服务水利环境公共设施居民服务修理"
    + "教育卫生和社会工作文化体育娱乐公共管理社会组织国际组织第一产业第二产业第三产业"
    + "数据来源：项目台账各月总投资（万元亿元）合同引资本年计划完成累计到位资金金额个"
    + "年度计划完成率占年计划%时序进度按序时推进滞后低于以上或未投资年计划序时计划×÷"
    + "另有的项目，未列入；缺少金额不详到位率月—…−0123456789.,"
)


def test_chosen_font_has_every_glyph_we_draw():
    font = _fonts.cjk_font()
    face = FT2Font(str(font.path), face_index=font.index)
    missing = sorted({ch for ch in FIXED_LABELS if face.get_char_index(ord(ch)) == 0})
    assert missing == []
    assert _fonts.missing_glyphs(FIXED_LABELS) == []


# --------------------------------------------------------------------------- by stage


def test_plot_by_stage_bar_heights_are_stage_sums(projects):
    ax = charts.plot_by_stage(projects)
    # 储备 20; 新签约 50 + 30; 续建 100 + 300; no stage: 7 (grey, last)
    assert tick_texts(ax.get_xticklabels()) == ["储备", "新签约", "续建", "未明确阶段"]
    bars = ax.containers[0]
    assert [b.get_height() for b in bars] == [20.0, 80.0, 400.0, 7.0]
    colors = [STAGE_COLORS["储备"], STAGE_COLORS["新签约"], STAGE_COLORS["续建"], MISSING_COLOR]
    assert all(same_color(b.get_facecolor(), c) for b, c in zip(bars, colors, strict=True))
    assert ax.get_ylabel() == "总投资（万元）"
    # amount over project count
    assert annotations(ax)[:4] == ["20\n1个", "80\n2个", "400\n2个", "7\n1个"]
    assert "数据来源：项目台账" in annotations(ax)


def test_plot_by_stage_other_value_and_yi_yuan_axis(projects):
    big = projects.assign(contracted_investment=projects["contracted_investment"] * 100)
    ax = charts.plot_by_stage(big, value="contracted_investment")
    # 续建 (100 + 200) × 100 = 30,000 万元 = 3.00 亿元: the axis switches to 亿元
    assert [b.get_height() for b in ax.containers[0]][:3] == [1000.0, 6000.0, 30000.0]
    assert ax.get_ylabel() == "合同引资（亿元）"
    assert "3.00\n2个" in annotations(ax)
    fmt = ax.yaxis.get_major_formatter()
    fmt.set_locs([0.0, 10000.0, 20000.0, 30000.0])
    assert [fmt(v) for v in (0.0, 10000.0, 20000.0, 30000.0)] == ["0", "1", "2", "3"]


def test_plot_by_stage_counts(projects):
    ax = charts.plot_by_stage(projects, value="projects")
    assert [b.get_height() for b in ax.containers[0]] == [1, 2, 2, 1]
    assert ax.get_ylabel() == "项目数（个）"


def test_unknown_value_names_the_choices(projects):
    with pytest.raises(ValueError, match="value must be one of projects, total_investment, "
                       "contracted_investment, planned_investment, completed_investment, "
                       "cumulative_investment, funds_in_place; got 'investment'"):
        charts.plot_by_stage(projects, value="investment")


# --------------------------------------------------------------------------- funnel


def test_plot_stage_funnel_has_every_stage_centred(projects):
    ax = charts.plot_stage_funnel(projects)
    assert tick_texts(ax.get_yticklabels()) == list(STAGES)
    bars = ax.containers[0]
    # 储备 20, 前期 0, 洽谈 0, 新签约 80, 新开工 0, 续建 400, 竣工 0
    assert [b.get_width() for b in bars] == [20.0, 0.0, 0.0, 80.0, 0.0, 400.0, 0.0]
    assert [b.get_x() + b.get_width() / 2 for b in bars] == [0.0] * 7  # centred on 0
    lo, hi = ax.get_ylim()
    assert lo > hi  # 储备 at the top
    texts = annotations(ax)
    assert texts[:7] == ["1个，20万元", "0个", "0个", "2个，80万元", "0个", "2个，400万元", "0个"]
    assert "数据来源：项目台账；另有未明确阶段的项目1个，未列入" in texts


# --------------------------------------------------------------------------- channels


def test_plot_by_channel_in_channel_order(projects):
    ax = charts.plot_by_channel(projects)
    # 国家预算资金 50; 国内贷款 20; 自筹资金 100 + 300; 其他资金 7; 未分类 30
    assert tick_texts(ax.get_yticklabels()) == ["国家预算资金", "国内贷款", "自筹资金", "其他资金",
                                                "未分类"]
    bars = ax.containers[0]
    assert [b.get_width() for b in bars] == [50.0, 20.0, 400.0, 7.0, 30.0]
    assert same_color(bars[0].get_facecolor(), BASE_COLOR)
    assert same_color(bars[4].get_facecolor(), MISSING_COLOR)
    assert ax.get_xlabel() == "总投资（万元）"
    assert annotations(ax)[:5] == ["50（1个）", "20（1个）", "400（2个）", "7（1个）", "30（1个）"]


# --------------------------------------------------------------------------- industry


def test_plot_by_industry_sorted_with_short_names(projects):
    ax = charts.plot_by_industry(projects)
    # C 制造业 100 + 30 = 130; A 农林牧渔业 50; G 交通运输仓储邮政 300 + 20 = 320; none 7
    assert tick_texts(ax.get_yticklabels()) == ["交通运输仓储邮政", "制造业", "农林牧渔业",
                                                "未分类"]
    bars = ax.containers[0]
    assert [b.get_width() for b in bars] == [320.0, 130.0, 50.0, 7.0]
    expected = [SECTOR_COLORS["第三产业"], SECTOR_COLORS["第二产业"], SECTOR_COLORS["第一产业"],
                MISSING_COLOR]
    assert all(same_color(b.get_facecolor(), c) for b, c in zip(bars, expected, strict=True))
    assert tick_texts(ax.get_legend().get_texts()) == ["第一产业", "第二产业", "第三产业"]


def test_plot_by_industry_top_sums_the_rest_into_other(projects):
    ax = charts.plot_by_industry(projects, top=1)
    assert tick_texts(ax.get_yticklabels()) == ["交通运输仓储邮政", "其他", "未分类"]
    assert [b.get_width() for b in ax.containers[0]] == [320.0, 180.0, 7.0]
    assert annotations(ax)[1] == "180（3个）"


def test_plot_by_industry_rejects_bad_top(projects):
    with pytest.raises(ValueError, match="top must be a positive integer, got 0"):
        charts.plot_by_industry(projects, top=0)


# --------------------------------------------------------------------------- progress


def rate_bars(ax):
    return [b for b in ax.patches if b.get_gid() == "rate"] or list(ax.containers[1])


def test_plot_progress_bullets_and_lagging_projects(projects):
    ax = charts.plot_progress(projects, period="1-6月")
    # 占年计划%: 甲 60/100 = 0.6, 乙 30/100 = 0.3, 丙 90/200 = 0.45, 戊 0/100 = 0 (新签约),
    # 丁 and 己 have no plan -> left out. Schedule 0.5, threshold 0.10: 乙 and 戊 lag
    # (0.5 − 0.3 = 0.2, 0.5 − 0 = 0.5); 丙 is 5 points behind: not lagging.
    assert tick_texts(ax.get_yticklabels()) == ["甲项目", "丙项目", "乙项目", "戊项目"]
    bars = ax.containers[1]
    assert [b.get_width() for b in bars] == pytest.approx([0.6, 0.45, 0.3, 0.0])
    red = [same_color(b.get_facecolor(), ACCENT_COLOR) for b in bars]
    assert red == [False, False, True, True]
    names_in_red = [t.get_text() for t in ax.get_yticklabels()
                    if same_color(t.get_color(), ACCENT_COLOR)]
    assert names_in_red == ["乙项目", "戊项目"]
    plan = ax.containers[0]
    assert [b.get_width() for b in plan] == [1.0] * 4 and same_color(plan[0].get_facecolor(),
                                                                   LIGHT_COLOR)
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "schedule"]
    assert list(line.get_xdata()) == [0.5, 0.5]
    texts = annotations(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["按序时推进", "滞后", "年计划（100%）", "时序进度 50%"]
    assert ("数据来源：项目台账\n滞后：占年计划%低于时序进度10个百分点以上，或在建项目未完成投资\n"
            "另有2个项目缺少本年计划投资，未列入") in texts
    assert tick_texts(ax.get_legend().get_texts()) == legend


def test_plot_progress_period_and_threshold(projects):
    ax = charts.plot_progress(projects, period="1-8月", lag_threshold=0.25)
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "schedule"]
    assert line.get_xdata()[0] == pytest.approx(8 / 12)
    # 8/12 − 0.25 = 0.4167: 乙 (0.3) and 戊 (0.0) lag, 丙 (0.45) does not
    red = [same_color(b.get_facecolor(), ACCENT_COLOR) for b in ax.containers[1]]
    assert red == [False, False, True, True]


def test_plot_progress_top_keeps_largest_plans(projects):
    ax = charts.plot_progress(projects, top=1)
    assert tick_texts(ax.get_yticklabels()) == ["丙项目"]  # plan 200, the largest


# --------------------------------------------------------------------------- monthly


def test_plot_monthly_s_curve_against_plan(monthly):
    ax = charts.plot_monthly(monthly)
    (actual,) = [ln for ln in ax.lines if ln.get_gid() == "actual"]
    (plan,) = [ln for ln in ax.lines if ln.get_gid() == "plan"]
    assert list(actual.get_xdata()) == [1, 2, 3]
    assert list(actual.get_ydata()) == [30.0, 65.0, 120.0]
    plan_at = dict(zip(plan.get_xdata(), plan.get_ydata(), strict=True))
    assert plan_at[0] == 0.0 and plan_at[6] == 120.0 and plan_at[12] == 240.0
    assert tick_texts(ax.get_xticklabels())[:3] == ["1月", "2月", "3月"]
    # 120 / 240 = 50.0% of the annual plan at the end of March
    assert "1-3月 120万元，占年计划50.0%" in annotations(ax)


def test_plot_monthly_rejects_several_years(monthly):
    other = monthly.assign(as_of=pd.Series(pd.PeriodIndex(["2009-01"] * 6, freq="M")))
    with pytest.raises(ValueError, match=r"span several years \(\[2008, 2009\]\)"):
        charts.plot_monthly(pd.concat([monthly, other], ignore_index=True))


def test_plot_monthly_needs_as_of(projects):
    with pytest.raises(ValueError, match="qz.load_many"):
        charts.plot_monthly(projects)


# --------------------------------------------------------------------------- project history


def drifting() -> pd.DataFrame:
    """One project retyped in February (项目 → 工程), another beside it; hand-made figures.

    皂郊水厂: annual plan 600, 1-n月完成投资 100, 250, 400 (1-3月 = 66.7% of plan).
    """
    months = pd.PeriodIndex(["2008-01"] * 2 + ["2008-02"] * 2 + ["2008-03"] * 2, freq="M")
    return pd.DataFrame({
        "as_of": pd.Series(months),
        "project_name": ["皂郊水厂改扩建项目", "挂面加工项目", "皂郊水厂改扩建工程", "挂面加工项目",
                         "皂郊水厂改扩建项目", "挂面加工项目"],
        "owner": ["秦州区水务局", "天水金穗食品有限公司"] * 3,
        "location": ["皂郊镇", "藉口镇"] * 3,
        "total_investment": [2500.0, 700.0] * 3,
        "planned_investment": [600.0, 300.0] * 3,
        "completed_investment": [100.0, 5.0, 250.0, 10.0, 400.0, 20.0],
    })


def test_plot_project_history_follows_a_retyped_name_against_its_plan(tmp_path):
    frame = drifting()
    ax = charts.plot_project_history(frame, "皂郊水厂改扩建工程")  # its February name
    (actual,) = [ln for ln in ax.lines if ln.get_gid() == "actual"]
    assert list(actual.get_xdata()) == [1, 2, 3]
    assert list(actual.get_ydata()) == [100.0, 250.0, 400.0]
    (plan,) = [ln for ln in ax.lines if ln.get_gid() == "plan"]
    assert set(plan.get_ydata()) == {600.0}
    (schedule,) = [ln for ln in ax.lines if ln.get_gid() == "schedule"]
    assert list(schedule.get_xdata()) == [0, 12] and list(schedule.get_ydata()) == [0.0, 600.0]
    # 400 / 600 = 66.7%
    assert "1-3月 400万元，占年计划66.7%" in annotations(ax)
    assert ax.get_ylabel() == "累计完成投资（万元）"
    assert tick_texts(ax.get_xticklabels())[:3] == ["1月", "2月", "3月"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["序时计划", "本年计划 600万元", "累计完成投资"]
    texts = " ".join(t.get_text() for t in ax.figure.texts + ax.texts)
    assert "项目：皂郊水厂改扩建项目（P0001）" in texts
    assert "2月“皂郊水厂改扩建工程”" in texts and "数据来源：各月项目台账" in texts
    ax.figure.savefig(tmp_path / "history.png", dpi=100)
    assert (tmp_path / "history.png").stat().st_size > 10_000
    # the same chart by id; the other project is not drawn into it
    by_id = charts.plot_project_history(frame, "P0001")
    (line,) = [ln for ln in by_id.lines if ln.get_gid() == "actual"]
    assert list(line.get_ydata()) == [100.0, 250.0, 400.0]
    plt.close("all")


def test_plot_project_history_errors(projects):
    frame = drifting()
    with pytest.raises(ValueError, match="没有找到项目“不存在”"):
        charts.plot_project_history(frame, "不存在")
    with pytest.raises(ValueError, match="qz.load_many"):
        charts.plot_project_history(projects, "甲")
    other = frame.assign(as_of=frame["as_of"] + 12)  # the same months of 2009
    with pytest.raises(ValueError, match=r"span several years \(\[2008, 2009\]\)"):
        charts.plot_project_history(pd.concat([frame, other], ignore_index=True), "挂面加工项目")


# --------------------------------------------------------------------------- funds


def test_plot_funds_in_place_pairs(projects):
    ax = charts.plot_funds_in_place(projects)
    contracted, in_place = ax.containers
    assert contracted.get_label() == "合同引资" and in_place.get_label() == "到位资金"
    # 储备 10/5; 新签约 40+20 / 20+10; 续建 100+200 / 90+150; no stage: NaN / NaN
    assert [b.get_height() for b in contracted][:3] == [10.0, 60.0, 300.0]
    assert [b.get_height() for b in in_place][:3] == [5.0, 30.0, 240.0]
    assert tick_texts(ax.get_xticklabels()) == ["储备", "新签约", "续建", "未明确阶段"]
    texts = annotations(ax)
    assert texts[:4] == ["到位率 50%", "到位率 50%", "到位率 80%", "到位率 —"]


def test_plot_funds_in_place_by_channel(projects):
    ax = charts.plot_funds_in_place(projects, by="funding_channel")
    assert tick_texts(ax.get_xticklabels()) == ["国家预算资金", "国内贷款", "自筹资金", "其他资金",
                                                "未分类"]
    assert [b.get_height() for b in ax.containers[1]][:3] == [20.0, 5.0, 240.0]


# --------------------------------------------------------------------------- common contract


ALL_CHARTS = {
    "by_stage": lambda df, mo, **kw: charts.plot_by_stage(df, **kw),
    "funnel": lambda df, mo, **kw: charts.plot_stage_funnel(df, **kw),
    "by_channel": lambda df, mo, **kw: charts.plot_by_channel(df, **kw),
    "by_industry": lambda df, mo, **kw: charts.plot_by_industry(df, **kw),
    "progress": lambda df, mo, **kw: charts.plot_progress(df, **kw),
    "monthly": lambda df, mo, **kw: charts.plot_monthly(mo, **kw),
    "project_history": lambda df, mo, **kw: charts.plot_project_history(mo, "乙项目", **kw),
    "funds": lambda df, mo, **kw: charts.plot_funds_in_place(df, **kw),
}


@pytest.mark.parametrize("name", list(ALL_CHARTS))
def test_ax_is_honoured_and_returned(name, projects, monthly):
    fig, (left, right) = plt.subplots(1, 2)
    ax = ALL_CHARTS[name](projects, monthly, ax=right)
    assert ax is right
    assert len(left.patches) == 0 and len(left.lines) == 0 and len(left.texts) == 0
    assert len(right.patches) + len(right.lines) > 0


@pytest.mark.parametrize("name", list(ALL_CHARTS))
def test_title_and_source_options(name, projects, monthly):
    ax = ALL_CHARTS[name](projects, monthly, title="测试标题", source=None)
    assert ax.get_title(loc="left") == "测试标题"
    assert not any(t.startswith("数据来源") for t in annotations(ax))


def test_inputs_are_not_mutated(projects, monthly):
    before, before_monthly = projects.copy(deep=True), monthly.copy(deep=True)
    for draw in ALL_CHARTS.values():
        draw(projects, monthly)
    pd.testing.assert_frame_equal(projects, before)
    pd.testing.assert_frame_equal(monthly, before_monthly)


def test_global_rcparams_untouched(projects, monthly):
    before = dict(mpl.rcParams)
    for draw in ALL_CHARTS.values():
        draw(projects, monthly)
    after = dict(mpl.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_import_qzanalysis_does_not_import_matplotlib():
    code = ("import sys, qzanalysis; qzanalysis.summarize; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_chart_draws_and_saves_without_warning(projects, monthly, tmp_path):
    font = _fonts.cjk_font()
    postscript_name = FT2Font(str(font.path), face_index=font.index).postscript_name
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would be an error here
        for name, draw in ALL_CHARTS.items():
            ax = draw(projects, monthly, title="分阶段项目情况（1-6月）")
            files = charts.save_chart(ax, tmp_path / name)
            assert [f.name for f in files] == [f"{name}.png", f"{name}.svg", f"{name}.pdf"]
            assert all(f.stat().st_size > 1000 for f in files)
            pdf = files[2].read_bytes()
            # the Chinese glyphs are embedded, in the subset of the chosen font
            assert postscript_name.encode() in pdf
            assert (b"/Type3" in pdf) if font.pdf_fonttype == 3 else (b"/FontFile2" in pdf)
            svg = files[1].read_text(encoding="utf-8")
            assert "<text" not in svg  # glyphs as paths: renders without the font
            plt.close("all")


def test_drawing_outside_the_style_keeps_chinese_glyphs(projects, monthly, tmp_path):
    """Ticks created at draw time, outside the style context, still use the CJK font."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, draw in ALL_CHARTS.items():
            ax = draw(projects, monthly)
            ax.figure.savefig(tmp_path / f"{name}.png", dpi=50)
            families = {tuple(t.get_fontfamily()) for t in ax.figure.findobj(Text)
                        if t.get_text()}
            assert families == {tuple(_fonts.font_families())}


def test_every_drawn_character_has_a_glyph(projects, monthly):
    font = _fonts.cjk_font()
    face = FT2Font(str(font.path), face_index=font.index)
    drawn = set()
    for draw in ALL_CHARTS.values():
        ax = draw(projects, monthly)
        ax.figure.canvas.draw()
        drawn |= {ch for t in ax.figure.findobj(Text) for ch in t.get_text()}
    missing = sorted(ch for ch in drawn if not ch.isspace() and face.get_char_index(ord(ch)) == 0)
    assert missing == []


def test_save_chart_replaces_suffix_and_creates_folders(projects, tmp_path):
    ax = charts.plot_by_stage(projects)
    files = charts.save_chart(ax.figure, tmp_path / "sub" / "分阶段.png", formats=("pdf", "png"),
                              dpi=72)
    assert files == [tmp_path / "sub" / "分阶段.pdf", tmp_path / "sub" / "分阶段.png"]
    assert files[0].read_bytes().startswith(b"%PDF")
    # 72 dpi × 16 cm / 2.54 = 453.5 px wide
    from PIL import Image

    with Image.open(files[1]) as png:
        assert png.size[0] in (453, 454)


# --------------------------------------------------------------------------- money axis


def test_money_axis_switches_to_yi_yuan_at_one_hundred_million():
    assert money_axis([9_999.0, NAN]).unit == "万元"
    assert money_axis([10_000.0]).unit == "亿元"
    assert money_axis([5.0], "亿元").unit == "亿元"
    assert money_axis([]).unit == "万元"
    yi = money_axis([98_583.0])
    assert yi.label("总投资（万元）") == "总投资（亿元）"
    assert yi.label("金额") == "金额（亿元）"
    assert yi.text(98_583.0) == "9.86"
    assert money_axis([98_583.0], "万元").text(98_583.0) == "98,583"


def test_money_ticks_show_enough_decimals_and_real_minus_signs():
    with house_style():  # Noto Sans SC has U+2212, so the style keeps the real minus sign
        fmt = money_axis([20_000.0]).formatter()
        assert money_axis([-20_000.0]).text(-20_000.0) == "\N{MINUS SIGN}2.00"
    fmt.set_locs([0.0, 2_500.0, 5_000.0, 7_500.0])
    assert [fmt(v) for v in (0.0, 2_500.0, 5_000.0, 7_500.0)] == ["0.00", "0.25", "0.50", "0.75"]
    fmt.set_locs([-10_000.0, 0.0, 10_000.0])
    assert [fmt(v) for v in (-10_000.0, 0.0, 10_000.0)] == ["\N{MINUS SIGN}1", "0", "1"]
    with pytest.raises(ValueError, match="unit must be '万元' or '亿元'"):
        money_axis([1.0], "元")


def test_plot_progress_with_nothing_to_draw_warns_nothing():
    import warnings

    df = pd.DataFrame({"project_name": ["甲", "乙"], "stage": ["续建", "续建"],
                       "planned_investment": [None, None], "completed_investment": [None, 5.0]})
    df = df.astype({"planned_investment": "float64", "completed_investment": "float64"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = charts.plot_progress(df.iloc[:0], period="1-6月")
    assert "没有可画的项目（缺少本年计划投资）" in annotations(ax)


# --------------------------------------------------------------------------- kwargs


def main_artists(name: str, ax) -> list:
    """The artists a chart's ``**kwargs`` go to (its documented drawing call)."""
    if name in ("monthly", "project_history"):
        return [ln for ln in ax.lines if ln.get_gid() == "actual"]
    if name == "progress":
        return list(ax.containers[1])  # the rates, not the 100% plan bars
    if name == "funds":
        return [*ax.containers[0], *ax.containers[1]]  # both bar calls
    return list(ax.containers[0])


@pytest.mark.parametrize("name", list(ALL_CHARTS))
def test_aliases_mean_the_full_names(name, projects, monthly):
    # before: plot_monthly(lw=3) raised "Got both 'linewidth' and 'lw'"
    short = ALL_CHARTS[name](projects, monthly, lw=2.5)
    full = ALL_CHARTS[name](projects, monthly, linewidth=2.5)
    assert [a.get_linewidth() for a in main_artists(name, short)] == \
        [a.get_linewidth() for a in main_artists(name, full)]
    assert {a.get_linewidth() for a in main_artists(name, short)} == {2.5}
    plt.close("all")


@pytest.mark.parametrize("name", [n for n in ALL_CHARTS if n not in ("monthly", "project_history")])
def test_bar_aliases_edgecolor(name, projects, monthly):
    ax = ALL_CHARTS[name](projects, monthly, ec="#000000", lw=1.0)
    assert all(same_color(a.get_edgecolor(), "#000000") for a in main_artists(name, ax))


def test_color_works_on_every_chart(projects, monthly):
    for name, draw in ALL_CHARTS.items():
        ax = draw(projects, monthly, color="#8a6d3b")
        artists = main_artists(name, ax)
        if name == "funds":
            artists = list(ax.containers[1])
        colors = [a.get_color() if name in ("monthly", "project_history")
                  else a.get_facecolor() for a in artists]
        assert colors and all(same_color(c, "#8a6d3b") for c in colors), name
        plt.close("all")


def test_line_aliases_color_and_marker_size(monthly):
    ax = charts.plot_monthly(monthly, c="#ff0000", ms=7)
    (actual,) = [ln for ln in ax.lines if ln.get_gid() == "actual"]
    assert same_color(actual.get_color(), "#ff0000")
    assert actual.get_markersize() == 7
    assert actual.get_marker() == "o" and actual.get_linewidth() == 2.0  # defaults kept


def test_plot_funds_in_place_color_keeps_the_pair_apart(projects):
    # before: TypeError "got multiple values for keyword argument 'color'"
    ax = charts.plot_funds_in_place(projects, color="#806040")
    contracted, in_place = ax.containers
    assert [b.get_height() for b in contracted][:3] == [10.0, 60.0, 300.0]
    assert [b.get_height() for b in in_place][:3] == [5.0, 30.0, 240.0]
    assert all(same_color(b.get_facecolor(), "#806040") for b in in_place)
    # 合同引资: the colour with 80% white, channel by channel (0x80 = 128, 0x60 = 96, 0x40 = 64)
    tint = tuple(0.2 * v / 255 + 0.8 for v in (128, 96, 64))
    assert all(same_color(b.get_facecolor(), tint) for b in contracted)
    # the default pair is unchanged
    ax = charts.plot_funds_in_place(projects)
    assert same_color(ax.containers[0][0].get_facecolor(), LIGHT_COLOR)
    assert same_color(ax.containers[1][0].get_facecolor(), BASE_COLOR)


def test_caller_colour_replaces_the_stage_colours(projects):
    ax = charts.plot_by_stage(projects, color="#123456")
    assert [b.get_height() for b in ax.containers[0]] == [20.0, 80.0, 400.0, 7.0]
    assert all(same_color(b.get_facecolor(), "#123456") for b in ax.containers[0])


def test_plot_monthly_old_frame_keyword_still_works(monthly):
    with pytest.warns(DeprecationWarning, match="frame= is deprecated, use df="):
        ax = charts.plot_monthly(frame=monthly)
    (actual,) = [ln for ln in ax.lines if ln.get_gid() == "actual"]
    assert list(actual.get_ydata()) == [30.0, 65.0, 120.0]


# --------------------------------------------------------------------------- as_of


def schedule_x(ax) -> float:
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "schedule"]
    return line.get_xdata()[0]


def test_plot_progress_follows_the_ledgers_month(projects):
    march = projects.assign(as_of=pd.Series(pd.PeriodIndex(["2008-03"] * 6, freq="M")))
    ax = charts.plot_progress(march)
    # 时序进度 3/12 = 0.25; lagging below 0.25 − 0.10 = 0.15: only 戊 (0); 乙 (0.3) is ahead
    assert schedule_x(ax) == pytest.approx(0.25)
    assert tick_texts(ax.get_yticklabels()) == ["甲项目", "丙项目", "乙项目", "戊项目"]
    red = [same_color(b.get_facecolor(), ACCENT_COLOR) for b in ax.containers[1]]
    assert red == [False, False, False, True]
    assert "时序进度 25%" in tick_texts(ax.get_legend().get_texts())
    # an explicit period still wins over as_of
    assert schedule_x(charts.plot_progress(march, period="1-6月")) == pytest.approx(0.5)
    # as_of as text, like a hand-made frame
    august = projects.assign(as_of="2008年8月")
    assert schedule_x(charts.plot_progress(august)) == pytest.approx(8 / 12)


def test_plot_progress_without_as_of_keeps_first_half(projects):
    assert schedule_x(charts.plot_progress(projects)) == pytest.approx(0.5)


def test_plot_progress_rows_of_several_months_get_their_own_mark(monthly):
    two = monthly[monthly["as_of"].dt.month.isin([1, 3])]
    ax = charts.plot_progress(two)
    # 占年计划%: 3月 乙 70/120, 甲 50/120; 1月 乙 20/120, 甲 10/120 (highest first)
    assert tick_texts(ax.get_yticklabels()) == ["乙项目（1-3月）", "甲项目（1-3月）",
                                                "乙项目（1月）", "甲项目（1月）"]
    assert [b.get_width() for b in ax.containers[1]] == pytest.approx(
        [70 / 120, 50 / 120, 20 / 120, 10 / 120])
    assert not [ln for ln in ax.lines if ln.get_gid() == "schedule"]
    (marks,) = [c for c in ax.collections if c.get_gid() == "schedule"]
    xs = [seg[0][0] for seg in marks.get_segments()]
    assert xs == pytest.approx([0.25, 0.25, 1 / 12, 1 / 12])
    # 1月: 0.0833 is exactly on schedule; 3月: ahead. Nobody lags.
    assert not any(same_color(b.get_facecolor(), ACCENT_COLOR) for b in ax.containers[1])
    assert "时序进度（各行报告期）" in tick_texts(ax.get_legend().get_texts())


def test_explorer_progress_follows_as_of(projects):
    default = inspect.signature(explore.explorer).parameters["period"].default
    march = projects.assign(as_of=pd.Series(pd.PeriodIndex(["2008-03"] * 6, freq="M")))
    ax = explore._chart(march, "progress", value="total_investment", period=default, top=20,
                        title="逐项目进度")
    assert schedule_x(ax) == pytest.approx(0.25)
    ax = explore._chart(projects, "progress", value="total_investment", period=default,
                        top=20, title="逐项目进度")
    assert schedule_x(ax) == pytest.approx(0.5)


# --------------------------------------------------------------------------- docs and style


SHARED_DOCS = (
    'unit : {"auto", "万元", "亿元"} or None, default "auto"\n',
    "title : str, optional\n    Title at the top left.",
    "ax : matplotlib.axes.Axes, optional\n    Where to draw.",
    "**kwargs\n    Matplotlib properties for ",
    "Returns\n-------\nmatplotlib.axes.Axes\n",
)


@pytest.mark.parametrize("name", [n for n in charts.__all__ if n.startswith("plot_")])
def test_shared_parameters_documented_once_shown_everywhere(name):
    func = getattr(charts, name)
    doc = func.__doc__
    for part in SHARED_DOCS:
        if part.startswith("unit") and name == "plot_progress":
            continue  # no money axis
        assert part in doc, (name, part)
    assert "{" not in doc.replace('{"auto"', "")  # no placeholder left unfilled
    expected_source = {"plot_monthly": "'数据来源：各月项目台账'",
                       "plot_project_history": "'数据来源：各月项目台账'"}.get(name, "'数据来源：项目台账'")
    assert f"source : str or None, default {expected_source}\n" in doc
    params = list(inspect.signature(func).parameters)
    assert params[0] == "df" and params[-2:] == ["ax", "kwargs"]


def test_chart_module_types_no_colour():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert re.findall(r"[\"']#[0-9a-fA-F]{6}[\"']", source) == []


def _pdf_unicode_chars(data: bytes) -> set[str]:
    """Every character a PDF's ToUnicode maps name (what a text extractor can give back)."""
    import re
    import zlib

    chars: set[str] = set()
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(raw)
        except zlib.error:
            continue
        if b"begincmap" not in text:
            continue
        for hexes in re.findall(rb"\[([0-9a-fA-F<> \n]+)\]", text):
            chars.update(chr(int(h, 16)) for h in re.findall(rb"<([0-9a-fA-F]{4})>", hexes))
        for _src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]{4})>", text):
            chars.add(chr(int(dst, 16)))
    return chars


def test_chinese_labels_of_a_pdf_chart_are_extractable_text(tmp_path):
    """Issue 12: a chart saved as PDF keeps its Chinese labels as text (ToUnicode maps),
    so they can be searched and copied, not only seen."""
    import io
    import shutil
    import subprocess

    import qzanalysis as qz
    from qzanalysis import charts
    from qzanalysis.report import sample_paths

    projects = qz.classify(qz.load(sample_paths()["ledger"]).projects)
    ax = charts.plot_by_stage(projects)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="pdf")
    mapped = _pdf_unicode_chars(buf.getvalue())
    labels = "".join([t.get_text() for t in ax.texts] + [ax.get_title(), ax.get_xlabel(),
                     *[t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]])
    cjk = {c for c in labels if "\u4e00" <= c <= "\u9fff"}
    assert {"总", "投", "资", "续", "建", "新", "签", "约"} <= cjk
    assert cjk <= mapped, sorted(cjk - mapped)
    if shutil.which("pdftotext"):  # where poppler is installed, the text really comes out
        pdf = tmp_path / "by_stage.pdf"
        pdf.write_bytes(buf.getvalue())
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "总投资" in text and "续建" in text
