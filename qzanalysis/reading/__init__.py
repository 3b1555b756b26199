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
import re

import numpy as np
import pandas as pd

from qzanalysis.errors import LedgerError
from qzanalysis.findings import findings_frame
from qzanalysis.ledger import Ledger
from qzanalysis.reading.assemble import (
    TOTALS_COLUMNS,
    _fmt,
    _funding,
    _totals_frame,
    assemble_sheet,
)
from qzanalysis.reading.files import RawSheet, read_sheets
from qzanalysis.reading.layout import find_layout
from qzanalysis.reading.values import UNIT_FACTORS, printed_decimals
from qzanalysis.reading.words import GRAND_TOTAL_WORDS, alternation
from qzanalysis.stages import to_stage
from qzanalysis.vocab import MONEY_COLUMNS, ROWS_COLUMNS, column_label, empty_projects

__all__ = ["load", "read_ledger", "TOTALS_COLUMNS"]

_OPTIONS = ("sheet", "header_row", "unit")
#: Sheets that hold instructions or covers, never a ledger table.
_SKIP_SHEET_RE = re.compile(r"^(?:填表说明|填报说明|说明|使用说明|指标解释|封面|目录|示例|填表示例)$")


def read_ledger(path: str | os.PathLike, **options) -> pd.DataFrame:
    """Read a ledger and return its projects (``load(path, **options).projects``).

    >>> from qzanalysis.report import sample_paths
    >>> len(read_ledger(sample_paths()["ledger"]))
    59
    """
    return load(path, **options).projects


