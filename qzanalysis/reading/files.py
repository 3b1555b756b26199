"""Opening a ledger file: format sniffing, zip safety, a cell budget, workbook and CSV decoding.

The real format is taken from the first bytes, not from the extension: a zip is an
xlsx/xlsm/xlsb/ods, an OLE compound file is a legacy .xls (or an encrypted
workbook), anything else must be text (CSV). Before python-calamine touches a zip,
its directory is checked against limits that any genuine ledger passes and a zip
bomb does not, and every XML part is refused if it declares a DTD (entity bombs).

Before calamine parses a sheet, the sheet's extent is measured from the file itself
(xlsx cell references, .ods repeat counts, .xls cell records): calamine makes every
sheet a dense grid from A1 to its last cell, so one value at XFD1048576 would ask for
hundreds of GB and abort the process. A sheet or file over the cell budget below is
refused with a LedgerError instead.

Every failure becomes a :class:`~qzanalysis.errors.LedgerError` naming the file --
including the exceptions of damaged zips (zlib.error, NotImplementedError, ...) and
pyo3's PanicException from calamine, which derives from BaseException.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import mmap
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from qzanalysis.errors import LedgerError
from qzanalysis.reading.cfb import ole_stream as _ole_stream
from qzanalysis.reading.errorcells import mark_errors, mark_ods_errors, mark_xls_errors

__all__ = ["RawSheet", "read_sheets", "sniff", "check_zip", "check_prolog", "decode_text",
           "ZIP_LIMITS", "MAX_CSV_BYTES", "MAX_PROLOG_BYTES", "MAX_SHEET_AREA", "MAX_SHEETS",
           "MAX_FILE_AREA", "MAX_DATA_ROWS", "MAX_UNCACHED_FORMULAS", "MAX_CSV_FIELDS",
           "MAX_CSV_DATA_BYTES", "MAX_XLS_BYTES"]

#: Limits for a workbook zip. The 100,000-row benchmark ledger has one 51 MB sheet part
#: (compression ratio ~10) and its strings fit in a few MB; the cell budget below caps a
#: ledger at 200,000 data rows, about 110 MB of sheet XML. Calamine inflates a part whole
#: and keeps every string of sharedStrings.xml (about 3x its size in memory), so a
#: sheet part of 500 MB, or an unused sharedStrings (or styles, or any other XML part
#: but a sheet's) over 64 MB is refused here, from the zip directory alone. Pictures
#: and embedded files are never inflated and only count towards the total.
ZIP_LIMITS = {
    "max_entries": 10_000,
    "max_entry_bytes": 200 * 2**20,
    "max_total_bytes": 400 * 2**20,
    "max_other_xml_bytes": 64 * 2**20,  # sharedStrings, styles, ...: not a sheet part
    "max_ratio": 250,  # only checked for parts larger than ratio_floor_bytes
    "ratio_floor_bytes": 2 * 2**20,
}

#: Cell budget, checked before calamine parses a sheet. The *area* of a sheet is the
#: rectangle from A1 to its farthest cell holding a value or a formula (rows x columns):
#: calamine builds it dense (32 bytes a cell) and the reader turns it into Python lists.
#: Measured end to end (qz.load, peak RSS): an empty area costs ~70 bytes a cell, a
#: filled one ~125 (a CSV of 299,990 rows x 30 numbers took 1.19 GB), so 5 M cells stay
#: near 700 MB, under the 1 GB the reader promises. A real ledger has a few thousand
#: rows by 10-40 columns (the benchmark: 100,010 x 11 = 1.1 M); a stray value at XFD2000
#: makes 2000 x 16384 = 33 M.
MAX_SHEET_AREA = 5_000_000
#: The sum of the areas of all sheets read from one file (all are held at once).
MAX_FILE_AREA = 6_000_000
#: Rows holding at least one value, all sheets of a file together (blank rows are not
#: counted). Each becomes a row of ``ledger.rows`` (~1 KB each with its project): the
#: benchmark has 100,000; a district ledger has hundreds.
MAX_DATA_ROWS = 200_000
#: Worksheets read from one workbook: a ledger has tens (one per town, stage or month);
#: each sheet costs ~10 ms to assemble, so thousands would take minutes (R20). A caller
#: who names the sheets (sheet=…) is not limited.
MAX_SHEETS = 1_000
#: Formulas without a cached value remembered per sheet (each becomes a finding).
MAX_UNCACHED_FORMULAS = 100_000
#: Most fields in one CSV record (Excel's column limit).
MAX_CSV_FIELDS = 16_384

#: Largest CSV read (bytes on disk). A real ledger CSV is a few MB; anything far beyond
#: is refused before reading. (What is held in memory is bounded separately, by
#: MAX_CSV_DATA_BYTES of non-blank records: the file is streamed, not read whole.)
MAX_CSV_BYTES = 512 * 2**20

#: Largest legacy .xls read (bytes on disk): the whole file is read into memory, by
#: the budget scan and by calamine. BIFF8 holds at most 65,536 rows x 256 columns.
MAX_XLS_BYTES = 200 * 2**20

#: How far into an XML part the prolog (declaration, comments, DOCTYPE) may reach
#: before the first start tag. Real parts start their root element within ~100 bytes;
#: a part whose prolog is longer is refused rather than scanned without bound.
MAX_PROLOG_BYTES = 4 * 2**20

_XLSX_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods", ".et"}
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A formula tag, or an error cell (t="e": #DIV/0!, #REF! …, which calamine reads as blank)
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=[\"']e[\"']")
_CELL_REF_RE = re.compile(r"^([A-Z]+)(\d+)$")

#: What a damaged zip member can raise while it is read (besides LedgerError): a bad
#: deflate stream, an unsupported method or zip version, an encryption flag, a
#: truncated or inconsistent archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
               RuntimeError, OSError, EOFError, ValueError, KeyError, IndexError,
               struct.error, UnicodeDecodeError, ET.ParseError)


@dataclass
class RawSheet:
    """One sheet as read: a grid of Python cell values plus what the grid cannot say.

    ``rows[i][j]`` is the cell at 0-based row i, column j (Excel row i+1); empty
    cells are ``""``. ``row_numbers`` maps grid rows to source rows when they are not
    simply i+1 (CSV records spanning several lines, blank CSV lines skipped).
    ``findings`` are what the file layer noticed while reading (finding dicts, see
    :func:`qzanalysis.findings.findings_frame`); ``load`` adds them to the ledger's.
    """

    name: str
    rows: list
    merges: list = field(default_factory=list)  # [((r0, c0), (r1, c1)), ...] inclusive
    formula_missing: set = field(default_factory=set)  # {(r, c)} formulas with no value
    row_numbers: list | None = None
    hidden: bool = False
    findings: list = field(default_factory=list)


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
        cap = lim["max_entry_bytes"]
        name = info.filename.lower()
        if (name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/")
                and name != "content.xml"):
            cap = min(cap, lim["max_other_xml_bytes"])
        if size > cap:
            raise LedgerError(
                f"工作簿内部文件“{info.filename}”解压后有 {size / 2**20:.0f} MB，"
                f"超过上限 {cap // 2**20} MB（疑似压缩炸弹），拒绝读取",
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
    CSV files over :data:`MAX_CSV_BYTES` are refused before reading; every sheet is
    measured against the cell budget (:data:`MAX_SHEET_AREA`, :data:`MAX_FILE_AREA`,
    :data:`MAX_DATA_ROWS`) before it is parsed.
    """
    p = Path(path)
    file = str(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise LedgerError(f"无法打开文件：{_os_reason(exc)}", file=file) from exc
    except ValueError as exc:  # e.g. a NUL character in the path
        raise LedgerError(f"文件路径无效（{exc}）", file=file) from exc
    if stat.S_ISDIR(st.st_mode):
        raise LedgerError("这是一个文件夹，不是台账文件", file=file)
    if not stat.S_ISREG(st.st_mode):
        what = ("管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else
                "设备文件" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "套接字" if stat.S_ISSOCK(st.st_mode) else "特殊文件")
        raise LedgerError(f"这不是普通文件，而是{what}，无法作为台账读取；请先保存为 "
                          ".xlsx 或 .csv 文件再读取", file=file)
    size = st.st_size
    if size == 0:
        raise LedgerError("文件是空的（0 字节）", file=file)
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{_os_reason(exc)}", file=file) from exc
    kind = sniff(p, head)
    ext = p.suffix.lower()
    if kind == "text":
        if ext in _XLSX_EXT:
            raise LedgerError(_not_a_workbook(ext, head), file=file)
        if size > MAX_CSV_BYTES:
            raise LedgerError(
                f"CSV 文件有 {_size(size)}，超过上限 {_size(MAX_CSV_BYTES)}"
                "（正常的台账 CSV 只有几 MB），拒绝读取；请确认文件是否正确", file=file)
        return "csv", [_guard(file, lambda: _read_csv(p, file), what="CSV 文件无法读取")]
    if kind == "ole":
        if size > MAX_XLS_BYTES:
            raise LedgerError(
                f"Excel 97-2003 工作簿有 {_size(size)}，超过上限 {_size(MAX_XLS_BYTES)}"
                "（这种格式最多 65,536 行，正常的台账只有几 MB），拒绝读取", file=file)
        _check_ole(p, file)
        extents = _guard(file, lambda: _xls_extents(p, file))
        return "xls", _read_workbook(p, file, "xls", extents, sheets)
    fmt, info = _inspect_zip(p, file)  # size and DTD checks before calamine opens it
    if fmt == "xlsb":
        _guard(file, lambda: _check_xlsb(p, file), what="工作簿已损坏，无法解压")
    if fmt == "xlsx" and info.get("duplicates"):
        with tempfile.TemporaryDirectory(prefix="qz-") as tmp:
            fixed = Path(tmp) / "renamed.xlsx"
            _guard(file, lambda: _rename_duplicate_sheets(p, fixed, info))
            return fmt, _read_workbook(fixed, file, fmt, info, sheets)
    return fmt, _read_workbook(p, file, fmt, info, sheets)


def _not_a_workbook(ext: str, head: bytes) -> str:
    """Why a text file with a workbook extension is not a workbook, and what to do."""
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in low or b"<?mso-application" in low:
        return (f"扩展名是 {ext}，但文件其实是 Excel 2003 XML 表格（SpreadsheetML），不是 Excel "
                "工作簿；请在 Excel/WPS 中打开后另存为 .xlsx 再读取")
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in low[:1024]:
        return (f"扩展名是 {ext}，但文件其实是网页（HTML 表格，常见于从业务系统导出的“xls”），"
                "不是 Excel 工作簿；请在 Excel/WPS 中打开后另存为 .xlsx 再读取")
    if low.startswith(b"<?xml") or low.startswith(b"<"):
        return (f"扩展名是 {ext}，但文件内容是 XML 文本，不是 Excel 工作簿；请在 Excel/WPS "
                "中打开后另存为 .xlsx 再读取")
    return (f"扩展名是 {ext}，但文件内容是纯文本或无法识别的数据，不是 Excel 工作簿"
            "（如果这是 CSV 文件，请把扩展名改为 .csv）")


_ERRNO_ZH = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环（链接指向自身）",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "磁盘读写错误",
    errno.EINVAL: "参数无效（文件可能已损坏）",
}


