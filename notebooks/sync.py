"""Rebuild each notebook 0N-*.ipynb from its py:percent script 0N-*.py (authoring, not a test).

Usage, from the repository root (``make notebooks`` runs it for all)::

    .venv/bin/python notebooks/sync.py          # all notebooks
    .venv/bin/python notebooks/sync.py 04       # only those whose name starts so

The script is the source. It is read with jupytext, executed in a fresh kernel in
``notebooks/`` (the folder the paths are relative to), refused if a cell raised or wrote to
stderr, and saved as the .ipynb with every output and count stripped except in the cells whose
first line is ``# NBVAL_CHECK_OUTPUT``: those keep their printed text, which nbval compares on
every ``make test``. Cell ids are fixed, so an unchanged script rebuilds the same file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent
CHECK = "# NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Errors and stderr output of an executed notebook."""
    return [f"cell {i}: {out.ename}: {out.evalue}" if out.output_type == "error"
            else f"cell {i}: stderr: {out.text.strip()[:300]}"
            for i, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
            if out.output_type == "error" or out.get("name") == "stderr"]


def strip(nb: nbformat.NotebookNode, prefix: str) -> nbformat.NotebookNode:
    """Keep the printed text (and count) of the checked cells only; no timings, no images."""
    for i, cell in enumerate(nb.cells):
        cell.id, cell.metadata = f"nb{prefix}-{i:02d}", {}
        if cell.cell_type != "code":
            continue
        if cell.source.startswith(CHECK):  # nbval needs the count of a cell with outputs
            other = [o.output_type for o in cell.outputs if o.get("name") != "stdout"]
            if other:
                raise ValueError(f"checked cell must only print text, got {other}: {cell.source}")
        else:
            cell.execution_count, cell.outputs = None, []
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb


def main(argv: list[str]) -> int:
    from nbclient import NotebookClient

    # the kernels import this checkout's qzanalysis, whatever else the venv has installed
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent),
                                                             os.environ.get("PYTHONPATH")]))
    scripts = [p for p in sorted(HERE.glob("[0-9][0-9]-*.py"))
               if not argv or p.name.startswith(tuple(argv))]
    failed = False
    for script in scripts:
        nb = jupytext.read(script, fmt="py:percent")
        nb.nbformat, nb.nbformat_minor = 4, 5
        NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(HERE)}}).execute()
        found = problems(nb)
        if found:
            failed = True
            print(f"{script.name}: NOT saved\n  " + "\n  ".join(found))
            continue
        nbformat.write(strip(nb, script.name[:2]), script.with_suffix(".ipynb"))
        checked = sum(c.cell_type == "code" and c.source.startswith(CHECK) for c in nb.cells)
        print(f"{script.with_suffix('.ipynb').name}: saved ({len(nb.cells)} cells, {checked} checked)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
