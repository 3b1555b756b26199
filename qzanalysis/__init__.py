"""qzanalysis: read, classify and report on Chinese district project ledgers (项目台账).

Typical use (see README.md and notebooks/)::

    import qzanalysis as qz
    ledger = qz.load("data/raw/qinzhou_h1_projects.xlsx")
    qz.summarize(qz.classify(ledger.projects), by="stage")

``import qzanalysis`` never imports matplotlib: ``qz.charts`` and ``qz.report`` are
loaded on first use.
"""

from __future__ import annotations

import importlib

# Eager imports of the public functions: binding them here, after their modules are
# loaded, keeps qz.classify and qz.narrative the functions even though modules of the
# same names exist.
from qzanalysis.classify import classify
from qzanalysis.errors import LedgerError
from qzanalysis.ledger import Ledger
from qzanalysis.metrics import history, month_over_month, monthly_totals, summarize
from qzanalysis.narrative import narrative
from qzanalysis.reading import load, read_ledger
from qzanalysis.reading.many import link_projects, load_many
from qzanalysis.verify import verify

__version__ = "0.1.0"

__all__ = [
    "LedgerError",
    "Ledger",
    "load",
    "read_ledger",
    "classify",
    "summarize",
    "load_many",
    "link_projects",
    "month_over_month",
    "monthly_totals",
    "history",
    "narrative",
    "verify",
    "__version__",
]

# submodules reachable as qz.charts / qz.report / qz.explore without an import (charts and
# report need matplotlib, explore ipywidgets: neither loads at import qzanalysis)
_LAZY_SUBMODULES = ("charts", "report", "explore")


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"qzanalysis.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'qzanalysis' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_LAZY_SUBMODULES))
