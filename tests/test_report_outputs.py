"""Outputs that survive hostile input and a hostile machine (issue 16, the output side).

One test (or a small group) per defect of the reliability review
(../shared/reviews/reliability-2026-11/REPORT.md): #16 concurrent reports, #17 disk full and
a stale mixed bundle, #18 terminal escapes from `check`, #23 escape_formulas gaps, #24 long
cells in summary.xlsx, #25 errno text and a closed pipe, and the output side of #5 (many
findings). Every input is built here, small, in tmp_path.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from qzanalysis import report as report_module
from qzanalysis.cli import main
from qzanalysis.errors import os_error_text
from qzanalysis.export import CUT_MARKER, escape_formulas, fit_for_excel, to_csv
from qzanalysis.report import OutputError, build_report

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_CHARTS = {f"{name}.{ext}" for name in ("分阶段投资", "项目阶段漏斗", "分资金渠道", "分行业投资",
                                              "资金到位", "项目进度") for ext in ("png", "svg")}


def _ledger(path: Path, prefix: str, n: int) -> Path:
    """A CSV ledger of n projects named {prefix}项目1…n; total investment 100 each."""
    lines = ["项目名称,总投资,本年计划投资,本年完成投资"]
    lines += [f"{prefix}项目{i},100,50,20" for i in range(1, n + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _bundle_state(out: Path) -> dict:
    """Which run each part of the bundle comes from: its project count, and who the charts name."""
    book = openpyxl.load_workbook(out / "summary.xlsx")  # raises on a corrupt file
    overview = {row[0].value: row[1].value for row in book["总览"].iter_rows(min_row=2)}
    page = (out / "report.html").read_text(encoding="utf-8")
    html_count = re.search(r"<td>项目个数（个）</td>\s*<td>([^<]*)</td>", page).group(1)
    svg = (out / "charts" / "项目进度.svg").read_text(encoding="utf-8")
    return {
        "xlsx": int(overview["项目个数（个）"]),
        "html": int(html_count),
        "html_complete": page.rstrip().endswith("</html>") and "数据检查" in page,
        "charts_name": sorted({m for m in ("甲项目", "乙项目") if m in svg}),
        "charts": {p.name for p in (out / "charts").iterdir()},
        "hidden": sorted(p.name for p in out.iterdir() if p.name.startswith(".")),
    }


@pytest.fixture(scope="module")
def bundle_a(tmp_path_factory):
    """A complete bundle of ledger A (3 projects named 甲项目…), to copy and overwrite."""
    base = tmp_path_factory.mktemp("bundle_a")
    ledger = _ledger(base / "a.csv", "甲", 3)
    build_report([ledger], base / "out")
    return base / "out"


@pytest.fixture
def ledger_b(tmp_path):
    return _ledger(tmp_path / "b.csv", "乙", 5)


# --------------------------------------------------------------------------------------------
# #16 (R15): two reports into one --out


_CHILD = r"""
import json, sys, time
import qzanalysis.report as r
write_html = r._write_html
def slow(*args, **kwargs):
    start = time.time()
    time.sleep(1.5)  # widen the window in which the two runs would overlap
    path = write_html(*args, **kwargs)
    with open(sys.argv[3], "w") as f:
        json.dump([start, time.time()], f)
    return path
