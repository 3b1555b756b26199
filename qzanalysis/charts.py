"""Report charts with Chinese labels: one function per chart, each returning its Axes.

Every ``plot_*`` function takes the data first and keyword-only options, draws on
``ax`` (or on a new 16 cm wide figure), returns the Axes, and never modifies its
input. Amounts are read in 万元 and drawn in 万元 (bar heights are the summarised
values); the axis shows 万元 or 亿元 (``unit="auto"``: 亿元 once the largest value
reaches 1亿). The options every chart shares (``unit``, ``title``, ``source``, ``ax``,
``**kwargs``) are documented once, in :data:`_PARAMS`, and each chart's docstring shows
them. ``**kwargs`` are matplotlib properties for the chart's main drawing call, put over
the chart's own and normalised with :func:`matplotlib.cbook.normalize_kwargs`, so
``lw=2`` means ``linewidth=2`` and ``color=`` always works.

The house style (font, sizes, palette, layout numbers) lives in
:mod:`qzanalysis._style`; the Chinese font is chosen once by :mod:`qzanalysis._fonts`.
``with house_style(): ...`` applies the same rcParams (Chinese font included) to an
analyst's own matplotlib code. Aggregation is :func:`qzanalysis.metrics.summarize` (the
合计 row is not drawn) and :func:`qzanalysis.metrics.progress`.

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

import functools
import inspect
import math
import textwrap
import warnings
from collections.abc import Callable, Sequence
from os import PathLike
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.cbook import normalize_kwargs
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from qzanalysis._style import (
    ACCENT_COLOR,
    BASE_COLOR,
    DEFAULT_SOURCE,
    FIG_HEIGHT,
    GUIDE_COLOR,
    LABEL_COLOR,
    LAYOUT,
    LIGHT_COLOR,
    MISSING_COLOR,
    SECTOR_COLORS,
    SMALL_SIZE,
    TEXT_COLOR,
    finish_axes,
    house_style,
    legend_above,
    money_axis,
    new_axes,
    stage_color,
)
from qzanalysis.industry import sections
from qzanalysis.metrics import (
    LABELS,
    SUMMARY_COLUMNS,
    TOTAL_LABEL,
    history,
    monthly_totals,
    progress,
    summarize,
)
from qzanalysis.vocab import MONEY_COLUMNS, STAGES, column_label

__all__ = [
    "plot_by_stage",
    "plot_stage_funnel",
    "plot_by_channel",
    "plot_by_industry",
    "plot_progress",
    "plot_monthly",
    "plot_project_history",
    "plot_funds_in_place",
    "save_chart",
    "house_style",
]

OTHER_LABEL = "其他"
#: :func:`~qzanalysis.metrics.summarize`'s row for projects without a category
_UNCLASSIFIED = "未分类"
#: Summary columns a chart can draw as ``value``.
VALUES: tuple[str, ...] = ("projects", *(c for c in SUMMARY_COLUMNS if c in MONEY_COLUMNS))


# --------------------------------------------------------------------------- documentation

#: The parameters every chart shares, documented once (seaborn's ``_docstrings`` idea):
#: "name : type" and its description. :func:`_document` splices them into each chart's
#: docstring in place of ``{unit}``, ``{title}``, …; ``{source}`` takes its default from
#: the chart's own signature and ``{kwargs}`` names the chart's drawing call.
_PARAMS: dict[str, str] = {
    "value": (
        'value : str, default "total_investment"\n'
        "    What the bars measure: a money column of the summary ("
        + ", ".join(f"``{v}``" for v in VALUES[1:])
        + ') or ``"projects"`` (number of projects).'
    ),
    "unit": (
        'unit : {{"auto", "万元", "亿元"}} or None, default "auto"\n'
        "    Unit of the money axis and labels (amounts stay in 万元). ``\"auto\"`` or None:\n"
        "    亿元 once the largest value reaches 1亿 (10,000 万元), else 万元."
    ),
    "title": (
        "title : str, optional\n"
        "    Title at the top left. Default: none (a report's caption carries the title)."
    ),
    "source": (
        "source : str or None, default {default!r}\n"
        "    Source note at the bottom left; None: no note."
    ),
    "ax": (
        "ax : matplotlib.axes.Axes, optional\n"
        "    Where to draw. Default: a new figure, 16 cm wide, in the house style."
    ),
    "kwargs": (
        "**kwargs\n"
        "    Matplotlib properties for {call}, put over the chart's own (``color``,"
        " ``edgecolor``, ``linewidth``, ``alpha``, …). Aliases mean what the full name"
        " means (``lw`` = ``linewidth``, ``ec`` = ``edgecolor``, ``c`` = ``color`` for"
        " lines): they are normalised with :func:`matplotlib.cbook.normalize_kwargs`."
    ),
}
_RETURNS = """Returns
-------
matplotlib.axes.Axes
    The Axes drawn on (``ax`` itself when given)."""


def _param_doc(entry: str, **fields) -> str:
    """One numpydoc parameter entry, its description filled to 88 columns."""
    head, _, text = entry.format(**fields).partition("\n")
    body = textwrap.fill(" ".join(text.split()), width=88, initial_indent="    ",
                         subsequent_indent="    ", break_long_words=False,
                         break_on_hyphens=False)
    return f"{head}\n{body}"


def _document(call: str) -> Callable:
    """Fill a chart's docstring with the shared parameter docs of :data:`_PARAMS`."""

    def decorate(func: Callable) -> Callable:
        if func.__doc__:  # None under ``python -OO``
            source = inspect.signature(func).parameters.get("source")
            default = source.default if source is not None else DEFAULT_SOURCE
            parts = {name: _param_doc(entry, call=call, default=default)
                     for name, entry in _PARAMS.items()}
            func.__doc__ = inspect.cleandoc(func.__doc__).format(**parts, returns=_RETURNS)
        return func

    return decorate