def _os_reason(exc: OSError) -> str:
    """An OSError as an analyst reads it: Chinese for the usual errnos."""
    return _ERRNO_ZH.get(exc.errno, exc.strerror or str(exc))


def _guard(file: str, fn, sheet: str | None = None, what: str = "文件已损坏，无法读取"):
    """Run a parser step; any failure of a damaged file becomes a LedgerError.

    LedgerError passes through. pyo3's PanicException (calamine hit a Rust panic on
    a damaged file) derives from BaseException: it is recognised by its module and
    converted; every other BaseException (KeyboardInterrupt, SystemExit) propagates.
    MemoryError is converted too: the budget should make it impossible, and when it
    still happens the file cannot be read in this process -- the contract is that a
    file gives a Ledger or a LedgerError.
    """
    try:
        return fn()
    except LedgerError:
        raise
    except MemoryError as exc:
        raise LedgerError("读取时内存不足：文件的数据量超出了本机能处理的范围，拒绝读取",
                          file=file, sheet=sheet) from exc
    except Exception as exc:
        raise LedgerError(f"{what}（{_describe(exc)}）", file=file, sheet=sheet) from exc
    except BaseException as exc:
        if _is_panic(exc):
            raise LedgerError(f"{what}（解析器内部错误：{_describe(exc)}）", file=file,
                              sheet=sheet) from exc
        raise


def _is_panic(exc: BaseException) -> bool:
    """pyo3's PanicException (module ``pyo3_runtime``), without importing it."""
    cls = type(exc)
    return cls.__name__ == "PanicException" or cls.__module__ == "pyo3_runtime"


#: English messages of zipfile/zlib for damaged members, as an analyst reads them.
_ZIP_MESSAGES_ZH = (
    ("is encrypted, password required", "内部文件已加密（需要密码）"),
    ("compression method is not supported", "内部文件使用了不支持的压缩方式"),
    ("zip file version", "压缩包格式版本不受支持"),
    ("Error -3 while decompressing", "压缩数据已损坏"),
    ("Bad CRC-32", "内部文件校验失败（CRC 错误）"),
    ("Bad magic number", "压缩包结构已损坏"),
    ("Truncated file header", "压缩包被截断"),
    ("File is not a zip file", "不是有效的压缩包"),
)


def _describe(exc: BaseException) -> str:
    """A short reason for a parser exception, in Chinese where it is a known zip failure.

    >>> _describe(RuntimeError("File <ZipInfo ...> is encrypted, password required for extraction"))
    '内部文件已加密（需要密码）'
    """
    if isinstance(exc, OSError) and exc.errno in _ERRNO_ZH:
        return _os_reason(exc)
    if isinstance(exc, EOFError):
        return "文件不完整（内容被截断）"
    text = str(exc) or type(exc).__name__
    for english, chinese in _ZIP_MESSAGES_ZH:
        if english in text:
            return chinese
    return text if len(text) <= 200 else text[:200] + "…"


# --- the cell budget ----------------------------------------------------------------------


@dataclass
class Extent:
    """How much of a sheet calamine would build: the grid from A1 to the last cell.

    ``rows`` and ``cols`` count from A1 to the farthest cell holding a value or a
    formula (an upper bound where only a bound is cheap); ``data_rows`` counts rows
    holding a value.
    """

    rows: int = 0
    cols: int = 0
    data_rows: int = 0

    @property
    def area(self) -> int:
        return self.rows * self.cols


class _Budget:
    """Charges each sheet's extent against the per-sheet and per-file limits."""

    def __init__(self, file: str):
        self.file = file
        self.area = 0
        self.data_rows = 0

    def charge(self, sheet: str, ext: Extent) -> None:
        check_area(ext.rows, ext.cols, self.file, sheet)
        self.area += ext.area
        self.data_rows += ext.data_rows
        if self.area > MAX_FILE_AREA:
            raise LedgerError(
                f"各工作表的数据区域合计 {self.area:,} 个单元格，超过上限 {MAX_FILE_AREA:,}，"
                "数据量远超正常台账，拒绝读取；请只保留需要的工作表后另存再读取", file=self.file)
        if self.data_rows > MAX_DATA_ROWS:
            raise LedgerError(
                f"文件中有数据的行超过 {MAX_DATA_ROWS:,} 行（至工作表“{sheet}”已有 "
                f"{self.data_rows:,} 行），远超正常台账，拒绝读取；请确认文件是否正确", file=self.file)


