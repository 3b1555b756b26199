"""Files that are not readable ledgers: always qz.LedgerError naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import qzanalysis as qz

DATA = Path(__file__).parent / "data"


def _raises(path: Path, *must_contain: str) -> qz.LedgerError:
    with pytest.raises(qz.LedgerError) as info:
        qz.load(path)
    msg = str(info.value)
    assert path.name in msg
    for part in must_contain:
        assert part in msg, msg
    return info.value


def test_empty_file(tmp_path):
    p = tmp_path / "空.xlsx"
    p.write_bytes(b"")
    err = _raises(p)
    assert err.reason == "文件是空的（0 字节）"
    assert str(err) == "文件 空.xlsx：文件是空的（0 字节）"


def test_missing_file(tmp_path):
    _raises(tmp_path / "不存在.xlsx", "无法打开")


def test_text_renamed_xlsx(tmp_path):
    p = tmp_path / "notes.xlsx"
    p.write_text("项目名称,总投资\n甲,1\n", encoding="utf-8")
    _raises(p, "不是 Excel 工作簿", ".csv")


def test_binary_renamed_csv(tmp_path):
    p = tmp_path / "blob.csv"
    p.write_bytes(bytes(range(256)) * 20)
    _raises(p, "不是 CSV")


def test_truncated_workbook(tmp_path):
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["项目名称", "总投资"])
    wb.active.append(["甲项目", 100])
    wb.save(good)
    p = tmp_path / "half.xlsx"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _raises(p, "损坏")


def test_docx_renamed(tmp_path):
    p = tmp_path / "report.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    _raises(p, "Word")


def test_encrypted_ole(tmp_path):
    # an OLE compound file whose directory names the EncryptionInfo stream
    p = tmp_path / "locked.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                  + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1000)
    _raises(p, "加密")


def test_workbook_without_header(tmp_path):
    p = tmp_path / "numbers.xlsx"
    wb = openpyxl.Workbook()
    for i in range(10):
        wb.active.append([i, i * 2, i * 3])
    wb.save(p)
    _raises(p, "项目名称", "“Sheet”")


def test_empty_workbook(tmp_path):
    p = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(p)
    err = _raises(p)
    assert err.reason == "工作簿是空的，没有任何数据"
    assert str(err) == "文件 blank.xlsx：工作簿是空的，没有任何数据"


def test_entity_bomb_refused(tmp_path):
    p = tmp_path / "lol.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["项目名称", "总投资"])
    wb.save(p)
    src = zipfile.ZipFile(p)
    out = tmp_path / "lol2.xlsx"
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                dtd = b'<!DOCTYPE x [<!ENTITY a "lol">]>'
                data = (data.replace(b"?>", b"?>" + dtd, 1) if data.startswith(b"<?xml")
                        else dtd + data)
            zf.writestr(info, data)
    _raises(out, "实体")


def _bomb(path: Path) -> Path:
    try:
        from tests.data.make_fixtures import make_zip_bomb
    except ImportError:
        make_zip_bomb = None
    if make_zip_bomb is not None:
        return make_zip_bomb(path)
    # fallback: a sheet of 2 GB of zeros declared honestly in the central directory
    import zlib

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"0" * (1 << 24)
            for _ in range(128):
                fh.write(block)
    del zlib
    return path


# Resource guards load the hostile file only in a child process under an address-space cap,
# so a reader that did inflate the bomb fails the test instead of exhausting the test
# machine (the parent never loads it). The
# child first loads a tiny valid file of the same format (lazy imports, first-use caches),
# resets its peak-RSS mark (/proc/self/clear_refs), and reports how far the load raised
# the peak above the RSS it started from (native memory too: zlib and calamine allocate
# outside Python) and the Python-level peak from tracemalloc.
_MEMORY_CAP = 1536 * 2**20
_PROBE = r"""
import json, resource, sys, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
import qzanalysis as qz

def status(key):  # KiB
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key + ":"))

qz.load(sys.argv[2])
try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # peak RSS := current RSS
    before = status("VmRSS")
except OSError:  # no reset: measure from the warm-up's peak (a weaker bound)
    before = status("VmHWM")
tracemalloc.start()
refused = None
if sys.argv[1].startswith(":allocate:"):
    block = b"x" * int(sys.argv[1][10:])
else:
    try:
        qz.load(sys.argv[1])
    except qz.LedgerError as err:
        refused = {"message": str(err), "reason": err.reason, "file": err.file}
traced = tracemalloc.get_traced_memory()[1]
print(json.dumps({"refused": refused, "rss_growth": (status("VmHWM") - before) * 1024,
                  "traced_peak": traced}))