def _renamed(**old_to_new: str) -> Callable:
    """Keep an old keyword working, with a DeprecationWarning (pyjanitor's
    ``deprecated_alias``)."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    warnings.warn(
                        f"{func.__name__} 的参数 {old}= 已改名为 {new}= / "
                        f"{func.__name__}: {old}= is deprecated, use {new}=",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    if new in kwargs or (new == "df" and args):
                        raise TypeError(
                            f"{func.__name__} 的参数 {old}= 与 {new} 不能同时给出 / "
                            f"{func.__name__}: got both {old}= and {new}"
                        )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return decorate


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


def _artist_kwargs(defaults: dict, kwargs: dict, artist: type) -> dict:
    """The chart's ``defaults`` with the caller's ``kwargs`` over them, aliases resolved.

    Both are normalised against ``artist``'s aliases first, so ``lw=3`` replaces a default
    ``linewidth`` instead of reaching matplotlib next to it (which raises).
    """
    return {**normalize_kwargs(defaults, artist), **normalize_kwargs(kwargs, artist)}


def _bars(
    ax: Axes,
    positions,
    lengths,
    *,
    horizontal: bool,
    defaults: dict,
    kwargs: dict | None = None,
    labels: Sequence[str] | None = None,
    **fixed,
) -> BarContainer:
    """Draw bars (``ax.barh`` when ``horizontal``, else ``ax.bar``), optionally labelled.

    ``defaults`` are the chart's bar properties and ``kwargs`` the caller's, merged by
    :func:`_artist_kwargs`; ``fixed`` (``left=``, ``gid=``, ``label=``) go to the call as
    they are. ``labels``: one text per bar at its end (:func:`_label_ends`).
    """
    draw = ax.barh if horizontal else ax.bar
    bars = draw(positions, lengths, **fixed, **_artist_kwargs(defaults, kwargs or {}, Rectangle))
    if labels is not None:
        _label_ends(ax, bars, labels, horizontal=horizontal)
    return bars


def _label_ends(ax: Axes, bars: BarContainer, labels, *, horizontal: bool, **options) -> list:
    """House-style data labels at the ends of ``bars``; ``options`` override them."""
    style = {
        "padding": LAYOUT.label_pad_h if horizontal else LAYOUT.label_pad_v,
        "fontsize": SMALL_SIZE,
        "color": LABEL_COLOR,
    }
    return ax.bar_label(bars, labels=list(labels), **(style | options))


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


def _headroom(ax: Axes, axis: str, data, factor: float) -> None:
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


def _short(name: str, n: int = LAYOUT.name_chars) -> str:
    name = str(name)
    return name if len(name) <= n else name[: n - 1] + "…"


def _text_color(face) -> str:
    """White on a dark face (or on faces that are all dark), else the text colour."""
    luminance = mpl.colors.to_rgba_array(face)[:, :3] @ np.array([0.2126, 0.7152, 0.0722])
    return "white" if bool((luminance < 0.5).all()) else TEXT_COLOR


def _tint(color, share: float = 0.8):
    """``color`` mixed with ``share`` of white (LIGHT_COLOR is about BASE_COLOR's tint)."""
    rgba = mpl.colors.to_rgba_array(color)
    rgba[:, :3] += (1.0 - rgba[:, :3]) * share
    return tuple(rgba[0]) if len(rgba) == 1 else rgba


def _note(*parts: str | None) -> str | None:
    """The note under a chart: parts joined by "；", one per line when that is too long
    for 16 cm at 7.5 pt (:attr:`Layout.note_chars`)."""
    shown = [p for p in parts if p]
    if not shown:
        return None
    line = "；".join(shown)
    return line if len(line) <= LAYOUT.note_chars else "\n".join(shown)


def _category_bars(
    table: pd.DataFrame,
    labels: Sequence[str],
    colors: Sequence[str],
    *,
    horizontal: bool,
    value: str,
    unit,
    title,
    source,
    ax,
    kwargs,
    legend: list | None = None,
) -> Axes:
    """One bar per row of a summary ``table``, labelled with its amount and count.

    Columns (``horizontal=False``): categories left to right, labels stacked above the
    bars. Horizontal bars: first row at the top, labels（amount and count）at the ends,
    the figure as tall as its rows need.
    """
    amounts = table[value].to_numpy(dtype="float64")
    counts = table["projects"]
    height = FIG_HEIGHT
    if horizontal:
        height = max(FIG_HEIGHT * LAYOUT.min_height_share,
                     LAYOUT.hbar_base + LAYOUT.hbar_per_row * len(labels))
    with house_style():
        ax = new_axes(ax, height=height)
        values = _Values(value, amounts, unit)
        positions = np.arange(len(labels))
        _bars(
            ax, positions, amounts, horizontal=horizontal,
            defaults={"color": list(colors), "height" if horizontal else "width": LAYOUT.bar_width},
            kwargs=kwargs,
            labels=[_amount_and_count(values, v, n, stacked=not horizontal)
                    for v, n in zip(amounts, counts, strict=True)],
        )
        if horizontal:
            ax.set_yticks(positions, list(labels))
            ax.set_ylim(len(labels) - 0.5, -0.5)
        else:
            ax.set_xticks(positions, list(labels))
        value_axis = "x" if horizontal else "y"
        values.format(ax.xaxis if horizontal else ax.yaxis)
        (ax.set_xlabel if horizontal else ax.set_ylabel)(values.label)
        _headroom(ax, value_axis, amounts,
                  LAYOUT.headroom_h if horizontal else LAYOUT.headroom_v)
        if legend:
            legend_above(ax, handles=legend)
        finish_axes(ax, value_axis=value_axis, title=title, source=source)
    return ax


# --------------------------------------------------------------------------- by stage


@_document(call="``ax.bar``")
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
    {value}
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
    """
    _check_value(value)
    table = _summary(df, "stage")
    stages = [str(s) for s in table.index]
    return _category_bars(
        table, stages, [stage_color(s) for s in stages], horizontal=False, value=value,
        unit=unit, title=title, source=source, ax=ax, kwargs=kwargs,
    )


@_document(call="``ax.barh``")
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
    {value}
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
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
        bars = _bars(
            ax, y, widths, horizontal=True, left=-widths / 2, kwargs=kwargs,
            defaults={"color": [stage_color(s) for s in STAGES], "height": LAYOUT.wide_bar},
        )
        widest = float(widths.max()) if widths.size and widths.max() > 0 else 1.0
        for bar, stage, n, amount, w in zip(bars, STAGES, counts, amounts, widths, strict=True):
            if values.money:
                label = f"{n}个，{values.text(amount)}{values.axis.unit}" if n else "0个"
                if n and not np.isfinite(amount):
                    label = f"{n}个，金额不详"
            else:
                label = f"{n}个"
            inside = w >= LAYOUT.inside_label_min * widest
            ax.annotate(
                label,
                xy=(0 if inside else w / 2, bar.get_y() + bar.get_height() / 2),
                xytext=(0 if inside else 4, 0),
                textcoords="offset points",
                ha="center" if inside else "left",
                va="center",
                fontsize=SMALL_SIZE,
                color=_text_color(stage_color(stage)) if inside else LABEL_COLOR,
            )
        ax.set_yticks(y, list(STAGES))
        ax.set_ylim(len(STAGES) - 0.5, -0.5)  # 储备 at the top
        half = widest * LAYOUT.funnel_half_width
        ax.set_xlim(-half, half)
        ax.xaxis.set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        note = f"另有未明确阶段的项目{unstaged}个，未列入" if unstaged else None
        finish_axes(ax, value_axis=None, title=title, source=_note(source, note))
    return ax


# --------------------------------------------------------------------------- by channel


@_document(call="``ax.barh``")
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
    {value}
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
    """
    _check_value(value)
    table = _summary(df, "funding_channel")
    labels = [str(s) for s in table.index]
    colors = [MISSING_COLOR if s == _UNCLASSIFIED else BASE_COLOR for s in labels]
    return _category_bars(
        table, labels, colors, horizontal=True, value=value, unit=unit, title=title,
        source=source, ax=ax, kwargs=kwargs,
    )


# --------------------------------------------------------------------------- by industry


@_document(call="``ax.barh``")
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
    {value}
    top : int, optional
        How many sections to show before 其他.
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
    """
    _check_value(value)
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top 应为正整数 / top must be a positive integer, got {top!r}")
    known = sections().set_index("section")
    table = _summary(df, "industry_section")[["projects", value]]
    unclassified = table[~table.index.isin(known.index)]
    table = table[table.index.isin(known.index)]
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
    labels = [known.at[s, "short_name"] if s in known.index else str(s) for s in table.index]
    sectors = [known.at[s, "sector"] if s in known.index else None for s in table.index]
    colors = [SECTOR_COLORS.get(s, MISSING_COLOR) for s in sectors]
    present = [s for s in SECTOR_COLORS if s in sectors]
    legend = [Patch(color=SECTOR_COLORS[s], label=s) for s in present] if present else None
    return _category_bars(
        table, labels, colors, horizontal=True, value=value, unit=unit, title=title,
        source=source, ax=ax, kwargs=kwargs, legend=legend,
    )


# --------------------------------------------------------------------------- progress


@_document(call="the ``ax.barh`` of the rates")
def plot_progress(
    df: pd.DataFrame,
    *,
    period=None,
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

    Rows of ledgers of different months (a :func:`qzanalysis.load_many` frame) each
    get their own 时序进度 mark, and their names say the months (``甲项目（1-3月）``).

    Parameters
    ----------
    df : DataFrame
        Projects with ``planned_investment`` and ``completed_investment``. Not modified.
    period : str, int or pandas Period, optional
        The report period (see :func:`qzanalysis.periods.months_elapsed`). Default:
        each row's ``as_of`` when ``df`` has that column (the ledger's own month), else
        ``"1-6月"``; as in :func:`qzanalysis.metrics.progress`.
    lag_threshold : float, default 0.10
        Passed to :func:`qzanalysis.metrics.progress` (0.10 = 10 percentage points).
    top : int, optional
        Draw only the ``top`` projects with the largest 本年计划投资.
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
    """
    every = progress(df, period=period, lag_threshold=lag_threshold)
    lagging = every["lagging"].fillna(False).astype(bool)
    drawable = every["plan_rate"].notna() | lagging
    left_out = int((~drawable).sum())
    rows = every[drawable].assign(__lagging=lagging[drawable])
    if top is not None:
        rows = rows.assign(__plan=pd.to_numeric(rows.get("planned_investment"), errors="coerce"))
        rows = rows.sort_values("__plan", ascending=False, na_position="last").head(top)
    rows = rows.sort_values("plan_rate", ascending=False, na_position="last", kind="stable")
    rates = rows["plan_rate"].to_numpy(dtype="float64")
    flags = rows["__lagging"].to_numpy(dtype=bool)
    schedules = rows["schedule"].to_numpy(dtype="float64")
    one_period = len(set(schedules[np.isfinite(schedules)].tolist())) <= 1
    names = [_short(n) for n in rows["project_name"]] if "project_name" in rows else []
    if not one_period and names:
        names = [f"{n}{_months_note(s)}" for n, s in zip(names, schedules, strict=True)]
    height = max(FIG_HEIGHT * LAYOUT.min_height_share,
                 LAYOUT.progress_base + LAYOUT.progress_per_row * len(rows))
    with house_style():
        ax = new_axes(ax, height=height)
        y = np.arange(len(rows))
        _bars(ax, y, np.ones(len(rows)), horizontal=True, gid="plan", label="年计划",
              defaults={"height": LAYOUT.wide_bar, "color": LIGHT_COLOR})
        drawn = np.where(np.isfinite(rates), rates, 0.0)
        bars = _bars(
            ax, y, drawn, horizontal=True, gid="rate", kwargs=kwargs,
            defaults={"height": LAYOUT.rate_bar,
                      "color": list(np.where(flags, ACCENT_COLOR, BASE_COLOR))},
        )
        texts = _label_ends(
            ax, bars, ["—" if not np.isfinite(r) else f"{r:.0%}" for r in rates],
            horizontal=True, fontsize=SMALL_SIZE - 0.5,
        )
        guide = {"color": GUIDE_COLOR, "linestyle": "--", "linewidth": 1.0, "gid": "schedule"}
        if one_period:
            known = rows["schedule"].dropna()
            known = known if len(known) else every["schedule"].dropna()
            schedule = float(known.iloc[0]) if len(known) else _default_schedule(period)
            schedule_line = ax.axvline(schedule, label=f"时序进度 {schedule:.0%}", **guide)
        else:  # each row's own month: a mark across its row
            half = LAYOUT.wide_bar / 2
            schedule_line = ax.vlines(schedules, y - half, y + half,
                                      label="时序进度（各行报告期）", **guide)
        ax.set_yticks(y, names)
        ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)  # never equal limits, even with no row
        if not len(rows):
            ax.text(0.5, 0.5, "没有可画的项目（缺少本年计划投资）", transform=ax.transAxes,
                    ha="center", va="center", fontsize=SMALL_SIZE, color=GUIDE_COLOR)
        right = LAYOUT.progress_min_right
        if len(rows):
            right = max(right, float(np.nanmax(drawn)) * LAYOUT.progress_right_margin)
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