def check_area(rows: int, cols: int, file: str, sheet: str | None) -> None:
    """Refuse a grid of ``rows`` x ``cols`` cells over :data:`MAX_SHEET_AREA`.

    >>> check_area(2000, 16384, "a.xlsx", "表1")
    Traceback (most recent call last):
    ...
    qzanalysis.errors.LedgerError: 文件 a.xlsx，工作表“表1”：数据区域从 A1 延伸到 XFD2000（2,000 行 × 16,384 列 = 32,768,000 个单元格），超过上限 5,000,000 个单元格。通常是远处的某个单元格误填了内容或公式：请在 Excel/WPS 中删除多余的行和列后另存，再读取
    """
    area = rows * cols
    if area > MAX_SHEET_AREA:
        raise LedgerError(
            f"数据区域从 A1 延伸到 {_col_letters(cols - 1)}{rows}（{rows:,} 行 × {cols:,} 列 = "
            f"{area:,} 个单元格），超过上限 {MAX_SHEET_AREA:,} 个单元格。通常是远处的某个单元格"
            "误填了内容或公式：请在 Excel/WPS 中删除多余的行和列后另存，再读取",
            file=file, sheet=sheet)


def _col_letters(c: int) -> str:
    """0-based column index → Excel letters.

    >>> _col_letters(0), _col_letters(25), _col_letters(26), _col_letters(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    s = ""
    c += 1
    while c > 0:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


# --- zip workbooks ----------------------------------------------------------------------

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _inspect_zip(p: Path, file: str) -> tuple[str, dict]:
    """Check a zip workbook before calamine opens it.

    Returns the format and, for xlsx, ``{"parts": [(sheet name, part or None), ...]}``
    in workbook order (and ``"duplicates"`` when two sheets share a name).
    """
    try:
        zf = zipfile.ZipFile(p)
    except LedgerError:
        raise
    except _ZIP_ERRORS as exc:
        raise LedgerError(f"文件已损坏或不完整，无法作为工作簿打开（{_describe(exc)}）",
                          file=file) from exc
    with zf:
        infos = check_zip(zf, file)
        names = {i.filename for i in infos}
        info: dict = {}
        try:
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
            for entry in infos:
                if entry.filename.endswith((".xml", ".rels", ".vml")):
                    _scan_part(zf, entry, file)
            if fmt == "xlsx":
                info["parts"] = _sheet_parts(zf, names)
                seen: dict = {}
                for name, _part in info["parts"]:
                    seen[name] = seen.get(name, 0) + 1
                info["duplicates"] = sorted(n for n, k in seen.items() if k > 1)
        except LedgerError:
            raise
        except _ZIP_ERRORS as exc:
            raise LedgerError(f"工作簿已损坏，无法解压（{_describe(exc)}）", file=file) from exc
    return fmt, info


def _is_ods(zf: zipfile.ZipFile) -> bool:
    try:
        with zf.open("mimetype") as fh:
            return b"opendocument.spreadsheet" in fh.read(200)
    except KeyError:
        return True  # content.xml without mimetype: let calamine decide


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    """Refuse DTDs in an XML part (only its prolog is read).

    zipfile never inflates past the declared size (and checks the CRC), so a part
    whose header lies about its size fails, bounded, instead of inflating.
    """
    with zf.open(info) as fh:
        return check_prolog(fh.read, info.filename, file)


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


def _sheet_parts(zf: zipfile.ZipFile, names: set) -> list:
    """[(sheet name, candidate worksheet parts)] in workbook order, via workbook.xml and its rels.

    Every part calamine might read for a sheet is a candidate: the relationship target
    resolved as a path and the way calamine resolves it (``"xl/" + target`` without a
    leading ``/xl/``), for every relationship with the sheet's id (an id may repeat in a
    damaged file). Elements are matched by local name, so a strict-OOXML namespace or
    another prefix does not hide a sheet.
    """
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    targets: dict = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels")):
            t = rel.get("Target", "")
            mine = os.path.normpath(t.lstrip("/") if t.startswith("/") else "xl/" + t)
            theirs = "xl/" + t.removeprefix("/xl/").removeprefix("xl/")
            found = targets.setdefault(rel.get("Id"), [])
            for cand in (mine.replace("\\", "/"), theirs):
                if cand in names and cand not in found:
                    found.append(cand)
    out = []
    for sheet in wb.iter():
        if not isinstance(sheet.tag, str) or sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        out.append((sheet.get("name") or "", tuple(targets.get(rid, ()))))
    return out


def _rename_duplicate_sheets(p: Path, out: Path, info: dict) -> None:
    """Copy the workbook with unique sheet names ("表", "表 (2)") in workbook.xml.

    calamine finds a sheet by name, so of two sheets named alike it would read the
    first twice. Only workbooks with duplicate names pay for this copy (stored,
    uncompressed, in a temporary folder). ``info["parts"]`` gets the new names and
    ``info["renamed"]`` maps each new name to the original.
    """
    used: set = {n for n, _ in info["parts"]}
    count: dict = {}
    renamed = {}
    parts = []
    for name, part in info["parts"]:
        count[name] = count.get(name, 0) + 1
        new = name
        if count[name] > 1:
            k = count[name]
            new = f"{name} ({k})"
            while new in used:
                k += 1
                new = f"{name} ({k})"
            used.add(new)
            renamed[new] = name
        parts.append((new, part))
    with zipfile.ZipFile(p) as src:
        root = ET.fromstring(src.read("xl/workbook.xml"))
        elements = [el for el in root.iter()
                    if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "sheet"]
        for el, (new, _part) in zip(elements, parts, strict=False):
            el.set("name", new)
        ET.register_namespace("", _NS_MAIN[1:-1])
        ET.register_namespace("r", _NS_REL[1:-1])
        wb_xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for entry in src.infolist():
                data = wb_xml if entry.filename == "xl/workbook.xml" else src.read(entry)
                dst.writestr(entry.filename, data)
    info["parts"] = parts
    info["renamed"] = renamed


#: Cell start tags and references, for the exact (slow) extent scan of a sheet part.
_CELL_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s>/])([^<>]*)>")
_ROW_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s>/])([^<>]*)>")
_R_ATTR_RE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{0,4})(\d{1,9})["']""")
_DIMENSION_RE = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
_MAX_TAG_BYTES = 1 << 20
#: A prefixed cell, row or formula tag (calamine reads <x:c> as a cell): rare, exact scan.
_PREFIXED_RE = re.compile(rb":(?:c|row|f)[\s/>]")


def _scan_sheet_part(zf: zipfile.ZipFile, part: str, file: str, sheet: str) -> tuple[Extent, bool]:
    """Measure a worksheet part before calamine parses it: (extent, holds formulas).

    Fast path: the ``<dimension>`` the writer declared, verified by one regex pass
    that finds any cell reference beyond it (and by counting that every ``<c`` has an
    ``r=`` reference). A dimension that lies, is missing or is itself over budget
    leads to the exact scan of every cell reference (``_scan_sheet_exact``).
    """
    with zf.open(part) as fh:
        first = fh.read(1 << 16)
        m = _DIMENSION_RE.search(first)
        claimed = None
        if m:
            rows, cols = int(m.group(2)), _col_index(m.group(1).decode()) + 1
            if rows * cols <= MAX_SHEET_AREA:
                claimed = (rows, cols)
        if claimed is not None:
            fast = _scan_sheet_fast(fh, first, *claimed)
            # rows closed with </row> may hold formatting only: count them exactly
            if fast is not None and fast[0].data_rows <= MAX_DATA_ROWS:
                return fast
    with zf.open(part) as fh:
        return _scan_sheet_exact(fh, file, sheet)


def _not_greater(text: str, alphabet: str) -> str:
    """A regex for the strings of ``alphabet`` that compare <= ``text`` (shorter ones too).

    >>> import re
    >>> r = re.compile(_not_greater("100010", "0123456789") + "$")
    >>> [bool(r.match(s)) for s in ("9", "99999", "100010", "100009", "100011", "200000")]
    [True, True, True, True, False, False]
    """
    cls = f"[{alphabet[0]}-{alphabet[-1]}]"
    alts = [re.escape(text)]
    if len(text) > 1:
        alts.append(f"{cls}{{1,{len(text) - 1}}}")
    for i, ch in enumerate(text):
        k = alphabet.index(ch)
        if k > 0:
            alts.append(re.escape(text[:i]) + f"[{alphabet[0]}-{alphabet[k - 1]}]"
                        + cls * (len(text) - i - 1))
    return "(?:" + "|".join(alts) + ")"


