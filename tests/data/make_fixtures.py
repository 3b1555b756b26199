"""Write the ledger-reader fixtures in tests/data/ and their expected values.

Run from the repository root::

    python tests/data/make_fixtures.py

Every fixture file is written into ``tests/data/`` and, beside it, an expected-values
file ``tests/data/expected/<fixture-stem>.json``.  The expected values are typed by hand
in this script (the ``P(...)`` / ``TOT(...)`` rows below: the raw cells that go into the
sheet, and next to them what a correct reader must return).  Nothing here calls the
qzanalysis reader.  Row numbers in the expected files are the positions at which the rows
are written (row 1 is the first row of each sheet spec; CSV: line 1 is the first line).

At the end the script re-opens every written file with openpyxl / python-calamine /
the csv module and checks that the expected files match the files (project names really
sit on the expected rows, every non-blank row has a kind, declared totals equal the
sums of the rows they cover except where a ``total_mismatch`` is expected, ...).  It
raises if anything disagrees.

The output is deterministic: zip entries and document properties carry a fixed
timestamp, random bytes come from a seeded generator, and the encrypted workbook is
made with a seeded salt, so re-running the script does not churn the binary files.

Tests may import :func:`make_zip_bomb` from this file (it needs only the standard
library) to build a zip bomb at run time in ``tmp_path``; it is never committed.

Generation-only dependencies: openpyxl, xlwt, odfpy, python-calamine, opencc (all in
the dev environment) and msoffcrypto-tool (for ``bad_encrypted.xlsx`` only; if it is
missing the committed file is kept).
"""


import csv
import datetime as dt
import hashlib
import io
import json
import random
import re
import struct
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED_DIR = HERE / "expected"

FIXED_DATETIME = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_DATE_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2024-01-01T00:00:00Z"

AMOUNT_COLS = [
    "total_investment",
    "contracted_investment",
    "planned_investment",
    "completed_investment",
    "cumulative_investment",
    "prior_investment",
    "funds_in_place",
]
PROJECT_FIELDS = [
    "source_sheet",
    "source_row",
    "project_name",
    "stage",
    "section",
    "owner",
    "location",
    "content",
    "industry",
    "funding_source",
    *AMOUNT_COLS,
    "start_date",
    "end_date",
    "progress_note",
]
STAGES = ["储备", "前期", "洽谈", "新签约", "新开工", "续建", "竣工"]
KINDS = {"project", "total", "section", "header", "title", "note", "rejected"}
RULES = {
    "total_mismatch",
    "unparsed_value",
    "formula_without_value",
    "duplicate_project",
    "unknown_stage",
    "completed_gt_total",
    "funds_gt_contracted",
    "negative_amount",
    "skipped_sheet",
}
CHANNELS = {"国家预算资金", "国内贷款", "利用外资", "自筹资金", "其他资金", "多渠道"}

# Below this absolute difference (万元, i.e. 100 元) a declared total equals its rows.
ROUNDING_TOLERANCE = 0.01


# --------------------------------------------------------------------------------------
# Spec: sheets are lists of rows; row i of the list is Excel row i (1-based)
# --------------------------------------------------------------------------------------


@dataclass
class Formula:
    """A formula cell; ``cached`` is the value Excel would have stored (None: no value)."""

    expr: str
    cached: float | None = None


@dataclass
class Row:
    kind: str  # one of KINDS, or "blank", or "raw" (row of a sheet the reader must skip)
    cells: list
    expect: dict | None = None  # project: expected fields; total: label + amounts
    tags: tuple = ()  # project: groups this project belongs to
    covers: str | None = None  # total: the tag whose projects it sums ("*" = whole sheet)


def P(cells, *, tags=(), **expect):
    """A project row: raw cells, then the values a correct reader must return."""
    unknown = set(expect) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown expected field(s) {sorted(unknown)}")
    if expect.get("stage") is not None and expect["stage"] not in STAGES:
        raise ValueError(f"stage {expect['stage']!r} is not in the vocabulary")
    return Row("project", list(cells), dict(expect), tags=tuple(tags))


def TOT(cells, *, label, covers, **amounts):
    """A declared total (合计/小计/总计/共计/其中…): label as written, amounts in 万元."""
    unknown = set(amounts) - set(AMOUNT_COLS)
    if unknown:
        raise ValueError(f"unknown amount column(s) {sorted(unknown)}")
    return Row("total", list(cells), {"label": label, **amounts}, covers=covers)


def SECT(cells, *, label, covers, **amounts):
    """A section row that carries its group's amounts: kind ``section``, and a declared total."""
    row = TOT(cells, label=label, covers=covers, **amounts)
    row.kind = "section"
    return row


def TTL(*cells):
    return Row("title", list(cells))


def NOTE(*cells):
    return Row("note", list(cells))


def HDR(*cells):
    return Row("header", list(cells))


def SEC(*cells):
    return Row("section", list(cells))


def REJ(*cells):
    return Row("rejected", list(cells))


def RAW(*cells):
    return Row("raw", list(cells))


def BLANK():
    return Row("blank", [])


@dataclass
class Sheet:
    name: str
    rows: list
    merges: tuple = ()
    state: str = "visible"  # visible / hidden
    read: bool = True  # False: a correct reader skips this sheet
    widths: dict = field(default_factory=dict)
    hidden_rows: tuple = ()  # ODS only: 1-based rows written with table:visibility="collapsed"


@dataclass
class Fixture:
    file: str
    features: list
    sheets: list
    writer: object  # callable(path, fixture) -> None
    findings: list = field(default_factory=list)
    skipped_sheets: list = field(default_factory=list)
    funding: list = field(default_factory=list)
    funding_channel: dict = field(default_factory=dict)
    encoding: str | None = None  # CSV only
    newline: str = "\n"  # CSV only
    notes: str = ""


def F(rule, sheet, row, column):
    """An expected finding."""
    if rule not in RULES:
        raise ValueError(rule)
    return {"rule": rule, "source_sheet": sheet, "source_row": row, "column": column}


def FUND(row, project_name, detail, channel, amount, sheet):
    if channel not in CHANNELS:
        raise ValueError(channel)
    return {
        "project_name": project_name,
        "source_sheet": sheet,
        "source_row": row,
        "channel": channel,
        "detail": detail,
        "amount": float(amount),
    }


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def col_letter(c: int) -> str:
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def parse_range(rng: str) -> tuple[int, int, int, int]:
    a, b = rng.split(":")
    r1, c1 = parse_ref(a)
    r2, c2 = parse_ref(b)
    return r1, c1, r2, c2


def xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fixed_zip(entries, path: Path) -> None:
    """Write (name, bytes, compress_type) entries into a zip with a fixed timestamp."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, ctype in entries:
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            zi.compress_type = ctype
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def renormalize_zip(data: bytes, path: Path, patches=None) -> None:
    """Rewrite a library-made zip (xlsx/ods) with fixed timestamps and fixed doc dates."""
    patches = patches or {}
    zin = zipfile.ZipFile(io.BytesIO(data))
    entries = []
    for info in zin.infolist():
        content = zin.read(info.filename)
        if info.filename in ("docProps/core.xml", "meta.xml"):
            content = re.sub(
                rb"(<(dcterms:created|dcterms:modified|meta:creation-date|dc:date)[^>]*>)[^<]*(<)",
                lambda m: m.group(1) + FIXED_W3CDTF.encode() + m.group(3),
                content,
            )
        if info.filename in patches:
            content = patches[info.filename](content)
        entries.append((info.filename, content, info.compress_type))
    fixed_zip(entries, path)


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


def write_openpyxl(path: Path, fx: Fixture, *, macro_enabled: bool = False) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in fx.sheets:
        ws = wb.create_sheet(sh.name)
        for r, row in enumerate(sh.rows, start=1):
            for c, v in enumerate(row.cells, start=1):
                if v is None:
                    continue
                if isinstance(v, Formula):
                    ws.cell(r, c, "=" + v.expr)
                elif isinstance(v, dt.date):
                    cell = ws.cell(r, c, v)
                    cell.number_format = 'yyyy"年"m"月"d"日"'
                else:
                    ws.cell(r, c, v)
        for rng in sh.merges:
            ws.merge_cells(rng)
        if sh.state != "visible":
            ws.sheet_state = sh.state
        for col, width in sh.widths.items():
            ws.column_dimensions[col].width = width
    wb.properties.creator = "qzanalysis tests/data/make_fixtures.py"
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    buf = io.BytesIO()
    wb.save(buf)
    patches = {}
    if macro_enabled:
        patches["[Content_Types].xml"] = lambda b: b.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    renormalize_zip(buf.getvalue(), path, patches)


def write_xlsm(path: Path, fx: Fixture) -> None:
    write_openpyxl(path, fx, macro_enabled=True)


def write_xlwt(path: Path, fx: Fixture) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    plain = xlwt.easyxf("")
    for sh in fx.sheets:
        ws = wb.add_sheet(sh.name)
        anchors = {}
        covered = set()
        for rng in sh.merges:
            r1, c1, r2, c2 = parse_range(rng)
            anchors[(r1, c1)] = (r2, c2)
            for rr in range(r1, r2 + 1):
                for cc in range(c1, c2 + 1):
                    if (rr, cc) != (r1, c1):
                        covered.add((rr, cc))
        for r, row in enumerate(sh.rows, start=1):
            for c, v in enumerate(row.cells, start=1):
                if (r, c) in covered:
                    if v is not None:
                        raise ValueError(f"{sh.name}!{col_letter(c)}{r} is inside a merge")
                    continue
                style = date_style if isinstance(v, dt.date) else plain
                if (r, c) in anchors:
                    r2, c2 = anchors[(r, c)]
                    ws.write_merge(r - 1, r2 - 1, c - 1, c2 - 1, v if v is not None else "", style)
                elif v is not None:
                    ws.write(r - 1, c - 1, v, style)
        for col, width in sh.widths.items():
            ws.col(parse_ref(col + "1")[1] - 1).width = int(width * 256)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def write_ods(path: Path, fx: Fixture) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P as TextP

    doc = OpenDocumentSpreadsheet()
    for sh in fx.sheets:
        table = Table(name=sh.name)
        ncols = max(len(r.cells) for r in sh.rows)
        table.addElement(TableColumn(numbercolumnsrepeated=ncols))
        spans, covered = {}, set()
        for rng in sh.merges:
            r1, c1, r2, c2 = parse_range(rng)
            spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
            for rr in range(r1, r2 + 1):
                for cc in range(c1, c2 + 1):
                    if (rr, cc) != (r1, c1):
                        covered.add((rr, cc))
        for r, row in enumerate(sh.rows, start=1):
            tr = TableRow(visibility="collapsed") if r in sh.hidden_rows else TableRow()
            for c in range(1, ncols + 1):
                v = row.cells[c - 1] if c - 1 < len(row.cells) else None
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                kw = {}
                if (r, c) in spans:
                    kw = {"numberrowsspanned": spans[(r, c)][0], "numbercolumnsspanned": spans[(r, c)][1]}
                if v is None:
                    cell = TableCell(**kw)
                elif isinstance(v, bool):
                    raise TypeError(v)
                elif isinstance(v, (int, float)):
                    cell = TableCell(valuetype="float", value=v, **kw)
                    cell.addElement(TextP(text=str(v)))
                elif isinstance(v, dt.date):
                    cell = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%d"), **kw)
                    cell.addElement(TextP(text=v.strftime("%Y-%m-%d")))
                else:
                    cell = TableCell(valuetype="string", **kw)
                    cell.addElement(TextP(text=str(v)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    renormalize_zip(buf.getvalue(), path)


def csv_bytes(fx: Fixture) -> bytes:
    (sh,) = fx.sheets
    ncols = max(len(r.cells) for r in sh.rows)
    out = io.StringIO()
    w = csv.writer(out, lineterminator=fx.newline)
    for row in sh.rows:
        cells = ["" if v is None else str(v) for v in row.cells]
        cells += [""] * (ncols - len(cells))
        w.writerow(cells)
    text = out.getvalue()
    enc = fx.encoding
    if enc == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(enc)


def write_csv(path: Path, fx: Fixture) -> None:
    path.write_bytes(csv_bytes(fx))


def write_csv_wps(path: Path, fx: Fixture) -> None:
    """A CSV as WPS exports it: every cell quoted and one empty column at the end."""
    (sh,) = fx.sheets
    ncols = max(len(r.cells) for r in sh.rows) + 1
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=fx.newline)
    for row in sh.rows:
        cells = ["" if v is None else str(v) for v in row.cells]
        w.writerow(cells + [""] * (ncols - len(cells)))
    text = out.getvalue()
    path.write_bytes((b"\xef\xbb\xbf" + text.encode("utf-8")) if fx.encoding == "utf-8-sig"
                     else text.encode(fx.encoding))


# Raw xlsx (hand-written XML with a shared-strings table, as Excel itself writes them)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES_XML = (
    XML_DECL + f'<styleSheet xmlns="{NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def raw_xlsx_package(sheet_names: list[str], shared_strings: list[str] | None) -> dict[str, bytes]:
    """Every part of a minimal xlsx except the worksheets themselves."""
    n = len(sheet_names)
    ct = (
        XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT_MAIN}"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>'
            for i in range(1, n + 1)
        )
        + f'<Override PartName="/xl/styles.xml" ContentType="{CT_STYLES}"/>'
        + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_SST}"/>' if shared_strings is not None else "")
        + f'<Override PartName="/docProps/core.xml" ContentType="{CT_CORE}"/>'
        "</Types>"
    )
    rels = (
        XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    core = (
        XML_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>qzanalysis tests/data/make_fixtures.py</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_W3CDTF}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_W3CDTF}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    wb = (
        XML_DECL + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheets>'
        + "".join(
            f'<sheet name="{xml_escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(sheet_names, start=1)
        )
        + "</sheets></workbook>"
    )
    wb_rels = (
        XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        + (
            f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings is not None
            else ""
        )
        + "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": ct.encode(),
        "_rels/.rels": rels.encode(),
        "docProps/core.xml": core.encode(),
        "xl/workbook.xml": wb.encode(),
        "xl/_rels/workbook.xml.rels": wb_rels.encode(),
        "xl/styles.xml": STYLES_XML.encode(),
    }
    if shared_strings is not None:
        sst = (
            XML_DECL + f'<sst xmlns="{NS_MAIN}" count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">'
            + "".join(f"<si><t>{xml_escape(s)}</t></si>" for s in shared_strings)
            + "</sst>"
        )
        parts["xl/sharedStrings.xml"] = sst.encode()
    return parts


def _num(v) -> str:
    return repr(float(v)) if isinstance(v, float) else str(v)


def write_raw_xlsx(path: Path, fx: Fixture) -> None:
    """Hand-written SpreadsheetML: shared strings, formulas with cached <v> values."""
    sst: list[str] = []
    index: dict[str, int] = {}
    sheets_xml = []
    for sh in fx.sheets:
        rows_xml = []
        for r, row in enumerate(sh.rows, start=1):
            cells = []
            for c, v in enumerate(row.cells, start=1):
                if v is None:
                    continue
                ref = f"{col_letter(c)}{r}"
                if isinstance(v, Formula):
                    val = "" if v.cached is None else f"<v>{_num(v.cached)}</v>"
                    cells.append(f'<c r="{ref}"><f>{xml_escape(v.expr)}</f>{val}</c>')
                elif isinstance(v, (int, float)):
                    cells.append(f'<c r="{ref}"><v>{_num(v)}</v></c>')
                elif isinstance(v, str):
                    if v not in index:
                        index[v] = len(sst)
                        sst.append(v)
                    cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
                else:
                    raise TypeError(v)
            if cells:
                rows_xml.append(f'<row r="{r}">' + "".join(cells) + "</row>")
        merges = ""
        if sh.merges:
            merges = f'<mergeCells count="{len(sh.merges)}">' + "".join(
                f'<mergeCell ref="{m}"/>' for m in sh.merges
            ) + "</mergeCells>"
        xml = (
            XML_DECL + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetData>'
            + "".join(rows_xml)
            + "</sheetData>"
            + merges
            + "</worksheet>"
        )
        sheets_xml.append(xml.encode())
    parts = raw_xlsx_package([sh.name for sh in fx.sheets], sst)
    entries = []
    order = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml"]
    for name in order:
        entries.append((name, parts[name], zipfile.ZIP_DEFLATED))
    for i, xml in enumerate(sheets_xml, start=1):
        entries.append((f"xl/worksheets/sheet{i}.xml", xml, zipfile.ZIP_DEFLATED))
    fixed_zip(entries, path)


# --------------------------------------------------------------------------------------
# The zip bomb (never committed: tests build it at run time)
# --------------------------------------------------------------------------------------

_BOMB_PREFIX = (XML_DECL + f'<worksheet xmlns="{NS_MAIN}"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>总投资</t></is></c></row>').encode()
# Each row carries a long run of one character: deflate codes such runs at about 1000:1
# (distance 3, no extra bits); a short repeated row would only reach about 250:1.
_BOMB_ROW = ('<row><c t="inlineStr"><is><t>秦州区项目</t></is></c><c><v>100</v></c>'
             '<c t="inlineStr"><is><t>' + "项" * 10000 + "</t></is></c></row>").encode()
_BOMB_TAIL = b"</sheetData></worksheet>"


def _deflate_segment(data: bytes, final: bool) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def _write_zip_entries(fh, entries) -> None:
    """Write a zip by hand: entries are (name, crc, usize, iterable of raw deflate bytes)."""
    dos_time = (ZIP_DATE_TIME[3] << 11) | (ZIP_DATE_TIME[4] << 5) | (ZIP_DATE_TIME[5] // 2)
    dos_date = ((ZIP_DATE_TIME[0] - 1980) << 9) | (ZIP_DATE_TIME[1] << 5) | ZIP_DATE_TIME[2]
    central = []
    for name, crc, usize, chunks in entries:
        name_b = name.encode()
        offset = fh.tell()
        big = usize >= 0xFFFFFFFF
        # sizes are not known until the data is written: write a placeholder local header
        extra = struct.pack("<HHQQ", 1, 16, 0, 0) if big else b""
        fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if big else 20, 0, 8, dos_time, dos_date,
                             crc, 0, 0, len(name_b), len(extra)))
        fh.write(name_b + extra)
        start = fh.tell()
        for ch in chunks:
            fh.write(ch)
        csize = fh.tell() - start
        end = fh.tell()
        fh.seek(offset + 18)
        if big:
            fh.write(struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF))
            fh.seek(offset + 30 + len(name_b) + 4)
            fh.write(struct.pack("<QQ", usize, csize))
        else:
            fh.write(struct.pack("<II", csize, usize))
        fh.seek(end)
        central.append((name_b, crc, usize, csize, offset, big))
    cd_start = fh.tell()
    for name_b, crc, usize, csize, offset, big in central:
        extra = struct.pack("<HHQQ", 1, 16, usize, csize) if big else b""
        fh.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 45, 45 if big else 20, 0, 8,
                             dos_time, dos_date, crc,
                             0xFFFFFFFF if big else csize, 0xFFFFFFFF if big else usize,
                             len(name_b), len(extra), 0, 0, 0, 0o644 << 16, offset))
        fh.write(name_b + extra)
    cd_size = fh.tell() - cd_start
    fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0))


def make_zip_bomb(path, inflated_bytes: int = 2_000_000_000) -> Path:
    """Write a small valid-looking .xlsx whose sheet1.xml inflates to >= ``inflated_bytes``.

    The file is a few MB at most (deflate cannot do better than about 1000:1): the
    repeated row is compressed once and its compressed bytes are repeated, so the big
    XML string is never held in memory.  Takes about a second for the default size.
    Only the standard library is used, so tests can import this function cheaply.
    """
    path = Path(path)
    chunk = _BOMB_ROW * max(1, (1 << 20) // len(_BOMB_ROW))  # ~1 MiB of rows
    n = max(1, -(-(inflated_bytes - len(_BOMB_PREFIX) - len(_BOMB_TAIL)) // len(chunk)))
    usize = len(_BOMB_PREFIX) + n * len(chunk) + len(_BOMB_TAIL)
    crc = zlib.crc32(_BOMB_PREFIX)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(_BOMB_TAIL, crc)
    c_prefix = _deflate_segment(_BOMB_PREFIX, final=False)
    c_chunk = _deflate_segment(chunk, final=False)
    c_tail = _deflate_segment(_BOMB_TAIL, final=True)

    def sheet_chunks():
        yield c_prefix
        for _ in range(n):
            yield c_chunk
        yield c_tail

    entries = []
    for name, data in raw_xlsx_package(["Sheet1"], None).items():
        entries.append((name, zlib.crc32(data), len(data), [_deflate_segment(data, final=True)]))
    entries.append(("xl/worksheets/sheet1.xml", crc, usize, sheet_chunks()))
    with open(path, "wb") as fh:
        _write_zip_entries(fh, entries)
    return path


# --------------------------------------------------------------------------------------
# Layout fixtures
# --------------------------------------------------------------------------------------

FIXTURES: list[Fixture] = []


def fixture(fx: Fixture) -> Fixture:
    FIXTURES.append(fx)
    return fx


# 1 ---- merged title, 填报单位, unit row, two-row merged header, 合计 under the header,
#        stage section rows with 小计, a 注 note, funding sub-columns --------------------
S1 = "重点项目"
fixture(Fixture(
    file="layout_merged_header.xlsx",
    features=[
        "openpyxl xlsx", "merged title row", "填报单位 row", "unit row 单位：万元 at the right edge",
        "two-row merged header (1-6月 over 完成投资|到位资金; 资金来源（万元） over five sources)",
        "header with spaces inside (项 目 名 称)", "合计 right under the header (label merged A:D)",
        "stage section rows 一、续建项目（3个） / 二、新开工项目（2个） (one in column A merged, one in column B)",
        "小计 after each section", "注：note at the end", "per-source funding sub-columns -> funding",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(
        S1,
        merges=("A1:N1", "A2:D2", "M3:N3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5",
                "G4:H4", "I4:M4", "N4:N5", "A6:D6", "A7:N7", "A16:N16"),
        widths={"B": 34, "C": 24, "D": 28, "N": 20},
        rows=[
            TTL("秦州区2009年1-6月重点项目建设进展情况表"),
            NOTE("填报单位：秦州区发改局"),
            NOTE(*[None] * 12, "单位：万元"),
            HDR("序号", "项 目 名 称", "建设单位", "建设内容", "总投资", "本年计划投资", "1-6月", None,
                "资金来源（万元）", None, None, None, None, "形象进度"),
            HDR(*[None] * 6, "完成投资", "到位资金", "中央预算内投资", "地方政府专项债券", "银行贷款",
                "企业自筹", "其他", None),
            TOT(["合计", None, None, None, 33900, 13500, 5600, 5100, 5000, 5000, 12000, 10300, 1600],
                label="合计", covers="*",
                total_investment=33900, planned_investment=13500, completed_investment=5600,
                funds_in_place=5100),
            SEC("一、续建项目（3个）"),
            P([1, "瑞德电器高低压启动设备生产项目", "天水瑞德电器有限公司", "年产1500台/套高低压启动设备",
               5800, 2000, 1200, 1000, None, None, 1500, 4300, None, "主体完工，设备安装中"], tags=["s1"],
              project_name="瑞德电器高低压启动设备生产项目", stage="续建", owner="天水瑞德电器有限公司",
              content="年产1500台/套高低压启动设备", total_investment=5800, planned_investment=2000,
              completed_investment=1200, funds_in_place=1000, progress_note="主体完工，设备安装中"),
            P([2, "秦州区城区集中供热管网改造工程", "秦州区住房和城乡建设局", "改造供热主管网12公里",
               12000, 4000, 2100, 2000, 3000, 5000, 4000, None, None, "管网铺设完成60%"], tags=["s1"],
              project_name="秦州区城区集中供热管网改造工程", stage="续建", owner="秦州区住房和城乡建设局",
              content="改造供热主管网12公里", total_investment=12000, planned_investment=4000,
              completed_investment=2100, funds_in_place=2000, progress_note="管网铺设完成60%"),
            P([3, "大华电力通讯设备生产项目", "天水大华电力设备有限公司", "建设标准化厂房8000平方米",
               3600, 1500, 800, 700, None, None, None, 3000, 600, "厂房封顶"], tags=["s1"],
              project_name="大华电力通讯设备生产项目", stage="续建", owner="天水大华电力设备有限公司",
              content="建设标准化厂房8000平方米", total_investment=3600, planned_investment=1500,
              completed_investment=800, funds_in_place=700, progress_note="厂房封顶"),
            TOT([None, "小计", None, None, 21400, 7500, 4100, 3700, 3000, 5000, 5500, 7300, 600],
                label="小计", covers="s1",
                total_investment=21400, planned_investment=7500, completed_investment=4100,
                funds_in_place=3700),
            SEC(None, "二、新开工项目（2个）"),
            P([1, "皂郊水厂改扩建工程", "秦州区水务局", "新建日供水1万吨净水厂一座",
               4500, 3000, 600, 600, 2000, None, 1500, None, 1000, "完成土方开挖"], tags=["s2"],
              project_name="皂郊水厂改扩建工程", stage="新开工", owner="秦州区水务局",
              content="新建日供水1万吨净水厂一座", total_investment=4500, planned_investment=3000,
              completed_investment=600, funds_in_place=600, progress_note="完成土方开挖"),
            P([2, "天水师范学院学生公寓建设项目", "天水师范学院", "建设学生公寓3栋",
               8000, 3000, 900, 800, None, None, 5000, 3000, None, "主体施工至三层"], tags=["s2"],
              project_name="天水师范学院学生公寓建设项目", stage="新开工", owner="天水师范学院",
              content="建设学生公寓3栋", total_investment=8000, planned_investment=3000,
              completed_investment=900, funds_in_place=800, progress_note="主体施工至三层"),
            TOT([None, "小计", None, None, 12500, 6000, 1500, 1400, 2000, None, 6500, 3000, 1000],
                label="小计", covers="s2",
                total_investment=12500, planned_investment=6000, completed_investment=1500,
                funds_in_place=1400),
            NOTE("注：1. 本表由各项目单位填报，区发改局汇总；2. 资金来源按项目总投资构成填列。"),
        ],
    )],
    funding=[
        FUND(8, "瑞德电器高低压启动设备生产项目", "银行贷款", "国内贷款", 1500, S1),
        FUND(8, "瑞德电器高低压启动设备生产项目", "企业自筹", "自筹资金", 4300, S1),
        FUND(9, "秦州区城区集中供热管网改造工程", "中央预算内投资", "国家预算资金", 3000, S1),
        FUND(9, "秦州区城区集中供热管网改造工程", "地方政府专项债券", "国家预算资金", 5000, S1),
        FUND(9, "秦州区城区集中供热管网改造工程", "银行贷款", "国内贷款", 4000, S1),
        FUND(10, "大华电力通讯设备生产项目", "企业自筹", "自筹资金", 3000, S1),
        FUND(10, "大华电力通讯设备生产项目", "其他", "其他资金", 600, S1),
        FUND(13, "皂郊水厂改扩建工程", "中央预算内投资", "国家预算资金", 2000, S1),
        FUND(13, "皂郊水厂改扩建工程", "银行贷款", "国内贷款", 1500, S1),
        FUND(13, "皂郊水厂改扩建工程", "其他", "其他资金", 1000, S1),
        FUND(14, "天水师范学院学生公寓建设项目", "银行贷款", "国内贷款", 5000, S1),
        FUND(14, "天水师范学院学生公寓建设项目", "企业自筹", "自筹资金", 3000, S1),
    ],
    funding_channel={"8": "自筹资金", "9": "国家预算资金", "10": "自筹资金", "13": "国家预算资金",
                     "14": "国内贷款"},
))

# 2 ---- units everywhere, messy amount text, missing markers, dates in many forms -----
S2 = "推进情况"
fixture(Fixture(
    file="values_units_dates.xlsx",
    features=[
        "openpyxl xlsx", "unit row 金额单位：亿元 (applies to 到位资金, whose header has no unit)",
        "headers with units inside: 总投资（亿元） and 本年计划投资(万元)",
        "amount text with thousands comma \"1,500\"", "full-width digits ５００",
        "cells with their own unit overriding the column unit: 30000万元 in a 亿元 column, 0.5亿元 in a 万元 column",
        "missing markers: blank, —, －, /, 无 (missing, not zero, no finding)",
        "待定 -> missing + unparsed_value", "negative amount -> negative_amount (value kept)",
        "dates: Excel date cells, 2007年3月, 2007.03, 2009-05-01, 2008-06, 2009年12月 -> YYYY-MM",
        "a row with a 序号 and amounts but no project name -> rejected", "注：note at the end",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(
        S2,
        merges=("A1:I1", "A12:I12"),
        widths={"B": 34, "C": 26, "G": 16, "H": 14},
        rows=[
            TTL("秦州区2009年招商引资项目推进情况表"),
            NOTE("金额单位：亿元"),
            HDR("序号", "项目名称", "项目单位", "总投资（亿元）", "本年计划投资(万元)", "到位资金", "开工时间",
                "竣工时间", "备注"),
            P([1, "西联蜂业蜂产品深加工项目", "天水西联蜂业有限公司", 1.5, "1,500", 0.25,
               dt.date(2007, 3, 15), "2009年12月", "主体工程完工"],
              project_name="西联蜂业蜂产品深加工项目", owner="天水西联蜂业有限公司",
              total_investment=15000, planned_investment=1500, funds_in_place=2500,
              start_date="2007-03", end_date="2009-12", progress_note="主体工程完工"),
            P([2, "派尔彩印包装生产线建设项目", "天水派尔彩印包装有限公司", "30000万元", "0.5亿元", "—",
               "2007年3月", "2010.06", None],
              project_name="派尔彩印包装生产线建设项目", owner="天水派尔彩印包装有限公司",
              total_investment=30000, planned_investment=5000, funds_in_place=None,
              start_date="2007-03", end_date="2010-06"),
            P([3, "SSOP集成电路引线框架生产线项目", "天水华天科技股份有限公司", "2", "５００", "－",
               "2007.03", "2009-05-01", None],
              project_name="SSOP集成电路引线框架生产线项目", owner="天水华天科技股份有限公司",
              total_investment=20000, planned_investment=500, funds_in_place=None,
              start_date="2007-03", end_date="2009-05"),
            P([4, "红豆杉繁育基地建设项目", "秦州区林业局", None, "/", "无", None, None, "正在编制可研报告"],
              project_name="红豆杉繁育基地建设项目", owner="秦州区林业局",
              total_investment=None, planned_investment=None, funds_in_place=None,
              progress_note="正在编制可研报告"),
            P([5, "秦州区现代物流园区建设项目", "天水秦州物流有限公司", "待定", 800, 0.125,
               dt.datetime(2009, 5, 1), None, None],
              project_name="秦州区现代物流园区建设项目", owner="天水秦州物流有限公司",
              total_investment=None, planned_investment=800, funds_in_place=1250, start_date="2009-05"),
            P([6, "天水锻压机床技术改造项目", "天水锻压机床有限公司", 0.75, -200, 0.5, "2008-06", None,
               "调减年度计划"],
              project_name="天水锻压机床技术改造项目", owner="天水锻压机床有限公司",
              total_investment=7500, planned_investment=-200, funds_in_place=5000,
              start_date="2008-06", progress_note="调减年度计划"),
            P([7, "秦州区农贸市场改造项目", "秦州区商务局", "1.2亿元", 300, "0.2亿元",
               dt.date(2009, 2, 1), "2009年10月", None],
              project_name="秦州区农贸市场改造项目", owner="秦州区商务局",
              total_investment=12000, planned_investment=300, funds_in_place=2000,
              start_date="2009-02", end_date="2009-10"),
            REJ(8, None, None, 0.3, 200, None, None, None, None),
            NOTE("注：“待定”表示总投资尚未确定；到位资金单位为亿元。"),
        ],
    )],
    findings=[
        F("unparsed_value", S2, 8, "total_investment"),
        F("negative_amount", S2, 9, "planned_investment"),
    ],
))

# 3 ---- stage from sheet names; instructions, empty and hidden sheets are skipped ------
fixture(Fixture(
    file="stage_by_sheet.xlsx",
    features=[
        "openpyxl xlsx", "stage from sheet names 续建项目 / 新签约项目",
        "填表说明 sheet of instructions (one line mentions 项目名称) -> skipped, info finding",
        "empty sheet Sheet4 -> skipped, info finding",
        "hidden sheet 备份 holding a real table -> skipped, info finding, its projects not read",
        "合同引资 / 引进到位资金 (investment-promotion ledger)", "funds in place > contracted -> funds_gt_contracted",
        "合计 at the end of each sheet",
    ],
    writer=write_openpyxl,
    sheets=[
        Sheet("填表说明", read=False, widths={"A": 60}, rows=[
            RAW("填表说明"),
            RAW("1. 项目名称应与立项批复文件一致，不得简写。"),
            RAW("2. 金额单位均为万元，保留两位小数。"),
            RAW("3. 续建项目、新签约项目分表填报。"),
            RAW("4. 到位资金指本年度实际到位的资金。"),
        ]),
        Sheet("续建项目", merges=("A1:H1",), widths={"B": 40, "C": 26}, rows=[
            TTL("秦州区2009年上半年续建招商引资项目进展情况"),
            HDR("序号", "项目名称", "项目单位", "总投资（万元）", "合同引资（万元）", "今年完成投资（万元）",
                "引进到位资金（万元）", "进展情况"),
            P([1, "瑞德电器1500台/套高低压启动设备生产项目", "天水瑞德电器有限公司", 3200, 3000, 1100, 1000,
               "设备安装调试"],
              project_name="瑞德电器1500台/套高低压启动设备生产项目", stage="续建", owner="天水瑞德电器有限公司",
              total_investment=3200, contracted_investment=3000, completed_investment=1100,
              funds_in_place=1000, progress_note="设备安装调试"),
            P([2, "派尔彩印包装生产线建设项目", "天水派尔彩印包装有限公司", 2600, 2600, 900, 850, "生产线安装"],
              project_name="派尔彩印包装生产线建设项目", stage="续建", owner="天水派尔彩印包装有限公司",
              total_investment=2600, contracted_investment=2600, completed_investment=900,
              funds_in_place=850, progress_note="生产线安装"),
            P([3, "大华电力通讯设备生产项目", "天水大华电力设备有限公司", 4100, 3800, 1500, 1200, "厂房建设"],
              project_name="大华电力通讯设备生产项目", stage="续建", owner="天水大华电力设备有限公司",
              total_investment=4100, contracted_investment=3800, completed_investment=1500,
              funds_in_place=1200, progress_note="厂房建设"),
            P([4, "西联蜂业蜂产品深加工项目", "天水西联蜂业有限公司", 1800, 1500, 600, 600, "试生产"],
              project_name="西联蜂业蜂产品深加工项目", stage="续建", owner="天水西联蜂业有限公司",
              total_investment=1800, contracted_investment=1500, completed_investment=600,
              funds_in_place=600, progress_note="试生产"),
            TOT(["合计", None, None, 11700, 10900, 4100, 3650, None], label="合计", covers="*",
                total_investment=11700, contracted_investment=10900, completed_investment=4100,
                funds_in_place=3650),
        ]),
        Sheet("新签约项目", merges=("A1:H1",), widths={"B": 40, "C": 26}, rows=[
            TTL("秦州区2009年上半年新签约招商引资项目进展情况"),
            HDR("序号", "项目名称", "项目单位", "总投资（万元）", "合同引资（万元）", "今年完成投资（万元）",
                "引进到位资金（万元）", "进展情况"),
            P([1, "2000头荷斯坦奶牛养殖基地建设项目", "天水秦州奶业有限公司", 5000, 4500, 800, 800, "圈舍建设"],
              project_name="2000头荷斯坦奶牛养殖基地建设项目", stage="新签约", owner="天水秦州奶业有限公司",
              total_investment=5000, contracted_investment=4500, completed_investment=800,
              funds_in_place=800, progress_note="圈舍建设"),
            P([2, "红豆杉繁育基地建设项目", "天水红豆杉生物科技有限公司", 1200, 1000, 300, 1200, "育苗"],
              project_name="红豆杉繁育基地建设项目", stage="新签约", owner="天水红豆杉生物科技有限公司",
              total_investment=1200, contracted_investment=1000, completed_investment=300,
              funds_in_place=1200, progress_note="育苗"),
            P([3, "SSOP集成电路引线框架生产线项目", "天水华天科技股份有限公司", 6000, 6000, 1000, 900,
               "设备采购"],
              project_name="SSOP集成电路引线框架生产线项目", stage="新签约", owner="天水华天科技股份有限公司",
              total_investment=6000, contracted_investment=6000, completed_investment=1000,
              funds_in_place=900, progress_note="设备采购"),
            TOT(["合计", None, None, 12200, 11500, 2100, 2900, None], label="合计", covers="*",
                total_investment=12200, contracted_investment=11500, completed_investment=2100,
                funds_in_place=2900),
        ]),
        Sheet("Sheet4", read=False, rows=[]),
        Sheet("备份", read=False, state="hidden", rows=[
            RAW("序号", "项目名称", "总投资（万元）", "项目阶段"),
            RAW(1, "天水旧城改造项目", 3000, "续建"),
            RAW(2, "秦州区垃圾填埋场项目", 1500, "新开工"),
        ]),
    ],
    skipped_sheets=["填表说明", "Sheet4", "备份"],
    findings=[
        F("skipped_sheet", "填表说明", None, None),
        F("skipped_sheet", "Sheet4", None, None),
        F("skipped_sheet", "备份", None, None),
        F("funds_gt_contracted", "新签约项目", 4, "funds_in_place"),
    ],
))

# 4 ---- stage from a 建设性质 column; 项目类别 holding industries; 建设起止年限 ranges ---
S4A, S4B = "项目表", "产业项目"
fixture(Fixture(
    file="stage_by_column.xlsx",
    features=[
        "openpyxl xlsx", "stage from column 建设性质: 续建/新建/在建/前期/竣工 (+ 停建 -> unknown_stage)",
        "建设起止年限 ranges 2006-2008, 09.10-11.3, 2009－2011 (full-width dash), 2008.5-2009.6",
        "至上年底累计完成投资 -> prior_investment (not completed, not cumulative)",
        "completed > total -> completed_gt_total", "unit row 单位：万元 in the last column",
        "second sheet: 项目类别 holds 工业/农业/城建 -> industry, stage missing, no unknown_stage",
    ],
    writer=write_openpyxl,
    sheets=[
        Sheet(S4A, merges=("A1:K1",), widths={"B": 40, "D": 18, "E": 16, "J": 24}, rows=[
            TTL("秦州区重点建设项目计划表"),
            NOTE(*[None] * 10, "单位：万元"),
            HDR("序号", "项目名称", "建设性质", "建设地点", "建设起止年限", "总投资", "至上年底累计完成投资",
                "本年计划投资", "本年完成投资", "建设单位", "备注"),
            P([1, "秦州区藉河南岸防洪堤建设工程", "续建", "秦州区城区", "2006-2008", 9800, 6200, 3600, 1800,
               "秦州区水务局", None], tags=["all"],
              project_name="秦州区藉河南岸防洪堤建设工程", stage="续建", location="秦州区城区",
              start_date="2006", end_date="2008", total_investment=9800, prior_investment=6200,
              planned_investment=3600, completed_investment=1800, owner="秦州区水务局"),
            P([2, "天水锻造产业园标准化厂房建设项目", "新建", "秦州区皂郊镇", "09.10-11.3", 15000, None, 5000,
               1200, "天水锻造产业园管委会", None],
              project_name="天水锻造产业园标准化厂房建设项目", stage="新开工", location="秦州区皂郊镇",
              start_date="2009-10", end_date="2011-03", total_investment=15000, prior_investment=None,
              planned_investment=5000, completed_investment=1200, owner="天水锻造产业园管委会"),
            P([3, "秦州区中医院住院部综合楼建设项目", "在建", "秦州区城区", "2009－2011", 6500, 1500, 3000,
               1400, "秦州区中医院", None],
              project_name="秦州区中医院住院部综合楼建设项目", stage="续建", location="秦州区城区",
              start_date="2009", end_date="2011", total_investment=6500, prior_investment=1500,
              planned_investment=3000, completed_investment=1400, owner="秦州区中医院"),
            P([4, "秦州区天水湖生态治理工程", "前期", "秦州区七里墩街道", None, 20000, None, 500, None,
               "秦州区林业局", "可研报告已批复"],
              project_name="秦州区天水湖生态治理工程", stage="前期", location="秦州区七里墩街道",
              total_investment=20000, planned_investment=500, completed_investment=None,
              owner="秦州区林业局", progress_note="可研报告已批复"),
            P([5, "秦州区玉泉镇农村饮水安全工程", "竣工", "秦州区玉泉镇", "2008.5-2009.6", 800, 500, 300, 900,
               "秦州区水务局", "已完工，工程结算中"],
              project_name="秦州区玉泉镇农村饮水安全工程", stage="竣工", location="秦州区玉泉镇",
              start_date="2008-05", end_date="2009-06", total_investment=800, prior_investment=500,
              planned_investment=300, completed_investment=900, owner="秦州区水务局",
              progress_note="已完工，工程结算中"),
            P([6, "秦州区娘娘坝镇旅游服务中心建设项目", "停建", "秦州区娘娘坝镇", "2007-2009", 3000, 1200, None,
               None, "秦州区旅游局", "资金未落实"],
              project_name="秦州区娘娘坝镇旅游服务中心建设项目", stage=None, location="秦州区娘娘坝镇",
              start_date="2007", end_date="2009", total_investment=3000, prior_investment=1200,
              owner="秦州区旅游局", progress_note="资金未落实"),
            TOT([None, "合计", None, None, None, 55100, 9400, 12400, 5300, None, None], label="合计", covers="*",
                total_investment=55100, prior_investment=9400, planned_investment=12400,
                completed_investment=5300),
        ]),
        Sheet(S4B, widths={"B": 40, "E": 30}, rows=[
            HDR("序号", "项目名称", "项目类别", "总投资（万元）", "建设内容"),
            P([1, "天水长城电工开关柜生产线技改项目", "工业", 4200, "新增开关柜生产线2条"],
              project_name="天水长城电工开关柜生产线技改项目", industry="工业", total_investment=4200,
              content="新增开关柜生产线2条"),
            P([2, "秦州区万亩花椒种植基地建设项目", "农业", 1600, "种植花椒1万亩"],
              project_name="秦州区万亩花椒种植基地建设项目", industry="农业", total_investment=1600,
              content="种植花椒1万亩"),
            P([3, "秦州区城区背街小巷改造工程", "城建", 2800, "改造背街小巷35条"],
              project_name="秦州区城区背街小巷改造工程", industry="城建", total_investment=2800,
              content="改造背街小巷35条"),
            P([4, "天水星火机床配套零部件加工项目", "工业", 3500, "建设零部件加工车间"],
              project_name="天水星火机床配套零部件加工项目", industry="工业", total_investment=3500,
              content="建设零部件加工车间"),
            P([5, "秦州区设施蔬菜标准化示范园建设项目", "农业", 900, "建设日光温室200座"],
              project_name="秦州区设施蔬菜标准化示范园建设项目", industry="农业", total_investment=900,
              content="建设日光温室200座"),
        ]),
    ],
    findings=[
        F("completed_gt_total", S4A, 8, "completed_investment"),
        F("unknown_stage", S4A, 9, "stage"),
    ],
))

# 5 ---- nested sections: outer category, inner stage; 合计 + 其中：在建 + 小计 + 总计 ----
S5 = "重点项目"
fixture(Fixture(
    file="nested_sections.xlsx",
    features=[
        "openpyxl xlsx", "outer sections 一、工业项目（4个） / 二、基础设施项目（3个） -> section (numbering and counts stripped)",
        "inner sections （一）续建项目 / （二）新开工项目 / (一)在建 / (二)前期 -> stage",
        "合计 under the header and 总计 at the end", "breakdown row 其中：在建 under 合计 (a total, never a project)",
        "小计 per inner section", "建设规模及内容 -> content, 责任单位 -> owner, 年计划投资 -> planned",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(
        S5,
        merges=("A1:H1", "A6:H6", "A15:H15"),
        widths={"B": 40, "C": 28, "H": 26},
        rows=[
            TTL("秦州区2009年重点项目建设进度表"),
            NOTE("单位：万元"),
            HDR("序号", "项目名称", "建设规模及内容", "总投资", "年计划投资", "1-6月完成投资", "形象进度", "责任单位"),
            TOT([None, "合计", None, 48100, 15900, 6400], label="合计", covers="*",
                total_investment=48100, planned_investment=15900, completed_investment=6400),
            TOT([None, "其中：在建", None, 41100, 15400, 6400], label="其中：在建", covers="build",
                total_investment=41100, planned_investment=15400, completed_investment=6400),
            SEC("一、工业项目（4个）"),
            SEC(None, "（一）续建项目"),
            P([1, "天水长城开关厂智能开关柜生产线项目", "年产智能开关柜3000台", 8600, 3000, 1600, "设备安装",
               "天水长城开关厂"], tags=["i1", "build"],
              project_name="天水长城开关厂智能开关柜生产线项目", stage="续建", section="工业项目",
              content="年产智能开关柜3000台", total_investment=8600, planned_investment=3000,
              completed_investment=1600, progress_note="设备安装", owner="天水长城开关厂"),
            P([2, "天水风动机械公司凿岩机械技改项目", "新增数控加工中心12台", 4200, 1800, 900, "设备调试",
               "天水风动机械有限公司"], tags=["i1", "build"],
              project_name="天水风动机械公司凿岩机械技改项目", stage="续建", section="工业项目",
              content="新增数控加工中心12台", total_investment=4200, planned_investment=1800,
              completed_investment=900, progress_note="设备调试", owner="天水风动机械有限公司"),
            TOT([None, "小计", None, 12800, 4800, 2500], label="小计", covers="i1",
                total_investment=12800, planned_investment=4800, completed_investment=2500),
            SEC(None, "（二）新开工项目"),
            P([1, "秦州区电子信息产业园标准化厂房项目", "建设标准化厂房5万平方米", 12000, 4000, 1100, "基础施工",
               "秦州工业园区管委会"], tags=["i2", "build"],
              project_name="秦州区电子信息产业园标准化厂房项目", stage="新开工", section="工业项目",
              content="建设标准化厂房5万平方米", total_investment=12000, planned_investment=4000,
              completed_investment=1100, progress_note="基础施工", owner="秦州工业园区管委会"),
            P([2, "天水华圆制药新厂区建设项目", "建设GMP标准生产车间", 6800, 2500, 700, "场地平整",
               "天水华圆制药有限公司"], tags=["i2", "build"],
              project_name="天水华圆制药新厂区建设项目", stage="新开工", section="工业项目",
              content="建设GMP标准生产车间", total_investment=6800, planned_investment=2500,
              completed_investment=700, progress_note="场地平整", owner="天水华圆制药有限公司"),
            TOT([None, "小计", None, 18800, 6500, 1800], label="小计", covers="i2",
                total_investment=18800, planned_investment=6500, completed_investment=1800),
            SEC("二、基础设施项目（3个）"),
            SEC(None, "(一)在建"),
            P([1, "秦州区罗玉路道路改造工程", "改造道路4.2公里", 5600, 2600, 1300, "路基施工", "秦州区交通运输局"],
              tags=["b1", "build"],
              project_name="秦州区罗玉路道路改造工程", stage="续建", section="基础设施项目",
              content="改造道路4.2公里", total_investment=5600, planned_investment=2600,
              completed_investment=1300, progress_note="路基施工", owner="秦州区交通运输局"),
            P([2, "秦州区城区污水管网改造工程", "改造污水管网18公里", 3900, 1500, 800, "管网铺设",
               "秦州区住房和城乡建设局"], tags=["b1", "build"],
              project_name="秦州区城区污水管网改造工程", stage="续建", section="基础设施项目",
              content="改造污水管网18公里", total_investment=3900, planned_investment=1500,
              completed_investment=800, progress_note="管网铺设", owner="秦州区住房和城乡建设局"),
            TOT([None, "小计", None, 9500, 4100, 2100], label="小计", covers="b1",
                total_investment=9500, planned_investment=4100, completed_investment=2100),
            SEC(None, "(二)前期"),
            P([1, "秦州区城乡客运综合枢纽项目", "建设一级客运站1座", 7000, 500, None, "初步设计", "秦州区交通运输局"],
              tags=["b2"],
              project_name="秦州区城乡客运综合枢纽项目", stage="前期", section="基础设施项目",
              content="建设一级客运站1座", total_investment=7000, planned_investment=500,
              completed_investment=None, progress_note="初步设计", owner="秦州区交通运输局"),
            TOT([None, "小计", None, 7000, 500, None], label="小计", covers="b2",
                total_investment=7000, planned_investment=500, completed_investment=None),
            TOT([None, "总计", None, 48100, 15900, 6400], label="总计", covers="*",
                total_investment=48100, planned_investment=15900, completed_investment=6400),
        ],
    )],
))

# 6 ---- a total that does not add up, and one that differs only by rounding ----------
S6 = "Sheet1"
fixture(Fixture(
    file="total_mismatch.xlsx",
    features=[
        "openpyxl xlsx", "header in row 1 (no title)", "stage sections 一、在建项目 / 二、建成投产项目",
        "小计 whose 计划总投资 is 9000 but its projects sum to 8800 -> total_mismatch",
        "合计 whose 今年完成投资 differs from its projects by 0.004 (rounding; no finding)",
        "合计 at the bottom equals the projects (not the sum of the declared 小计s)",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(S6, widths={"A": 40, "B": 30}, rows=[
        HDR("项目名称", "项目业主", "计划总投资(万元)", "年度计划投资(万元)", "今年完成投资(万元)", "项目进展"),
        SEC("一、在建项目"),
        P(["秦州区东团庄棚户区改造项目", "秦州区城投公司", 5000, 1500, 120.334, "主体施工"], tags=["s1"],
          project_name="秦州区东团庄棚户区改造项目", stage="续建", owner="秦州区城投公司",
          total_investment=5000, planned_investment=1500, completed_investment=120.334,
          progress_note="主体施工"),
        P(["天水电子产业园配套道路工程", "秦州工业园区管委会", 2300, 800, 80.332, "路基完成"], tags=["s1"],
          project_name="天水电子产业园配套道路工程", stage="续建", owner="秦州工业园区管委会",
          total_investment=2300, planned_investment=800, completed_investment=80.332,
          progress_note="路基完成"),
        P(["秦州区第二人民医院门诊楼建设项目", "秦州区第二人民医院", 1500, 600, 45.5, "主体封顶"], tags=["s1"],
          project_name="秦州区第二人民医院门诊楼建设项目", stage="续建", owner="秦州区第二人民医院",
          total_investment=1500, planned_investment=600, completed_investment=45.5, progress_note="主体封顶"),
        TOT(["小计", None, 9000, 2900, 246.166, None], label="小计", covers="s1",
            total_investment=9000, planned_investment=2900, completed_investment=246.166),
        SEC("二、建成投产项目"),
        P(["秦州区天然气利用工程", "天水中石油昆仑燃气有限公司", 3200, 200, 150, "已通气"], tags=["s2"],
          project_name="秦州区天然气利用工程", stage="竣工", owner="天水中石油昆仑燃气有限公司",
          total_investment=3200, planned_investment=200, completed_investment=150, progress_note="已通气"),
        P(["天水果品交易市场建设项目", "天水果品市场开发有限公司", 1800, 300, 260.5, "已投入运营"], tags=["s2"],
          project_name="天水果品交易市场建设项目", stage="竣工", owner="天水果品市场开发有限公司",
          total_investment=1800, planned_investment=300, completed_investment=260.5,
          progress_note="已投入运营"),
        TOT(["小计", None, 5000, 500, 410.5, None], label="小计", covers="s2",
            total_investment=5000, planned_investment=500, completed_investment=410.5),
        TOT(["合计", None, 13800, 3400, 656.67, None], label="合计", covers="*",
            total_investment=13800, planned_investment=3400, completed_investment=656.67),
    ])],
    findings=[F("total_mismatch", S6, 6, "total_investment")],
))


# 7 ---- formulas: without cached values (openpyxl) and with them (hand-written XML) ---
def formula_rows(cached: bool):
    def f(expr, value):
        return Formula(expr, value if cached else None)

    return [
        TTL("2009年1-6月项目完成情况"),
        HDR("序号", "项目名称", "总投资（万元）", "本年计划投资（万元）", "1-6月完成投资（万元）"),
        P([1, "秦州区职业教育中心实训楼建设项目", 2400, 1200, 600],
          project_name="秦州区职业教育中心实训楼建设项目", total_investment=2400, planned_investment=1200,
          completed_investment=600),
        P([2, "秦州区全民健身中心建设项目", 3600, 1500, 700],
          project_name="秦州区全民健身中心建设项目", total_investment=3600, planned_investment=1500,
          completed_investment=700),
        P([3, "秦州区第三中学教学楼改扩建项目", f("2000+1500", 3500), 1000, 400],
          project_name="秦州区第三中学教学楼改扩建项目", total_investment=3500 if cached else None,
          planned_investment=1000, completed_investment=400),
        P([4, "秦州区社会福利院建设项目", 1800, 900, 300],
          project_name="秦州区社会福利院建设项目", total_investment=1800, planned_investment=900,
          completed_investment=300),
        P([5, "秦州区妇幼保健院业务楼建设项目", 2700, 1100, 500],
          project_name="秦州区妇幼保健院业务楼建设项目", total_investment=2700, planned_investment=1100,
          completed_investment=500),
        TOT([None, "合计", f("SUM(C3:C7)", 14000), 5700, f("SUM(E3:E7)", 2500)], label="合计", covers="*",
            total_investment=14000 if cached else None, planned_investment=5700,
            completed_investment=2500 if cached else None),
    ]


fixture(Fixture(
    file="formula_no_cache.xlsx",
    features=[
        "openpyxl xlsx with formulas (openpyxl stores no cached value)",
        "project cell =2000+1500 -> value missing + formula_without_value",
        "合计 cells =SUM(...) -> missing + formula_without_value; the plain-number 合计 cell is checked",
    ],
    writer=write_openpyxl,
    sheets=[Sheet("Sheet1", merges=("A1:E1",), widths={"B": 40}, rows=formula_rows(cached=False))],
    findings=[
        F("formula_without_value", "Sheet1", 5, "total_investment"),
        F("formula_without_value", "Sheet1", 8, "total_investment"),
        F("formula_without_value", "Sheet1", 8, "completed_investment"),
    ],
))

fixture(Fixture(
    file="formula_cached.xlsx",
    features=[
        "hand-written SpreadsheetML (shared-strings table, as Excel writes it), merged title",
        "formulas with cached <v> values -> the cached value is used, no finding",
        "sheet name 1-6月 (not a stage)",
    ],
    writer=write_raw_xlsx,
    sheets=[Sheet("1-6月", merges=("A1:E1",), rows=formula_rows(cached=True))],
))

# 8 ---- duplicate projects ------------------------------------------------------------
S8 = "项目清单"
fixture(Fixture(
    file="duplicate_projects.xlsx",
    features=[
        "openpyxl xlsx", "same project twice, once with an ideographic space inside the name",
        "same project twice, once written in traditional characters",
        "both copies kept, one duplicate_project per name, at its first row",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(S8, merges=("A1:E1",), widths={"B": 40, "C": 26, "E": 16}, rows=[
        TTL("秦州区2009年新建项目清单"),
        HDR("序号", "项目名称", "建设单位", "总投资（万元）", "建设地点"),
        P([1, "秦州区污水处理厂提标改造项目", "秦州区水务局", 4600, "秦州区城区"],
          project_name="秦州区污水处理厂提标改造项目", owner="秦州区水务局", total_investment=4600,
          location="秦州区城区"),
        P([2, "天水长城果汁集团浓缩果汁生产线", "天水长城果汁集团有限公司", 8800, "秦州区皂郊镇"],
          project_name="天水长城果汁集团浓缩果汁生产线", owner="天水长城果汁集团有限公司", total_investment=8800,
          location="秦州区皂郊镇"),
        P([3, "秦州区天水郡文化广场建设项目", "秦州区文化旅游局", 3000, "秦州区城区"],
          project_name="秦州区天水郡文化广场建设项目", owner="秦州区文化旅游局", total_investment=3000,
          location="秦州区城区"),
        P([4, "秦州区关子镇小流域综合治理项目", "秦州区水务局", 1200, "秦州区关子镇"],
          project_name="秦州区关子镇小流域综合治理项目", owner="秦州区水务局", total_investment=1200,
          location="秦州区关子镇"),
        P([5, "秦州区污水处理厂\u3000提标改造项目", "秦州区水务局", 4800, "秦州区城区"],
          project_name="秦州区污水处理厂提标改造项目", owner="秦州区水务局", total_investment=4800,
          location="秦州区城区"),
        P([6, "秦州区平南镇花牛苹果基地建设项目", "秦州区农业农村局", 2200, "秦州区平南镇"],
          project_name="秦州区平南镇花牛苹果基地建设项目", owner="秦州区农业农村局", total_investment=2200,
          location="秦州区平南镇"),
        P([7, "天水長城果汁集團濃縮果汁生產線", "天水长城果汁集团有限公司", 8800, "秦州区皂郊镇"],
          project_name="天水长城果汁集团浓缩果汁生产线", owner="天水长城果汁集团有限公司", total_investment=8800,
          location="秦州区皂郊镇"),
    ])],
    findings=[
        F("duplicate_project", S8, 3, "project_name"),
        F("duplicate_project", S8, 4, "project_name"),
    ],
))

# 9 ---- traditional characters and pinyin artefacts ----------------------------------
S9 = "上半年"
fixture(Fixture(
    file="traditional_pinyin.xlsx",
    features=[
        "openpyxl xlsx", "traditional headers with pinyin artefacts: 序號, 項(xiàng)目名稱, 建設單位, 總投資, 合同引資, "
        "今年完成投資, 引進到位資金", "traditional title and unit row 單位：萬元",
        "traditional stage sections 一、續建項目（4個） / 二、新簽約項目（5個）",
        "names with pinyin artefacts 項(xiàng), 區(qū) and traditional characters -> simplified",
        "full-width digits and parentheses in names (NFKC: ２０００ -> 2000, （一期） -> (一期))",
        "traditional 合計 at the end, label in the 序號 column",
        "place name 藉口鎮 -> 藉口镇 (phrase-level t2s such as OpenCC turns 藉口 into 借口; the district's "
        "town name must survive: convert characters, not phrases, or protect place names)",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(S9, merges=("A1:G1", "A4:G4", "A10:G10"), widths={"B": 46, "C": 28}, rows=[
        TTL("秦州區(qū)上半年招商引資項(xiàng)目進展情況表"),
        NOTE("單位：萬元"),
        HDR("序號", "項(xiàng)目名稱", "建設單位", "總投資", "合同引資", "今年完成投資", "引進到位資金"),
        SEC("一、續建項目（5個）"),
        P([1, "瑞德電器1500臺/套高低壓啟動設備生產項(xiàng)目", "天水瑞德电器有限公司", 3200, 3000, 1100, 1000],
          project_name="瑞德电器1500台/套高低压启动设备生产项目", stage="续建", owner="天水瑞德电器有限公司",
          total_investment=3200, contracted_investment=3000, completed_investment=1100, funds_in_place=1000),
        P([2, "派爾彩印包裝生產線建設", "天水派尔彩印包装有限公司", 2600, 2600, 900, 850],
          project_name="派尔彩印包装生产线建设", stage="续建", owner="天水派尔彩印包装有限公司",
          total_investment=2600, contracted_investment=2600, completed_investment=900, funds_in_place=850),
        P([3, "大華電力通訊設備生產", "天水大华电力设备有限公司", 4100, 3800, 1500, 1200],
          project_name="大华电力通讯设备生产", stage="续建", owner="天水大华电力设备有限公司",
          total_investment=4100, contracted_investment=3800, completed_investment=1500, funds_in_place=1200),
        P([4, "西聯蜂業蜂產品深加工", "天水西联蜂业有限公司", 1800, 1500, 600, 600],
          project_name="西联蜂业蜂产品深加工", stage="续建", owner="天水西联蜂业有限公司",
          total_investment=1800, contracted_investment=1500, completed_investment=600, funds_in_place=600),
        P([5, "秦州區(qū)藉口鎮中心小學教學樓項(xiàng)目", "秦州区教育局", 900, 900, 300, 300],
          project_name="秦州区藉口镇中心小学教学楼项目", stage="续建", owner="秦州区教育局",
          total_investment=900, contracted_investment=900, completed_investment=300, funds_in_place=300),
        SEC("二、新簽約項目（5個）"),
        P([1, "２０００頭荷斯坦奶牛養殖基地建設", "天水秦州奶业有限公司", 5000, 4500, 800, 800],
          project_name="2000头荷斯坦奶牛养殖基地建设", stage="新签约", owner="天水秦州奶业有限公司",
          total_investment=5000, contracted_investment=4500, completed_investment=800, funds_in_place=800),
        P([2, "紅豆杉繁育基地建設", "天水红豆杉生物科技有限公司", 1200, 1000, 300, 300],
          project_name="红豆杉繁育基地建设", stage="新签约", owner="天水红豆杉生物科技有限公司",
          total_investment=1200, contracted_investment=1000, completed_investment=300, funds_in_place=300),
        P([3, "SSOP集成電路引線框架生產線", "天水华天科技股份有限公司", 6000, 6000, 1000, 900],
          project_name="SSOP集成电路引线框架生产线", stage="新签约", owner="天水华天科技股份有限公司",
          total_investment=6000, contracted_investment=6000, completed_investment=1000, funds_in_place=900),
        P([4, "皂郊水廠改擴建（一期）", "秦州区水务局", 3353, 2000, 500, 500],
          project_name="皂郊水厂改扩建(一期)", stage="新签约", owner="秦州区水务局",
          total_investment=3353, contracted_investment=2000, completed_investment=500, funds_in_place=500),
        P([5, "秦州區(qū)萬達廣場城市綜合體項(xiàng)目", "天水万达广场有限公司", 8000, 8000, 1200, 1000],
          project_name="秦州区万达广场城市综合体项目", stage="新签约", owner="天水万达广场有限公司",
          total_investment=8000, contracted_investment=8000, completed_investment=1200, funds_in_place=1000),
        TOT(["合計", None, None, 36153, 33300, 8200, 7450], label="合計", covers="*",
            total_investment=36153, contracted_investment=33300, completed_investment=8200,
            funds_in_place=7450),
    ])],
))

# 10 ---- legacy .xls, .ods, .xlsm ----------------------------------------------------
S10A = "招商项目"
fixture(Fixture(
    file="legacy_merged.xls",
    features=[
        "xlwt BIFF8 .xls", "merged title", "填报单位 and 单位：万元 on the same row (A and G:H)",
        "two-row merged header via write_merge (今年1-6月 over 完成投资|到位资金)",
        "sections 一、在谈项目 / 二、储备项目 / 三、已签约项目 -> 洽谈 / 储备 / 新签约",
        "投资主体 -> funding_source (text as given)", "合计 at the end",
    ],
    writer=write_xlwt,
    sheets=[Sheet(
        S10A,
        merges=("A1:H1", "G2:H2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3", "H3:H4", "A5:H5"),
        widths={"B": 34, "H": 16},
        rows=[
            TTL("秦州区招商引资项目情况表"),
            NOTE("填报单位：秦州区招商局", None, None, None, None, None, "单位：万元"),
            HDR("序号", "项目名称", "投资主体", "总投资", "合同引资", "今年1-6月", None, "备注"),
            HDR(None, None, None, None, None, "完成投资", "到位资金", None),
            SEC("一、在谈项目（2个）"),
            P([1, "秦州区光伏农业示范园项目", "民营", 12000, None, None, None, "已考察两次"],
              project_name="秦州区光伏农业示范园项目", stage="洽谈", funding_source="民营",
              total_investment=12000, progress_note="已考察两次"),
            P([2, "天水汽车零部件产业园项目", "外资", 30000, None, None, None, "投资意向明确"],
              project_name="天水汽车零部件产业园项目", stage="洽谈", funding_source="外资",
              total_investment=30000, progress_note="投资意向明确"),
            SEC(None, "二、储备项目（2个）"),
            P([1, "秦州区养老服务综合体项目", "国有", 8000, None, None, None, "编制项目建议书"],
              project_name="秦州区养老服务综合体项目", stage="储备", funding_source="国有",
              total_investment=8000, progress_note="编制项目建议书"),
            P([2, "秦州区冷链物流中心项目", "民营", 6000, None, None, None, None],
              project_name="秦州区冷链物流中心项目", stage="储备", funding_source="民营",
              total_investment=6000),
            SEC(None, "三、已签约项目（2个）"),
            P([1, "秦州区中药材加工园项目", "民营", 9000, 8500, 1500, 1200, "已开工"],
              project_name="秦州区中药材加工园项目", stage="新签约", funding_source="民营",
              total_investment=9000, contracted_investment=8500, completed_investment=1500,
              funds_in_place=1200, progress_note="已开工"),
            P([2, "天水文化旅游综合开发项目", "国有、民营", 15000, 15000, 2000, 2000, None],
              project_name="天水文化旅游综合开发项目", stage="新签约", funding_source="国有、民营",
              total_investment=15000, contracted_investment=15000, completed_investment=2000,
              funds_in_place=2000),
            TOT([None, "合计", None, 80000, 23500, 3500, 3200, None], label="合计", covers="*",
                total_investment=80000, contracted_investment=23500, completed_investment=3500,
                funds_in_place=3200),
        ],
    )],
))

S10B = "项目进展"
fixture(Fixture(
    file="ods_basic.ods",
    features=[
        "odfpy OpenDocument .ods", "title spanned over all columns (number-columns-spanned)",
        "项目状态: 建成/投产/完工 -> 竣工, 新上 -> 新开工, 在建 -> 续建, 谋划 -> 储备",
        "所在乡镇 -> location", "开工累计完成投资 -> cumulative_investment",
        "ODS date cells (office:date-value) and a text date 2009年5月", "共计 total at the end", "注：note",
    ],
    writer=write_ods,
    sheets=[Sheet(S10B, merges=("A1:H1", "A10:H10"), rows=[
        TTL("秦州区2009年6月项目建设进展表"),
        HDR("项目名称", "项目状态", "所在乡镇", "总投资（万元）", "开工累计完成投资（万元）", "开工时间", "竣工时间",
            "进展情况"),
        P(["秦州区太京镇集中供水工程", "建成", "太京镇", 1500, 1500, dt.date(2008, 4, 1), dt.date(2009, 5, 1),
           "已通水"],
          project_name="秦州区太京镇集中供水工程", stage="竣工", location="太京镇", total_investment=1500,
          cumulative_investment=1500, start_date="2008-04", end_date="2009-05", progress_note="已通水"),
        P(["天水恒达水泥粉磨站项目", "投产", "皂郊镇", 6800, 6500, dt.date(2007, 9, 1), "2009年5月", "已投产"],
          project_name="天水恒达水泥粉磨站项目", stage="竣工", location="皂郊镇", total_investment=6800,
          cumulative_investment=6500, start_date="2007-09", end_date="2009-05", progress_note="已投产"),
        P(["秦州区汪川镇小学教学楼项目", "完工", "汪川镇", 450, 450, dt.date(2008, 8, 1), dt.date(2009, 6, 1),
           "已交付使用"],
          project_name="秦州区汪川镇小学教学楼项目", stage="竣工", location="汪川镇", total_investment=450,
          cumulative_investment=450, start_date="2008-08", end_date="2009-06", progress_note="已交付使用"),
        P(["秦州区天水镇农产品交易市场项目", "新上", "天水镇", 2200, 300, dt.date(2009, 4, 1), None, "基础施工"],
          project_name="秦州区天水镇农产品交易市场项目", stage="新开工", location="天水镇",
          total_investment=2200, cumulative_investment=300, start_date="2009-04", progress_note="基础施工"),
        P(["秦州区牡丹镇乡村道路硬化工程", "在建", "牡丹镇", 900, 420, dt.date(2008, 10, 1), None, "路面铺设"],
          project_name="秦州区牡丹镇乡村道路硬化工程", stage="续建", location="牡丹镇", total_investment=900,
          cumulative_investment=420, start_date="2008-10", progress_note="路面铺设"),
        P(["秦州区华岐乡生态移民安置项目", "谋划", "华岐乡", 3000, None, None, None, "编制规划"],
          project_name="秦州区华岐乡生态移民安置项目", stage="储备", location="华岐乡", total_investment=3000,
          progress_note="编制规划"),
        TOT(["共计", None, None, 14850, 9170, None, None, None], label="共计", covers="*",
            total_investment=14850, cumulative_investment=9170),
        NOTE("注：开工累计完成投资含以前年度完成投资。"),
    ])],
))

fixture(Fixture(
    file="macro_enabled.xlsm",
    features=[
        "openpyxl xlsx repackaged with the macro-enabled main content type (.xlsm, no VBA part)",
        "header in row 1, no unit anywhere (amounts taken as 万元)",
        "项目阶段: 储备, 谋划 -> 储备; 报批 -> 前期; 已签约 -> 新签约; 新上 -> 新开工; 意向 -> 洽谈; 建成投产 -> 竣工",
        "行业 -> industry, 资金来源 (text) -> funding_source, both as given",
    ],
    writer=write_xlsm,
    sheets=[Sheet("Sheet1", widths={"A": 36, "D": 36, "F": 26}, rows=[
        HDR("项目名称", "项目阶段", "行业", "资金来源", "总投资", "建设内容"),
        P(["秦州区智慧停车场建设项目", "储备", "交通运输", "企业自筹", 3500, "建设智能停车场6处"],
          project_name="秦州区智慧停车场建设项目", stage="储备", industry="交通运输", funding_source="企业自筹",
          total_investment=3500, content="建设智能停车场6处"),
        P(["秦州区花牛苹果深加工项目", "谋划", "农产品加工", "招商引资", 12000, "建设果汁果酱生产线"],
          project_name="秦州区花牛苹果深加工项目", stage="储备", industry="农产品加工", funding_source="招商引资",
          total_investment=12000, content="建设果汁果酱生产线"),
        P(["秦州区城市地下综合管廊项目", "报批", "市政设施", "中央预算内投资、地方政府专项债券", 45000,
           "建设综合管廊8公里"],
          project_name="秦州区城市地下综合管廊项目", stage="前期", industry="市政设施",
          funding_source="中央预算内投资、地方政府专项债券", total_investment=45000, content="建设综合管廊8公里"),
        P(["天水高端装备制造产业园项目", "已签约", "装备制造", "企业自筹、银行贷款", 60000, "建设装备制造标准厂房"],
          project_name="天水高端装备制造产业园项目", stage="新签约", industry="装备制造",
          funding_source="企业自筹、银行贷款", total_investment=60000, content="建设装备制造标准厂房"),
        P(["秦州区全域旅游服务中心项目", "新上", "文化旅游", "区级财政", 2600, "建设游客服务中心"],
          project_name="秦州区全域旅游服务中心项目", stage="新开工", industry="文化旅游", funding_source="区级财政",
          total_investment=2600, content="建设游客服务中心"),
        P(["秦州区生物医药孵化基地项目", "意向", "医药制造", "外商投资", 18000, "建设医药研发孵化楼"],
          project_name="秦州区生物医药孵化基地项目", stage="洽谈", industry="医药制造", funding_source="外商投资",
          total_investment=18000, content="建设医药研发孵化楼"),
        P(["秦州区垃圾焚烧发电项目", "建成投产", "电力生产", "银行贷款", 32000, "日处理生活垃圾600吨"],
          project_name="秦州区垃圾焚烧发电项目", stage="竣工", industry="电力生产", funding_source="银行贷款",
          total_investment=32000, content="日处理生活垃圾600吨"),
    ])],
))

# 11 ---- CSV ---------------------------------------------------------------------------
fixture(Fixture(
    file="csv_utf8_bom.csv",
    features=["UTF-8 with BOM", "LF line endings", "header in line 1", "quoted amounts with thousands commas \"1,500\"",
              "项目状态 -> stage", "合计 line at the end (label in the 项目名称 column)"],
    writer=write_csv, encoding="utf-8-sig",
    sheets=[Sheet("csv_utf8_bom", rows=[
        HDR("序号", "项目名称", "项目状态", "总投资（万元）", "本年完成投资（万元）", "建设单位"),
        P([1, "秦州区城区道路亮化工程", "续建", "1,500", 600, "秦州区城市管理局"],
          project_name="秦州区城区道路亮化工程", stage="续建", total_investment=1500, completed_investment=600,
          owner="秦州区城市管理局"),
        P([2, "秦州区体育馆维修改造项目", "新开工", 800, 200, "秦州区教育体育局"],
          project_name="秦州区体育馆维修改造项目", stage="新开工", total_investment=800, completed_investment=200,
          owner="秦州区教育体育局"),
        P([3, "天水市秦州区档案馆建设项目", "前期", 2600, None, "秦州区档案局"],
          project_name="天水市秦州区档案馆建设项目", stage="前期", total_investment=2600, owner="秦州区档案局"),
        P([4, "秦州区殡仪馆迁建项目", "洽谈", 5000, None, "秦州区民政局"],
          project_name="秦州区殡仪馆迁建项目", stage="洽谈", total_investment=5000, owner="秦州区民政局"),
        P([5, "秦州区玉泉观景区保护提升工程", "竣工", 3300, 1000, "秦州区文化旅游局"],
          project_name="秦州区玉泉观景区保护提升工程", stage="竣工", total_investment=3300,
          completed_investment=1000, owner="秦州区文化旅游局"),
        TOT([None, "合计", None, "13,200", 1800, None], label="合计", covers="*",
            total_investment=13200, completed_investment=1800),
    ])],
))

fixture(Fixture(
    file="csv_utf8_nobom.csv",
    features=["UTF-8 without BOM whose bytes also decode as GB18030 without error (mojibake trap: "
              "a reader that tries GB18030 first gets garbage headers)",
              "every run of Chinese characters has an even length so the GB18030 decode succeeds",
              "项目阶段 -> stage: 续建/新建/在建/竣工/前期", "no unit anywhere (amounts taken as 万元)",
              "年度计划投资 / 本年完成投资 / 到位资金", "合计 line at the end"],
    writer=write_csv, encoding="utf-8",
    sheets=[Sheet("csv_utf8_nobom", rows=[
        HDR("序号", "项目名称", "项目阶段", "建设单位", "年度计划投资", "本年完成投资", "到位资金"),
        P([1, "秦州城区污水管网建设工程", "续建", "秦州区水务局", 2000, 800, 600],
          project_name="秦州城区污水管网建设工程", stage="续建", owner="秦州区水务局", planned_investment=2000,
          completed_investment=800, funds_in_place=600),
        P([2, "天水电子产业园区配套道路", "新建", "秦州工业园区", 1500, 300, 300],
          project_name="天水电子产业园区配套道路", stage="新开工", owner="秦州工业园区", planned_investment=1500,
          completed_investment=300, funds_in_place=300),
        P([3, "秦州区人民医院门诊楼建设", "在建", "秦州区卫健局", 900, 400, 350],
          project_name="秦州区人民医院门诊楼建设", stage="续建", owner="秦州区卫健局", planned_investment=900,
          completed_investment=400, funds_in_place=350),
        P([4, "秦州区藉河风情线景观提升", "竣工", "秦州区住建局", 600, 600, 600],
          project_name="秦州区藉河风情线景观提升", stage="竣工", owner="秦州区住建局", planned_investment=600,
          completed_investment=600, funds_in_place=600),
        P([5, "天水花牛苹果冷链物流中心", "前期", "天水果品公司", 300, None, None],
          project_name="天水花牛苹果冷链物流中心", stage="前期", owner="天水果品公司", planned_investment=300),
        P([6, "秦州全民健身中心建设项目", "续建", "秦州区体育局", 700, 350, 200],
          project_name="秦州全民健身中心建设项目", stage="续建", owner="秦州区体育局", planned_investment=700,
          completed_investment=350, funds_in_place=200),
        TOT([None, "合计", None, None, 6000, 2450, 2050], label="合计", covers="*",
            planned_investment=6000, completed_investment=2450, funds_in_place=2050),
    ])],
))

fixture(Fixture(
    file="csv_gb18030.csv",
    features=["GB18030 with characters outside GBK: 䶮 (U+4DAE, 2-byte FE9F) and 𠮷 (U+20BB7, 4-byte)",
              "a GBK decode fails; a reader must fall back to GB18030", "header in line 1, no totals",
              "今年完成投资 -> completed"],
    writer=write_csv, encoding="gb18030",
    sheets=[Sheet("csv_gb18030", rows=[
        HDR("项目名称", "建设单位", "总投资（万元）", "今年完成投资（万元）"),
        P(["秦州区䶮山生态旅游开发项目", "天水䶮山旅游开发有限公司", 5000, 800],
          project_name="秦州区䶮山生态旅游开发项目", owner="天水䶮山旅游开发有限公司", total_investment=5000,
          completed_investment=800),
        P(["天水𠮷祥农业科技示范园项目", "天水𠮷祥农业科技有限公司", 2600, 500],
          project_name="天水𠮷祥农业科技示范园项目", owner="天水𠮷祥农业科技有限公司", total_investment=2600,
          completed_investment=500),
        P(["秦州区垃圾分类处理中心项目", "秦州区城市管理局", 4200, 1000],
          project_name="秦州区垃圾分类处理中心项目", owner="秦州区城市管理局", total_investment=4200,
          completed_investment=1000),
        P(["秦州区畜禽粪污资源化利用项目", "秦州区农业农村局", 1800, 600],
          project_name="秦州区畜禽粪污资源化利用项目", owner="秦州区农业农村局", total_investment=1800,
          completed_investment=600),
        P(["秦州区中小学校舍维修工程", "秦州区教育局", 1300, 1300],
          project_name="秦州区中小学校舍维修工程", owner="秦州区教育局", total_investment=1300,
          completed_investment=1300),
    ])],
))

fixture(Fixture(
    file="csv_gbk.csv",
    features=["GBK (a UTF-8 decode fails)", "CRLF line endings", "header in line 1",
              "建设性质 -> stage (续建/新建/在建/前期/竣工)", "1-6月完成投资 / 形象进度", "合计 line at the end"],
    writer=write_csv, encoding="gbk", newline="\r\n",
    sheets=[Sheet("csv_gbk", rows=[
        HDR("序号", "项目名称", "建设性质", "总投资（万元）", "1-6月完成投资（万元）", "形象进度"),
        P([1, "秦州区南山公园提升改造工程", "续建", 2500, 700, "园路施工"],
          project_name="秦州区南山公园提升改造工程", stage="续建", total_investment=2500, completed_investment=700,
          progress_note="园路施工"),
        P([2, "秦州区农村公路安保工程", "新建", 1100, 300, "完成招标"],
          project_name="秦州区农村公路安保工程", stage="新开工", total_investment=1100, completed_investment=300,
          progress_note="完成招标"),
        P([3, "秦州区城区集贸市场改造项目", "在建", 1700, 650, "主体施工"],
          project_name="秦州区城区集贸市场改造项目", stage="续建", total_investment=1700, completed_investment=650,
          progress_note="主体施工"),
        P([4, "秦州区第二水厂建设项目", "前期", 9000, None, "可研编制"],
          project_name="秦州区第二水厂建设项目", stage="前期", total_investment=9000, progress_note="可研编制"),
        P([5, "秦州区中医医院康复楼项目", "竣工", 3200, 400, "已交付"],
          project_name="秦州区中医医院康复楼项目", stage="竣工", total_investment=3200, completed_investment=400,
          progress_note="已交付"),
        TOT([None, "合计", None, 17500, 2050, None], label="合计", covers="*",
            total_investment=17500, completed_investment=2050),
    ])],
))

fixture(Fixture(
    file="csv_title_unit.csv",
    features=["UTF-8 with BOM", "CRLF", "title line and unit line 单位：亿元 above the header (Excel-style trailing commas)",
              "amounts in 亿元 -> 万元", "合计 line at the end"],
    writer=write_csv, encoding="utf-8-sig", newline="\r\n",
    sheets=[Sheet("csv_title_unit", rows=[
        TTL("秦州区2009年上半年重点项目进展表"),
        NOTE("单位：亿元"),
        HDR("序号", "项目名称", "建设单位", "总投资", "本年计划投资", "1-6月完成投资"),
        P([1, "天水至秦州快速通道建设工程", "秦州区交通运输局", 3.5, 1.2, 0.5],
          project_name="天水至秦州快速通道建设工程", owner="秦州区交通运输局", total_investment=35000,
          planned_investment=12000, completed_investment=5000),
        P([2, "秦州区棚户区改造三期工程", "秦州区城投公司", 2.25, 0.75, 0.25],
          project_name="秦州区棚户区改造三期工程", owner="秦州区城投公司", total_investment=22500,
          planned_investment=7500, completed_investment=2500),
        P([3, "秦州区工业园区污水处理厂项目", "秦州工业园区管委会", 0.8, 0.3, 0.125],
          project_name="秦州区工业园区污水处理厂项目", owner="秦州工业园区管委会", total_investment=8000,
          planned_investment=3000, completed_investment=1250),
        P([4, "秦州区新建幼儿园项目", "秦州区教育局", 0.5, 0.25, 0.1],
          project_name="秦州区新建幼儿园项目", owner="秦州区教育局", total_investment=5000,
          planned_investment=2500, completed_investment=1000),
        P([5, "秦州区城区集中供热扩容工程", "天水热力公司", 1.6, 0.6, 0.2],
          project_name="秦州区城区集中供热扩容工程", owner="天水热力公司", total_investment=16000,
          planned_investment=6000, completed_investment=2000),
        TOT([None, "合计", None, 8.65, 3.1, 1.175], label="合计", covers="*",
            total_investment=86500, planned_investment=31000, completed_investment=11750),
    ])],
))


# 12 ---- layouts from blind testing: what district and county offices really send ------

# A WPS-style .xls with a three-row header: 投资情况 over 总投资 | 2010年 | 累计完成投资, and
# 2010年 over 计划投资 | 1-6月完成 | 到位资金 (完成 without 投资); one 建设单位 merged over
# three project rows; blank rows between sections.
S12 = "Sheet1"
fixture(Fixture(
    file="legacy_three_row.xls",
    features=[
        "xlwt (BIFF8) three-row header with merged parents (投资情况 > 2010年 > 计划投资|1-6月完成|到位资金)",
        "1-6月完成 (no 投资) under an 投资 parent -> completed_investment",
        "建设单位 merged vertically over three project rows -> owner on each",
        "总计 right under the header", "blank rows between sections", "建设起止年限 ranges",
    ],
    writer=write_xlwt,
    sheets=[Sheet(
        S12,
        merges=("A1:J1", "A2:E2", "I2:J2", "A3:A5", "B3:B5", "C3:C5", "D3:H3", "I3:I5", "J3:J5",
                "D4:D5", "E4:G4", "H4:H5", "A6:C6", "A7:J7", "C8:C10", "A12:J12"),
        rows=[
            TTL("秦州区2010年上半年重点项目完成情况统计表"),
            NOTE("填报单位：秦州区统计局", None, None, None, None, None, None, None, "单位：万元"),
            HDR("序号", "项目名称", "建设单位", "投资情况", None, None, None, None, "建设起止年限", "形象进度"),
            HDR(None, None, None, "总投资", "2010年", None, None, "累计完成投资"),
            HDR(None, None, None, None, "计划投资", "1-6月完成", "到位资金"),
            TOT(["总计", None, None, 48500, 14400, 6100, 5600, 19000], label="总计", covers="*",
                total_investment=48500, planned_investment=14400, completed_investment=6100,
                funds_in_place=5600, cumulative_investment=19000),
            SEC("一、续建项目"),
            P([1, "秦州区藉河北岸棚户区改造", "秦州区城市建设投资有限公司", 22000, 6000, 2600, 2400, 9800,
               "2009-2011", "3栋主体封顶"],
              project_name="秦州区藉河北岸棚户区改造", stage="续建", owner="秦州区城市建设投资有限公司",
              total_investment=22000, planned_investment=6000, completed_investment=2600,
              funds_in_place=2400, cumulative_investment=9800, start_date="2009", end_date="2011",
              progress_note="3栋主体封顶"),
            P([2, "秦州区罗玉路拓宽改造", None, 8600, 3000, 1700, 1500, 5200, "2009.4-2010.10", "路面铺设"],
              project_name="秦州区罗玉路拓宽改造", stage="续建", owner="秦州区城市建设投资有限公司",
              total_investment=8600, planned_investment=3000, completed_investment=1700,
              funds_in_place=1500, cumulative_investment=5200, start_date="2009-04",
              end_date="2010-10", progress_note="路面铺设"),
            P([3, "秦州区西关历史街区保护", None, 12000, 2500, 900, 800, 3100, "2008-2011", "古民居修缮"],
              project_name="秦州区西关历史街区保护", stage="续建", owner="秦州区城市建设投资有限公司",
              total_investment=12000, planned_investment=2500, completed_investment=900,
              funds_in_place=800, cumulative_investment=3100, start_date="2008", end_date="2011",
              progress_note="古民居修缮"),
            BLANK(),
            SEC("二、新开工项目"),
            P([1, "秦州区太京工业园道路", "秦州区工业园区管委会", 5000, 2000, 600, 600, 600, "2010-2011",
               "路基施工"],
              project_name="秦州区太京工业园道路", stage="新开工", owner="秦州区工业园区管委会",
              total_investment=5000, planned_investment=2000, completed_investment=600,
              funds_in_place=600, cumulative_investment=600, start_date="2010", end_date="2011",
              progress_note="路基施工"),
            P([2, "秦州区天水镇卫生院", "秦州区卫生局", 900, 900, 300, 300, 300, "2010.3-2010.12", "基础完成"],
              project_name="秦州区天水镇卫生院", stage="新开工", owner="秦州区卫生局",
              total_investment=900, planned_investment=900, completed_investment=300,
              funds_in_place=300, cumulative_investment=300, start_date="2010-03",
              end_date="2010-12", progress_note="基础完成"),
            BLANK(),
            NOTE("注：1-6月完成指2010年1-6月完成投资。"),
        ],
    )],
))

# Stage only in a 备注 column of pure stage words; two 总投资 columns (概算 | 调整后: the first
# is total_investment, the second is kept as an extra column); 合计 at the bottom wrong in
# one column; 填报单位（盖章）： is a note; 年度资金到位 is funds_in_place.
S13 = "Sheet1"
fixture(Fixture(
    file="remark_stage_bottom_total.xlsx",
    features=[
        "填报单位（盖章）：… (bracketed remark before the colon) is a note row",
        "two-row header: 总投资 over 概算 | 调整后 (first is total_investment, the other an extra)",
        "年度资金到位 -> funds_in_place", "建设单位 merged over three project rows",
        "stage only in 备注 (续建/新开工/前期, nothing else) -> stage; 备注 stays progress_note",
        "合计 at the bottom, wrong in 本年计划投资 only -> one total_mismatch",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S13, 10, "planned_investment")],
    sheets=[Sheet(
        S13,
        merges=("A1:I1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4", "G3:G4", "H3:H4", "I3:I4",
                "C5:C7"),
        rows=[
            TTL("武山县2010年重点建设项目台账"),
            NOTE("填报单位（盖章）：武山县发展和改革局", None, None, None, None, None, None, None, "单位：万元"),
            HDR("序号", "项目名称", "建设单位", "总投资", None, "本年计划投资", "本年完成投资", "年度资金到位",
                "备注"),
            HDR(None, None, None, "概算", "调整后"),
            P([1, "武山县城区集中供热", "武山县城市建设投资公司", 9000, 9800, 3000, 1500, 1200, "续建"],
              project_name="武山县城区集中供热", stage="续建", owner="武山县城市建设投资公司",
              total_investment=9000, planned_investment=3000, completed_investment=1500,
              funds_in_place=1200, progress_note="续建"),
            P([2, "武山县滨河路", None, 6000, 6500, 2500, 1100, 1000, "续建"],
              project_name="武山县滨河路", stage="续建", owner="武山县城市建设投资公司",
              total_investment=6000, planned_investment=2500, completed_investment=1100,
              funds_in_place=1000, progress_note="续建"),
            P([3, "武山县体育馆", None, 4000, 4000, 1500, 200, 200, "新开工"],
              project_name="武山县体育馆", stage="新开工", owner="武山县城市建设投资公司",
              total_investment=4000, planned_investment=1500, completed_investment=200,
              funds_in_place=200, progress_note="新开工"),
            P([4, "武山县洛门镇污水处理厂", "武山县住建局", 3500, 3600, 1000, None, None, "前期"],
              project_name="武山县洛门镇污水处理厂", stage="前期", owner="武山县住建局",
              total_investment=3500, planned_investment=1000, progress_note="前期"),
            P([5, "武山县温泉旅游开发", "武山县旅游局", 12000, None, 2000, 800, 600, "新开工"],
              project_name="武山县温泉旅游开发", stage="新开工", owner="武山县旅游局",
              total_investment=12000, planned_investment=2000, completed_investment=800,
              funds_in_place=600, progress_note="新开工"),
            TOT(["合计", None, None, 34500, 23900, 11000, 3600, 3000], label="合计", covers="*",
                total_investment=34500, planned_investment=11000, completed_investment=3600,
                funds_in_place=3000),
            NOTE("注：调整后总投资为经批准调整后的概算。"),
        ],
    )],
))

# Sub-projects numbered 2.1 / 2.2 under a project numbered 2: the parent row is a total over
# them (not a project, or it would be counted twice); stage written at the end of the name
# in brackets; a 合计 label with spaces inside.
S14 = "重点项目"
fixture(Fixture(
    file="subprojects_name_stage.xlsx",
    features=[
        "序号 2 over 2.1 / 2.2 (Excel numbers): the parent row is a total over its sub-projects",
        "the sheet 合计 covers the sub-projects, not the parent (no false total_mismatch)",
        "stage in brackets at the end of the name: （续建） （新建） (前期)",
        "total label with spaces inside (合  计) kept as written",
    ],
    writer=write_openpyxl,
    sheets=[Sheet(
        S14,
        rows=[
            TTL("天水市2010年市列重点项目表"),
            HDR("序号", "项目名称", "项目业主", "总投资", "2010年计划投资", "1-6月完成投资", "形象进度"),
            TOT(["合  计", None, None, 104000, 24500, 10000], label="合  计", covers="*",
                total_investment=104000, planned_investment=24500, completed_investment=10000),
            P([1, "天水市城市综合体（续建）", "天水万达广场投资有限公司", 40000, 10000, 5200, "主体施工"],
              project_name="天水市城市综合体(续建)", stage="续建", owner="天水万达广场投资有限公司",
              total_investment=40000, planned_investment=10000, completed_investment=5200,
              progress_note="主体施工"),
            TOT([2, "藉河风情线综合开发", "天水市城投公司", 26000, 8000, 3900, "分段实施"],
                label="藉河风情线综合开发", covers="g",
                total_investment=26000, planned_investment=8000, completed_investment=3900),
            P([2.1, "藉河风情线道路工程", "天水市城投公司", 16000, 5000, 2600, "路基施工"], tags=["g"],
              project_name="藉河风情线道路工程", owner="天水市城投公司", total_investment=16000,
              planned_investment=5000, completed_investment=2600, progress_note="路基施工"),
            P([2.2, "藉河风情线绿化景观工程", "天水市城投公司", 10000, 3000, 1300, "苗木栽植"], tags=["g"],
              project_name="藉河风情线绿化景观工程", owner="天水市城投公司", total_investment=10000,
              planned_investment=3000, completed_investment=1300, progress_note="苗木栽植"),
            P([3, "天水市职业技术学院新校区（新建）", "天水市教育局", 30000, 6000, 900, "基础施工"],
              project_name="天水市职业技术学院新校区(新建)", stage="新开工", owner="天水市教育局",
              total_investment=30000, planned_investment=6000, completed_investment=900,
              progress_note="基础施工"),
            P([4, "秦州区大数据中心(前期)", "秦州区工信局", 8000, 500, None, "编制可研"],
              project_name="秦州区大数据中心(前期)", stage="前期", owner="秦州区工信局",
              total_investment=8000, planned_investment=500, progress_note="编制可研"),
        ],
    )],
))

# A print-oriented export: a unit-only row under the header (万元 | 万元 | 万元), the header
# repeated at the top of page 2, 第一部分 / 第二部分 sections, a line break inside a name,
# 1.2亿 without 元, 截至6月底累计完成投资, and a 共计 at the end wrong in one column.
S15 = "项目表"
fixture(Fixture(
    file="print_export_unit_row.xlsx",
    features=[
        "unit-only header row under the names (万元 | 万元 | 万元) is a header row",
        "header repeated mid-sheet (page 2) is a header row", "sections 第一部分 续建项目 / 第二部分 新开工项目",
        "line break inside a project name", "1.2亿 (no 元) -> 12000",
        "截至6月底累计完成投资 -> cumulative_investment (as 截至报告期累计完成投资)",
        "共计 at the end wrong in 总投资 -> total_mismatch",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S15, 13, "total_investment")],
    sheets=[Sheet(
        S15,
        rows=[
            TTL("清水县2010年重点项目计划表"),
            HDR("序号", "项目名称", "建设单位", "总投资", "年度计划投资", "截至6月底累计完成投资", "形象进度"),
            HDR(None, None, None, "万元", "万元", "万元"),
            SEC("第一部分  续建项目"),
            P([1, "清水县\n城区污水处理厂", "清水县住建局", "1.2亿", 3000, 2100, "调试"],
              project_name="清水县城区污水处理厂", stage="续建", owner="清水县住建局",
              total_investment=12000, planned_investment=3000, cumulative_investment=2100,
              progress_note="调试"),
            P([2, "清水县温泉度假村", "清水县旅游局", 8000, 2000, 5200, "装修"],
              project_name="清水县温泉度假村", stage="续建", owner="清水县旅游局", total_investment=8000,
              planned_investment=2000, cumulative_investment=5200, progress_note="装修"),
            SEC("第二部分  新开工项目"),
            P([1, "清水县中医院住院楼", "清水县卫生局", 5500, 2500, 400, "基础"],
              project_name="清水县中医院住院楼", stage="新开工", owner="清水县卫生局",
              total_investment=5500, planned_investment=2500, cumulative_investment=400,
              progress_note="基础"),
            HDR("序号", "项目名称", "建设单位", "总投资", "年度计划投资", "截至6月底累计完成投资", "形象进度"),
            P([2, "清水县白驼镇供水", "清水县水务局", 1800, 900, 100, "招标"],
              project_name="清水县白驼镇供水", stage="新开工", owner="清水县水务局", total_investment=1800,
              planned_investment=900, cumulative_investment=100, progress_note="招标"),
            P([3, "清水县轩辕大道", "清水县交通局", 9000, 3000, 600, "路基"],
              project_name="清水县轩辕大道", stage="新开工", owner="清水县交通局", total_investment=9000,
              planned_investment=3000, cumulative_investment=600, progress_note="路基"),
            BLANK(),
            TOT(["共计", None, None, 37300, 11400, 8400], label="共计", covers="*", total_investment=37300,
                planned_investment=11400, cumulative_investment=8400),
        ],
    )],
))


# ---- Round-2 regression fixtures (blind ledgers c01-c10) ------------------------------

# A workbook with one sheet per stage (sheet names with a year and a count) and a 汇总 sheet
# that only restates the stage sheets: its rows are totals over the projects of the other
# sheets (never projects: nothing is counted twice); one of its figures is wrong.
S16A, S16B, S16C = "2024年续建项目(2个)", "新开工", "汇总"
H16 = ("序号", "项目名称", "总投资（万元）", "2024年计划投资（万元）")
fixture(Fixture(
    file="stage_sheets_summary.xlsx",
    features=[
        "sheet names carry a year and a count (2024年续建项目(2个)) and give the stage",
        "汇总 sheet (header 序号/项目/个数/…) restating the stage sheets: rows are totals, no project",
        "汇总 rows are reconciled against the projects of every sheet (续建项目 → stage 续建, 合计 → all)",
        "a wrong figure in the 汇总 sheet -> total_mismatch at its row",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S16C, 4, "planned_investment")],
    sheets=[
        Sheet(S16A, rows=[
            HDR(*H16),
            P([1, "秦州区城北污水管网改造", 8000, 3000], project_name="秦州区城北污水管网改造", stage="续建",
              total_investment=8000, planned_investment=3000),
            P([2, "天水师范学院图书馆", 9000, 2500], project_name="天水师范学院图书馆", stage="续建",
              total_investment=9000, planned_investment=2500),
            TOT(["合计", None, 17000, 5500], label="合计", covers="*", total_investment=17000,
                planned_investment=5500),
        ]),
        Sheet(S16B, rows=[
            HDR(*H16),
            P([1, "秦州区智慧停车场", 3000, 1500], project_name="秦州区智慧停车场", stage="新开工",
              total_investment=3000, planned_investment=1500),
            P([2, "天水市第三人民医院门诊楼", 2500, 800], project_name="天水市第三人民医院门诊楼",
              stage="新开工", total_investment=2500, planned_investment=800),
        ]),
        Sheet(S16C, rows=[
            TTL("2024年秦州区重点项目汇总表"),
            HDR("序号", "项目", "个数", "总投资（万元）", "2024年计划投资（万元）"),
            TOT([None, "续建项目", 2, 17000, 5500], label="续建项目", covers="@续建",
                total_investment=17000, planned_investment=5500),
            TOT([None, "新开工项目", 2, 5500, 2000], label="新开工项目", covers="@新开工",
                total_investment=5500, planned_investment=2000),
            TOT(["合计", None, 4, 22500, 7800], label="合计", covers="@*", total_investment=22500,
                planned_investment=7800),
        ]),
    ],
))

# Section rows written in the 项目名称 column with their group's amounts AND a 小计 below;
# a unit-only row under the header; 合计 and a 其中：省列重点 breakdown whose word is a value of
# the 项目级别 column (not a stage).
S17 = "重点项目"
fixture(Fixture(
    file="name_col_sections_breakdown.xlsx",
    features=[
        "section rows in the 项目名称 column (一、续建项目 in B) carrying amounts, and a 小计 below each",
        "unit-only row under the header, then 合计",
        "其中：省列重点 covers the projects whose 项目级别 is 省列重点 (not a stage)",
        "a section row and its 小计 both wrong in 总投资 -> total_mismatch at both rows",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S17, 11, "total_investment"),
              F("total_mismatch", S17, 13, "total_investment")],
    sheets=[Sheet(S17, merges=("A1:F1",), rows=[
        TTL("甘谷县2024年重点项目进展情况"),
        HDR("序号", "项目名称", "项目级别", "总投资", "本年计划投资", "形象进度"),
        HDR(None, None, None, "万元", "万元"),
        TOT(["合计", None, None, 41000, 11300], label="合计", covers="*",
            total_investment=41000, planned_investment=11300),
        TOT(["其中：省列重点", None, None, 28000, 7000], label="其中：省列重点", covers="prov",
            total_investment=28000, planned_investment=7000),
        SECT([None, "一、续建项目", None, 31000, 8300], label="一、续建项目", covers="a",
            total_investment=31000, planned_investment=8300),
        P([1, "甘谷县城区集中供热扩容", "省列重点", 18000, 4000, "管网铺设"], tags=["a", "prov"],
          project_name="甘谷县城区集中供热扩容", stage="续建", total_investment=18000,
          planned_investment=4000, progress_note="管网铺设"),
        P([2, "甘谷县大像山景区提升", "市列重点", 6000, 1800, "主体完工"], tags=["a"],
          project_name="甘谷县大像山景区提升", stage="续建", total_investment=6000, planned_investment=1800,
          progress_note="主体完工"),
        P([3, "甘谷县磐安镇农贸市场", "县列重点", 7000, 2500, "装修"], tags=["a"],
          project_name="甘谷县磐安镇农贸市场", stage="续建", total_investment=7000, planned_investment=2500,
          progress_note="装修"),
        TOT([None, "小计", None, 31000, 8300], label="小计", covers="a", total_investment=31000,
            planned_investment=8300),
        SECT([None, "二、新开工项目", None, 9600, 3000], label="二、新开工项目", covers="b",
            total_investment=9600, planned_investment=3000),
        P([1, "甘谷县第二高级中学", "省列重点", 10000, 3000, "基础施工"], tags=["b", "prov"],
          project_name="甘谷县第二高级中学", stage="新开工", total_investment=10000,
          planned_investment=3000, progress_note="基础施工"),
        TOT([None, "小计", None, 9600, 3000], label="小计", covers="b", total_investment=9600,
            planned_investment=3000),
    ])],
))

# Two tables stacked on one sheet, the second (after a blank row and its own title) with a
# different header: each table is read with its own columns and closed by its own 合计.
S18 = "项目台账"
fixture(Fixture(
    file="two_tables_one_sheet.xlsx",
    features=[
        "two tables on one sheet; the second header has other columns (投资方/合同引资/到位资金/签约时间)",
        "the title line between them (after a blank row) belongs to the second table",
        "each 合计 covers its own table; 到位资金 of the second 合计 is wrong",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S18, 15, "funds_in_place")],
    sheets=[Sheet(S18, merges=("A1:F1", "A9:F9"), rows=[
        TTL("表一：2024年重点建设项目"),
        HDR("序号", "项目名称", "建设单位", "总投资", "本年计划投资", "1-6月完成投资"),
        SEC("一、续建项目"),
        P([1, "麦积区花牛苹果交易市场", "麦积区商务局", 6000, 2000, 1200], tags=["t1"],
          project_name="麦积区花牛苹果交易市场", stage="续建", owner="麦积区商务局", total_investment=6000,
          planned_investment=2000, completed_investment=1200),
        SEC("二、新开工项目"),
        P([1, "麦积区电商物流中心", "麦积区发改局", 5000, 2500, 300], tags=["t1"],
          project_name="麦积区电商物流中心", stage="新开工", owner="麦积区发改局", total_investment=5000,
          planned_investment=2500, completed_investment=300),
        TOT(["合计", None, None, 11000, 4500, 1500], label="合计", covers="t1",
            total_investment=11000, planned_investment=4500, completed_investment=1500),
        BLANK(),
        TTL("表二：2024年新签约招商引资项目"),
        HDR("序号", "项目名称", "投资方", "合同引资", "到位资金", "签约时间"),
        SEC("三、新签约项目"),
        P([1, "麦积区大樱桃精深加工", "陕西果业集团", 20000, 5000, "2024年2月"], tags=["t2"],
          project_name="麦积区大樱桃精深加工", stage="新签约", owner="陕西果业集团",
          contracted_investment=20000, funds_in_place=5000),
        P([2, "麦积区中药饮片厂", "陇西药业公司", 8000, "—", "2024年5月"], tags=["t2"],
          project_name="麦积区中药饮片厂", stage="新签约", owner="陇西药业公司", contracted_investment=8000),
        BLANK(),
        TOT(["合计", None, None, 28000, 6000, None], label="合计", covers="t2",
            contracted_investment=28000, funds_in_place=6000),
    ])],
))

# 合计 written ABOVE the header (between the title and the header), a unit row under the header.
S19 = "项目表"
fixture(Fixture(
    file="total_above_header.xlsx",
    features=[
        "合计 row above the header: a total over the whole sheet, not a title",
        "header names + unit row （万元）", "stage sections; a 小计 wrong in 总投资",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S19, 8, "total_investment")],
    sheets=[Sheet(S19, rows=[
        TTL("北道区2024年重点项目表"),
        TOT(["合计", None, 16500, 5200], label="合计", covers="*", total_investment=16500,
            planned_investment=5200),
        HDR("序号", "项目名称", "总投资", "本年计划投资"),
        HDR(None, None, "（万元）", "（万元）"),
        SEC("一、续建项目"),
        P([1, "北道区渭河大桥加固", 6000, 2000], tags=["a"], project_name="北道区渭河大桥加固", stage="续建",
          total_investment=6000, planned_investment=2000),
        P([2, "北道区元龙镇集镇改造", 2500, 1000], tags=["a"], project_name="北道区元龙镇集镇改造",
          stage="续建", total_investment=2500, planned_investment=1000),
        TOT([None, "小计", 8000, 3000], label="小计", covers="a", total_investment=8000,
            planned_investment=3000),
        SEC("二、新开工项目"),
        P([1, "北道区石佛镇卫生院", 8000, 2200], tags=["b"], project_name="北道区石佛镇卫生院",
          stage="新开工", total_investment=8000, planned_investment=2200),
    ])],
))

# ODS with a two-row header whose parent (投资完成情况) spans three children: calamine gives no
# merge information for ODS, and the children (本年计划 / 1-6月完成 / 累计完成) lack the word
# 投资. A hidden (collapsed) project row is read like any other row; the 合计 includes it.
S20 = "项目进展"
fixture(Fixture(
    file="ods_invest_parent.ods",
    features=[
        "ODS two-row header, parent 投资完成情况（万元） over 本年计划 / 1-6月完成 / 累计完成 (no merge info)",
        "children read as 本年计划投资 / 1-6月完成投资 / 累计完成投资 under an investment parent",
        "a hidden (collapsed) project row is read; the 合计 at the bottom includes it",
    ],
    writer=write_ods,
    sheets=[Sheet(S20, merges=("A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2"),
                  hidden_rows=(5,), rows=[
        TTL("张家川县2024年重点项目进展情况表"),
        HDR("序号", "项目名称", "项目状态", "总投资（万元）", "投资完成情况（万元）", None, None),
        HDR(None, None, None, None, "本年计划", "1-6月完成", "累计完成"),
        P([1, "张家川县清真食品产业园", "在建", 15000, 4000, 2000, 9000],
          project_name="张家川县清真食品产业园", stage="续建", total_investment=15000, planned_investment=4000,
          completed_investment=2000, cumulative_investment=9000),
        P([2, "张家川县关山草原旅游环线", "新开工", 6000, 2000, 300, 300],
          project_name="张家川县关山草原旅游环线", stage="新开工", total_investment=6000,
          planned_investment=2000, completed_investment=300, cumulative_investment=300),
        P([3, "张家川县马鹿乡安置点", "竣工", 2000, 500, 500, 2000],
          project_name="张家川县马鹿乡安置点", stage="竣工", total_investment=2000, planned_investment=500,
          completed_investment=500, cumulative_investment=2000),
        TOT(["合计", None, None, 23000, 6500, 2800, 11300], label="合计", covers="*",
            total_investment=23000, planned_investment=6500, completed_investment=2800,
            cumulative_investment=11300),
    ])],
))

fixture(Fixture(
    file="csv_big5.csv",
    features=[
        "Big5 without BOM: a UTF-8 decode fails and GB18030 decodes it without error into garbage",
        "traditional headers 序號/項目名稱/總投資(萬元); sections 一、續建項目 / 二、新開工項目; 合計",
        "owner (建設單位) kept as written, in traditional characters",
    ],
    writer=write_csv, encoding="big5", newline="\r\n",
    sheets=[Sheet("csv_big5", rows=[
        HDR("序號", "項目名稱", "建設單位", "總投資(萬元)", "本年計劃投資(萬元)"),
        SEC("一、續建項目"),
        P([1, "天水長城電工產業園", "長城電工集團", 12000, 3000], project_name="天水长城电工产业园",
          stage="续建", owner="長城電工集團", total_investment=12000, planned_investment=3000),
        P([2, "秦州區東團莊棚戶區改造", "秦州區住建局", 8000, 2000], project_name="秦州区东团庄棚户区改造",
          stage="续建", owner="秦州區住建局", total_investment=8000, planned_investment=2000),
        SEC("二、新開工項目"),
        P([1, "麥積區甘泉鎮飲水工程", "麥積區水務局", 1500, 1500], project_name="麦积区甘泉镇饮水工程",
          stage="新开工", owner="麥積區水務局", total_investment=1500, planned_investment=1500),
        TOT(["合計", None, None, 21500, 6500], label="合計", covers="*", total_investment=21500,
            planned_investment=6500),
    ])],
))

fixture(Fixture(
    file="csv_two_stage_words.csv",
    features=[
        "GB18030 without BOM, a title line first; quoted full-width numbers with full-width commas (１，５００)",
        "建设性质 在建（续建） -> 续建 (two words, one stage)",
        "建设性质 新开工/续建 -> stage missing + unknown_stage (two words naming two stages: not guessed)",
    ],
    writer=write_csv, encoding="gb18030",
    findings=[F("unknown_stage", "csv_two_stage_words", 6, "stage")],
    sheets=[Sheet("csv_two_stage_words", rows=[
        TTL("清水县2024年重点建设项目表"),
        HDR("序号", "项目名称", "建设性质", "总投资（万元）", "年度计划投资（万元）"),
        P(["1", "清水县城区供水管网改造", "在建（续建）", "１，５００", "５００"],
          project_name="清水县城区供水管网改造", stage="续建", total_investment=1500, planned_investment=500),
        P(["2", "清水县轩辕湖湿地公园", "新开工", "１２，０００", "３，０００"],
          project_name="清水县轩辕湖湿地公园", stage="新开工", total_investment=12000,
          planned_investment=3000),
        P(["3", "清水县职业中专实训楼", "续建", "2,800.5", "800"],
          project_name="清水县职业中专实训楼", stage="续建", total_investment=2800.5, planned_investment=800),
        P(["4", "清水县红堡镇冷库", "新开工/续建", "９００", "３００"],
          project_name="清水县红堡镇冷库", total_investment=900, planned_investment=300),
        TOT(["合计", "", "", "１７，２００．５", "４，６００"], label="合计", covers="*",
            total_investment=17200.5, planned_investment=4600),
    ])],
))


# ---- round 4 (blind ledgers, fourth round) ----------------------------------------------

S = "1-6月"
fixture(Fixture(
    file="multi_year_columns.xlsx",
    features=[
        "columns of several years: 至2022年底累计完成投资, 2022年1-6月完成投资 (last year's, BEFORE this "
        "year's), 2023年计划投资, 2023年1-6月完成投资",
        "percent columns 完成率（%） and 同比增长% (not money)",
        "official-form column-number row 甲 / 乙 / 1 / 2 … under the header",
        "形象进度 written as 60%",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S, 7, "completed_investment")],
    sheets=[Sheet(S, merges=("A1:I1",), rows=[
        TTL("武山县2023年上半年重点项目完成情况表"),
        HDR("序号", "项目名称", "总投资", "至2022年底累计完成投资", "2022年1-6月完成投资", "2023年计划投资",
            "2023年1-6月完成投资", "完成率（%）", "形象进度"),
        HDR("甲", "乙", 1, 2, 3, 4, 5, 6, 7),
        SEC("一、续建项目"),
        P([1, "武山县洛门镇蔬菜批发市场", 12000, 6000, 1500, 3000, 1500, 50, "60%"], tags=["a"],
          project_name="武山县洛门镇蔬菜批发市场", stage="续建", total_investment=12000, prior_investment=6000,
          planned_investment=3000, completed_investment=1500, progress_note="60%"),
        P([2, "武山县温泉镇康养中心", 10000, 3000, 500, 3000, 1200, 40, "45%"], tags=["a"],
          project_name="武山县温泉镇康养中心", stage="续建", total_investment=10000, prior_investment=3000,
          planned_investment=3000, completed_investment=1200, progress_note="45%"),
        # declared 2023 completion 2800 but its projects give 1500 + 1200 = 2700
        TOT([None, "小计", 22000, 9000, 2000, 6000, 2800, 46.7], label="小计", covers="a",
            total_investment=22000, prior_investment=9000, planned_investment=6000,
            completed_investment=2800),
        SEC("二、新开工项目"),
        P([1, "武山县城区停车场", 8000, None, None, 3000, 800, 26.7, "10%"], tags=["b"],
          project_name="武山县城区停车场", stage="新开工", total_investment=8000, planned_investment=3000,
          completed_investment=800, progress_note="10%"),
    ])],
))

S = "csv_wps_quoted"
fixture(Fixture(
    file="csv_wps_quoted.csv",
    features=[
        "WPS export: every cell quoted, an empty column at the end, UTF-8 BOM, CRLF",
        "amounts with 万 only (3000万) and 亿 (1.2亿)",
        "accounting negatives (200) and （80） -> -200 / -80 plus negative_amount",
        "a project with only its name (placeholder: still a project)", "全区合计 at the bottom",
    ],
    writer=write_csv_wps, encoding="utf-8-sig", newline="\r\n",
    findings=[F("negative_amount", S, 6, "funds_in_place"), F("negative_amount", S, 7, "funds_in_place")],
    sheets=[Sheet(S, rows=[
        TTL("麦积区2023年招商引资项目台账"),
        HDR("序号", "项目名称", "投资方", "项目状态", "合同引资（万元）", "到位资金（万元）", "备注"),
        P(["1", "麦积区果品深加工项目", "天水某某果业公司", "已签约", "3000万", "1200", ""],
          project_name="麦积区果品深加工项目", owner="天水某某果业公司", stage="新签约",
          contracted_investment=3000, funds_in_place=1200),
        P(["2", "麦积区光伏农业一体化", "甘肃某某新能源公司", "在建", "1.2亿", "5000", "分两期"],
          project_name="麦积区光伏农业一体化", owner="甘肃某某新能源公司", stage="续建",
          contracted_investment=12000, funds_in_place=5000, progress_note="分两期"),
        P(["3", "麦积区文旅康养小镇", "", "洽谈", "", "", ""], project_name="麦积区文旅康养小镇", stage="洽谈"),
        P(["4", "麦积区电子元器件生产线", "天水某某电子公司", "在建", "8000", "(200)", "资金调减"],
          project_name="麦积区电子元器件生产线", owner="天水某某电子公司", stage="续建",
          contracted_investment=8000, funds_in_place=-200, progress_note="资金调减"),
        P(["5", "麦积区花牛苹果冷链", "天水某某冷链公司", "在建", "500", "（80）", "退回"],
          project_name="麦积区花牛苹果冷链", owner="天水某某冷链公司", stage="续建",
          contracted_investment=500, funds_in_place=-80, progress_note="退回"),
        P(["6", "麦积区预制菜产业园"], project_name="麦积区预制菜产业园"),
        TOT(["", "全区合计", "", "", "23500", "5920", ""], label="全区合计", covers="*",
            contracted_investment=23500, funds_in_place=5920),
    ])],
))

S = "2023年市列重点项目"
fixture(Fixture(
    file="county_sections_subtotal.xlsx",
    features=[
        "市级 ledger: 县区 column before the name; sections per 县区 (一、秦州区 / 二、麦积区) with "
        "stage sections inside (（一）续建项目 / （二）新开工项目) in the name column",
        "合计：共6个项目 under the header", "one 小计 per 县区 after its last stage section",
        "a project with only its name",
    ],
    writer=write_openpyxl,
    findings=[F("total_mismatch", S, 18, "planned_investment")],
    sheets=[Sheet(S, merges=("A1:H1",), rows=[
        TTL("天水市2023年市列重点项目进展情况表"),
        NOTE("单位：万元"),
        HDR("序号", "县区", "项目名称", "建设单位", "总投资", "2023年计划投资", "1-6月完成投资", "形象进度"),
        TOT([None, None, "合计：共6个项目", None, 52000, 15500, 6100], label="合计：共6个项目", covers="*",
            total_investment=52000, planned_investment=15500, completed_investment=6100),
        SEC("一、秦州区"),
        SEC(None, None, "（一）续建项目"),
        P([1, "秦州区", "天水市秦州区东团庄棚户区改造", "秦州区住建局", 12000, 4000, 1800, "主体施工"], tags=["qz"],
          project_name="天水市秦州区东团庄棚户区改造", stage="续建", section="秦州区", owner="秦州区住建局",
          total_investment=12000, planned_investment=4000, completed_investment=1800, progress_note="主体施工"),
        P([2, "秦州区", "秦州区天水郡遗址公园", "秦州区文旅局", 8000, 2500, 1200, "绿化"], tags=["qz"],
          project_name="秦州区天水郡遗址公园", stage="续建", section="秦州区", owner="秦州区文旅局",
          total_investment=8000, planned_investment=2500, completed_investment=1200, progress_note="绿化"),
        SEC(None, None, "（二）新开工项目"),
        P([1, "秦州区", "秦州区玉泉镇冷链物流中心", "天水陇运物流公司", 9000, 3000, 600, "场地平整"], tags=["qz"],
          project_name="秦州区玉泉镇冷链物流中心", stage="新开工", section="秦州区", owner="天水陇运物流公司",
          total_investment=9000, planned_investment=3000, completed_investment=600, progress_note="场地平整"),
        # the 县区 subtotal (29000 = 12000 + 8000 + 9000), not the 新开工 section's (9000)
        TOT([None, None, "小计", None, 29000, 9500, 3600], label="小计", covers="qz",
            total_investment=29000, planned_investment=9500, completed_investment=3600),
        SEC("二、麦积区"),
        SEC(None, None, "（一）续建项目"),
        P([1, "麦积区", "麦积区社棠工业园标准化厂房", "麦积区工信局", 15000, 4000, 2000, "钢构安装"], tags=["mj"],
          project_name="麦积区社棠工业园标准化厂房", stage="续建", section="麦积区", owner="麦积区工信局",
          total_investment=15000, planned_investment=4000, completed_investment=2000, progress_note="钢构安装"),
        SEC(None, None, "（二）新开工项目"),
        P([1, "麦积区", "麦积区甘泉镇污水处理厂", "麦积区水务局", 8000, 2000, 500, "招标"], tags=["mj"],
          project_name="麦积区甘泉镇污水处理厂", stage="新开工", section="麦积区", owner="麦积区水务局",
          total_investment=8000, planned_investment=2000, completed_investment=500, progress_note="招标"),
        P([2, "麦积区", "麦积区花牛苹果交易市场"], tags=["mj"],
          project_name="麦积区花牛苹果交易市场", stage="新开工", section="麦积区"),
        # declared plan 6500 but 4000 + 2000 = 6000: a mismatch on the 县区 subtotal, planned only
        TOT([None, None, "小计", None, 23000, 6500, 2500], label="小计", covers="mj",
            total_investment=23000, planned_investment=6500, completed_investment=2500),
    ])],
))

# --------------------------------------------------------------------------------------
# Bad inputs: a correct reader raises qz.LedgerError naming the file
# --------------------------------------------------------------------------------------

BAD: list[tuple[str, list, object]] = []  # (file, features, writer(path))


def bad(file, features):
    def deco(fn):
        BAD.append((file, features, fn))
        return fn

    return deco


@bad("bad_text_renamed.xlsx", ["plain UTF-8 text file renamed .xlsx (not a zip)"])
def _bad_text(path: Path) -> None:
    path.write_bytes("这不是一个Excel文件。\nThis is not a workbook, just text renamed to .xlsx.\n".encode())


@bad("bad_truncated.xlsx", ["first half of layout_merged_header.xlsx (zip central directory missing)"])
def _bad_truncated(path: Path) -> None:
    data = (HERE / "layout_merged_header.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2])


@bad("bad_docx_renamed.xlsx", ["a minimal .docx-like zip (word/document.xml, no xl/workbook.xml) renamed .xlsx"])
def _bad_docx(path: Path) -> None:
    ct = (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
    rels = (XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>')
    doc = (XML_DECL + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>秦州区2009年上半年项目建设情况汇报</w:t></w:r></w:p></w:body></w:document>")
    fixed_zip([("[Content_Types].xml", ct.encode(), zipfile.ZIP_DEFLATED),
               ("_rels/.rels", rels.encode(), zipfile.ZIP_DEFLATED),
               ("word/document.xml", doc.encode(), zipfile.ZIP_DEFLATED)], path)


@bad("bad_encrypted.xlsx", ["password-protected workbook (OLE/CFB container with EncryptionInfo and "
                            "EncryptedPackage streams, ECMA-376 agile encryption), made with msoffcrypto-tool "
                            "from duplicate_projects.xlsx, password qz2009, seeded salt"])
def _bad_encrypted(path: Path) -> None:
    try:
        import msoffcrypto.method.ecma376_agile as agile
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        if path.exists():
            print(f"  msoffcrypto-tool not installed: keeping the committed {path.name}")
            return
        raise SystemExit("bad_encrypted.xlsx needs msoffcrypto-tool: pip install msoffcrypto-tool") from None
    import msoffcrypto.method.container.ecma376_encrypted as container

    class _FixedNow(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return FIXED_DATETIME

    # seeded salts/keys and a fixed CFB directory timestamp, so the file does not churn
    rng = random.Random(20090630)
    saved = agile._random_buffer, container.datetime
    agile._random_buffer = lambda n: bytes(rng.getrandbits(8) for _ in range(n))
    container.datetime = _FixedNow
    try:
        plain = io.BytesIO((HERE / "duplicate_projects.xlsx").read_bytes())
        out = io.BytesIO()
        OOXMLFile(plain).encrypt("qz2009", out)
    finally:
        agile._random_buffer, container.datetime = saved
    path.write_bytes(out.getvalue())


@bad("bad_no_header.xlsx", ["valid xlsx (openpyxl) whose two sheets hold only numbers and stray text, "
                            "no row containing 项目名称 or any ledger header"])
def _bad_no_header(path: Path) -> None:
    fx = Fixture(file=path.name, features=[], writer=None, sheets=[
        Sheet("Sheet1", rows=[RAW(1, 2, 3), RAW("abc", 45.6, None), RAW(2009, "六月", 7), RAW(None, 88, 99)]),
        Sheet("数据", rows=[RAW(12.5, 13.5), RAW(14.5, 15.5)]),
    ])
    write_openpyxl(path, fx)


@bad("bad_empty.xlsx", ["valid xlsx (openpyxl) with one empty sheet"])
def _bad_empty(path: Path) -> None:
    write_openpyxl(path, Fixture(file=path.name, features=[], writer=None, sheets=[Sheet("Sheet1", rows=[])]))


@bad("bad_binary.csv", ["4096 seeded random bytes with NULs, renamed .csv"])
def _bad_binary(path: Path) -> None:
    rng = random.Random(4754)
    data = bytearray(rng.getrandbits(8) for _ in range(4096))
    for i in range(0, 4096, 7):
        data[i] = 0
    path.write_bytes(bytes(data))


@bad("bad_csv_no_header.csv", ["UTF-8 CSV holding only numbers: no header row"])
def _bad_no_header_csv(path: Path) -> None:
    path.write_bytes(b"1,2,3\n4,5,6\n7,8.5,9\n10,11,12\n")


LAUGHS_ENTITIES = "\n".join(
    ['<!ENTITY lol "lol">']
    + [f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10)]
)


@bad("bad_billion_laughs.xlsx", ["otherwise valid xlsx whose sheet1.xml declares a DOCTYPE with nested "
                                 "entities (billion laughs, 10^9 x 'lol') and uses &lol9; in a project-name cell",
                                 "expected: LedgerError, or a read that does not expand the entity; never a hang"])
def _bad_laughs(path: Path) -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE worksheet [\n{LAUGHS_ENTITIES}\n]>\n"
        f'<worksheet xmlns="{NS_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>总投资（万元）</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>秦州区污水处理厂项目</t></is></c><c r="B2"><v>1200</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c><c r="B3"><v>800</v></c></row>'
        "</sheetData></worksheet>"
    )
    parts = raw_xlsx_package(["Sheet1"], None)
    entries = [(n, d, zipfile.ZIP_DEFLATED) for n, d in parts.items()]
    entries.append(("xl/worksheets/sheet1.xml", sheet.encode(), zipfile.ZIP_DEFLATED))
    fixed_zip(entries, path)


# --------------------------------------------------------------------------------------
# Expected values
# --------------------------------------------------------------------------------------


def _amount(v):
    return None if v is None else float(v)


def expected_for(fx: Fixture) -> dict:
    projects, totals, rows, scope = [], [], {}, {}
    for sh in fx.sheets:
        if not sh.read:
            continue
        kinds = {}
        sheet_projects = []
        sheet_totals = []
        for r, row in enumerate(sh.rows, start=1):
            if row.kind == "blank":
                continue
            if row.kind not in KINDS:
                raise ValueError(f"{fx.file} {sh.name} row {r}: kind {row.kind!r} in a read sheet")
            kinds[str(r)] = row.kind
            if row.kind == "project":
                p = {f: None for f in PROJECT_FIELDS}
                p["source_sheet"], p["source_row"] = sh.name, r
                p.update(row.expect)
                for c in AMOUNT_COLS:
                    p[c] = _amount(p[c])
                projects.append(p)
                sheet_projects.append((r, row))
            elif row.kind == "total" or (row.kind == "section" and row.expect):
                t = {"source_sheet": sh.name, "source_row": r, "label": row.expect["label"]}
                t.update({c: _amount(row.expect.get(c)) for c in AMOUNT_COLS})
                totals.append(t)
                sheet_totals.append((r, row))
        rows[sh.name] = kinds
        sc = {}
        for r, row in sheet_totals:
            if row.covers.startswith("@"):  # a summary sheet's row: checked by summary_scope
                continue
            covered = [pr for pr, p in sheet_projects if row.covers == "*" or row.covers in p.tags]
            if not covered:
                raise ValueError(f"{fx.file} {sh.name} row {r}: total covers no project")
            sc[str(r)] = covered
        if sc:
            scope[sh.name] = sc
    summary = {}
    for sh in fx.sheets:
        for r, row in enumerate(sh.rows, start=1):
            if row.kind == "total" and row.covers.startswith("@"):
                want = row.covers[1:]
                summary.setdefault(sh.name, {})[str(r)] = [
                    [p["source_sheet"], p["source_row"]] for p in projects
                    if want == "*" or p["stage"] == want]
    return {
        "file": fx.file,
        "features": fx.features,
        "projects": projects,
        "totals": totals,
        "rows": rows,
        "findings": fx.findings,
        "skipped_sheets": fx.skipped_sheets,
        "funding": fx.funding,
        "funding_channel": fx.funding_channel,
        "total_scope": scope,
        **({"summary_scope": summary} if summary else {}),
        "error": None,
    }


def expected_bad(file: str, features: list) -> dict:
    error = ["LedgerError", None] if file == "bad_billion_laughs.xlsx" else "LedgerError"
    return {
        "file": file,
        "features": features,
        "projects": None,
        "totals": None,
        "rows": None,
        "findings": [],
        "skipped_sheets": None,
        "funding": None,
        "funding_channel": {},
        "total_scope": {},
        "error": error,
    }


def write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------
# Self-check: the expected files match the files, and the expected values agree
# with each other (totals add up except where a total_mismatch is expected, ...)
# --------------------------------------------------------------------------------------

_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u01cd-\u01dc]+\)")


def check_norm(s: str) -> str:
    """Independent name normaliser used only to verify the hand-typed expected names."""
    import opencc

    s = unicodedata.normalize("NFKC", s)
    s = _PINYIN.sub("", s)
    s = re.sub(r"\s+", "", s)
    s = opencc.OpenCC("t2s").convert(s)
    # OpenCC converts the phrase 藉口 (excuse) to 借口; 藉口镇 is a town of Qinzhou District.
    return s.replace("借口镇", "藉口镇")


def read_grid(path: Path, fx: Fixture) -> dict[str, list[list]]:
    """Sheet name -> list of rows (row 1 first) of raw cell values, for every sheet."""
    suffix = path.suffix.lower()
    grids = {}
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(path, data_only=False)
        for ws in wb.worksheets:
            grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]
            if ws.max_row == 1 and all(v is None for v in (grid[0] if grid else [])):
                grid = []
            grids[ws.title] = grid
    elif suffix in (".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids[name] = [[None if v == "" else v for v in r] for r in grid]
    elif suffix == ".csv":
        text = path.read_bytes().decode(fx.encoding)
        lines = text.split(fx.newline)
        if lines and lines[-1] == "":
            lines.pop()
        grids[path.stem] = [[None if v == "" else v for v in next(csv.reader([ln]))] for ln in lines]
    return grids


def _nonblank(row) -> bool:
    return any(v is not None and str(v).strip() != "" for v in row)


def check_fixture(fx: Fixture, exp: dict) -> None:
    path = HERE / fx.file
    where = fx.file
    grids = read_grid(path, fx)
    names = [sh.name for sh in fx.sheets]
    assert list(grids) == names, f"{where}: sheets {list(grids)} != {names}"
    # sheet states
    if path.suffix in (".xlsx", ".xlsm") and fx.writer is not write_raw_xlsx:
        import openpyxl

        wb = openpyxl.load_workbook(path)
        for sh in fx.sheets:
            assert wb[sh.name].sheet_state == sh.state, f"{where}: {sh.name} state"
    if fx.writer is write_xlsm:
        ct = zipfile.ZipFile(path).read("[Content_Types].xml")
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct, where
    for sh in fx.sheets:
        grid = grids[sh.name]
        nonblank = {i for i, r in enumerate(grid, start=1) if _nonblank(r)}
        declared = {i for i, row in enumerate(sh.rows, start=1) if row.kind != "blank" and row.cells
                    and any(v is not None for v in row.cells)}
        assert nonblank == declared, f"{where} {sh.name}: non-blank rows {sorted(nonblank)} != spec {sorted(declared)}"
        if not sh.read:
            continue
        kinds = exp["rows"][sh.name]
        assert {int(k) for k in kinds} == nonblank, f"{where} {sh.name}: every non-blank row needs a kind"
        for p in exp["projects"]:
            if p["source_sheet"] != sh.name:
                continue
            cells = [v for v in grid[p["source_row"] - 1] if isinstance(v, str)]
            assert any(check_norm(v) == p["project_name"] for v in cells), (
                f"{where} {sh.name} row {p['source_row']}: no cell normalises to {p['project_name']!r}: {cells}")
        for t in exp["totals"]:
            if t["source_sheet"] != sh.name:
                continue
            cells = [str(v).strip() for v in grid[t["source_row"] - 1] if v is not None]
            assert t["label"] in cells, f"{where} {sh.name} row {t['source_row']}: label {t['label']!r} not in {cells}"
    # cached formula values really are in the file
    if fx.writer is write_raw_xlsx:
        import openpyxl

        wb = openpyxl.load_workbook(path, data_only=True)
        for sh in fx.sheets:
            for r, row in enumerate(sh.rows, start=1):
                for c, v in enumerate(row.cells, start=1):
                    if isinstance(v, Formula):
                        assert wb[sh.name].cell(r, c).value == v.cached, f"{where}: cached value at {r},{c}"
    check_consistency(fx, exp)


def check_consistency(fx: Fixture, exp: dict) -> None:
    where = fx.file
    projects = exp["projects"]
    by_row = {(p["source_sheet"], p["source_row"]): p for p in projects}
    assert sum(k == "project" for s in exp["rows"].values() for k in s.values()) == len(projects), where
    derived = set()
    # totals
    for t in exp["totals"]:
        summary = exp.get("summary_scope", {}).get(t["source_sheet"], {}).get(str(t["source_row"]))
        if summary is not None:
            covered = [by_row[tuple(k)] for k in summary]
        else:
            covered = [by_row[(t["source_sheet"], r)]
                       for r in exp["total_scope"][t["source_sheet"]][str(t["source_row"])]]
        for c in AMOUNT_COLS:
            declared = t[c]
            values = [p[c] for p in covered if p[c] is not None]
            if declared is None:
                continue
            assert values, f"{where}: total row {t['source_row']} {c} has a value but its projects have none"
            if abs(sum(values) - declared) >= ROUNDING_TOLERANCE:
                derived.add(("total_mismatch", t["source_sheet"], t["source_row"], c))
    # row-level rules
    names = {}
    for p in projects:
        key = (p["source_sheet"], p["source_row"])
        for c in AMOUNT_COLS:
            if p[c] is not None and p[c] < 0:
                derived.add(("negative_amount", *key, c))
        if None not in (p["completed_investment"], p["total_investment"]) and \
                p["completed_investment"] > p["total_investment"]:
            derived.add(("completed_gt_total", *key, "completed_investment"))
        if None not in (p["funds_in_place"], p["contracted_investment"]) and \
                p["funds_in_place"] > p["contracted_investment"]:
            derived.add(("funds_gt_contracted", *key, "funds_in_place"))
        names.setdefault(p["project_name"], []).append(key)
        for d in ("start_date", "end_date"):
            assert p[d] is None or re.fullmatch(r"\d{4}(-\d{2})?", p[d]), f"{where}: date {p[d]!r}"
    # One duplicate_project per name, at the first row that carries it (the finding's
    # message lists the other places).
    for keys in names.values():
        if len(keys) > 1:
            derived.add(("duplicate_project", *keys[0], "project_name"))
    checked = {"total_mismatch", "negative_amount", "completed_gt_total", "funds_gt_contracted",
               "duplicate_project"}
    typed = {(f["rule"], f["source_sheet"], f["source_row"], f["column"]) for f in exp["findings"]
             if f["rule"] in checked}
    assert typed == derived, f"{where}: expected findings {sorted(typed)} but the values imply {sorted(derived)}"
    for f in exp["findings"]:
        assert f["source_sheet"] in [sh.name for sh in fx.sheets], where
    # funding: amounts add up to the total investment; channel = the largest amount
    rows_with_funding = sorted({f["source_row"] for f in exp["funding"]})
    assert sorted(int(k) for k in exp["funding_channel"]) == rows_with_funding, where
    for r in rows_with_funding:
        items = [f for f in exp["funding"] if f["source_row"] == r]
        p = by_row[(items[0]["source_sheet"], r)]
        assert all(f["project_name"] == p["project_name"] for f in items), where
        assert abs(sum(f["amount"] for f in items) - p["total_investment"]) < 1e-9, f"{where} row {r}: funding sum"
        biggest = max(items, key=lambda f: f["amount"])
        by_channel = {}
        for f in items:
            by_channel[f["channel"]] = by_channel.get(f["channel"], 0) + f["amount"]
        assert len({f["amount"] for f in items}) == len(items), f"{where} row {r}: tie"
        assert max(by_channel, key=by_channel.get) == biggest["channel"] == exp["funding_channel"][str(r)], (
            f"{where} row {r}: largest source and largest channel disagree")


def check_encodings() -> None:
    nobom = (HERE / "csv_utf8_nobom.csv").read_bytes()
    assert not nobom.startswith(b"\xef\xbb\xbf")
    assert nobom.decode("gb18030") != nobom.decode("utf-8"), "csv_utf8_nobom.csv must decode as GB18030 too"
    gb = (HERE / "csv_gb18030.csv").read_bytes()
    for enc in ("gbk", "utf-8"):
        try:
            gb.decode(enc)
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError(f"csv_gb18030.csv must not decode as {enc}")
    assert "䶮" in gb.decode("gb18030") and "𠮷" in gb.decode("gb18030")
    gbk = (HERE / "csv_gbk.csv").read_bytes()
    gbk.decode("gbk")
    try:
        gbk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("csv_gbk.csv must not decode as UTF-8")
    assert b"\r\n" in gbk
    for name in ("csv_utf8_bom.csv", "csv_title_unit.csv"):
        assert (HERE / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    big5 = (HERE / "csv_big5.csv").read_bytes()
    assert "項目名稱" in big5.decode("big5")
    assert "项目" not in big5.decode("gb18030"), "csv_big5.csv: the GB18030 trap must decode silently"
    try:
        big5.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("csv_big5.csv must not decode as UTF-8")


def check_bad() -> None:
    d = HERE
    assert not zipfile.is_zipfile(d / "bad_text_renamed.xlsx")
    truncated = (d / "bad_truncated.xlsx").read_bytes()
    assert truncated.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(d / "bad_truncated.xlsx")
    names = zipfile.ZipFile(d / "bad_docx_renamed.xlsx").namelist()
    assert "word/document.xml" in names and "xl/workbook.xml" not in names
    enc = (d / "bad_encrypted.xlsx").read_bytes()
    assert enc.startswith(bytes.fromhex("D0CF11E0A1B11AE1")), "encrypted workbook must be an OLE container"
    assert "EncryptionInfo".encode("utf-16-le") in enc and "EncryptedPackage".encode("utf-16-le") in enc
    import openpyxl

    wb = openpyxl.load_workbook(d / "bad_empty.xlsx")
    assert len(wb.worksheets) == 1 and wb.active.max_row == 1 and wb.active["A1"].value is None
    wb = openpyxl.load_workbook(d / "bad_no_header.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "项目" in v for v in row)
    assert b"\x00" in (d / "bad_binary.csv").read_bytes()
    z = zipfile.ZipFile(d / "bad_billion_laughs.xlsx")
    assert z.testzip() is None and b"<!ENTITY lol9" in z.read("xl/worksheets/sheet1.xml")
    assert (d / "bad_billion_laughs.xlsx").stat().st_size < 10_000


def check_zip_bomb() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = make_zip_bomb(Path(tmp) / "bomb.xlsx", inflated_bytes=30_000_000)
        z = zipfile.ZipFile(p)
        assert z.testzip() is None  # every entry inflates and its CRC matches
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size >= 30_000_000
        ratio = info.file_size / p.stat().st_size
        assert 2_000_000_000 / ratio < 5_000_000, f"default bomb would be {2e9 / ratio:.0f} bytes"
        with z.open(info) as fh:
            head = fh.read(400)
        assert head.startswith(b"<?xml") and "项目名称".encode() in head


# --------------------------------------------------------------------------------------


def main() -> None:
    EXPECTED_DIR.mkdir(exist_ok=True)
    files = []
    for fx in FIXTURES:
        path = HERE / fx.file
        fx.writer(path, fx)
        exp = expected_for(fx)
        write_json(EXPECTED_DIR / f"{path.stem}.json", exp)
        files.append(path)
    for file, features, writer in BAD:
        path = HERE / file
        writer(path)
        write_json(EXPECTED_DIR / f"{path.stem}.json", expected_bad(file, features))
        files.append(path)
    # self-check
    for fx in FIXTURES:
        exp = json.loads((EXPECTED_DIR / f"{Path(fx.file).stem}.json").read_text(encoding="utf-8"))
        check_fixture(fx, exp)
    check_encodings()
    check_bad()
    check_zip_bomb()
    stems = {p.stem for p in files}
    assert len(stems) == len(files), "fixture stems must be unique"
    for p in files:
        size = p.stat().st_size
        digest = hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        print(f"  {p.name:32s} {size:7d} bytes  sha256 {digest}")
    print(f"wrote {len(files)} fixtures and their expected files; self-check passed")


if __name__ == "__main__":
    sys.exit(main())
