"""Writing tables for people: Excel and CSV with no live formula from the data.

Text from a ledger can begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return; a spreadsheet program would run it as a formula (CSV/formula injection,
OWASP). Every exported text cell that starts so is prefixed with an apostrophe,
and the Excel writer is told not to turn strings into formulas or links.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["escape_formulas", "fit_for_excel", "to_csv", "to_excel", "CutCell", "CUT_MARKER",
           "EXCEL_CELL_LIMIT"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells never start like a formula.

    Numbers are left alone (a negative number is a number, not text). Categorical
    columns, the index, the column labels and the names of both axes are escaped too
    (a categorical column holding such text comes back as ``object``).

    >>> out = escape_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-x", None], "b": [-1, 2, 3, 4]}))
    >>> out["a"].tolist(), out["b"].tolist()
    (["'=1+1", 'ok', "'-x", nan], [-1, 2, 3, 4])
    """
    out = df.copy()
    for i in range(out.shape[1]):
        escaped = _escape_column(out.iloc[:, i])
        if escaped is not None:
            out.isetitem(i, escaped)
    # headers too: unmatched ledger headers are kept as column names
    out.index = _escape_labels(out.index)
    out.columns = _escape_labels(out.columns)
    return out


def _is_text_dtype(dtype) -> bool:
    return (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype))


def _escape_column(s: pd.Series) -> pd.Series | None:
    """The column with dangerous text prefixed, or None when nothing needs it."""
    if not _is_text_dtype(s.dtype):
        return None
    if isinstance(s.dtype, pd.CategoricalDtype):
        if not any(_is_dangerous(c) for c in s.cat.categories):
            return None
        s = s.astype(object)
    bad = _mask(s, _is_dangerous)
    if not bad.any():
        return None
    return _replace_where(s, bad, _escape_label)


def _mask(s: pd.Series, test) -> pd.Series:
    return pd.Series([test(v) for v in s.to_numpy(dtype=object)], index=s.index, dtype=bool)


def _replace_where(s: pd.Series, mask: pd.Series, change) -> pd.Series:
    # positional, not aligned on labels: an index may repeat a label
    values = [change(v) if m else v for v, m in zip(s.to_numpy(dtype=object), mask, strict=True)]
    return pd.Series(values, index=s.index, name=s.name, dtype=object)


def _is_dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(_DANGEROUS)


def _escape_label(value):
    return "'" + value if _is_dangerous(value) else value


def _escape_labels(index: pd.Index) -> pd.Index:
    names = [_escape_label(n) for n in index.names]
    if isinstance(index, pd.MultiIndex):
        index = index.set_levels([_escape_labels(level) for level in index.levels])
    elif isinstance(index.dtype, pd.CategoricalDtype):
        if any(_is_dangerous(c) for c in index.categories):
            index = pd.Index(index.astype(object).map(_escape_label), dtype=object)
    elif index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
        index = index.map(_escape_label)
    return index.set_names(names)


#: Excel's limit for one cell, in UTF-16 code units.
EXCEL_CELL_LIMIT = 32767
#: What ends a cell that was cut to fit ``EXCEL_CELL_LIMIT``.
CUT_MARKER = "…（内容过长，已截断）"


class CutCell(NamedTuple):
    """One cell :func:`fit_for_excel` cut: ``row`` is the Excel row (1 = header), ``column``
    the column header (the index name for an index cell), ``length`` the original length."""

    row: int
    column: str
    length: int


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _cut(text: str) -> str:
    room = EXCEL_CELL_LIMIT - _utf16_len(CUT_MARKER)
    units = text.encode("utf-16-le", "surrogatepass")[: 2 * room]
    if 0xD800 <= int.from_bytes(units[-2:], "little") <= 0xDBFF:
        units = units[:-2]  # half of a character outside the BMP
    return units.decode("utf-16-le", "surrogatepass") + CUT_MARKER


def _too_long(value) -> bool:
    # a string under half the limit cannot pass it in UTF-16 units: skip the slow count
    return (isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT // 2
            and _utf16_len(value) > EXCEL_CELL_LIMIT)


