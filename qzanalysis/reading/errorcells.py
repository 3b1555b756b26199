"""Excel error values that python-calamine hands over as blanks, found again.

A cell whose formula failed shows ``#DIV/0!``, ``#REF!``, ``#N/A`` …; calamine gives
``""`` for it, so without this the figure would be read as "not filled in" with no
finding. The reader puts an :class:`~qzanalysis.reading.values.ExcelError` marker in
the grid instead; the value is then missing and reported with the error it shows.

- xlsx: cells ``t="e"``, found by the streamed formula scan in :mod:`files`.
- ods: cells ``calcext:value-type="error"`` (LibreOffice), found here in content.xml.
- xls (BIFF8): BOOLERR records with the error flag and FORMULA records whose cached
  result is an error, read from the Workbook stream by a small compound-file reader.
  Best effort: a file calamine read but this reader cannot follow is left as read.
"""

from __future__ import annotations

import re
import struct
import zipfile
from xml.etree import ElementTree as ET

from qzanalysis.errors import LedgerError
from qzanalysis.reading.cfb import ole_stream as _cfb_stream
from qzanalysis.reading.values import ExcelError

__all__ = ["mark_errors", "mark_ods_errors", "ods_error_cells", "mark_xls_errors",
           "xls_error_cells"]

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


# --- xls ---------------------------------------------------------------------------------

#: BIFF error codes (BOOLERR, FORMULA results).
BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
               0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
#: A BOOLERR record header, or a FORMULA record whose cached result is an error:
#: bytes that every error cell's record holds (others may match: then the records
#: are walked and checked one by one).
_BIFF_ERROR_RE = re.compile(rb"\x05\x02\x08\x00|\x06\x00..[\x00-\xff]{6}\x02[\x00-\xff]{5}\xff\xff",
                            re.DOTALL)


def mark_xls_errors(path, sheets: list) -> None:
    """Mark the error cells of a BIFF8 .xls in the grids of ``sheets`` read from it.

    Best effort, never an exception: calamine has read the file already, and a part
    this small reader cannot follow (a damaged or unusual file) only means its error
    cells stay blank, as before.
    """
    wanted = {s.name for s in sheets if s.rows}
    if not wanted:
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        found = xls_error_cells(data, wanted)
    except Exception:  # noqa: BLE001 - best effort, see above
        return
    for s in sheets:
        if s.name in found:
            mark_errors(s.rows, found[s.name])


def xls_error_cells(data: bytes, wanted: set) -> dict:
    """Error cells of a BIFF8 workbook, {sheet name: {(row, col): "#DIV/0!"}}."""
    stream = _cfb_stream(data, ("Workbook", "Book"))
    if stream is None or not _BIFF_ERROR_RE.search(stream):
        return {}  # no record that can be an error cell: no walk over every record
    sheets = []  # (name, offset of the sheet's BOF)
    pos = 0
    n = len(stream)
    while pos + 4 <= n:
        rtype, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + size]
        if pos == 0 and (rtype != 0x0809 or len(body) < 2
                         or struct.unpack_from("<H", body)[0] != 0x0600):
            return {}  # not BIFF8
        if rtype == 0x0085 and len(body) >= 8:  # BOUNDSHEET8
            offset = struct.unpack_from("<I", body)[0]
            cch, flags = body[6], body[7]
            raw = body[8:8 + cch * (2 if flags & 1 else 1)]
            name = raw.decode("utf-16-le" if flags & 1 else "latin-1", errors="replace")
            sheets.append((name, offset))
        elif rtype == 0x000A:  # EOF of the globals
            break
        pos += 4 + size
    out = {}
    for name, offset in sheets:
        if name not in wanted or offset >= n:
            continue
        cells = {}
        pos = offset
        while pos + 4 <= n:
            rtype, size = struct.unpack_from("<HH", stream, pos)
            body = stream[pos + 4:pos + 4 + size]
            if rtype == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR, an error
                row, col = struct.unpack_from("<HH", body)
                cells[(row, col)] = BIFF_ERRORS.get(body[6], "#错误")
            elif rtype == 0x0006 and len(body) >= 14 and body[6] == 2 \
                    and body[12:14] == b"\xff\xff":  # FORMULA with an error result
                row, col = struct.unpack_from("<HH", body)
                cells[(row, col)] = BIFF_ERRORS.get(body[8], "#错误")
            elif rtype == 0x000A:
                break
            pos += 4 + size
        if cells:
            out[name] = cells
    return out
