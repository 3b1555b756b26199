"""Opening a ledger file: format sniffing, zip safety, workbook and CSV decoding.

The real format is taken from the first bytes, not from the extension: a zip is an
xlsx/xlsm/xlsb/ods, an OLE compound file is a legacy .xls (or an encrypted
workbook), anything else must be text (CSV). Before python-calamine touches a zip,
its directory is checked against limits that any genuine ledger passes and a zip
bomb does not, and every XML part is refused if it declares a DTD (entity bombs).

Every failure becomes a :class:`~qzanalysis.errors.LedgerError` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from qzanalysis.errors import LedgerError
from qzanalysis.reading.errorcells import mark_errors, mark_ods_errors, mark_xls_errors

__all__ = ["RawSheet", "read_sheets", "sniff", "check_zip", "check_prolog", "decode_text",
           "ZIP_LIMITS", "MAX_CSV_BYTES", "MAX_PROLOG_BYTES"]

#: Limits for a workbook zip. A 100,000-row ledger has one ~50 MB sheet part with a
#: compression ratio near 10; a zip bomb has parts of gigabytes at ratios of 1000+.
ZIP_LIMITS = {
    "max_entries": 10_000,
    "max_entry_bytes": 512 * 2**20,
    "max_total_bytes": 1024 * 2**20,
    "max_ratio": 250,  # only checked for parts larger than ratio_floor_bytes
    "ratio_floor_bytes": 2 * 2**20,
}

#: Largest CSV read (bytes on disk). A real ledger CSV is a few MB; the whole file is
#: read and decoded in memory, so anything far beyond this is refused before reading.
MAX_CSV_BYTES = 512 * 2**20

#: How far into an XML part the prolog (declaration, comments, DOCTYPE) may reach
#: before the first start tag. Real parts start their root element within ~100 bytes;
#: a part whose prolog is longer is refused rather than scanned without bound.
MAX_PROLOG_BYTES = 4 * 2**20

_XLSX_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods", ".et"}
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a formula tag, or a cell of type "e" (an Excel error value, which calamine gives as "")
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=[\"']e[\"']")
_CELL_REF_RE = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass
class RawSheet:
    """One sheet as read: a grid of Python cell values plus what the grid cannot say.

    ``rows[i][j]`` is the cell at 0-based row i, column j (Excel row i+1); empty
    cells are ``""``. ``row_numbers`` maps grid rows to source rows when they are not
    simply i+1 (CSV records spanning several lines).
    """

    name: str
    rows: list
    merges: list = field(default_factory=list)  # [((r0, c0), (r1, c1)), ...] inclusive
    formula_missing: set = field(default_factory=set)  # {(r, c)} formulas with no value
    row_numbers: list | None = None
    hidden: bool = False


def sniff(path: Path, head: bytes) -> str:
    """Format from the magic bytes: 'zip', 'ole' or 'text'.

    >>> sniff(Path("a.csv"), b"PK\\x03\\x04...")
    'zip'
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    return "text"


def check_zip(zf: zipfile.ZipFile, file: str, limits: dict | None = None) -> list:
    """Refuse zip bombs from the central directory alone (nothing is inflated).

    Returns the entries. Raises LedgerError when a limit is exceeded.
    """
    lim = {**ZIP_LIMITS, **(limits or {})}
    infos = zf.infolist()
    if len(infos) > lim["max_entries"]:
        raise LedgerError(f"压缩包内有 {len(infos)} 个文件，超过上限 {lim['max_entries']}，"
                          "不像正常的工作簿，拒绝读取", file=file)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > lim["max_entry_bytes"]:
            raise LedgerError(
                f"工作簿内部文件“{info.filename}”解压后有 {size / 2**20:.0f} MB，"
                f"超过上限 {lim['max_entry_bytes'] // 2**20} MB（疑似压缩炸弹），拒绝读取",
                file=file)
        ratio = size / max(info.compress_size, 1)
        if size > lim["ratio_floor_bytes"] and ratio > lim["max_ratio"]:
            raise LedgerError(
                f"工作簿内部文件“{info.filename}”压缩比 {ratio:.0f}:1，"
                f"超过上限 {lim['max_ratio']}:1（疑似压缩炸弹），拒绝读取", file=file)
    if total > lim["max_total_bytes"]:
        raise LedgerError(
            f"工作簿解压后共 {total / 2**20:.0f} MB，超过上限 "
            f"{lim['max_total_bytes'] // 2**20} MB（疑似压缩炸弹），拒绝读取", file=file)
    return infos


