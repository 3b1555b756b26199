"""Report periods: "1-6月", "上半年", "2008年1-3月", "qinzhou_2008-03" → months elapsed / a month.

Two questions are asked of a period label:

* :func:`months_elapsed` — how many months of the year are over at the end of the
  period (the 时序进度 numerator): ``"1-6月"`` → 6, ``"上半年"`` → 6, ``"1-8月"`` → 8,
  ``"全年"`` → 12, ``pd.Period("2008-08")`` → 8;
* :func:`period_from_text` — which year and month a file name, title or header names:
  ``"qinzhou_2008-03.xlsx"`` → (2008, 3), ``"2008年1-3月项目进展"`` → (2008, 3),
  ``"1-3月完成投资"`` → (None, 3).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import pandas as pd

__all__ = ["months_elapsed", "schedule", "period_from_text", "find_month", "find_year"]

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "〇": 0, "零": 0}
_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DASH = r"[-—–~～至到]"

# Whole-period words, tried in this order (longest first where they overlap).
_WORDS: tuple[tuple[str, int], ...] = (
    (r"前三季度|1\s*[-—–~～至到]\s*3\s*季度|一至三季度", 9),
    (r"前两季度|前二季度", 6),
    (r"上半年|前半年|年中", 6),
    (r"下半年|全年(?!\s*(?:计划|目标|任务|预计))|全年度", 12),
    (r"(?:第)?(?:一|1)\s*季度|Q1", 3),
    (r"(?:第)?(?:二|2)\s*季度|Q2", 6),
    (r"(?:第)?(?:三|3)\s*季度|Q3", 9),
    (r"(?:第)?(?:四|4)\s*季度|Q4", 12),
)
_RANGE_RE = re.compile(rf"(?<!\d){_NUM}\s*(?:月份?)?\s*{_DASH}\s*({_NUM})\s*月")
_MONTH_RE = re.compile(rf"(?<!\d)({_NUM})\s*月(?!\s*{_DASH})")
# Year followed by a month number in ISO-like form: 2008-03, 2008_3, 2008.03, 200803
_ISO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-_./]?\s*(1[0-2]|0[1-9]|[1-9])(?!\d)")
# A year that names the period: 2008年 (not 至2007年底 / 2007年末, the prior-year columns)
_YEAR_RE = re.compile(r"(?<![\d至])((?:19|20)\d{2})\s*年(?!\s*(?:底|末|以前|前))")


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def find_month(text: str) -> int | None:
    """The month at the end of the period a text names, or None.

    Tried in this order: a month range (``1-6月``, ``1至8月``, ``一至三月``), a
    year-month (``2008年3月``), a period word (上半年, 前三季度, 一季度, 全年 — but not
    全年计划, 年度, 年底: headers such as 年度计划投资 and 至上年底累计 name no period),
    a year-month in ISO form (``2008-03``, ``2008_3``), a single month (``6月``, ``6月底``).

    >>> [find_month(t) for t in ["1-6月", "2008年1-8月完成投资", "上半年", "qz_2008-03.xlsx",
    ...                          "截至6月底", "一至三月", "项目台账", "1-3季度"]]
    [6, 8, 6, 3, 6, 3, None, 9]
    """
    s = _clean(text)
    m = _RANGE_RE.search(s)
    if m:
        return _number(m.group(1))
    m = re.search(rf"((?:19|20)\d{{2}})\s*年\s*({_NUM})\s*月", s)
    if m:
        return _number(m.group(2))
    for pattern, months in _WORDS:
        if re.search(pattern, s):
            return months
    m = _ISO_RE.search(s)
    if m:
        return int(m.group(2))
    m = _MONTH_RE.search(s)
    if m:
        return _number(m.group(1))
    return None


def find_year(text: str) -> int | None:
    """The year a text names (``2008年``, ``2008-03``), or None.

    ``至2007年底`` (the column "cumulative to the end of last year") is not a period year.

    >>> [find_year(t) for t in ["2008年1-3月", "qinzhou_2008-03.xlsx", "至2007年底累计", "1-3月"]]
    [2008, 2008, None, None]
    """
    s = _clean(text)
    m = _YEAR_RE.search(s)
    if m:
        return int(m.group(1))
    m = _ISO_RE.search(s)
    if m:
        return int(m.group(1))
    return None


def period_from_text(text: str) -> tuple[int | None, int | None]:
    """(year, month) named by a file name, title or header; either may be None.

    >>> period_from_text("qinzhou_2008-03.xlsx"), period_from_text("2008年1-3月项目进展情况")
    ((2008, 3), (2008, 3))
    >>> period_from_text("1-3月完成投资（万元）"), period_from_text("秦州区招商引资项目")
    ((None, 3), (None, None))
    """
    return find_year(text), find_month(text)


def months_elapsed(period) -> int:
    """Months of the year over at the end of ``period`` (1–12).

    Parameters
    ----------
    period : str, int, pandas Period or Timestamp, datetime or date
        ``"1-6月"``, ``"上半年"``, ``"1-8月"``, ``"全年"``, ``"一季度"``, ``"2008-08"``,
        ``"2008年8月"``, ``8``, ``pd.Period("2008-08", "M")`` (a quarterly or yearly
        Period counts to its last month).

    Raises
    ------
    ValueError
        If no month can be read from ``period``.

    Examples
    --------
    >>> [months_elapsed(p) for p in ["1-6月", "上半年", "1-8月", "全年", "2008-08", 8]]
    [6, 6, 8, 12, 8, 8]
    >>> months_elapsed(pd.Period("2008Q3", freq="Q"))
    9
    """
    if isinstance(period, pd.Period):
        return period.asfreq("M", how="end").month
    if isinstance(period, (pd.Timestamp, _dt.date)):
        return period.month
    if isinstance(period, (int,)) and not isinstance(period, bool):
        if 1 <= period <= 12:
            return period
        raise ValueError(f"月份应在1–12之间 / month must be 1–12, got {period!r}")
    if isinstance(period, str):
        month = find_month(period)
        if month is not None and 1 <= month <= 12:
            return month
    raise ValueError(
        f"无法识别报告期“{period}”（应如 1-6月、上半年、全年、2008-08） / "
        f"cannot read a report period from {period!r} (expected e.g. '1-6月', '上半年', "
        f"'全年', '2008-08')"
    )


def schedule(period) -> float:
    """时序进度: the share of the year elapsed at the end of ``period``.

    >>> schedule("1-6月"), round(schedule("1-8月"), 4), schedule("全年")
    (0.5, 0.6667, 1.0)
    """
    return months_elapsed(period) / 12
