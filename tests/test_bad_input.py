"""Files that are not readable ledgers: always qz.LedgerError naming the file."""

from __future__ import annotations

import time
import tracemalloc
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
    _raises(p, "空")


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
    _raises(p, "空")


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


def test_zip_bomb_refused_fast_without_inflating(tmp_path):
    p = _bomb(tmp_path / "bomb.xlsx")
    assert p.stat().st_size < 20 * 2**20
    tracemalloc.start()
    t = time.perf_counter()
    err = _raises(p, "压缩炸弹")
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 50 * 2**20
    assert err.file.endswith("bomb.xlsx")


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
