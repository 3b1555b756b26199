"""Progress metrics: summaries per category, per-project rates, 开工率, several monthly ledgers.

Every rate here is a **ratio of sums**, never an average of per-project rates, and is
computed over the projects where both the numerator and the denominator are known
(a project with a missing 本年计划投资 does not enter 年度计划完成率 at all). Rates are
fractions (0.5 = 50%). A sum over values that are all missing is missing (NaN), never 0.
No function mutates its input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qzanalysis.periods import months_elapsed
from qzanalysis.reading.many import link_projects
from qzanalysis.vocab import (  # LABELS lives in vocab; metrics.LABELS stays importable
    CATEGORY_COLUMNS,
    FUNDING_CHANNELS,
    LABELS,
    STAGES,
)

__all__ = [
    "LABELS",
    "SUMMARY_COLUMNS",
    "summarize",
    "progress",
    "start_rate",
    "month_over_month",
    "monthly_totals",
    "history",
]


#: Money columns summed by :func:`summarize`, in output order.
_SUM_COLUMNS: tuple[str, ...] = (
    "total_investment",
    "contracted_investment",
    "planned_investment",
    "completed_investment",
    "cumulative_investment",
    "funds_in_place",
)
#: rate -> (numerator, denominator)
_RATES: dict[str, tuple[str, str]] = {
    "completion_rate": ("cumulative_investment", "total_investment"),
    "plan_rate": ("completed_investment", "planned_investment"),
    "funds_rate": ("funds_in_place", "contracted_investment"),
}
#: Columns of :func:`summarize`'s result, exactly and in this order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "projects",
    *_SUM_COLUMNS,
    *_RATES,
    "share_projects",
    "share_investment",
)

TOTAL_LABEL = "合计"
_MISSING_LABEL = "未分类"
_MISSING_LABELS = {"stage": "未明确阶段"}
#: Known orders of the category columns (values not listed follow, by descending investment).
_ORDERS: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "funding_channel": FUNDING_CHANNELS,
    "industry_section": tuple(chr(c) for c in range(ord("A"), ord("T") + 1)),
    "sector": ("第一产业", "第二产业", "第三产业"),
}
#: Columns that only ``qz.classify`` adds (``stage`` may also come from the reader).
_CLASSIFY_COLUMNS = tuple(c for c in CATEGORY_COLUMNS if c != "stage")


# --------------------------------------------------------------------------- summarize


def summarize(
    df: pd.DataFrame,
    by: str | Sequence[str] = "stage",
    *,
    observed: bool = True,
) -> pd.DataFrame:
    """Counts, sums, rates and shares per category, with a final 合计 row.

    Parameters
    ----------
    df : DataFrame
        Projects (``ledger.projects``, or ``qz.classify(...)``'s result). Money columns
        that are absent count as all missing. Not modified.
    by : str or list of str, default ``"stage"``
        The category column(s): ``"stage"``, ``"funding_channel"``,
        ``"industry_section"``, ``"sector"``, ``"section"`` or any other column. A list
        gives a MultiIndex (one level per column).
    observed : bool, default True
        If False (single ``by`` with a known vocabulary only: stage, funding channel,
        industry section, sector), every category of the vocabulary gets a row, with
        ``projects`` 0 and missing sums, e.g. the full funnel 储备 → 竣工.

    Returns
    -------
    DataFrame
        Index: the category values, named after ``by``, in category order (pipeline
        order for stage, ``FUNDING_CHANNELS`` order, section letters A–T, 第一/二/三产业,
        a categorical column's categories; values outside these, and other columns, by
        descending total investment). Projects whose category is
        missing form a row labelled 未分类 (未明确阶段 for stage), never dropped. Last row:
        合计 (for a MultiIndex: ``("合计", "", ...)``).
        Columns (:data:`SUMMARY_COLUMNS`): ``projects``; sums in 万元 of
        ``total_investment``, ``contracted_investment``, ``planned_investment``,
        ``completed_investment``, ``cumulative_investment``, ``funds_in_place`` (NaN
        where all values of a group are missing); ``completion_rate`` (累计完成 ÷ 总投资),
        ``plan_rate`` (本年完成 ÷ 本年计划), ``funds_rate`` (到位资金 ÷ 合同引资) as
        ratios of sums over the projects where both figures are known, NaN where the
        denominator sum is 0 or missing; ``share_projects`` and ``share_investment``
        (of total investment), fractions of the 合计 row. :data:`LABELS` gives the
        Chinese headers.

    Raises
    ------
    ValueError
        If a ``by`` column is absent (a classification column: call ``qz.classify`` first).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "project_name": ["甲", "乙", "丙"],
    ...     "stage": pd.Categorical(["续建", "新签约", "续建"], categories=STAGES, ordered=True),
    ...     "total_investment": [100.0, 50.0, 300.0],
    ...     "cumulative_investment": [40.0, 10.0, None],
    ... })
    >>> s = summarize(df, by="stage")
    >>> s.index.tolist()
    ['新签约', '续建', '合计']
    >>> s.loc["续建", ["total_investment", "completion_rate"]].tolist(), int(s.loc["续建", "projects"])
    ([400.0, 0.4], 2)
    >>> print(f"{s.loc['合计', 'completion_rate']:.4f}")  # (40 + 10) / (100 + 50): 丙 lacks one
    0.3333
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError("by 不能为空 / `by` must name at least one column")
    for key in keys:
        _check_column(df, key)

    labels = {key: _category_labels(df[key], key) for key in keys}
    money = {col: _money(df, col) for col in _SUM_COLUMNS}

    work = pd.DataFrame({f"__key{i}": labels[k] for i, k in enumerate(keys)}, index=df.index)
    for col in _SUM_COLUMNS:
        work[col] = money[col]
    for rate, (num, den) in _RATES.items():
        both = money[num].notna() & money[den].notna()
        work[f"__{rate}_num"] = money[num].where(both)
        work[f"__{rate}_den"] = money[den].where(both)
    value_cols = [c for c in work.columns if not c.startswith("__key")]
    key_cols = [f"__key{i}" for i in range(len(keys))]

    if len(work):
        grouped = work.groupby(key_cols, sort=False, dropna=False)
        sums = grouped[value_cols].sum(min_count=1)
        sums.insert(0, "projects", grouped.size())
    else:
        sums = pd.DataFrame(columns=["projects", *value_cols], dtype="float64")
        sums.index = pd.MultiIndex.from_tuples([], names=key_cols) if len(keys) > 1 else (
            pd.Index([], dtype="str", name=key_cols[0])
        )

    if not observed and len(keys) == 1 and keys[0] in _ORDERS:
        wanted = pd.Index(_ORDERS[keys[0]], name=key_cols[0])
        sums = sums.reindex(sums.index.union(wanted, sort=False))
        sums["projects"] = sums["projects"].fillna(0)

    sums = sums.iloc[_order(sums, keys, {k: _known_order(df, k) for k in keys})]

    total = work[value_cols].sum(min_count=1)
    total["projects"] = len(work)
    total_label: object = TOTAL_LABEL if len(keys) == 1 else (TOTAL_LABEL,) + ("",) * (len(keys) - 1)
    body = sums[["projects", *value_cols]]
    table = pd.concat([body, pd.DataFrame([total[body.columns]], index=[total_label])])
    if len(keys) == 1:
        table.index = pd.Index(table.index, dtype="str", name=keys[0])
    else:
        table.index = pd.MultiIndex.from_tuples(list(table.index), names=keys)

    out = pd.DataFrame(index=table.index)
    out["projects"] = table["projects"].astype("int64")
    for col in _SUM_COLUMNS:
        out[col] = table[col].astype("float64")
    for rate in _RATES:
        out[rate] = _ratio(table[f"__{rate}_num"], table[f"__{rate}_den"])
    all_projects = float(len(work))
    out["share_projects"] = out["projects"] / all_projects if all_projects else np.nan
    out["share_investment"] = _ratio(out["total_investment"], total["total_investment"])
    return out