def read_sheets(path: str | os.PathLike, *, sheets=None) -> tuple[str, list[RawSheet]]:
    """Read every sheet of a ledger file. Returns (format, sheets).

    ``format`` is 'xlsx', 'xls', 'ods', 'xlsb' or 'csv'. Hidden sheets are returned
    with ``hidden=True`` and no rows (they are skipped, not read) -- unless ``sheets``
    names them: a sheet the caller asks for is read, hidden or not (still flagged).
    CSV files over :data:`MAX_CSV_BYTES` are refused before reading.
    """
    p = Path(path)
    file = str(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise LedgerError(f"无法打开文件：{exc.strerror or exc}", file=file) from exc
    if p.is_dir():
        raise LedgerError("这是一个文件夹，不是台账文件", file=file)
    if size == 0:
        raise LedgerError("文件是空的（0 字节）", file=file)
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{exc.strerror or exc}", file=file) from exc
    kind = sniff(p, head)
    ext = p.suffix.lower()
    if kind == "text":
        if ext in _XLSX_EXT:
            raise LedgerError(
                f"扩展名是 {ext}，但文件内容是纯文本或无法识别的数据，不是 Excel 工作簿"
                "（如果这是 CSV 文件，请把扩展名改为 .csv）", file=file)
        if size > MAX_CSV_BYTES:
            raise LedgerError(
                f"CSV 文件有 {_size(size)}，超过上限 {_size(MAX_CSV_BYTES)}"
                "（正常的台账 CSV 只有几 MB），拒绝读取；请确认文件是否正确", file=file)
        return "csv", [_read_csv(p, file)]
    if kind == "ole":
        _check_ole(p, file)
        return "xls", _read_workbook(p, file, "xls", None, sheets)
    fmt, sheet_parts = _inspect_zip(p, file)  # size and DTD checks before calamine opens it
    if not sheet_parts:
        return fmt, _read_workbook(p, file, fmt, None, sheets)
    with ThreadPoolExecutor(max_workers=1) as pool:
        formula_scan = pool.submit(_find_formula_sheets, p, file, sheet_parts)
        try:
            return fmt, _read_workbook(p, file, fmt, formula_scan, sheets)
        finally:
            formula_scan.cancel()


# --- zip workbooks ----------------------------------------------------------------------


def _inspect_zip(p: Path, file: str) -> tuple[str, dict]:
    """Check a zip workbook before calamine opens it; find sheets with formulas."""
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LedgerError(f"文件已损坏或不完整，无法作为工作簿打开（{exc}）", file=file) from exc
    with zf:
        infos = check_zip(zf, file)
        names = {i.filename for i in infos}
        if "xl/workbook.xml" in names:
            fmt = "xlsx"
        elif "xl/workbook.bin" in names:
            fmt = "xlsb"
        elif "content.xml" in names and _is_ods(zf):
            fmt = "ods"
        else:
            what = ""
            if "word/document.xml" in names:
                what = "（看起来是 Word 文档）"
            elif "ppt/presentation.xml" in names:
                what = "（看起来是 PowerPoint 文档）"
            raise LedgerError(f"这是一个压缩包，但不是 Excel/WPS 工作簿{what}", file=file)
        sheet_parts: list[str] = []
        try:
            for info in infos:
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                _scan_part(zf, info, file, full=False)
                if fmt == "xlsx" and info.filename.startswith("xl/worksheets/"):
                    sheet_parts.append(info.filename)
        except LedgerError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:
            raise LedgerError(f"工作簿已损坏，无法解压（{exc}）", file=file) from exc
    return fmt, sheet_parts


def _find_formula_sheets(p: Path, file: str, sheet_parts: list[str]) -> dict[str, str]:
    """Sheet name → worksheet part, for the sheets whose XML holds any formula.

    Inflates each worksheet part once, streamed. Runs in a worker thread while
    calamine parses the same file (both spend their time outside the GIL).
    """
    try:
        with zipfile.ZipFile(p) as zf:
            parts = {}
            for name in sheet_parts:
                if _scan_part(zf, zf.getinfo(name), file, full=True):
                    parts[name] = name
            return _sheet_names_for_parts(zf, file, parts) if parts else {}
    except LedgerError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, ET.ParseError) as exc:
        raise LedgerError(f"工作簿已损坏，无法解压（{exc}）", file=file) from exc


