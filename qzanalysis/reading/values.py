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


_NUMBER_RE = re.compile(
    rf"^(?:约|大约|计)?\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>{_UNIT_ALT})?"
    r"\s*(?:左右)?$"
)
_NOISE_RE = re.compile(r"[\s,，'’_¥￥]")
#: Accounting notation: a bare amount in brackets is negative ((200), （80）, (1,200万)).
_PAREN_NEG_RE = re.compile(rf"^\((?P<body>(?:\d+(?:\.\d*)?|\.\d+)(?:{_UNIT_ALT})?)\)$")


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


def parse_money(values: pd.Series, factor: float = 1.0, kinds: np.ndarray | None = None,
                ) -> tuple[pd.Series, pd.Series]:
    """Parse a money column to float 万元.

    Parameters
    ----------
    values : Series
        Raw cells (numbers, text, dates, None).
    factor : float
        Unit factor of the column (see :func:`unit_factor`); a unit written inside a
        cell (``1.2亿元``) overrides it for that cell.

    Returns
    -------
    amount : Series of float64
        NaN where the cell is blank, a dash, 无 … or not a number.
    unparsed : Series of bool
        True where the cell holds something that is not a number (``待定``, a date):
        the caller reports those.

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
    """
    s = pd.Series(values, copy=False)
    n = len(s)
    out = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    if n == 0:
        return pd.Series(out, index=s.index), pd.Series(bad, index=s.index)
    if s.dtype.kind in "fiu":
        return (s.astype("float64") * factor), pd.Series(bad, index=s.index)
    kinds = cell_kinds(s) if kinds is None else kinds
    num = kinds == NUM
    if num.any():
        out[num] = s.to_numpy(dtype=object)[num].astype("float64") * factor
    text = kinds == TEXT
    if text.any():
        t = s[text]
        # the common case: plain numbers as text ("1500", " 12.5 ")
        quick = pd.to_numeric(t, errors="coerce")
        ok = quick.notna().to_numpy()
        idx = np.flatnonzero(text)
        out[idx[ok]] = quick.to_numpy()[ok] * factor
        rest = ~ok
        if rest.any():
            r = _nfkc_unique(t[rest]).str.strip()
            missing = r.str.match(MISSING_RE).to_numpy(dtype=bool)
            cleaned = r.str.replace(_NOISE_RE, "", regex=True).str.replace(
                _PAREN_NEG_RE, r"-\g<body>", regex=True)
            parts = cleaned.str.extract(_NUMBER_RE)
            number = pd.to_numeric(parts["num"], errors="coerce").to_numpy()
            cell_factor = parts["unit"].map(UNIT_FACTORS).to_numpy(dtype="float64",
                                                                   na_value=np.nan)
            cell_factor = np.where(np.isnan(cell_factor), factor, cell_factor)
            ridx = idx[rest]
            out[ridx] = number * cell_factor
            bad[ridx] = np.isnan(number) & ~missing
    other = (kinds == DATE) | (kinds == OTHER)
    bad |= other  # booleans, dates, times in a money column
    return pd.Series(out, index=s.index), pd.Series(bad, index=s.index)


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


def _numeric_dates(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers in a date column: 2007 (a year), 2007.03 (year.month), Excel serials."""
    y = np.full(len(x), np.nan)
    m = np.full(len(x), np.nan)
    as_year = (x >= 1900) & (x <= 2100)
    yr = np.floor(x)
    frac = np.round((x - yr) * 100)
    frac = np.where(frac > 12, np.round((x - yr) * 10), frac)
    y[as_year] = yr[as_year]
    m[as_year] = np.where(frac[as_year] == 0, np.nan, frac[as_year])
    serial = (x >= 20000) & (x <= 80000)
    if serial.any():
        d = pd.to_datetime(x[serial] - 25569, unit="D")
        y[serial] = d.year
        m[serial] = d.month
    return y, m


def parse_dates(values: pd.Series, kinds: np.ndarray | None = None,
                ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a date column: start, end (datetime64, first of the month) and a bad mask.

    A single date is the start and the end; a range gives both. A year without a
    month is January when it starts something and December when it ends it.
    ``kinds`` (from :func:`cell_kinds`) saves computing them again.

    >>> s, e, bad = parse_dates(pd.Series(["2007年3月", "2006-2008", "09.10-11.3",
    ...                                    "2009-05-01", "2007.03", "待定", ""]))
    >>> s.dt.strftime("%Y-%m").tolist()
    ['2007-03', '2006-01', '2009-10', '2009-05', '2007-03', nan, nan]
    >>> e.dt.strftime("%Y-%m").tolist()
    ['2007-03', '2008-12', '2011-03', '2009-05', '2007-03', nan, nan]
    >>> bad.tolist()
    [False, False, False, False, False, True, False]
    """
    s = pd.Series(values, copy=False)
    n = len(s)
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
            y, m = _numeric_dates(s.to_numpy(dtype=object)[num].astype("float64"))
            ya[num], ma[num] = y, m
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
    return (pd.Series(start, index=s.index), pd.Series(end, index=s.index),
            pd.Series(bad, index=s.index))


def _compose(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(y) & ~np.isnan(m) & (y >= 1900) & (y <= 2100)
    out = np.full(len(y), np.datetime64("NaT"), dtype="datetime64[M]")
    if ok.any():
        months = (y[ok].astype(np.int64) - 1970) * 12 + (m[ok].astype(np.int64) - 1)
        out[ok] = months.astype("datetime64[M]")
    return out.astype("datetime64[s]")
