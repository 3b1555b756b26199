"""Report charts with Chinese labels: one function per chart, each returning its Axes.

Every ``plot_*`` function takes the data first and keyword-only options, draws on
``ax`` (or on a new 16 cm wide figure), returns the Axes, and never modifies its
input. Amounts are read in 万元 and drawn in 万元 (bar heights are the summarised
values); the axis shows 万元 or 亿元 (``unit="auto"``: 亿元 once the largest value
reaches 1亿). Common options:

``title``
    Title at the top left (default: none; report captions carry the title).
``source``
    Source note at the bottom left (default ``"数据来源：项目台账"``; None: none).
``unit``
    ``"auto"``, ``"万元"`` or ``"亿元"`` for money axes and labels.
``**kwargs``
    Passed to the main drawing call (``ax.bar`` / ``ax.barh`` / ``ax.plot``).

The house style (font, sizes, palette) lives in :mod:`qzanalysis._style`; the Chinese
font is chosen once by :mod:`qzanalysis._fonts`. ``with house_style(): ...`` applies the
same rcParams (Chinese font included) to an analyst's own matplotlib code. Aggregation is
:func:`qzanalysis.metrics.summarize` (the 合计 row is not drawn) and
:func:`qzanalysis.metrics.progress`.

Examples
--------
>>> import pandas as pd
>>> from qzanalysis.charts import plot_by_stage, save_chart
>>> df = pd.DataFrame({"project_name": ["甲", "乙", "丙"], "stage": ["续建", "新签约", "续建"],
...                    "total_investment": [12000.0, 8000.0, 30000.0]})
>>> ax = plot_by_stage(df)
>>> [t.get_text() for t in ax.get_xticklabels()]
['新签约', '续建']
>>> [float(bar.get_height()) for bar in ax.containers[0]]
[8000.0, 42000.0]
>>> ax.get_ylabel()
'总投资（亿元）'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from qzanalysis._style import (
    ACCENT_COLOR,
    BASE_COLOR,
    DEFAULT_SOURCE,
    FIG_HEIGHT,
    GUIDE_COLOR,
    LIGHT_COLOR,
    MISSING_COLOR,
    SECTOR_COLORS,
    SMALL_SIZE,
    finish_axes,
    house_style,
    legend_above,
    money_axis,
    new_axes,
    stage_color,
)
from qzanalysis.metrics import LABELS, SUMMARY_COLUMNS, monthly_totals, progress, summarize
from qzanalysis.vocab import MONEY_COLUMNS, STAGES

__all__ = [
    "plot_by_stage",
    "plot_stage_funnel",
    "plot_by_channel",
    "plot_by_industry",
    "plot_progress",
    "plot_monthly",
    "plot_funds_in_place",
    "save_chart",
    "house_style",
]

TOTAL_LABEL = "合计"
OTHER_LABEL = "其他"
#: Summary columns a chart can draw as ``value``.
VALUES: tuple[str, ...] = ("projects", *(c for c in SUMMARY_COLUMNS if c in MONEY_COLUMNS))
_NAME_CHARS = 18


# --------------------------------------------------------------------------- helpers


def _check_value(value: str) -> None:
    if value not in VALUES:
        raise ValueError(
            f"无法绘制“{value}”，value 应为以下之一：{'、'.join(VALUES)} / "
            f"value must be one of {', '.join(VALUES)}; got {value!r}"
        )


def _summary(df: pd.DataFrame, by: str, *, observed: bool = True) -> pd.DataFrame:
    """:func:`summarize` without its final 合计 row."""
    table = summarize(df, by=by, observed=observed)
    if len(table) and table.index[-1] == TOTAL_LABEL:
        table = table.iloc[:-1]
    return table


class _Values:
    """How the drawn quantity is labelled: money (万元/亿元) or project counts."""

    def __init__(self, value: str, data, unit: str | None):
        self.value = value
        self.money = value != "projects"
        self.axis = money_axis(data, unit) if self.money else None

    @property
    def label(self) -> str:
        base = LABELS.get(self.value, self.value)
        return self.axis.label(base) if self.axis else base

    def text(self, x: float) -> str:
        if self.axis:
            return self.axis.text(x)
        return "—" if x is None or math.isnan(x) else f"{x:,.0f}个"

    def format(self, axis) -> None:
        if self.axis:
            axis.set_major_formatter(self.axis.formatter())
        else:
            axis.set_major_locator(ticker.MaxNLocator(integer=True))
            axis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))


def _amount_and_count(values: _Values, amount: float, count: int, *, stacked: bool) -> str:
    """``"4.55\n25个"`` above a column, ``"4.55（25个）"`` beside a horizontal bar."""
    if not values.money:
        return f"{count}个"
    if stacked:
        return f"{values.text(amount)}\n{count}个"
    return f"{values.text(amount)}（{count}个）"


def _headroom(ax: Axes, axis: str, data, factor: float = 1.22) -> None:
    """Leave room beyond the largest bar for its data label."""
    finite = np.asarray(data, dtype="float64")
    finite = finite[np.isfinite(finite)]
    top = max(float(finite.max()), 0.0) if finite.size else 0.0
    bottom = min(float(finite.min()), 0.0) if finite.size else 0.0
    if top == bottom:
        return
    # a negative amount (a data error worth seeing) gets room for its label below the bar
    low, high = bottom * (2 * factor - 1), top * factor
    if axis == "y":
        ax.set_ylim(low, high)
    else:
        ax.set_xlim(low, high)


def _short(name: str, n: int = _NAME_CHARS) -> str:
    name = str(name)
    return name if len(name) <= n else name[: n - 1] + "…"


def _text_color(face: str) -> str:
    r, g, b = mpl.colors.to_rgb(face)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "#222222"


def _note(*parts: str | None) -> str | None:
    """The note under a chart: parts joined by "；", one per line when that is too long
    for 16 cm at 7.5 pt (about 56 characters)."""
    shown = [p for p in parts if p]
    if not shown:
        return None
    line = "；".join(shown)
    return line if len(line) <= 56 else "\n".join(shown)


# --------------------------------------------------------------------------- by stage


def plot_by_stage(
    df: pd.DataFrame,
    *,
    value: str = "total_investment",
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Projects and investment by stage: one bar per stage, in pipeline order.

    Bar height: the stage's ``value`` summed (:func:`~qzanalysis.metrics.summarize`);
    above each bar, that amount and the number of projects (``7.10`` over ``31个``). Bars are
    coloured by stage (the same colours in every chart). Projects without a stage form
    a grey 未明确阶段 bar at the end.

    Parameters
    ----------
    df : DataFrame
        Projects with a ``stage`` column. Not modified.
    value : str, default ``"total_investment"``
        A money column of the summary (``contracted_investment``, ``completed_investment``,
        ``funds_in_place``, …) or ``"projects"``.
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to ``ax.bar``.
    ax : Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    Axes
    """
    _check_value(value)
    table = _summary(df, "stage")
    heights = table[value].to_numpy(dtype="float64")
    stages = [str(s) for s in table.index]
    with house_style():
        ax = new_axes(ax)
        values = _Values(value, heights, unit)
        x = np.arange(len(stages))
        bar_kw = {"color": [stage_color(s) for s in stages], "width": 0.62} | kwargs
        bars = ax.bar(x, heights, **bar_kw)
        ax.set_xticks(x, stages)
        ax.bar_label(
            bars,
            labels=[
                _amount_and_count(values, h, n, stacked=True)
                for h, n in zip(heights, table["projects"], strict=True)
            ],
            padding=2,
            fontsize=SMALL_SIZE,
            color="#333333",
        )
        values.format(ax.yaxis)
        ax.set_ylabel(values.label)
        _headroom(ax, "y", heights)
        finish_axes(ax, value_axis="y", title=title, source=source)
    return ax