def _is_ods(zf: zipfile.ZipFile) -> bool:
    try:
        with zf.open("mimetype") as fh:
            return b"opendocument.spreadsheet" in fh.read(200)
    except KeyError:
        return True  # content.xml without mimetype: let calamine decide


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, *, full: bool) -> bool:
    """Refuse DTDs in an XML part; with ``full``, stream it and say whether it has formulas.

    zipfile never inflates past the declared size (and checks the CRC), so a part
    whose header lies about its size fails here, bounded, instead of inflating.
    """
    found = False
    with zf.open(info) as fh:
        first = check_prolog(fh.read, info.filename, file)
        if not full:
            return False
        tail = b""
        chunk = first
        while chunk:
            # a formula tag needs a lower-case "f", which cell data hardly ever holds (tags
            # c/row/v/is/t, upper-case cell references, UTF-8 text): one memchr-speed test
            # per chunk, and the regex only where an "f" occurs
            # and an error cell needs t="e" (one more search, ~1 ms per MB; writers use
            # double quotes): test the chunk and the seam before it
            if not found and (b"f" in chunk or b"f" in tail or b'"e"' in chunk
                              or b'"e"' in tail + chunk[:3]):
                found = bool(_FORMULA_RE.search(tail + chunk))
            tail = chunk[-8:]
            chunk = fh.read(1 << 20)
    return found


