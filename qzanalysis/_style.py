"""House style of the charts: one look for a printed Chinese report.

* 16 cm wide (6.3 in), text 8–10.5 pt at that width;
* the CJK font of :mod:`qzanalysis._fonts`, set on every text of the axes so that the
  chart still renders in Chinese when it is drawn or saved outside the style context;
* no top/right spines, light gridlines on the value axis only, no 3D, no gradients;
* one restrained palette; stage colours are the same in every chart;
* money axes in 万元, or 亿元 when the largest value reaches 1亿 (10,000 万元), the unit
  in the axis label; data stay in 万元 (bar heights are the summarised values);
* a source note at the bottom left (``source=``), an optional title (``title=``).

The style is applied with :func:`house_style` (an ``rc_context``: global rcParams are
restored on exit) plus :func:`finish_axes`, which writes the font, tick and grid settings
onto the axes itself. Colours are named here (``*_COLOR``); the charts' layout numbers
(bar widths, headroom, label thresholds, row heights) are the fields of :data:`LAYOUT`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.text import Text

from qzanalysis._fonts import cjk_font, font_families

__all__ = [
    "FIG_WIDTH",
    "FIG_HEIGHT",
    "TYPE_AREA_WIDTH_MM",
    "DEFAULT_SOURCE",
    "STAGE_COLORS",
    "SECTOR_COLORS",
    "BASE_COLOR",
    "LIGHT_COLOR",
    "ACCENT_COLOR",
    "GUIDE_COLOR",
    "LABEL_COLOR",
    "NOTE_COLOR",
    "LAYOUT",
    "Layout",
    "rc_params",
    "house_style",
    "new_axes",
    "finish_axes",
    "legend_above",
    "MoneyAxis",
    "money_axis",
    "stage_color",
]

#: 16 cm, the text width of an A4 report page.
FIG_WIDTH = 16 / 2.54
FIG_HEIGHT = 3.9
#: Width of the type area (版心) of an A4 official document, GB/T 9704-2012: 156 × 225 mm.
TYPE_AREA_WIDTH_MM = 156.0
FONT_SIZE = 9.0
SMALL_SIZE = 8.0
TITLE_SIZE = 10.5
DEFAULT_SOURCE = "数据来源：项目台账"

#: Pipeline order, light to dark: the further along, the darker (prints in greyscale too).
STAGE_COLORS: dict[str, str] = {
    "储备": "#a9c0da",
    "前期": "#8eabcd",
    "洽谈": "#7195bf",
    "新签约": "#557fae",
    "新开工": "#3e6a9b",
    "续建": "#2c5685",
    "竣工": "#1d3d63",
}
MISSING_COLOR = "#b8b8b8"
SECTOR_COLORS: dict[str, str] = {
    "第一产业": "#6f9a4f",
    "第二产业": "#2c5685",
    "第三产业": "#c28a3a",
}
BASE_COLOR = "#2c5685"  # single-series bars
LIGHT_COLOR = "#d3dbe4"  # reference quantities (contracted, plan)
ACCENT_COLOR = "#c0392b"  # lagging projects, alerts
GUIDE_COLOR = "#555555"  # 时序进度 line, plan line
TEXT_COLOR = "#222222"  # titles, unit label, text on a light bar
LABEL_COLOR = "#333333"  # data labels next to bars and points
TICK_COLOR = "#444444"
NOTE_COLOR = "#666666"  # source note, axis lines
GRID_COLOR = "#dddddd"
LINE_WIDTH = 0.6  # gridlines, ticks


@dataclass(frozen=True)
class Layout:
    """Layout numbers of the charts, in one place (bar sizes are fractions of a category
    slot; heights in inches; thresholds are fractions of the largest bar)."""

    #: bar thickness of the category charts (by stage, channel, industry)
    bar_width: float = 0.62
    #: bar thickness of the funnel and of the progress chart's 100% plan bar
    wide_bar: float = 0.72
    #: the progress chart's rate bar, drawn inside the plan bar
    rate_bar: float = 0.34
    #: each of the two bars of a pair (合同引资 and 到位资金)
    pair_width: float = 0.36
    #: room beyond the largest bar for its label: columns, horizontal bars, pairs
    headroom_v: float = 1.22
    headroom_h: float = 1.30
    headroom_pair: float = 1.18
    #: points between a bar's end and its label: columns, horizontal bars
    label_pad_v: float = 2.0
    label_pad_h: float = 3.0
    #: a funnel label goes inside its bar when the bar is this wide (share of the widest)
    inside_label_min: float = 0.38
    #: the funnel's half-width, in shares of the widest bar
    funnel_half_width: float = 0.58
    #: an amount goes inside its 到位资金 bar when the bar is this tall (share of the tallest)
    inside_amount_min: float = 0.12
    #: horizontal charts grow with their rows: base + per row, in inches
    hbar_base: float = 0.9
    hbar_per_row: float = 0.32
    progress_base: float = 1.2
    progress_per_row: float = 0.2
    #: ... but are never lower than this share of FIG_HEIGHT
    min_height_share: float = 0.75
    #: the progress chart's value axis reaches at least 115%, or 112% of the highest rate
    progress_min_right: float = 1.15
    progress_right_margin: float = 1.12
    #: the monthly chart's x axis ends here (room after 12月)
    monthly_right: float = 12.4
    #: a note line longer than this (16 cm at 7.5 pt) is broken at its parts
    note_chars: int = 56
    #: project names in the progress chart are shortened to this many characters
    name_chars: int = 18


#: The layout the charts use.
LAYOUT = Layout()


def stage_color(stage: str) -> str:
    """The colour of a stage (grey for anything outside the vocabulary, e.g. 未明确阶段)."""
    return STAGE_COLORS.get(str(stage), MISSING_COLOR)


def rc_params() -> dict:
    """rcParams of the house style (the CJK font list included)."""
    font = cjk_font()
    return {
        "font.family": font_families(),
        "font.size": FONT_SIZE,
        "axes.titlesize": TITLE_SIZE,
        "axes.titleweight": "normal",
        "axes.titlelocation": "left",
        "axes.titlepad": 8.0,
        "axes.labelsize": FONT_SIZE,
        "axes.labelcolor": TEXT_COLOR,
        "axes.edgecolor": NOTE_COLOR,
        "axes.linewidth": 0.7,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "axes.unicode_minus": _has_minus_sign(),
        "axes.prop_cycle": mpl.cycler(color=[
            BASE_COLOR, ACCENT_COLOR, SECTOR_COLORS["第一产业"], SECTOR_COLORS["第三产业"]]),
        "xtick.labelsize": SMALL_SIZE,
        "ytick.labelsize": SMALL_SIZE,
        "xtick.color": TICK_COLOR,
        "ytick.color": TICK_COLOR,
        "legend.fontsize": SMALL_SIZE,
        "legend.frameon": False,
        "grid.color": GRID_COLOR,
        "grid.linewidth": LINE_WIDTH,
        "figure.figsize": (FIG_WIDTH, FIG_HEIGHT),
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "pdf.fonttype": font.pdf_fonttype,
        "ps.fonttype": font.pdf_fonttype,
        "svg.fonttype": "path",
    }


def _has_minus_sign() -> bool:
    from matplotlib.ft2font import FT2Font

    font = cjk_font()
    return FT2Font(str(font.path), face_index=font.index).get_char_index(0x2212) != 0


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style inside a ``with`` block; global rcParams are restored after."""
    with mpl.rc_context(rc_params()):
        yield


