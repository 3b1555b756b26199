"""Rule tables shipped as CSV files beside this module, loaded once.

Each table is ordered data: where several rows could match, the first one wins.
Analysts may edit these files (or pass their own to the functions that take
``rules=``) without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["load_table", "table_path"]


def table_path(name: str):
    """Path of the shipped rule table ``name`` (without ``.csv``)."""
    return resources.files(__name__).joinpath(f"{name}.csv")


@cache
def _load(name: str) -> pd.DataFrame:
    path = table_path(name)
    with resources.as_file(path) as p:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, comment=None, encoding="utf-8")
    return frame.apply(lambda col: col.str.strip())


def load_table(name: str) -> pd.DataFrame:
    """Return a copy of the shipped rule table ``name`` (all columns as text, blanks as "")."""
    return _load(name).copy()