def _outside_res(rows: int, cols: int) -> tuple[re.Pattern, re.Pattern]:
    """Regexes finding a cell or row tag NOT of the plain form inside ``rows`` x ``cols``.

    A cell tag matches unless it starts ``<c r="REF"`` with REF within the bounds: a
    reference beyond them, a cell without a reference (placed after the previous
    one) or with its reference elsewhere all match, and send the sheet to the exact
    scan. Likewise a row tag unless ``<row r="N"`` with N <= rows.

    >>> cell, row = _outside_res(100010, 11)
    >>> [bool(cell.search(s)) for s in (b'<c r="K100010" s="1">', b'<c r="L1">', b'<c r="A100011">',
    ...                                  b'<c>', b'<c s="1" r="A1">', b'<cols>')]
    [False, True, True, True, True, False]
    >>> [bool(row.search(s)) for s in (b'<row r="100010">', b'<row r="100011">', b'<row>')]
    [False, True, True]
    """
    row_le = _not_greater(str(rows), "0123456789")
    col_le = _not_greater(_col_letters(cols - 1), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cell = re.compile(rf'<c(?=[\s/>])(?!\s+r="{col_le}{row_le}")'.encode())
    row = re.compile(rf'<row(?=[\s/>])(?!\s+r="{row_le}")'.encode())
    return cell, row


def _scan_sheet_fast(fh, first: bytes, rows: int, cols: int) -> tuple[Extent, bool] | None:
    """Verify a declared dimension; None when any cell may lie beyond it.

    Cost: one inflate and one regex pass whose candidates are the cell tags (the
    benchmark's 51 MB part in ~0.2 s). ``data_rows`` is bounded by
    the dimension.
    """
    cell_out, _row_out = _outside_res(rows, cols)
    found = False
    carry = b""
    chunk = first
    while chunk:
        buf = carry + chunk
        cut = buf.rfind(b"<")  # a tag cut by the chunk boundary is scanned with the next
        if cut < 0 or buf.find(b">", cut) >= 0:
            cut = len(buf)  # the last tag is complete (long text after it is not carried)
        elif len(buf) - cut > _MAX_TAG_BYTES:
            return None
        # rows need no check of their own: a cell carries its row in its reference,
        # and a cell without one is sent to the exact scan
        if cell_out.search(buf, 0, cut) or _PREFIXED_RE.search(buf, 0, cut):
            return None  # a cell that may lie outside, or a prefixed element (<x:c>)
        # a formula tag needs a lower-case "f", which cell data hardly ever holds (tags
        # c/row/v/is/t, upper-case references, UTF-8 text): a memchr-speed test, and
        # the regex only where an "f" occurs
        # and an error cell needs t="e" (writers use double quotes): one more search
        if not found and (b"f" in buf or b'"e"' in buf):
            found = bool(_FORMULA_RE.search(buf, 0, cut))
        carry = buf[cut:]
        chunk = fh.read(1 << 20)
    if carry.find(b"<c") >= 0 or carry.find(b"<row") >= 0:
        return None
    return Extent(rows, cols, rows), found


def _scan_sheet_exact(fh, file: str, sheet: str) -> tuple[Extent, bool]:
    """Every cell reference of a sheet part: the farthest cell with content, exactly.

    Cells without a reference are placed by calamine after the previous one, so each
    of them may add a column (a row without ``r=`` a row): counted as an upper bound.
    Self-closing cells (``<c r="XFD5" s="3"/>``, formatting only) hold no value.
    """
    max_row = max_col = 0
    refless_cells = refless_rows = 0
    max_row_tag = n_tags = 0
    content_rows: set = set()
    found = False
    carry = b""
    while True:
        chunk = fh.read(1 << 20)
        buf = carry + chunk
        if not chunk:
            break
        cut = buf.rfind(b"<")
        if cut >= 0 and buf.find(b">", cut) < 0:
            carry, buf = buf[cut:], buf[:cut]
            if len(carry) > _MAX_TAG_BYTES:
                raise LedgerError(f"工作表 XML 中有超过 {_size(_MAX_TAG_BYTES)} 的标签，"
                                  "文件可能已损坏", file=file, sheet=sheet)
        else:
            carry = b""
        if not found and _FORMULA_RE.search(buf):
            found = True
        tags = _CELL_TAG_RE.findall(buf)
        n_tags += len(tags)
        if n_tags > MAX_SHEET_AREA:  # formatting-only cells count too: bounded time
            raise LedgerError(f"工作表中有超过 {MAX_SHEET_AREA:,} 个单元格，远超正常台账，拒绝读取",
                              file=file, sheet=sheet)
        for attrs in tags:
            m = _R_ATTR_RE.search(attrs)
            if m is None or not m.group(1):
                refless_cells += 1
                continue
            if attrs.endswith(b"/"):
                continue
            r = int(m.group(2))
            c = _col_index(m.group(1).upper().decode()) + 1
            max_row = max(max_row, r)
            max_col = max(max_col, c)
            if len(content_rows) <= MAX_DATA_ROWS:
                content_rows.add(r)
        for attrs in _ROW_TAG_RE.findall(buf):
            if attrs.endswith(b"/"):
                continue
            m = _R_ATTR_RE.search(attrs)
            if m is None or m.group(1):
                refless_rows += 1
            else:
                max_row_tag = max(max_row_tag, int(m.group(2)))
    if refless_cells:
        max_col += refless_cells
        max_row = max(max_row, max_row_tag + refless_rows)
    return Extent(max_row, max_col, len(content_rows) + refless_rows), found


def _formula_cells(zf: zipfile.ZipFile, part: str, file: str, sheet: str,
                   errors: dict | None = None) -> set:
    """Cells (0-based row, col) holding a formula with no cached value, streamed.

    ``errors``, when given, receives {(row, col): "#DIV/0!"} for the error cells.

    At most :data:`MAX_UNCACHED_FORMULAS` are kept: a sheet with more is refused (it
    was saved by a program that does not calculate; Excel/WPS would fill the values).
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
                if errors is not None and has_v and elem.get("t") == "e":
                    m = _CELL_REF_RE.match(elem.get("r", ""))
                    v = next((ch.text for ch in elem if ch.tag.endswith("v")), None)
                    if m and v and len(errors) <= MAX_UNCACHED_FORMULAS:
                        errors[(int(m.group(2)) - 1, _col_index(m.group(1)))] = v.strip()
                if has_f and not has_v:
                    m = _CELL_REF_RE.match(elem.get("r", ""))
                    if m:
                        missing.add((int(m.group(2)) - 1, _col_index(m.group(1))))
                        if len(missing) > MAX_UNCACHED_FORMULAS:
                            raise LedgerError(
                                f"工作表中有超过 {MAX_UNCACHED_FORMULAS:,} 个公式没有计算结果"
                                "（文件由不计算公式的程序保存），请在 Excel/WPS 中打开并保存后再读取",
                                file=file, sheet=sheet)
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
        raise LedgerError(f"无法读取文件：{_describe(exc)}", file=file) from exc
    if encrypted:
        raise LedgerError("工作簿已加密（设置了打开密码），请在 Excel/WPS 中取消密码后另存再读取",
                          file=file)
    if not workbook:
        raise LedgerError("这是一个 Office 复合文档，但不是 Excel 工作簿（可能是 Word 文档）",
                          file=file)


def _open_calamine(p: Path, file: str):
    import python_calamine as pc

    def open_():
        try:
            return pc.CalamineWorkbook.from_path(str(p))
        except pc.PasswordError as exc:
            raise LedgerError("工作簿已加密（设置了打开密码），请在 Excel/WPS 中取消密码后另存再读取",
                              file=file) from exc
    return _guard(file, open_, what="文件已损坏或格式不受支持，无法作为工作簿打开")


def _read_workbook(p: Path, file: str, fmt: str, info, wanted) -> list[RawSheet]:
    """Read the sheets with calamine, each after its extent passed the budget.

    ``info``: for xlsx the dict of :func:`_inspect_zip` (sheet parts, renames); for
    ods and xls the list of :class:`Extent` of each sheet in workbook order.
    """
    import python_calamine as pc

    if fmt == "ods":
        info = _guard(file, lambda: _ods_extents(p, file))
    wb = _open_calamine(p, file)
    budget = _Budget(file)
    out: list[RawSheet] = []
    parts = info.get("parts") if isinstance(info, dict) else None
    renamed = info.get("renamed", {}) if isinstance(info, dict) else {}
    extents = info if isinstance(info, list) else None
    zf = None
    try:
        metas = _guard(file, lambda: wb.sheets_metadata)
        _check_sheet_list(metas, wanted, file)
        if extents is not None and len(extents) != len(metas):
            for k, ext in enumerate(extents):  # cannot pair them: every one must pass
                check_area(ext.rows, ext.cols, file, f"第{k + 1}个工作表")
            extents = None
        if parts is not None:
            zf = _guard(file, lambda: zipfile.ZipFile(p))
        for i, meta in enumerate(metas):
            if (wanted is not None and meta.name not in wanted) or (
                    meta.typ != pc.SheetTypeEnum.WorkSheet):
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            if hidden and wanted is None:  # a sheet named by the caller is read even hidden
                out.append(RawSheet(meta.name, [], hidden=True))
                continue
            part, has_formula = None, False
            if parts is not None:
                ext, part, has_formula = _measure_sheet(zf, parts, i, meta.name, file)
                budget.charge(meta.name, ext)
            elif extents is not None:
                budget.charge(meta.name, extents[i])
            out.append(_read_one(wb, meta.name, file, hidden))
            if has_formula:
                _read_formulas(out[-1], zf, part, file)
            if meta.name in renamed:
                out[-1].findings.append({
                    "severity": "info", "rule": "duplicate_sheet_name", "source_file": file,
                    "source_sheet": meta.name,
                    "message": f"工作簿中有多个名为“{renamed[meta.name]}”的工作表；这一个按"
                               f"“{meta.name}”读取，请核对它们是否重复"})
    finally:
        _close(zf, wb)
    # error cells, which calamine reads as "" (reading/errorcells.py; best effort)
    if fmt == "ods":
        _guard(file, lambda: mark_ods_errors(p, file, out), what="工作簿已损坏，无法读取")
    elif fmt == "xls":
        _guard(file, lambda: mark_xls_errors(p, out), what="工作簿已损坏，无法读取")
    return out


def _check_sheet_list(metas, wanted, file: str) -> None:
    """The sheets asked for exist, no two share a name, and there are not thousands."""
    import python_calamine as pc

    known = [m.name for m in metas]
    if wanted is not None:
        missing = [w for w in wanted if w not in known]
        if missing:
            raise LedgerError(f"找不到工作表 {'、'.join(missing)}；工作簿中有："
                              f"{'、'.join(known)}", file=file)
    if len(set(known)) < len(known):  # xlsx duplicates were renamed before calamine
        dup = next(n for n in known if known.count(n) > 1)
        raise LedgerError(f"工作簿中有 {known.count(dup)} 个同名工作表“{dup}”，无法分别读取；"
                          "请在 Excel/WPS 中给它们改成不同的名字后另存再读取", file=file)
    n_work = sum(1 for m in metas if m.typ == pc.SheetTypeEnum.WorkSheet)
    if wanted is None and n_work > MAX_SHEETS:
        raise LedgerError(f"工作簿中有 {n_work:,} 个工作表，超过上限 {MAX_SHEETS:,}（台账通常只有几十个），"
                          "拒绝读取；请用 sheet=… 指定要读的工作表", file=file)


def _measure_sheet(zf, parts, i: int, name: str, file: str) -> tuple[Extent, str, bool]:
    """(extent, part, holds formulas) of an xlsx sheet, from its part(s) before calamine."""
    candidates = _part_of(parts, i, name)
    if not candidates:
        raise LedgerError("工作表在工作簿中找不到对应的内部文件，文件可能已损坏",
                          file=file, sheet=name)
    ext, has_formula = Extent(), False
    for cand in candidates:  # normally one; each is measured when in doubt
        e, f = _guard(file, lambda c=cand: _scan_sheet_part(zf, c, file, name),
                      sheet=name, what="工作簿已损坏，无法解压")
        ext = Extent(max(ext.rows, e.rows), max(ext.cols, e.cols),
                     max(ext.data_rows, e.data_rows))
        has_formula = has_formula or f
    return ext, candidates[0], has_formula


def _read_formulas(sheet: RawSheet, zf, part: str, file: str) -> None:
    """Formulas without a cached value (padded into the grid) and error cells of a sheet."""
    errors: dict = {}
    sheet.formula_missing = _guard(
        file, lambda: _formula_cells(zf, part, file, sheet.name, errors),
        sheet=sheet.name, what="工作簿已损坏，无法读取公式")
    _pad_to_formulas(sheet, file)
    mark_errors(sheet.rows, errors)


def _close(zf, wb) -> None:
    if zf is not None:
        zf.close()
    try:
        wb.close()
    except Exception:  # noqa: S110 - closing is best effort
        pass
    except BaseException as exc:  # a panic while closing: ignored like any close error
        if not _is_panic(exc):
            raise


def _part_of(parts: list, i: int, name: str) -> tuple:
    if i < len(parts) and parts[i][0] == name:
        return parts[i][1]
    return next((cands for n, cands in parts if n == name), ())


def _read_one(wb, name: str, file: str, hidden: bool) -> RawSheet:
    def read():
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merges = sheet.merged_cell_ranges or []
        return RawSheet(name, rows, list(merges), hidden=hidden)
    return _guard(file, read, sheet=name, what="工作表无法读取，文件可能已损坏")


def _pad_to_formulas(sheet: RawSheet, file: str = "") -> None:
    """Grow the grid to cover every formula cell without a cached value.

    calamine's grid ends at the last cell holding a value, so a row made only of
    uncalculated formulas below it (or a formula column right of it) would vanish;
    padded with blanks, the row is read and its formulas reported. The padded grid
    obeys the same budget as any sheet (:data:`MAX_SHEET_AREA`).

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
    check_area(max(height, len(rows)), width, file, sheet.name)
    padded = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    padded.extend([""] * width for _ in range(height - len(rows)))
    sheet.rows = padded


# --- .ods and .xls extents -------------------------------------------------------------

_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _ods_extents(p: Path, file: str) -> list:
    """The extent of every table of an .ods, from content.xml's repeat counts (streamed).

    calamine expands ``number-rows-repeated`` and ``number-columns-repeated`` and
    trims empty cells at the ends, so a cell counts when it holds a value (a value
    type or any child element) and an empty repeated cell only moves the column.
    """
    from xml.parsers import expat

    tables: list = []
    st = {"row": 0, "col": 0, "rrep": 1, "cell_rep": 0, "cell_col": 0, "in_cell": False,
          "cell_has": False, "row_has": False, "ext": None, "depth": 0}
    sep = "\x01"
    t_table, t_row = f"{_ODS_TABLE}{sep}table", f"{_ODS_TABLE}{sep}table-row"
    t_cells = (f"{_ODS_TABLE}{sep}table-cell", f"{_ODS_TABLE}{sep}covered-table-cell")
    a_rrep = f"{_ODS_TABLE}{sep}number-rows-repeated"
    a_crep = f"{_ODS_TABLE}{sep}number-columns-repeated"
    a_vtype = f"{_ODS_OFFICE}{sep}value-type"

    def rep(attrs, key):
        try:
            return max(1, int(attrs.get(key, 1)))
        except ValueError:
            return 1

    def start(name, attrs):
        if st["in_cell"]:
            st["cell_has"] = True
            return
        if name == t_table:
            st["depth"] += 1
            if st["depth"] == 1:
                st.update(row=0, ext=Extent())
                tables.append(st["ext"])
        elif st["ext"] is None or st["depth"] != 1:
            return
        elif name == t_row:
            st.update(rrep=rep(attrs, a_rrep), col=0, row_has=False)
        elif name in t_cells:
            n = rep(attrs, a_crep)
            st.update(in_cell=True, cell_rep=n, cell_col=st["col"], cell_has=a_vtype in attrs)
            st["col"] += n

    def end(name):
        if name in t_cells and st["in_cell"]:
            st["in_cell"] = False
            if st["cell_has"] and st["ext"] is not None:
                ext = st["ext"]
                ext.cols = max(ext.cols, st["cell_col"] + st["cell_rep"])
                st["row_has"] = True
        elif st["in_cell"]:
            return
        elif name == t_row and st["ext"] is not None and st["depth"] == 1:
            ext = st["ext"]
            if st["row_has"]:
                ext.rows = st["row"] + st["rrep"]
                ext.data_rows += st["rrep"]
            st["row"] += st["rrep"]
        elif name == t_table:
            st["depth"] -= 1

    parser = expat.ParserCreate(namespace_separator=sep)
    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def no_entities(*_args):
        raise LedgerError("工作簿内部文件“content.xml”含有 DTD/实体声明（可能是实体炸弹），拒绝读取",
                          file=file)
    parser.EntityDeclHandler = no_entities
    parser.StartDoctypeDeclHandler = no_entities
    with zipfile.ZipFile(p) as zf, zf.open("content.xml") as fh:
        while chunk := fh.read(1 << 20):
            parser.Parse(chunk, False)
            for ext in tables:  # stop early: a bomb is refused before it is parsed whole
                check_area(min(ext.rows, MAX_SHEET_AREA + 1), min(ext.cols, MAX_SHEET_AREA + 1),
                           file, None)
            if sum(e.data_rows for e in tables) > MAX_DATA_ROWS:
                break
        else:
            parser.Parse(b"", True)
    return tables


def _xls_extents(p: Path, file: str) -> list:
    """The extent of every sheet of a legacy .xls, from its BIFF cell records.

    The Workbook stream is read from the OLE container (a minimal compound-file
    reader), then every cell record (NUMBER, RK, MULRK, LABELSST, LABEL, FORMULA,
    BOOLERR, RSTRING) of each worksheet substream gives a (row, column). Also checked:
    the SST's declared string count against the stream's size (a damaged count makes
    calamine reserve gigabytes and abort).
    """
    data = p.read_bytes()
    stream = _ole_stream(data, ("Workbook", "Book"))
    if stream is None:
        raise LedgerError("Excel 97-2003 工作簿结构不完整（找不到 Workbook 数据流），文件可能已损坏",
                          file=file)
    cell_records = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6}
    sheets_at: list = []
    extents: dict = {}
    pos, n = 0, len(stream)
    current = None
    while pos + 4 <= n:
        typ, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if typ == 0x0085 and size >= 4:  # BOUNDSHEET: the offset of each sheet's BOF
            sheets_at.append(struct.unpack_from("<I", stream, body)[0])
        elif typ == 0x0809:  # BOF
            current = extents.setdefault(pos, [0, 0, set()])
        elif typ == 0x000A:
            current = None
        elif typ == 0x00FC and size >= 8:  # SST: total and unique string counts
            unique = struct.unpack_from("<I", stream, body + 4)[0]
            if unique > n:
                raise LedgerError(f"共享字符串表声明了 {unique:,} 个字符串，超过文件本身的大小，"
                                  "文件已损坏", file=file)
        elif current is not None and size >= 4 and (typ in cell_records or typ == 0x00BD):
            row, col = struct.unpack_from("<HH", stream, body)
            last = col
            if typ == 0x00BD and size >= 6:  # MULRK: first column .. last column
                last = struct.unpack_from("<H", stream, body + size - 2)[0]
            current[0] = max(current[0], row + 1)
            current[1] = max(current[1], max(col, last) + 1)
            if len(current[2]) <= MAX_DATA_ROWS:
                current[2].add(row)
        pos = body + size
    out = []
    for offset in sheets_at:
        rows, cols, data_rows = extents.get(offset, (0, 0, ()))
        out.append(Extent(rows, cols, len(data_rows)))
    for rows, cols, _d in extents.values():  # substreams BOUNDSHEET does not point to
        check_area(rows, cols, file, None)
    return out


