"""The sample ledgers that ship inside the package (package data, read with importlib.resources).

秦州区 2008 年上半年: the half-year ledger, six monthly ledgers and a pipeline ledger.
Only the group totals quoted in the founding article are real; everything else is
invented (see data/README.md in the repository, which also says how they are generated).
They are what ``qzanalysis report`` reads when it is given no path, and they work from an
installed package as well as from a checkout.

>>> from qzanalysis.data import sample_paths
>>> paths = sample_paths()
>>> paths["ledger"].name, paths["pipeline"].name
('qinzhou_h1_projects.xlsx', 'qinzhou_pipeline.xlsx')
>>> sorted(p.name for p in paths["monthly"].glob("*.xlsx"))[:2]
['qinzhou_2008-01.xlsx', 'qinzhou_2008-02.xlsx']
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib import resources
from pathlib import Path

from qzanalysis.errors import LedgerError

__all__ = ["sample_paths"]

LEDGER = "qinzhou_h1_projects.xlsx"
MONTHLY = "monthly"
PIPELINE = "qinzhou_pipeline.xlsx"


@functools.cache
def _folder() -> Path:
    """This package's folder on disk.

    For an ordinary install (or a checkout) ``as_file`` gives the folder itself; when the
    package is imported from a zip it gives a temporary copy, kept until the interpreter
    exits because the paths handed out must stay valid.
    """
    files = contextlib.ExitStack()
    atexit.register(files.close)
    return Path(files.enter_context(resources.as_file(resources.files(__name__))))


def sample_paths() -> dict[str, Path | None]:
    """The bundled sample: ``{"ledger": …, "monthly": folder, "pipeline": …}`` as real paths.

    ``monthly`` and ``pipeline`` are None if they are missing from the install.

    Raises
    ------
    LedgerError
        The half-year ledger is not in the installed package (a broken install).
    """
    try:
        folder = _folder()
    except (OSError, NotImplementedError) as exc:  # e.g. a folder inside a zip on Python 3.11
        raise LedgerError(f"无法读取自带的示例台账（{exc}）；请重新安装 qzanalysis",
                          file=LEDGER) from exc
    ledger = folder / LEDGER
    if not ledger.is_file():
        raise LedgerError(
            f"找不到自带的示例台账 {ledger}（安装的 qzanalysis 不完整：请重新安装）", file=ledger
        )
    monthly = folder / MONTHLY
    pipeline = folder / PIPELINE
    return {
        "ledger": ledger,
        "monthly": monthly if monthly.is_dir() else None,
        "pipeline": pipeline if pipeline.is_file() else None,
    }