def _months_note(schedule: float) -> str:
    """``"（1-3月）"`` for 时序进度 0.25, ``"（1月）"`` for 1/12, ``""`` when unknown."""
    if not np.isfinite(schedule):
        return ""
    months = round(schedule * 12)
    return "（1月）" if months == 1 else f"（1-{months}月）"


def _default_schedule(period) -> float:
    """时序进度 of ``period``, or of :func:`~qzanalysis.metrics.progress`'s default period."""
    one = pd.DataFrame(index=pd.RangeIndex(1))
    return float(progress(one, period=period)["schedule"].iloc[0])


# --------------------------------------------------------------------------- monthly


@_renamed(frame="df")
@_document(call="the ``ax.plot`` of the actual curve")
def plot_monthly(
    df: pd.DataFrame,
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
    df : DataFrame
        Several monthly ledgers (:func:`qzanalysis.load_many`'s result, with a monthly
        ``as_of`` Period column) of one year. Not modified. (Formerly ``frame=``, which
        still works with a DeprecationWarning.)
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}

    Raises
    ------
    ValueError
        If ``df`` has no ``as_of`` column or spans several years.
    """
    _require_as_of(df)
    totals = monthly_totals(df)
    _one_year(totals.index, "各月台账", "the ledgers")
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
        last = len(months) - 1 if len(months) and np.isfinite(actual[-1]) else None
        _cumulative_curve(ax, months, actual, plan_total, money, kwargs, last)
        _month_axes(ax, money, title=title, source=source)
    return ax


def _require_as_of(df: pd.DataFrame) -> None:
    if "as_of" not in df.columns:
        raise ValueError(
            "数据中没有“as_of”（报告期）列，请用 qz.load_many 读取各月台账 / "
            "df has no 'as_of' column: read the monthly ledgers with qz.load_many"
        )


def _one_year(months: pd.PeriodIndex, what: str, what_en: str) -> None:
    years = sorted(set(months.year))
    if len(years) > 1:
        raise ValueError(
            f"{what}跨越多个年度（{'、'.join(map(str, years))}），请按年度分别绘制 / "
            f"{what_en} span several years ({years}); draw one year at a time"
        )


def _cumulative_curve(ax, months, actual, plan_total, money, kwargs, last) -> None:
    """The 1-n月 completed-investment line; point ``last`` labelled with 占年计划%."""
    line_kw = _artist_kwargs(
        {"color": BASE_COLOR, "linewidth": 2.0, "marker": "o", "markersize": 4}, kwargs, Line2D
    )
    ax.plot(months, actual, gid="actual", label="累计完成投资", **line_kw)
    if last is None:
        return
    rate = actual[last] / plan_total if plan_total else math.nan
    rate_text = f"，占年计划{rate:.1%}" if np.isfinite(rate) else ""
    ax.annotate(
        f"1-{months[last]}月 {money.text(actual[last])}{money.unit}{rate_text}",
        xy=(months[last], actual[last]),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=SMALL_SIZE,
        color=BASE_COLOR,
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
    )


def _month_axes(ax, money, *, title, source) -> None:
    """January to December along x, the cumulative amount up y, legend above."""
    ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
    ax.set_xlim(0, LAYOUT.monthly_right)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(money.formatter())
    ax.set_ylabel(money.label("累计完成投资"))
    legend_above(ax)
    finish_axes(ax, value_axis="y", title=title, source=source)


@_document(call="the ``ax.plot`` of the actual curve")
def plot_project_history(
    df: pd.DataFrame,
    project: str,
    *,
    unit: str | None = "auto",
    title: str | None = None,
    source: str | None = "数据来源：各月项目台账",
    ax: Axes | None = None,
    **kwargs,
) -> Axes:
    """One project's completed investment, year to date, month by month, against its plan.

    The project's rows come from :func:`qzanalysis.metrics.history` (by ``project_id`` or
    by any name it had, so a name retyped from month to month is one project). Actual:
    its ``completed_investment`` (1-n月) in each month it is listed. Plan: its annual plan
    (``planned_investment`` of the latest month) as a level line, and 序时计划 (plan ×
    months ÷ 12) as a dashed line from 0, as in :func:`plot_monthly`. The last point is
    labelled with its amount and 占年计划%. The note under the chart names the project
    (latest name and id) and the months where the ledger wrote another name.

    Parameters
    ----------
    df : DataFrame
        Several monthly ledgers (:func:`qzanalysis.load_many`'s result, with a monthly
        ``as_of`` Period column). Not modified.
    project : str
        A ``project_id`` (``"P0016"``) or a name the project had in any month.
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}

    Raises
    ------
    ValueError
        If ``df`` has no ``as_of`` column, no project has that id or name, the name
        belongs to several projects, or the project's months span several years.
    """
    _require_as_of(df)
    rows = history(df, project)
    _one_year(rows.index, f"项目“{project}”的月报", "the project's ledgers")
    months = rows.index.month.to_numpy()
    actual = pd.to_numeric(rows["completed_investment"], errors="coerce").to_numpy(dtype="float64")
    plans = (pd.to_numeric(rows["planned_investment"], errors="coerce").dropna()
             if "planned_investment" in rows.columns else pd.Series(dtype="float64"))
    plan_total = float(plans.iloc[-1]) if len(plans) else math.nan
    names = rows["project_name"].astype("str").tolist()
    latest = names[-1]
    other = [f"{m}月“{n}”" for m, n in zip(months, names, strict=True) if n != latest]
    pid = str(rows["project_id"].iloc[-1])
    note = _note(f"项目：{latest}（{pid}）", f"台账中曾写作：{'，'.join(other)}" if other else None,
                 source)
    with house_style():
        ax = new_axes(ax)
        money = money_axis([*actual, plan_total], unit)
        if np.isfinite(plan_total):
            ax.plot([0, 12], [0, plan_total], color=GUIDE_COLOR, linestyle="--", linewidth=1.1,
                    gid="schedule", label="序时计划")
            ax.axhline(plan_total, color=GUIDE_COLOR, linestyle=":", linewidth=1.1, gid="plan",
                       label=f"本年计划 {money.text(plan_total)}{money.unit}")
        finite = np.flatnonzero(np.isfinite(actual))
        _cumulative_curve(ax, months, actual, plan_total, money, kwargs,
                          finite[-1] if len(finite) else None)
        _month_axes(ax, money, title=title, source=note)
    return ax


# --------------------------------------------------------------------------- funds


@_document(call="both ``ax.bar`` calls (合同引资 and 到位资金)")
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
    known, from :func:`~qzanalysis.metrics.summarize`). A ``color=`` colours the 到位资金
    bars and a light tint of it the 合同引资 bars, so the pair stays readable.

    Parameters
    ----------
    df : DataFrame
        Projects. Not modified.
    by : str, default "stage"
        Category column (see :func:`~qzanalysis.metrics.summarize`).
    {unit}
    {title}
    {source}
    {ax}
    {kwargs}

    {returns}
    """
    table = _summary(df, by)
    contracted = table["contracted_investment"].to_numpy(dtype="float64")
    in_place = table["funds_in_place"].to_numpy(dtype="float64")
    rates = table["funds_rate"].to_numpy(dtype="float64")
    labels = [str(s) for s in table.index]
    props = normalize_kwargs(kwargs, Rectangle)
    dark = props.pop("color", None)
    light, dark = (LIGHT_COLOR, BASE_COLOR) if dark is None else (_tint(dark), dark)
    width = props.get("width", LAYOUT.pair_width)
    with house_style():
        ax = new_axes(ax)
        money = money_axis([*contracted, *in_place], unit)
        x = np.arange(len(labels))
        _bars(ax, x - width / 2, contracted, horizontal=False, kwargs=props, defaults={
            "width": width, "color": light, "label": column_label("contracted_investment")})
        funds = _bars(ax, x + width / 2, in_place, horizontal=False, kwargs=props, defaults={
            "width": width, "color": dark, "label": column_label("funds_in_place")})
        tops = np.fmax(np.nan_to_num(contracted, nan=0.0), np.nan_to_num(in_place, nan=0.0))
        for xi, top, rate in zip(x, tops, rates, strict=True):
            ax.annotate(
                "到位率 —" if not np.isfinite(rate) else f"到位率 {rate:.0%}",
                xy=(xi, top),
                xytext=(0, LAYOUT.label_pad_h),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=SMALL_SIZE,
                color=LABEL_COLOR,
            )
        tallest = float(np.max(tops)) if tops.size else 0.0
        tall = [np.isfinite(v) and v >= LAYOUT.inside_amount_min * tallest for v in in_place]
        # the amount inside the 到位资金 bar where it is tall enough …
        _label_ends(ax, funds, [money.text(v) if t else "" for v, t in zip(in_place, tall,
                                                                             strict=True)],
                    horizontal=False, label_type="center", padding=0, fontsize=SMALL_SIZE - 1,
                    color=_text_color(dark))
        # … and just above it where it is not
        _label_ends(ax, funds, ["" if t or not np.isfinite(v) else money.text(v)
                                for v, t in zip(in_place, tall, strict=True)],
                    horizontal=False, fontsize=SMALL_SIZE - 1)
        ax.set_xticks(x, labels)
        ax.yaxis.set_major_formatter(money.formatter())
        ax.set_ylabel(money.label("金额"))
        _headroom(ax, "y", tops, LAYOUT.headroom_pair)
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
    width_mm: float | None = None,
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
    width_mm : float, optional
        Draw the figure this wide before saving (its height unchanged), so that it is
        printed at 100 %: fonts keep their point size on paper. ``TYPE_AREA_WIDTH_MM``
        (156) is the width of the type area of an A4 page laid out to GB/T 9704-2012,
        the width report.docx inserts charts at. The figure's own size is restored
        afterwards.

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
    size = fig.get_size_inches().copy()
    if width_mm is not None:
        if not width_mm > 0:
            raise ValueError(f"width_mm 应为正数 / width_mm must be positive, got {width_mm!r}")
        fig.set_size_inches(width_mm / 25.4, size[1])
    try:
        with house_style():
            for fmt in formats:
                fmt = fmt.lower().lstrip(".")
                out = base.with_name(f"{base.name}.{fmt}")
                metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(fmt)
                fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)
                written.append(out)
    finally:
        fig.set_size_inches(size)
    return written