#: BIFF12 records of cells holding a value (BrtCellRk .. BrtFmlaError, BrtCellRString);
#: each starts with its column (uint32). BrtRowHdr (0) starts with the row.
_XLSB_CELLS = frozenset(range(2, 12)) | {62}


def _check_xlsb(p: Path, file: str) -> None:
    """Measure every worksheet part of an .xlsb against the budget, before calamine.

    The parts are not mapped to sheet names (that needs workbook.bin): each must pass
    the per-sheet limit, and all of them together the per-file limits.
    """
    budget = _Budget(file)
    with zipfile.ZipFile(p) as zf:
        for info in zf.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".bin"):
                budget.charge(name.rsplit("/", 1)[-1], _xlsb_extent(zf.read(info)))


def _xlsb_extent(data: bytes) -> Extent:
    """The extent of one BIFF12 worksheet part from its row headers and cell records.

    >>> row = bytes([0, 4]) + (1048575).to_bytes(4, "little")
    >>> cell = bytes([5, 16]) + (16383).to_bytes(4, "little") + bytes(12)
    >>> _xlsb_extent(row + cell)
    Extent(rows=1048576, cols=16384, data_rows=1)
    """
    n = len(data)
    pos = row = max_row = max_col = 0
    rows: set = set()
    while pos < n:
        b = data[pos]
        typ = b & 0x7F
        pos += 1
        if b & 0x80 and pos < n:
            typ |= (data[pos] & 0x7F) << 7
            pos += 1
        size = shift = 0
        for _ in range(4):
            if pos >= n:
                break
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if size >= 4 and pos + 4 <= n:
            value = int.from_bytes(data[pos:pos + 4], "little")
            if typ == 0:
                row = value
            elif typ in _XLSB_CELLS:
                max_row = max(max_row, row + 1)
                max_col = max(max_col, value + 1)
                if len(rows) <= MAX_DATA_ROWS:
                    rows.add(row)
        pos += size
    return Extent(max_row, max_col, len(rows))


