"""Workbook-level reconciliation: what one sheet says about the others.

Real workbooks repeat themselves: the same table on a second sheet made for importing,
a 总表 over one sheet per district, one list grouped two ways on two sheets, a 汇总 sheet
of totals by stage. Counting every sheet would count those projects twice, so after
every sheet is read:

* :func:`set_aside_repeats` finds tables whose projects all stand in other tables with
  the same figures, keeps the most detailed copy and sets the others aside (their rows
  get the kind ``repeated``; one ``repeated_sheet`` finding per table);
* :func:`reconcile_summary_sheets` checks a sheet of totals without projects against the
  projects of every other sheet;
* :func:`duplicate_findings` reports a name that is left more than once: one finding
  per name, an error when the copies in different sheets disagree in their figures.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from qzanalysis.findings import make_finding
from qzanalysis.reading.grid import fmt
from qzanalysis.reading.totals import agrees, tolerance
from qzanalysis.reading.words import grand_total_re, reader_words, summary_sheet_re
from qzanalysis.stages import to_stage
from qzanalysis.vocab import MONEY_COLUMNS, column_label

__all__ = ["set_aside_repeats", "reconcile_summary_sheets", "duplicate_findings", "refuse_forms",
           "mark_repeated_rows",
           "MAX_PLACES"]

#: A duplicate_project message names at most this many places (then "…等N处").
MAX_PLACES = 10
_TOTAL_RULES = ("total_mismatch", "unreconciled_total", "count_mismatch")


def _money_keys(projects: pd.DataFrame, cols: list[str]) -> list[tuple]:
    """(name, amounts rounded to 0.01 万元 in ``cols``) of every project; None for missing."""
    parts = [projects["project_name"].astype(object).where(projects["project_name"].notna(),
                                                           None).tolist()]
    for c in cols:
        v = projects[c].to_numpy(dtype="float64")
        parts.append([None if np.isnan(x) else round(float(x), 2) for x in v])
    return list(zip(*parts, strict=True))


def _data_columns(projects: pd.DataFrame) -> set[str]:
    return {c for c in MONEY_COLUMNS if projects[c].notna().any()}


def _preference(res, position: int) -> tuple:
    """Sort key, least worth keeping first: a 总表/汇总 sheet, less stage and section
    information, later in the workbook."""
    p = res.projects
    sheet = str(p["source_sheet"].iat[0])
    return (not summary_sheet_re().search(sheet), float(p["stage"].notna().mean()),
            float(p["section"].notna().mean()), -position)


def _covered_by(t, others) -> list | None:
    """Where each project of table ``t`` stands in ``others`` (same name, same figures in
    the columns both tables fill), or None when some project stands nowhere else.
    ``others`` are the tables that share at least one name with ``t``."""
    mine = t.projects
    if mine["project_name"].isna().any():
        return None
    cols_t = _data_columns(mine)
    todo = dict(enumerate(mine["project_name"].tolist()))
    found: list = [None] * len(mine)
    for u in others:
        if not todo:
            break
        theirs = u.projects
        cols = sorted(cols_t & _data_columns(theirs))
        pool: dict[tuple, list[int]] = {}
        for j, k in enumerate(_money_keys(theirs, cols)):
            pool.setdefault(k, []).append(j)
        keys_t = _money_keys(mine, cols)
        for i in list(todo):
            hits = pool.get(keys_t[i])
            if hits:
                j = hits.pop(0)
                found[i] = (str(theirs["source_sheet"].iat[j]), int(theirs["source_row"].iat[j]))
                del todo[i]
    return None if todo else found


def set_aside_repeats(results: list, file: str) -> tuple[list, list, list]:
    """Split the tables into those counted and those that repeat them.

    Returns ``(kept, repeats, findings)`` where ``repeats`` holds ``(table, places)``:
    each project of the table and the (sheet, row) of its counted copy.
    """
    with_projects = sorted((k for k in range(len(results)) if len(results[k].projects)),
                           key=lambda k: _preference(results[k], k))
    if len(with_projects) < 2:
        return results, [], []
    # which tables hold each name: a table is compared only with tables sharing its names,
    # and not at all when one of its names stands nowhere else (thousands of sheets, R20)
    names = {k: set(results[k].projects["project_name"].dropna()) for k in with_projects}
    holders: dict[str, set] = {}
    for k, ns in names.items():
        for name in ns:
            holders.setdefault(name, set()).add(k)
    aside: dict[int, list] = {}
    for k in with_projects:
        near = set()
        for name in names[k]:
            elsewhere = holders[name] - {k} - aside.keys()
            if not elsewhere:
                near = None
                break
            near |= elsewhere
        if not near:
            continue
        places = _covered_by(results[k], [results[j] for j in sorted(near)])
        if places is not None:
            aside[k] = places
    findings = [_repeat_finding(results[k], places, file) for k, places in aside.items()]
    kept = [r for k, r in enumerate(results) if k not in aside]
    return kept, [(results[k], places) for k, places in aside.items()], findings


def _repeat_finding(res, places, file: str) -> dict:
    sheet = str(res.projects["source_sheet"].iat[0])
    sources = "、".join(f"“{s}”" for s in dict.fromkeys(s for s, _ in places))
    return make_finding(
        "repeated_sheet",
        f"工作表“{sheet}”的 {len(places)} 个项目与工作表{sources}中的项目相同（名称相同，两表都填写的金额一致），"
        f"只计一次：工作表“{sheet}”的项目未计入合计",
        source_file=file, source_sheet=sheet)


def mark_repeated_rows(rows: pd.DataFrame, repeats: list) -> pd.DataFrame:
    """The project rows of a set-aside table become kind ``repeated``, saying where the
    counted copy stands."""
    if not repeats:
        return rows
    rows = rows.copy()
    for res, places in repeats:
        p = res.projects
        for sheet, row, (s2, r2) in zip(p["source_sheet"], p["source_row"], places, strict=True):
            at = (rows["source_sheet"] == sheet) & (rows["source_row"] == int(row)) & (
                rows["kind"] == "project")
            rows.loc[at, "kind"] = "repeated"
            rows.loc[at, "reason"] = f"与工作表“{s2}”第{r2}行的项目相同，只计一次"
    return rows


def duplicate_findings(projects: pd.DataFrame, file: str) -> list[dict]:
    """One finding per project name that stands more than once, at its first row.

    The message names the places (at most :data:`MAX_PLACES`, then how many more). Copies
    in different sheets whose figures differ are an error: someone must decide which
    is right.
    """
    names = projects["project_name"]
    dup = names.notna() & names.duplicated(keep=False)
    if not dup.any():
        return []
    sub = projects.loc[dup]
    out = []
    for name, d in sub.groupby("project_name", sort=False):
        sheets, rows = d["source_sheet"].tolist(), d["source_row"].tolist()
        places = "、".join(f"工作表“{s}”第{r}行" for s, r in zip(sheets[:MAX_PLACES],
                                                           rows[:MAX_PLACES], strict=True))
        if len(d) > MAX_PLACES:
            places += f"等{len(d)}处"
        differ = len(set(sheets)) > 1 and len(set(_money_keys(d, sorted(_data_columns(d))))) > 1
        what = ("，各处金额不一致，请核对哪一处正确" if differ else
                "，各处都已保留，请核对是否重复填报")
        out.append(make_finding(
            "duplicate_project",
            f"工作表“{sheets[0]}”第{rows[0]}行“项目名称”：项目“{name}”在台账中出现 {len(d)} 次"
            f"（{places}）{what}",
            severity="error" if differ else None, source_file=file, source_sheet=sheets[0],
            source_row=int(rows[0]), column="project_name"))
    return out


def reconcile_summary_sheets(results, projects, totals, rows, findings, file):
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
        grand = keys.str.match(grand_total_re(*reader_words("summary_word"))).to_numpy(dtype=bool)
        if not (summary_sheet_re().search(sheet) or row_stage.notna().any()):
            continue
        if not sum(len(r.projects) for r in results if r is not res):
            continue
        mine = (totals["source_sheet"] == sheet).to_numpy(dtype=bool)
        findings = [f for f in findings if not (f.get("source_sheet") == sheet
                                                and f.get("rule") in _TOTAL_RULES)]
        for k, idx in enumerate(np.flatnonzero(mine)):
            _reconcile_summary_row(totals, rows, findings, projects, stages, file, sheet, idx,
                                   labels.iat[k], row_stage.iat[k], grand[k])
    return totals, rows, findings


def _reconcile_summary_row(totals, rows, findings, projects, stages, file, sheet, idx, label,
                           st, grand):
    row = int(totals.at[idx, "source_row"])
    if not pd.isna(st):
        mask, scope = (stages == st).to_numpy(dtype=bool), f"全部工作表：{st}"
    elif grand:
        mask, scope = np.ones(len(projects), bool), "全部工作表"
    else:
        findings.append(make_finding(
            "unreconciled_total",
            f"工作表“{sheet}”第{row}行：无法确定汇总行“{label}”包含哪些项目，未核对",
            source_file=file, source_sheet=sheet, source_row=row))
        totals.at[idx, "project_rows"] = None
        return
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
        if not agrees(declared, computed, tolerance(declared, float(declared))):
            got = "没有项目填写" if pd.isna(computed) else f"合计 {fmt(computed)}"
            findings.append(make_finding(
                "total_mismatch",
                f"工作表“{sheet}”第{row}行“{column_label(col)}”：汇总行“{label}”"
                f"声明 {fmt(declared)}，各工作表中{'全部' if pd.isna(st) else st}项目{got}，请核对",
                source_file=file, source_sheet=sheet, source_row=row, column=col))


#: The labels of a one-project form (左列标签、右侧填值) that are not column headers.
_FORM_LABEL_RE = re.compile(r"(?:时限|进度|目标|节点|问题|情况|责任人|责任单位|签名|联系人|电话)$")


def _is_form(projects: pd.DataFrame) -> bool:
    """The "projects" are mostly labels: header words (建设单位, 总投资 …) or form labels
    (完成时限, 责任人 …), as in a label | value form about one project."""
    from qzanalysis.reading.layout import header_key, match_header

    names = projects["project_name"].dropna()
    if len(names) < 2 or len(names) > 60:
        return False
    labels = sum(1 for v in names if match_header(header_key(v)[0]) or _FORM_LABEL_RE.search(v))
    return labels >= 2 and labels >= 0.5 * len(names)


def refuse_forms(results: list) -> list:
    """A table that is a one-project form keeps no project: its label rows are rejected
    with a reason, and one ``form_layout`` finding says why."""
    out = []
    for res in results:
        if not len(res.projects) or not _is_form(res.projects):
            out.append(res)
            continue
        p = res.projects
        sheet, file = str(p["source_sheet"].iat[0]), str(p["source_file"].iat[0])
        labels = "、".join(f"“{v}”" for v in p["project_name"].head(4))
        rows = res.rows.copy()
        at = rows["kind"] == "project"
        rows.loc[at, "kind"] = "rejected"
        rows.loc[at, "reason"] = "单个项目表单中的标签，不是项目"
        findings = [f for f in res.findings if f.get("rule") != "rejected_row"]
        findings.append(make_finding(
            "form_layout",
            f"工作表“{sheet}”是单个项目的表单（左列是{labels}等标签，右侧是填写的值），不是项目清单，"
            "没有从中读取项目；请把表单内容填入项目清单（每个项目一行）后再读取",
            source_file=file, source_sheet=sheet))
        out.append(type(res)(p.iloc[0:0], res.totals.iloc[0:0], rows, res.funding.iloc[0:0],
                             findings, res.header_rows))
    return out
