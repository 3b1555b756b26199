"""The report bundle: summary.xlsx, charts (PNG and SVG) and report.html, from one or more ledgers.

``qzanalysis report`` on the command line calls :func:`build_report`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qzanalysis.errors import LedgerError

__all__ = ["build_report", "Report", "sample_paths", "period_label"]

_REPO = Path(__file__).resolve().parents[1]
_SAMPLE = _REPO / "data" / "raw"




def sample_paths() -> dict[str, Path | None]:
    """The bundled sample: the half-year ledger, the monthly folder and the pipeline ledger."""
    h1 = _SAMPLE / "qinzhou_h1_projects.xlsx"
    if not h1.exists():
        raise LedgerError(
            f"找不到自带的示例台账 {h1}（示例数据随代码仓库提供，请在仓库目录中运行）", file=h1
        )
    monthly = _SAMPLE / "monthly"
    pipeline = _SAMPLE / "qinzhou_pipeline.xlsx"
    return {
        "ledger": h1,
        "monthly": monthly if monthly.is_dir() else None,
        "pipeline": pipeline if pipeline.exists() else None,
    }


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


@dataclass
class Report:
    """What :func:`build_report` wrote and computed."""

    out: Path
    projects: pd.DataFrame
    findings: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    narrative: str
    files: list[Path] = field(default_factory=list)


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
) -> Report:
    """Read ledgers, classify, compute the metrics and write the report bundle to ``out``.

    Parameters
    ----------
    paths : list of paths, optional
        Ledgers of one programme (read and put together). None: the bundled sample,
        with its monthly ledgers and pipeline ledger.
    out : folder
        Where ``summary.xlsx``, ``report.html`` and ``charts/`` are written (created).
    period : str
        The report period, e.g. ``"1-6月"``; sets 时序进度 and the narrative's wording.
    unit : {"万元", "亿元"}
        Unit of the figures in the narrative.
    monthly : folder, optional
        Monthly ledgers of the same programme, for the S-curve chart.
    pipeline : path, optional
        A ledger of earlier-stage projects (储备, 洽谈 …) for the stage funnel.
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
    out.mkdir(parents=True, exist_ok=True)

    _, projects, findings = _read_all(paths, progress)
    projects = project_progress(classify(projects), period=period)

    tables = {
        "分阶段": summarize(projects, by="stage"),
        "分资金渠道": summarize(projects, by="funding_channel"),
        "分行业": _with_section_names(summarize(projects, by="industry_section")),
        "分三次产业": summarize(projects, by="sector"),
    }
    text = narrative(projects, period=period_label(period), unit=unit)

    report = Report(out=out, projects=projects, findings=findings, tables=tables, narrative=text)
    charts = _draw_charts(projects, out / "charts", period=period, monthly=monthly,
                          pipeline=pipeline, report=report)
    report.files.append(_write_excel(report, out / "summary.xlsx", period=period))
    report.files.append(_write_html(report, charts, out / "report.html", period=period))
    return report


def _with_section_names(table: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.rules import load_table

    names = load_table("gbt4754_sections").set_index("section")["name"]
    labels = [f"{code} {names[code]}" if code in names.index else code for code in table.index]
    return table.set_axis(pd.Index(labels, name="行业门类"), axis=0)


def _overview(report: Report, period: str) -> pd.DataFrame:
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
    from qzanalysis.metrics import LABELS

    names = [LABELS.get(n, n) if isinstance(n, str) else n for n in table.index.names]
    return table.rename(columns=LABELS).rename_axis(index=names)


def _details(projects: pd.DataFrame) -> pd.DataFrame:
    from qzanalysis.metrics import LABELS

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


def _write_excel(report: Report, path: Path, *, period: str) -> Path:
    from qzanalysis.export import to_excel
    from qzanalysis.metrics import LABELS

    sheets = {"总览": _overview(report, period)}
    for name in ("分阶段", "分资金渠道", "分行业"):
        sheets[name] = _summary_for_people(report.tables[name])
    sheets["项目明细"] = _details(report.projects)
    sheets["数据检查"] = _findings_for_people(report.findings)
    formats = {}
    for key, label in LABELS.items():
        if key.endswith("_rate") or key.startswith("share_") or key == "schedule":
            formats[label] = _RATE_FORMAT
        elif "investment" in key or key == "funds_in_place":
            formats[label] = _MONEY_FORMAT
    index = {"分阶段": True, "分资金渠道": True, "分行业": True}
    return to_excel(sheets, path, formats=formats, index=index)


def _draw_charts(projects, folder: Path, *, period, monthly, pipeline, report) -> dict[str, Path]:
    import matplotlib.pyplot as plt

    from qzanalysis import charts
    from qzanalysis.reading.many import load_many

    folder.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, Path] = {}

    def save(name, ax, title):
        files = charts.save_chart(ax, folder / name, formats=("png", "svg"))
        plt.close(ax.figure)  # saved: don't leave seven figures for a notebook to draw again
        report.files.extend(files)
        drawn[title] = next(f for f in files if f.suffix == ".svg")

    save("分阶段投资", charts.plot_by_stage(projects), "分阶段项目个数与总投资")
    funnel = projects
    if pipeline is not None:
        from qzanalysis.classify import classify
        from qzanalysis.reading import load

        funnel = pd.concat([classify(load(pipeline).projects), projects], ignore_index=True)
    save("项目阶段漏斗", charts.plot_stage_funnel(funnel), "从储备到竣工的项目漏斗")
    save("分资金渠道", charts.plot_by_channel(projects), "分资金渠道投资")
    save("分行业投资", charts.plot_by_industry(projects), "分行业门类投资")
    save("资金到位", charts.plot_funds_in_place(projects), "分阶段合同引资与到位资金")
    save("项目进度", charts.plot_progress(projects, period=period), "项目年度计划完成情况")
    if monthly is not None:
        save("月度累计完成", charts.plot_monthly(load_many(monthly)), "逐月累计完成投资")
    return drawn


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


def _write_html(report: Report, charts: dict[str, Path], path: Path, *, period: str) -> Path:
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
    parts += [f"<h2>数据检查（{len(findings)} 条）</h2>", _html_table(findings, index=False)]
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