# --- CSV --------------------------------------------------------------------------------


def decode_text(data: bytes, file: str = None) -> tuple[str, str]:
    """Decode CSV bytes. Returns (text, encoding).

    Order: a BOM decides (UTF-32 before UTF-16, whose BOM starts the same); NUL bytes
    mean UTF-16 without a BOM when every other byte is NUL, else binary; else strict
    UTF-8; else GB18030 (a superset of GBK and GB2312) -- unless the GB18030 text
    holds none of 项目/名称/投资/合计 while a strict Big5 decode holds 項目/名稱/投資/合計
    (Big5 bytes are valid GB18030 garbage); else charset-normalizer's best guess.
    UTF-8 must come first: GB18030 maps almost every byte sequence to *some*
    characters, so trying it first would turn a UTF-8 file into mojibake without any
    error, whereas Chinese GBK text is practically never valid UTF-8 by accident.
    A file mixing UTF-8 and GBK lines (two exports pasted together) is decoded line
    by line; :func:`_decode` also says which lines were in the minority encoding.

    >>> decode_text("项目名称".encode("gbk"))
    ('项目名称', 'gb18030')
    >>> decode_text("\\ufeff项目名称".encode("utf-8"))
    ('项目名称', 'utf-8-sig')
    >>> decode_text("項目名稱,總投資".encode("big5"))
    ('項目名稱,總投資', 'big5')
    >>> decode_text("项目名称,总投资".encode("utf-16-le"))
    ('项目名称,总投资', 'utf-16-le')
    """
    text, enc, _mixed = _decode(data, file)
    return text, enc


