"""The report bundle: summary.xlsx, charts (PNG and SVG), report.html and report.docx, from ledgers.

``qzanalysis report`` on the command line calls :func:`build_report`.

The bundle is written into a temporary folder inside ``out`` and moved into place only
when every file is complete, under a lock on ``out`` (a second run into the same folder
waits, then gives up with :class:`OutputError`). ``out`` then holds exactly one run's
files; if a write fails (disk full, no permission) the previous bundle stays as it was.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from qzanalysis.data import sample_paths
from qzanalysis.errors import os_error_text
from qzanalysis.report_docx import to_docx

__all__ = ["build_report", "Report", "OutputError", "sample_paths", "period_label", "to_docx"]

#: What a report owns inside ``out``: replaced as a whole by each run.
_BUNDLE = ("charts", "summary.xlsx", "report.html", "report.docx")
_LOCK_NAME = ".qzanalysis-report.lock"
_TMP_PREFIX = ".qzanalysis-report-tmp-"
#: Seconds a report waits while another one writes into the same folder.
LOCK_TIMEOUT = 60.0
#: How many findings report.html lists (all of them are in summary.xlsx).
HTML_FINDINGS_SHOWN = 500
_HTML_CELL_CHARS = 1000


class OutputError(OSError):
    """The report bundle could not be written; the message, in Chinese, names the file.

    The previous bundle in ``out`` (if any) is left as it was.
    """

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 errno: int | None = None) -> None:
        super().__init__(errno, message, None if path is None else str(path))

    def __str__(self) -> str:
        return self.strerror


def period_label(period: str) -> str:
    """How the report paragraph opens for a period, as the founding article does.

    >>> period_label("1-6月"), period_label("1-12月"), period_label("1-8月"), period_label("上半年")
    ('今年上半年', '全年', '今年1-8月', '上半年')
    """
    m = re.fullmatch(r"\s*1\s*[-－~至]\s*(\d{1,2})\s*月\s*", period)
    if not m:
        return period
    months = m.group(1)
    return {"6": "今年上半年", "12": "全年"}.get(months, f"今年1-{months}月")


@dataclass(frozen=True, eq=False)
class _Contents:
    """What the bundle is written from: computed before anything is written, never changed."""

    projects: pd.DataFrame
    findings: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    narrative: str
    #: the monthly ledgers' non-exact project links (``qz.link_projects``), when given
    links: pd.DataFrame | None = None


@dataclass(frozen=True, eq=False)
class Report:
    """What :func:`build_report` wrote and computed; built once, after the bundle is in place.

    Frozen: the fields cannot be reassigned, ``tables`` is a read-only mapping and
    ``files`` and ``cut_cells`` are tuples (the DataFrames themselves are ordinary ones).
    """

    out: Path
    projects: pd.DataFrame
    findings: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    narrative: str
    #: every file of the bundle, inside ``out``: the charts, then summary.xlsx, report.html
    #: and report.docx
    files: tuple[Path, ...] = ()
    #: cells of summary.xlsx cut to Excel's limit: (sheet, export.CutCell)
    cut_cells: tuple = ()
    #: report.docx (GB/T 9704 layout, :mod:`qzanalysis.report_docx`), also last in ``files``
    docx: Path | None = None


def _read_all(paths: Sequence[Path], progress: bool | None):
    from tqdm import tqdm  # not tqdm.auto: it warns in kernels without ipywidgets

    from qzanalysis.reading import load

    ledgers = []
    # progress: None = a bar in a terminal only, True = always, False = never
    disable = True if len(paths) < 2 else (None if progress is None else not progress)
    bar = tqdm(paths, desc="读取台账", unit="个", disable=disable)
    for path in bar:
        ledgers.append(load(path))
    projects = pd.concat([lg.projects for lg in ledgers], ignore_index=True)
    findings = pd.concat([lg.check() for lg in ledgers], ignore_index=True)
    return ledgers, projects, findings


def build_report(
    paths: Sequence[str | Path] | None = None,
    out: str | Path = "reports",
    *,
    period: str = "1-6月",
    unit: str = "万元",
    monthly: str | Path | None = None,
    pipeline: str | Path | None = None,
    progress: bool | None = None,
    lock_timeout: float | None = None,
) -> Report:
    """Read ledgers, classify, compute the metrics and write the report bundle to ``out``.

    Parameters
    ----------
    paths : list of paths, optional
        Ledgers of one programme (read and put together). None: the bundled sample,
        with its monthly ledgers and pipeline ledger.
    out : folder
        Where ``summary.xlsx``, ``report.html``, ``report.docx`` (a Word document in the
        GB/T 9704-2012 layout, :func:`to_docx`) and ``charts/`` are written (created).
    period : str
        The report period, e.g. ``"1-6月"``; sets 时序进度 and the narrative's wording.
    unit : {"万元", "亿元"}
        Unit of the figures in the narrative.
    monthly : folder, optional
        Monthly ledgers of the same programme, for the S-curve chart.
    pipeline : path, optional
        A ledger of earlier-stage projects (储备, 洽谈 …) for the stage funnel.
    lock_timeout : float, optional
        Seconds to wait while another report writes into the same ``out``
        (default ``LOCK_TIMEOUT``, 60).

    Raises
    ------
    LedgerError
        A ledger cannot be read.
    OutputError
        The bundle cannot be written (disk full, no permission, ``out`` is busy or is a
        file); nothing in ``out`` was changed.
    """
    from qzanalysis.classify import classify
    from qzanalysis.metrics import progress as project_progress
    from qzanalysis.metrics import summarize
    from qzanalysis.narrative import narrative

    if paths is None or len(paths) == 0:
        sample = sample_paths()
        paths = [sample["ledger"]]
        monthly = sample["monthly"] if monthly is None else monthly
        pipeline = sample["pipeline"] if pipeline is None else pipeline
    paths = [Path(p) for p in paths]
    out = Path(out)
    with _writing(out, note=""):
        out.mkdir(parents=True, exist_ok=True)
    _refuse_foreign_files(out)

    _, projects, findings = _read_all(paths, progress)
    projects = project_progress(classify(projects), period=period)

    tables = {
        "分阶段": summarize(projects, by="stage"),
        "分资金渠道": summarize(projects, by="funding_channel"),
        "分行业": _with_section_names(summarize(projects, by="industry_section")),
        "分三次产业": summarize(projects, by="sector"),
    }
    text = narrative(projects, period=period_label(period), unit=unit)

    # whatever the charts need to read (monthly, pipeline) is read before the lock is taken
    monthly_frame = links = None
    if monthly is not None:
        from qzanalysis.reading.many import link_projects, load_many

        monthly_frame, links = link_projects(load_many(monthly))
    contents = _Contents(projects=projects, findings=findings,
                         tables=MappingProxyType(tables), narrative=text, links=links)
    funnel = projects
    if pipeline is not None:
        from qzanalysis.reading import load

        funnel = pd.concat([classify(load(pipeline).projects), projects], ignore_index=True)
    with _locked(out, timeout=LOCK_TIMEOUT if lock_timeout is None else lock_timeout):
        _remove_stale_temporaries(out)
        with _writing(out):
            tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=out))
        try:
            charts, written = _draw_charts(projects, tmp / "charts", period=period, funnel=funnel,
                                           monthly=monthly_frame, out=out)
            with _writing(out / "summary.xlsx"):
                excel, cut_cells = _write_excel(contents, tmp / "summary.xlsx", period=period)
            written.append(excel)
            with _writing(out / "report.html"):
                written.append(_write_html(contents, charts, tmp / "report.html", period=period))
            with _writing(out / "report.docx"):
                pngs = {title: svg.with_suffix(".png") for title, svg in charts.items()}
                written.append(to_docx(contents, tmp / "report.docx", charts=pngs,
                                       period=period))
            _sync(tmp, out)
            _move_into_place(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return Report(out=out, projects=contents.projects, findings=contents.findings,
                  tables=contents.tables, narrative=contents.narrative,
                  files=tuple(out / f.relative_to(tmp) for f in written),
                  cut_cells=tuple(cut_cells), docx=out / "report.docx")


# ---------------------------------------------------------------------------------------
# Writing the bundle: a temporary folder, a lock, one move into place


@contextlib.contextmanager
def _writing(path: Path, *, note: str = "（没有留下写了一半的文件，原有的报告未改动）"):
    """Turn any failure to write ``path`` into an OutputError naming it (in Chinese)."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{os_error_text(exc)}{note}",
                          path=path, errno=exc.errno) from exc


