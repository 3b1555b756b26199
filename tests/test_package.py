"""The package imports light and exposes its public names."""

import subprocess
import sys

import pytest

import qzanalysis as qz


def test_import_does_not_import_matplotlib():
    code = "import sys, qzanalysis; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ledger_error_is_value_error_and_names_the_place():
    err = qz.LedgerError("找不到表头", file="/tmp/x/h1.xlsx", sheet="1-6月", row=3)
    assert isinstance(err, ValueError)
    assert str(err) == "文件 h1.xlsx，工作表“1-6月”，第3行：找不到表头"


def test_unknown_public_name_is_an_attribute_error():
    try:
        qz.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


@pytest.mark.parametrize("first", ["pass", "import qzanalysis.classify", "import qzanalysis.narrative",
                                   "from qzanalysis.classify import unclassified"])
def test_public_functions_stay_functions_whatever_is_imported_first(first):
    code = (f"{first}\nimport qzanalysis as qz\n"
            "print(type(qz.classify).__name__, type(qz.narrative).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["function", "function"]


def test_sample_paths_are_the_package_data():
    from pathlib import Path

    from qzanalysis import report
    from qzanalysis.data import sample_paths

    assert report.sample_paths is sample_paths  # the old import keeps working
    folder = Path(qz.__file__).resolve().parent / "data"
    paths = sample_paths()
    assert paths == {"ledger": folder / "qinzhou_h1_projects.xlsx", "monthly": folder / "monthly",
                     "pipeline": folder / "qinzhou_pipeline.xlsx"}
    assert sorted(p.name for p in paths["monthly"].iterdir() if p.suffix == ".xlsx") == [
        f"qinzhou_2008-{m:02d}.xlsx" for m in range(1, 7)]


def test_build_report_returns_a_frozen_result_listing_what_it_wrote(tmp_path):
    import dataclasses

    from qzanalysis.report import build_report

    csv = tmp_path / "台账.csv"
    csv.write_text("项目名称,建设性质,总投资（万元）,资金来源\n甲厂房项目,续建,100,企业自筹\n"
                   "乙仓储项目,新开工,200,银行贷款\n", encoding="utf-8")
    out = tmp_path / "out"
    report = build_report([csv], out)

    with pytest.raises(dataclasses.FrozenInstanceError):
        report.files = ()
    with pytest.raises(TypeError):
        report.tables["分阶段"] = None
    assert isinstance(report.files, tuple) and isinstance(report.cut_cells, tuple)
    assert report.cut_cells == ()
    assert report.out == out
    assert report.tables["分阶段"].loc["合计", "total_investment"] == 300
    # every file it lists is in out, and every file of the bundle is listed: the charts
    # (PNG and SVG) first, then summary.xlsx, report.html and report.docx
    on_disk = sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert sorted(report.files) == on_disk
    assert [f.name for f in report.files[-3:]] == ["summary.xlsx", "report.html", "report.docx"]
    assert {f.suffix for f in report.files[:-3]} == {".png", ".svg"}
    assert report.docx == out / "report.docx"
    assert all(f.parent == out / "charts" for f in report.files[:-3])
