"""The Ledger: what ``qz.load`` returns (see DESIGN.md, "Public API")."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from qzanalysis.findings import findings_frame

__all__ = ["Ledger"]


@dataclass(frozen=True, repr=False, eq=False)
class Ledger:
    """One read ledger file.

    Attributes
    ----------
    path : str
        The file that was read.
    projects : DataFrame
        One row per project, canonical columns (``qzanalysis.vocab.PROJECT_COLUMNS``)
        followed by any unmatched headers under their cleaned text.
    funding : DataFrame
        Long: project_name, source_sheet, source_row, channel, detail, amount (万元).
    totals : DataFrame
        The rows the workbook declares as 合计/总计/小计/其中, with their values.
    rows : DataFrame
        One row per non-blank input row: source_file, source_sheet, source_row, kind, reason.
    """

    path: str
    projects: pd.DataFrame
    funding: pd.DataFrame
    totals: pd.DataFrame
    rows: pd.DataFrame
    findings: pd.DataFrame = field(default_factory=findings_frame)

    def check(self) -> pd.DataFrame:
        """Findings: severity, rule, message, source_file, source_sheet, source_row, column.

        Errors first, then warnings, then info; within each, in sheet and row order.
        """
        f = findings_frame(self.findings)
        return f.sort_values(["severity", "source_sheet", "source_row"], kind="stable",
                             na_position="first").reset_index(drop=True)

    def __repr__(self) -> str:
        counts = self.rows["kind"].value_counts() if "kind" in self.rows else pd.Series()
        sev = self.findings["severity"].value_counts() if len(self.findings) else pd.Series()
        return (
            f"<Ledger {self.path}: {len(self.projects)} 个项目, "
            f"{int(counts.get('total', 0))} 个合计行, {len(self.rows)} 行; "
            f"检查: {int(sev.get('error', 0))} 错误, {int(sev.get('warning', 0))} 警告>"
        )
