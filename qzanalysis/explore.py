"""Exploring the projects: filter them by category or town, and an interactive chart browser.

:func:`filter_projects` is plain pandas: it selects the projects of some stages, funding
channels, industry sections, section rows or towns, and returns a new frame.
:func:`explorer` builds an ipywidgets panel for JupyterLab: dropdowns for 图表, 阶段,
资金渠道, 行业门类 and 乡镇 (filled from the values present in the data) that redraw a
chart (:mod:`qzanalysis.charts`) and a summary table (:func:`qzanalysis.metrics.summarize`)
on every change. ipywidgets (the ``lab`` extra) and matplotlib are imported only when
:func:`explorer` is called.

Examples
--------
>>> import pandas as pd
>>> from qzanalysis.explore import filter_projects
>>> df = pd.DataFrame({
...     "project_name": ["甲", "乙", "丙", "丁"],
...     "stage": ["续建", "新签约", "续建", "续建"],
...     "location": ["秦州区皂郊镇罗家村", "皂郊镇", "汪川镇", None],
...     "total_investment": [4200.0, 2100.0, 800.0, 300.0],
... })
>>> filter_projects(df, stage="续建", location="皂郊镇")["project_name"].tolist()
['甲']
>>> filter_projects(df, location=["皂郊镇", "汪川镇"])["project_name"].tolist()
['甲', '乙', '丙']
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import pandas as pd

from qzanalysis.metrics import summarize
from qzanalysis.vocab import FUNDING_CHANNELS, LABELS, STAGES

__all__ = ["CHARTS", "filter_projects", "explorer"]

#: Charts :func:`explorer` can draw: name -> Chinese label (the 图表 dropdown).
CHARTS: dict[str, str] = {
    "by_stage": "分阶段",
    "by_channel": "分资金渠道",
    "by_industry": "分行业门类",
    "progress": "逐项目进度",
    "funds_in_place": "合同引资与到位资金",
}
#: The summary table under each chart is grouped by this column.
_SUMMARY_BY: dict[str, str] = {
    "by_stage": "stage",
    "by_channel": "funding_channel",
    "by_industry": "industry_section",
    "progress": "stage",
    "funds_in_place": "stage",
}
_SECTIONS = tuple(chr(c) for c in range(ord("A"), ord("T") + 1))
#: filter argument -> (column, allowed values or None, Chinese name)
_FILTERS: dict[str, tuple[str, tuple[str, ...] | None, str]] = {
    "stage": ("stage", STAGES, "阶段"),
    "funding_channel": ("funding_channel", FUNDING_CHANNELS, "资金渠道"),
    "industry_section": ("industry_section", _SECTIONS, "行业门类"),
    "section": ("section", None, "项目分类"),
    "location": ("location", None, "建设地点"),
}
#: A town (乡、镇、街道) inside 建设地点: after the start, a county/district name or a separator.
_TOWN = r"(?:^|[省市县区、，,；;/\s])(?P<town>[^省市县区、，,；;/\s]{1,8}?(?:街道|镇|乡))"
_SUMMARY_SHOWN = (
    "projects",
    "total_investment",
    "contracted_investment",
    "completed_investment",
    "funds_in_place",
    "plan_rate",
    "funds_rate",
)
_ALL = ""  # the dropdowns' 全部 entry
_INSTALL_HINT = (
    "交互式浏览需要 ipywidgets：请运行 `make lab`，或在本环境中 `pip install ipywidgets`，"
    "然后重启内核。 / The explorer needs ipywidgets: run `make lab` or "
    "`pip install ipywidgets`, then restart the kernel."
)


# --------------------------------------------------------------------------- filtering


def _as_list(name: str, value, allowed: tuple[str, ...] | None) -> list[str] | None:
    """A filter argument as a list of strings (None: no filter); unknown values raise."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
    if not values:
        raise ValueError(
            f"{name} 不能是空列表（不筛选请用 None） / `{name}` must not be an empty list; "
            "use None for no filter"
        )
    values = [str(v) for v in values]
    if allowed is not None:
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValueError(
                f"{name} 的取值“{'、'.join(bad)}”无法识别，应为：{'、'.join(allowed)} / "
                f"unknown {name} {bad}; expected one of {', '.join(allowed)}"
            )
    return values