def load(path: str | os.PathLike, **options) -> Ledger:
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

    Raises
    ------
    LedgerError
        The file cannot be read as a ledger; the message names the file (and sheet).
    TypeError
        An unknown option.
    """
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"load() got unknown option(s) {unknown}; allowed: {list(_OPTIONS)}")
    file = str(path)
    sheet_opt = options.get("sheet")
    wanted = None
    if sheet_opt is not None:
        wanted = [sheet_opt] if isinstance(sheet_opt, str) else list(sheet_opt)
    header_row = options.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ValueError(f"header_row must be a positive int (1-based row), got {header_row!r}")
    unit = options.get("unit")
    if unit is not None and unit not in UNIT_FACTORS:
        raise ValueError(f"unit must be one of {sorted(UNIT_FACTORS)}, got {unit!r}")

    fmt, sheets = read_sheets(path, sheets=wanted)
    results, findings, skipped = [], [], []
    for sheet in sheets:  # what the file layer noticed (encodings, CSV quotes, sheet names)
        findings.extend(sheet.findings)

    def skip(sheet_name, why):
        skipped.append(sheet_name)
        findings.append({"severity": "info", "rule": "skipped_sheet", "source_file": file,
                         "source_sheet": sheet_name,
                         "message": f"工作表“{sheet_name}”{why}，已跳过"})

    nonempty = 0
    for sheet in sheets:
        if sheet.hidden and wanted is None:
            skip(sheet.name, "是隐藏工作表")
            continue
        if sheet.hidden:  # named by the caller: explicit wins, but say so
            findings.append({"severity": "info", "rule": "hidden_sheet", "source_file": file,
                             "source_sheet": sheet.name,
                             "message": f"工作表“{sheet.name}”是隐藏工作表，因调用时指定了"
                                        "该表（sheet=…），仍已读取"})
        has_cells = any(any(v not in ("", None) for v in row) for row in sheet.rows[:200]) or \
            any(any(v not in ("", None) for v in row) for row in sheet.rows[200:])
        if not has_cells:
            skip(sheet.name, "是空的")
            continue
        nonempty += 1
        if _SKIP_SHEET_RE.match(sheet.name.strip()) and wanted is None:
            skip(sheet.name, "是填表说明/封面，不是台账表")
            continue
        layout = find_layout(sheet.rows, sheet.merges, header_row=header_row, unit=unit)
        if layout is None:
            skip(sheet.name, "前30行中找不到台账表头（应含“项目名称”及总投资等列）")
            continue
        sheet_stage = to_stage(pd.Series([sheet.name]))[0]
        sheet_stage = None if pd.isna(sheet_stage) else str(sheet_stage)
        results.extend(_assemble_tables(sheet, layout, file, sheet_stage))
    if not results:
        hidden = [s.name for s in sheets if s.hidden and wanted is None]
        if nonempty == 0 and hidden:
            names = "、".join(f"“{h}”" for h in hidden)
            only = (f"唯一的工作表{names}是隐藏的" if len(hidden) == 1 else
                    f"全部 {len(hidden)} 个工作表{names}都是隐藏的")
            where = (f"工作簿中{only}" if len(hidden) == len(sheets) else
                     f"工作簿中可见的工作表都是空的，另有隐藏的工作表{names}")
            raise LedgerError(
                f"{where}，隐藏的工作表默认不读取；请在 Excel/WPS 中取消隐藏，"
                f"或调用时用 sheet=\"{hidden[0]}\" 指定要读取的工作表", file=file)
        if nonempty == 0:
            raise LedgerError("工作簿是空的，没有任何数据", file=file)
        names = "、".join(f"“{s.name}”" for s in sheets if s.name not in hidden) or "（无）"
        also = ("；另有隐藏的工作表" + "、".join(f"“{h}”" for h in hidden) + "未读取"
                if hidden else "")
        raise LedgerError(
            f"没有任何工作表含有台账表头（需要在前30行中有一行包含“项目名称”和总投资等列名）；"
            f"已检查的工作表：{names}{also}", file=file)
    projects = pd.concat([r.projects for r in results], ignore_index=True) if results else \
        empty_projects()
    projects = _align_dtypes(projects, results)
    totals = pd.concat([r.totals for r in results], ignore_index=True) if any(
        len(r.totals) for r in results) else _totals_frame([])
    rows = pd.concat([r.rows for r in results], ignore_index=True).reindex(
        columns=list(ROWS_COLUMNS)).astype({"source_file": "str", "source_sheet": "str",
                                            "source_row": "Int64", "kind": "str",
                                            "reason": "str"})
    funding_parts = [r.funding for r in results if len(r.funding)]
    funding = pd.concat(funding_parts, ignore_index=True) if funding_parts else \
        _funding(None, [], {}, None)
    for r in results:
        findings.extend(r.findings)
    if len(results) > 1:
        totals, rows, findings = _reconcile_summary_sheets(results, projects, totals, rows,
                                                           findings, file)
    findings.extend(_duplicates(projects, file))
    if projects.empty:  # a header and nothing under it: readable, but worth saying
        findings.append({
            "severity": "warning", "rule": "no_projects", "source_file": file,
            "source_sheet": "、".join(pd.unique(rows["source_sheet"].dropna())) or None,
            "message": "表头下面没有读到任何项目，请核对文件是否填写完整或是否选错了工作表",
        })
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
    for r in result.header_rows:
        if r <= layout.header_bottom + 1:
            continue
        second = find_layout(sheet.rows[r:], _shift_merges(sheet.merges, r), header_row=1)
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


_SUMMARY_NAME_RE = re.compile(r"汇总|总表|合计|统计|分类")
_GRAND_RE = re.compile("^" + alternation(GRAND_TOTAL_WORDS, "汇总"))
_TOTAL_RULES = ("total_mismatch", "unreconciled_total", "count_mismatch")


def _reconcile_summary_sheets(results, projects, totals, rows, findings, file):
    """Reconcile a summary sheet (汇总) with the projects of the other sheets.

    A sheet that holds no project but declares totals by stage (续建项目 | 21000,
    新开工项目 | 5500, 合计 | 26500) restates the workbook: its rows are totals (never
    projects, so nothing is counted twice) and each is checked against the projects
    of every sheet -- a stage row against that stage, 合计/总计 against all. Applies
    when the sheet is named like a summary (汇总, 总表, 统计 …) or one of its rows names
    a stage; an empty template sheet with a 合计 of 0 stays as it is.
    """
    stages = projects["stage"].astype(object)
    for res in results:
        if len(res.projects) or not len(res.totals):
            continue
        sheet = str(res.totals["source_sheet"].iat[0])
        labels = res.totals["label"].astype(str)
        keys = labels.str.replace(r"^[(（]?[一二三四五六七八九十]+[)）]?[、.．]?", "", regex=True)
        row_stage = to_stage(keys).astype(object)
        grand = keys.str.match(_GRAND_RE).to_numpy(dtype=bool)
        if not (_SUMMARY_NAME_RE.search(sheet) or row_stage.notna().any()):
            continue
        if not sum(len(r.projects) for r in results if r is not res):
            continue
        mine = (totals["source_sheet"] == sheet).to_numpy(dtype=bool)
        findings = [f for f in findings if not (f.get("source_sheet") == sheet
                                                and f.get("rule") in _TOTAL_RULES)]
        for k, idx in enumerate(np.flatnonzero(mine)):
            st = row_stage.iat[k]
            row = int(totals.at[idx, "source_row"])
            label = labels.iat[k]
            if not pd.isna(st):
                mask, scope = (stages == st).to_numpy(dtype=bool), f"全部工作表：{st}"
            elif grand[k]:
                mask, scope = np.ones(len(projects), bool), "全部工作表"
            else:
                findings.append({"severity": "info", "rule": "unreconciled_total",
                                 "source_file": file, "source_sheet": sheet, "source_row": row,
                                 "message": f"工作表“{sheet}”第{row}行：无法确定汇总行“{label}”"
                                            "包含哪些项目，未核对"})
                totals.at[idx, "project_rows"] = None
                continue
            totals.at[idx, "scope"] = scope
            totals.at[idx, "n_projects"] = int(mask.sum())
            totals.at[idx, "project_rows"] = tuple(zip(
                projects["source_sheet"].to_numpy(dtype=object)[mask].tolist(),
                projects["source_row"].to_numpy(dtype="int64")[mask].tolist(), strict=True))
            rows.loc[(rows["source_sheet"] == sheet) & (rows["source_row"] == row)
                     & (rows["kind"] == "section"), "kind"] = "total"
            for col in MONEY_COLUMNS:
                declared = totals.at[idx, col]
                values = projects[col].to_numpy(dtype="float64")[mask]
                computed = float(np.nansum(values)) if (~np.isnan(values)).any() else np.nan
                totals.at[idx, f"computed_{col}"] = computed
                if pd.isna(declared):
                    continue
                tol = 0.5 * 10.0 ** -printed_decimals(float(declared)) + 1e-6 * abs(declared)
                if pd.isna(computed) and abs(declared) <= tol:
                    continue
                if pd.isna(computed) or abs(declared - computed) > tol + 1e-6 * abs(computed):
                    got = "没有项目填写" if pd.isna(computed) else f"合计 {_fmt(computed)}"
                    findings.append({
                        "severity": "error", "rule": "total_mismatch", "source_file": file,
                        "source_sheet": sheet, "source_row": row, "column": col,
                        "message": f"工作表“{sheet}”第{row}行“{column_label(col)}”：汇总行“{label}”"
                                   f"声明 {_fmt(declared)}，各工作表中{'全部' if pd.isna(st) else st}"
                                   f"项目{got}，请核对"})
    return totals, rows, findings


def _align_dtypes(projects: pd.DataFrame, results) -> pd.DataFrame:
    """After concatenating sheets, keep categorical stage and text columns as str."""
    from qzanalysis.vocab import STAGE_DTYPE

    projects["stage"] = projects["stage"].astype(STAGE_DTYPE)
    for c in projects.columns:
        if projects[c].dtype == object:
            projects[c] = projects[c].astype("str")
    return projects


def _duplicates(projects: pd.DataFrame, file: str) -> list[dict]:
    names = projects["project_name"]
    dup = names.notna() & names.duplicated(keep=False)
    out = []
    if not dup.any():
        return out
    sub = projects.loc[dup, ["project_name", "source_sheet", "source_row"]]
    where = sub.groupby("project_name", sort=False).apply(
        lambda d: "、".join(f"工作表“{s}”第{r}行" for s, r in zip(d.source_sheet, d.source_row,
                                                               strict=True)),
        include_groups=False)
    for name, sheet, row in sub.itertuples(index=False):
        out.append({"severity": "warning", "rule": "duplicate_project", "source_file": file,
                    "source_sheet": sheet, "source_row": int(row), "column": "project_name",
                    "message": f"工作表“{sheet}”第{row}行“项目名称”：项目“{name}”在台账中出现多次"
                               f"（{where[name]}），两行都已保留，请核对是否重复填报"})
    return out
