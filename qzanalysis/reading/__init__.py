"""Reading project ledgers (项目台账) into the canonical tables of DESIGN.md.

>>> import qzanalysis as qz
>>> from qzanalysis.report import sample_paths
>>> ledger = qz.load(sample_paths()["ledger"])     # the bundled half-year sample
>>> ledger.projects.groupby("stage", observed=True)["total_investment"].sum().to_dict()
{'新签约': 27553.0, '续建': 71030.0}
>>> sorted(ledger.rows["kind"].value_counts().items())   # all 69 non-blank rows
[('header', 2), ('note', 2), ('project', 59), ('section', 2), ('title', 1), ('total', 3)]

Submodules: :mod:`.files` (format sniffing, zip safety, workbook and CSV decoding),
:mod:`.layout` (title/unit/header rows, column synonyms), :mod:`.values` (money and
dates), :mod:`.assemble` (row kinds, sections, stages, totals, findings).
"""

from __future__ import annotations

import os
from bisect import bisect_left

import pandas as pd

from qzanalysis.errors import LedgerError
from qzanalysis.findings import findings_frame, make_finding
from qzanalysis.ledger import Ledger
from qzanalysis.reading.assemble import (
    TOTALS_COLUMNS,
    assemble_sheet,
    funding_frame,
    totals_frame,
)
from qzanalysis.reading.files import RawSheet, read_sheets
from qzanalysis.reading.layout import MAX_HEADER_ROWS, find_layout
from qzanalysis.reading.values import UNIT_FACTORS
from qzanalysis.reading.words import analyst_reader_words, reader_words
from qzanalysis.reading.workbook import (
    duplicate_findings,
    mark_repeated_rows,
    reconcile_summary_sheets,
    refuse_forms,
    set_aside_repeats,
)
from qzanalysis.stages import analyst_words, to_stage
from qzanalysis.vocab import ROWS_COLUMNS, empty_projects

__all__ = ["load", "read_ledger", "TOTALS_COLUMNS"]



def read_ledger(path: str | os.PathLike, **options) -> pd.DataFrame:
    """Read a ledger and return its projects (``load(path, **options).projects``).

    >>> from qzanalysis.report import sample_paths
    >>> len(read_ledger(sample_paths()["ledger"]))
    59
    """
    return load(path, **options).projects


def load(path: str | os.PathLike, *, sheet: str | list[str] | None = None,
         header_row: int | None = None, unit: str | None = None,
         rules: str | os.PathLike | pd.DataFrame | None = None) -> Ledger:
    """Read a ledger file (xlsx, xlsm, xls, ods, csv) into a :class:`~qzanalysis.Ledger`.

    Parameters
    ----------
    path : str or PathLike
        The workbook or CSV. The format is sniffed from the content, not the extension.
    sheet : str or list of str, optional
        Read only these sheets (default: every visible sheet holding a ledger table).
        A hidden sheet named here is read all the same, with an info finding
        ``hidden_sheet``.
    header_row : int, optional
        Force the (first) header row, 1-based as Excel shows it.
    unit : {"万元", "亿元", "元"}, optional
        Force the unit of every money column (a unit written inside a cell still wins).
    rules : path or DataFrame, optional
        The analyst's rule table, the same one :func:`qzanalysis.classify` takes
        (columns ``keyword`` and one of ``section`` / ``channel`` / ``stage``). Its stage
        words (停建 → 续建) are used while reading: in sheet names, section rows and
        stage columns, before the shipped words.

    Raises
    ------
    LedgerError
        The file cannot be read as a ledger; the message names the file (and sheet).
    ValueError
        An option out of range, or a rule table that cannot be read.
    """
    file = str(path)
    wanted = None
    if sheet is not None:
        wanted = [sheet] if isinstance(sheet, str) else list(sheet)
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ValueError(f"header_row must be a positive int (1-based row), got {header_row!r}")
    if unit is not None and unit not in UNIT_FACTORS:
        raise ValueError(f"unit must be one of {sorted(UNIT_FACTORS)}, got {unit!r}")
    words = reader = None
    if rules is not None:
        from qzanalysis.classify import read_rules

        taught = read_rules(rules)
        words, reader = taught["stage"], taught["reader"]
    with analyst_words(words), analyst_reader_words(reader):
        _fmt, sheets = read_sheets(path, sheets=wanted)
        results, findings = _read_tables(sheets, file, wanted, header_row, unit)
        if not results:
            raise _no_table_error(sheets, file, wanted)
        return _combine(results, findings, file)


