"""Excel error values that python-calamine hands over as blanks, found again.

A cell whose formula failed shows ``#DIV/0!``, ``#REF!``, ``#N/A`` …; calamine gives
``""`` for it, so without this the figure would be read as "not filled in" with no
finding. The reader puts an :class:`~qzanalysis.reading.values.ExcelError` marker in
the grid instead; the value is then missing and reported with the error it shows.

- xlsx: cells ``t="e"``, found by the streamed formula scan in :mod:`files`.
- ods: cells ``calcext:value-type="error"`` (LibreOffice), found here in content.xml.
- xls: not done (BIFF BOOLERR / FORMULA records would need an OLE reader).
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

from qzanalysis.errors import LedgerError
from qzanalysis.reading.values import ExcelError

__all__ = ["mark_errors", "mark_ods_errors", "ods_error_cells"]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_MARK = b'value-type="error"'


def mark_errors(rows: list, errors: dict) -> None:
    """Put error values, {(row, col): "#DIV/0!"}, into the blank cells of a grid.

    Cells outside the grid or not blank there are left alone (the grid is what
    calamine read; this only says why a blank is blank).

    >>> rows = [["总投资"], [""]]
    >>> mark_errors(rows, {(1, 0): "#DIV/0!", (9, 9): "#REF!"}); rows
    [['总投资'], ['#DIV/0!']]
    """
    for (r, c), text in errors.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] == "":
            rows[r][c] = ExcelError(text)


def mark_ods_errors(path, file: str, sheets: list) -> None:
    """Mark the error cells of an ods in the grids of ``sheets`` (RawSheet) read from it."""
    sizes = {s.name: (len(s.rows), max((len(r) for r in s.rows), default=0))
             for s in sheets if s.rows}
    try:
        with zipfile.ZipFile(path) as zf:
            found = ods_error_cells(zf, sizes)
    except Exception as exc:  # a part calamine read, unreadable here: say so, as files.py does
        raise LedgerError(f"工作簿已损坏，无法读取（{exc}）", file=file) from exc
    for s in sheets:
        if s.name in found:
            mark_errors(s.rows, found[s.name])


def _has_error_cells(zf: zipfile.ZipFile) -> bool:
    """Whether content.xml holds any error cell, streamed (one search per MB)."""
    tail = b""
    with zf.open("content.xml") as fh:
        while chunk := fh.read(1 << 20):
            if _MARK in tail + chunk[:32] or _MARK in chunk:
                return True
            tail = chunk[-32:]
    return False


def ods_error_cells(zf: zipfile.ZipFile, sizes: dict) -> dict:
    """Error cells of an ods, {sheet name: {(row, col): "#DIV/0!"}}.

    ``sizes`` maps the sheets to read to their grid (height, width) as calamine read
    them; cells beyond are not looked at, so repeated rows or columns cost no more
    than the grid already did. Returns {} at once when content.xml has no error cell.
    """
    if not sizes or not _has_error_cells(zf):
        return {}
    out: dict = {}
    sheet = None
    height = width = 0
    r = c = 0
    rrep = 1
    depth = 0  # tables nested in cells are not sheets
    with zf.open("content.xml") as fh:
        for event, elem in ET.iterparse(fh, events=("start", "end")):
            tag = elem.tag
            if tag == f"{_TABLE}table":
                if event == "start":
                    depth += 1
                    if depth == 1:
                        name = elem.get(f"{_TABLE}name")
                        sheet = name if name in sizes else None
                        height, width = sizes.get(name, (0, 0))
                        r = 0
                else:
                    depth -= 1
                    if depth == 0:
                        sheet = None
                    elem.clear()
                continue
            if sheet is None or depth != 1:
                continue
            if tag == f"{_TABLE}table-row":
                if event == "start":
                    c = 0
                    rrep = _repeat(elem.get(f"{_TABLE}number-rows-repeated"))
                else:
                    r += rrep
                    elem.clear()
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell") and \
                    event == "end":
                crep = _repeat(elem.get(f"{_TABLE}number-columns-repeated"))
                if elem.get(f"{_CALCEXT}value-type") == "error" and r < height and c < width:
                    text = "\n".join("".join(p.itertext()) for p in elem.iter(f"{_TEXT}p"))
                    cells = out.setdefault(sheet, {})
                    for rr in range(r, min(r + rrep, height)):
                        for cc in range(c, min(c + crep, width)):
                            cells[(rr, cc)] = text.strip() or "#错误"
                c += crep
    return out


def _repeat(value) -> int:
    try:
        return max(int(value), 1) if value else 1
    except ValueError:
        return 1
