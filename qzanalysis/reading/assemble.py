"""From a located table to projects, totals, funding, row kinds and findings.

Every non-blank row below the header gets exactly one kind: ``project``, ``total``
(合计/总计/小计/共计/其中…), ``section`` (一、续建项目（31个）), ``header`` (a repeated
header), ``note`` (注：…, 填报人…) or ``rejected`` (with a reason). The work runs in
phases, one module each:

1. :mod:`.grid` -- the cells under the header, their kinds and text, the amounts;
2. :mod:`.rowkinds` -- the kind of every row;
3. :mod:`.sections` -- section nesting, the stage and section each row is under;
4. :mod:`.projects` -- the project table, funding, cell findings;
5. :mod:`.totals` -- declared totals, what each covers, whether it agrees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qzanalysis.reading.files import RawSheet
from qzanalysis.reading.grid import build_grid, fmt, read_amounts
from qzanalysis.reading.layout import Layout
from qzanalysis.reading.projects import add_funding, build_projects, cell_findings, funding_frame
from qzanalysis.reading.rowkinds import read_labels, row_kinds
from qzanalysis.reading.sections import nest_sections
from qzanalysis.reading.totals import TOTALS_COLUMNS, declared_totals, totals_frame
from qzanalysis.vocab import PROJECT_COLUMNS, column_label

__all__ = ["SheetResult", "assemble_sheet", "MONEY_LABELS", "TOTALS_COLUMNS", "fmt",
           "totals_frame", "funding_frame"]

#: How each canonical column is named in messages an analyst reads.
MONEY_LABELS = {c: column_label(c) for c in (*PROJECT_COLUMNS, "funding_channel")}


@dataclass
class SheetResult:
    projects: pd.DataFrame
    totals: pd.DataFrame
    rows: pd.DataFrame
    funding: pd.DataFrame
    findings: list
    #: grid rows (0-based) below the header that repeat the name header: a page-2
    #: header, or the header of a second table stacked under the first
    header_rows: tuple = ()


def assemble_sheet(sheet: RawSheet, layout: Layout, file: str, sheet_stage) -> SheetResult:
    """Turn one sheet with a located header into its part of the Ledger."""
    grid = build_grid(sheet, layout, file)
    amts = read_amounts(grid, layout)
    lab = read_labels(grid, layout)
    rk = row_kinds(grid, layout, lab, amts)
    secs = nest_sections(lab, rk)
    P = np.flatnonzero(rk.is_project)
    stage = secs.stage_of(P)
    stage = stage.where(stage.notna(), sheet_stage)
    projects = build_projects(grid, layout, P, lab.name_norm, stage, secs.section_of(P), amts)
    funding = funding_frame(projects, amts.fund_cols, amts.values, P)
    projects = add_funding(projects, funding, amts.fund_cols)
    cell_findings(grid, layout, amts, rk.is_project | rk.is_total | rk.is_section,
                  rk.nonblank, P, projects)
    totals = declared_totals(grid, lab, rk, secs, amts, projects, P)
    return SheetResult(projects, totals, _row_frame(sheet, layout, grid, rk), funding,
                       grid.findings,
                       tuple((np.flatnonzero(rk.is_header) - grid.off + grid.start).tolist()))


def _row_frame(sheet: RawSheet, layout: Layout, grid, rk) -> pd.DataFrame:
    """``ledger.rows`` of this table: the rows above the header, then every non-blank one."""
    numbers = (np.asarray(sheet.row_numbers, dtype=np.int64) if sheet.row_numbers is not None
               else np.arange(1, len(sheet.rows) + 1, dtype=np.int64))
    above = [(r, k) for r, k in sorted(layout.above.items()) if k != "total"]
    keep = rk.nonblank
    return pd.DataFrame({
        "source_file": grid.file,
        "source_sheet": grid.sheet,
        "source_row": np.concatenate([[numbers[r] for r, _ in above],
                                      grid.src_row[keep]]).astype(np.int64),
        "kind": [k for _, k in above] + list(rk.kind[keep]),
        "reason": [None] * len(above) + list(rk.reason[keep]),
    })
