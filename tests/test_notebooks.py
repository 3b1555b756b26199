"""The analysts' notebooks (notebooks/*.ipynb and their py:percent pairs): how they are saved.

These tests read the saved files and execute nothing. ``make test`` executes each notebook
once, with nbval (``--nbval-lax``), which compares the checked cells' outputs; in that same run
notebooks/conftest.py fails any cell that writes to stderr (checked here on a small notebook).
These tests add what nbval does not see: each .ipynb has the cells of its .py (no drift), no
helper functions, relative paths to files that exist, outputs committed only where checked,
and the checked outputs holding the founding article's figures.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CHECK = "# NBVAL_CHECK_OUTPUT"
EXPECTED = ["01-读取与检查台账.ipynb", "02-项目分类.ipynb", "03-项目进度图表.ipynb",
            "04-上半年工作报告.ipynb", "05-交互式浏览.ipynb", "06-核对文稿数字.ipynb"]
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in read(path).cells if c.cell_type == "code"]


def without_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def checked_text(path: Path) -> str:
    return "".join(out.get("text", "") for cell in code_cells(path)
                   if cell.source.startswith(CHECK) for out in cell.outputs)


def cells(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in nb.cells]


def first_difference(ipynb: Path, script: Path) -> str | None:
    """Where the notebook's cells differ from its script's, or None when they agree."""
    saved, source = cells(read(ipynb)), cells(jupytext.read(script, fmt="py:percent"))
    for i, (a, b) in enumerate(zip(saved, source, strict=False)):
        if a != b:
            return f"cell {i}:\n--- {ipynb.name}\n{a[1]}\n--- {script.name}\n{b[1]}"
    if len(saved) != len(source):
        return f"{len(saved)} cells in {ipynb.name}, {len(source)} in {script.name}"
    return None


def test_the_numbered_notebooks_exist():
    names = [p.name for p in PATHS]
    for name in EXPECTED:
        assert name in names


def test_each_notebook_and_only_they_have_a_script():
    scripts = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.py"))
    assert scripts == [name.removesuffix(".ipynb") + ".py" for name in EXPECTED]


def test_jupytext_pairs_them():
    config = tomllib.loads((NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8"))
    assert config["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_has_the_cells_of_its_script(path):
    difference = first_difference(path, path.with_suffix(".py"))
    assert difference is None, (
        f"{path.name} differs from its script (run `make notebooks`): {difference}")


def test_a_drifted_pair_is_found(tmp_path):
    path = NOTEBOOKS / "04-上半年工作报告.ipynb"
    shutil.copy(path, tmp_path / path.name)
    script = path.with_suffix(".py").read_text(encoding="utf-8")
    drifted = tmp_path / path.with_suffix(".py").name
    drifted.write_text(script, encoding="utf-8")
    assert first_difference(tmp_path / path.name, drifted) is None
    drifted.write_text(script.replace("合同引资", "合同引资额", 1), encoding="utf-8")
    assert first_difference(tmp_path / path.name, drifted).startswith("cell 0:")
    drifted.write_text(script + "\n# %%\nprint(1)\n", encoding="utf-8")
    assert first_difference(tmp_path / path.name, drifted) == (
        f"17 cells in {path.name}, 18 in {drifted.name}")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_no_function_or_class_is_defined(path):
    for cell in code_cells(path):
        tree = ast.parse(without_magics(cell.source))
        defined = [type(node).__name__ for node in ast.walk(tree)
                   if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                        ast.Lambda))]
        assert not defined, f"{path.name}: {defined} in cell:\n{cell.source}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_paths_are_relative_and_inputs_exist(path):
    for cell in code_cells(path):
        code = "\n".join(line for line in cell.source.splitlines()
                         if not line.lstrip().startswith("#"))
        assert not re.search(r"""["'](/|[A-Za-z]:\\)""", code), cell.source
        assert "shared" not in code, cell.source
        for target in re.findall(r"""["'](\.\./[^"']+)["']""", code):
            if target == "../reports" or target.startswith("../reports/"):  # outputs, ignored
                continue
            assert (NOTEBOOKS / target).exists(), f"{path.name}: {target} not found"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_only_checked_cells_keep_outputs_and_only_as_text(path):
    for cell in code_cells(path):
        if cell.source.startswith(CHECK):
            assert cell.outputs, f"checked cell saved without its output:\n{cell.source}"
            for out in cell.outputs:
                assert out.output_type == "stream" and out.name == "stdout", cell.source
        else:
            assert not cell.outputs, f"{path.name}: unchecked cell with outputs:\n{cell.source}"
            assert cell.execution_count is None


def test_half_year_report_checks_the_article_figures():
    text = checked_text(NOTEBOOKS / "04-上半年工作报告.ipynb")
    lines = text.splitlines()
    # the headline (the article: 59 projects, 98583 and 86563 万元)
    assert "项目个数：59个" in lines
    assert "总投资：98583万元" in lines
    assert "合同引资：86563万元" in lines
    # the split: count, total, contracted (fictitious split), completed, funds in place
    assert [line.split() for line in lines if line.startswith("续建")] == [
        ["续建", "31", "71030", "61690", "11505", "10095"]]
    assert [line.split() for line in lines if line.startswith("新签约")] == [
        ["新签约", "28", "27553", "24873", "5995", "5995"]]
    # the narrative, as the article words it
    for phrase in ("今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。",
                   "其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元",
                   "实施新签约项目28个，总投资27553万元，已完成投资5995万元，引进到位资金5995万元"):
        assert phrase in text


def test_reading_notebook_checks_the_declared_totals():
    rows = [line.split() for line in checked_text(NOTEBOOKS / "01-读取与检查台账.ipynb").splitlines()]
    # source_row, label, scope, n_projects, declared and computed total, declared and computed
    # contracted: the sample's 合计 row 5 and its two 小计 rows (data/README.md)
    assert rows[1:] == [["5", "合计", "全部", "59", "98583", "98583", "86563", "86563"],
                        ["38", "小计", "续建", "31", "71030", "71030", "61690", "61690"],
                        ["68", "小计", "新签约", "28", "27553", "27553", "24873", "24873"]]


def test_explorer_notebook_checks_a_filtered_count():
    lines = checked_text(NOTEBOOKS / "05-交互式浏览.ipynb").splitlines()
    # the sample's 建设地点 column: 皂郊镇 on Excel rows 10 and 37 (续建: 4200 + 490 万元 total,
    # 410 + 75 completed) and rows 43 and 66 (新签约: 2100 + 550)
    assert lines == ["皂郊镇续建项目：2个，总投资4690万元，本年完成投资485万元",
                     "皂郊镇全部项目：4个，总投资7340万元"]


def test_a_cell_writing_to_stderr_fails_the_notebook_run(tmp_path):
    """notebooks/conftest.py, on a three-cell notebook run by nbval as `make test` does."""
    shutil.copy(NOTEBOOKS / "conftest.py", tmp_path / "conftest.py")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('print("before")'),
        nbformat.v4.new_code_cell('import warnings\nwarnings.warn("a warning in a cell")'),
        nbformat.v4.new_code_cell('print("after")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "stderr.ipynb")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--nbval-lax", "--nbval-current-env", "stderr.ipynb"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 2 passed" in run.stdout, run.stdout
    assert "Cell 1 wrote to stderr:" in run.stdout, run.stdout
    assert "UserWarning: a warning in a cell" in run.stdout, run.stdout

