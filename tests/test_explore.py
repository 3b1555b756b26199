"""qzanalysis.explore: filtering projects, and the ipywidgets explorer's redraws.

The frames are built by hand; every expected count and sum is worked out from them in the
comments. ipywidgets is in the ``lab`` extra, not ``test``: only the tests that build the
widget skip without it.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pandas as pd
import pytest

from qzanalysis.explore import _towns, explorer, filter_projects
from qzanalysis.vocab import STAGE_DTYPE


@pytest.fixture
def projects() -> pd.DataFrame:
    return pd.DataFrame({
        "project_name": ["甲", "乙", "丙", "丁", "戊", "己"],
        "stage": pd.Series(["续建", "新签约", "续建", "续建", "新签约", None], dtype=STAGE_DTYPE),
        "section": ["工业项目", "工业项目", "农业项目", "基础设施", None, "工业项目"],
        "location": ["秦州区皂郊镇罗家村", "皂郊镇", "汪川镇", "汪川镇、中梁乡", None, "经济开发区"],
        "funding_channel": ["自筹资金", "多渠道", "利用外资", "自筹资金", None, "自筹资金"],
        "industry_section": ["C", "C", "A", "F", "C", None],
        "total_investment": [4200.0, 2100.0, 800.0, 300.0, 50.0, 10.0],
        "contracted_investment": [3600.0, 1250.0, 700.0, 300.0, np.nan, 10.0],
        "planned_investment": [950.0, 700.0, 400.0, 100.0, 20.0, 5.0],
        "completed_investment": [410.0, 470.0, 100.0, 80.0, 0.0, 5.0],
        "funds_in_place": [400.0, 470.0, 100.0, 80.0, 0.0, 5.0],
    })


def names(df: pd.DataFrame) -> list[str]:
    return df["project_name"].tolist()


# --------------------------------------------------------------------------- filter_projects


def test_no_filter_returns_an_equal_new_frame(projects):
    before = projects.copy()
    out = filter_projects(projects)
    pd.testing.assert_frame_equal(out, before)
    out.loc[0, "total_investment"] = -1.0
    pd.testing.assert_frame_equal(projects, before)


def test_one_value_a_list_and_missing_values(projects):
    assert names(filter_projects(projects, stage="续建")) == ["甲", "丙", "丁"]
    # 己 has no stage: it matches no value
    assert names(filter_projects(projects, stage=["续建", "新签约"])) == ["甲", "乙", "丙", "丁", "戊"]
    assert names(filter_projects(projects, funding_channel="自筹资金")) == ["甲", "丁", "己"]
    assert names(filter_projects(projects, industry_section=("C", "A"))) == ["甲", "乙", "丙", "戊"]
    assert names(filter_projects(projects, section="工业项目")) == ["甲", "乙", "己"]


def test_location_matches_a_town_within_the_address(projects):
    assert names(filter_projects(projects, location="皂郊镇")) == ["甲", "乙"]
    assert names(filter_projects(projects, location="中梁乡")) == ["丁"]
    assert names(filter_projects(projects, location=["皂郊镇", "汪川镇"])) == ["甲", "乙", "丙", "丁"]
    # plain text, not a regular expression
    assert names(filter_projects(projects, location=".*")) == []


def test_filters_combine_and_keep_the_index(projects):
    out = filter_projects(projects, stage="续建", location="汪川镇")
    assert names(out) == ["丙", "丁"]
    assert out.index.tolist() == [2, 3]
    assert names(filter_projects(projects, stage="续建", location="汪川镇",
                                 industry_section="F", funding_channel="自筹资金")) == ["丁"]
    assert names(filter_projects(projects, stage="新签约", funding_channel="利用外资")) == []


def test_unknown_values_and_empty_lists_raise(projects):
    with pytest.raises(ValueError, match="stage 的取值“续見”无法识别，应为：储备、前期、洽谈、新签约"):
        filter_projects(projects, stage=["续建", "续見"])
    with pytest.raises(ValueError, match="funding_channel 的取值“银行贷款”无法识别"):
        filter_projects(projects, funding_channel="银行贷款")
    with pytest.raises(ValueError, match="industry_section 的取值“Z”无法识别"):
        filter_projects(projects, industry_section="Z")
    with pytest.raises(ValueError, match=r"location 不能是空列表（不筛选请用 None）"):
        filter_projects(projects, location=[])


def test_an_absent_column_names_it_and_says_to_classify(projects):
    raw = projects.drop(columns=["funding_channel", "location"])
    with pytest.raises(ValueError, match="项目表没有“资金渠道”列（funding_channel），请先运行 qz.classify"):
        filter_projects(raw, funding_channel="自筹资金")
    with pytest.raises(ValueError, match="项目表没有“建设地点”列（location） / "):
        filter_projects(raw, location="皂郊镇")
    assert names(filter_projects(raw, stage="新签约")) == ["乙", "戊"]  # absent but unused: fine


def test_towns_are_read_from_addresses():
    locations = pd.Series(["秦州区皂郊镇罗家村", "皂郊镇", "汪川镇、中梁乡", "天水市秦州区七里墩街道",
                           "经济开发区", None, "关子镇新乡村", "皂郊镇、皂郊镇", ""])
    towns = _towns(locations)
    # 皂郊镇: rows 0, 1, 7 (named twice, counted once); the rest once each; 经济开发区 as itself
    assert towns.to_dict() == {"皂郊镇": 3, "七里墩街道": 1, "中梁乡": 1, "关子镇": 1,
                               "汪川镇": 1, "经济开发区": 1}
    assert towns.index[0] == "皂郊镇"


# --------------------------------------------------------------------------- explorer


def test_explorer_checks_its_arguments_before_importing_ipywidgets(projects, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails as if not installed
    with pytest.raises(ValueError, match="无法识别的图表“pie”，应为：by_stage、by_channel"):
        explorer(projects, chart="pie")
    with pytest.raises(ValueError, match="缺少分类列 funding_channel、industry_section，请先运行 qz.classify"):
        explorer(projects.drop(columns=["funding_channel", "industry_section"]))


def test_explorer_without_ipywidgets_says_how_to_install_it(projects, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError) as caught:
        explorer(projects)
    message = str(caught.value)
    assert "交互式浏览需要 ipywidgets：请运行 `make lab`，或在本环境中 `pip install ipywidgets`" in message
    assert "run `make lab` or `pip install ipywidgets`" in message


def controls(box) -> dict:
    """The explorer's dropdowns by their (Chinese) description."""
    grid = box.children[0]
    return {w.description: w for w in grid.children}


