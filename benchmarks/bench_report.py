"""Time the whole sample report (`qzanalysis report`), as an analyst runs it.

Goal from issue 6: under 15 s on this machine. Prints the median of N runs of the
command in a fresh process (imports, font set-up, reading, charts at 300 dpi,
summary.xlsx, report.html), and, for scale, a bare pandas read of the same
workbooks in the same run.

    .venv/bin/python benchmarks/bench_report.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def main(runs: int = 3) -> None:
    files = [RAW / "qinzhou_h1_projects.xlsx", RAW / "qinzhou_pipeline.xlsx",
             *sorted((RAW / "monthly").glob("*.xlsx"))]
    bare = (
        "import pandas as pd\n"
        f"for f in {[str(f) for f in files]!r}:\n"
        "    pd.read_excel(f, engine='calamine', header=None)\n"
    )
    report, baseline = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            report.append(_time([sys.executable, "-m", "qzanalysis.cli", "report", "--out", out]))
        baseline.append(_time([sys.executable, "-c", bare]))
    r, b = statistics.median(report), statistics.median(baseline)
    print(f"qzanalysis report (sample, {len(files)} workbooks): median {r:5.2f} s over {runs} runs"
          f"  (goal < 15 s)")
    print(f"bare pandas.read_excel of the same workbooks : median {b:5.2f} s")
    print(f"ratio: {r / b:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