def _check_column(df: pd.DataFrame, key: str) -> None:
    if key in df.columns:
        return
    if key in _CLASSIFY_COLUMNS or key == "stage":
        raise ValueError(
            f"数据中没有“{key}”列，请先调用 qz.classify(df) 进行分类 / "
            f"column {key!r} not found: call qz.classify(df) first"
        )
    raise ValueError(
        f"数据中没有“{key}”列 / column {key!r} not found; "
        f"available columns: {', '.join(map(str, df.columns))}"
    )


def _money(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype="float64")
    return pd.to_numeric(df[col], errors="coerce").astype("float64")


def _is_missing(values: pd.Series) -> pd.Series:
    """NaN/None/NA, or text that is blank."""
    blank = values.isna().to_numpy(dtype=bool, copy=True)
    present = ~blank
    if present.any():
        text = values[present].astype("str").str.strip()
        blank[present] = text.eq("").to_numpy(dtype=bool)
    return pd.Series(blank, index=values.index)


def _category_labels(values: pd.Series, key: str) -> pd.Series:
    """The category as text, missing (NaN, blank) replaced by the missing label."""
    missing = _is_missing(values)
    labels = values.astype("object").where(~missing, _MISSING_LABELS.get(key, _MISSING_LABEL))
    return labels.map(str).astype("str")


