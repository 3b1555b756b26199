"""Hostile and damaged files (issue 16, the file layer): each reproducer of the outside report
(../shared/reviews/reliability-2026-11/repro) rebuilt small, here.

Inputs that could exhaust memory or abort the process if the defence regressed are read in
a child process under a 1 GB address-space cap and a timeout (``_capped``), so a regression
fails the test instead of killing the test machine.
"""

from __future__ import annotations

import copy
import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import qzanalysis as qz
from qzanalysis.errors import LedgerError
from qzanalysis.reading import files

ROOT = Path(__file__).resolve().parents[1]
CAP_MB = 1024

# ---- building inputs ---------------------------------------------------------------------

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
LEDGER = [["序号", "项目名称", "建设单位", "总投资", "本年计划投资"],
          [1, "秦州区供水工程", "水务局", 12000, 3000],
          [2, "麦积区道路改造", "交通局", 8000, 2000],
          [3, "天水物流园", "某公司", 5000, 200]]


def _col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows, extra="", dimension=None) -> str:
    """A worksheet part written by hand (inline strings), ``extra`` appended to sheetData."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<worksheet {NS}>"]
    if dimension:
        out.append(f'<dimension ref="{dimension}"/>')
    out.append("<sheetData>")
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            ref = f"{_col(c)}{r + 1}"
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        out.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    out.append(extra + "</sheetData></worksheet>")
    return "".join(out)


def write_xlsx(path: Path, sheets: list[tuple[str, str]]) -> Path:
    ct = ['<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="rels" ContentType="application/'
          'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
          'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    wb = [f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">']
    for i, (name, _xml) in enumerate(sheets, 1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        wb.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{i}.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "".join(ct) + "</Types>")
        zf.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", "".join(wb) + "</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", "".join(rels) + "</Relationships>")
        for i, (_name, xml) in enumerate(sheets, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return path


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="项目台账">')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_row(values, rep=1) -> str:
    cells = []
    for v in values:
        if isinstance(v, (int, float)):
            cells.append(f'<table:table-cell office:value-type="float" office:value="{v}">'
                         f"<text:p>{v}</text:p></table:table-cell>")
        else:
            cells.append(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
                         "</table:table-cell>")
    r = f' table:number-rows-repeated="{rep}"' if rep > 1 else ""
    return f"<table:table-row{r}>{''.join(cells)}</table:table-row>"


def write_ods(path: Path, body: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                    'manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                    '</manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", ODS_HEAD + body + ODS_TAIL, compress_type=zipfile.ZIP_DEFLATED)
    return path


_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    cap = int(sys.argv[2]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import qzanalysis as qz
    t = time.perf_counter()
    try:
        lg = qz.load(sys.argv[1])
        out = {"kind": "ledger", "projects": lg.projects["project_name"].tolist()[:20],
               "rules": lg.findings["rule"].tolist()[:50]}
    except qz.LedgerError as exc:
        out = {"kind": "ledgererror", "message": str(exc)}
    except BaseException as exc:
        out = {"kind": "other", "type": f"{type(exc).__module__}.{type(exc).__name__}",
               "message": str(exc)[:300]}
    out["seconds"] = time.perf_counter() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))
""")


