"""Findings: problems in a ledger as a tidy DataFrame with a reason code (see DESIGN.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from qzanalysis.vocab import FINDING_COLUMNS, SEVERITIES

__all__ = ["findings_frame", "SEVERITY_DTYPE"]

SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITIES), ordered=True)


def findings_frame(records: Iterable[Mapping] | pd.DataFrame = ()) -> pd.DataFrame:
    """Build a findings DataFrame with exactly ``FINDING_COLUMNS``.

    ``records`` are mappings with the keys of ``FINDING_COLUMNS`` (missing keys are
    missing values), or a DataFrame holding them. ``severity`` must be one of
    error / warning / info; ``source_row`` is the 1-based row Excel shows.

    >>> f = findings_frame([{"severity": "error", "rule": "total_mismatch",
    ...                      "message": "合计与项目之和不符", "source_row": 5}])
    >>> list(f.columns) == list(FINDING_COLUMNS), f.loc[0, "source_row"]
    (True, np.int64(5))
    """
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    frame = frame.reindex(columns=list(FINDING_COLUMNS))
    bad = set(frame["severity"].dropna()) - set(SEVERITIES)
    if bad:
        raise ValueError(f"severity must be one of {SEVERITIES}, got {sorted(bad)}")
    return frame.astype(
        {
            "severity": SEVERITY_DTYPE,
            "rule": "str",
            "message": "str",
            "source_file": "str",
            "source_sheet": "str",
            "source_row": "Int64",
            "column": "str",
        }
    ).reset_index(drop=True)