def _known_order(df: pd.DataFrame, key: str) -> tuple:
    """The fixed order of a category column: its vocabulary, or a categorical's categories."""
    if key in _ORDERS:
        return _ORDERS[key]
    if isinstance(df[key].dtype, pd.CategoricalDtype):
        return tuple(str(c) for c in df[key].cat.categories)
    return ()


def _level_order(
    key: str, known: tuple, values: pd.Series, totals: pd.Series, counts: pd.Series
) -> dict:
    """Rank of each distinct value of one level: known order, then by investment."""
    known = list(known)
    missing_label = _MISSING_LABELS.get(key, _MISSING_LABEL)
    distinct = list(dict.fromkeys(values))
    vocab = [v for v in known if v in distinct]
    rest = [v for v in distinct if v not in known and v != missing_label]
    frame = pd.DataFrame(
        {
            "value": rest,
            "total": [totals.get(v, np.nan) for v in rest],
            "count": [counts.get(v, 0) for v in rest],
        }
    )
    frame = frame.sort_values(
        ["total", "count", "value"], ascending=[False, False, True], na_position="last",
        kind="stable",
    )
    ranked = vocab + frame["value"].tolist() + ([missing_label] if missing_label in distinct else [])
    return {v: i for i, v in enumerate(ranked)}


def _order(sums: pd.DataFrame, keys: list[str], known: dict[str, tuple]) -> np.ndarray:
    if not len(sums):
        return np.arange(0)
    index = sums.index
    ranks = []
    for i, key in enumerate(keys):
        level = pd.Series(
            index.get_level_values(i) if isinstance(index, pd.MultiIndex) else index
        ).astype("str")
        level_totals = sums.groupby(level.to_numpy())["total_investment"].sum(min_count=1)
        level_counts = sums.groupby(level.to_numpy())["projects"].sum()
        order = _level_order(key, known[key], level, level_totals, level_counts)
        ranks.append(level.map(order).to_numpy())
    return np.lexsort(ranks[::-1])


def _ratio(num, den):
    """num / den as float, NaN where den is 0 or missing."""
    num = pd.to_numeric(num, errors="coerce")
    den = pd.to_numeric(den, errors="coerce")
    if np.ndim(den) == 0:
        return num / den if pd.notna(den) and den != 0 else num * np.nan
    den = den.astype("float64")
    return num.astype("float64") / den.where(den != 0)


# --------------------------------------------------------------------------- per project

#: Stages whose projects are under construction during the period.
_UNDER_CONSTRUCTION = ("新开工", "续建")
_DEFAULT_PERIOD = "1-6月"
_EPS = 1e-9