def filter_projects(
    df: pd.DataFrame,
    *,
    stage: str | Sequence[str] | None = None,
    funding_channel: str | Sequence[str] | None = None,
    industry_section: str | Sequence[str] | None = None,
    location: str | Sequence[str] | None = None,
    section: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The projects that match every given filter.

    Each filter is None (no filter), one value, or a list of values (any of them).
    Filters combine with AND. A project whose column is missing matches no value.

    Parameters
    ----------
    df : DataFrame
        Projects (``ledger.projects``; ``qz.classify(...)``'s result for
        ``funding_channel`` and ``industry_section``). Not modified.
    stage : str or list of str, optional
        Stages from :data:`qzanalysis.vocab.STAGES` (续建, 新签约, …).
    funding_channel : str or list of str, optional
        Channels from :data:`qzanalysis.vocab.FUNDING_CHANNELS` (自筹资金, 多渠道, …).
    industry_section : str or list of str, optional
        GB/T 4754-2017 section letters A–T (``"C"`` 制造业).
    location : str or list of str, optional
        Text found anywhere in 建设地点 (``location``), e.g. a town name: ``"皂郊镇"``
        matches ``"秦州区皂郊镇罗家村"``. Plain text, not a regular expression.
    section : str or list of str, optional
        Section rows that are not stages (``section``: 工业项目, 基础设施类, …), exactly.

    Returns
    -------
    DataFrame
        The matching rows, a new frame with the same columns and index labels.

    Raises
    ------
    ValueError
        If a filter's column is absent (call ``qz.classify`` first for channel and
        industry), a stage, channel or section letter is not in its vocabulary, or a
        filter is an empty list.

    Examples
    --------
    >>> df = pd.DataFrame({"project_name": ["甲", "乙", "丙"],
    ...                    "stage": ["续建", "新签约", "续建"],
    ...                    "industry_section": ["C", "C", "A"]})
    >>> filter_projects(df, stage="续建", industry_section=["C", "F"])["project_name"].tolist()
    ['甲']
    >>> filter_projects(df, stage="续見")
    Traceback (most recent call last):
    ...
    ValueError: stage 的取值“续見”无法识别，应为：储备、前期、洽谈、新签约、新开工、续建、竣工 / unknown stage ['续見']; expected one of 储备, 前期, 洽谈, 新签约, 新开工, 续建, 竣工
    """
    given = {
        "stage": stage,
        "funding_channel": funding_channel,
        "industry_section": industry_section,
        "section": section,
        "location": location,
    }
    keep = pd.Series(True, index=df.index)
    for name, value in given.items():
        column, allowed, label = _FILTERS[name]
        values = _as_list(name, value, allowed)
        if values is None:
            continue
        if column not in df.columns:
            hint = "，请先运行 qz.classify" if name in ("funding_channel", "industry_section") else ""
            raise ValueError(
                f"项目表没有“{label}”列（{column}）{hint} / column {column!r} is absent"
                + ("; call qz.classify first" if hint else "")
            )
        if name == "location":
            text = df[column].astype("str")
            match = pd.Series(False, index=df.index)
            for town in values:
                match |= text.str.contains(town, regex=False, na=False)
        else:
            match = df[column].astype("str").isin(values) & df[column].notna()
        keep &= match
    return df.loc[keep.to_numpy()].copy()


def _towns(locations: pd.Series) -> pd.Series:
    """Towns (乡、镇、街道) named in 建设地点, with their number of projects, most first.

    A location without a recognisable town counts as itself (e.g. ``"经济开发区"``);
    a location naming two towns (``"汪川镇、中梁乡"``) counts for both.
    """
    text = locations.dropna().astype("str").str.strip()
    text = text[text != ""]
    found = text.str.extractall(_TOWN)["town"]
    matched = found.index.get_level_values(0)
    towns = pd.concat([
        found.groupby(level=0).unique().explode(),  # a town named twice counts once
        text[~text.index.isin(matched)],
    ])
    counts = towns.value_counts()
    order = sorted(counts.index, key=lambda t: (-counts[t], t))
    return counts.reindex(order).rename("projects")


# --------------------------------------------------------------------------- explorer


def _options(df: pd.DataFrame, column: str, order: Sequence[str] | None) -> list[tuple[str, str]]:
    """Dropdown entries ``("续建（31）", "续建")`` for the values present, in order."""
    counts = df[column].dropna().astype("str").value_counts()
    values = [v for v in order if v in counts.index] if order else []
    values += sorted((v for v in counts.index if v not in values), key=lambda v: -counts[v])
    names: dict[str, str] = {}
    if column == "industry_section":
        from qzanalysis.industry import sections

        names = sections().set_index("section")["short_name"].to_dict()
    return [(f"{v} {names[v]}（{counts[v]}）" if v in names else f"{v}（{counts[v]}）", v)
            for v in values]


def _money(x: float) -> str:
    return "—" if pd.isna(x) else f"{x:,.0f}"


def _rate(x: float) -> str:
    return "—" if pd.isna(x) else f"{x:.1%}"


def _summary_html(subset: pd.DataFrame, by: str) -> str:
    """The summary of ``subset`` by ``by`` as an HTML table with Chinese headers."""
    table = summarize(subset, by=by)[list(_SUMMARY_SHOWN)]
    if by == "industry_section":
        from qzanalysis.industry import sections

        names = sections().set_index("section")["short_name"]
        table.index = [f"{s} {names[s]}" if s in names.index else s for s in table.index]
    formatters = {c: _rate if c.endswith("_rate") else _money for c in _SUMMARY_SHOWN}
    formatters["projects"] = lambda n: f"{n:.0f}"
    table = table.rename(columns=LABELS)
    formatters = {LABELS[c]: f for c, f in formatters.items()}
    table.index.name = None
    table.columns.name = LABELS.get(by, by)  # top-left corner: one header row, not two
    return table.to_html(formatters=formatters, na_rep="—", border=0, justify="center")


def _chart(subset: pd.DataFrame, chart: str, *, value: str, period, top: int | None, title: str):
    """Draw ``chart`` for ``subset`` on a new figure and return the Axes."""
    from qzanalysis import charts

    if chart == "by_stage":
        return charts.plot_by_stage(subset, value=value, title=title)
    if chart == "by_channel":
        return charts.plot_by_channel(subset, value=value, title=title)
    if chart == "by_industry":
        return charts.plot_by_industry(subset, value=value, title=title)
    if chart == "progress":
        return charts.plot_progress(subset, period=period, top=top, title=title)
    return charts.plot_funds_in_place(subset, by="stage", title=title)


def _png(ax, dpi: int) -> bytes:
    """The figure of ``ax`` as PNG bytes; the figure is closed (nothing left for pyplot)."""
    import matplotlib.pyplot as plt

    from qzanalysis.charts import house_style

    fig = ax.get_figure(root=True)
    buffer = io.BytesIO()
    try:
        with house_style():
            fig.savefig(buffer, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def explorer(
    projects: pd.DataFrame,
    *,
    chart: str = "by_stage",
    value: str = "total_investment",
    period=None,
    top: int | None = 20,
    stage: str | None = None,
    funding_channel: str | None = None,
    industry_section: str | None = None,
    location: str | None = None,
    dpi: int = 110,
):
    """An interactive panel for JupyterLab: filters that redraw a chart and a summary table.

    Dropdowns (labels in Chinese, entries with their number of projects, each with a
    全部 entry): 图表 (:data:`CHARTS`), 阶段, 资金渠道, 行业门类, 乡镇 (the towns named
    in 建设地点), and 项目分类 when the ledger has section rows. On every change the
    projects are filtered with :func:`filter_projects`, the chosen chart is drawn, and
    a summary (:func:`qzanalysis.metrics.summarize`, by the chart's category) is shown
    under it with a one-line count. The chart is shown as a PNG image widget, so it
    needs no matplotlib backend set-up and leaves no open figure behind.

    Parameters
    ----------
    projects : DataFrame
        Classified projects (``qz.classify(ledger.projects)``). Not modified.
    chart : str, default ``"by_stage"``
        The chart shown first: ``"by_stage"``, ``"by_channel"``, ``"by_industry"``,
        ``"progress"`` or ``"funds_in_place"``.
    value : str, default ``"total_investment"``
        What the bars of by_stage, by_channel and by_industry measure (a money column,
        or ``"projects"``); see :func:`qzanalysis.charts.plot_by_stage`.
    period : str, optional
        The report period of the progress chart (its 时序进度 line). Default: each
        row's ``as_of`` when the projects have that column (the ledger's own month),
        else ``"1-6月"``; see :func:`qzanalysis.charts.plot_progress`.
    top : int or None, default 20
        The progress chart shows at most this many projects (largest 本年计划投资).
    stage, funding_channel, industry_section, location : str, optional
        The filters selected at first (one value each, among the values present;
        ``location`` is a town as listed in the 乡镇 dropdown).
    dpi : int, default 110
        Resolution of the chart image.

    Returns
    -------
    ipywidgets.VBox
        The panel; display it (last line of a cell, or ``display(...)``).

    Raises
    ------
    ImportError
        If ipywidgets is not installed (hint: ``make lab`` or ``pip install ipywidgets``).
    ValueError
        If ``chart`` is unknown, the classification columns are absent (call
        ``qz.classify`` first), or an initial filter value is not among the values present.

    Examples
    --------
    >>> import qzanalysis as qz
    >>> from qzanalysis.explore import explorer
    >>> projects = qz.classify(qz.load("data/raw/qinzhou_h1_projects.xlsx").projects)  # doctest: +SKIP
    >>> explorer(projects, chart="by_channel", stage="续建")  # doctest: +SKIP
    """
    if chart not in CHARTS:
        raise ValueError(
            f"无法识别的图表“{chart}”，应为：{'、'.join(CHARTS)} / "
            f"chart must be one of {', '.join(CHARTS)}; got {chart!r}"
        )
    missing = [c for c in ("stage", "funding_channel", "industry_section") if c not in projects]
    if missing:
        raise ValueError(
            f"项目表缺少分类列 {'、'.join(missing)}，请先运行 qz.classify / "
            f"columns {missing} are absent; call qz.classify first"
        )
    try:
        import ipywidgets as widgets
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error

    data = projects.copy()
    towns = _towns(data["location"]) if "location" in data else pd.Series(dtype="int64")
    choices: dict[str, tuple[str, list[tuple[str, str]]]] = {
        "stage": ("阶段", _options(data, "stage", STAGES)),
        "funding_channel": ("资金渠道", _options(data, "funding_channel", FUNDING_CHANNELS)),
        "industry_section": ("行业门类", _options(data, "industry_section", _SECTIONS)),
        "location": ("乡镇", [(f"{t}（{n}）", t) for t, n in towns.items()]),
    }
    if "section" in data and data["section"].notna().any():
        choices["section"] = ("项目分类", _options(data, "section", None))
    initial = {"stage": stage, "funding_channel": funding_channel,
               "industry_section": industry_section, "location": location}

    style = {"description_width": "initial"}
    chart_pick = widgets.Dropdown(
        description="图表", options=[(label, name) for name, label in CHARTS.items()],
        value=chart, style=style, layout=widgets.Layout(width="240px"),
    )
    filters: dict[str, widgets.Dropdown] = {}
    for name, (label, options) in choices.items():
        first = initial.get(name)
        allowed = [v for _, v in options]
        if first is not None and first not in allowed:
            raise ValueError(
                f"{name}=“{first}”不在数据中，可选：{'、'.join(allowed)} / "
                f"{name}={first!r} is not among the values present"
            )
        filters[name] = widgets.Dropdown(
            description=label, options=[("全部", _ALL), *options],
            value=_ALL if first is None else first, style=style,
            layout=widgets.Layout(width="240px"),
        )
    status = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    table = widgets.HTML()

    def redraw(change=None) -> None:
        selected = {k: w.value for k, w in filters.items() if w.value != _ALL}
        subset = filter_projects(data, **selected)
        n, total = len(subset), subset.get("total_investment", pd.Series(dtype="float64"))
        where = "；".join(f"{choices[k][0]}：{v}" for k, v in selected.items())
        head = f"符合条件的项目：{n}个（共{len(data)}个）"
        if n == 0:
            status.value = f"<b>{head}</b>{'，筛选条件：' + where if where else ''}"
            image.value = b""
            table.value = ""
            return
        status.value = (f"<b>{head}</b>，总投资{_money(total.sum(min_count=1))}万元"
                        f"{'；筛选条件：' + where if where else ''}")
        title = CHARTS[chart_pick.value] + (f"（{where}）" if where else "")
        ax = _chart(subset, chart_pick.value, value=value, period=period, top=top, title=title)
        image.value = _png(ax, dpi)
        table.value = _summary_html(subset, _SUMMARY_BY[chart_pick.value])

    for w in (chart_pick, *filters.values()):
        w.observe(redraw, names="value")
    redraw()
    rows = [chart_pick, *filters.values()]
    controls = widgets.GridBox(
        rows, layout=widgets.Layout(grid_template_columns="repeat(3, 250px)", grid_gap="4px"),
    )
    return widgets.VBox([controls, status, image, table])
