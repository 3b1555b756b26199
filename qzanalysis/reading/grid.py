"""Phase 1 of assembling a sheet: the data area as one grid of cells, kinds and text.

Every later phase (row kinds, sections, projects, totals) reads the cells through a
:class:`Grid`: one 2-D object array of the rows under the header, the kind of every
cell computed once, each column's text computed at most once, the Excel row number of
every grid row, and the one place findings are collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from qzanalysis.findings import make_finding
from qzanalysis.reading.files import RawSheet
from qzanalysis.reading.layout import Column, Layout
from qzanalysis.reading.values import (
    NUM,
    TEXT,
    cell_kinds,
    excel_errors,
    parse_money,
    unit_factor,
)
from qzanalysis.vocab import MONEY_COLUMNS

__all__ = ["Grid", "Amounts", "build_grid", "read_amounts", "where", "fmt", "cell_text"]

_strip = np.frompyfunc(str.strip, 1, 1)
_to_str = np.frompyfunc(str, 1, 1)

#: Text-valued fields whose vertically merged cells apply to every row they span.
_FILL_FIELDS = {"owner", "location", "industry", "funding_source", "stage_candidate", "content"}


def where(sheet: str, row, header: str | None = None) -> str:
    """The place an analyst looks: ``工作表“1-6月”第5行“总投资”``."""
    s = f"工作表“{sheet}”第{row}行"
    return s + (f"“{header}”" if header else "")


def fmt(x: float) -> str:
    """An amount as a message shows it (thousands separators, no trailing zeros).

    >>> fmt(1234.5), fmt(float("nan"))
    ('1,234.5', '空')
    """
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "空"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def cell_text(values: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Cells as stripped text ('' for blanks; integers without .0), an object array."""
    a = np.asarray(values, dtype=object)
    out = np.full(len(a), "", dtype=object)
    t = kinds == TEXT
    if t.any():
        out[t] = _strip(a[t])
    n = kinds == NUM
    if n.any():
        v = a[n].astype("float64")
        whole = v == np.round(v)
        out[np.flatnonzero(n)[whole]] = _to_str(v[whole].astype("int64"))
        out[np.flatnonzero(n)[~whole]] = _to_str(v[~whole])
    other = ~(t | n) & (kinds != 0)
    if other.any():
        out[other] = _to_str(a[other])
    return out


@dataclass
class Grid:
    """The data rows of one table (everything under its header)."""

    sheet: str
    file: str
    cells: np.ndarray  # (n, width) object array
    kinds: np.ndarray  # (n, width) int8, see values.cell_kinds
    formula: np.ndarray  # (n, width) bool: a formula with no cached value
    errors: np.ndarray  # (n, width) bool: an Excel error value (#DIV/0!, #REF! …), kind 0
    src_row: np.ndarray  # (n,) the row number Excel shows
    start: int  # first grid row in the sheet (0-based), after the rows taken from above
    off: int  # how many rows (a 合计 above the header) were put first
    findings: list = field(default_factory=list)
    #: (column, bad mask over the project rows) of each date column read
    date_bad: list = field(default_factory=list)
    _texts: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.cells.shape[0]

    @property
    def width(self) -> int:
        return self.cells.shape[1]

    @property
    def blank(self) -> np.ndarray:
        return self.kinds == 0

    def text(self, c: int) -> np.ndarray:
        """Column ``c`` as stripped text (see :func:`cell_text`), computed once."""
        if c not in self._texts:
            self._texts[c] = cell_text(self.cells[:, c], self.kinds[:, c])
        return self._texts[c]

    def finding(self, rule: str, message: str, row=None, column=None, severity=None) -> None:
        """Collect a finding about this sheet (severity from the registry unless given)."""
        self.findings.append(make_finding(rule, message, severity=severity, source_file=self.file,
                                          source_sheet=self.sheet, source_row=row,
                                          column=column))


