"""Money and date parsers (qzanalysis.reading.values)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qzanalysis.reading.values import parse_dates, parse_money, printed_decimals, unit_factor

FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def test_money_forms():
    raw = pd.Series([1500, 1500.5, "1,500", "１５００", " 2,000.25 ", "1.2亿元", "3000万元",
                     "5000000元", "约800", "600万"], dtype=object)
    amount, bad = parse_money(raw)
    assert amount.tolist() == [1500, 1500.5, 1500, 1500, 2000.25, 12000, 3000, 500, 800, 600]
    assert not bad.any()


def test_missing_markers_are_nan_not_zero_and_not_findings():
    raw = pd.Series(["", "   ", None, "—", "－", "-", "/", "无", "空", "——", np.nan],
                    dtype=object)
    amount, bad = parse_money(raw)
    assert amount.isna().all()
    assert not bad.any()


def test_text_that_is_not_a_number_is_missing_and_flagged():
    raw = pd.Series(["待定", "约", "1500（估算）", True, dt.date(2020, 1, 1), 0], dtype=object)
    amount, bad = parse_money(raw)
    assert amount.iloc[:5].isna().all() and amount.iloc[5] == 0.0
    assert bad.tolist() == [True, True, True, True, True, False]


def test_column_unit_and_cell_unit():
    raw = pd.Series([2.5, "3", "30000万元", "0.5亿元"], dtype=object)
    amount, _ = parse_money(raw, unit_factor("亿元"))
    assert amount.tolist() == [25000.0, 30000.0, 30000.0, 5000.0]
    amount, _ = parse_money(pd.Series([123456], dtype=object), unit_factor("元"))
    assert amount.iloc[0] == pytest.approx(12.3456)


def test_unit_factor_rejects_unknown_unit():
    with pytest.raises(ValueError, match="美元"):
        unit_factor("美元")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_money_round_trips_formatted_numbers(x):
    forms = [f"{x:,.2f}", f"{x:.2f}", f"{x:,.2f}".translate(FULLWIDTH), f"{x / 10000:.6f}亿元",
             f"{x:.2f}万元"]
    amount, bad = parse_money(pd.Series(forms, dtype=object))
    assert not bad.any()
    assert amount.tolist() == pytest.approx([x] * len(forms), abs=1e-6, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4)))
def test_billions_column_multiplies_by_ten_thousand(x):
    amount, _ = parse_money(pd.Series([x, f"{x}"], dtype=object), unit_factor("亿元"))
    assert amount.tolist() == pytest.approx([x * 10000] * 2)


def _ym(s):
    return [None if pd.isna(v) else v.strftime("%Y-%m") for v in s]


def test_date_forms():
    raw = pd.Series([dt.datetime(2009, 5, 1), dt.date(2008, 4, 2), "2007年3月", "2007.03",
                     "2009-05-01", "2009/5/1", 2007.03, "2008-06", "2009年12月", "", "—"],
                    dtype=object)
    start, end, bad = parse_dates(raw)
    want = ["2009-05", "2008-04", "2007-03", "2007-03", "2009-05", "2009-05", "2007-03",
            "2008-06", "2009-12", None, None]
    assert _ym(start) == want
    assert _ym(end) == want
    assert not bad.any()


def test_date_ranges():
    raw = pd.Series(["2006-2008", "09.10-11.3", "2009－2011", "2008.5-2009.6",
                     "2010年10月至2012年6月"], dtype=object)
    start, end, bad = parse_dates(raw)
    assert _ym(start) == ["2006-01", "2009-10", "2009-01", "2008-05", "2010-10"]
    assert _ym(end) == ["2008-12", "2011-03", "2011-12", "2009-06", "2012-06"]
    assert not bad.any()


def test_unparseable_date_is_missing_and_flagged():
    start, end, bad = parse_dates(pd.Series(["待定", "明年", "2009年"], dtype=object))
    assert _ym(start) == [None, None, "2009-01"]
    assert bad.tolist() == [True, True, False]


def test_printed_decimals():
    assert [printed_decimals(v) for v in (98583.0, 656.67, 0.004, "1,234.50", 7)] == \
        [0, 2, 3, 2, 0]
