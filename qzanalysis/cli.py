"""Command line: ``qzanalysis report``, ``qzanalysis check`` and ``qzanalysis verify``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qzanalysis.errors import LedgerError

__all__ = ["main"]


def _period(text: str) -> str:
    # checked before any file is read, so a typo costs nothing and prints no traceback
    from qzanalysis.periods import months_elapsed

    try:
        months_elapsed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"无法识别报告期“{text}”，请写成 1-6月、1-8月、上半年 或 全年") from exc
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qzanalysis", description="项目台账分析：报告与数据检查")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    rep = sub.add_parser("report", help="生成报告：summary.xlsx、图表和 report.html")
    rep.add_argument("paths", nargs="*", type=Path, metavar="台账文件",
                     help="一个或多个台账文件；不给则用自带的示例台账")
    rep.add_argument("--out", type=Path, default=Path("reports"), help="输出目录（默认 reports）")
    rep.add_argument("--period", type=_period, default="1-6月", help="报告期，如 1-6月、1-8月（默认 1-6月）")
    rep.add_argument("--unit", choices=("万元", "亿元"), default="万元", help="报告段落中的金额单位")
    rep.add_argument("--monthly", type=Path, help="逐月台账所在目录，用于月度累计图")
    rep.add_argument("--pipeline", type=Path, help="储备、洽谈等前期项目台账，用于阶段漏斗图")

    chk = sub.add_parser("check", help="检查台账，列出数据问题；有错误时退出码为 1")
    chk.add_argument("paths", nargs="+", type=Path, metavar="台账文件")

    ver = sub.add_parser("verify", help="核对文稿中的数字（比率、分项、与台账是否一致）；有错时退出码为 1")
    ver.add_argument("text", metavar="文稿", help="文稿文件（.docx、.txt、.md）或直接给出一段文字")
    ver.add_argument("--ledger", type=Path, help="台账文件：给出时按台账核对各范围的项目数和金额")
    ver.add_argument("--period", type=_period, help="多期台账时核对的报告期，如 1-6月")
    return parser


def _report(args) -> int:
    from qzanalysis.report import build_report

    report = build_report(args.paths, args.out, period=args.period, unit=args.unit,
                          monthly=args.monthly, pipeline=args.pipeline)
    print(report.narrative)
    print()
    print(f"已写出 {len(report.files)} 个文件到 {report.out}/：")
    for f in report.files:
        if f.suffix in (".xlsx", ".html"):
            print(f"  {f}")
    print(f"  {report.out / 'charts'}/（PNG 和 SVG 图表）")
    return 0


def _check(args) -> int:
    import pandas as pd

    from qzanalysis.findings import findings_for_people
    from qzanalysis.reading import load

    worst = 0
    for path in args.paths:
        ledger = load(path)
        findings = ledger.check()
        print(f"== {path}：{len(ledger.projects)} 个项目，{len(findings)} 条检查结果")
        if len(findings):
            table = findings_for_people(findings)[["级别", "工作表", "行号", "列", "说明"]]
            with pd.option_context("display.max_rows", None, "display.max_colwidth", 80,
                                   "display.width", 200):
                print(table.to_string(index=False, na_rep=""))
        if (findings["severity"] == "error").any():
            worst = 1
    return worst


def _verify(args) -> int:
    from qzanalysis.verify import format_result, names_file, read_text, verify

    text = read_text(args.text) if names_file(args.text) else args.text
    projects = None
    if args.ledger is not None:
        from qzanalysis.classify import classify
        from qzanalysis.reading import load

        projects = classify(load(args.ledger).projects)
    result = verify(text, projects, period=args.period)
    print(format_result(result, text))
    return 1 if result["status"].eq("mismatch").any() else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "verify":
            return _verify(args)
        return _report(args) if args.command == "report" else _check(args)
    except LedgerError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --out names a file, or a folder that cannot be written
        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"错误：无法写入{where}：{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