def _refuse_foreign_files(out: Path) -> None:
    # a folder named summary.xlsx, or a file named charts, is not ours to replace
    for name in _BUNDLE:
        target = out / name
        want_dir = name == "charts"
        if target.exists() and not target.is_symlink() and target.is_dir() != want_dir:
            what = "文件夹" if target.is_dir() else "文件"
            raise OutputError(f"无法写入“{target}”：那里已有一个同名的{what}，报告不会覆盖它",
                              path=target)


@contextlib.contextmanager
def _locked(out: Path, *, timeout: float):
    """Hold an exclusive lock on ``out`` (a lock file inside it) while the bundle is written."""
    lock_path = out / _LOCK_NAME
    with _writing(lock_path):
        handle = open(lock_path, "a+b")  # noqa: SIM115 - closed in the finally below
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise OutputError(
                    f"无法写入“{out}”：另一个报告正在写入这个文件夹，等了 {timeout:g} 秒仍未结束；"
                    "请等它结束后再运行，或换一个 --out 文件夹", path=out)
            time.sleep(0.2)
        yield
    finally:
        handle.close()  # closing the file releases the lock


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove_stale_temporaries(out: Path) -> None:
    # left by a run that was killed; we hold the lock, so no live run owns them
    for stale in out.glob(_TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _sync(tmp: Path, out: Path) -> None:
    """Flush every file of the bundle to disk, so a full disk shows here, not after the move."""
    for path in sorted(tmp.rglob("*")):
        if path.is_file():
            with _writing(out / path.relative_to(tmp)):
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)


