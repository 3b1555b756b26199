import pandas as pd
import pytest

from qzanalysis.stages import clean_section, to_stage
from qzanalysis.vocab import STAGES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、续建项目（31个）", "续建项目"),
        ("二、新签约项目（28个）", "新签约项目"),
        ("（二）新开工项目", "新开工项目"),
        ("(一)在建", "在建"),
        ("第一部分 工业项目", "工业项目"),
        ("3.城建项目 共5项", "城建项目"),
        ("一、工业项目(5项)", "工业项目"),
    ],
)
def test_clean_section(raw, expected):
    assert clean_section(pd.Series([raw])).iloc[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # DESIGN's examples, one per stage
        ("谋划", "储备"), ("争取", "储备"), ("前期工作", "前期"), ("预备", "前期"),
        ("报批", "前期"), ("在谈", "洽谈"), ("意向", "洽谈"), ("已签约", "新签约"),
        ("新建", "新开工"), ("新上", "新开工"), ("在建", "续建"), ("建成投产", "竣工"),
        ("完工", "竣工"),
        # as they come in section rows and sheet names
        ("一、续建项目（31个）", "续建"), ("二、新签约项目（28个）", "新签约"),
        ("（二）新开工项目", "新开工"), ("2008年新开工项目", "新开工"), ("續建項目", "续建"),
        # not stages
        ("一、工业项目", None), ("其他", None), ("农业", None),
    ],
)
def test_to_stage(raw, expected):
    got = to_stage(pd.Series([raw])).iloc[0]
    assert (pd.isna(got) and expected is None) or got == expected


def test_to_stage_is_ordered_categorical_in_pipeline_order():
    out = to_stage(pd.Series(["竣工", "储备", "续建"]))
    assert list(out.cat.categories) == list(STAGES)
    assert out.cat.ordered
    assert out.min() == "储备" and out.max() == "竣工"
