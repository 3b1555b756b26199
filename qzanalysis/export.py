"""Writing tables for people: Excel and CSV with no live formula from the data.

Text from a ledger can begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return; a spreadsheet program would run it as a formula (CSV/formula injection,
OWASP). Every exported text cell that starts so is prefixed with an apostrophe,
and the Excel writer is told not to turn strings into formulas or links.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

__all__ = ["escape_formulas", "to_csv", "to_excel"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells never start like a formula.

    Numbers are left alone (a negative number is a number, not text).

    >>> out = escape_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-x", None], "b": [-1, 2, 3, 4]}))
    >>> out["a"].tolist(), out["b"].tolist()
    (["'=1+1", 'ok', "'-x", nan], [-1, 2, 3, 4])
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            text = s.astype("str")
            bad = text.str.startswith(_DANGEROUS).fillna(False) & s.notna()
            if bad.any():
                out[col] = s.astype(object).where(~bad, "'" + text)
    # headers too: unmatched ledger headers are kept as column names
    out.index = _escape_labels(out.index)
    out.columns = _escape_labels(out.columns)
    return out


def _escape_label(value):
    return "'" + value if isinstance(value, str) and value.startswith(_DANGEROUS) else value


def _escape_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_escape_labels(level) for level in index.levels])
    if index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
        return index.map(_escape_label)
    return index


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
    cell can become a formula.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formats = dict(formats or {})
    index = dict(index or {})
    options = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        cache: dict[str, object] = {}

        def fmt(spec: str):
            if spec not in cache:
                cache[spec] = book.add_format({"num_format": spec})
            return cache[spec]

        for name, frame in sheets.items():
            keep_index = index.get(name, False)
            safe = escape_formulas(frame)
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
    return path


def _display_width(text: str) -> int:
    # Chinese characters take two columns in Excel's default font.
    text = "" if text is None or text == "nan" else str(text)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
