import pandas as pd
import pytest

from qzanalysis.text import normalize_header, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the founding article's own artefacts
        ("秦州區(qū)優(yōu)化環(huán)境抓項(xiàng)目", "秦州区优化环境抓项目"),
        ("瑞德電器1500臺/套高低壓啟動設備生產項(xiàng)目", "瑞德电器1500台/套高低压启动设备生产项目"),
        ("项 目 名 称", "项目名称"),
        ("　皂郊水厂 改扩建　", "皂郊水厂改扩建"),
        ("ＳＳＯＰ集成电路", "SSOP集成电路"),
        ("LED  lighting 项目", "LED lighting项目"),
        # Chinese in parentheses is content, not a pinyin artefact
        ("天水郡(一期)项目", "天水郡(一期)项目"),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(pd.Series([raw])).iloc[0] == expected


def test_normalize_text_keeps_missing_and_index():
    s = pd.Series([None, "", "  ", "項目"], index=[10, 11, 12, 13])
    before = s.copy()
    out = normalize_text(s)
    assert list(out.index) == [10, 11, 12, 13]
    assert out.isna().tolist() == [True, True, True, False]
    assert out[13] == "项目"
    pd.testing.assert_series_equal(s, before)  # input untouched


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("項(xiàng)目名稱", "项目名称"),
        ("总投资（亿元）", "总投资(亿元)"),
        ("项目\n名称", "项目名称"),
        ("1-6月\n完成投资", "1-6月完成投资"),
        ("建设单位：", "建设单位"),
    ],
)
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("秦州区藉口镇中心小学", "秦州区藉口镇中心小学"),  # simplified text is left alone
        ("秦州區藉口鎮中心小學", "秦州区藉口镇中心小学"),  # traditional: converted, place name kept
        ("乾隆文化園", "乾隆文化园"),  # phrase-level conversion, not 干隆
    ],
)
def test_place_names_survive_simplification(raw, expected):
    assert normalize_text(pd.Series([raw])).iloc[0] == expected


def test_factorizing_names_leaves_no_copy_on_the_callers_strings():
    """pandas' string hash table makes CPython attach a UTF-8 copy to every non-ASCII string
    it hashes (~17 bytes more here, for the life of the caller's frame); factorize_strings
    gives the same codes and leaves the strings as they were."""
    import sys

    import numpy as np
    import pandas as pd

    from qzanalysis.text import factorize_strings

    names = np.array(["".join(["皂郊水厂改扩建", str(i % 7)]) for i in range(20)] + [None],
                     dtype=object)
    before = [sys.getsizeof(x) for x in names[:-1]]
    codes, uniques = factorize_strings(names)
    assert [sys.getsizeof(x) for x in names[:-1]] == before
    want_codes, want_uniques = pd.factorize(names)
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == want_uniques.tolist()
    pd.factorize(names[:-1])  # strings only: pandas hashes their UTF-8 bytes
    assert [sys.getsizeof(x) for x in names[:-1]] != before