def _read_tables(sheets, file, wanted, header_row, unit) -> tuple[list, list]:
    """Every table of every sheet to read, and the findings about sheets skipped."""
    results, findings = [], []
    for sheet in sheets:  # what the file layer noticed (encodings, CSV quotes, sheet names)
        findings.extend(sheet.findings)

    def skip(sheet_name, why):
        findings.append(make_finding("skipped_sheet", f"工作表“{sheet_name}”{why}，已跳过",
                                     source_file=file, source_sheet=sheet_name))

    # the stage a sheet's name gives (续建项目 …), for every sheet in one pass
    named = to_stage(pd.Series([s.name for s in sheets], dtype=object)).astype(object)
    for sheet, sheet_stage in zip(sheets, named.tolist(), strict=True):
        sheet_stage = None if pd.isna(sheet_stage) else str(sheet_stage)
        if sheet.hidden and wanted is None:
            skip(sheet.name, "是隐藏工作表")
            continue
        if sheet.hidden:  # named by the caller: explicit wins, but say so
            findings.append(make_finding(
                "hidden_sheet", f"工作表“{sheet.name}”是隐藏工作表，因调用时指定了该表（sheet=…），仍已读取",
                source_file=file, source_sheet=sheet.name))
        if not _has_cells(sheet):
            skip(sheet.name, "是空的")
            continue
        if sheet.name.strip() in reader_words("skip_sheet") and wanted is None:
            skip(sheet.name, "是填表说明/封面，不是台账表")
            continue
        try:
            layout = find_layout(sheet.rows, sheet.merges, header_row=header_row, unit=unit)
            if layout is None:
                skip(sheet.name, "前30行中找不到台账表头（应含“项目名称”及总投资等列）")
                continue
            results.extend(refuse_forms(_assemble_tables(sheet, layout, file, sheet_stage)))
        except (LedgerError, MemoryError, RecursionError):
            raise
        except Exception as e:  # a layout no rule foresaw: say where, never a raw traceback
            raise LedgerError(f"无法识别这张表的版式（{type(e).__name__}: {e}）；请把文件发给"
                              "维护人员，或用 sheet=… / header_row=… 指定要读的表和表头行",
                              file=file, sheet=sheet.name) from e
    return results, findings


def _has_cells(sheet) -> bool:
    return any(any(v not in ("", None) for v in row) for row in sheet.rows)


def _no_table_error(sheets, file, wanted) -> LedgerError:
    """Why nothing was read: every sheet empty or hidden, or no header anywhere."""
    hidden = [s.name for s in sheets if s.hidden and wanted is None]
    nonempty = sum(1 for s in sheets if not (s.hidden and wanted is None) and _has_cells(s))
    if nonempty == 0 and hidden:
        names = "、".join(f"“{h}”" for h in hidden)
        only = (f"唯一的工作表{names}是隐藏的" if len(hidden) == 1 else
                f"全部 {len(hidden)} 个工作表{names}都是隐藏的")
        where = (f"工作簿中{only}" if len(hidden) == len(sheets) else
                 f"工作簿中可见的工作表都是空的，另有隐藏的工作表{names}")
        return LedgerError(
            f"{where}，隐藏的工作表默认不读取；请在 Excel/WPS 中取消隐藏，"
            f"或调用时用 sheet=\"{hidden[0]}\" 指定要读取的工作表", file=file)
    if nonempty == 0:
        return LedgerError("工作簿是空的，没有任何数据", file=file)
    names = "、".join(f"“{s.name}”" for s in sheets if s.name not in hidden) or "（无）"
    also = ("；另有隐藏的工作表" + "、".join(f"“{h}”" for h in hidden) + "未读取"
            if hidden else "")
    return LedgerError(
        f"没有任何工作表含有台账表头（需要在前30行中有一行包含“项目名称”和总投资等列名）；"
        f"已检查的工作表：{names}{also}", file=file)