def progress(
    df: pd.DataFrame,
    *,
    period=None,
    lag_threshold: float = 0.10,
) -> pd.DataFrame:
    """Per-project progress metrics, added as columns to a new frame.

    Parameters
    ----------
    df : DataFrame
        Projects. Not modified.
    period : str, pandas Period, int or None
        The report period (``"1-6月"``, ``"上半年"``, ``"1-8月"``, ``"全年"``,
        ``"2008-08"``, ``pd.Period("2008-08", "M")``; see
        :func:`qzanalysis.periods.months_elapsed`). None: each row's ``as_of`` (the
        frames of :func:`load_many`), or ``"1-6月"`` when there is no ``as_of`` column.
    lag_threshold : float, default 0.10
        How far (as a fraction, 0.10 = 10 points) 占年计划% may fall behind 时序进度
        before a project counts as lagging.

    Returns
    -------
    DataFrame
        ``df`` with these columns added (replaced if present):

        - ``completion_rate`` 投资完成率 = cumulative_investment / total_investment
        - ``plan_rate`` 年度计划完成率（占年计划%） = completed_investment / planned_investment
        - ``funds_rate`` 资金到位率 = funds_in_place / contracted_investment
        - ``schedule`` 时序进度 = months elapsed / 12 (1-6月 → 0.5)
        - ``schedule_gap`` 超/欠序时 in percentage points = (plan_rate − schedule) × 100
        - ``lagging`` (nullable boolean): True when plan_rate < schedule − lag_threshold,
          or when a project under construction (新开工, 续建) has nothing completed
          (completed_investment missing or 0) by the period's end; False when plan_rate
          is known and not that far behind; missing (NA) where it cannot be judged.

        Rates are fractions, missing where either figure is missing or the
        denominator is 0.

    Examples
    --------
    The published example: 74% of the annual plan done at the end of August.

    >>> df = pd.DataFrame({"project_name": ["甲"], "planned_investment": [1000.0],
    ...                    "completed_investment": [740.0]})
    >>> row = progress(df, period="1-8月").iloc[0]
    >>> print(f"{row.plan_rate:.2f} {row.schedule:.4f} {row.schedule_gap:+.2f} {row.lagging}")
    0.74 0.6667 +7.33 False
    """
    total = _money(df, "total_investment")
    completed = _money(df, "completed_investment")
    plan_rate = _ratio(completed, _money(df, "planned_investment"))

    if period is None and "as_of" in df.columns:
        sched = _schedule_of(df["as_of"])
    else:
        sched = pd.Series(
            months_elapsed(_DEFAULT_PERIOD if period is None else period) / 12,
            index=df.index,
            dtype="float64",
        )

    behind = (sched - plan_rate) > lag_threshold + _EPS
    if "stage" in df.columns:
        building = df["stage"].astype("object").isin(_UNDER_CONSTRUCTION).to_numpy(dtype=bool)
    else:
        building = np.zeros(len(df), dtype=bool)
    nothing_done = (completed.isna() | completed.eq(0)).to_numpy(dtype=bool) & building
    judged = plan_rate.notna().to_numpy(dtype=bool) | nothing_done
    lagging = pd.array(behind.to_numpy(dtype=bool) | nothing_done, dtype="boolean")
    lagging[~judged] = pd.NA

    return df.assign(
        completion_rate=_ratio(_money(df, "cumulative_investment"), total),
        plan_rate=plan_rate,
        funds_rate=_ratio(_money(df, "funds_in_place"), _money(df, "contracted_investment")),
        schedule=sched,
        schedule_gap=(plan_rate - sched) * 100,
        lagging=pd.Series(lagging, index=df.index),
    )


def _schedule_of(as_of: pd.Series) -> pd.Series:
    """Share of the year elapsed for each value of an ``as_of`` column."""
    if isinstance(as_of.dtype, pd.PeriodDtype):
        months = as_of.dt.asfreq("M", how="end").dt.month
        return (months / 12).astype("float64")
    mapping = {v: months_elapsed(v) / 12 for v in pd.unique(as_of.dropna())}
    return as_of.map(mapping).astype("float64")


# --------------------------------------------------------------------------- 开工率

#: Stages of this year's projects due to start (the denominator of 开工率).
_DUE_STAGES = ("新签约", "新开工")


