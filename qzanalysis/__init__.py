"""qzanalysis: read, classify and report on Chinese district project ledgers (项目台账).

>>> import qzanalysis as qz
>>> ledger = qz.load("data/raw/qinzhou_h1_projects.xlsx")   # doctest: +SKIP
>>> qz.summarize(qz.classify(ledger.projects), by="stage")  # doctest: +SKIP

Public names are imported on first use, so ``import qzanalysis`` stays light
(it never imports matplotlib; charts import it when they draw).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "LedgerError": "qzanalysis.errors",
    "Ledger": "qzanalysis.ledger",
    "load": "qzanalysis.reading",
    "read_ledger": "qzanalysis.reading",
    "classify": "qzanalysis.classify",
    "summarize": "qzanalysis.metrics",
    "load_many": "qzanalysis.metrics",
    "narrative": "qzanalysis.narrative",
}

# submodules reachable as attributes without an explicit import (qz.charts.plot_by_stage)
_SUBMODULES = ("charts", "metrics", "report")

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        value = importlib.import_module(f"qzanalysis.{name}")
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qzanalysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