"""


def _memory_of_load(target: str, warm_up: Path) -> dict:
    """Load ``target`` in a capped child process: the LedgerError it raised, memory growth."""
    done = subprocess.run([sys.executable, "-c", _PROBE, target, str(warm_up), str(_MEMORY_CAP)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def _tiny(path: Path) -> Path:
    if path.suffix == ".csv":
        path.write_text("项目名称,总投资\n甲项目,100\n", encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        wb.active.append(["项目名称", "总投资"])
        wb.active.append(["甲项目", 100])
        wb.save(path)
    return path


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_memory_probe_sees_an_allocation(tmp_path):
    # the probe itself can fail: a 64 MB block shows up in both measures
    used = _memory_of_load(f":allocate:{64 * 2**20}", _tiny(tmp_path / "warm.xlsx"))
    assert used["rss_growth"] > 60 * 2**20
    assert used["traced_peak"] > 64 * 2**20


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_zip_bomb_refused_without_inflating(tmp_path):
    p = _bomb(tmp_path / "bomb.xlsx")
    assert p.stat().st_size < 20 * 2**20
    used = _memory_of_load(str(p), _tiny(tmp_path / "warm.xlsx"))
    assert used["refused"] is not None, "the zip bomb was read"
    assert used["refused"]["file"] == str(p)
    assert used["refused"]["message"].startswith("文件 bomb.xlsx：工作簿内部文件“xl/worksheets/sheet1.xml”解压后有")
    from qzanalysis.reading.files import ZIP_LIMITS
    cap = ZIP_LIMITS["max_entry_bytes"] // 2**20  # 200 MB since the hostile-input round
    assert used["refused"]["reason"].endswith(f"超过上限 {cap} MB（疑似压缩炸弹），拒绝读取")
    assert used["rss_growth"] < 50 * 2**20
    assert used["traced_peak"] < 50 * 2**20


def test_sheet_option_names_missing_sheet(tmp_path):
    p = tmp_path / "one.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "项目"
    wb.active.append(["项目名称", "总投资"])
    wb.active.append(["甲项目", 100])
    wb.save(p)
    _raises_sheet = pytest.raises(qz.LedgerError, match="找不到工作表 二季度")
    with _raises_sheet:
        qz.load(p, sheet="二季度")


def test_unknown_option_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="encoding"):
        qz.load(tmp_path / "x.xlsx", encoding="gbk")


def test_bad_unit_option(tmp_path):
    with pytest.raises(ValueError, match="美元"):
        qz.load(tmp_path / "x.xlsx", unit="美元")


def _patched(tmp_path: Path, part: str, prefix: bytes, name: str) -> Path:
    """A valid workbook with ``prefix`` inserted after the XML declaration of ``part``."""
    base = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "续建项目"
    wb.active.append(["项目名称", "总投资"])
    wb.active.append(["甲项目", 100])
    wb.save(base)
    out = tmp_path / name
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                data = data[:end] + prefix + data[end:]
            zf.writestr(info, data)
    return out


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_doctype_behind_a_long_comment_refused(tmp_path, part):
    # the old guard read only the first 4096 bytes of each part
    dtd = b'<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
    prefix = b"<!--" + b"x" * 20_000 + b"-->" + b"<?pi data?>\n" + dtd
    err = _raises(_patched(tmp_path, part, prefix, "long_comment.xlsx"), "DTD/实体", part)
    assert err.file.endswith("long_comment.xlsx")


def test_long_comment_without_doctype_is_fine(tmp_path):
    # comments that mention <!DOCTYPE are not declarations
    prefix = b"<!-- <!DOCTYPE x> " + b"y" * 20_000 + b" -->"
    ledger = qz.load(_patched(tmp_path, "xl/worksheets/sheet1.xml", prefix, "ok.xlsx"))
    assert ledger.projects["project_name"].tolist() == ["甲项目"]
    assert ledger.projects["total_investment"].tolist() == [100.0]


def test_prolog_scan_is_bounded_and_sees_utf16():
    import io

    from qzanalysis.errors import LedgerError
    from qzanalysis.reading.files import check_prolog

    endless = b"<?xml version='1.0'?><!--" + b"z" * 300_000 + b"--><a/>"
    with pytest.raises(LedgerError, match="“p.xml”的前 97 KB 中没有任何 XML 元素"):
        check_prolog(io.BytesIO(endless).read, "p.xml", "f.xlsx", limit=100_000)
    assert check_prolog(io.BytesIO(endless).read, "p.xml", "f.xlsx", limit=400_000) == endless
    utf16 = ('\ufeff<?xml version="1.0" encoding="UTF-16"?><!--' + "注" * 5000
             + '--><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>').encode("utf-16-le")
    with pytest.raises(LedgerError, match="DTD/实体"):
        check_prolog(io.BytesIO(utf16).read, "p.xml", "f.xlsx")


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_csv_over_the_size_cap_refused_before_reading(tmp_path):
    from qzanalysis.reading.files import MAX_CSV_BYTES

    assert MAX_CSV_BYTES == 512 * 2**20
    p = tmp_path / "huge.csv"
    with open(p, "wb") as fh:  # sparse: nothing is written but the size
        fh.write("项目名称,总投资\n".encode())
        fh.truncate(MAX_CSV_BYTES + 2**20)
    used = _memory_of_load(str(p), _tiny(tmp_path / "warm.csv"))
    assert used["refused"] is not None, "the oversized CSV was read"
    assert used["refused"]["message"].startswith("文件 huge.csv：CSV 文件有 513 MB，超过上限 512 MB")
    assert used["rss_growth"] < 10 * 2**20
    assert used["traced_peak"] < 10 * 2**20


def _hidden_only(tmp_path: Path, names: list[str]) -> Path:
    p = tmp_path / "hidden.xlsx"
    wb = openpyxl.Workbook()
    for i, name in enumerate(names):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["项目名称", "总投资"])
        ws.append([f"{name}甲项目", 100])
    wb.save(p)
    # openpyxl refuses to save with no visible sheet, so hide them in the XML
    out = tmp_path / "hidden_only.xlsx"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'state="visible"', b'state="hidden"')
            zf.writestr(info, data)
    return out


def test_only_sheet_hidden_is_named_not_called_empty(tmp_path):
    p = _hidden_only(tmp_path, ["续建项目"])
    err = _raises(p, "唯一的工作表“续建项目”是隐藏的", 'sheet="续建项目"')
    assert "空" not in err.reason
    ledger = qz.load(p, sheet="续建项目")  # explicit wins
    assert ledger.projects["project_name"].tolist() == ["续建项目甲项目"]
    assert "hidden_sheet" in set(ledger.check()["rule"])


def test_all_sheets_hidden_names_them_all(tmp_path):
    p = _hidden_only(tmp_path, ["续建", "新开工"])
    _raises(p, "全部 2 个工作表“续建”、“新开工”都是隐藏的")
