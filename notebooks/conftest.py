"""pytest in notebooks/: nbval executes each 0N-*.ipynb once, and no cell may write to stderr.

``make test`` (``pytest --nbval-lax --nbval-current-env``) runs every notebook once, in a fresh
kernel started in this folder. nbval fails a cell that raises and compares the printed text of
the ``# NBVAL_CHECK_OUTPUT`` cells with the saved outputs; the hook below fails, in the same
run, a cell that wrote to stderr (a warning, font-cache noise), which nbval's lax mode ignores.
tests/test_notebooks.py checks the saved files without executing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The py:percent pairs are not test modules: importing one (--doctest-modules) would run it.
collect_ignore_glob = ["[0-9][0-9]-*.py", "sync.py"]


def pytest_configure(config):
    if config.getoption("nbval_lax", False) or config.getoption("nbval", False):
        import matplotlib.font_manager  # noqa: F401  build any font cache here, not in a cell


def _nbval(item) -> bool:
    return type(item).__module__.startswith("nbval")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # nbval starts a notebook's kernel while setting up its first cell: let the kernel import
    # this checkout's qzanalysis, as the tests do, not another copy installed in the venv.
    if not _nbval(item):
        return (yield)
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), before]))
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if _nbval(item):
        # nbval keeps what the kernel sent for the cell it just ran (streams coalesced)
        stderr = [out["text"] for out in item.test_outputs or []
                  if out.get("output_type") == "stream" and out.get("name") == "stderr"]
        if stderr:
            pytest.fail(f"{item.name} wrote to stderr:\n{''.join(stderr)[:1000]}\n"
                        f"in cell:\n{item.cell.source}", pytrace=False)
    return result