def _capped(path: Path, timeout: float = 60) -> dict:
    """qz.load(path) in a child under a 1 GB address-space cap; its outcome as a dict."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"}
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(CAP_MB)],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    assert proc.returncode == 0, f"child died ({proc.returncode}): {proc.stderr[-800:]}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["kind"] != "other", out
    assert out["seconds"] < 20 and out["peak_mb"] < CAP_MB, out
    return out


def _refused(path: Path, *must_contain: str) -> str:
    out = _capped(path)
    assert out["kind"] == "ledgererror", out
    for part in must_contain:
        assert part in out["message"], out["message"]
    return out["message"]


# ---- R01, R02, R03: far cells and repeat counts, refused before calamine -------------------


def test_r01_value_at_the_last_cell_is_refused_not_an_abort(tmp_path):
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    p = write_xlsx(tmp_path / "far.xlsx", [("项目台账", sheet_xml(LEDGER, far))])
    msg = _refused(p, "far.xlsx", "项目台账", "XFD1048576", "1,048,576 行 × 16,384 列", "上限 5,000,000")
    assert "删除多余的行和列" in msg


def test_r02_uncached_formula_at_the_last_cell_is_refused(tmp_path):
    far = '<row r="1048576"><c r="XFD1048576"><f>1+1</f></c></row>'
    p = write_xlsx(tmp_path / "formula_far.xlsx", [("项目台账", sheet_xml(LEDGER, far))])
    _refused(p, "XFD1048576")


def test_r02_pad_to_formulas_obeys_the_budget():
    sheet = files.RawSheet("表", [["项目名称", "总投资"]], formula_missing={(4000, 4000)})
    with pytest.raises(LedgerError, match="4,001 行 × 4,001 列"):
        files._pad_to_formulas(sheet, "a.xlsx")


def test_r03_stray_value_at_xfd2000_is_refused(tmp_path):
    far = '<row r="2000"><c r="XFD2000"><v>1</v></c></row>'
    p = write_xlsx(tmp_path / "xfd2000.xlsx", [("项目台账", sheet_xml(LEDGER, far))])
    _refused(p, "XFD2000", "32,768,000")


def test_a_lying_dimension_is_checked_against_the_cells(tmp_path):
    # declares A1:E4 but holds a value at XFD5000: the fast path must not trust it
    far = '<row r="5000"><c r="XFD5000"><v>1</v></c></row>'
    p = write_xlsx(tmp_path / "lie.xlsx", [("表", sheet_xml(LEDGER, far, dimension="A1:E4"))])
    _refused(p, "XFD5000")
    # a cell without a reference is placed after the previous one: 20,000 of them in a row
    cells = '<row r="600">' + "<c><v>1</v></c>" * 20_000 + "</row>"
    p = write_xlsx(tmp_path / "refless.xlsx", [("表", sheet_xml(LEDGER, cells, dimension="A1:E4"))])
    _refused(p, "上限")
    # a prefixed cell is a cell too (calamine reads <x:c> by its local name)
    pre = ('<row r="5000"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           'main" r="XFD5000"><x:v>1</x:v></x:c></row>')
    p = write_xlsx(tmp_path / "prefixed.xlsx", [("表", sheet_xml(LEDGER, pre, dimension="A1:E4"))])
    _refused(p, "XFD5000")


def test_a_huge_declared_dimension_over_real_cells_reads(tmp_path):
    # <dimension> claiming the whole sheet, 4 real rows, formatting-only cells far away
    styled = '<row r="900000"><c r="XFD900000" s="1"/></row>'
    p = write_xlsx(tmp_path / "dim.xlsx",
                   [("表", sheet_xml(LEDGER, styled, dimension="A1:XFD1048576"))])
    lg = qz.load(p)
    assert lg.projects["project_name"].tolist() == ["秦州区供水工程", "麦积区道路改造", "天水物流园"]


def _ledger_xls():
    """The small ledger as a legacy .xls workbook (xlwt) and its sheet, to be spoilt."""
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("项目台账")
    for r, row in enumerate(LEDGER):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    return wb, ws


def test_r03_legacy_xls_corner_value_is_refused(tmp_path):
    wb, ws = _ledger_xls()
    ws.write(65535, 255, 1)
    p = tmp_path / "corner.xls"
    wb.save(str(p))
    _refused(p, "IV65536", "65,536 行 × 256 列")


def test_r03_ods_row_repeated_a_million_times_is_refused(tmp_path):
    body = ods_row(LEDGER[0]) + ods_row(LEDGER[1]) + ods_row(["", 1, 1], rep=1_000_000)
    p = write_ods(tmp_path / "repeat.ods", body)
    _refused(p, "1,000,002 行")  # by its area or by its rows, before calamine expands it
    # a cell repeated across every column of many rows: the area, not the row count
    wide = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
            "<text:p>1</text:p></table:table-cell></table:table-row>")
    _refused(write_ods(tmp_path / "wide.ods", ods_row(LEDGER[0]) + wide), "16,384 列")


def test_ods_trailing_empty_repeats_cost_nothing(tmp_path):
    # LibreOffice writes the unused rest of a sheet as repeated empty rows and cells
    empty = ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
             'table:number-columns-repeated="1024"/></table:table-row>')
    body = "".join(ods_row(r) for r in LEDGER) + empty
    lg = qz.load(write_ods(tmp_path / "tail.ods", body))
    assert len(lg.projects) == 3
    assert files._ods_extents(tmp_path / "tail.ods", "f")[0] == files.Extent(4, 5, 4)


# ---- R05: zip bombs within the old limits --------------------------------------------------


def _declared(tmp_path: Path, part: str, size: int, compressed: int) -> zipfile.ZipFile:
    p = write_xlsx(tmp_path / "b.xlsx", [("表", sheet_xml(LEDGER))])
    zf = zipfile.ZipFile(p)
    info = zipfile.ZipInfo(part)
    info.file_size, info.compress_size = size, compressed
    zf.filelist.append(info)
    return zf


@pytest.mark.parametrize(("part", "size", "shown"), [
    ("xl/worksheets/sheet2.xml", 500 * 2**20, "超过上限 200 MB"),   # one sheet, ratio 190
    ("xl/sharedStrings.xml", 500 * 2**20, "超过上限 64 MB"),       # unused sharedStrings
    ("xl/sharedStrings.xml", 70 * 2**20, "超过上限 64 MB"),
    ("xl/styles.xml", 70 * 2**20, "超过上限 64 MB"),
])
def test_r05_parts_within_the_old_limits_are_refused(tmp_path, part, size, shown):
    zf = _declared(tmp_path, part, size, size // 190)
    with pytest.raises(LedgerError, match=shown):
        files.check_zip(zf, "b.xlsx")


def test_r05_many_sheets_under_the_ratio_floor_are_refused_by_the_total(tmp_path):
    zf = _declared(tmp_path, "xl/worksheets/sheet2.xml", 2 * 2**20 - 1, 10_000)
    for i in range(3, 300):  # 298 parts of just under 2 MiB: 596 MB in all
        info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml")
        info.file_size, info.compress_size = 2 * 2**20 - 1, 10_000
        zf.filelist.append(info)
    with pytest.raises(LedgerError, match="工作簿解压后共 596 MB，超过上限 400 MB"):
        files.check_zip(zf, "b.xlsx")


def test_r05_a_100k_row_ledger_is_within_the_limits(tmp_path):
    # the benchmark ledger: one 51 MB sheet part at ratio ~10, strings inline
    zf = _declared(tmp_path, "xl/worksheets/sheet2.xml", 51 * 2**20, 5 * 2**20)
    picture = zipfile.ZipInfo("xl/media/image1.png")  # never inflated: only the total counts
    picture.file_size = picture.compress_size = 150 * 2**20
    zf.filelist.append(picture)
    files.check_zip(zf, "b.xlsx")


# ---- R07/R25: damaged zip members and parser panics become LedgerError -----------------------


def _patched(base: Path, out: Path, fn) -> Path:
    data = bytearray(base.read_bytes())
    name = "xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    lo = info.header_offset
    cds = [i for i in range(len(data)) if data[i:i + 4] == b"PK\x01\x02"
           and data[i + 46:i + 46 + len(name)] == name.encode()]
    fn(data, lo, cds, lo + 30 + sum(struct.unpack("<HH", data[lo + 26:lo + 30])))
    out.write_bytes(bytes(data))
    return out


def _bad_deflate(data, lo, cds, start):
    data[start] = 0xFF


def _method(m):
    def f(data, lo, cds, start):
        struct.pack_into("<H", data, lo + 8, m)
        for cd in cds:
            struct.pack_into("<H", data, cd + 10, m)
    return f


def _encrypted(data, lo, cds, start):
    data[lo + 6] |= 1
    for cd in cds:
        data[cd + 8] |= 1


@pytest.mark.parametrize(("damage", "reason"), [
    (_bad_deflate, "压缩数据已损坏"), (_method(9), "不支持的压缩方式"),
    (_method(99), "不支持的压缩方式"), (_encrypted, "已加密"),
])
def test_r07_damaged_members_give_a_ledger_error(tmp_path, damage, reason):
    base = write_xlsx(tmp_path / "base.xlsx", [("项目台账", sheet_xml(LEDGER * 20))])
    p = _patched(base, tmp_path / "bad.xlsx", damage)
    with pytest.raises(LedgerError) as info:
        qz.load(p)
    assert "bad.xlsx" in str(info.value) and reason in str(info.value), str(info.value)


def test_damaged_ods_gives_a_ledger_error(tmp_path):
    good = write_ods(tmp_path / "good.ods", "".join(ods_row(r) for r in LEDGER)).read_bytes()
    k = good.index(b"content.xml") + 40  # inside the deflated content
    for n, data in enumerate([good[:k] + b"\xff\x00" + good[k + 2:], good[:len(good) // 2],
                              good.replace(b"PK\x01\x02", b"PK\x01\x03", 1)]):
        p = tmp_path / f"bad{n}.ods"
        p.write_bytes(data)
        with pytest.raises(LedgerError, match=f"bad{n}.ods"):
            qz.load(p)


class PanicException(BaseException):
    """Stands in for pyo3_runtime.PanicException (same name and module, BaseException)."""


PanicException.__module__ = "pyo3_runtime"


def test_a_parser_panic_becomes_a_ledger_error_and_an_interrupt_does_not():
    def panic():
        raise PanicException("range end index 120 out of range for slice of length 119")

    with pytest.raises(LedgerError, match="解析器内部错误") as info:
        files._guard("a.xls", panic, sheet="表")
    assert info.value.file == "a.xls" and info.value.sheet == "表"

    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files._guard("a.xls", interrupt)


def test_xls_with_an_absurd_string_count_is_refused(tmp_path):
    wb, ws = _ledger_xls()
    p = tmp_path / "sst.xls"
    wb.save(str(p))
    data = bytearray(p.read_bytes())
    k = data.index(b"\xfc\x00")  # the SST record: type, size, total, unique
    struct.pack_into("<I", data, k + 8, 0x7FFFFFFF)
    p.write_bytes(bytes(data))
    _refused(p, "共享字符串表", "文件已损坏")


# ---- R06, R12, R13: CSV ---------------------------------------------------------------------

HDR = "序号,项目名称,建设单位,总投资,本年计划投资\n1,秦州区供水工程,秦州区水务局,12000,3000\n"


def test_r06_blank_lines_are_skipped_before_padding(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_bytes(HDR.encode() + b"\n" * 5_000_000 + "2,麦积区道路改造,交通局,8000,2000\n".encode())
    out = _capped(p)
    assert out["kind"] == "ledger" and out["projects"] == ["秦州区供水工程", "麦积区道路改造"]
    # 5,000,000 blank lines padded to rows would take several GB (R06: over 6 GB); skipped
    # before padding they cost the line scan only (~300 MB here, measured 280-311 MB)
    assert out["peak_mb"] < 400, out
    lg = qz.load(p)
    assert lg.rows.loc[lg.rows["kind"] == "project", "source_row"].tolist() == [2, 5_000_003]


def test_r06_one_line_of_ten_million_fields_is_refused(tmp_path):
    p = tmp_path / "commas.csv"
    p.write_bytes(HDR.encode() + b"1," * 11_000_000)
    _refused(p, "第3行", "超过 16,384 个分隔符")


def test_r06_too_many_rows_are_refused(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_bytes(HDR.encode() + b"".join(b"%d,p%d,u,1,1\n" % (i, i) for i in range(200_001)))
    _refused(p, "有数据的行超过 200,000 行")


def test_r12_a_utf8_row_in_a_gbk_csv_is_read_right_with_a_finding(tmp_path):
    p = tmp_path / "mixed.csv"
    gbk = "序号,项目名称,建设单位,总投资,本年计划投资\n" + "".join(
        f"{i},项目{i:03d}号,某某单位,{100 + i},10\n" for i in range(1, 40))
    p.write_bytes(gbk.encode("gbk") + "40,天水物流,秦州水务,5000,1000\n".encode())
    lg = qz.load(p)
    last = lg.projects.iloc[-1]
    assert (last["project_name"], last["owner"], last["source_row"]) == ("天水物流", "秦州水务", 41)
    f = lg.findings[lg.findings["rule"] == "mixed_encoding"]
    assert f["source_row"].tolist() == [41] and f["severity"].tolist() == ["warning"]
    assert "第41行的文字是 UTF-8 编码，而文件其余部分是 GBK/GB18030 编码" in f["message"].iat[0]


def test_r12_gbk_rows_in_a_utf8_csv_too(tmp_path):
    p = tmp_path / "mixed8.csv"
    utf8 = "序号,项目名称,总投资\n1,秦州区供水工程,100\n2,麦积区道路改造,200\n"
    p.write_bytes(utf8.encode() + "3,甘谷县物流园,300\n".encode("gbk"))
    lg = qz.load(p)
    assert lg.projects["project_name"].tolist() == ["秦州区供水工程", "麦积区道路改造", "甘谷县物流园"]
    assert lg.findings.loc[lg.findings["rule"] == "mixed_encoding", "source_row"].tolist() == [4]


def test_r13_an_unterminated_quote_is_an_error_finding(tmp_path):
    p = tmp_path / "quote.csv"
    p.write_text('序号,项目名称,建设单位,总投资,本年计划投资\n'
                 '1,"天水物流园,某单位,100,1\n2,麦积区道路改造,交通局,8000,2000\n'
                 '3,甘谷县供水,水务局,300,20\n', encoding="utf-8")
    f = qz.load(p).findings
    f = f[f["rule"] == "csv_field_spans_lines"]
    assert f["severity"].tolist() == ["error"] and f["source_row"].tolist() == [2]
    assert "一直延续到第4行（跨 3 行），其中 2 行含有分隔符“,”，很可能是缺少右引号" in f["message"].iat[0]


def test_a_line_break_inside_a_cell_is_no_finding(tmp_path):
    p = tmp_path / "cell.csv"
    p.write_text('项目名称,总投资\n"秦州区供水工程\n（一期）",100\n', encoding="utf-8")
    lg = qz.load(p)
    assert "csv_field_spans_lines" not in set(lg.findings["rule"])
    assert len(lg.projects) == 1


# ---- R21: duplicate sheet names --------------------------------------------------------------


def test_r21_two_sheets_with_one_name_are_both_read(tmp_path):
    second = copy.deepcopy(LEDGER)
    for row in second[1:]:
        row[1] = "第二表" + row[1]
    p = write_xlsx(tmp_path / "dup.xlsx", [("项目台账", sheet_xml(LEDGER)),
                                           ("项目台账", sheet_xml(second))])
    lg = qz.load(p)
    assert lg.projects["project_name"].tolist() == [
        "秦州区供水工程", "麦积区道路改造", "天水物流园",
        "第二表秦州区供水工程", "第二表麦积区道路改造", "第二表天水物流园"]
    assert lg.projects["source_sheet"].tolist() == ["项目台账"] * 3 + ["项目台账 (2)"] * 3
    f = lg.findings[lg.findings["rule"] == "duplicate_sheet_name"]
    assert f["severity"].tolist() == ["info"] and f["source_sheet"].tolist() == ["项目台账 (2)"]
    assert "duplicate_project" not in set(lg.findings["rule"])


# ---- #25: input-side messages ------------------------------------------------------------------


def _message(p: Path) -> str:
    with pytest.raises(LedgerError) as info:
        qz.load(p)
    return str(info.value)


def test_html_and_spreadsheetml_saved_as_xls_are_named(tmp_path):
    html = tmp_path / "web.xls"
    html.write_text("<html><body><table><tr><td>项目名称</td></tr></table></body></html>",
                    encoding="gbk")
    assert "网页（HTML 表格" in _message(html) and "改为 .csv" not in _message(html)
    xml = tmp_path / "xml2003.xls"
    xml.write_text('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
                   'xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    assert "Excel 2003 XML 表格（SpreadsheetML）" in _message(xml)


def test_utf16_without_bom_and_utf32_are_read(tmp_path):
    text = "项目名称,总投资\n秦州区供水工程,100\n"
    for enc in ("utf-16-le", "utf-16-be", "utf-32"):
        p = tmp_path / f"{enc}.csv"
        p.write_bytes(text.encode(enc))
        assert qz.load(p).projects["project_name"].tolist() == ["秦州区供水工程"], enc


def test_a_fifo_and_a_missing_file_are_named_in_chinese(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    t = time.perf_counter()
    assert "这不是普通文件，而是管道（FIFO）" in _message(fifo)
    assert time.perf_counter() - t < 5
    assert "无法打开文件：文件不存在" in _message(tmp_path / "missing.xlsx")


def test_xlsb_far_cell_is_refused_before_calamine(tmp_path):
    # only the records the budget reads: a row header for the last row, a number in XFD
    row = bytes([0, 4]) + (1048575).to_bytes(4, "little")
    cell = bytes([5, 16]) + (16383).to_bytes(4, "little") + bytes(12)
    p = tmp_path / "far.xlsb"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
        zf.writestr("xl/worksheets/sheet1.bin", row + cell)
    msg = _refused(p, "far.xlsb", "XFD1048576")
    assert "sheet1.bin" in msg


def test_a_remark_with_commas_on_its_second_line_is_no_error(tmp_path):
    p = tmp_path / "remark.csv"
    p.write_text('项目名称,总投资,备注\n秦州区供水工程,100,"已完工\n待验收,下月"\n麦积区道路改造,200,\n',
                 encoding="utf-8")
    lg = qz.load(p)
    assert lg.projects["project_name"].tolist() == ["秦州区供水工程", "麦积区道路改造"]
    assert "csv_field_spans_lines" not in set(lg.findings["rule"])


def test_a_sheet_id_pointing_at_two_parts_has_both_measured(tmp_path):
    # a damaged rels file: rId1 twice, once to a harmless part, once to a far cell
    far = sheet_xml(LEDGER, '<row r="900000"><c r="XFD900000"><v>1</v></c></row>')
    base = write_xlsx(tmp_path / "base.xlsx", [("表", sheet_xml(LEDGER))])
    p = tmp_path / "two_parts.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(p, "w") as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId1" Type="http://'
                                    b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                    b'worksheet" Target="worksheets/far.xml"/></Relationships>')
            dst.writestr(entry.filename, data)
        dst.writestr("xl/worksheets/far.xml", far)
    _refused(p, "XFD900000")
