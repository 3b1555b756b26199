"""Funding sources → funding channels (qzanalysis.channels)."""

import pandas as pd
import pytest

from qzanalysis.channels import funding_columns, to_channel
from qzanalysis.classify import classification_findings
from qzanalysis.vocab import FUNDING_CHANNELS

# The and DESIGN's examples, with the channel China's FAI statistics assign.
SINGLE = {
    "中央预算内投资": "国家预算资金",
    "国债资金": "国家预算资金",
    "地方政府专项债券": "国家预算资金",
    "省级财政": "国家预算资金",
    "市级财政": "国家预算资金",
    "区级财政": "国家预算资金",
    "银行贷款": "国内贷款",
    "农发行贷款": "国内贷款",
    "外商投资": "利用外资",
    "外资": "利用外资",
    "外国政府贷款": "利用外资",
    "企业自筹": "自筹资金",
    "自筹": "自筹资金",
    "招商引资": "自筹资金",
    "民间资本": "自筹资金",
    "其他": "其他资金",
    "国家预算资金": "国家预算资金",
    "銀行貸款": "国内贷款",
}


def test_single_sources_map_to_their_channel():
    got = to_channel(pd.Series(list(SINGLE)))
    assert got.tolist() == list(SINGLE.values())
    assert set(got) <= set(FUNDING_CHANNELS)


def test_unknown_and_missing_stay_missing():
    got = to_channel(pd.Series(["不详", "", None, "待定"]))
    assert got.isna().all()


def test_several_sources_without_amounts_are_multichannel():
    f = funding_columns(
        pd.Series(["企业自筹+银行贷款", "中央预算内投资、地方配套及企业自筹", "省级财政、区级财政"])
    )
    assert f["funding_channel"].tolist() == ["多渠道", "多渠道", "国家预算资金"]
    assert f["funding_detail"].tolist() == [
        "企业自筹、银行贷款",
        "中央预算内投资、地方配套、企业自筹",
        "省级财政、区级财政",
    ]


def test_amounts_in_the_text_pick_the_largest_channel():
    # 500 < 1000 万元; 0.1亿元 = 1000 万元 > 800 万元
    f = funding_columns(
        pd.Series(["中央预算内投资500万元，企业自筹1000万元", "银行贷款0.1亿元、企业自筹800万元"])
    )
    assert f["funding_channel"].tolist() == ["自筹资金", "国内贷款"]
    assert f["funding_detail"].tolist() == ["中央预算内投资、企业自筹", "银行贷款、企业自筹"]


def test_index_is_kept_and_input_untouched():
    s = pd.Series(["农发行贷款", "外资"], index=[10, 3])
    before = s.copy()
    got = to_channel(s)
    assert got.index.tolist() == [10, 3]
    pd.testing.assert_series_equal(s, before)


def test_user_rules_win_and_bad_channels_are_refused():
    rules = pd.DataFrame({"keyword": ["以工代赈", "自筹"], "channel": ["国家预算资金", "其他资金"]})
    assert to_channel(pd.Series(["以工代赈", "企业自筹"]), rules).tolist() == [
        "国家预算资金",
        "其他资金",
    ]
    with pytest.raises(ValueError, match="unknown channel \\['财政资金'\\]"):
        to_channel(pd.Series(["x"]), pd.DataFrame({"keyword": ["x"], "channel": ["财政资金"]}))


def test_missing_words_are_missing_not_unknown():
    from qzanalysis.channels import funding_columns

    f = funding_columns(pd.Series(["无", "—", "/", "企业自筹"]))
    assert f["funding_channel"].isna().tolist() == [True, True, True, False]
    assert f["funding_detail"].isna().tolist() == [True, True, True, False]
    findings = classification_findings(pd.DataFrame({"project_name": ["甲"], "funding_source": ["无"],
                                                     "industry": ["制造业"], "stage": ["续建"]}))
    assert "unknown_channel" not in findings["rule"].tolist()