def new_axes(ax: Axes | None, *, height: float = FIG_HEIGHT) -> Axes:
    """``ax`` itself, or a new 16 cm wide figure's axes (constrained layout)."""
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=(FIG_WIDTH, height), layout="constrained")
    return new


def _texts(ax: Axes) -> Iterable[Text]:
    return ax.findobj(Text)


def finish_axes(
    ax: Axes,
    *,
    value_axis: str | None = "y",
    title: str | None = None,
    source: str | None = DEFAULT_SOURCE,
) -> Axes:
    """Write the house style onto ``ax``: spines, value-axis grid, ticks, fonts, title, note.

    Parameters
    ----------
    value_axis : {"x", "y", None}
        The axis that carries values: it gets the light gridlines; the other none.
    title : str, optional
        Drawn at the top left.
    source : str or None
        Source note at the bottom left of the axes' area; None for none.
    """
    families = font_families()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    if value_axis in ("x", "y"):
        ax.grid(True, axis=value_axis, color=GRID_COLOR, linewidth=LINE_WIDTH)
    ax.set_axisbelow(True)
    ax.tick_params(
        labelsize=SMALL_SIZE, labelcolor=TICK_COLOR, labelfontfamily=families, length=3,
        width=LINE_WIDTH,
    )
    category_axis = {"x": "y", "y": "x"}.get(value_axis or "", "both")
    ax.tick_params(axis=category_axis, length=0)
    pad = 8.0
    if value_axis == "y" and ax.get_ylabel() and ax.yaxis.label.get_visible():
        # Chinese statistical charts put the unit label level, above the value axis. The
        # axis label keeps its text (ax.get_ylabel()) but is hidden; a note shows it.
        ax.yaxis.label.set_visible(False)
        ax.annotate(
            ax.get_ylabel(),
            xy=(0, 1),
            xycoords=_above_axes(ax),
            xytext=(0, 6),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=SMALL_SIZE,
            color=TEXT_COLOR,
            gid="qz-unit",
        )
        pad += 16.0
    elif ax.get_legend() is not None and _legend_above(ax):
        pad += 16.0
    if title:
        ax.set_title(title, loc="left", fontsize=TITLE_SIZE, color=TEXT_COLOR, pad=pad)
    if source:
        ax.annotate(
            source,
            xy=(0, 0),
            xycoords=_below_axes(ax),
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=SMALL_SIZE - 0.5,
            color=NOTE_COLOR,
            gid="qz-source",
        )
    for text in _texts(ax):
        text.set_fontfamily(families)
    return ax


