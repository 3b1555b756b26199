"""Benchmark: qz.read_ledger against a bare pandas.read_excel(engine="calamine").

Writes a 100,000-row ledger in a realistic layout (title row, unit row, two-row
merged header, two stage sections each closed by a 小计, a 合计 under the header)
once into a temporary directory, then times both readers in fresh subprocesses
(median of REPEAT runs) and measures their peak memory the same way for both: the
child's peak resident set size (ru_maxrss) minus its resident size just before the
read. The runs of the two readers alternate (pandas, qz, qz, pandas, ...), so that a
change in the load of a shared machine during the benchmark hits both alike.
Run by hand:  .venv/bin/python benchmarks/bench_read.py [ROWS] [REPEAT]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import gc, resource, sys, time
path, which = sys.argv[1], sys.argv[2]
import pandas as pd
import qzanalysis as qz
import python_calamine  # noqa: F401  (both sides pay the same imports before measuring)
from qzanalysis.reading import assemble, files, layout, values  # noqa: F401
gc.collect()
def rss_kb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
base = rss_kb()
t = time.perf_counter()
if which == "qz":
    out = qz.read_ledger(path)
else:
    out = pd.read_excel(path, engine="calamine", header=None)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, (peak - base) / 1024, len(out))
"""


def write_ledger(path: Path, rows: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("1-6月")
    header = ["序号", "项目名称", "建设单位", "建设地点", "总投资", "合同引资", "本年计划投资",
              "1-6月", None, "开工时间", "形象进度"]
    ws.merge_range(0, 0, 0, 10, "秦州区2008年1-6月招商引资项目进展情况表")
    ws.write(1, 10, "单位：万元")
    for c, h in enumerate(header):
        if c in (7, 8):
            continue
        ws.merge_range(2, c, 3, c, h)
    ws.merge_range(2, 7, 2, 8, "1-6月")
    ws.write(3, 7, "完成投资")
    ws.write(3, 8, "到位资金")
    half = rows // 2
    r = 4
    sums = {}
    tot = [0.0] * 5
    for s in range(2):
        n = half if s == 0 else rows - half
        sums[s] = [0.0] * 5
        for i in range(n):
            v = [1000.0 + (i % 97) * 10, 900.0 + (i % 89) * 10, 500.0 + (i % 13) * 5,
                 100.0 + (i % 11) * 3, 80.0 + (i % 7) * 2]
            for k in range(5):
                sums[s][k] += v[k]
                tot[k] += v[k]
    ws.write(r, 0, "合计")
    for k in range(5):
        ws.write_number(r, 4 + k, tot[k])
    r += 1
    labels = ["一、续建项目", "二、新签约项目"]
    serial = 1
    for s in range(2):
        n = half if s == 0 else rows - half
        ws.write(r, 0, f"{labels[s]}（{n}个）")
        r += 1
        for i in range(n):
            ws.write_number(r, 0, serial)
            ws.write_string(r, 1, f"秦州区第{serial}号产业园建设项目")
            ws.write_string(r, 2, f"天水第{i % 500}建设有限公司")
            ws.write_string(r, 3, ["天水镇", "玉泉镇", "太京镇", "皂郊镇"][i % 4])
            v = [1000.0 + (i % 97) * 10, 900.0 + (i % 89) * 10, 500.0 + (i % 13) * 5,
                 100.0 + (i % 11) * 3, 80.0 + (i % 7) * 2]
            for k in range(5):
                ws.write_number(r, 4 + k, v[k])
            ws.write_string(r, 9, f"{2007 + i % 2}年{1 + i % 12}月")
            ws.write_string(r, 10, ["主体施工", "设备安装", "前期工作", "已投产"][i % 4])
            serial += 1
            r += 1
        ws.write(r, 0, "小计")
        for k in range(5):
            ws.write_number(r, 4 + k, sums[s][k])
        r += 1
    ws.write(r, 0, "注：本表数据截至6月30日。")
    wb.close()


def run(path: Path, which: str) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), which], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main(rows: int = 100_000, repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger_100k.xlsx"
        write_ledger(path, rows)
        print(f"ledger: {rows:,} projects, {path.stat().st_size / 2**20:.1f} MB")
        result = {}
        runs_of: dict[str, list] = {"pandas": [], "qz": []}
        for k in range(repeat):
            order = ("pandas", "qz") if k % 2 == 0 else ("qz", "pandas")
            for which in order:
                runs_of[which].append(run(path, which))
        for which in ("pandas", "qz"):
            runs = runs_of[which]
            t = statistics.median(r[0] for r in runs)
            m = statistics.median(r[1] for r in runs)
            result[which] = (t, m)
            print(f"{which:>7}: median {t:6.2f} s over {repeat} runs, peak +{m:7.1f} MB "
                  f"(rows returned {runs[0][2]:,})")
        tq, mq = result["qz"]
        tp, mp = result["pandas"]
        print(f"  ratio: time {tq / tp:.2f}x (goal <= 1.3x), memory {mq / mp:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