def check_prolog(read, part: str, file: str | None = None, *,
                 limit: int = MAX_PROLOG_BYTES) -> bytes:
    """Refuse a DTD or entity declaration before the first start tag of an XML part.

    ``read(n)`` returns the part's next bytes (a file's ``read``). The whole prolog is
    scanned -- XML declaration, processing instructions, comments, whitespace -- so a
    long comment cannot push a ``<!DOCTYPE`` out of sight; any ``<!`` there other than
    a comment is refused. The scan stops at the first start tag; a part whose prolog
    runs past ``limit`` bytes is refused too. UTF-16 parts are scanned as such.
    Returns the bytes read, for callers that go on streaming the part.

    >>> import io
    >>> check_prolog(io.BytesIO(b'<?xml version="1.0"?><!-- x --><a/>').read, "a.xml")[:5]
    b'<?xml'
    >>> long = b"<?xml version='1.0'?><!--" + b"x" * 10000 + b"--><!DOCTYPE a []><a/>"
    >>> try:
    ...     check_prolog(io.BytesIO(long).read, "a.xml")
    ... except LedgerError as err:
    ...     print(err.reason)
    工作簿内部文件“a.xml”含有 DTD/实体声明（可能是实体炸弹），拒绝读取
    """
    raw = [read(4096)]
    size = len(raw[0])
    head = raw[0][:2]
    if head in (b"\xff\xfe", b"<\x00"):
        decode = codecs.getincrementaldecoder("utf-16-le")(errors="replace").decode
    elif head in (b"\xfe\xff", b"\x00<"):
        decode = codecs.getincrementaldecoder("utf-16-be")(errors="replace").decode
    else:  # UTF-8 or another ASCII-compatible encoding: markup bytes map 1:1 to latin-1
        def decode(b):
            return b.decode("latin-1")
    buf = decode(raw[0])
    pos = 0
    eof = size == 0
    while True:
        need_more = False
        lt = buf.find("<", pos)
        if lt < 0:
            pos = len(buf)
            need_more = True
        else:
            pos = lt
            if buf.startswith("<?", pos):
                end = buf.find("?>", pos + 2)
                need_more = end < 0
                if not need_more:
                    pos = end + 2
            elif len(buf) - pos < 4 and not eof:
                need_more = True
            elif buf.startswith("<!--", pos):
                end = buf.find("-->", pos + 4)
                need_more = end < 0
                if not need_more:
                    pos = end + 3
            elif buf.startswith("<!", pos):
                raise LedgerError(
                    f"工作簿内部文件“{part}”含有 DTD/实体声明（可能是实体炸弹），拒绝读取", file=file)
            else:
                return b"".join(raw)  # the first start tag: the prolog is over
        if need_more:
            if eof:
                return b"".join(raw)  # no element at all; the XML parser will say so
            if size >= limit:
                raise LedgerError(
                    f"工作簿内部文件“{part}”的前 {_size(limit)} 中没有任何 XML 元素"
                    "（开头的注释或声明过长），不像正常的工作簿，拒绝读取", file=file)
            chunk = read(min(1 << 20, limit - size))
            eof = not chunk
            size += len(chunk)
            raw.append(chunk)
            # keep only what an unfinished construct needs; pos indexes the kept text
            buf = buf[pos:] + decode(chunk)
            pos = 0


def _size(n: int) -> str:
    """A byte count as an analyst reads it.

    >>> _size(4 * 2**20), _size(100_000)
    ('4 MB', '97 KB')
    """
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n // 1024} KB"