def _legend_above(ax: Axes) -> bool:
    legend = ax.get_legend()
    anchor = legend.get_bbox_to_anchor() if legend is not None else None
    if anchor is None:
        return False
    inverse = ax.transAxes.inverted()
    return bool(inverse.transform((anchor.x0, anchor.y0))[1] >= 0.999)


def legend_above(ax: Axes, **kwargs) -> None:
    """A legend in one row above the plot area, right-aligned (the unit label is left)."""
    handles, labels = ax.get_legend_handles_labels()
    kwargs.setdefault("ncols", max(1, len(kwargs.get("handles", handles))))
    ax.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        borderaxespad=0.2,
        fontsize=SMALL_SIZE,
        handlelength=1.4,
        columnspacing=1.2,
        **kwargs,
    )


def _above_axes(ax: Axes):
    """Coordinates (for ``annotate``) of the point left of the y tick labels, at the top."""
    from matplotlib.transforms import Bbox

    def coords(renderer):
        x0 = ax.bbox.x0
        ybox = ax.yaxis.get_tightbbox(renderer) if ax.yaxis.get_visible() else None
        if ybox is not None:
            x0 = min(x0, ybox.x0)
        return Bbox.from_bounds(x0, ax.bbox.y1, 0, 0)

    return coords


def _below_axes(ax: Axes):
    """Coordinates (for ``annotate``) of the point left of the y tick labels and below the
    x tick labels, the x-axis label and a legend placed under the axes."""
    from matplotlib.transforms import Bbox

    def coords(renderer):
        x0, y0 = ax.bbox.x0, ax.bbox.y0
        ybox = ax.yaxis.get_tightbbox(renderer) if ax.yaxis.get_visible() else None
        if ybox is not None:
            x0 = min(x0, ybox.x0)
        boxes = [ax.xaxis.get_tightbbox(renderer) if ax.xaxis.get_visible() else None]
        legend = ax.get_legend()
        if legend is not None:
            boxes.append(legend.get_window_extent(renderer))
        for box in boxes:
            if box is not None:
                y0 = min(y0, box.y0)
        return Bbox.from_bounds(x0, y0, 0, 0)

    return coords


class MoneyAxis:
    """How to show 万元 amounts: in 万元 or in 亿元, with a matching tick formatter.

    Attributes
    ----------
    unit : {"万元", "亿元"}
    divisor : float
        1 for 万元, 10,000 for 亿元 (values are plotted in 万元 and divided only for display).
    """

    def __init__(self, unit: str):
        if unit not in ("万元", "亿元"):
            raise ValueError(f"unit 应为 万元 或 亿元 / unit must be '万元' or '亿元', got {unit!r}")
        self.unit = unit
        self.divisor = 1.0 if unit == "万元" else 10_000.0

    def label(self, base: str) -> str:
        """``"总投资（万元）"`` → ``"总投资（亿元）"``; a label without a unit gets one appended."""
        if "（万元）" in base:
            return base.replace("（万元）", f"（{self.unit}）")
        return f"{base}（{self.unit}）"

    def text(self, value: float, *, digits: int | None = None) -> str:
        """A value for a data label: 万元 as an integer, 亿元 with two decimals."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        shown = value / self.divisor
        if digits is None:
            digits = 0 if self.unit == "万元" else 2
        return _minus(f"{shown:,.{digits}f}")

    def formatter(self) -> ticker.Formatter:
        return _MoneyFormatter(self.divisor)


def money_axis(values: Iterable[float], unit: str | None = "auto") -> MoneyAxis:
    """万元, or 亿元 when the largest absolute value reaches 10,000 万元 (``unit="auto"``)."""
    if unit not in (None, "auto"):
        return MoneyAxis(unit)
    finite = [abs(float(v)) for v in values if v is not None and not math.isnan(float(v))]
    return MoneyAxis("亿元" if finite and max(finite) >= 10_000 else "万元")


def _minus(text: str) -> str:
    if mpl.rcParams["axes.unicode_minus"] and text.startswith("-"):
        return "\N{MINUS SIGN}" + text[1:]
    return text


class _MoneyFormatter(ticker.Formatter):
    """Tick labels for values in 万元 shown in 万元 or 亿元, with as many decimals as the
    tick step needs (at most 2). The minus sign is decided when the chart is styled."""

    def __init__(self, divisor: float):
        self.divisor = divisor
        self.digits = 0
        self.unicode_minus = bool(mpl.rcParams["axes.unicode_minus"])

    def set_locs(self, locs):
        super().set_locs(locs)
        shown = [loc / self.divisor for loc in locs]
        scale = max((abs(v) for v in shown), default=1.0) or 1.0
        for digits in range(4):  # the fewest decimals that show every tick exactly
            if all(abs(round(v, digits) - v) <= 1e-9 * scale for v in shown):
                break
        self.digits = digits

    def __call__(self, x, pos=None):
        text = f"{x / self.divisor:,.{self.digits}f}"
        if text.lstrip("-").strip("0.,") == "":
            text = text.lstrip("-")  # no "-0"
        if self.unicode_minus and text.startswith("-"):
            text = "\N{MINUS SIGN}" + text[1:]
        return text