def _combine(results: list, findings: list, file: str) -> Ledger:
    """One Ledger from the tables of every sheet, each project counted once."""
    kept, repeats, repeat_findings = set_aside_repeats(results, file)
    aside = {id(r) for r, _ in repeats}
    for r in results:
        findings.extend(f for f in r.findings if id(r) not in aside
                        or f.get("rule") in _TOTAL_RULES)
    findings.extend(repeat_findings)
    projects = pd.concat([r.projects for r in kept], ignore_index=True) if kept else \
        empty_projects()
    projects = _align_dtypes(projects, kept)
    totals = pd.concat([r.totals for r in results], ignore_index=True) if any(
        len(r.totals) for r in results) else totals_frame([])
    rows = pd.concat([r.rows for r in results], ignore_index=True).reindex(
        columns=list(ROWS_COLUMNS)).astype({"source_file": "str", "source_sheet": "str",
                                            "source_row": "Int64", "kind": "str",
                                            "reason": "str"})
    rows = mark_repeated_rows(rows, repeats)
    funding_parts = [r.funding for r in kept if len(r.funding)]
    funding = pd.concat(funding_parts, ignore_index=True) if funding_parts else \
        funding_frame(None, [], {}, None)
    if len(results) > 1:
        totals, rows, findings = reconcile_summary_sheets(results, projects, totals, rows,
                                                          findings, file)
    findings.extend(duplicate_findings(projects, file))
    if projects.empty:  # a header and nothing under it: readable, but worth saying
        findings.append(make_finding(
            "no_projects", "表头下面没有读到任何项目，请核对文件是否填写完整或是否选错了工作表",
            source_file=file,
            source_sheet="、".join(pd.unique(rows["source_sheet"].dropna())) or None))
    return Ledger(path=file, projects=projects, funding=funding, totals=totals, rows=rows,
                  findings=findings_frame(findings))


def _assemble_tables(sheet: RawSheet, layout, file: str, sheet_stage) -> list:
    """Assemble a sheet; split it where a second table with other columns starts.

    A repeated name header (``项目名称`` again, lower down) is usually the header of
    page 2 and changes nothing. When its columns differ (a second table stacked under
    the first: 合同引资/到位资金 where the first had 总投资/本年计划投资), the rows below
    it are read with their own header, and the title rows just above it (a text-only
    run after a blank row or a total) belong to the second table.
    """
    result = assemble_sheet(sheet, layout, file, sheet_stage)
    mapping = [(c.index, c.field) for c in layout.columns if c.field]
    probes = [r for r in result.header_rows if r > layout.header_bottom + 1]
    # a header block is at most MAX_HEADER_ROWS rows (+ a column-number row): probe each
    # repeated header with its own few rows and the merges that start there, never the
    # whole sheet (500 page headers x 200,000 merges took 23 s, R19)
    merges = sorted(sheet.merges) if probes else []
    starts = [m[0][0] for m in merges]
    span = MAX_HEADER_ROWS + 2
    for r in probes:
        window = merges[bisect_left(starts, r):bisect_left(starts, r + span)]
        second = find_layout(sheet.rows[r:r + span], _shift_merges(window, r), header_row=1)
        if second is None or [(c.index, c.field) for c in second.columns if c.field] == mapping:
            continue
        cut = r
        while cut - 1 > layout.header_bottom and _is_title_row(sheet.rows[cut - 1]):
            cut -= 1
        if cut < r and not any(v not in ("", None) for v in sheet.rows[cut - 1]):
            pass  # a blank row separates the tables: the text rows are the 2nd title
        elif cut < r:
            cut = r  # text rows glued to the first table: leave them where they are
        head, tail = _split_sheet(sheet, cut)
        tail_layout = find_layout(tail.rows, tail.merges, header_row=r - cut + 1)
        return ([assemble_sheet(head, layout, file, sheet_stage)]
                + _assemble_tables(tail, tail_layout, file, sheet_stage))
    return [result]


def _is_title_row(row) -> bool:
    cells = [v for v in row if v not in ("", None)]
    return 0 < len(cells) <= 2 and all(isinstance(v, str) for v in cells)


def _shift_merges(merges, r0: int) -> list:
    return [((a - r0, b), (c - r0, d)) for (a, b), (c, d) in merges if a >= r0]


def _split_sheet(sheet: RawSheet, cut: int) -> tuple[RawSheet, RawSheet]:
    numbers = (sheet.row_numbers if sheet.row_numbers is not None
               else list(range(1, len(sheet.rows) + 1)))
    head = RawSheet(sheet.name, sheet.rows[:cut],
                    [m for m in sheet.merges if m[1][0] < cut],
                    {(r, c) for r, c in sheet.formula_missing if r < cut},
                    numbers[:cut], sheet.hidden)
    tail = RawSheet(sheet.name, sheet.rows[cut:], _shift_merges(sheet.merges, cut),
                    {(r - cut, c) for r, c in sheet.formula_missing if r >= cut},
                    numbers[cut:], sheet.hidden)
    return head, tail


_TOTAL_RULES = ("total_mismatch", "unreconciled_total", "count_mismatch")


def _align_dtypes(projects: pd.DataFrame, results) -> pd.DataFrame:
    """After concatenating sheets, keep categorical stage and text columns as str."""
    from qzanalysis.vocab import STAGE_DTYPE

    projects["stage"] = projects["stage"].astype(STAGE_DTYPE)
    for c in projects.columns:
        if projects[c].dtype == object:
            projects[c] = projects[c].astype("str")
    return projects
