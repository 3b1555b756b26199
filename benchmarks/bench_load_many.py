"""Benchmark: qz.load_many on N monthly ledgers, one process against a pool of C workers.

Writes N ledgers (default 24: 2008-01 … 2009-12) of ROWS projects each, in the layout of
the monthly sample (title, unit row, two-row header with 1-n月 over 完成投资/到位资金),
once into a temporary directory. Then times ``qz.load_many(folder, workers=1)`` and
``qz.load_many(folder, workers=C)`` in fresh subprocesses (alternating, median of REPEAT
runs), and inside the same runs ``qz.link_projects`` alone, which is sequential by
design (each month is matched against the months before it).

The yardstick (DESIGN.md): parallel wall time ≤ 1.5 × (sequential ÷ min(N, C)).
Printed: both times, the ratio against that ideal, and the same for the reading part
alone (load_many minus linking). C is the number of cores this process may use; on a
machine shared with other jobs the parallel time also depends on what they do, so
report the load average printed at the end with the numbers.

Run by hand:  /work/hvenv/bin/python benchmarks/bench_load_many.py [N] [ROWS] [REPEAT]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import sys, time
folder, workers = sys.argv[1], int(sys.argv[2])
import qzanalysis as qz
from qzanalysis.reading import many  # noqa: F401  (imports paid before the clock starts)
import rapidfuzz.fuzz  # noqa: F401
t = time.perf_counter()
frame = qz.load_many(folder, workers=workers)
total = time.perf_counter() - t
t = time.perf_counter()
qz.link_projects(frame)
link = time.perf_counter() - t
import resource
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(total, link, me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, len(frame))
"""

_PRODUCTS = ["高低压启动设备", "彩印包装", "电力通讯设备", "蜂产品深加工", "苹果气调保鲜库",
             "新型墙体材料", "大樱桃深加工", "中药材饮片", "集成电路引线框架", "奶牛养殖基地"]
_TOWNS = ["玉泉镇", "太京镇", "藉口镇", "皂郊镇", "汪川镇", "牡丹镇", "关子镇", "平南镇", "天水镇",
          "娘娘坝镇"]


def write_ledger(path: Path, year: int, month: int, rows: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet(f"1-{month}月")
    header = ["序号", "项目名称", "建设单位", "建设地点", "总投资", "本年计划投资",
              f"1-{month}月", None, "建设性质"]
    ws.write(0, 0, f"秦州区{year}年1-{month}月招商引资项目进展情况表")
    ws.write(1, 0, "单位：万元")
    for c, h in enumerate(header):
        if h is not None:
            ws.write(2, c, h)
    ws.write(3, 6, "完成投资")
    ws.write(3, 7, "到位资金")
    for i in range(rows):
        product = _PRODUCTS[i % len(_PRODUCTS)]
        total = 500 + (i * 37) % 9000
        done = round(total * 0.04 * month, 1)
        ws.write_row(4 + i, 0, [
            i + 1, f"天水{i:05d}号{product}建设项目", f"天水{i:05d}号实业有限公司",
            _TOWNS[i % len(_TOWNS)], total, total / 2, done, done * 0.8, "续建",
        ])
    wb.close()


def run(folder: Path, workers: int) -> tuple[float, ...]:
    """(load_many wall s, link_projects wall s, CPU s of the process, CPU s of its workers)."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(workers)],
                         capture_output=True, text=True, check=True).stdout.split()
    return tuple(float(x) for x in out[:4])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(n, cores)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for k in range(n):
            year, month = 2008 + k // 12, k % 12 + 1
            write_ledger(folder / f"qinzhou_{year}-{month:02d}.xlsx", year, month, rows)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{n} ledgers x {rows} rows ({size:.1f} MB), {cores} cores, "
              f"pool of {workers} workers, median of {repeat}")
        print(f"load average at the start (1, 5, 15 min): {os.getloadavg()}")
        seq, par = [], []
        for _ in range(repeat):
            seq.append(run(folder, 1))
            par.append(run(folder, workers))
    seq_total = statistics.median(r[0] for r in seq)
    par_total = statistics.median(r[0] for r in par)
    link = statistics.median(r[1] for r in seq + par)
    ideal = seq_total / workers
    print(f"sequential load_many: {seq_total:7.2f} s  (of which linking {link:.2f} s)")
    print(f"parallel   load_many: {par_total:7.2f} s")
    print(f"ratio parallel / (sequential / min(N, C)) = {par_total / ideal:.2f}  (goal <= 1.5)")
    read_seq, read_par = seq_total - link, par_total - link
    print(f"reading only (minus linking): sequential {read_seq:.2f} s, parallel {read_par:.2f} s,"
          f" ratio {read_par / (read_seq / workers):.2f}")
    # CPU seconds: when wall time is far above them, the runs waited for a core (other jobs)
    seq_cpu = statistics.median(r[2] + r[3] for r in seq)
    par_self = statistics.median(r[2] for r in par)
    par_kids = statistics.median(r[3] for r in par)
    print(f"CPU seconds: sequential {seq_cpu:.2f}; parallel {par_self:.2f} in the caller + "
          f"{par_kids:.2f} in {workers} workers (whole runs, imports included)")
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
