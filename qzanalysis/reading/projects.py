"""Phase 4: the project rows become the canonical project table (DESIGN.md), with their
stages, dates, extra columns kept under their own headers, funding sub-columns, and the
findings about their cells.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from qzanalysis.reading.grid import Amounts, Grid, cell_text, fmt, where
from qzanalysis.reading.layout import Column, Layout
from qzanalysis.reading.values import NUM, parse_dates
from qzanalysis.reading.words import reader_words
from qzanalysis.stages import stage_exact, to_stage
from qzanalysis.vocab import DATE_COLUMNS, MONEY_COLUMNS, PROJECT_COLUMNS, STAGE_DTYPE, STAGES

__all__ = ["build_projects", "funding_frame", "cell_findings"]

_NAME_STAGE_RE = re.compile(r"[(（]\s*([^()（）]{1,8}?)\s*[)）]\s*$")
_TEXT_FIELDS = ("owner", "location", "content", "industry", "funding_source", "progress_note")


def build_projects(grid: Grid, layout: Layout, P: np.ndarray, name_norm: np.ndarray,
                   stage: pd.Series, section: pd.Series, amts: Amounts) -> pd.DataFrame:
    """The project table of the rows ``P`` (grid positions), in grid order.

    ``stage`` is the stage from sections or the sheet name; a stage column, a 备注
    column of stage words or a stage in brackets ending the name fill it in or win.
    """
    data: dict[str, object] = {"project_name": pd.Series(name_norm[P], dtype=object)}
    stage, stage_raw, extras = _stage_columns(grid, layout, P, stage, data)
    stage = _stage_fallbacks(stage, data["project_name"], layout, grid, P)
    data["stage"] = pd.Series(pd.Categorical(stage.where(stage.isin(STAGES), None),
                                             dtype=STAGE_DTYPE))
    data["section"] = section
    for fld in _TEXT_FIELDS:
        cs = layout.by_field(fld)
        if cs and fld not in data:
            raw = grid.text(cs[0].index)[P]
            raw[raw == ""] = None
            data[fld] = raw
    for col in amts.money_cols:
        data[col.field] = pd.Series(amts.values[col.index][P])
    data.update(_dates(grid, layout, P))
    data["source_file"] = pd.Series([grid.file] * len(P), dtype=object)
    data["source_sheet"] = pd.Series([grid.sheet] * len(P), dtype=object)
    data["source_row"] = pd.Series(grid.src_row[P], dtype="Int64")
    projects = _project_frame(data, len(P))
    extras += _extra_columns(grid, layout, P)
    if stage_raw is not None:
        extras.insert(0, ("stage_raw", stage_raw.astype("str")))
    return _with_extras(projects, extras)


def _stage_columns(grid, layout, P, stage, data):
    """A column of stage words (建设性质, 项目阶段 …) decides the stage where it says one."""
    stage_raw = None
    extras: list[tuple[str, pd.Series]] = []
    used_industry = bool(layout.by_field("industry"))
    for col in layout.by_field("stage_candidate"):
        raw = pd.Series(grid.text(col.index)[P], dtype=object)
        present = raw != ""
        mapped = to_stage(raw.where(present, None))
        share = mapped[present].notna().mean() if present.any() else 0.0
        if stage_raw is None and present.any() and share >= 0.5:
            stage_raw = raw.where(present, None)
            stage = pd.Series(mapped.astype(object)).where(present, stage)
            for i in np.flatnonzero((present & mapped.isna()).to_numpy()):
                row = grid.src_row[P[i]]
                grid.finding("unknown_stage",
                             f"{where(grid.sheet, row, col.header)}：阶段“{raw.iat[i]}”不在阶段词表中，"
                             "阶段留空（可在 rules/stage_words.csv 中补充）", row, "stage")
        elif not used_industry and re.search(r"类别|类型|分类", col.header):
            data["industry"] = raw.where(present, None)
            used_industry = True
        else:
            extras.append((col.header, raw.where(present, None)))
    return stage, stage_raw, extras


def _dates(grid: Grid, layout: Layout, P: np.ndarray) -> dict:
    """start_date / end_date from a range column, then from their own columns."""
    out: dict[str, pd.Series] = {}
    for fld, take in (("date_range", (0, 1)), ("start_date", (0,)), ("end_date", (1,))):
        cols = layout.by_field(fld)
        if not cols:
            continue
        col = cols[0]
        parsed = parse_dates(grid.cells[P, col.index], grid.kinds[P, col.index], detail=True)
        for t in take:
            out[("start_date", "end_date")[t]] = parsed[t].reset_index(drop=True)
        grid.date_bad.append((col, parsed[2].to_numpy(), parsed[3].to_numpy()))
    return out


def _extra_columns(grid: Grid, layout: Layout, P: np.ndarray) -> list:
    """Unmatched headers (and 序号) under their cleaned text, never dropped."""
    extras = []
    for col in layout.columns:
        if col.field not in (None, "serial"):
            continue
        k = grid.kinds[P, col.index]
        nonb = k != 0
        if nonb.any() and (k[nonb] == NUM).all():
            vals = pd.Series(np.where(nonb, grid.cells[P, col.index], np.nan)).astype(float)
            if (vals.dropna() == vals.dropna().round()).all():
                vals = vals.astype("Int64")  # 序号 1, 2, 3 rather than 1.0, 2.0
        else:
            t = grid.text(col.index)[P]
            t[t == ""] = None
            vals = pd.Series(t, dtype=object).astype("str")
        extras.append((col.header or f"第{col.index + 1}列", vals))
    return extras


def _with_extras(projects: pd.DataFrame, extras: list) -> pd.DataFrame:
    """Add the extra columns in one concat, a header seen twice as header_2, header_3 …"""
    if not extras:
        return projects
    taken = set(projects.columns)
    names, values = [], []
    for header, vals in extras:
        key, k = header, 2
        while key in taken:
            key = f"{header}_{k}"
            k += 1
        taken.add(key)
        names.append(key)
        values.append(vals.astype("str") if vals.dtype == object else vals)
    extra = pd.concat([v.reset_index(drop=True) for v in values], axis=1, keys=names)
    extra.index = projects.index
    return pd.concat([projects, extra], axis=1)


def _stage_fallbacks(stage: pd.Series, names: pd.Series, layout: Layout, grid: Grid,
                     P: np.ndarray) -> pd.Series:
    """Stage for projects that got none from sections, the sheet name or a stage column.

    Two places real ledgers put it: a 备注 column holding nothing but stage words
    (续建 / 新开工 / 前期), and a stage word in brackets ending the project name
    (``XX综合体（续建）``). Only exact stage words count (``主体完工`` is a progress note).
    """
    missing = ~stage.isin(STAGES).to_numpy(dtype=bool)
    if not missing.any():
        return stage
    stage = stage.copy()
    for col in layout.columns:
        if col.header not in reader_words("remark_header") or col.field not in ("progress_note", None):
            continue
        raw = pd.Series(grid.text(col.index)[P], dtype=object)
        present = (raw != "").to_numpy()
        if present.sum() < 2:
            continue
        codes, uniques = pd.factorize(raw[present])
        mapped = stage_exact(pd.Series(uniques, dtype=object))
        if mapped.notna().all():
            values = np.full(len(raw), None, dtype=object)
            values[present] = mapped.to_numpy(dtype=object)[codes]
            fill = missing & present
            stage[fill] = values[fill]
            missing &= ~fill
            break
    if missing.any():
        ends = names[missing].str.extract(_NAME_STAGE_RE, expand=False)
        has = ends.notna().to_numpy(dtype=bool)
        if has.any():
            found = stage_exact(ends[has])
            pos = np.flatnonzero(missing)[has]
            ok = found.notna().to_numpy(dtype=bool)
            stage.iloc[pos[ok]] = found.to_numpy(dtype=object)[ok]
    return stage


def _project_frame(data: dict, n: int) -> pd.DataFrame:
    out = {}
    missing = None  # an all-missing text column, built once
    for col in PROJECT_COLUMNS:
        v = data.get(col)
        if col == "stage":
            out[col] = v if v is not None else pd.Series(pd.Categorical([None] * n,
                                                                        dtype=STAGE_DTYPE))
        elif col in MONEY_COLUMNS:
            out[col] = (pd.Series(v, dtype="float64") if v is not None
                        else pd.Series(np.full(n, np.nan)))
        elif col in DATE_COLUMNS:
            out[col] = (pd.Series(v).astype("datetime64[s]") if v is not None
                        else pd.Series(np.full(n, np.datetime64("NaT"), "datetime64[s]")))
        elif col == "source_row":
            out[col] = pd.Series(v, dtype="Int64")
        elif v is not None:
            out[col] = pd.Series(v, dtype=object).astype("str")
        else:
            if missing is None:
                missing = pd.Series(np.full(n, np.nan, dtype=object), dtype="str")
            out[col] = missing.copy()
    # no second copy of the columns: they are fresh, and copy-on-write protects any shared one
    return pd.DataFrame(out, copy=False)


def funding_frame(projects, fund_cols: list[Column], amounts: dict, P) -> pd.DataFrame:
    """``ledger.funding``: one row per project and funding sub-column with an amount."""
    frames = []
    for col in fund_cols:
        a = amounts[col.index][P]
        ok = ~np.isnan(a)
        if ok.any():
            frames.append(pd.DataFrame({
                "project_name": projects["project_name"].to_numpy()[ok],
                "source_sheet": projects["source_sheet"].to_numpy()[ok],
                "source_row": projects["source_row"].to_numpy()[ok],
                "detail": col.detail,
                "amount": a[ok],
                "_order": P[ok] * 1000 + col.index,
            }))
    if not frames:
        return pd.DataFrame({"project_name": pd.Series(dtype="str"),
                             "source_sheet": pd.Series(dtype="str"),
                             "source_row": pd.Series(dtype="Int64"),
                             "channel": pd.Series(dtype="str"),
                             "detail": pd.Series(dtype="str"),
                             "amount": pd.Series(dtype="float64")})
    f = pd.concat(frames, ignore_index=True).sort_values("_order", kind="stable")
    f = f.drop(columns="_order").reset_index(drop=True)
    f["channel"] = _channels(f["detail"])
    f = f.astype({"project_name": "str", "source_sheet": "str", "source_row": "Int64",
                  "detail": "str", "amount": "float64"})
    return f[["project_name", "source_sheet", "source_row", "channel", "detail", "amount"]]


def add_funding(projects: pd.DataFrame, funding: pd.DataFrame, fund_cols) -> pd.DataFrame:
    """funding_channel / funding_detail: the sub-column with the largest amount."""
    if not fund_cols:
        return projects
    projects["funding_channel"] = pd.Series(pd.NA, index=projects.index, dtype="str")
    projects["funding_detail"] = pd.Series(pd.NA, index=projects.index, dtype="str")
    if len(funding):
        top = funding.sort_values("amount", ascending=False, kind="stable").drop_duplicates(
            "source_row")
        by_row = top.set_index("source_row")
        rows_i = projects["source_row"].astype("int64")
        projects["funding_channel"] = rows_i.map(by_row["channel"]).astype("str")
        projects["funding_detail"] = rows_i.map(by_row["detail"]).astype("str")
    return projects


def _channels(details: pd.Series) -> pd.Series:
    try:
        from qzanalysis.channels import to_channel
    except ImportError:  # the classifier's module is optional for reading
        return pd.Series(pd.NA, index=details.index, dtype="str")
    return to_channel(details).astype("str")


def cell_findings(grid: Grid, layout: Layout, amts: Amounts, value_rows: np.ndarray,
                  nonblank: np.ndarray, P: np.ndarray, projects: pd.DataFrame) -> None:
    """Values that are not numbers or dates, formulas without values, negative amounts,
    and figures that cannot both be right (完成 > 总投资, 到位 > 合同引资)."""
    header_of = {c.index: c.header for c in layout.columns}
    field_of = {c.index: (c.field if c.field != "funding" else c.header) for c in layout.columns}
    sheet, src_row, g = grid.sheet, grid.src_row, grid.cells
    for c, bad in amts.unparsed.items():
        for i in np.flatnonzero(bad & value_rows):
            text = cell_text(g[[i], c], grid.kinds[[i], c])[0]
            at = where(sheet, src_row[i], header_of[c])
            why = amts.reasons[c][i]
            if why in ("implausible", "non_finite"):
                what = ("不是有限的数字" if why == "non_finite" else
                        "折合超过 100万亿元（1e10 万元），不可能是项目金额")
                grid.finding("implausible_amount", f"{at}：“{text}”{what}，按缺失处理；请核对数字和单位",
                             src_row[i], field_of[c])
            else:
                grid.finding("unparsed_value", f"{at}：“{text}”不是数字，按缺失处理",
                             src_row[i], field_of[c])
    for i, c in zip(*np.nonzero(grid.formula), strict=True):
        if nonblank[i]:
            grid.finding("formula_without_value",
                         f"{where(sheet, src_row[i], header_of.get(c, f'第{c + 1}列'))}：公式没有保存计算结果"
                         "（文件可能由程序生成、未在 Excel 中打开保存），按缺失处理；请在 Excel 中打开并保存后重新读取",
                         src_row[i], field_of.get(c))
    for i, c in zip(*np.nonzero(grid.errors), strict=True):
        if nonblank[i]:
            grid.finding("excel_error_value",
                         f"{where(sheet, src_row[i], header_of.get(c, f'第{c + 1}列'))}："
                         f"单元格是 Excel 错误值“{g[i, c]}”（公式出错），按缺失处理",
                         src_row[i], field_of.get(c))
    for col, bad, why in grid.date_bad:
        for i in np.flatnonzero(bad):
            r, raw = src_row[P[i]], g[P[i], col.index]
            fld = "start_date" if col.field != "end_date" else "end_date"
            if why[i] == "ambiguous_date":
                y = int(raw)
                grid.finding("ambiguous_date",
                             f"{where(sheet, r, col.header)}：数字“{raw}”可能是{y}年1月，也可能是{y}年10月"
                             f"（Excel 把 {y}.10 存成 {y}.1），按缺失处理；请改为文本“{y}.01”或“{y}.10”或日期",
                             r, fld)
            else:
                grid.finding("unparsed_value",
                             f"{where(sheet, r, col.header)}：“{raw}”不是可识别的日期，按缺失处理", r, fld)
    for col in amts.columns:
        a = amts.values[col.index][P]
        for i in np.flatnonzero(a < 0):
            grid.finding("negative_amount",
                         f"{where(sheet, src_row[P[i]], col.header)}：金额为负数（{fmt(a[i])} 万元），请核对",
                         src_row[P[i]], field_of[col.index])
    for a, b, rule, what in (
            ("completed_investment", "total_investment", "completed_gt_total", "完成投资大于总投资"),
            ("cumulative_investment", "total_investment", "completed_gt_total", "累计完成投资大于总投资"),
            ("funds_in_place", "contracted_investment", "funds_gt_contracted", "到位资金大于合同引资")):
        _pair_check(grid, projects, a, b, rule, what, layout)


def _pair_check(grid, projects, a, b, rule, what, layout):
    if projects[a].isna().all() or projects[b].isna().all():
        return
    over = (projects[a] > projects[b] + 1e-9).to_numpy()
    ha = next((c.header for c in layout.columns if c.field == a), a)
    hb = next((c.header for c in layout.columns if c.field == b), b)
    for i in np.flatnonzero(over):
        r = projects["source_row"].iat[i]
        grid.finding(rule, f"{where(grid.sheet, r, ha)}：{what}（{ha} {fmt(projects[a].iat[i])}，"
                           f"{hb} {fmt(projects[b].iat[i])} 万元），请核对", r, a)
