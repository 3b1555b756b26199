"""The narrative paragraph against the founding article's own sentences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from article_frame import article_projects

import qzanalysis as qz
from qzanalysis.narrative import STAGE_WORDING, format_amount, narrative
from qzanalysis.text import normalize_value
from qzanalysis.vocab import STAGE_DTYPE, STAGES

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path("/work/shared/reference/qinzhou_h1_article.txt")
H1 = ROOT / "data" / "raw" / "qinzhou_h1_projects.xlsx"

ARTICLE_HEAD = "全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元"
ARTICLE_XUJIAN = "其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元"
ARTICLE_XINQIANYUE = "实施新签约项目28个，总投资27553万元，已完成投资5995万元，引进到位资金5995万元"


def article_paragraph() -> str:
    """The article's half-year paragraph, simplified, with full-width commas."""
    text = normalize_value(ARTICLE.read_text(encoding="utf-8").splitlines()[-1])
    text = text.replace(",", "，")
    start = text.index("今年上半年，")
    end = text.index("等项目。", text.index("新签约项目")) + len("等项目。")
    return text[start:end]


def test_article_sentences():
    text = narrative(article_projects())
    assert text.startswith("上半年，" + ARTICLE_HEAD + "。")
    assert ARTICLE_XUJIAN in text
    assert ARTICLE_XINQIANYUE in text
    assert text.index("续建") < text.index("新签约")


@pytest.mark.skipif(not ARTICLE.exists(), reason="founding article not available")
def test_reproduces_the_article_paragraph_exactly():
    expected = article_paragraph()
    assert ARTICLE_XUJIAN in expected  # the extraction itself is right
    assert narrative(article_projects(), period="今年上半年") == expected


def test_main_projects_are_the_largest_in_order():
    text = narrative(article_projects(), top=2)
    assert "主要有瑞德电器1500台/套高低压启动设备生产项目、派尔彩印包装生产线建设等项目。" in text
    assert "主要有2000头荷斯坦奶牛养殖基地建设、红豆杉繁育基地建设等项目。" in text
    assert "主要有" not in narrative(article_projects(), top=0)
    # a name ending in 项目 just before 等项目 loses it (not "…生产项目等项目")
    assert "主要有瑞德电器1500台/套高低压启动设备生产等项目。" in narrative(article_projects(), top=1)


def test_yi_yuan():
    text = narrative(article_projects(), unit="亿元")
    assert "全区共实施招商引资项目59个，总投资9.86亿元，合同引资8.66亿元。" in text
    assert "其中实施续建项目31个，总投资7.10亿元，今年完成投资1.15亿元，引进到位资金1.01亿元" in text
    with pytest.raises(ValueError, match="万元 或 亿元"):
        narrative(article_projects(), unit="元")


def test_format_amount():
    assert format_amount(98583.0) == "98583万元"
    assert format_amount(1234567.0) == "1234567万元"  # no thousands separator
    assert format_amount(0.5) == "1万元"  # half up, not to even
    assert format_amount(2.5) == "3万元"
    assert format_amount(15000.0, "亿元") == "1.50亿元"
    assert format_amount(11505.0, "亿元") == "1.15亿元"  # 1.1505 → 1.15
    assert format_amount(11550.0, "亿元") == "1.16亿元"  # 1.155 half up


def test_missing_figures_are_left_out_not_zero():
    df = pd.DataFrame(
        {
            "project_name": ["甲厂", "乙园"],
            "stage": pd.Series(["新开工", "新开工"], dtype=STAGE_DTYPE),
            "total_investment": [300.0, 200.0],
            "completed_investment": [np.nan, np.nan],
            "funds_in_place": [20.0, np.nan],
        }
    )
    text = narrative(df, period="1-8月", lead="全区共实施重点项目")
    assert text == (
        "1-8月，全区共实施重点项目2个，总投资500万元。"
        "其中实施新开工项目2个，总投资500万元，引进到位资金20万元（其中1个项目未填报），主要有甲厂、乙园等项目。"
    )
    assert "完成投资" not in text  # all missing: no "今年完成投资0万元"


def test_every_stage_and_the_unstaged_group():
    df = pd.DataFrame(
        {
            "project_name": [f"项目{s}" for s in STAGES] + ["无名"],
            "stage": pd.Series([*STAGES, None], dtype=STAGE_DTYPE),
            "total_investment": [10.0] * 8,
        }
    )
    text = narrative(df, top=1)
    assert set(STAGE_WORDING) == set(STAGES)
    # most advanced first, as the article (续建 before 新签约); 未明确阶段 last
    expected_order = ["。其中建成竣工项目1个", "。实施续建项目1个", "。实施新开工项目1个",
                      "。实施新签约项目1个", "。跟踪洽谈项目1个", "。开展前期工作的项目1个",
                      "。储备项目1个", "。另有未明确阶段的项目1个"]
    positions = [text.index(p) for p in expected_order]
    assert positions == sorted(positions)
    assert "其中建成竣工项目1个，总投资10万元，主要有项目竣工等项目。" in text


def test_input_not_mutated():
    df = article_projects()
    before = df.copy(deep=True)
    narrative(df)
    pd.testing.assert_frame_equal(df, before)


def _public_name_after(first_import: str) -> str:
    code = f"{first_import}\nimport qzanalysis as qz\nprint(type(qz.narrative).__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_public_name_is_the_function():
    assert _public_name_after("pass") == "function"


def test_public_name_is_the_function_even_after_the_module_was_imported():
    assert _public_name_after("import qzanalysis.narrative") == "function"


def test_sample_half_year_narrative():
    text = narrative(qz.load(H1).projects, period="今年上半年")
    assert text.startswith("今年上半年，" + ARTICLE_HEAD + "。")
    assert ARTICLE_XUJIAN + "，主要有瑞德电器1500台/套高低压启动设备生产项目、派尔彩印包装生产线建设" in text
    assert "西联蜂业蜂产品深加工等项目。实施新签约项目28个" in text
    # the article's order of the named 新签约 projects (the sample sizes follow it)
    assert ("主要有2000头荷斯坦奶牛养殖基地建设项目、红豆杉繁育基地建设项目、"
            "SSOP集成电路引线框架生产线项目、皂郊水厂改扩建等项目。") in text
    assert ARTICLE_XINQIANYUE + "，主要有2000头荷斯坦奶牛养殖基地建设" in text
    for name in ("派尔彩印包装生产线建设", "大华电力通讯设备生产", "红豆杉繁育基地建设",
                 "SSOP集成电路引线框架生产线", "皂郊水厂改扩建"):
        assert name in text


def test_a_sum_over_part_of_the_projects_says_so():
    df = pd.DataFrame({
        "project_name": ["甲项目", "乙项目", "丙项目"],
        "stage": pd.Categorical(["续建"] * 3, categories=list(STAGES), ordered=True),
        "total_investment": [300.0, None, 200.0],
        "contracted_investment": [100.0, 100.0, 100.0],
        "completed_investment": [None, None, None],
        "funds_in_place": [10.0, 20.0, 30.0],
    })
    text = narrative(df, period="今年上半年")
    assert "全区共实施招商引资项目3个，总投资500万元（其中1个项目未填报），合同引资300万元。" in text
    assert "今年完成投资" not in text  # all missing: left out, never 0