def _dense(data_rows: list, width: int) -> np.ndarray:
    """The data rows as one 2-D object array of ``width`` columns.

    Cells past the end of a row are None up to the longest data row and "" beyond it
    (up to the widest row of the sheet), as a DataFrame of the rows reindexed to
    ``width`` columns would hold them.
    """
    n = len(data_rows)
    longest = max(map(len, data_rows)) if n else 0
    g = np.empty((n, width), dtype=object)
    if n and longest == width and min(map(len, data_rows)) == width:
        g[:] = data_rows
        return g
    g[:, :longest] = None
    g[:, longest:] = ""
    for i, row in enumerate(data_rows):
        g[i, :len(row)] = row
    return g


def build_grid(sheet: RawSheet, layout: Layout, file: str) -> Grid:
    """The rows under the header of ``layout`` (a 合计 above the header first)."""
    rows = sheet.rows
    start = layout.header_bottom + 1
    width = max(map(len, rows)) if rows else 0
    numbers = (np.asarray(sheet.row_numbers, dtype=np.int64) if sheet.row_numbers is not None
               else np.arange(1, len(rows) + 1, dtype=np.int64))
    pre = [r for r, k in sorted(layout.above.items()) if k == "total"]
    off = len(pre)
    g = _dense([rows[r] for r in pre] + rows[start:] if pre else rows[start:], width)
    n = len(g)
    src_row = numbers[start:start + n - off]
    if pre:
        src_row = np.concatenate([numbers[pre], src_row])
    cols = {c.index: c for c in layout.columns}
    for (r0, c0), (r1, _c1) in sheet.merges:
        if r1 > r0 and r0 >= start and c0 in cols and cols[c0].field in _FILL_FIELDS:
            g[r0 - start + off + 1: r1 - start + off + 1, c0] = g[r0 - start + off, c0]
    kinds = cell_kinds(g) if width else np.zeros((n, 0), np.int8)
    errors = excel_errors(g, kinds) if width else np.zeros((n, 0), bool)
    kinds[errors] = 0  # missing, as the blank calamine gives; reported by cell_findings
    formula = np.zeros((n, width), dtype=bool)
    for r, c in sheet.formula_missing:
        if start <= r < start + n - off and c < width:
            formula[r - start + off, c] = True
        elif r in pre and c < width:
            formula[pre.index(r), c] = True
    return Grid(sheet.name, file, g, kinds, formula, errors, src_row, start, off)


class Amounts(NamedTuple):
    """Every money and funding column parsed to 万元, by column index."""

    money_cols: list[Column]
    fund_cols: list[Column]
    values: dict[int, np.ndarray]  # NaN where missing, unparsed or a formula without value
    unparsed: dict[int, np.ndarray]  # text that is not a number
    reasons: dict[int, np.ndarray]  # why: unparsed / non_finite / implausible (values.parse_money)
    factors: dict[int, float]  # the unit factor each column was read with
    present: np.ndarray  # (n,) any amount on the row

    @property
    def columns(self) -> list[Column]:
        return self.money_cols + self.fund_cols


def read_amounts(grid: Grid, layout: Layout) -> Amounts:
    """Parse the money columns (and funding sub-columns) of the grid."""
    money_cols = [c for c in layout.columns if c.field in MONEY_COLUMNS]
    fund_cols = [c for c in layout.columns if c.field == "funding"]
    values, unparsed, reasons, factors = {}, {}, {}, {}
    for col in money_cols + fund_cols:
        f = unit_factor(layout.unit if layout.forced_unit else (col.unit or layout.unit))
        factors[col.index] = f
        a, bad, why = parse_money(pd.Series(grid.cells[:, col.index], copy=False), f,
                                  kinds=grid.kinds[:, col.index], detail=True)
        reasons[col.index] = why.to_numpy()
        a = a.to_numpy(copy=True)
        a[grid.formula[:, col.index]] = np.nan
        values[col.index] = a
        unparsed[col.index] = bad.to_numpy()
    present = np.zeros(grid.n, bool)
    for a in values.values():
        present |= ~np.isnan(a)
    return Amounts(money_cols, fund_cols, values, unparsed, reasons, factors, present)