def start_rate(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    count_spending: bool = True,
) -> pd.DataFrame:
    """开工率: this year's new projects that have started, of those due to start.

    Field practice divides 已开工项目 by 计划新开工 (key projects) or by 签约项目
    (investment promotion). From the stage column alone:

    - **due to start** (应开工, the denominator) = projects at stage 新签约 or 新开工,
      i.e. this year's signed or planned new projects. 续建 and 竣工 projects started
      in earlier years and are not counted; 储备, 前期, 洽谈 are not due yet.
    - **started** (已开工, the numerator) = the 新开工 projects, plus (when
      ``count_spending``) the 新签约 projects that already report completed
      investment (> 0): money spent on site means work has begun.

    Parameters
    ----------
    df : DataFrame
        Projects with a ``stage`` column. Not modified.
    by : str or list of str, optional
        Category column(s) to break the rate down by (as in :func:`summarize`).
    count_spending : bool, default True
        Count 新签约 projects with completed investment > 0 as started.

    Returns
    -------
    DataFrame
        Columns ``due`` (应开工项目数), ``started`` (已开工项目数), ``start_rate``
        (started / due, NaN when nothing is due). One row per category of ``by`` in
        :func:`summarize`'s order, then 合计; only the 合计 row without ``by``.

    Examples
    --------
    >>> df = pd.DataFrame({"project_name": list("甲乙丙丁戊"),
    ...                    "stage": ["新开工", "新签约", "新签约", "续建", "洽谈"],
    ...                    "completed_investment": [10.0, 0.0, 5.0, 30.0, None]})
    >>> start_rate(df)     # 甲 started, 丙 has spent: 2 of the 3 due
          due  started  start_rate
    合计    3        2    0.666667
    >>> int(start_rate(df, count_spending=False).loc["合计", "started"])
    1
    """
    _check_column(df, "stage")
    stage = df["stage"].astype("object")
    due = stage.isin(_DUE_STAGES).to_numpy(dtype=bool)
    started = stage.eq("新开工").fillna(False).to_numpy(dtype=bool, copy=True)
    if count_spending:
        spent = _money(df, "completed_investment").gt(0).to_numpy(dtype=bool)
        started |= stage.eq("新签约").fillna(False).to_numpy(dtype=bool) & spent
    started &= due
    flags = pd.DataFrame(
        {"due": due.astype("float64"), "started": started.astype("float64")}, index=df.index
    )
    if by is None:
        table = pd.DataFrame([flags.sum()], index=pd.Index([TOTAL_LABEL], dtype="str"))
    else:
        counts = summarize(df.assign(**flags), by)  # for the index and its order
        keys = [by] if isinstance(by, str) else list(by)
        labels = [_category_labels(df[k], k) for k in keys]
        grouped = flags.groupby(labels if len(keys) > 1 else labels[0]).sum()
        if len(keys) == 1:
            grouped.index = pd.Index(grouped.index, dtype="str")
        table = grouped.reindex(counts.index)
        table.loc[counts.index[-1]] = flags.sum()
    table = table.astype("int64")
    table["start_rate"] = _ratio(table["started"], table["due"])
    return table


# --------------------------------------------------------------------------- several ledgers

#: Names that moved to :mod:`qzanalysis.reading.many` (one-way flow: reading never imports
#: metrics). Public ones still import from here for one release, with a DeprecationWarning.
_MOVED_PUBLIC = ("load_many",)
_MOVED_PRIVATE = ("_report_month", "_ledger_files", "_top_texts")


def __getattr__(name: str):
    if name in _MOVED_PUBLIC or name in _MOVED_PRIVATE:
        if name in _MOVED_PUBLIC:
            import warnings

            warnings.warn(
                f"qzanalysis.metrics.{name} 已移到 qzanalysis.{name}（qzanalysis.reading.many）"
                f" / qzanalysis.metrics.{name} moved to qzanalysis.{name}; "
                "the old name goes away in the next release",
                DeprecationWarning,
                stacklevel=2,
            )
        from qzanalysis.reading import many

        return getattr(many, name)
    raise AttributeError(f"module 'qzanalysis.metrics' has no attribute {name!r}")


def _project_ids(frame: pd.DataFrame) -> pd.Series:
    """``project_id`` of each row: the frame's own, or :func:`qz.link_projects`'s."""
    if "project_id" in frame.columns:
        return frame["project_id"].astype("str")
    return link_projects(frame).projects["project_id"]


