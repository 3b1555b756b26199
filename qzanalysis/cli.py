"""Command line: ``qzanalysis report``, ``qzanalysis check`` and ``qzanalysis verify``.

Exit status: 0 all well, 1 the data has errors (``check``) or a stated figure is wrong
(``verify``), 2 a file could not be read
or written. Everything printed is cleaned of terminal control characters first: a cell
of a ledger cannot clear the screen, colour text or retitle the window.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from qzanalysis.errors import LedgerError, os_error_text
from qzanalysis.text import CONTROL_CHARS

__all__ = ["main"]

#: How many findings ``check`` prints per ledger; the rest are counted.
CHECK_ROWS_SHOWN = 200
#: How much of one cell ``check`` prints (a message can name thousands of rows).
CHECK_CELL_CHARS = 300

_CONTROL = re.compile(f"[{CONTROL_CHARS}]")


def _visible(text: str) -> str:
    r"""``text`` with control characters shown as escapes, safe to print to a terminal.

    >>> _visible("ok\x1b[32m通过\x07\u202e")
    'ok\\x1b[32m通过\\x07\\u202e'
    """
    def show(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(show, str(text))


def _say(*parts, err: bool = False) -> None:
    print(*(_visible(p) for p in parts), file=sys.stderr if err else sys.stdout)


def _period(text: str) -> str:
    # checked before any file is read, so a typo costs nothing and prints no traceback
    from qzanalysis.periods import months_elapsed

    try:
        months_elapsed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"无法识别报告期“{_visible(text)}”，请写成 1-6月、1-8月、上半年 或 全年") from exc
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qzanalysis", description="项目台账分析：报告与数据检查")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    rep = sub.add_parser("report", help="生成报告：summary.xlsx、图表、report.html 和 report.docx")
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
    _say(report.narrative)
    _say()
    count = len(report.files) + (report.docx is not None)
    _say(f"已写出 {count} 个文件到 {report.out}/：")
    for f in report.files:
        if f.suffix in (".xlsx", ".html"):
            _say(f"  {f}")
    if report.docx is not None:
        _say(f"  {report.docx}（Word 文档，公文格式，可直接修改）")
    _say(f"  {report.out / 'charts'}/（PNG 和 SVG 图表）")
    if report.cut_cells:
        _say(f"注意：summary.xlsx 中有 {len(report.cut_cells)} 个单元格超过 Excel 的长度上限，"
             "已截断（见其“数据检查”表末尾）")
    return 0


def _shorten(text: str) -> str:
    if len(text) <= CHECK_CELL_CHARS:
        return text
    return f"{text[:CHECK_CELL_CHARS]}……（共 {len(text):,} 字）"


def _check(args, status: list[int]) -> None:
    from qzanalysis.findings import findings_for_people
    from qzanalysis.reading import load

    for path in args.paths:
        ledger = load(path)
        findings = ledger.check()
        if (findings["severity"] == "error").any():
            status[0] = 1  # known before printing: a closed pipe does not hide it
        _say(f"== {path}：{len(ledger.projects)} 个项目，{len(findings)} 条检查结果")
        if not len(findings):
            continue
        table = findings_for_people(findings)[["级别", "工作表", "行号", "列", "说明"]]
        order = table["级别"].map({"错误": 0, "警告": 1, "提示": 2}).fillna(3)
        shown = table.iloc[order.argsort(kind="stable")].head(CHECK_ROWS_SHOWN)
        # cleaned and cut before layout, so the columns line up as printed
        shown = shown.map(lambda v: _visible(_shorten(v)) if isinstance(v, str) else v)
        _say(shown.to_string(index=False, na_rep=""))
        if len(table) > len(shown):
            _say(f"…… 另有 {len(table) - len(shown):,} 条未列出（按错误、警告、提示排序，只列前 "
                 f"{len(shown)} 条）；完整列表可用 qzanalysis report 生成，见 summary.xlsx 的“数据检查”表")


def _verify(args) -> int:
    from qzanalysis.verify import format_result, names_file, read_text, verify

    text = read_text(args.text) if names_file(args.text) else args.text
    projects = None
    if args.ledger is not None:
        from qzanalysis.classify import classify
        from qzanalysis.reading import load

        projects = classify(load(args.ledger).projects)
    result = verify(text, projects, period=args.period)
    _say(format_result(result, text))
    return 1 if result["status"].eq("mismatch").any() else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    status = [0]
    try:
        if args.command == "verify":
            status[0] = _verify(args)
        elif args.command == "report":
            status[0] = _report(args)
        else:
            _check(args, status)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        # `qzanalysis check … | head`: the reader has seen enough; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return status[0]
    except LedgerError as exc:
        _say(f"错误：{exc}", err=True)
        return 2
    except OSError as exc:
        from qzanalysis.report import OutputError

        if isinstance(exc, OutputError):  # its message names the file, in Chinese
            _say(f"错误：{exc}", err=True)
        else:  # writing is all OutputError: this is a file we read
            where = f"“{exc.filename}”" if exc.filename else ""
            _say(f"错误：无法读取{where}：{os_error_text(exc)}", err=True)
        return 2
    return status[0]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
