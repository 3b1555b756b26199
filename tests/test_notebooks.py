"""The analysts' notebooks (notebooks/*.ipynb): how they are written and saved.

nbval (``make test``) executes them and compares the checked cells' outputs; these tests
add what nbval does not see: no helper functions, relative paths to files that exist,
outputs committed only where checked, the checked outputs holding the founding article's
figures, and no warning or other stderr output in any cell.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CHECK = "# NBVAL_CHECK_OUTPUT"
EXPECTED = ["01-读取与检查台账.ipynb", "02-项目分类.ipynb", "03-项目进度图表.ipynb",
            "04-上半年工作报告.ipynb", "05-交互式浏览.ipynb"]
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


def test_the_numbered_notebooks_exist():
    names = [p.name for p in PATHS]
    for name in EXPECTED:
        assert name in names


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


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_no_cell_writes_to_stderr(path):
    """Run the notebook in a fresh kernel: no warning, no error, nothing on stderr."""
    import matplotlib.font_manager  # noqa: F401  build any font cache here, not in a cell
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(NOTEBOOKS))
    client = manager.client()
    client.start_channels()
    problems: list[str] = []
    try:
        client.wait_for_ready(timeout=120)
        for i, cell in enumerate(code_cells(path)):

            def hook(msg, i=i):
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream" and content["name"] == "stderr":
                    problems.append(f"code cell {i}: stderr: {content['text'][:500]}")
                elif kind == "error":
                    problems.append(f"code cell {i}: {content['ename']}: {content['evalue']}")

            reply = client.execute_interactive(cell.source, output_hook=hook, timeout=600)
            if reply["content"]["status"] != "ok":
                problems.append(f"code cell {i}: status {reply['content']['status']}")
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert not problems, "\n".join(problems)