def _decode(data: bytes, file) -> tuple[str, str, list]:
    """(text, encoding, [(line number, encoding of that line)] for minority lines)."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _strict(data, enc, file)
            _refuse_binary(text, file)
            return text, enc, []
    if b"\x00" in data:
        enc = _utf16_without_bom(data)
        text = _try_decode(data, enc) if enc else None
        if text is None:
            raise LedgerError("文件含有二进制数据（NUL 字节），不是 CSV 文本文件，也不是 Excel 工作簿",
                              file=file)
        _refuse_binary(text, file)
        return text, enc, []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_binary(text, file)
        return text, "utf-8", []
    mixed = _decode_mixed(data)
    if mixed is not None:
        _refuse_binary(mixed[0], file)
        return mixed
    text = _try_decode(data, "gb18030")
    if text is not None:
        enc = "gb18030"
        if not _has_ledger_words(text, _SIMPLIFIED_MARKS):
            # Big5 byte pairs are valid GB18030 too: a traditional-character CSV decodes
            # as GB18030 without error, into garbage. Prefer Big5 when only it reads as
            # a ledger (项目/名称/投资 are absent, 項目/名稱/投資 present).
            big5 = _try_decode(data, "big5")
            if big5 is not None and _has_ledger_words(big5, _TRADITIONAL_MARKS):
                text, enc = big5, "big5"
        _refuse_binary(text, file)
        return text, enc, []
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LedgerError("无法识别文件的文字编码（不是 UTF-8、GBK/GB18030），也不是 Excel 工作簿",
                          file=file)
    text = str(best)
    _refuse_binary(text, file)
    return text, best.encoding, []


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NULs sit in every other byte (ASCII-heavy text)."""
    sample = data[:65536]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    # the NULs are the high bytes of ASCII characters: all on one side of the pairs
    if odd.count(0) > 0.05 * len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) > 0.05 * len(even) and not odd.count(0):
        return "utf-16-be"
    return None


_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def _decode_mixed(data: bytes) -> tuple[str, str, list] | None:
    """Decode a file whose lines are partly UTF-8 and partly GBK/GB18030.

    Returns None unless both kinds occur (and every line decodes as one of them).
    The majority encoding is the file's; each line of the other is listed.
    """
    utf8_lines, gb_lines = [], []
    pieces = []
    pos = 0
    line = 1
    for m in _NON_ASCII_LINE.finditer(data):
        line += data.count(b"\n", pos, m.start())
        pieces.append(data[pos:m.start()].decode("ascii"))
        raw = m.group()
        try:
            pieces.append(raw.decode("utf-8"))
            utf8_lines.append(line)
        except UnicodeDecodeError:
            try:
                pieces.append(raw.decode("gb18030"))
            except UnicodeDecodeError:
                return None
            gb_lines.append(line)
        pos = m.end()
    if not utf8_lines or not gb_lines:
        return None
    pieces.append(data[pos:].decode("ascii"))
    if len(utf8_lines) >= len(gb_lines):
        return "".join(pieces), "utf-8", [(n, "GBK/GB18030") for n in gb_lines]
    return "".join(pieces), "gb18030", [(n, "UTF-8") for n in utf8_lines]


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


#: Findings listed one by one before they are summed up in one (mixed encodings).
_MAX_LISTED = 20


#: Text of the non-blank CSV records read into memory (the records become Python
#: strings and then rows of the ledger; blank lines cost nothing). The benchmark's
#: 100,000-row ledger as CSV is ~10 MB.
MAX_CSV_DATA_BYTES = 128 * 2**20


def _read_csv(p: Path, file: str) -> RawSheet:
    """Read a CSV into a RawSheet, bounded by rows, fields and content, not only bytes.

    The file is streamed twice, line by line, and never held whole: the first pass
    picks the encoding (and finds UTF-8 lines in a GBK file, or the reverse), the
    second decodes each line and feeds csv.reader. Blank records are skipped before
    any padding (one is kept where a run of them separates two tables); a record over
    :data:`MAX_CSV_FIELDS` fields, more than :data:`MAX_DATA_ROWS` records with data,
    more than :data:`MAX_CSV_DATA_BYTES` of them, or a padded grid over
    :data:`MAX_SHEET_AREA` is refused. A quoted field that swallows the following
    lines (a missing closing quote) and lines in another encoding are findings.
    """
    name = p.stem
    try:
        with open(p, "rb") as fh:
            head = fh.read(65536)
            lines = _csv_lines(p, fh, head, file)
            findings = _mixed_findings(lines.mixed, file, name, lines.encoding)
            return _parse_csv(lines, file, name, findings)
    except OSError as exc:
        raise LedgerError(f"无法读取文件：{_os_reason(exc)}", file=file) from exc


@dataclass
class _Lines:
    """Decoded lines of a CSV (an iterable), with what the first pass learned."""

    encoding: str
    head: str  # the decoded start of the file, for delimiter sniffing
    source: object  # an iterable of str lines
    mixed: list = field(default_factory=list)

    def _replace_head(self, head: str) -> _Lines:
        self.head = head
        return self


def _classify_lines(fh, file: str) -> tuple[list, list, int]:
    """First pass over a CSV without a BOM: which lines are UTF-8 and which are not.

    Streams 1 MB chunks; an all-ASCII chunk (blank lines, numbers) costs one test.
    Returns (UTF-8 line numbers, other line numbers, first line that is not even
    GB18030 or 0), lines holding only ASCII counted in neither.
    """
    fh.seek(0)
    utf8, gb, bad = [], [], 0
    line = 1
    pending: list = []
    while True:
        chunk = fh.read(1 << 20)
        if b"\x00" in chunk:
            raise LedgerError("文件含有二进制数据（NUL 字节），不是 CSV 文本文件，也不是 Excel 工作簿",
                              file=file)
        cut = chunk.rfind(b"\n") + 1 if chunk else 0
        if chunk and cut == 0:
            pending.append(chunk)  # a line longer than a chunk: wait for its end
            continue
        part = b"".join([*pending, chunk[:cut] if chunk else b""])
        pending = [chunk[cut:]] if chunk else []
        if part.isascii():
            line += part.count(b"\n")
        else:
            pos = 0
            for m in _NON_ASCII_LINE.finditer(part):
                line += part.count(b"\n", pos, m.start())
                pos = m.start()
                raw = m.group()
                try:
                    raw.decode("utf-8")
                    utf8.append(line)
                except UnicodeDecodeError:
                    gb.append(line)
                    if bad == 0 and _try_decode(raw, "gb18030") is None:
                        bad = line
            line += part.count(b"\n", pos)
        if not chunk:
            return utf8, gb, bad


