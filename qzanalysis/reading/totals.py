"""Phase 5: the totals a sheet declares (合计, 小计, 其中…, sections with amounts, a parent
project over its sub-projects), which projects each one covers, and whether it agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from qzanalysis.reading.grid import Amounts, Grid, fmt, where
from qzanalysis.reading.rowkinds import COUNT_RE, Labels, RowKinds, strip_qi
from qzanalysis.reading.sections import Sections
from qzanalysis.reading.values import printed_decimals
from qzanalysis.reading.words import grand_total_re, total_word_re
from qzanalysis.stages import clean_section, stage_exact, to_stage
from qzanalysis.vocab import MONEY_COLUMNS

__all__ = ["TOTALS_COLUMNS", "totals_frame", "declared_totals", "tolerance", "agrees"]

_IN_BUILD = ("续建", "新开工")  # 其中：在建 covers everything under construction

TOTALS_COLUMNS = ["source_file", "source_sheet", "source_row", "label", "scope",
                  *MONEY_COLUMNS, "n_projects", "declared_count",
                  *(f"computed_{c}" for c in MONEY_COLUMNS), "project_rows"]


def tolerance(declared, printed, factor: float = 1.0) -> float:
    """How far a declared total may be from the sum of its projects and still agree.

    Half a unit of the last decimal the cell shows (``printed``: the raw cell or the
    number), in the column's unit, plus a relative 1e-6 for float noise.

    >>> round(tolerance(26500.0, 26500), 4), round(tolerance(2.65, 2.65, 10000.0), 4)
    (0.5265, 50.0)
    """
    return (0.5 * 10.0 ** -printed_decimals(printed) * factor + 1e-6 * abs(declared) + 1e-9)


def agrees(declared: float, computed: float, tol: float) -> bool:
    """A declared total agrees with a computed sum (missing sum: only a declared 0 agrees).

    >>> agrees(100.0, 100.4, 0.5), agrees(100.0, 101.0, 0.5), agrees(0.0, float("nan"), 0.5)
    (True, False, True)
    """
    if np.isnan(computed):
        return abs(declared) <= tol
    return abs(declared - computed) <= tol + 1e-6 * abs(computed)


def totals_frame(records) -> pd.DataFrame:
    """``ledger.totals`` rows with their dtypes (an empty frame is built once and copied)."""
    if not records:
        return _empty_totals().copy()
    return _totals_of(records)


@lru_cache(maxsize=1)
def _empty_totals() -> pd.DataFrame:
    return _totals_of([])


def _totals_of(records) -> pd.DataFrame:
    """Column by column (a frame of records then ``astype`` cost ~6 ms a sheet)."""
    data = {}
    for c in TOTALS_COLUMNS:
        values = [r.get(c) for r in records]
        if c == "project_rows":
            data[c] = pd.Series(values, dtype=object)
        elif c in _INT_COLUMNS:
            data[c] = pd.Series(pd.array(values, dtype="Int64"))
        elif c in _TEXT_COLUMNS:
            data[c] = pd.Series(values, dtype=object).astype("str")
        else:  # amounts: None is missing
            data[c] = pd.Series(np.array([np.nan if v is None else v for v in values],
                                         dtype="float64"))
    return pd.DataFrame(data, copy=False)


_INT_COLUMNS = ("source_row", "n_projects", "declared_count")
_TEXT_COLUMNS = ("source_file", "source_sheet", "label", "scope")


@dataclass
class _Scopes:
    """Which projects a total row covers, from its label and the sections around it."""

    grid: Grid
    lab: Labels
    rk: RowKinds
    secs: Sections
    amts: Amounts
    projects: pd.DataFrame
    P: np.ndarray
    T: np.ndarray

    def __post_init__(self):
        state = self.secs.state
        self.proj_stage = self.projects["stage"].astype(object).to_numpy()
        self.proj_section = self.projects["section"].to_numpy(dtype=object)
        self.proj_cur = self.secs.cur_pos[self.P]
        self.descendants = {s: {p for p, st in state.items() if s in st.path} for s in state}
        self.top_level = sorted(p for p, st in state.items() if st.level == 0)
        self.known_sections = {st.section for st in state.values() if st.section}
        self.groups = self.rk.groups or {}
        self.sub_rows = [c for kids in self.groups.values() for c in kids]
        kind, key = self.rk.kind, self.lab.key
        # 总计 / 总合计 close the whole sheet; the other grand words may close a top section
        grand_re = grand_total_re()
        grand = [i for i in self.T if kind[i] == "total" and grand_re.match(key[i])
                 and not key[i].startswith("总计")]
        self.tops_with_grand = {self.top_of(i) for i in grand if self.top_of(i) is not None}
        self.last_base = None

    def in_section(self, s) -> np.ndarray:
        return np.isin(self.proj_cur, list(self.descendants.get(s, {s})))

    def top_of(self, pos):
        c = self.secs.cur_pos[pos]
        return None if c < 0 else self.secs.state[c].path[0]

    def count_ok(self, declared_n, mask) -> bool:
        found = int(mask.sum())
        if declared_n == found or not self.sub_rows:
            return declared_n == found
        # a project split into 2.1, 2.2 may be counted once, as its parent row
        parents = sum(1 for kids in self.groups.values() if mask[np.isin(self.P, kids)].any())
        return declared_n == found - int(np.isin(self.P[mask], self.sub_rows).sum()) + parents

    def scope(self, i: int) -> tuple[str, np.ndarray, bool]:
        """(scope name, mask over the projects, resolved) of the total on grid row ``i``."""
        key, kind, state = self.lab.key[i], self.rk.kind, self.secs.state
        if i in self.groups:  # a parent project over its sub-projects (2 → 2.1, 2.2)
            return str(self.lab.raw[i]).strip(), np.isin(self.P, self.groups[i]), True
        if kind[i] == "section":
            self.last_base = self.in_section(i)
            return (state[i].stage or state[i].section or str(self.lab.raw[i]).strip(),
                    self.last_base, True)
        if key.startswith("其中") or (i > 0 and kind[i - 1] == "total"
                                     and self.lab.key[i - 1].startswith(("其中",))
                                     and not total_word_re().search(key)):
            return self._breakdown(key)
        scope, mask = self._labelled(i, key)
        self.last_base = mask
        return scope, mask, True

    def _breakdown(self, key: str) -> tuple[str, np.ndarray, bool]:
        """其中：续建 / 其中：在建 / 其中：省列重点 -- a part of the total above."""
        rest = re.sub(COUNT_RE, "", strip_qi(key))
        base = self.last_base if self.last_base is not None else np.ones(len(self.P), bool)
        if re.sub(r"(?:类?项目|类)$", "", rest) == "在建":
            return "+".join(_IN_BUILD), base & np.isin(self.proj_stage, _IN_BUILD), True
        st = to_stage(pd.Series([rest]))[0] if rest else None
        if rest and not pd.isna(st):
            return str(st), base & (self.proj_stage == st), True
        sec = clean_section(pd.Series([rest]))[0] if rest else None
        if rest and sec in self.known_sections:
            return sec, base & (self.proj_section == sec), True
        if rest and (by := _value_column(self.projects, rest)) is not None:
            # 其中：省列重点 over a 项目级别 column holding 省列重点
            return f"{by}：{rest}", base & (self.projects[by] == rest).to_numpy(
                dtype=bool, na_value=False), True
        return rest or "其中", np.ones(len(self.P), bool), False

    def _labelled(self, i: int, key: str) -> tuple[str, np.ndarray]:
        """续建项目小计 / 工业小计 / 小计 / 总计 / 合计, by what stands before the total word."""
        state, cur = self.secs.state, self.secs.cur_pos[i]
        prefix = total_word_re().split(re.sub(COUNT_RE, "", key))[0]
        if prefix and stage_exact(pd.Series([prefix])).notna()[0]:
            st = to_stage(pd.Series([prefix]))[0]
            mask = self.proj_stage == st
            if cur >= 0 and state[cur].section and "小计" in key:
                mask = mask & (self.proj_section == state[cur].section)
            return str(st), mask
        if prefix and clean_section(pd.Series([prefix]))[0] in self.known_sections:
            sec = clean_section(pd.Series([prefix]))[0]
            return sec, self.proj_section == sec
        if "小计" in key:
            if cur >= 0:
                # nested sections (一、秦州区 over （一）续建项目): the 小计 closes the
                # level whose projects its figures agree with, the innermost on a tie
                c = self._subtotal_level(i, state[cur].path[::-1])
                return state[c].stage or state[c].section or "分组", self.in_section(c)
            prev = [t for t in self.T if t < i and self.rk.kind[t] == "total"]
            lo = prev[-1] if prev else -1
            return "上方各项目", (self.P > lo) & (self.P < i)
        if key.startswith("总计") or key.startswith("总合计"):
            return "全部", np.ones(len(self.P), bool)
        return self._grand(i)

    def _grand(self, i: int) -> tuple[str, np.ndarray]:
        """合计 / 共计: the sheet, or the top-level section it closes."""
        t = self.top_of(i)
        kind, key = self.rk.kind, self.lab.key
        later_top = any(p > i for p in self.top_level)
        later_total = any(j > i and kind[j] == "total" and not key[j].startswith("其中")
                          and "小计" not in key[j] and j not in self.groups for j in self.T)
        if t is not None and len(self.top_level) > 1 and (
                later_top or later_total or len(self.tops_with_grand) > 1):
            state = self.secs.state[t]
            return state.stage or state.section or "分组", self.in_section(t)
        return "全部", np.ones(len(self.P), bool)

    def _subtotal_level(self, i, levels) -> int:
        """The section (of ``levels``, innermost first) whose projects the 小计 on row ``i``
        agrees with in the most amount columns; the innermost when none agrees better."""
        if len(levels) < 2:
            return levels[0]
        best, best_hits = levels[0], -1
        for s in levels:
            mask = self.in_section(s)
            hits = 0
            for col in self.amts.columns:
                declared = self.amts.values[col.index][i]
                if np.isnan(declared):
                    continue
                values = self._values(col)[mask]
                computed = values[~np.isnan(values)].sum()
                tol = tolerance(declared, self.grid.cells[i, col.index],
                                self.amts.factors[col.index])
                hits += agrees(declared, computed, tol)
            if hits > best_hits:
                best, best_hits = s, hits
        return best

    def _values(self, col) -> np.ndarray:
        return (self.projects[col.field].to_numpy() if col.field != "funding"
                else self.amts.values[col.index][self.P])


def declared_totals(grid: Grid, lab: Labels, rk: RowKinds, secs: Sections, amts: Amounts,
                    projects: pd.DataFrame, P: np.ndarray) -> pd.DataFrame:
    """``ledger.totals`` rows of this sheet, each checked against its projects."""
    with_amount = amts.present
    T = np.flatnonzero((rk.kind == "total") | (rk.is_section & with_amount))
    # headings without amounts (一、工业项目（5个）) still declare how many projects they hold
    counted = [i for i in np.flatnonzero(rk.is_section & ~with_amount) if COUNT_RE.search(lab.key[i])]
    if not len(T) and not counted:
        return totals_frame([])
    scopes = _Scopes(grid, lab, rk, secs, amts, projects, P, T)
    for i in counted:
        declared_n = int(COUNT_RE.search(lab.key[i]).group(1))
        mask = scopes.in_section(i)
        if not scopes.count_ok(declared_n, mask):
            _count_finding(grid, lab, i, declared_n, int(mask.sum()))
    records = []
    for i in T:
        scope, mask, resolved = scopes.scope(i)
        label = str(lab.raw[i]).strip()
        rec = {"source_file": grid.file, "source_sheet": grid.sheet,
               "source_row": int(grid.src_row[i]), "label": label, "scope": scope,
               "n_projects": int(mask.sum()),
               "project_rows": tuple(projects["source_row"].to_numpy(dtype=np.int64)[mask]
                                     .tolist()) if resolved else None}
        m = COUNT_RE.search(lab.key[i])
        rec["declared_count"] = int(m.group(1)) if m else None
        _reconcile_row(grid, scopes, i, label, mask, resolved, rec)
        if not resolved:
            grid.finding("unreconciled_total",
                         f"{where(grid.sheet, grid.src_row[i])}：无法确定“{label}”包含哪些项目，未核对",
                         int(grid.src_row[i]), None)
        elif rec["declared_count"] is not None and not scopes.count_ok(rec["declared_count"], mask):
            _count_finding(grid, lab, i, rec["declared_count"], rec["n_projects"])
        records.append(rec)
    return totals_frame(records)


def _count_finding(grid: Grid, lab: Labels, i: int, declared_n: int, found: int) -> None:
    grid.finding("count_mismatch",
                 f"{where(grid.sheet, grid.src_row[i])}：“{str(lab.raw[i]).strip()}”声明 "
                 f"{declared_n} 个项目，实际读到 {found} 个", int(grid.src_row[i]), "project_name")


def _reconcile_row(grid: Grid, scopes: _Scopes, i: int, label: str, mask: np.ndarray,
                   resolved: bool, rec: dict) -> None:
    """Fill ``rec`` with the declared and computed figures; a finding where they differ."""
    amts, row = scopes.amts, int(grid.src_row[i])
    for col in amts.columns:
        declared = amts.values[col.index][i]
        if col.field in MONEY_COLUMNS:
            rec[col.field] = declared
        if np.isnan(declared) or not resolved:
            continue
        values = scopes._values(col)[mask]
        filled = ~np.isnan(values)
        n_in, n_blank = len(values), int(len(values) - filled.sum())
        # min_count=1: a scope where no project gives the figure has no sum, not 0
        computed = float(values[filled].sum()) if n_blank < n_in else np.nan
        if col.field != "funding":
            rec[f"computed_{col.field}"] = computed
        if agrees(declared, computed,
                  tolerance(declared, grid.cells[i, col.index], amts.factors[col.index])):
            continue
        head = f"{where(grid.sheet, row, col.header)}：{label}声明 {fmt(declared)}，"
        column = col.field if col.field != "funding" else col.header
        if np.isnan(computed):
            what = (f"但所含 {n_in} 个项目均未填写“{col.header}”" if n_in else "但没有读到它所含的项目")
            grid.finding("total_mismatch", f"{head}{what}，请核对", row, column)
        else:
            blanks = f"（其中 {n_blank} 个项目未填）" if n_blank else ""
            grid.finding("total_mismatch", f"{head}所含 {n_in} 个项目合计 {fmt(computed)}{blanks}，"
                                           f"相差 {fmt(abs(declared - computed))} 万元", row, column)


def _value_column(projects: pd.DataFrame, word: str) -> str | None:
    """The extra (unmatched) text column in which some project holds exactly ``word``.

    >>> _value_column(pd.DataFrame({"project_name": ["甲"], "项目级别": ["省列重点"]}), "省列重点")
    '项目级别'
    """
    from qzanalysis.vocab import PROJECT_COLUMNS

    for c in projects.columns:
        if c in PROJECT_COLUMNS or c == "stage_raw" or projects[c].dtype.kind in "fiumM":
            continue
        if (projects[c] == word).any():
            return c
    return None
