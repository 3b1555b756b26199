"""Cell values → numbers and dates, column-wise.

Money arrives as numbers, as text with thousands separators or full-width digits,
with a unit inside the cell (``1.2亿元``, ``3000万元``), or as a dash meaning "none
given". Everything comes out as float 万元; a missing value stays NaN, never 0.
Dates arrive as Excel dates, as ``2007年3月``, ``2007.03``, ``2009-05-01`` and as
ranges (``2006-2008``, ``09.10-11.3``); they come out as month-precision datetimes.

Every function works on whole columns: the per-cell work that cannot be vectorised
(Unicode normalisation) runs once per distinct text, not once per cell.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import numpy as np
import pandas as pd

from qzanalysis.text import MISSING_RE

__all__ = [
    "UNIT_FACTORS",
    "unit_factor",
    "parse_money",
    "parse_dates",
    "printed_decimals",
    "is_blank",
    "cell_kinds",
    "MISSING_RE",
    "MAX_AMOUNT",
    "EXCEL_ERRORS",
    "ExcelError",
    "excel_errors",
]

#: Multiply an amount in this unit by the factor to get 万元.
UNIT_FACTORS: dict[str, float] = {
    "亿元": 10000.0,
    "亿": 10000.0,
    "千万元": 1000.0,
    "百万元": 100.0,
    "万元": 1.0,
    "万": 1.0,
    "千元": 0.1,
    "元": 0.0001,
}
_UNIT_ALT = "|".join(sorted(UNIT_FACTORS, key=len, reverse=True))

#: Largest amount, in 万元, a cell may hold: 1e10 万元 = 100万亿元, of the order of
#: China's whole annual GDP (about 130万亿元). The largest single projects (Three
#: Gorges, South-North Water Transfer) cost a few 千亿元 (1e7 万元), a province invests
#: some 万亿元 a year; a district ledger never comes within a factor of 1000 of this
#: bound, so a figure above it is a typo, a wrong unit or a broken export, never a
#: project, and past about 1e28 the report's decimal arithmetic would fail. Such a
#: cell is missing and flagged, like text that is no number. (The bound is not lower,
#: 1e9, because columns in 亿元 holding up to 1e6 亿元 are read as numbers in tests.)
MAX_AMOUNT = 1e10

#: The error values a spreadsheet shows in a cell whose formula failed.
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#PYTHON!", "#N/A!", "ERR:502", "ERR:504", "ERR:522", "ERR:523", "ERR:532",
})


class ExcelError(str):
    """An error value (``#DIV/0!``, ``#REF!`` …) read from a workbook cell.

    Calamine hands error cells over as ``""``, indistinguishable from blanks; the
    reader puts this marker in the grid instead, so the cell is neither text nor a
    number (:func:`cell_kinds` says 4, other), its value is missing and it is reported
    with the error it shows.

    >>> e = ExcelError("#DIV/0!"); (e, type(e).__name__, cell_kinds(pd.Series([e])).tolist())
    ('#DIV/0!', 'ExcelError', [4])
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__repr__(self)


# A number as written in a cell (after NFKC): digits with an optional decimal point,
# thousands separators only in whole groups of three (1,200 and 1,200,000.5; not 1,2
# or 12,00, which are decimal commas or typos), an optional unit and 约 / 左右 around.
_DIGITS = r"(?:[0-9]{1,3}(?:[,'’_][0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_NUMBER_RE = re.compile(
    rf"^(?:约|大约|计)?\s*(?P<num>[+-]?\s*{_DIGITS})\s*(?P<unit>{_UNIT_ALT})?"
    r"\s*(?:左右)?$"
)
_GROUP_SEP_RE = re.compile(r"[,'’_\s]")
_CURRENCY_RE = re.compile(r"[¥￥]")
#: Accounting notation: a bare amount in brackets is negative ((200), （80）, (1,200万)).
_PAREN_NEG_RE = re.compile(rf"^\(\s*(?P<body>{_DIGITS}\s*(?:{_UNIT_ALT})?)\s*\)$")
_ASCII_DIGIT_RE = re.compile(r"[0-9]")
_WRITTEN_DIGIT_RE = re.compile(r"[0-9\uff10-\uff19]")