def _csv_lines(p: Path, fh, head: bytes, file: str) -> _Lines:
    """Choose the encoding in a streamed first pass; return the lines to parse."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return _wrapped(p, fh, enc, file)
    if b"\x00" in head:
        enc = _utf16_without_bom(head)
        if enc is None:
            raise LedgerError("文件含有二进制数据（NUL 字节），不是 CSV 文本文件，也不是 Excel 工作簿",
                              file=file)
        return _wrapped(p, fh, enc, file, guessed=True)
    if b"\r" in head and b"\n" not in head:  # old Mac line ends: decode in memory
        data = head + fh.read()
        text, enc, mixed = _decode(data, file)
        return _Lines(enc, text[:65536], io.StringIO(text, newline=""), mixed)
    utf8, gb, bad = _classify_lines(fh, file)
    if bad:  # neither UTF-8 nor GB18030: let charset-normalizer guess, in memory
        if fh.seek(0, os.SEEK_END) > 32 * 2**20:
            raise LedgerError(f"第 {bad} 行既不是 UTF-8 也不是 GBK/GB18030 编码，无法识别文件的"
                              "文字编码；请另存为 UTF-8 编码的 CSV 再读取", file=file, row=bad)
        fh.seek(0)
        text, enc, mixed = _decode(fh.read(), file)
        return _Lines(enc, text[:65536], io.StringIO(text, newline=""), mixed)
    if not gb:
        enc, mixed, per_line = "utf-8", [], None
    elif not utf8:
        enc, mixed, per_line = "gb18030", [], None
        head_text = head.decode("gb18030", "ignore")
        if not _has_ledger_words(head_text, _SIMPLIFIED_MARKS):
            big5 = _try_decode(head[:head.rfind(b"\n") + 1] or head, "big5")
            if big5 is not None and _has_ledger_words(big5, _TRADITIONAL_MARKS):
                enc = "big5"
    elif len(utf8) >= len(gb):
        enc, mixed, per_line = "utf-8", [(n, "GBK/GB18030") for n in gb], (set(gb), "gb18030")
    else:
        enc, mixed, per_line = "gb18030", [(n, "UTF-8") for n in utf8], (set(utf8), "utf-8")
    head_text = head.decode(enc, "ignore")
    _refuse_binary(head_text, file)
    if per_line is None:  # one encoding: decoded and split into lines in C
        return _wrapped(p, fh, enc, file)._replace_head(head_text)

    def decoded():
        fh.seek(0)
        for n, raw in enumerate(fh, 1):
            if per_line is not None and n in per_line[0]:
                yield raw.decode(per_line[1])
                continue
            try:
                yield raw.decode(enc)
            except UnicodeDecodeError as exc:
                raise LedgerError(f"第 {n} 行无法按 {enc} 编码解码", file=file, row=n) from exc
    return _Lines(enc, head_text, decoded(), mixed)


def _wrapped(p: Path, fh, enc: str, file: str, guessed: bool = False) -> _Lines:
    """Lines of a UTF-16/32 (or BOM-marked) file, decoded as a stream.

    ``guessed``: UTF-16 without a BOM, guessed from where the NUL bytes are; a file
    that then does not decode is binary.
    """
    fh.seek(0)
    wrapper = io.TextIOWrapper(fh, encoding=enc, errors="strict", newline="")
    try:
        head_text = wrapper.read(32768)
    except UnicodeDecodeError as exc:
        if guessed:
            raise LedgerError("文件含有二进制数据（NUL 字节），不是 CSV 文本文件，也不是 Excel 工作簿",
                              file=file) from exc
        raise LedgerError(f"文件声明为 {enc} 编码，但开头部分无法解码", file=file) from exc
    _refuse_binary(head_text, file)
    wrapper.seek(0)

    def lines():
        try:
            yield from wrapper
        except UnicodeDecodeError as exc:
            raise LedgerError(f"文件声明为 {enc} 编码，但有内容无法解码", file=file) from exc
    return _Lines(enc, head_text, lines())


def _parse_csv(lines: _Lines, file: str, name: str, findings: list) -> RawSheet:
    delimiter = _sniff_delimiter(lines.head)
    reader = csv.reader(_field_guard(lines.source, delimiter, file), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    width = 0
    content = 0
    blank_run = False
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not record or not any(map(str.strip, record)):  # blank: the fast path
                if blank_run:
                    continue
                blank_run = True
                record = []
            else:
                if len(record) > MAX_CSV_FIELDS:
                    raise LedgerError(f"这一行有 {len(record):,} 个字段，超过上限 "
                                      f"{MAX_CSV_FIELDS:,}，不像正常的台账，拒绝读取",
                                      file=file, row=line)
                blank_run = False
                content += sum(map(len, record)) + len(record)
                if reader.line_num > line:
                    findings.extend(_spanning(record, line, reader.line_num, delimiter, width,
                                              file, name))
            rows.append(record)
            numbers.append(line)
            width = max(width, len(record))
            if len(rows) > MAX_DATA_ROWS:
                raise LedgerError(f"CSV 文件中有数据的行超过 {MAX_DATA_ROWS:,} 行，远超正常台账，"
                                  "拒绝读取；请确认文件是否正确", file=file)
            if content > MAX_CSV_DATA_BYTES:
                raise LedgerError(f"CSV 文件的数据超过 {_size(MAX_CSV_DATA_BYTES)}（不计空行），"
                                  "远超正常台账，拒绝读取；请确认文件是否正确", file=file)
            if len(rows) * width > MAX_SHEET_AREA:
                check_area(len(rows), width, file, None)
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = (f"有一个单元格超过 {csv.field_size_limit():,} 个字符（常见原因是缺少右引号，"
                      "后面的内容都被并入了这个单元格），拒绝读取")
        else:
            reason = f"CSV 格式错误：{reason}"
        raise LedgerError(reason, file=file, row=reader.line_num) from exc
    rows = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    return RawSheet(name, rows, row_numbers=numbers, findings=findings)


def _field_guard(lines, delimiter: str, file: str):
    """Refuse a line with more delimiters than a record may have fields, before csv splits it."""
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_CSV_FIELDS and line.count(delimiter) > MAX_CSV_FIELDS:
            raise LedgerError(f"这一行有超过 {MAX_CSV_FIELDS:,} 个分隔符“{delimiter}”，"
                              "不像正常的台账，拒绝读取", file=file, row=n)
        yield line


def _spanning(record: list, first: int, last: int, delimiter: str, width: int, file: str,
              sheet: str) -> list:
    """A finding for a quoted field spanning lines that look like records of their own.

    A continuation line looks like a record when it holds about as many delimiters as
    the records before it (``width`` fields: ``width - 1`` delimiters, a fifth of them
    may be missing); a line break inside a remark does not.
    """
    need = max(1, width - 1 - width // 5)
    for k, value in enumerate(record):
        if "\n" not in value and "\r" not in value:
            continue
        continuation = value.splitlines()[1:]
        swallowed = [ln for ln in continuation if ln.count(delimiter) >= need]
        if swallowed:
            return [{
                "severity": "error", "rule": "csv_field_spans_lines", "source_file": file,
                "source_sheet": sheet, "source_row": first,
                "message": f"第{first}行第{k + 1}个字段以引号开头，一直延续到第{last}行"
                           f"（跨 {last - first + 1} 行），其中 {len(swallowed)} 行含有分隔符"
                           f"“{delimiter}”，很可能是缺少右引号：这些行被并入了一个单元格，"
                           "没有作为单独的行读取；请检查第"
                           f"{first}行的引号"}]
        if last - first >= 5:
            return [{
                "severity": "warning", "rule": "csv_field_spans_lines", "source_file": file,
                "source_sheet": sheet, "source_row": first,
                "message": f"第{first}行第{k + 1}个字段跨越了第{first}行到第{last}行"
                           f"（共 {last - first + 1} 行），请核对引号是否成对"}]
    return []


def _mixed_findings(mixed: list, file: str, sheet: str, enc: str) -> list:
    if not mixed:
        return []
    main = "UTF-8" if enc == "utf-8" else "GBK/GB18030"
    out = [{"severity": "warning", "rule": "mixed_encoding", "source_file": file,
            "source_sheet": sheet, "source_row": line,
            "message": f"第{line}行的文字是 {other} 编码，而文件其余部分是 {main} 编码"
                       f"（可能是两个文件拼接而成）；该行已按 {other} 读取，请核对该行文字"}
           for line, other in mixed[:_MAX_LISTED]]
    if len(mixed) > _MAX_LISTED:
        rest = len(mixed) - _MAX_LISTED
        out.append({"severity": "warning", "rule": "mixed_encoding", "source_file": file,
                    "source_sheet": sheet, "source_row": mixed[_MAX_LISTED][0],
                    "message": f"另有 {rest} 行的编码与文件其余部分（{main}）不同，"
                               "已逐行按各自的编码读取，请核对"})
    return out


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text[:20000].splitlines()[:30] if ln.strip()]
    best, score = ",", 0
    for d in (",", "\t", ";", "|"):
        counts = [ln.count(d) for ln in lines]
        s = sum(c > 0 for c in counts) * 1000 + sum(counts)
        if s > score:
            best, score = d, s
    return best