def month_over_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Each project's increase of completed investment and funds in place over the month.

    The monthly ledgers report 完成投资 and 到位资金 **year to date** (1-n月 cumulative),
    so a month's change is this month's figure minus the same project's figure in the
    latest earlier ledger of the same year. A project's first ledger of a year (the
    first month, or the month it was signed) has no earlier figure: its change is its
    year-to-date figure. A missing figure gives a missing change (the previous known
    figure is used as the base for the next month), and so does a figure whose earlier
    ledgers of the year all lack it. A month with no ledger in between (January, then
    March) makes the next change span both months.

    Projects are matched across months by ``project_id`` (:func:`qz.load_many` adds
    it; a frame without it is linked here with :func:`qz.link_projects`), so a project
    whose name was retyped keeps its earlier figures as the base of its change.

    Parameters
    ----------
    frame : DataFrame
        :func:`qz.load_many`'s result (needs ``as_of``, and ``project_id`` or
        ``project_name``). Not modified.

    Returns
    -------
    DataFrame
        ``frame`` with ``completed_investment_change`` and ``funds_in_place_change``
        (万元) added.

    Examples
    --------
    >>> f = pd.DataFrame({"as_of": pd.PeriodIndex(["2008-01", "2008-02", "2008-02"], freq="M"),
    ...                   "project_name": ["甲", "甲", "乙"],
    ...                   "completed_investment": [100.0, 250.0, 40.0],
    ...                   "funds_in_place": [50.0, None, 10.0]})
    >>> month_over_month(f)[["completed_investment_change", "funds_in_place_change"]].values.tolist()
    [[100.0, 50.0], [150.0, nan], [40.0, 10.0]]
    """
    _check_column(frame, "as_of")
    if "project_id" not in frame.columns:
        _check_column(frame, "project_name")
    as_of = frame["as_of"]
    if not isinstance(as_of.dtype, pd.PeriodDtype):
        as_of = pd.PeriodIndex(as_of.astype("str"), freq="M").to_series(index=frame.index)
    ids = _project_ids(frame.assign(as_of=as_of))
    year = as_of.dt.year
    order = np.lexsort((pd.PeriodIndex(as_of, freq="M").asi8, pd.factorize(ids)[0]))
    changes = {}
    for col in ("completed_investment", "funds_in_place"):
        values = _money(frame, col)
        ordered = values.iloc[order]
        groups = [ids.iloc[order], year.iloc[order]]
        # the latest known figure before this month, within the project and the year
        known = ordered.groupby(groups, sort=False).ffill()
        previous = known.groupby(groups, sort=False).shift(1)
        # the project's first ledger of the year: the change is its year-to-date figure;
        # later ledgers with no known earlier figure: the change is unknown, not the figure
        first = ordered.groupby(groups, sort=False).cumcount().eq(0)
        change = ordered - previous.where(~first, 0.0)
        changes[f"{col}_change"] = change.reindex(frame.index)
    return frame.assign(**changes)


def monthly_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Totals per report month of several ledgers, with the month's change.

    Parameters
    ----------
    frame : DataFrame
        :func:`load_many`'s result. Not modified.

    Returns
    -------
    DataFrame
        Index ``as_of`` (sorted). Columns: ``projects``, the sums of
        :func:`summarize` (万元), ``completed_investment_change`` and
        ``funds_in_place_change`` (the month's increase of the year-to-date totals;
        the first month of a year: its total), ``plan_rate`` (completed / planned,
        over the projects where both are known) and ``schedule`` (months / 12) — the
        two curves of an S-curve chart.

    Examples
    --------
    >>> f = pd.DataFrame({"as_of": pd.PeriodIndex(["2008-01", "2008-02", "2008-02"], freq="M"),
    ...                   "project_name": ["甲", "甲", "乙"],
    ...                   "planned_investment": [1200.0, 1200.0, 600.0],
    ...                   "completed_investment": [100.0, 250.0, 40.0]})
    >>> t = monthly_totals(f)
    >>> t["projects"].tolist(), t["completed_investment_change"].tolist()
    ([1, 2], [100.0, 190.0])
    >>> [round(x, 4) for x in t["plan_rate"]], [round(x, 4) for x in t["schedule"]]
    ([0.0833, 0.1611], [0.0833, 0.1667])
    """
    _check_column(frame, "as_of")
    as_of = frame["as_of"]
    if not isinstance(as_of.dtype, pd.PeriodDtype):
        as_of = pd.PeriodIndex(as_of.astype("str"), freq="M").to_series(index=frame.index)
    rows = []
    for period in sorted(pd.unique(as_of.dropna())):
        part = frame[as_of.eq(period).to_numpy(dtype=bool)]
        total = summarize(part.assign(__all=""), "__all").loc[TOTAL_LABEL]
        rows.append(total.rename(period))
    table = pd.DataFrame(rows)
    table.index = pd.PeriodIndex(table.index, freq="M", name="as_of")
    out = table[["projects", *_SUM_COLUMNS]].astype("float64")
    out["projects"] = out["projects"].astype("int64")
    for col in ("completed_investment", "funds_in_place"):
        previous = out[col].groupby(out.index.year).shift(1)
        first = pd.Series(out.index.year, index=out.index).groupby(out.index.year).cumcount().eq(0)
        out[f"{col}_change"] = out[col] - previous.where(~first, 0.0)
    out["plan_rate"] = table["plan_rate"]
    out["schedule"] = (out.index.month / 12).astype("float64")
    return out