def plot_stage_funnel(
    df: pd.DataFrame,
    *,
    value: str = "total_investment",
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """The project pipeline from 储备 to 竣工 as a funnel of centred horizontal bars.

    Every stage of the vocabulary has a row, top to bottom in pipeline order, even
    with no project (a bar of width 0, labelled ``0个``). Bar width: the stage's
    ``value``; each bar is centred on 0 (it spans −width/2 … width/2). Label: the
    number of projects and the amount. Projects without a stage are not in the funnel;
    the note under the chart says how many there are.

    Parameters
    ----------
    df : DataFrame
        Projects with a ``stage`` column. Not modified.
    value : str, default ``"total_investment"``
        Money column or ``"projects"`` (width by number of projects).
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to ``ax.barh``.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    _check_value(value)
    table = _summary(df, "stage", observed=False)
    pipeline = table.reindex(list(STAGES))
    counts = pipeline["projects"].fillna(0).astype("int64").to_numpy()
    amounts = pipeline[value].to_numpy(dtype="float64")
    widths = np.where(np.isfinite(amounts), amounts, 0.0)
    unstaged = int(table.loc[~table.index.isin(STAGES), "projects"].sum())
    with house_style():
        ax = new_axes(ax)
        values = _Values(value, amounts, unit)
        y = np.arange(len(STAGES))
        colors = [stage_color(s) for s in STAGES]
        bar_kw = {"color": colors, "height": 0.72} | kwargs
        bars = ax.barh(y, widths, left=-widths / 2, **bar_kw)
        widest = float(widths.max()) if widths.size and widths.max() > 0 else 1.0
        for bar, stage, n, amount, w in zip(bars, STAGES, counts, amounts, widths, strict=True):
            if values.money:
                label = f"{n}个，{values.text(amount)}{values.axis.unit}" if n else "0个"
                if n and not np.isfinite(amount):
                    label = f"{n}个，金额不详"
            else:
                label = f"{n}个"
            inside = w >= 0.38 * widest
            ax.annotate(
                label,
                xy=(0 if inside else w / 2, bar.get_y() + bar.get_height() / 2),
                xytext=(0 if inside else 4, 0),
                textcoords="offset points",
                ha="center" if inside else "left",
                va="center",
                fontsize=SMALL_SIZE,
                color=_text_color(stage_color(stage)) if inside else "#333333",
            )
        ax.set_yticks(y, list(STAGES))
        ax.set_ylim(len(STAGES) - 0.5, -0.5)  # 储备 at the top
        ax.set_xlim(-widest * 0.58, widest * 0.58)
        ax.xaxis.set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        note = f"另有未明确阶段的项目{unstaged}个，未列入" if unstaged else None
        finish_axes(ax, value_axis=None, title=title, source=_note(source, note))
    return ax


# --------------------------------------------------------------------------- by channel


def plot_by_channel(
    df: pd.DataFrame,
    *,
    value: str = "total_investment",
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Amounts by funding channel: horizontal bars in the order of ``FUNDING_CHANNELS``.

    Bar length: the channel's ``value`` summed; label: amount and number of projects.
    Projects without a channel form a grey 未分类 bar at the bottom.

    Parameters
    ----------
    df : DataFrame
        Projects with ``funding_channel`` (``qz.classify``'s result). Not modified.
    value : str, default ``"total_investment"``
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to ``ax.barh``.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    _check_value(value)
    table = _summary(df, "funding_channel")
    labels = [str(s) for s in table.index]
    colors = [MISSING_COLOR if s == "未分类" else BASE_COLOR for s in labels]
    return _hbars(
        table, labels, colors, value=value, unit=unit, title=title, source=source, ax=ax,
        kwargs=kwargs,
    )


def _hbars(
    table: pd.DataFrame,
    labels: Sequence[str],
    colors: Sequence[str],
    *,
    value: str,
    unit,
    title,
    source,
    ax,
    kwargs,
    legend: list | None = None,
    note: str | None = None,
) -> Axes:
    """Horizontal bars, first row at the top, labels（amount and count）at the bar ends."""
    lengths = table[value].to_numpy(dtype="float64")
    height = max(FIG_HEIGHT * 0.75, 0.9 + 0.32 * len(labels))
    with house_style():
        ax = new_axes(ax, height=height)
        values = _Values(value, lengths, unit)
        y = np.arange(len(labels))
        bar_kw = {"color": list(colors), "height": 0.62} | kwargs
        bars = ax.barh(y, lengths, **bar_kw)
        ax.set_yticks(y, list(labels))
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.bar_label(
            bars,
            labels=[
                _amount_and_count(values, v, n, stacked=False)
                for v, n in zip(lengths, table["projects"], strict=True)
            ],
            padding=3,
            fontsize=SMALL_SIZE,
            color="#333333",
        )
        values.format(ax.xaxis)
        ax.set_xlabel(values.label)
        _headroom(ax, "x", lengths, factor=1.3)
        if legend:
            legend_above(ax, handles=legend)
        finish_axes(ax, value_axis="x", title=title, source=_note(source, note))
    return ax


# --------------------------------------------------------------------------- by industry


def _sections() -> pd.DataFrame:
    from qzanalysis.rules import load_table

    return load_table("gbt4754_sections").set_index("section")


def plot_by_industry(
    df: pd.DataFrame,
    *,
    value: str = "total_investment",
    top: int | None = None,
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Investment by industry section (GB/T 4754-2017 门类), largest at the top.

    Sections are labelled with their official short names
    (``qzanalysis/rules/gbt4754_sections.csv``, column ``short_name``) and coloured by
    sector (第一/第二/第三产业). Sorted by ``value``, descending (missing last). With
    ``top=n``, the n largest sections are drawn and the rest summed into one 其他 bar.
    Projects without a section form a grey 未分类 bar, never dropped.

    Parameters
    ----------
    df : DataFrame
        Projects with ``industry_section`` (``qz.classify``'s result). Not modified.
    value : str, default ``"total_investment"``
    top : int, optional
        How many sections to show before 其他.
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to ``ax.barh``.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    _check_value(value)
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top 应为正整数 / top must be a positive integer, got {top!r}")
    table = _summary(df, "industry_section")[["projects", value]]
    unclassified = table[~table.index.isin(_sections().index)]
    table = table[table.index.isin(_sections().index)]
    table = table.iloc[
        np.lexsort((-table["projects"].to_numpy(), -table[value].fillna(-np.inf).to_numpy()))
    ]
    if top is not None and len(table) > top:
        rest = table.iloc[top:]
        other = pd.DataFrame(
            {"projects": [int(rest["projects"].sum())], value: [rest[value].sum(min_count=1)]},
            index=[OTHER_LABEL],
        )
        table = pd.concat([table.iloc[:top], other])
    table = pd.concat([table, unclassified])
    sections = _sections()
    labels = [
        sections.at[s, "short_name"] if s in sections.index else str(s) for s in table.index
    ]
    sectors = [sections.at[s, "sector"] if s in sections.index else None for s in table.index]
    colors = [SECTOR_COLORS.get(s, MISSING_COLOR) for s in sectors]
    present = [s for s in SECTOR_COLORS if s in sectors]
    legend = [Patch(color=SECTOR_COLORS[s], label=s) for s in present] if present else None
    return _hbars(
        table, labels, colors, value=value, unit=unit, title=title, source=source, ax=ax,
        kwargs=kwargs, legend=legend,
    )


# --------------------------------------------------------------------------- progress


def plot_progress(
    df: pd.DataFrame,
    *,
    period="1-6月",
    lag_threshold: float = 0.10,
    top: int | None = None,
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Each project's 占年计划% as a bullet against the 时序进度 line; lagging projects in red.

    One row per project (name shortened to 18 characters): a light bar to 100% (the
    annual plan), a dark bar to 占年计划% = completed_investment ÷ planned_investment,
    and a dashed vertical line at 时序进度 = months elapsed ÷ 12 (0.5 for 1-6月).
    Lagging projects (:func:`qzanalysis.metrics.progress`: more than ``lag_threshold``
    behind 时序进度, or a project under construction with nothing completed) are drawn
    in red. Projects are sorted by 占年计划%, highest first. Projects whose rate
    cannot be computed (no 本年计划投资) and that are not lagging are left out; the
    note says how many.

    Parameters
    ----------
    df : DataFrame
        Projects with ``planned_investment`` and ``completed_investment``. Not modified.
    period : str, int or pandas Period, default ``"1-6月"``
        The report period (see :func:`qzanalysis.periods.months_elapsed`).
    lag_threshold : float, default 0.10
        Passed to :func:`qzanalysis.metrics.progress` (0.10 = 10 percentage points).
    top : int, optional
        Draw only the ``top`` projects with the largest 本年计划投资.
    title, source, **kwargs
        See the module docstring; ``**kwargs`` go to the ``ax.barh`` of the rates.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    rows = progress(df, period=period, lag_threshold=lag_threshold)
    lagging = rows["lagging"].fillna(False).astype(bool)
    drawable = rows["plan_rate"].notna() | lagging
    left_out = int((~drawable).sum())
    rows = rows[drawable].assign(__lagging=lagging[drawable])
    if top is not None:
        rows = rows.assign(__plan=pd.to_numeric(rows.get("planned_investment"), errors="coerce"))
        rows = rows.sort_values("__plan", ascending=False, na_position="last").head(top)
    rows = rows.sort_values("plan_rate", ascending=False, na_position="last", kind="stable")
    rates = rows["plan_rate"].to_numpy(dtype="float64")
    flags = rows["__lagging"].to_numpy(dtype=bool)
    names = [_short(n) for n in rows["project_name"]] if "project_name" in rows else []
    schedule = float(rows["schedule"].iloc[0]) if len(rows) else _schedule(period)
    height = max(FIG_HEIGHT * 0.75, 1.2 + 0.2 * len(rows))
    with house_style():
        ax = new_axes(ax, height=height)
        y = np.arange(len(rows))
        ax.barh(y, np.ones(len(rows)), height=0.72, color=LIGHT_COLOR, gid="plan", label="年计划")
        drawn = np.where(np.isfinite(rates), rates, 0.0)
        colors = np.where(flags, ACCENT_COLOR, BASE_COLOR)
        bar_kw = {"height": 0.34, "color": list(colors)} | kwargs
        bars = ax.barh(y, drawn, gid="rate", **bar_kw)
        texts = ax.bar_label(
            bars,
            labels=["—" if not np.isfinite(r) else f"{r:.0%}" for r in rates],
            padding=3,
            fontsize=SMALL_SIZE - 0.5,
            color="#333333",
        )
        schedule_line = ax.axvline(schedule, color=GUIDE_COLOR, linestyle="--", linewidth=1.0,
                                   gid="schedule", label=f"时序进度 {schedule:.0%}")
        ax.set_yticks(y, names)
        ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)  # never equal limits, even with no row
        if not len(rows):
            ax.text(0.5, 0.5, "没有可画的项目（缺少本年计划投资）", transform=ax.transAxes,
                    ha="center", va="center", fontsize=SMALL_SIZE, color=GUIDE_COLOR)
        right = max(1.15, float(np.nanmax(drawn)) * 1.12 if len(rows) else 1.15)
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(LABELS["plan_rate"])
        # above the plot like the other charts: below it, it collided with the axis label
        # at some heights (a position in axes fractions depends on the figure's height)
        legend_above(ax, handles=[
            Patch(color=BASE_COLOR, label="按序时推进"),
            Patch(color=ACCENT_COLOR, label="滞后"),
            Patch(color=LIGHT_COLOR, label="年计划（100%）"),
            schedule_line,
        ])
        points = f"{lag_threshold * 100:.4g}"
        definition = f"滞后：占年计划%低于时序进度{points}个百分点以上，或在建项目未完成投资"
        left = f"另有{left_out}个项目缺少本年计划投资，未列入" if left_out else None
        finish_axes(ax, value_axis="x", title=title, source=_note(source, definition, left))
        for tick_label, text, flag in zip(ax.get_yticklabels(), texts, flags, strict=True):
            if flag:  # a lagging project's name and rate in red, even when its bar is empty
                tick_label.set_color(ACCENT_COLOR)
                text.set_color(ACCENT_COLOR)
    return ax


def _schedule(period) -> float:
    from qzanalysis.periods import schedule

    return schedule(period)


# --------------------------------------------------------------------------- monthly


def plot_monthly(
    frame: pd.DataFrame,
    *,
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = "数据来源：各月项目台账",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """S-curve: completed investment, year to date, month by month, against the plan line.

    Actual: for each report month, the sum of ``completed_investment`` (the ledgers
    report it year to date, 1-n月), from :func:`qzanalysis.metrics.monthly_totals`.
    Plan (序时计划): the latest month's sum of ``planned_investment`` (the annual plan as
    it stands) × months ÷ 12, a straight line from 0 in January's start to the full
    plan at 12月. The last point is labelled with its amount and 占年计划%.

    Parameters
    ----------
    frame : DataFrame
        Several monthly ledgers (:func:`qzanalysis.load_many`'s result, with a monthly
        ``as_of`` Period column) of one year. Not modified.
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to the ``ax.plot`` of the actual curve.
    ax : Axes, optional

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``frame`` has no ``as_of`` column or spans several years.
    """
    if "as_of" not in frame.columns:
        raise ValueError(
            "数据中没有“as_of”（报告期）列，请用 qz.load_many 读取各月台账 / "
            "frame has no 'as_of' column: read the monthly ledgers with qz.load_many"
        )
    totals = monthly_totals(frame)
    years = sorted(set(totals.index.year))
    if len(years) > 1:
        raise ValueError(
            f"各月台账跨越多个年度（{'、'.join(map(str, years))}），请按年度分别绘制 / "
            f"the ledgers span several years ({years}); draw one year at a time"
        )
    months = totals.index.month.to_numpy()
    actual = totals["completed_investment"].to_numpy(dtype="float64")
    plan_total = float(totals["planned_investment"].iloc[-1]) if len(totals) else math.nan
    plan_x = np.arange(0, 13)
    plan_y = plan_total * plan_x / 12
    with house_style():
        ax = new_axes(ax)
        money = money_axis([*actual, plan_total], unit)
        ax.plot(plan_x, plan_y, color=GUIDE_COLOR, linestyle="--", linewidth=1.1,
                gid="plan", label="序时计划（年计划 × 月数 ÷ 12）")
        line_kw = {"color": BASE_COLOR, "linewidth": 2.0, "marker": "o", "markersize": 4} | kwargs
        ax.plot(months, actual, gid="actual", label="累计完成投资", **line_kw)
        if len(months) and np.isfinite(actual[-1]):
            rate = actual[-1] / plan_total if plan_total else math.nan
            rate_text = f"，占年计划{rate:.1%}" if np.isfinite(rate) else ""
            ax.annotate(
                f"1-{months[-1]}月 {money.text(actual[-1])}{money.unit}{rate_text}",
                xy=(months[-1], actual[-1]),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=SMALL_SIZE,
                color=BASE_COLOR,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
        ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
        ax.set_xlim(0, 12.4)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(money.formatter())
        ax.set_ylabel(money.label("累计完成投资"))
        legend_above(ax)
        finish_axes(ax, value_axis="y", title=title, source=source)
    return ax


# --------------------------------------------------------------------------- funds


def plot_funds_in_place(
    df: pd.DataFrame,
    *,
    by: str = "stage",
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """Money in place against contracted (合同引资 vs 到位资金), by category.

    Two bars per category of ``by`` (summary order): 合同引资 (light) and 到位资金 (dark);
    above each pair the 资金到位率 (到位资金 ÷ 合同引资 over the projects where both are
    known, from :func:`~qzanalysis.metrics.summarize`).

    Parameters
    ----------
    df : DataFrame
        Projects. Not modified.
    by : str, default ``"stage"``
        Category column (see :func:`~qzanalysis.metrics.summarize`).
    unit, title, source, **kwargs
        See the module docstring; ``**kwargs`` go to both ``ax.bar`` calls.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    table = _summary(df, by)
    contracted = table["contracted_investment"].to_numpy(dtype="float64")
    in_place = table["funds_in_place"].to_numpy(dtype="float64")
    rates = table["funds_rate"].to_numpy(dtype="float64")
    labels = [str(s) for s in table.index]
    with house_style():
        ax = new_axes(ax)
        money = money_axis([*contracted, *in_place], unit)
        x = np.arange(len(labels))
        width = 0.36
        ax.bar(x - width / 2, contracted, width, color=LIGHT_COLOR,
               label=LABELS["contracted_investment"].split("（")[0], **kwargs)
        funds = ax.bar(x + width / 2, in_place, width, color=BASE_COLOR,
                       label=LABELS["funds_in_place"].split("（")[0], **kwargs)
        tops = np.fmax(np.nan_to_num(contracted, nan=0.0), np.nan_to_num(in_place, nan=0.0))
        for xi, top, rate in zip(x, tops, rates, strict=True):
            ax.annotate(
                "到位率 —" if not np.isfinite(rate) else f"到位率 {rate:.0%}",
                xy=(xi, top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=SMALL_SIZE,
                color="#333333",
            )
        tallest = float(np.max(tops)) if tops.size else 0.0
        tall = [np.isfinite(v) and v >= 0.12 * tallest for v in in_place]
        ax.bar_label(  # the amount inside the 到位资金 bar where it is tall enough …
            funds,
            labels=[money.text(v) if t else "" for v, t in zip(in_place, tall, strict=True)],
            label_type="center",
            fontsize=SMALL_SIZE - 1,
            color="white",
        )
        ax.bar_label(  # … and just above it where it is not
            funds,
            labels=["" if t or not np.isfinite(v) else money.text(v)
                    for v, t in zip(in_place, tall, strict=True)],
            padding=2,
            fontsize=SMALL_SIZE - 1,
            color="#333333",
        )
        ax.set_xticks(x, labels)
        ax.yaxis.set_major_formatter(money.formatter())
        ax.set_ylabel(money.label("金额"))
        _headroom(ax, "y", tops, factor=1.18)
        legend_above(ax)
        finish_axes(ax, value_axis="y", title=title, source=source)
    return ax


# --------------------------------------------------------------------------- saving


def save_chart(
    ax_or_fig: Axes | Figure,
    path: str | PathLike,
    *,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    dpi: int = 300,
) -> list[Path]:
    """Save a chart in several formats: ``path`` with each format's suffix.

    PNG at ``dpi``; SVG with text as paths (renders anywhere without the font); PDF
    with the Chinese glyphs embedded (Type 42 for a TrueType font, Type 3 for the
    CFF-flavoured Noto/Source Han fonts, which matplotlib cannot embed as Type 42).

    Parameters
    ----------
    ax_or_fig : Axes or Figure
    path : str or path-like
        File name; a suffix, if any, is replaced (``charts/分阶段`` →
        ``charts/分阶段.png``, ``.svg``, ``.pdf``). Folders are created.
    formats : sequence of str, default ``("png", "svg", "pdf")``
    dpi : int, default 300

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    fig = ax_or_fig if isinstance(ax_or_fig, Figure) else ax_or_fig.get_figure(root=True)
    base = Path(path)
    if base.suffix.lower().lstrip(".") in {"png", "svg", "pdf", "jpg", "jpeg", "tif", "tiff"}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with house_style():
        for fmt in formats:
            fmt = fmt.lower().lstrip(".")
            out = base.with_name(f"{base.name}.{fmt}")
            metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(fmt)
            fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
            written.append(out)
    return written