def _move_into_place(tmp: Path, out: Path) -> None:
    """Swap the finished bundle in ``tmp`` for the one in ``out`` (renames on one filesystem).

    The previous bundle is first moved into ``tmp`` (removed afterwards); if a rename
    fails half-way, what was moved is put back.
    """
    old = tmp / ".previous"
    moved_out: list[str] = []
    moved_in: list[str] = []
    with _writing(out):
        try:
            old.mkdir()
            for name in _BUNDLE:
                if os.path.lexists(out / name):
                    os.rename(out / name, old / name)
                    moved_out.append(name)
            for name in _BUNDLE:
                os.rename(tmp / name, out / name)
                moved_in.append(name)
        except BaseException:
            for name in moved_in:
                os.rename(out / name, tmp / name)
            for name in moved_out:
                os.rename(old / name, out / name)
            raise


def _with_section_names(table: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.rules import load_table

    names = load_table("gbt4754_sections").set_index("section")["name"]
    labels = [f"{code} {names[code]}" if code in names.index else code for code in table.index]
    return table.set_axis(pd.Index(labels, name="行业门类"), axis=0)


def _overview(report: _Contents, period: str) -> pd.DataFrame:
    total = report.tables["分阶段"].loc["合计"]
    sev = report.findings["severity"].astype("str").value_counts()
    rows = [
        ("报告期", period),
        ("项目个数（个）", int(total["projects"])),
        ("总投资（万元）", total["total_investment"]),
        ("合同引资（万元）", total["contracted_investment"]),
        ("本年计划投资（万元）", total["planned_investment"]),
        ("本年完成投资（万元）", total["completed_investment"]),
        ("到位资金（万元）", total["funds_in_place"]),
        ("年度计划完成率", _percent(total["plan_rate"])),
        ("资金到位率", _percent(total["funds_rate"])),
        ("时序进度", _percent(report.projects["schedule"].iloc[0]) if len(report.projects) else ""),
        ("滞后项目（个）", int(report.projects["lagging"].fillna(False).astype(bool).sum())),
        ("数据问题：错误（条）", int(sev.get("error", 0))),
        ("数据问题：警告（条）", int(sev.get("warning", 0))),
    ]
    return pd.DataFrame(rows, columns=["指标", "数值"])


def _percent(value) -> str:
    # The overview is read, not computed on: rates as the report prints them.
    return "" if pd.isna(value) else f"{value:.1%}"


def _summary_for_people(table: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.vocab import LABELS

    names = [LABELS.get(n, n) if isinstance(n, str) else n for n in table.index.names]
    return table.rename(columns=LABELS).rename_axis(index=names)


def _details(projects: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.vocab import LABELS

    labels = LABELS
    cols = [c for c in labels if c in projects.columns]
    extra = [c for c in projects.columns if c not in labels]
    frame = projects[cols + extra].copy()
    for c in ("start_date", "end_date"):
        if c in frame:
            frame[c] = frame[c].dt.strftime("%Y-%m")
    if "lagging" in frame:
        frame["lagging"] = frame["lagging"].map({True: "是", False: "否"}, na_action="ignore")
    return frame.rename(columns=labels)


def _findings_for_people(findings: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.findings import findings_for_people

    return findings_for_people(findings)


_MONEY_FORMAT = "#,##0.00"
_RATE_FORMAT = "0.0%"


def _write_excel(report: _Contents, path: Path, *, period: str) -> tuple[Path, list]:
    """Write summary.xlsx; return its path and the cells cut to Excel's limit."""
    from qzanalysis.export import to_excel
    from qzanalysis.vocab import LABELS

    sheets = {"总览": _overview(report, period)}
    for name in ("分阶段", "分资金渠道", "分行业"):
        sheets[name] = _summary_for_people(report.tables[name])
    sheets["项目明细"] = _details(report.projects)
    sheets["数据检查"] = _findings_for_people(report.findings)
    if report.links is not None:  # which name in which month was taken for which project
        sheets["跨月项目匹配"] = _links_for_people(report.links)
    formats = {}
    for key, label in LABELS.items():
        if key.endswith("_rate") or key.startswith("share_") or key == "schedule":
            formats[label] = _RATE_FORMAT
        elif "investment" in key or key == "funds_in_place":
            formats[label] = _MONEY_FORMAT
    index = {"分阶段": True, "分资金渠道": True, "分行业": True}
    sheets, cut_cells = _fit_sheets(sheets, index)
    return to_excel(sheets, path, formats=formats, index=index), cut_cells


#: The columns of the 跨月项目匹配 sheet, in Chinese (qz.link_projects' report).
_LINK_COLUMNS = {
    "project_id": "项目编号", "as_of": "月份", "project_name": "本月项目名称",
    "earlier_as_of": "此前月份", "earlier_name": "此前项目名称", "decision": "判定",
    "evidence": "依据", "score": "名称相似度", "uncertain": "需核对",
    "source_file": "文件", "source_row": "行号",
}
_DECISIONS_ZH = {"linked": "认定为同一项目", "linked-weak": "认定为同一项目（依据较弱）",
                 "pinned": "按分析人员指定合并", "apart": "未合并（视为不同项目）",
                 "exact": "名称相同"}


def _links_for_people(links: pd.DataFrame) -> pd.DataFrame:
    """The non-exact links across monthly ledgers, in Chinese; a row saying so when none."""
    cols = [c for c in _LINK_COLUMNS if c in links.columns]
    table = links[cols].copy()
    for c in ("as_of", "earlier_as_of"):
        if c in table:
            table[c] = table[c].astype("str")
    if "decision" in table:
        table["decision"] = table["decision"].map(lambda d: _DECISIONS_ZH.get(d, d))
    if "uncertain" in table:
        table["uncertain"] = table["uncertain"].map({True: "是", False: ""})
    table = table.rename(columns=_LINK_COLUMNS)
    if table.empty:
        note = {c: None for c in table.columns}
        note[_LINK_COLUMNS["evidence"]] = "各月项目名称完全一致，没有需要说明的匹配"
        table = pd.DataFrame([note], columns=table.columns)
    return table


def _fit_sheets(sheets: dict[str, pd.DataFrame], index: dict[str, bool]):
    """Cut cells longer than Excel allows, and say so in the 数据检查 sheet (one row per cell)."""
    from qzanalysis.export import EXCEL_CELL_LIMIT, escape_formulas, fit_for_excel

    notes, cut_cells = [], []
    for name, frame in sheets.items():
        # escaped first: the apostrophe counts against the limit too
        sheets[name], cuts = fit_for_excel(escape_formulas(frame), index=index.get(name, False))
        cut_cells += [(name, cut) for cut in cuts]
        notes += [{"级别": "提示", "问题": "单元格内容过长", "文件": "summary.xlsx", "工作表": name,
                   "行号": cut.row, "列": cut.column,
                   "说明": (f"此单元格原有 {cut.length:,} 个字符，超过 Excel 单元格上限 "
                            f"{EXCEL_CELL_LIMIT:,} 个字符，已截断（以“…（内容过长，已截断）”结尾）；"
                            "完整内容见原台账")} for cut in cuts]
    if notes:
        checks = sheets["数据检查"]
        sheets["数据检查"] = pd.concat([checks, pd.DataFrame(notes, columns=checks.columns)],
                                    ignore_index=True)
    return sheets, cut_cells


def _draw_charts(projects, folder: Path, *, period, funnel, monthly,
                 out) -> tuple[dict[str, Path], list[Path]]:
    """Draw and save the charts; return {caption: SVG} for the page and every file written."""
    import matplotlib.pyplot as plt

    from qzanalysis import charts
    from qzanalysis._style import TYPE_AREA_WIDTH_MM

    with _writing(out / "charts"):
        folder.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, Path] = {}
    written: list[Path] = []

    def save(name, ax, title):
        try:
            with _writing(out / "charts" / f"{name}（.png、.svg）"):
                # drawn at the width report.docx prints them at (the GB/T 9704 type area)
                files = charts.save_chart(ax, folder / name, formats=("png", "svg"),
                                          width_mm=TYPE_AREA_WIDTH_MM)
        finally:
            plt.close(ax.figure)  # saved: don't leave seven figures for a notebook to draw again
        written.extend(files)
        drawn[title] = next(f for f in files if f.suffix == ".svg")

    save("分阶段投资", charts.plot_by_stage(projects), "分阶段项目个数与总投资")
    save("项目阶段漏斗", charts.plot_stage_funnel(funnel), "从储备到竣工的项目漏斗")
    save("分资金渠道", charts.plot_by_channel(projects), "分资金渠道投资")
    save("分行业投资", charts.plot_by_industry(projects), "分行业门类投资")
    save("资金到位", charts.plot_funds_in_place(projects), "分阶段合同引资与到位资金")
    save("项目进度", charts.plot_progress(projects, period=period), "项目年度计划完成情况")
    if monthly is not None:
        save("月度累计完成", charts.plot_monthly(monthly), "逐月累计完成投资")
    return drawn, written


def _html_table(table: pd.DataFrame, *, index: bool = True) -> str:
    def fmt(value):
        if isinstance(value, float):
            return "" if pd.isna(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    # the index as an ordinary first column: one header row, and its cells don't wrap
    shown = table.reset_index() if index else table.copy()
    index = False
    for col in shown.columns:
        name = str(col)
        if "率" in name or "占比" in name or name == "时序进度":
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
    return shown.map(fmt).to_html(index=index, escape=True, border=0, classes="t", na_rep="")


def _most_serious_first(findings: pd.DataFrame) -> pd.DataFrame:
    order = findings["级别"].map({"错误": 0, "警告": 1, "提示": 2}).fillna(3)
    return findings.iloc[order.argsort(kind="stable")]


def _html_findings(findings: pd.DataFrame) -> list[str]:
    """The 数据检查 table for the page: the first HTML_FINDINGS_SHOWN, errors first, cells cut."""
    shown = _most_serious_first(findings).head(HTML_FINDINGS_SHOWN)
    shown = shown.map(lambda v: v[:_HTML_CELL_CHARS] + "…" if isinstance(v, str)
                      and len(v) > _HTML_CELL_CHARS else v)
    parts = [_html_table(shown, index=False)]
    if len(findings) > len(shown):
        parts.append(f"<p>另有 {len(findings) - len(shown):,} 条未在此列出（按错误、警告、提示排序，"
                     f"只列前 {len(shown):,} 条）；完整列表见 summary.xlsx 的“数据检查”表。</p>")
    return parts


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.7}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table.t{border-collapse:collapse;font-size:.9em;margin:.5em 0}
table.t th,table.t td{border:1px solid #ddd;padding:.2em .6em;text-align:right}
table.t th:first-child,table.t td:first-child{text-align:left;white-space:nowrap}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}
p.lead{text-indent:2em}
"""


def _write_html(report: _Contents, charts: dict[str, Path], path: Path, *, period: str) -> Path:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>项目进展情况报告（{html.escape(period)}）</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>项目进展情况报告（{html.escape(period)}）</h1>",
        f'<p class="lead">{html.escape(report.narrative)}</p>',
        "<h2>总览</h2>",
        _html_table(_overview(report, period), index=False),
    ]
    for name in ("分阶段", "分资金渠道", "分行业"):
        parts += [f"<h2>{name}</h2>", _html_table(_summary_for_people(report.tables[name]))]
    parts.append("<h2>图表</h2>")
    for title, svg in charts.items():
        body = svg.read_text(encoding="utf-8")
        body = body[body.find("<svg"):]  # inline: no XML prolog or DOCTYPE inside HTML
        parts.append(f"<figure>{body}<figcaption>{html.escape(title)}</figcaption></figure>")
    findings = _findings_for_people(report.findings)
    parts += [f"<h2>数据检查（{len(findings)} 条）</h2>", *_html_findings(findings)]
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