#: Columns of :func:`history`, in this order (those the frame lacks are left out).
_HISTORY_COLUMNS = (
    "project_id", "project_name", "stage", "owner", "location", "total_investment",
    "planned_investment", "completed_investment", "completed_investment_change",
    "plan_rate", "cumulative_investment", "funds_in_place", "funds_in_place_change",
    "source_file", "source_row",
)


def history(frame: pd.DataFrame, project: str) -> pd.DataFrame:
    """One project's figures month by month, with its monthly increases.

    Parameters
    ----------
    frame : DataFrame
        Several ledgers (:func:`qz.load_many`'s result). Not modified.
    project : str
        A ``project_id`` (``"P0003"``), or a name the project had in any month
        (compared after normalisation: width, spaces, traditional characters,
        brackets). A name that belongs to several projects (the same 村级 project in
        two towns) is an error listing their ids: pass the id.

    Returns
    -------
    DataFrame
        Index ``as_of`` (one row per month the project is listed). Columns, those the
        frame has: ``project_id``, ``project_name`` (as written that month), ``stage``,
        ``owner``, ``location``, ``total_investment``, ``planned_investment``,
        ``completed_investment`` (year to date) and ``completed_investment_change``
        (the month's increase, see :func:`month_over_month`), ``plan_rate``
        (completed ÷ planned), ``cumulative_investment``, ``funds_in_place``,
        ``funds_in_place_change``, ``source_file``, ``source_row``.

    Raises
    ------
    ValueError
        No project has that id or name, or the name belongs to several projects.

    Examples
    --------
    >>> f = pd.DataFrame({"as_of": pd.PeriodIndex(["2008-01", "2008-02"], freq="M"),
    ...                   "project_name": ["皂郊水厂改扩建项目", "皂郊水厂改扩建工程"],
    ...                   "owner": ["秦州区水务局"] * 2, "total_investment": [900.0, 900.0],
    ...                   "planned_investment": [600.0, 600.0],
    ...                   "completed_investment": [100.0, 250.0]})
    >>> h = history(f, "皂郊水厂改扩建项目")
    >>> h[["project_name", "completed_investment_change"]].values.tolist()
    [['皂郊水厂改扩建项目', 100.0], ['皂郊水厂改扩建工程', 150.0]]
    """
    _check_column(frame, "as_of")
    if "project_id" not in frame.columns:
        frame = link_projects(frame).projects
    changes = month_over_month(frame)
    ids = changes["project_id"].astype("str")
    wanted = str(project).strip()
    if not ids.eq(wanted).any():
        from qzanalysis.reading.many import _norm

        names = pd.Series(_norm(changes["project_name"]), index=changes.index, dtype="object")
        key = _norm(pd.Series([wanted]))[0]
        matches = list(dict.fromkeys(ids[names.eq(key).to_numpy(dtype=bool)]))
        if not matches:
            raise ValueError(
                f"没有找到项目“{project}”（既不是 project_id，也不是任何月份的项目名称） / "
                f"no project with id or name {project!r}"
            )
        if len(matches) > 1:
            raise ValueError(
                f"名称“{project}”对应多个项目：{'、'.join(matches)}，请用 project_id 指定 / "
                f"name {project!r} belongs to several projects: {', '.join(matches)}"
            )
        wanted = matches[0]
    rows = changes[ids.eq(wanted).to_numpy(dtype=bool)].copy()
    rows["plan_rate"] = _ratio(_money(rows, "completed_investment"),
                               _money(rows, "planned_investment"))
    as_of = rows["as_of"]
    rows = rows[[c for c in _HISTORY_COLUMNS if c in rows.columns]]
    rows.index = pd.PeriodIndex(as_of, freq="M", name="as_of")
    return rows.sort_index(kind="stable")
