"""Write the ledger-reader fixtures in tests/data/ and their expected values.

Run from the repository root::

    python tests/data/make_fixtures.py

Every fixture file is written into ``tests/data/`` and, beside it, an expected-values
file ``tests/data/expected/<fixture-stem>.json``.  The specs live in the package
``tests/data/fixtures/`` (one module per family of fixtures; see its docstring).  The
expected values are typed by hand there (the ``P(...)`` / ``TOT(...)`` rows: the raw cells
that go into the sheet, and next to them what a correct reader must return).  Nothing
calls the qzanalysis reader.  Row numbers in the expected files are the positions at which
the rows are written (row 1 is the first row of each sheet spec; CSV: line 1 is the first
line).

At the end the script re-opens every written file with openpyxl / python-calamine /
the csv module and checks that the expected files match the files (project names really
sit on the expected rows, every non-blank row has a kind, declared totals equal the
sums of the rows they cover except where a ``total_mismatch`` is expected, ...).  It
raises if anything disagrees.  tests/test_fixtures.py runs the same checks on the
committed files in every test run, without rewriting them.

The output is deterministic: zip entries and document properties carry a fixed
timestamp, random bytes come from a seeded generator, and the encrypted workbook is
made with a seeded salt, so re-running the script does not churn the binary files.

Tests may import :func:`make_zip_bomb` from this file (it needs only the standard
library) to build a zip bomb at run time in ``tmp_path``; it is never committed.

Generation-only dependencies: openpyxl, xlwt, odfpy, python-calamine, opencc (all in
the dev environment) and msoffcrypto-tool (for ``bad_encrypted.xlsx`` only; if it is
missing the committed file is kept).
"""

import hashlib
import sys
from pathlib import Path

if __package__:  # imported as tests.data.make_fixtures
    from .fixtures import BAD, DATA_DIR, FIXTURES, check_all, make_zip_bomb, write_all
else:  # run as a script, or loaded from its path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fixtures import BAD, DATA_DIR, FIXTURES, check_all, make_zip_bomb, write_all

__all__ = ["BAD", "FIXTURES", "main", "make_zip_bomb"]


def main() -> None:
    files = write_all(DATA_DIR)
    check_all(DATA_DIR)
    for p in files:
        size = p.stat().st_size
        digest = hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        print(f"  {p.name:32s} {size:7d} bytes  sha256 {digest}")
    print(f"wrote {len(files)} fixtures and their expected files; self-check passed")


if __name__ == "__main__":
    sys.exit(main())