def unit_factor(unit: str | None) -> float:
    """Factor from ``unit`` (亿元, 万元, 元 …) to 万元; None → 1 (万元).

    >>> unit_factor("亿元"), unit_factor("元"), unit_factor(None)
    (10000.0, 0.0001, 1.0)
    """
    if unit is None:
        return 1.0
    try:
        return UNIT_FACTORS[unit]
    except KeyError:
        raise ValueError(f"unit must be one of {sorted(UNIT_FACTORS)}, got {unit!r}") from None


def _nfkc_unique(values: pd.Series) -> pd.Series:
    """NFKC of a text column, once per distinct value."""
    uniques = pd.unique(values)
    mapping = {u: unicodedata.normalize("NFKC", u) for u in uniques}
    return values.map(mapping)


def _nfkc_digits_unique(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """NFKC of a text column and, per cell, whether NFKC made digits out of other signs.

    Full-width digits (１２３) are digits as typed; superscripts (²), circled numbers
    (①), fractions (½) and mathematical digits (𝟏) are not, and NFKC would quietly
    turn them into ASCII digits ("²" → 2). Computed once per distinct value.
    """
    uniques = pd.unique(values)
    mapping = {}
    odd = {}
    for u in uniques:
        n = unicodedata.normalize("NFKC", u)
        mapping[u] = n
        odd[u] = n != u and (len(_ASCII_DIGIT_RE.findall(n))
                             != len(_WRITTEN_DIGIT_RE.findall(u)))
    return values.map(mapping), values.map(odd).to_numpy(dtype=bool)


def _excel_error_mask(values: np.ndarray) -> np.ndarray:
    """True where a cell holds an :class:`ExcelError` marker."""
    if values.size == 0:
        return np.zeros(values.shape, dtype=bool)
    return (_type_of(values) == ExcelError).astype(bool)


def excel_errors(values, kinds: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask, any shape: the cell holds an Excel error value (:class:`ExcelError`).

    With ``kinds`` (from :func:`cell_kinds`) only the cells of kind 4 (other) are looked
    at, so a whole grid costs next to nothing when it has no error cell.

    >>> g = np.array([["总投资", ExcelError("#REF!")], [1.0, ""]], dtype=object)
    >>> excel_errors(g).tolist(), excel_errors(g, cell_kinds(g)).tolist()
    ([[False, True], [False, False]], [[False, True], [False, False]])
    """
    a = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else \
        np.asarray(values, dtype=object)
    if kinds is None:
        return _excel_error_mask(a.ravel()).reshape(a.shape)
    out = np.zeros(a.shape, dtype=bool)
    other = kinds == OTHER
    if other.any():
        out[other] = _excel_error_mask(a[other])
    return out


# cell kinds, by Python type
NUM, TEXT, DATE, OTHER = 1, 2, 3, 4
_type_of = np.frompyfunc(type, 1, 1)
_KIND_KEYS = [float, int, str, _dt.datetime, _dt.date, pd.Timestamp, type(None), np.float64,
              np.int64]
# index -1 (a type not listed: bool, time …) picks the last entry, OTHER
_KIND_CODES = np.array([NUM, NUM, TEXT, DATE, DATE, DATE, 0, NUM, NUM, OTHER], dtype=np.int8)
_KIND_INDEX = pd.Index(_KIND_KEYS)
_isspace = np.frompyfunc(str.isspace, 1, 1)  # False for "", so test == "" as well


def cell_kinds(values) -> np.ndarray:
    """Small-int kind of every cell: 0 none/empty, 1 number, 2 text, 3 date, 4 other (bool, time).

    Works on a Series or a numpy object array of any shape, in one pass over the cells.
    Empty and whitespace-only text counts as none.

    >>> cell_kinds(pd.Series(["", " ", "x", 1, 2.5, None, True])).tolist()
    [0, 0, 2, 1, 1, 0, 4]
    """
    a = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else \
        np.asarray(values, dtype=object)
    if a.size == 0:
        return np.zeros(a.shape, dtype=np.int8)
    flat = a.ravel()
    t = _type_of(flat)
    # one hash lookup per cell: type -> kind
    code = _KIND_INDEX.get_indexer(t)
    out = _KIND_CODES[code]
    # only float cells can be NaN (codes 0 and 7 are float and np.float64)
    floats = np.flatnonzero((code == 0) | (code == 7))
    if len(floats):
        out[floats[pd.isna(flat[floats])]] = 0
    texts = np.flatnonzero(out == TEXT)
    if len(texts):
        strs = flat[texts]
        out[texts[(strs == "") | _isspace(strs).astype(bool)]] = 0
    return out.reshape(a.shape)


def is_blank(values) -> np.ndarray:
    """Boolean mask: cell is missing, empty or whitespace-only text.

    >>> is_blank(pd.Series(["", "  ", None, 0, "x"], dtype=object)).tolist()
    [True, True, True, False, False]
    """
    return cell_kinds(values) == 0


# why a money cell was flagged: codes into _REASONS
_REASONS = np.array([None, "unparsed", "excel_error", "non_finite", "implausible"], dtype=object)
_UNPARSED, _EXCEL_ERROR, _NON_FINITE, _IMPLAUSIBLE = 1, 2, 3, 4


def parse_money(values: pd.Series, factor: float = 1.0, kinds: np.ndarray | None = None,
                *, detail: bool = False):
    """Parse a money column to float 万元.

    Parameters
    ----------
    values : Series
        Raw cells (numbers, text, dates, None).
    factor : float
        Unit factor of the column (see :func:`unit_factor`); a unit written inside a
        cell (``1.2亿元``) overrides it for that cell.
    detail : bool, default False
        Also return why each flagged cell was flagged (see below).

    Returns
    -------
    amount : Series of float64
        NaN where the cell is blank, a dash, 无 … or not a number.
    unparsed : Series of bool
        True where the cell holds something that is not a number (``待定``, a date),
        or not a plausible one: the caller reports those. Never a silently different
        number: ``1200 300`` (two numbers), ``1,2`` and ``1 000,50`` (decimal commas or
        broken thousands groups), ``²`` (a superscript), ``inf`` / ``1e309`` (not
        finite), an amount above :data:`MAX_AMOUNT` 万元, an Excel error value.
    reason : Series of object, only with ``detail=True``
        None where ``unparsed`` is False, else ``"unparsed"`` (not a number),
        ``"excel_error"`` (an Excel error value, a cell :class:`ExcelError` or the text
        ``#DIV/0!`` …), ``"non_finite"`` (``inf``, ``1e309``) or ``"implausible"`` (a
        finite amount above :data:`MAX_AMOUNT` 万元 after the unit).

    Examples
    --------
    >>> raw = pd.Series([1500, "1,500", "１５００", "1.2亿元", "3000万元", "—", "待定", None])
    >>> amount, bad = parse_money(raw)
    >>> amount.tolist()
    [1500.0, 1500.0, 1500.0, 12000.0, 3000.0, nan, nan, nan]
    >>> bad.tolist()
    [False, False, False, False, False, False, True, False]
    >>> parse_money(pd.Series(["约0.5亿", "5000（一期）", "伍仟万元"]))   # a remark is no number
    (0    5000.0
    1       NaN
    2       NaN
    dtype: float64, 0    False
    1     True
    2     True
    dtype: bool)
    >>> parse_money(pd.Series(["(200)", "（1,200万元）", "(一期)"]))[0].tolist()  # accounting negatives
    [-200.0, -1200.0, nan]
    >>> parse_money(pd.Series([2.5, "3"]), factor=10000.0)[0].tolist()
    [25000.0, 30000.0]
    >>> a, bad, why = parse_money(pd.Series(["1,2", "inf", "2e10", "#REF!", "1,200"]), detail=True)
    >>> a.tolist(), why.tolist()
    ([nan, nan, nan, nan, 1200.0], ['unparsed', 'non_finite', 'implausible', 'excel_error', None])
    """
    s = pd.Series(values, copy=False)
    n = len(s)
    out = np.full(n, np.nan)
    reason = np.zeros(n, dtype=np.int8)  # index into _REASONS; 0: read fine
    if n == 0:
        pass
    elif s.dtype.kind in "fiu":
        out = s.to_numpy(dtype="float64") * factor
    else:
        kinds = cell_kinds(s) if kinds is None else kinds
        num = kinds == NUM
        if num.any():
            out[num] = s.to_numpy(dtype=object)[num].astype("float64") * factor
        text = kinds == TEXT
        if text.any():
            _parse_money_text(s[text], np.flatnonzero(text), factor, out, reason)
        other = (kinds == DATE) | (kinds == OTHER)
        if other.any():  # booleans, dates, times, Excel errors in a money column
            oidx = np.flatnonzero(other)
            err = _excel_error_mask(s.to_numpy(dtype=object)[oidx])
            reason[oidx] = np.where(err, _EXCEL_ERROR, _UNPARSED)
    # not finite or beyond any real project: missing and flagged, never a number
    with np.errstate(invalid="ignore"):
        huge = np.abs(out) > MAX_AMOUNT  # NaN compares False; inf is caught
    if huge.any():
        reason[huge] = np.where(np.isfinite(out[huge]), _IMPLAUSIBLE, _NON_FINITE)
        out[huge] = np.nan
    amount, flagged = pd.Series(out, index=s.index), pd.Series(reason != 0, index=s.index)
    if detail:
        return amount, flagged, pd.Series(_REASONS[reason], index=s.index, dtype=object)
    return amount, flagged


def _parse_money_text(t: pd.Series, idx: np.ndarray, factor: float, out: np.ndarray,
                      reason: np.ndarray) -> None:
    """Fill ``out`` and ``reason`` at ``idx`` from the text cells ``t``."""
    # the common case: plain numbers as text ("1500", " 12.5 "); "inf", "1e309" come
    # out as inf here and are flagged with the other non-finite amounts
    quick = pd.to_numeric(t, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(quick)
    out[idx[ok]] = quick[ok] * factor
    rest = ~ok
    if not rest.any():
        return
    r, odd = _nfkc_digits_unique(t[rest])
    r = r.str.strip()
    missing = r.str.match(MISSING_RE).to_numpy(dtype=bool)
    error = r.str.upper().isin(EXCEL_ERRORS).to_numpy(dtype=bool)
    cleaned = r.str.replace(_CURRENCY_RE, "", regex=True).str.replace(
        _PAREN_NEG_RE, r"-\g<body>", regex=True)
    parts = cleaned.str.extract(_NUMBER_RE)
    digits = parts["num"].str.replace(_GROUP_SEP_RE, "", regex=True)
    number = pd.to_numeric(digits, errors="coerce").to_numpy(dtype="float64", na_value=np.nan,
                                                             copy=True)
    number[odd] = np.nan  # "²" is no 2
    cell_factor = parts["unit"].map(UNIT_FACTORS).to_numpy(dtype="float64", na_value=np.nan)
    cell_factor = np.where(np.isnan(cell_factor), factor, cell_factor)
    ridx = idx[rest]
    out[ridx] = number * cell_factor
    flagged = np.isnan(number) & ~missing
    reason[ridx[flagged]] = np.where(error[flagged], _EXCEL_ERROR, _UNPARSED)


def printed_decimals(value) -> int:
    """Decimals a declared number was written with (for rounding tolerance).

    >>> printed_decimals(98583.0), printed_decimals(1.25), printed_decimals("1,234.5亿元")
    (0, 2, 1)
    """
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, np.integer)):
        return 0
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return 0
        text = repr(float(value))
        if "e" in text or "E" in text:
            return 0
    else:
        text = unicodedata.normalize("NFKC", str(value))
    m = re.search(r"\d(?:[\d,]*)\.(\d+)", text)
    if not m:
        return 0
    digits = m.group(1).rstrip("0") if isinstance(value, (float, np.floating)) else m.group(1)
    return min(len(digits), 6)


# --- dates ----------------------------------------------------------------------------

_YEAR = r"(?:19|20)?\d{2}"
_MONTH = r"(?:1[0-2]|0?[1-9])(?!\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)"


def _date_part(p: str) -> str:
    return (
        rf"(?P<{p}y>{_YEAR})(?!\d)(?:\s*(?:年|[./\-])\s*(?P<{p}m>{_MONTH})(?:\s*月)?"
        rf"(?:\s*(?:[./\-]\s*)?{_DAY}\s*日?)?)?\s*年?"
    )


_RANGE_RE = re.compile("^" + _date_part("a") + r"(?:\s*-\s*" + _date_part("b") + ")?$")
_DATE_SPLIT_RE = re.compile(r"\s*(?:~|至|到|—|–|－)\s*")


def _year(y: pd.Series) -> pd.Series:
    v = pd.to_numeric(y, errors="coerce")
    return v.where(v >= 100, np.where(v <= 50, 2000 + v, 1900 + v))


def _text_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year_a, month_a, year_b, month_b) from date text; NaN where absent."""
    t = _nfkc_unique(text).str.strip()
    t = t.str.replace(_DATE_SPLIT_RE, "-", regex=True)
    # "2009-05-01" style: year-month-day with hyphens would be read as a range; fix first
    full = t.str.extract(
        rf"^(?P<y>(?:19|20)\d{{2}})[-./年](?P<m>{_MONTH})(?:[-./月](?P<d>{_DAY})日?|月)?$"
    )
    parts = t.str.extract(_RANGE_RE)
    ya = _year(parts["ay"]).to_numpy(dtype="float64", na_value=np.nan)
    ma = pd.to_numeric(parts["am"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    yb = _year(parts["by"]).to_numpy(dtype="float64", na_value=np.nan)
    mb = pd.to_numeric(parts["bm"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    fy = pd.to_numeric(full["y"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    fm = pd.to_numeric(full["m"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    single = ~np.isnan(fy)
    ya = np.where(single, fy, ya)
    ma = np.where(single, fm, ma)
    yb = np.where(single, np.nan, yb)
    mb = np.where(single, np.nan, mb)
    return ya, ma, yb, mb


def _numeric_dates(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers in a date column: 2007 (a year), 2007.03 (year.month), Excel serials.

    Returns (year, month, ambiguous). A number whose month reads as 10 (2024.1) is
    ambiguous: typed 2024.1 it means January, typed 2024.10 it means October, and
    Excel stores both as the same number. It is given no year or month (missing)
    and flagged, rather than guessed: a wrong month moves a project in or out of a
    period ("1-8月") with nothing to show for it. Text "2024.1" stays January.
    """
    y = np.full(len(x), np.nan)
    m = np.full(len(x), np.nan)
    as_year = (x >= 1900) & (x <= 2100)
    yr = np.floor(x)
    frac = np.round((x - yr) * 100)
    ambiguous = as_year & (frac == 10)
    frac = np.where(frac > 12, np.round((x - yr) * 10), frac)
    y[as_year] = yr[as_year]
    m[as_year] = np.where(frac[as_year] == 0, np.nan, frac[as_year])
    y[ambiguous] = np.nan
    m[ambiguous] = np.nan
    serial = (x >= 20000) & (x <= 80000)
    if serial.any():
        d = pd.to_datetime(x[serial] - 25569, unit="D")
        y[serial] = d.year
        m[serial] = d.month
    return y, m, ambiguous


def parse_dates(values: pd.Series, kinds: np.ndarray | None = None, *,
                detail: bool = False):
    """Parse a date column: start, end (datetime64, first of the month) and a bad mask.

    A single date is the start and the end; a range gives both. A year without a
    month is January when it starts something and December when it ends it.
    ``kinds`` (from :func:`cell_kinds`) saves computing them again. A number such as
    2024.1 is ambiguous (January, or 2024.10 = October, stored as the same number):
    missing and flagged. With ``detail=True`` a fourth Series says why each flagged
    cell was flagged: ``"unparsed"``, ``"ambiguous_date"`` or ``"excel_error"`` (None
    where not flagged).

    >>> s, e, bad = parse_dates(pd.Series(["2007年3月", "2006-2008", "09.10-11.3",
    ...                                    "2009-05-01", "2007.03", "待定", ""]))
    >>> s.dt.strftime("%Y-%m").tolist()
    ['2007-03', '2006-01', '2009-10', '2009-05', '2007-03', nan, nan]
    >>> e.dt.strftime("%Y-%m").tolist()
    ['2007-03', '2008-12', '2011-03', '2009-05', '2007-03', nan, nan]
    >>> bad.tolist()
    [False, False, False, False, False, True, False]
    >>> s, e, bad, why = parse_dates(pd.Series([2024.1, "2024.1", 2024.11, 2024.2]), detail=True)
    >>> s.dt.strftime("%Y-%m").tolist(), why.tolist()
    ([nan, '2024-01', '2024-11', '2024-02'], ['ambiguous_date', None, None, None])
    """
    s = pd.Series(values, copy=False)
    n = len(s)
    ambiguous = np.zeros(n, bool)
    ya = np.full(n, np.nan)
    ma = np.full(n, np.nan)
    yb = np.full(n, np.nan)
    mb = np.full(n, np.nan)
    if n:
        kinds = cell_kinds(s) if kinds is None else kinds
        dt = kinds == DATE
        if dt.any():
            d = pd.Series(pd.to_datetime(s[dt].astype(object), errors="coerce"))
            ya[dt] = d.dt.year.to_numpy(dtype="float64", na_value=np.nan)
            ma[dt] = d.dt.month.to_numpy(dtype="float64", na_value=np.nan)
        num = kinds == NUM
        if num.any():
            y, m, amb = _numeric_dates(s.to_numpy(dtype=object)[num].astype("float64"))
            ya[num], ma[num], ambiguous[num] = y, m, amb
        text = kinds == TEXT
        if text.any():
            # dates repeat: parse each distinct text once
            codes, uniques = pd.factorize(s.to_numpy(dtype=object)[text])
            u = pd.Series(uniques, dtype=object)
            dash = _nfkc_unique(u).str.strip().str.match(MISSING_RE).to_numpy(dtype=bool)
            a, b, c, d = _text_dates(u)
            a = np.where(dash, np.nan, a)
            idx = np.flatnonzero(text)
            ya[idx], ma[idx], yb[idx], mb[idx] = a[codes], b[codes], c[codes], d[codes]
            dash_cells = np.zeros(n, bool)
            dash_cells[idx] = dash[codes]
        else:
            dash_cells = np.zeros(n, bool)
    present = (kinds != 0) & ~dash_cells if n else np.zeros(0, bool)
    ma = np.where((ma < 1) | (ma > 12), np.nan, ma)
    mb = np.where((mb < 1) | (mb > 12), np.nan, mb)
    has_b = ~np.isnan(yb)
    # start: year a, month a (January when absent)
    start = _compose(ya, np.where(np.isnan(ma), 1, ma))
    # end: range end when given, else the single date (December when only a year)
    end_y = np.where(has_b, yb, ya)
    end_m = np.where(has_b, mb, ma)
    end = _compose(end_y, np.where(np.isnan(end_m), 12, end_m))
    bad = present & np.isnan(ya)
    out = (pd.Series(start, index=s.index), pd.Series(end, index=s.index),
           pd.Series(bad, index=s.index))
    if not detail:
        return out
    reason = np.where(bad, "unparsed", None).astype(object)
    reason[bad & ambiguous] = "ambiguous_date"
    if n:
        cells = s.to_numpy(dtype=object)
        oidx = np.flatnonzero(bad & (kinds == OTHER))
        if len(oidx):
            reason[oidx[_excel_error_mask(cells[oidx])]] = "excel_error"
        tidx = np.flatnonzero(bad & (kinds == TEXT))
        if len(tidx):  # "#REF!" as text, from a CSV saved by Excel
            err = pd.Series(cells[tidx], dtype=object).str.strip().str.upper().isin(EXCEL_ERRORS)
            reason[tidx[err.to_numpy(dtype=bool)]] = "excel_error"
    return (*out, pd.Series(reason, index=s.index, dtype=object))


def _compose(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(y) & ~np.isnan(m) & (y >= 1900) & (y <= 2100)
    out = np.full(len(y), np.datetime64("NaT"), dtype="datetime64[M]")
    if ok.any():
        months = (y[ok].astype(np.int64) - 1970) * 12 + (m[ok].astype(np.int64) - 1)
        out[ok] = months.astype("datetime64[M]")
    return out.astype("datetime64[s]")
