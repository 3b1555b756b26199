"""Rule tables shipped as CSV files beside this module, loaded once.

Each table is ordered data: where several rows could match, the first one wins.
Analysts may edit these files (or pass their own to the functions that take
``rules=``) without touching code; :func:`reload` forgets what was loaded (and what was
compiled from it) so that an edited file takes effect in a running session.
See ``README.md`` here for where each table comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["load_table", "table_path", "reload"]

_DERIVED: list[Callable] = []  # caches built from the tables (cleared by reload)


def table_path(name: str):
    """Path of the shipped rule table ``name`` (without ``.csv``)."""
    return resources.files(__name__).joinpath(f"{name}.csv")


#: tables written by the project's own scripts, stripped already (a test checks that each
#: equals its script's output): stripping their 90,000 rows again cost ~15 ms of a cold build
_GENERATED = frozenset({"gbt4754_keywords", "industry_similar"})


@cache
def _load(name: str) -> pd.DataFrame:
    path = table_path(name)
    with resources.as_file(path) as p:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, comment=None, encoding="utf-8")
    if name in _GENERATED:
        return frame
    for col in frame.columns:  # plain Python: pandas' str.strip is ~10x slower on 30,000 rows
        frame[col] = pd.Series([v.strip() for v in frame[col].tolist()], index=frame.index,
                               dtype="str")
    return frame


def load_table(name: str) -> pd.DataFrame:
    """Return a copy of the shipped rule table ``name`` (all columns as text, blanks as "")."""
    return _load(name).copy()


def derived_cache(fn: Callable) -> Callable:
    """Register a cached function whose result is built from rule tables (for :func:`reload`)."""
    _DERIVED.append(fn)
    return fn


def reload() -> None:
    """Forget every loaded rule table and everything compiled from them.

    Call after editing a CSV in ``qzanalysis/rules/`` in a running session.
    """
    _load.cache_clear()
    for fn in _DERIVED:
        fn.cache_clear()