def fit_for_excel(df: pd.DataFrame, *, index: bool = False) -> tuple[pd.DataFrame, list[CutCell]]:
    """Cut text cells longer than Excel allows (32,767 characters), visibly.

    Returns a copy in which every such cell ends with ``CUT_MARKER``, and a list of
    the cells cut (Excel row, column header, original length) so the caller can say so.
    With ``index=True`` the index is written as the first column and checked too.

    >>> frame, cuts = fit_for_excel(pd.DataFrame({"名称": ["甲" * 40000, "乙"]}))
    >>> len(frame.loc[0, "名称"]), frame.loc[0, "名称"].endswith(CUT_MARKER), cuts
    (32767, True, [CutCell(row=2, column='名称', length=40000)])
    """
    out = df.copy()
    cuts: list[CutCell] = []
    for i, label in enumerate(out.columns):
        s = out.iloc[:, i]
        if not _is_text_dtype(s.dtype):
            continue
        long = _mask(s, _too_long)
        if long.any():
            where = np.flatnonzero(long.to_numpy())
            cuts += [CutCell(int(p) + 2, str(label), len(s.iloc[p])) for p in where]
            out.isetitem(i, _replace_where(s, long, _cut))
    if index and not isinstance(out.index, pd.MultiIndex):
        values = out.index.astype(object)
        long = values.map(_too_long)
        if long.any():
            name = str(out.index.name or "")
            cuts += [CutCell(int(p) + 2, name, len(values[p])) for p in np.flatnonzero(long)]
            out.index = pd.Index([_cut(v) if bad else v for v, bad in zip(values, long, strict=True)],
                                 name=out.index.name, dtype=object)
    if any(_too_long(c) for c in out.columns):
        cuts += [CutCell(1, str(c)[:40] + "…", len(c)) for c in out.columns if _too_long(c)]
        out.columns = [_cut(c) if _too_long(c) else c for c in out.columns]
    return out, cuts


def to_csv(df: pd.DataFrame, path: str | Path, **kwargs) -> Path:
    """Write ``df`` as UTF-8 CSV with a BOM (so Excel opens it in Chinese), formulas escaped."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    escape_formulas(df).to_csv(path, encoding=kwargs.pop("encoding", "utf-8-sig"), **kwargs)
    return path


def to_excel(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    formats: Mapping[str, str] | None = None,
    index: Mapping[str, bool] | None = None,
) -> Path:
    """Write several tables to one workbook, one sheet each, ready to hand on.

    Headers are frozen, columns sized to their contents, numbers formatted by column
    name (``formats`` maps a column name to an Excel number format), and no text
    cell can become a formula. Text longer than Excel allows is cut, ending with
    ``CUT_MARKER`` (:func:`fit_for_excel` says which cells would be). A failed write
    (a full disk) raises ``OSError`` naming ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formats = dict(formats or {})
    index = dict(index or {})
    options = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False}
    from xlsxwriter.exceptions import FileCreateError

    try:
        with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
            _write_sheets(writer, sheets, formats, index)
    except FileCreateError as exc:  # xlsxwriter's wrapper of an OSError (a full disk)
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        if cause is None:
            raise
        _close_abandoned_zips(exc)
        raise OSError(cause.errno, cause.strerror, str(path)) from exc
    return path


def _write_sheets(writer, sheets, formats, index) -> None:
    book = writer.book
    cache: dict[str, object] = {}

    def fmt(spec: str):
        if spec not in cache:
            cache[spec] = book.add_format({"num_format": spec})
        return cache[spec]

    for name, frame in sheets.items():
        keep_index = index.get(name, False)
        safe, _ = fit_for_excel(escape_formulas(frame), index=keep_index)
        safe.to_excel(writer, sheet_name=name, index=keep_index)
        sheet = writer.sheets[name]
        sheet.freeze_panes(1, 1 if keep_index else 0)
        columns = ([safe.index.name or ""] if keep_index else []) + [str(c) for c in safe.columns]
        values = ([safe.index.astype(str)] if keep_index else []) + [
            safe[c].astype("str") for c in safe.columns
        ]
        for i, (header, col) in enumerate(zip(columns, values, strict=True)):
            width = max([_display_width(header), *col.map(_display_width).tolist(), 4])
            spec = formats.get(header)
            sheet.set_column(i, i, min(width + 2, 60), fmt(spec) if spec else None)


def _close_abandoned_zips(exc: BaseException | None) -> None:
    # xlsxwriter leaves its ZipFile open when a write fails; closed later by the garbage
    # collector it would write again, and print "Exception ignored" on a full disk
    while exc is not None:
        tb = exc.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                    with contextlib.suppress(OSError):
                        value.fp.close()
                    value.fp = None
            tb = tb.tb_next
        exc = exc.__context__


def _display_width(text: str) -> int:
    # Chinese characters take two columns in Excel's default font.
    # columns are at most 60 wide: the first 64 characters are enough to know
    text = "" if text is None or text == "nan" else str(text)[:64]
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