def _sheet_names_for_parts(zf: zipfile.ZipFile, file: str, parts: dict) -> dict:
    """Map worksheet part names → sheet names via workbook.xml and its rels."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {}
    for rel in rels:
        t = rel.get("Target", "")
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        target[rel.get("Id")] = os.path.normpath(t).replace("\\", "/")
    out = {}
    for sheet in wb.iter(f"{ns_main}sheet"):
        part = target.get(sheet.get(f"{ns_rel}id"))
        if part in parts:
            out[sheet.get("name")] = part
    return out


def _formula_cells(zf: zipfile.ZipFile, part: str, errors: dict | None = None) -> set:
    """Cells (0-based row, col) holding a formula with no cached value, streamed.

    ``errors``, when given, receives {(row, col): "#DIV/0!"} for the error cells.
    """
    missing = set()
    with zf.open(part) as fh:
        for _event, elem in ET.iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "c":
                has_f = has_v = False
                for child in elem:
                    ctag = child.tag.rsplit("}", 1)[-1]
                    if ctag == "f":
                        has_f = True
                    elif ctag in ("v", "is") and (child.text or len(child)):
                        has_v = True
                if has_f and not has_v:
                    m = _CELL_REF_RE.match(elem.get("r", ""))
                    if m:
                        missing.add((int(m.group(2)) - 1, _col_index(m.group(1))))
                elif errors is not None and has_v and elem.get("t") == "e":
                    m = _CELL_REF_RE.match(elem.get("r", ""))
                    v = next((ch.text for ch in elem if ch.tag.endswith("v")), None)
                    if m and v:
                        errors[(int(m.group(2)) - 1, _col_index(m.group(1)))] = v.strip()
            elif tag == "row":
                elem.clear()
    return missing


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _check_ole(p: Path, file: str) -> None:
    """An OLE file is a legacy .xls, or an encrypted workbook, or not a workbook at all."""
    try:
        with open(p, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            encrypted = mm.find("EncryptionInfo".encode("utf-16-le")) >= 0
            workbook = (mm.find("Workbook".encode("utf-16-le")) >= 0
                        or mm.find("Book".encode("utf-16-le")) >= 0)
    except (OSError, ValueError) as exc:
        raise LedgerError(f"无法读取文件：{exc}", file=file) from exc
    if encrypted:
        raise LedgerError("工作簿已加密（设置了打开密码），请在 Excel/WPS 中取消密码后另存再读取",
                          file=file)
    if not workbook:
        raise LedgerError("这是一个 Office 复合文档，但不是 Excel 工作簿（可能是 Word 文档）",
                          file=file)


def _read_workbook(p: Path, file: str, fmt: str, formula_scan: Future | None,
                   wanted) -> list[RawSheet]:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(p))
    except pc.PasswordError as exc:
        raise LedgerError("工作簿已加密（设置了打开密码），请在 Excel/WPS 中取消密码后另存再读取",
                          file=file) from exc
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise LedgerError(f"文件已损坏或格式不受支持，无法作为工作簿打开（{exc}）",
                          file=file) from exc
    out: list[RawSheet] = []
    try:
        metas = wb.sheets_metadata
        if wanted is not None:
            known = [m.name for m in metas]
            missing = [w for w in wanted if w not in known]
            if missing:
                raise LedgerError(f"找不到工作表 {'、'.join(missing)}；工作簿中有："
                                  f"{'、'.join(known)}", file=file)
        for meta in metas:
            if wanted is not None and meta.name not in wanted:
                continue
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            if hidden and wanted is None:  # a sheet named by the caller is read even hidden
                out.append(RawSheet(meta.name, [], hidden=True))
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                merges = sheet.merged_cell_ranges or []
            except LedgerError:
                raise
            except Exception as exc:
                raise LedgerError(f"工作表无法读取，文件可能已损坏（{exc}）", file=file,
                                  sheet=meta.name) from exc
            out.append(RawSheet(meta.name, rows, list(merges), hidden=hidden))
    finally:
        try:
            wb.close()
        except Exception:  # noqa: S110 - closing is best effort
            pass
    formula_parts = formula_scan.result() if formula_scan is not None else None
    if formula_parts:
        try:
            with zipfile.ZipFile(p) as zf:
                for sheet in out:
                    part = formula_parts.get(sheet.name)
                    if part and not (sheet.hidden and wanted is None):
                        errors: dict = {}
                        sheet.formula_missing = _formula_cells(zf, part, errors)
                        _pad_to_formulas(sheet)
                        mark_errors(sheet.rows, errors)
        except (zipfile.BadZipFile, ET.ParseError, OSError, EOFError) as exc:
            raise LedgerError(f"工作簿已损坏，无法读取公式（{exc}）", file=file) from exc
    if fmt == "ods":  # error cells, which calamine reads as "" (reading/errorcells.py)
        mark_ods_errors(p, file, out)
    elif fmt == "xls":
        mark_xls_errors(p, out)
    return out


def _pad_to_formulas(sheet: RawSheet) -> None:
    """Grow the grid to cover every formula cell without a cached value.

    calamine's grid ends at the last cell holding a value, so a row made only of
    uncalculated formulas below it (or a formula column right of it) would vanish;
    padded with blanks, the row is read and its formulas reported.

    >>> s = RawSheet("S", [["项目名称", "总投资"], ["甲", 1]], formula_missing={(2, 0), (3, 2)})
    >>> _pad_to_formulas(s)
    >>> s.rows
    [['项目名称', '总投资', ''], ['甲', 1, ''], ['', '', ''], ['', '', '']]
    """
    if not sheet.formula_missing:
        return
    rows = sheet.rows
    height = max(r for r, _c in sheet.formula_missing) + 1
    width = max(c for _r, c in sheet.formula_missing) + 1
    old_width = max((len(r) for r in rows), default=0)
    if height <= len(rows) and width <= old_width:
        return
    width = max(width, old_width)
    padded = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    padded.extend([""] * width for _ in range(height - len(rows)))
    sheet.rows = padded


# --- CSV --------------------------------------------------------------------------------


def decode_text(data: bytes, file: str = None) -> tuple[str, str]:
    """Decode CSV bytes. Returns (text, encoding).

    Order: a BOM decides; else strict UTF-8; else GB18030 (a superset of GBK and
    GB2312) -- unless the GB18030 text holds none of 项目/名称/投资/合计 while a strict
    Big5 decode holds 項目/名稱/投資/合計 (Big5 bytes are valid GB18030 garbage); else
    charset-normalizer's best guess. UTF-8 must come
    first: GB18030 maps almost every byte sequence to *some* characters, so trying
    it first would turn a UTF-8 file into mojibake without any error, whereas
    Chinese GBK text is practically never valid UTF-8 by accident.

    >>> decode_text("项目名称".encode("gbk"))
    ('项目名称', 'gb18030')
    >>> decode_text("\\ufeff项目名称".encode("utf-8"))
    ('项目名称', 'utf-8-sig')
    >>> decode_text("項目名稱,總投資".encode("big5"))
    ('項目名稱,總投資', 'big5')
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", file), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16", file), "utf-16"
    if b"\x00" in data:
        raise LedgerError("文件含有二进制数据（NUL 字节），不是 CSV 文本文件，也不是 Excel 工作簿",
                          file=file)
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not _has_ledger_words(text, _SIMPLIFIED_MARKS):
            # Big5 byte pairs are valid GB18030 too: a traditional-character CSV decodes
            # as GB18030 without error, into garbage. Prefer Big5 when only it reads as
            # a ledger (项目/名称/投资 are absent, 項目/名稱/投資 present).
            big5 = _try_decode(data, "big5")
            if big5 is not None and _has_ledger_words(big5, _TRADITIONAL_MARKS):
                text, enc = big5, "big5"
        _refuse_binary(text, file)
        return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LedgerError("无法识别文件的文字编码（不是 UTF-8、GBK/GB18030），也不是 Excel 工作簿",
                          file=file)
    text = str(best)
    _refuse_binary(text, file)
    return text, best.encoding