def total_row(html: str) -> list[str]:
    """The cells of the summary table's 合计 row."""
    row = re.search(r"<th>合计</th>(.*?)</tr>", html, flags=re.S)
    assert row, html
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def test_explorer_dropdowns_are_built_from_the_data(projects):
    pytest.importorskip("ipywidgets")
    box = explorer(projects)
    w = controls(box)
    assert list(w) == ["图表", "阶段", "资金渠道", "行业门类", "乡镇", "项目分类"]
    assert w["阶段"].options == (("全部", ""), ("新签约（2）", "新签约"), ("续建（3）", "续建"))
    assert w["资金渠道"].options == (("全部", ""), ("利用外资（1）", "利用外资"),
                                  ("自筹资金（3）", "自筹资金"), ("多渠道（1）", "多渠道"))
    assert w["行业门类"].options == (("全部", ""), ("A 农林牧渔业（1）", "A"), ("C 制造业（3）", "C"),
                                  ("F 批发和零售业（1）", "F"))
    # towns: 汪川镇 2 (丙, 丁), 皂郊镇 2 (甲, 乙), then 中梁乡 and 经济开发区 once each
    assert [v for _, v in w["乡镇"].options] == ["", "汪川镇", "皂郊镇", "中梁乡", "经济开发区"]
    assert w["乡镇"].options[1] == ("汪川镇（2）", "汪川镇")
    assert [v for _, v in w["图表"].options] == ["by_stage", "by_channel", "by_industry",
                                                "progress", "funds_in_place"]


def test_changing_a_dropdown_redraws_with_the_filtered_projects(projects):
    pytest.importorskip("ipywidgets")
    import matplotlib.pyplot as plt

    box = explorer(projects)
    w = controls(box)
    status, image, table = box.children[1:]
    # everything: 6 projects, 4200 + 2100 + 800 + 300 + 50 + 10 = 7460 万元
    assert "符合条件的项目：6个（共6个）</b>，总投资7,460万元" in status.value
    assert total_row(table.value)[:2] == ["6", "7,460"]
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG")

    w["阶段"].value = "续建"  # 甲 丙 丁: 4200 + 800 + 300 = 5300
    assert "符合条件的项目：3个（共6个）</b>，总投资5,300万元；筛选条件：阶段：续建" in status.value
    assert total_row(table.value)[:2] == ["3", "5,300"]
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != first

    w["乡镇"].value = "汪川镇"  # 丙 丁: 800 + 300 = 1100; funds 100 + 80 of contracted 700 + 300
    assert "符合条件的项目：2个（共6个）</b>，总投资1,100万元；筛选条件：阶段：续建；乡镇：汪川镇" in status.value
    assert total_row(table.value) == ["2", "1,100", "1,000", "180", "180", "36.0%", "18.0%"]

    w["图表"].value = "by_channel"  # the summary follows the chart: one row per channel
    rows = re.findall(r"<tr>\s*<th>(.*?)</th>", table.value)
    assert rows == ["利用外资", "自筹资金", "合计"]

    w["资金渠道"].value = "多渠道"  # no 续建 project in 汪川镇 has 多渠道
    assert "符合条件的项目：0个（共6个）" in status.value
    assert bytes(image.value) == b"" and table.value == ""

    w["资金渠道"].value = ""  # back to 全部
    assert total_row(table.value)[0] == "2"
    assert plt.get_fignums() == []  # every drawn figure was closed


def test_explorer_starts_with_the_given_chart_and_filters(projects):
    pytest.importorskip("ipywidgets")
    box = explorer(projects, chart="progress", stage="新签约", location="皂郊镇")
    w = controls(box)
    assert (w["图表"].value, w["阶段"].value, w["乡镇"].value) == ("progress", "新签约", "皂郊镇")
    # 乙 only (戊 has no location): 2100 万元
    assert "符合条件的项目：1个（共6个）</b>，总投资2,100万元" in box.children[1].value
    assert bytes(box.children[2].value).startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="stage=“竣工”不在数据中，可选：新签约、续建"):
        explorer(projects, stage="竣工")