r._write_html = slow
from qzanalysis.cli import main
sys.exit(main(["report", sys.argv[1], "--out", sys.argv[2]]))
"""


def test_two_concurrent_reports_into_one_folder_take_turns(tmp_path, ledger_b):
    ledger_a = _ledger(tmp_path / "a.csv", "甲", 3)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    runs = {}
    for name, ledger in (("a", ledger_a), ("b", ledger_b)):
        runs[name] = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(ledger), str(out), str(tmp_path / f"{name}.json")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for name, proc in runs.items():
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, (name, err)
        assert "Traceback" not in err
    windows = {name: json.loads((tmp_path / f"{name}.json").read_text()) for name in runs}
    first, last = sorted(windows, key=lambda n: windows[n][0])
    assert windows[first][1] <= windows[last][0]  # the writing never overlapped
    state = _bundle_state(out)
    expected = {"a": (3, ["甲项目"]), "b": (5, ["乙项目"])}[last]  # the later run's bundle, whole
    assert (state["xlsx"], state["charts_name"]) == expected
    assert state["html"] == expected[0] and state["html_complete"]
    assert state["charts"] == BUNDLE_CHARTS
    assert state["hidden"] == [".qzanalysis-report.lock"]  # no temporary folder left


def test_a_busy_folder_is_a_message_and_exit_2(tmp_path, ledger_b, monkeypatch, capsys):
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(report_module, "LOCK_TIMEOUT", 0.5)
    with open(out / ".qzanalysis-report.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another report is writing
        assert main(["report", str(ledger_b), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"错误：无法写入“{out}”：另一个报告正在写入这个文件夹，等了 0.5 秒仍未结束" in err
    assert sorted(p.name for p in out.iterdir()) == [".qzanalysis-report.lock"]


# --------------------------------------------------------------------------------------------
# #17 (R16a/b/c): a full disk, a failed re-run, stale files


def _fail_after(calls: int, real):
    """``real`` that raises ENOSPC on its call number ``calls`` (after writing half, if it can)."""
    count = [0]

    def fake(*args, **kwargs):
        count[0] += 1
        if count[0] >= calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    return fake


def _half_then_enospc(self, data, *args, **kwargs):
    # a write that fills the disk half-way: the file exists, cut short
    Path.write_bytes(self, data[: len(data) // 2].encode("utf-8"))
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("stage", ["charts", "summary.xlsx", "report.html"])
def test_disk_full_keeps_the_previous_bundle(stage, bundle_a, ledger_b, tmp_path, monkeypatch,
                                             capsys):
    out = tmp_path / "out"
    shutil.copytree(bundle_a, out)
    before = _bundle_state(out)
    if stage == "charts":
        from qzanalysis import charts

        monkeypatch.setattr(charts, "save_chart", _fail_after(3, charts.save_chart))
        named = f"{out / 'charts' / '分资金渠道'}（.png、.svg）"
    elif stage == "summary.xlsx":
        # xlsxwriter zips its parts with ZipFile.write: the disk fills on the third part
        monkeypatch.setattr(zipfile.ZipFile, "write", _fail_after(3, zipfile.ZipFile.write))
        named = str(out / "summary.xlsx")
    else:
        monkeypatch.setattr(Path, "write_text", _half_then_enospc)
        named = str(out / "report.html")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Exception ignored" from a half-closed zip either
        assert main(["report", str(ledger_b), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"错误：无法写入“{named}”：磁盘空间不足（没有留下写了一半的文件，原有的报告未改动）\n"
    assert _bundle_state(out) == before  # A's bundle, whole, and nothing else


def test_failed_rerun_never_mixes_two_runs(bundle_a, ledger_b, tmp_path, monkeypatch):
    # R16b: B fails after its charts and summary.xlsx were written (a permission error)
    out = tmp_path / "out"
    shutil.copytree(bundle_a, out)
    before = _bundle_state(out)

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    with pytest.raises(OutputError) as caught:
        build_report([ledger_b], out)
    assert str(caught.value) == (f"无法写入“{out / 'report.html'}”：没有权限"
                                 "（没有留下写了一半的文件，原有的报告未改动）")
    assert _bundle_state(out) == before


def test_stale_charts_and_temporaries_are_removed(bundle_a, ledger_b, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(bundle_a, out)
    (out / "charts" / "月度累计完成.png").write_bytes(b"from an earlier --monthly run")
    (out / ".qzanalysis-report-tmp-killed").mkdir()  # a run that was killed
    (out / "notes.txt").write_text("the analyst's own file", encoding="utf-8")
    report = build_report([ledger_b], out)
    state = _bundle_state(out)
    assert (state["xlsx"], state["html"], state["charts_name"]) == (5, 5, ["乙项目"])
    assert state["charts"] == BUNDLE_CHARTS
    assert state["hidden"] == [".qzanalysis-report.lock"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the analyst's own file"
    assert sorted(report.files) == sorted([out / "summary.xlsx", out / "report.html",
                                           out / "report.docx"]
                                          + [out / "charts" / n for n in BUNDLE_CHARTS])


def test_a_folder_named_like_a_bundle_file_is_not_replaced(ledger_b, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "summary.xlsx").mkdir(parents=True)
    (out / "summary.xlsx" / "keep.txt").write_text("x", encoding="utf-8")
    assert main(["report", str(ledger_b), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"错误：无法写入“{out / 'summary.xlsx'}”："
                                       "那里已有一个同名的文件夹，报告不会覆盖它\n")
    assert (out / "summary.xlsx" / "keep.txt").read_text(encoding="utf-8") == "x"


def _tmpfs_possible() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _tmpfs_possible(), reason="needs root and unshare -m to mount a tmpfs")
def test_real_full_disk_keeps_the_previous_bundle(bundle_a, ledger_b, tmp_path):
    # a tmpfs that holds A's bundle and half as much again: B's report cannot fit beside it
    pages = sum(math.ceil(p.stat().st_size / 4096) for p in bundle_a.rglob("*") if p.is_file())
    size_kb = 4 * (pages + pages // 2 + 4)
    ledger_a = _ledger(tmp_path / "a.csv", "甲", 3)
    mnt, dest = tmp_path / "mnt", tmp_path / "left"
    mnt.mkdir()
    dest.mkdir()
    py = f"PYTHONPATH={ROOT} MPLBACKEND=Agg {sys.executable} -m qzanalysis.cli"
    script = (f"mount -t tmpfs -o size={size_kb}k tmpfs {mnt} || exit 99\n"
              f"{py} report {ledger_a} --out {mnt}/out >/dev/null 2>{dest}/a.err; echo $? > {dest}/a.rc\n"
              f"{py} report {ledger_b} --out {mnt}/out >/dev/null 2>{dest}/b.err; echo $? > {dest}/b.rc\n"
              f"cp -a {mnt}/out {dest}/out\n")
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (dest / "a.rc").read_text().strip() == "0", (dest / "a.err").read_text()
    assert (dest / "b.rc").read_text().strip() == "2"
    err = (dest / "b.err").read_text(encoding="utf-8")
    assert err.startswith(f"错误：无法写入“{mnt}/out/") and "磁盘空间不足" in err, err
    assert "Traceback" not in err and "Exception ignored" not in err
    state = _bundle_state(dest / "out")
    assert (state["xlsx"], state["html"], state["charts_name"]) == (3, 3, ["甲项目"])
    assert state["html_complete"] and state["charts"] == BUNDLE_CHARTS
    assert state["hidden"] == [".qzanalysis-report.lock"]


def test_errno_text_is_chinese():
    cases = {errno.ENOSPC: "磁盘空间不足", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
             errno.EROFS: "磁盘或文件夹是只读的", errno.ENOENT: "文件或文件夹不存在",
             errno.EISDIR: "这是一个文件夹，不是文件", errno.ENOTDIR: "路径中有一段不是文件夹"}
    for code, text in cases.items():
        assert os_error_text(OSError(code, "English words")) == text
    assert os_error_text(OSError(errno.EIO, "Input/output error")) == "系统错误：Input/output error"


# --------------------------------------------------------------------------------------------
# #18 (R17): terminal escapes, and #25 (R23): a closed pipe

_HOSTILE = "\x1b[2J\x1b[H\x1b[32m全部检查通过\x1b[0m\x1b]0;pwned\x07\u202e反\x9b1m\r"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_check_prints_no_terminal_control_characters(tmp_path, capsys):
    import xlsxwriter  # writes the control characters as _x001B_ escapes, as Excel does

    path = tmp_path / "escape.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("台账")
    for r, row in enumerate([["项目名称", "总投资", "本年计划投资"], [_HOSTILE, 100, 50],
                             [_HOSTILE, 200, 80]]):
        sheet.write_row(r, 0, row)
    book.close()
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[32m全部检查通过\\x1b[0m\\x1b]0;pwned\\x07\\u202e反\\x9b1m" in out
    assert _CONTROLS.search(out) is None


def test_error_messages_print_no_terminal_control_characters(tmp_path, capsys):
    missing = tmp_path / "台账\x1b[2J\u202e.csv"
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "台账\\x1b[2J\\u202e.csv" in err and _CONTROLS.search(err.rstrip("\n")) is None


def test_check_into_a_closed_pipe_exits_quietly(tmp_path):
    # `qzanalysis check big.csv | head -c1`: far more than a pipe buffer of output
    path = tmp_path / "dup.csv"
    path.write_text("项目名称,总投资,本年计划投资\n" + "".join(f"同名项目{i % 150},{i},1\n"
                                                       for i in range(1200)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "qzanalysis.cli", "check", str(path)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(1) == b"="
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0  # warnings only: "no errors", as far as it printed
    assert err == ""


# --------------------------------------------------------------------------------------------
# #5 (R04), the output side: many findings, bounded output


def _many_findings(n: int) -> pd.DataFrame:
    from qzanalysis.findings import findings_frame

    rows = [{"severity": "warning", "rule": "duplicate_project", "message": f"重复{i}" + "很长" * 300,
             "source_sheet": "表", "source_row": i + 2} for i in range(n)]
    rows.append({"severity": "error", "rule": "total_mismatch", "message": "合计不符",
                 "source_sheet": "表", "source_row": n + 2})
    return findings_frame(rows)


def test_check_lists_at_most_200_findings_errors_first(monkeypatch, capsys, tmp_path):
    import qzanalysis.reading as reading

    class FakeLedger:
        projects = pd.DataFrame({"name": ["甲"]})

        def check(self):
            return _many_findings(10_000)

    monkeypatch.setattr(reading, "load", lambda path: FakeLedger())
    assert main(["check", str(tmp_path / "x.csv")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("1 个项目，10001 条检查结果")
    assert len(lines) == 1 + 1 + 200 + 1  # title, header, 200 rows, the count of the rest
    assert lines[2].startswith("错误") and "合计不符" in lines[2]
    assert lines[3].endswith("……（共 603 字）")  # "重复0" + 600 characters, cut to 300
    assert lines[-1].startswith("…… 另有 9,801 条未列出")


def test_report_html_lists_at_most_500_findings():
    from qzanalysis.findings import findings_for_people

    people = findings_for_people(_many_findings(10_000))
    page = "\n".join(report_module._html_findings(people))
    assert page.count("<tr") == 1 + 500  # header and 500 rows
    assert page.index("合计不符") < page.index("重复0")  # errors first
    assert "另有 9,501 条未在此列出" in page and len(page) < 1_000_000


# --------------------------------------------------------------------------------------------
# #23 (R22): escape_formulas and to_csv


def test_to_csv_escapes_categoricals_and_axis_names(tmp_path):
    df = pd.DataFrame({"名称": pd.Categorical(['=HYPERLINK("http://x","y")', "ok"]), "金额": [1, 2]},
                      index=pd.Index(["a", "b"], name="=cmd|' /C calc'!A0"))
    text = to_csv(df, tmp_path / "r22.csv").read_text(encoding="utf-8-sig")
    assert text == ("'=cmd|' /C calc'!A0,名称,金额\n"
                    "a,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1\n"
                    "b,ok,2\n")


def test_escape_formulas_covers_every_label():
    df = pd.DataFrame({"x": [1, 2]}, index=pd.CategoricalIndex(["-1", "b"], name="@i"))
    df.columns.name = "+c"
    wide = pd.DataFrame([[1]], columns=pd.MultiIndex.from_tuples([("=a", "b")], names=["-n", "m"]))
    out, out_wide = escape_formulas(df), escape_formulas(wide)
    assert (out.index.tolist(), out.index.name, out.columns.name) == (["'-1", "b"], "'@i", "'+c")
    assert out_wide.columns.tolist() == [("'=a", "b")]
    assert out_wide.columns.names == ["'-n", "m"]
    mixed = escape_formulas(pd.DataFrame({"o": [-1, "-x", None, "ok"]}))["o"].tolist()
    assert mixed == [-1, "'-x", None, "ok"]  # a number in an object column stays a number


# --------------------------------------------------------------------------------------------
# #24 (R24): cells longer than Excel allows


def test_long_cells_are_cut_visibly_and_said_in_the_check_sheet(tmp_path, capsys):
    name = "超长项目名称" * 7000  # 42,000 characters
    path = tmp_path / "long.csv"
    path.write_text(f"项目名称,总投资,本年计划投资\n{name},100,50\n乙项目,200,80\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # pandas' "Cell contents too long"
        assert main(["report", str(path), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr()
    assert "注意：summary.xlsx 中有 1 个单元格超过 Excel 的长度上限，已截断" in printed.out
    book = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")
    cell = book["项目明细"]["A2"].value
    assert len(cell) == 32767 and cell == name[:32767 - len(CUT_MARKER)] + CUT_MARKER
    header = [c.value for c in book["数据检查"][1]]
    last = dict(zip(header, [c.value for c in book["数据检查"][book["数据检查"].max_row]], strict=True))
    assert (last["级别"], last["问题"], last["文件"], last["工作表"], last["行号"], last["列"]) == (
        "提示", "单元格内容过长", "summary.xlsx", "项目明细", 2, "项目名称")
    assert "原有 42,000 个字符" in last["说明"]


def test_fit_for_excel_counts_utf16_units():
    wide = "\U00020000" * 20000  # 40,000 UTF-16 units in 20,000 characters
    frame, cuts = fit_for_excel(pd.DataFrame({"a": [wide, "短"]}))
    cut = frame.loc[0, "a"]
    assert len(cut.encode("utf-16-le")) // 2 <= 32767 and cut.endswith(CUT_MARKER)
    assert cuts == [(2, "a", 20000)] and frame.loc[1, "a"] == "短"