_SIMPLIFIED_MARKS = ("项目", "名称", "投资", "合计")
_TRADITIONAL_MARKS = ("項目", "名稱", "投資", "合計")


def _has_ledger_words(text: str, marks: tuple[str, ...]) -> bool:
    head = text[:65536]
    return any(m in head for m in marks)


def _try_decode(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, enc: str, file) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise LedgerError(f"文件声明为 {enc} 编码，但第 {exc.start} 字节处无法解码", file=file) \
            from exc


def _refuse_binary(text: str, file) -> None:
    sample = text[:65536]
    if not sample:
        return
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\x0c")
    if control > max(2, len(sample) // 200):
        raise LedgerError("文件含有大量控制字符，不是 CSV 文本文件，也不是 Excel 工作簿", file=file)


def _read_csv(p: Path, file: str) -> RawSheet:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{exc.strerror or exc}", file=file) from exc
    text, _enc = decode_text(data, file)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for record in reader:
            rows.append(record)
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LedgerError(f"CSV 格式错误：{exc}", file=file, row=reader.line_num) from exc
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    name = p.stem
    return RawSheet(name, rows, row_numbers=numbers)


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text[:20000].splitlines()[:30] if ln.strip()]
    best, score = ",", 0
    for d in (",", "\t", ";", "|"):
        counts = [ln.count(d) for ln in lines]
        s = sum(c > 0 for c in counts) * 1000 + sum(counts)
        if s > score:
            best, score = d, s
    return best
