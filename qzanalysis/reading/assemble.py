"""From a located table to projects, totals, funding, row kinds and findings.

Every non-blank row below the header gets exactly one kind: ``project``, ``total``
(合计/总计/小计/共计/其中…), ``section`` (一、续建项目（31个）), ``header`` (a repeated
header), ``note`` (注：…, 填报人…) or ``rejected`` (with a reason). Row tests are
column operations over the whole sheet; only section and total rows (a handful per
sheet) are walked one by one to track nesting and coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qzanalysis.reading.files import RawSheet
from qzanalysis.reading.layout import NOTE_RE, UNIT_ROW_RE, Column, Layout
from qzanalysis.reading.values import (
    NUM,
    TEXT,
    cell_kinds,
    parse_dates,
    parse_money,
    printed_decimals,
    unit_factor,
)
from qzanalysis.reading.words import (
    BREAKDOWN_WORD,
    COUNT_SUFFIX,
    GRAND_TOTAL_WORDS,
    SUMMARY_WORDS,
    TOTAL_WORDS,
    alternation,
)
from qzanalysis.stages import clean_section, to_stage
from qzanalysis.stages import stage_exact as _stage_exact
from qzanalysis.text import _has_space, normalize_strings, normalize_text
from qzanalysis.vocab import (
    DATE_COLUMNS,
    MONEY_COLUMNS,
    PROJECT_COLUMNS,
    STAGE_DTYPE,
    STAGES,
    column_label,
)

__all__ = ["SheetResult", "assemble_sheet", "MONEY_LABELS"]

#: How each canonical column is named in messages an analyst reads.
MONEY_LABELS = {c: column_label(c) for c in (*PROJECT_COLUMNS, "funding_channel")}

_CN_NUM = "一二三四五六七八九十百零〇"
_TOTAL_RE = re.compile(
    "^" + alternation(BREAKDOWN_WORD, TOTAL_WORDS, GRAND_TOTAL_WORDS, SUMMARY_WORDS)
    + rf"|^[^0-9{_CN_NUM}]?.{{0,12}}{alternation(TOTAL_WORDS)}{COUNT_SUFFIX}$"
)
_SECTION_NUM_RE = re.compile(
    rf"^(?:[{_CN_NUM}]+\s*[、.．]|[(（]\s*[{_CN_NUM}]+\s*[)）]|第[{_CN_NUM}]+(?:部分|类|批|章|节)?)"
)
_SERIAL_CN_RE = re.compile(rf"^[(（]?\s*[{_CN_NUM}]+\s*[)）]?\s*[、.．]?$")
_COUNT_RE = re.compile(r"[(（]\s*(?:共|计)?\s*(\d+)\s*(?:个|项|宗)(?:项目)?\s*[)）]\s*$")
_COUNT_NC = re.compile(r"[(（]\s*(?:共|计)?\s*\d+\s*(?:个|项|宗)(?:项目)?\s*[)）]\s*$")
_UNIT_ROW_NC = re.compile(r"单位\s*[:：]?\s*(?:亿元|万元|千元|元)")
_STYLE_RES = (
    ("cn", re.compile(rf"^[{_CN_NUM}]+\s*[、.．]")),
    ("(cn)", re.compile(rf"^[(（]\s*[{_CN_NUM}]+\s*[)）]")),
    ("第", re.compile(rf"^第[{_CN_NUM}]+")),
    ("num", re.compile(r"^\d+\s*[、.．]")),
    ("(num)", re.compile(r"^[(（]\s*\d+\s*[)）]")),
)
_IN_BUILD = ("续建", "新开工")  # 其中：在建 covers everything under construction
_TOTAL_WORD_RE = re.compile(alternation(TOTAL_WORDS))


@dataclass
class SheetResult:
    projects: pd.DataFrame
    totals: pd.DataFrame
    rows: pd.DataFrame
    funding: pd.DataFrame
    findings: list
    #: grid rows (0-based) below the header that repeat the name header: a page-2
    #: header, or the header of a second table stacked under the first
    header_rows: tuple = ()


def _where(sheet: str, row, header: str | None = None) -> str:
    s = f"工作表“{sheet}”第{row}行"
    return s + (f"“{header}”" if header else "")


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "空"
    s = f"{x:,.4f}".rstrip("0").rstrip(".")
    return s


_strip = np.frompyfunc(str.strip, 1, 1)
_to_str = np.frompyfunc(str, 1, 1)
_isascii = np.frompyfunc(str.isascii, 1, 1)


_SPACE_RE = re.compile(r"\s+")


def _text(values: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Cells as stripped text ('' for blanks; integers without .0), an object array."""
    a = np.asarray(values, dtype=object)
    out = np.full(len(a), "", dtype=object)
    t = kinds == TEXT
    if t.any():
        out[t] = _strip(a[t])
    n = kinds == NUM
    if n.any():
        v = a[n].astype("float64")
        whole = v == np.round(v)
        out[np.flatnonzero(n)[whole]] = _to_str(v[whole].astype("int64"))
        out[np.flatnonzero(n)[~whole]] = _to_str(v[~whole])
    other = ~(t | n) & (kinds != 0)
    if other.any():
        out[other] = _to_str(a[other])
    return out


def _grid(data_rows: list, width: int) -> np.ndarray:
    """The data rows as one 2-D object array of ``width`` columns.

    Cells past the end of a row are None up to the longest data row and "" beyond it
    (up to the widest row of the sheet), as a DataFrame of the rows reindexed to
    ``width`` columns would hold them.
    """
    n = len(data_rows)
    longest = max(map(len, data_rows)) if n else 0
    g = np.empty((n, width), dtype=object)
    if n and longest == width and min(map(len, data_rows)) == width:
        g[:] = data_rows
        return g
    g[:, :longest] = None
    g[:, longest:] = ""
    for i, row in enumerate(data_rows):
        g[i, :len(row)] = row
    return g


def assemble_sheet(sheet: RawSheet, layout: Layout, file: str, sheet_stage) -> SheetResult:
    """Turn one sheet with a located header into its part of the Ledger."""
    rows = sheet.rows
    start = layout.header_bottom + 1
    width = max(map(len, rows)) if rows else 0
    numbers = (np.asarray(sheet.row_numbers, dtype=np.int64) if sheet.row_numbers is not None
               else np.arange(1, len(rows) + 1, dtype=np.int64))
    # a 合计 above the header is read first, as if it stood right under the header
    pre = [r for r, k in sorted(layout.above.items()) if k == "total"]
    off = len(pre)
    data_rows = [rows[r] for r in pre] + rows[start:] if pre else rows[start:]
    g = _grid(data_rows, width)  # (n, width) object array of the cells
    n = len(g)
    src_row = numbers[start:start + n - off]
    if pre:
        src_row = np.concatenate([numbers[pre], src_row])
    name = sheet.name
    findings: list[dict] = []

    def finding(severity, rule, message, row=None, column=None):
        findings.append({"severity": severity, "rule": rule, "message": message,
                         "source_file": file, "source_sheet": name, "source_row": row,
                         "column": column})

    cols = {c.index: c for c in layout.columns}
    name_col = layout.name_col
    # vertically merged text cells in the data area apply to every row they span
    fill_fields = {"owner", "location", "industry", "funding_source", "stage_candidate",
                   "content"}
    for (r0, c0), (r1, _c1) in sheet.merges:
        if r1 > r0 and r0 >= start and c0 in cols and cols[c0].field in fill_fields:
            g[r0 - start + off + 1: r1 - start + off + 1, c0] = g[r0 - start + off, c0]

    K = cell_kinds(g) if width else np.zeros((n, 0), np.int8)
    kinds = {c: K[:, c] for c in range(width)}
    texts: dict[int, np.ndarray] = {}

    def text_of(c: int) -> np.ndarray:
        """Column c as stripped text (see _text), computed once per column."""
        if c not in texts:
            texts[c] = _text(g[:, c], kinds[c])
        return texts[c]
    blank = K == 0
    formula = np.zeros((n, width), dtype=bool)
    for r, c in sheet.formula_missing:
        if start <= r < start + n - off and c < width:
            formula[r - start + off, c] = True
        elif r in pre and c < width:
            formula[pre.index(r), c] = True
    nonblank = (~blank | formula).any(axis=1)

    # --- label: text in the leading columns (序号, 项目名称) ------------------------------
    lead = [c for c in range(0, name_col + 1)]
    serial_cols = [c.index for c in layout.columns if c.field == "serial"]
    serial_col = serial_cols[0] if serial_cols else None
    name_raw = text_of(name_col)
    name_is_number = (kinds[name_col] == NUM) | _numeric_text(name_raw, kinds[name_col])
    name_norm = normalize_strings(name_raw)  # object array, None where missing
    name_key = name_norm.copy()
    name_key[pd.isna(name_key)] = ""
    # label_raw / label_key: object arrays of str, the leading columns joined
    label_raw = np.full(n, "", dtype=object)
    label_key = np.full(n, "", dtype=object)
    for c in lead:
        if c == name_col:
            raw, key = name_raw, name_key
        else:
            raw = text_of(c).copy()
            numeric = (kinds[c] == NUM) | _numeric_text(raw, kinds[c])
            raw[numeric] = ""
            key = np.full(n, "", dtype=object)
            has = raw != ""
            if has.any():
                normalized = normalize_strings(raw[has])
                normalized[pd.isna(normalized)] = ""
                key[has] = normalized
        label_raw = label_raw + raw
        label_key = label_key + key
    has_label = label_key != ""
    if has_label.any():
        keyed = label_key[has_label]
        if _has_space("".join(keyed.tolist())):  # one scan instead of one per row
            label_key[has_label] = [_SPACE_RE.sub("", k) for k in keyed]

    if serial_col is not None:
        serial_raw = text_of(serial_col)
        serial_num = (kinds[serial_col] == NUM) | _numeric_text(serial_raw, kinds[serial_col])
        serial_blank = blank[:, serial_col]
        serial_cn = _match(serial_raw, _SERIAL_CN_RE, ~serial_blank & ~serial_num)
    else:
        serial_raw = np.full(n, "", dtype=object)
        serial_num = np.zeros(n, bool)
        serial_blank = np.ones(n, bool)
        serial_cn = np.zeros(n, bool)

    # --- values --------------------------------------------------------------------------
    money_cols = [c for c in layout.columns if c.field in MONEY_COLUMNS]
    fund_cols = [c for c in layout.columns if c.field == "funding"]
    amounts: dict[int, np.ndarray] = {}
    unparsed: dict[int, np.ndarray] = {}
    factors: dict[int, float] = {}
    for col in money_cols + fund_cols:
        f = unit_factor(layout.unit if layout.forced_unit else (col.unit or layout.unit))
        factors[col.index] = f
        a, bad = parse_money(pd.Series(g[:, col.index], copy=False), f, kinds=kinds[col.index])
        a = a.to_numpy(copy=True)
        a[formula[:, col.index]] = np.nan
        amounts[col.index] = a
        unparsed[col.index] = bad.to_numpy()
    money_present = np.zeros(n, bool)
    for a in amounts.values():
        money_present |= ~np.isnan(a)
    lead_mask = np.zeros(width, bool)
    lead_mask[lead] = True
    values_beyond = (~blank[:, ~lead_mask]).any(axis=1) if (~lead_mask).any() else \
        np.zeros(n, bool)

    # --- row kinds -----------------------------------------------------------------------
    name_header = normalize_text(pd.Series([layout.columns_by_index(name_col).header]))[0]
    # rows with a number in 序号 are projects or rejected; only the others need the tests
    need = nonblank & has_label & ~serial_num
    is_header = _equals(label_key, name_header, need) | _equals(name_key, name_header, need)
    is_total = _match(label_key, _TOTAL_RE, need) & ~is_header
    note_label = _match(label_key, NOTE_RE, need) | _search(label_key, _UNIT_ROW_NC, need)
    is_note = note_label & ~money_present & ~is_header & ~is_total
    # rows with text outside the leading columns only (制表人：… in column F)
    orphan = np.flatnonzero(nonblank & ~has_label & ~money_present & ~is_header)
    for i in orphan:
        cells = [str(v).strip() for v in g[i].tolist() if isinstance(v, str) and v.strip()]
        if cells and any(NOTE_RE.search(normalize_text(pd.Series([t]))[0] or "")
                         or UNIT_ROW_RE.search(t) for t in cells):
            is_note[i] = True
    cand = nonblank & has_label & ~serial_num & ~is_header & ~is_total & ~is_note
    numbered = _match(label_key, _SECTION_NUM_RE, cand)
    counted = _search(label_key, _COUNT_NC, cand)
    stage_exact = np.zeros(n, bool)
    idx = np.flatnonzero(cand)
    if len(idx):
        stage_exact[idx] = _stage_exact(pd.Series(label_key[idx], dtype=object)).notna().to_numpy()
    named_rows = nonblank & ~blank[:, name_col]
    serial_share = serial_num[named_rows].mean() if named_rows.any() else 0.0
    plain = (serial_col is not None) & serial_blank & ~values_beyond & (serial_share >= 0.5)
    is_section = cand & (serial_cn | numbered | counted | stage_exact | plain)
    is_project = (nonblank & ~blank[:, name_col] & ~name_is_number & ~is_header & ~is_total
                  & ~is_note & ~is_section)
    # sub-projects numbered 2.1, 2.2 right under a project numbered 2: the parent row
    # declares their sum, so it is a total over them (counting it too would count twice)
    groups = _subproject_groups(serial_raw, serial_num & is_project, nonblank) if (
        serial_col is not None) else {}
    for parent in groups:
        is_project[parent] = False
        is_total[parent] = True
    # continuation of a 其中 breakdown: 在建 / 预备 right under 其中：… with amounts
    qi = [i for i in np.flatnonzero(is_total) if label_key[i].startswith("其中")]
    for i in qi:
        j = i + 1
        while j < n and not nonblank[j]:
            j += 1
        while (j < n and (is_section[j] or is_project[j]) and money_present[j]
               and not serial_num[j] and not numbered[j]
               and to_stage(pd.Series([_strip_qi(label_key[j]) or ""])).notna()[0]):
            is_section[j] = is_project[j] = False
            is_total[j] = True
            j += 1
    kind = np.full(n, "", dtype=object)
    kind[is_header] = "header"
    kind[is_total] = "total"
    kind[is_note] = "note"
    kind[is_section] = "section"
    kind[is_project] = "project"
    rejected = nonblank & (kind == "")
    kind[rejected] = "rejected"
    reason = np.full(n, None, dtype=object)
    reason[rejected & name_is_number & ~blank[:, name_col]] = "项目名称是数字，无法作为项目"
    reason[rejected & blank[:, name_col]] = "没有项目名称，无法归为项目、合计或分组"
    reason[rejected & formula[:, name_col]] = ("项目名称是没有保存计算结果的公式，读不到名称，"
                                               "无法归为项目、合计或分组")
    reason[rejected & (reason == None)] = "无法识别的行"  # noqa: E711
    for i in np.flatnonzero(rejected):
        finding("warning", "rejected_row",
                f"{_where(name, src_row[i])}：{reason[i]}，已列入被拒绝的行，请核对",
                src_row[i], None)

    # --- sections: nesting, stages ---------------------------------------------------------
    sec_idx = np.flatnonzero(is_section)
    styles: dict[str, int] = {}
    stack: list[tuple[int, int, str | None, str | None]] = []  # (level, pos, section, stage)
    sec_state: dict[int, tuple] = {}
    sec_labels = pd.Series(label_key[sec_idx], index=sec_idx, dtype=object)
    sec_clean = clean_section(sec_labels) if len(sec_idx) else sec_labels
    sec_stage = to_stage(sec_labels) if len(sec_idx) else sec_labels
    for k, pos in enumerate(sec_idx):
        lab = label_key[pos]
        style = "plain"
        probe = serial_raw[pos].strip() if serial_cn[pos] else lab
        for sname, rx in _STYLE_RES:
            if rx.match(probe):
                style = sname
                break
        level = styles.setdefault(style, len(styles))
        while stack and stack[-1][0] >= level:
            stack.pop()
        st = sec_stage.iat[k]
        st = None if pd.isna(st) else str(st)
        cl = sec_clean.iat[k]
        stack.append((level, pos, None if st else (None if pd.isna(cl) else cl), st))
        cur_stage = next((s[3] for s in reversed(stack) if s[3]), None)
        cur_sec = next((s[2] for s in reversed(stack) if s[2]), None)
        sec_state[pos] = (cur_stage, cur_sec, tuple(s[1] for s in stack), level)
    cur = pd.Series(np.where(is_section, np.arange(n), np.nan)).ffill().to_numpy()
    cur_pos = np.where(np.isnan(cur), -1, cur).astype(np.int64)
    stage_by_sec = {p: s[0] for p, s in sec_state.items()}
    section_by_sec = {p: s[1] for p, s in sec_state.items()}

    # --- projects ----------------------------------------------------------------------------
    P = np.flatnonzero(is_project)
    data: dict[str, object] = {}
    data["project_name"] = pd.Series(name_norm[P], dtype=object)
    cur_p = pd.Series(cur_pos[P])
    sec_stage_p = cur_p.map(stage_by_sec).astype(object)
    section_p = cur_p.map(section_by_sec).astype(object)
    stage = sec_stage_p.where(sec_stage_p.notna(), sheet_stage)
    stage_raw = None
    extras: list[tuple[str, pd.Series]] = []
    used_industry = bool(layout.by_field("industry"))
    for col in layout.by_field("stage_candidate"):
        raw = pd.Series(text_of(col.index)[P], dtype=object)
        present = raw != ""
        mapped = to_stage(raw.where(present, None))
        share = mapped[present].notna().mean() if present.any() else 0.0
        if stage_raw is None and present.any() and share >= 0.5:
            stage_raw = raw.where(present, None)
            stage = pd.Series(mapped.astype(object)).where(present, stage)
            for i in np.flatnonzero((present & mapped.isna()).to_numpy()):
                finding("warning", "unknown_stage",
                        f"{_where(name, src_row[P[i]], col.header)}：阶段“{raw.iat[i]}”不在阶段词表中，"
                        "阶段留空（可在 rules/stage_words.csv 中补充）",
                        src_row[P[i]], "stage")
        elif not used_industry and re.search(r"类别|类型|分类", col.header):
            data["industry"] = raw.where(present, None)
            used_industry = True
        else:
            extras.append((col.header, raw.where(present, None)))
    stage = _stage_fallbacks(stage, data["project_name"], layout, text_of, P)
    data["stage"] = pd.Series(pd.Categorical(stage.where(stage.isin(STAGES), None),
                                             dtype=STAGE_DTYPE))
    data["section"] = section_p
    for fld in ("owner", "location", "content", "industry", "funding_source", "progress_note"):
        cs = layout.by_field(fld)
        if cs and fld not in data:
            raw = text_of(cs[0].index)[P]
            raw[raw == ""] = None
            data[fld] = raw
    for col in money_cols:
        data[col.field] = pd.Series(amounts[col.index][P])
    # dates
    starts = layout.by_field("start_date")
    ends = layout.by_field("end_date")
    ranges = layout.by_field("date_range")
    date_bad: list[tuple[Column, np.ndarray]] = []
    if ranges:
        s, e, bad = parse_dates(g[P, ranges[0].index], kinds[ranges[0].index][P])
        data["start_date"], data["end_date"] = s.reset_index(drop=True), e.reset_index(drop=True)
        date_bad.append((ranges[0], bad.to_numpy()))
    if starts:
        s, _e, bad = parse_dates(g[P, starts[0].index], kinds[starts[0].index][P])
        data["start_date"] = s.reset_index(drop=True)
        date_bad.append((starts[0], bad.to_numpy()))
    if ends:
        _s, e, bad = parse_dates(g[P, ends[0].index], kinds[ends[0].index][P])
        data["end_date"] = e.reset_index(drop=True)
        date_bad.append((ends[0], bad.to_numpy()))
    data["source_file"] = pd.Series([file] * len(P), dtype=object)
    data["source_sheet"] = pd.Series([name] * len(P), dtype=object)
    data["source_row"] = pd.Series(src_row[P], dtype="Int64")
    projects = _project_frame(data, len(P))
    # extra columns: unmatched headers under their cleaned text, never dropped
    for col in layout.columns:
        if col.field in (None, "serial"):
            k = kinds[col.index][P]
            nonb = k != 0
            if nonb.any() and (k[nonb] == NUM).all():
                vals = pd.Series(np.where(nonb, g[P, col.index], np.nan)).astype(float)
                if (vals.dropna() == vals.dropna().round()).all():
                    vals = vals.astype("Int64")  # 序号 1, 2, 3 rather than 1.0, 2.0
            else:
                t = text_of(col.index)[P]
                t[t == ""] = None
                vals = pd.Series(t, dtype=object).astype("str")
            extras.append((col.header or f"第{col.index + 1}列", vals))
    if stage_raw is not None:
        extras.insert(0, ("stage_raw", stage_raw.astype("str")))
    for header, vals in extras:
        key = header
        k = 2
        while key in projects.columns:
            key = f"{header}_{k}"
            k += 1
        projects[key] = vals.astype("str") if vals.dtype == object else vals

    # --- funding sub-columns -------------------------------------------------------------
    funding = _funding(projects, fund_cols, amounts, P)
    if fund_cols:
        projects["funding_channel"] = pd.Series(pd.NA, index=projects.index, dtype="str")
        projects["funding_detail"] = pd.Series(pd.NA, index=projects.index, dtype="str")
        if len(funding):
            top = funding.sort_values("amount", ascending=False, kind="stable").drop_duplicates(
                "source_row")
            by_row = top.set_index("source_row")
            rows_i = projects["source_row"].astype("int64")
            projects["funding_channel"] = rows_i.map(by_row["channel"]).astype("str")
            projects["funding_detail"] = rows_i.map(by_row["detail"]).astype("str")

    # --- cell findings on project rows ----------------------------------------------------
    header_of = {c.index: c.header for c in layout.columns}
    field_of = {c.index: (c.field if c.field != "funding" else c.header) for c in layout.columns}
    value_rows = is_project | is_total | is_section
    for c, bad in unparsed.items():
        for i in np.flatnonzero(bad & value_rows):
            finding("warning", "unparsed_value",
                    f"{_where(name, src_row[i], header_of[c])}：“{_text(g[[i], c], kinds[c][[i]])[0]}”"
                    "不是数字，按缺失处理", src_row[i], field_of[c])
    for i, c in zip(*np.nonzero(formula), strict=True):
        if nonblank[i]:
            finding("warning", "formula_without_value",
                    f"{_where(name, src_row[i], header_of.get(c, f'第{c + 1}列'))}：公式没有保存计算结果"
                    "（文件可能由程序生成、未在 Excel 中打开保存），按缺失处理；请在 Excel 中打开并保存后重新读取",
                    src_row[i], field_of.get(c))
    for col, bad in date_bad:
        for i in np.flatnonzero(bad):
            r = src_row[P[i]]
            finding("warning", "unparsed_value",
                    f"{_where(name, r, col.header)}：“{g[P[i], col.index]}”不是可识别的日期，按缺失处理",
                    r, "start_date" if col.field != "end_date" else "end_date")
    for col in money_cols + fund_cols:
        a = amounts[col.index][P]
        for i in np.flatnonzero(a < 0):
            finding("warning", "negative_amount",
                    f"{_where(name, src_row[P[i]], col.header)}：金额为负数（{_fmt(a[i])} 万元），请核对",
                    src_row[P[i]], field_of[col.index])
    _pair_check(projects, "completed_investment", "total_investment", "completed_gt_total",
                "完成投资大于总投资", name, finding, header_of, layout)
    _pair_check(projects, "cumulative_investment", "total_investment", "completed_gt_total",
                "累计完成投资大于总投资", name, finding, header_of, layout)
    _pair_check(projects, "funds_in_place", "contracted_investment", "funds_gt_contracted",
                "到位资金大于合同引资", name, finding, header_of, layout)

    # --- totals and reconciliation ------------------------------------------------------
    totals = _totals(g, kinds, layout, name, file, src_row, kind, label_raw, label_key,
                     amounts, factors, is_section, sec_state, cur_pos, P, projects,
                     money_cols, fund_cols, finding, groups)

    # --- row accounting --------------------------------------------------------------------
    above_rows = [(r, k) for r, k in sorted(layout.above.items()) if k != "total"]
    row_frame = pd.DataFrame({
        "source_file": file,
        "source_sheet": name,
        "source_row": np.concatenate([[numbers[r] for r, _ in above_rows],
                                      src_row[nonblank]]).astype(np.int64),
        "kind": [k for _, k in above_rows] + list(kind[nonblank]),
        "reason": [None] * len(above_rows) + list(reason[nonblank]),
    })
    return SheetResult(projects, totals, row_frame, funding, findings,
                       tuple((np.flatnonzero(is_header) - off + start).tolist()))


def _numeric_text(raw: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Text cells that hold a plain number ("12" in a CSV 序号 column)."""
    out = np.zeros(len(raw), bool)
    t = kinds == TEXT
    if t.any():
        # only ASCII text can be a plain number ("12", "1,500" is not one either)
        idx = np.flatnonzero(t)
        ascii_ = _isascii(raw[idx]).astype(bool)
        idx = idx[ascii_]
        if len(idx):
            out[idx] = pd.notna(pd.to_numeric(raw[idx], errors="coerce"))
    return out


def _match(s: np.ndarray, rx: re.Pattern, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = pd.Series(s[mask], dtype=object).str.match(rx).to_numpy(dtype=bool)
    return out


def _search(s: np.ndarray, rx: re.Pattern, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = pd.Series(s[mask], dtype=object).str.contains(rx).to_numpy(dtype=bool)
    return out


def _equals(s: np.ndarray, value: str, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = s[mask] == value
    return out


_SUB_SERIAL_RE = re.compile(r"^\s*(\d+)\s*[.．]\s*\d+\s*$")
_NAME_STAGE_RE = re.compile(r"[(（]\s*([^()（）]{1,8}?)\s*[)）]\s*$")
#: Remark columns that some offices use for the stage (备注: 续建 / 新开工 / 前期).
_REMARK_HEADERS = ("备注", "说明", "备注说明")


def _subproject_groups(serial_raw: np.ndarray, numbered: np.ndarray,
                       nonblank: np.ndarray) -> dict[int, list[int]]:
    """Parent row → its sub-project rows, for 序号 like 2 / 2.1 / 2.2.

    A row numbered ``N.M`` belongs to the nearest project row above it numbered ``N``,
    with only other ``N.x`` rows (or blank rows) in between.

    >>> s = pd.Series(["1", "2", "2.1", "2.2", "3"])
    >>> _subproject_groups(s, np.ones(5, bool), np.ones(5, bool))
    {1: [2, 3]}
    """
    idx = np.flatnonzero(numbered)
    if not len(idx):
        return {}
    serial_raw = np.asarray(serial_raw, dtype=object)
    raw = serial_raw[idx]
    joined = "".join(raw.tolist())  # one scan instead of one per row (usually no dot at all)
    if "." not in joined and "．" not in joined:
        return {}
    dotted = pd.Series(raw, dtype=object).str.contains(r"[.．]", regex=True).to_numpy(dtype=bool)
    groups: dict[int, list[int]] = {}
    for i in idx[dotted]:
        m = _SUB_SERIAL_RE.match(serial_raw[i])
        if not m:
            continue
        j = i - 1
        while j >= 0 and (not nonblank[j] or (numbered[j] and (
                (mj := _SUB_SERIAL_RE.match(serial_raw[j])) and mj.group(1) == m.group(1)))):
            j -= 1
        if j >= 0 and numbered[j] and serial_raw[j].strip() == m.group(1):
            groups.setdefault(int(j), []).append(int(i))
    return groups


def _stage_fallbacks(stage: pd.Series, names: pd.Series, layout: Layout, text_of,
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
        if col.header not in _REMARK_HEADERS or col.field not in ("progress_note", None):
            continue
        raw = pd.Series(text_of(col.index)[P], dtype=object)
        present = (raw != "").to_numpy()
        if present.sum() < 2:
            continue
        codes, uniques = pd.factorize(raw[present])
        mapped = _stage_exact(pd.Series(uniques, dtype=object))
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
            found = _stage_exact(ends[has])
            pos = np.flatnonzero(missing)[has]
            ok = found.notna().to_numpy(dtype=bool)
            stage.iloc[pos[ok]] = found.to_numpy(dtype=object)[ok]
    return stage


def _strip_qi(label: str) -> str:
    return re.sub(r"^其中[:：、,，]?", "", label)


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


def _funding(projects, fund_cols, amounts, P) -> pd.DataFrame:
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


def _channels(details: pd.Series) -> pd.Series:
    try:
        from qzanalysis.channels import to_channel
    except ImportError:  # the classifier's module is optional for reading
        return pd.Series(pd.NA, index=details.index, dtype="str")
    return to_channel(details).astype("str")


def _pair_check(projects, a, b, rule, what, sheet, finding, header_of, layout):
    if projects[a].isna().all() or projects[b].isna().all():
        return
    over = (projects[a] > projects[b] + 1e-9).to_numpy()
    ha = next((c.header for c in layout.columns if c.field == a), a)
    hb = next((c.header for c in layout.columns if c.field == b), b)
    for i in np.flatnonzero(over):
        r = projects["source_row"].iat[i]
        finding("warning", rule,
                f"{_where(sheet, r, ha)}：{what}（{ha} {_fmt(projects[a].iat[i])}，"
                f"{hb} {_fmt(projects[b].iat[i])} 万元），请核对", r, a)


def _totals(g, kinds, layout, sheet, file, src_row, kind, label_raw, label_key, amounts,
            factors, is_section, sec_state, cur_pos, P, projects, money_cols, fund_cols,
            finding, groups=None) -> pd.DataFrame:
    n = len(kind)
    with_amount = _any_amount(amounts, n)
    T = np.flatnonzero((kind == "total") | (is_section & with_amount))
    # headings without amounts (一、工业项目（5个）) still declare how many projects they hold
    counted = [i for i in np.flatnonzero(is_section & ~with_amount)
               if _COUNT_RE.search(label_key[i])]
    records = []
    if not len(T) and not counted:
        return _totals_frame(records)
    proj_pos = P
    proj_stage = projects["stage"].astype(object).to_numpy()
    proj_section = projects["section"].to_numpy(dtype=object)
    proj_cur = cur_pos[P]
    descendants = {s: {p for p, st in sec_state.items() if s in st[2]} for s in sec_state}
    top_level = sorted(p for p, st in sec_state.items() if st[3] == 0)
    known_sections = {st[1] for st in sec_state.values() if st[1]}

    def in_section(s):
        return np.isin(proj_cur, list(descendants.get(s, {s})))

    def top_of(pos):
        c = cur_pos[pos]
        if c < 0:
            return None
        return sec_state[c][2][0]

    sub_rows = [c for kids in (groups or {}).values() for c in kids]

    def count_ok(declared_n, mask) -> bool:
        found = int(mask.sum())
        if declared_n == found or not sub_rows:
            return declared_n == found
        # a project split into 2.1, 2.2 may be counted once, as its parent row
        parents = sum(1 for kids in groups.values() if mask[np.isin(proj_pos, kids)].any())
        return declared_n == found - int(np.isin(proj_pos[mask], sub_rows).sum()) + parents

    for i in counted:
        declared_n = int(_COUNT_RE.search(label_key[i]).group(1))
        mask = in_section(i)
        found = int(mask.sum())
        if not count_ok(declared_n, mask):
            label = str(label_raw[i]).strip()
            finding("warning", "count_mismatch",
                    f"{_where(sheet, src_row[i])}：“{label}”声明 {declared_n} 个项目，"
                    f"实际读到 {found} 个", int(src_row[i]), "project_name")

    grand_rows = [i for i in T if kind[i] == "total"
                  and re.match(r"^(合计|共计|总合计|全部合计)", label_key[i])]
    tops_with_grand = {top_of(i) for i in grand_rows if top_of(i) is not None}
    last_base = None
    for i in T:
        key = label_key[i]
        label = str(label_raw[i]).strip()
        scope, mask = "全部", np.ones(len(P), bool)
        resolved = True
        if groups and i in groups:  # a parent project over its sub-projects (2 → 2.1, 2.2)
            scope, mask = label, np.isin(proj_pos, groups[i])
        elif kind[i] == "section":
            scope = sec_state[i][0] or sec_state[i][1] or label
            mask = in_section(i)
            last_base = mask
        elif key.startswith("其中") or (i > 0 and kind[i - 1] == "total"
                                       and label_key[i - 1].startswith(("其中",))
                                       and not _TOTAL_WORD_RE.search(key)):
            rest = _strip_qi(key)
            rest = re.sub(_COUNT_RE, "", rest)
            base = last_base if last_base is not None else np.ones(len(P), bool)
            word = re.sub(r"(?:类?项目|类)$", "", rest)
            if word == "在建":
                scope, mask = "+".join(_IN_BUILD), base & np.isin(proj_stage, _IN_BUILD)
            else:
                st = to_stage(pd.Series([rest]))[0] if rest else None
                if rest and not pd.isna(st):
                    scope, mask = str(st), base & (proj_stage == st)
                elif rest and clean_section(pd.Series([rest]))[0] in known_sections:
                    sec = clean_section(pd.Series([rest]))[0]
                    scope, mask = sec, base & (proj_section == sec)
                elif rest and (by := _value_column(projects, rest)) is not None:
                    # 其中：省列重点 over a 项目级别 column holding 省列重点
                    scope, mask = f"{by}：{rest}", base & (projects[by] == rest).to_numpy(
                        dtype=bool, na_value=False)
                else:
                    resolved = False
                    scope = rest or "其中"
        else:
            prefix = re.sub(_COUNT_RE, "", key)
            prefix = _TOTAL_WORD_RE.split(prefix)[0]
            prefix_stage = to_stage(pd.Series([prefix]))[0] if prefix else None
            prefix_sec = clean_section(pd.Series([prefix]))[0] if prefix else None
            if prefix and not pd.isna(prefix_stage) and _stage_exact(
                    pd.Series([prefix])).notna()[0]:
                scope, mask = str(prefix_stage), proj_stage == prefix_stage
                c = cur_pos[i]
                if c >= 0 and sec_state[c][1] and key.find("小计") >= 0:
                    mask = mask & (proj_section == sec_state[c][1])
            elif prefix and prefix_sec in known_sections:
                scope, mask = prefix_sec, proj_section == prefix_sec
            elif "小计" in key:
                c = cur_pos[i]
                if c >= 0:
                    # nested sections (一、秦州区 over （一）续建项目): the 小计 closes the
                    # level whose projects its figures agree with, the innermost on a tie
                    c = _subtotal_level(i, sec_state[c][2][::-1], in_section, amounts,
                                        money_cols + fund_cols, projects, P)
                    scope = sec_state[c][0] or sec_state[c][1] or "分组"
                    mask = in_section(c)
                else:
                    prev = [t for t in T if t < i and kind[t] == "total"]
                    lo = prev[-1] if prev else -1
                    scope, mask = "上方各项目", (proj_pos > lo) & (proj_pos < i)
            elif key.startswith("总计") or key.startswith("总合计"):
                scope, mask = "全部", np.ones(len(P), bool)
            else:  # 合计 / 共计: the sheet, or the top-level section it closes
                t = top_of(i)
                later_top = any(p > i for p in top_level)
                later_total = any(j > i and kind[j] == "total" and not
                                  label_key[j].startswith("其中") and "小计" not in
                                  label_key[j] and j not in (groups or {}) for j in T)
                if t is not None and len(top_level) > 1 and (
                        later_top or later_total or len(tops_with_grand) > 1):
                    scope = sec_state[t][0] or sec_state[t][1] or "分组"
                    mask = in_section(t)
            last_base = mask
        rec = {"source_file": file, "source_sheet": sheet, "source_row": int(src_row[i]),
               "label": label, "scope": scope, "n_projects": int(mask.sum()),
               "project_rows": tuple(projects["source_row"].to_numpy(dtype=np.int64)[mask]
                                     .tolist()) if resolved else None}
        m = _COUNT_RE.search(key)
        rec["declared_count"] = int(m.group(1)) if m else None
        for col in money_cols + fund_cols:
            declared = amounts[col.index][i]
            if col.field in MONEY_COLUMNS:
                rec[col.field] = declared
            if np.isnan(declared) or not resolved:
                continue
            field = col.field if col.field != "funding" else None
            values = (projects[field].to_numpy() if field else amounts[col.index][P])[mask]
            filled = ~np.isnan(values)
            n_in, n_blank = len(values), int(len(values) - filled.sum())
            # min_count=1: a scope where no project gives the figure has no sum, not 0
            computed = float(values[filled].sum()) if n_blank < n_in else np.nan
            if field:
                rec[f"computed_{field}"] = computed
            raw = g[i, col.index]
            tol = (0.5 * 10.0 ** -printed_decimals(raw) * factors[col.index]
                   + 1e-6 * abs(declared) + 1e-9)
            where = f"{_where(sheet, src_row[i], col.header)}：{label}声明 {_fmt(declared)}，"
            column = col.field if col.field != "funding" else col.header
            if np.isnan(computed):
                if abs(declared) > tol:  # a declared 0 over blank projects agrees
                    what = (f"但所含 {n_in} 个项目均未填写“{col.header}”" if n_in else
                            "但没有读到它所含的项目")
                    finding("error", "total_mismatch", f"{where}{what}，请核对",
                            int(src_row[i]), column)
                continue
            tol += 1e-6 * abs(computed)
            if abs(declared - computed) > tol:
                blanks = f"（其中 {n_blank} 个项目未填）" if n_blank else ""
                finding("error", "total_mismatch",
                        f"{where}所含 {n_in} 个项目合计 {_fmt(computed)}{blanks}，"
                        f"相差 {_fmt(abs(declared - computed))} 万元", int(src_row[i]), column)
        if not resolved:
            finding("info", "unreconciled_total",
                    f"{_where(sheet, src_row[i])}：无法确定“{label}”包含哪些项目，未核对", int(src_row[i]),
                    None)
        elif rec["declared_count"] is not None and not count_ok(rec["declared_count"], mask):
            finding("warning", "count_mismatch",
                    f"{_where(sheet, src_row[i])}：“{label}”声明 {rec['declared_count']} 个项目，"
                    f"实际读到 {rec['n_projects']} 个", int(src_row[i]), "project_name")
        records.append(rec)
    return _totals_frame(records)


def _subtotal_level(i, levels, in_section, amounts, cols, projects, P) -> int:
    """The section (of ``levels``, innermost first) whose projects the 小计 on row ``i``
    agrees with in the most amount columns; the innermost when none agrees better."""
    if len(levels) < 2:
        return levels[0]
    best, best_hits = levels[0], -1
    for s in levels:
        mask = in_section(s)
        hits = 0
        for col in cols:
            declared = amounts[col.index][i]
            if np.isnan(declared):
                continue
            values = (projects[col.field].to_numpy() if col.field != "funding"
                      else amounts[col.index][P])[mask]
            computed = values[~np.isnan(values)].sum()
            hits += abs(declared - computed) <= 0.01 + 1e-6 * abs(declared)
        if hits > best_hits:
            best, best_hits = s, hits
    return best


def _value_column(projects: pd.DataFrame, word: str) -> str | None:
    """The extra (unmatched) text column in which some project holds exactly ``word``.

    >>> _value_column(pd.DataFrame({"project_name": ["甲"], "项目级别": ["省列重点"]}), "省列重点")
    '项目级别'
    """
    for c in projects.columns:
        if c in PROJECT_COLUMNS or c == "stage_raw" or projects[c].dtype.kind in "fiumM":
            continue
        if (projects[c] == word).any():
            return c
    return None


def _any_amount(amounts, n):
    out = np.zeros(n, bool)
    for a in amounts.values():
        out |= ~np.isnan(a)
    return out


TOTALS_COLUMNS = ["source_file", "source_sheet", "source_row", "label", "scope",
                  *MONEY_COLUMNS, "n_projects", "declared_count",
                  *(f"computed_{c}" for c in MONEY_COLUMNS), "project_rows"]


def _totals_frame(records) -> pd.DataFrame:
    f = pd.DataFrame(records).reindex(columns=TOTALS_COLUMNS)
    types = {"source_file": "str", "source_sheet": "str", "source_row": "Int64", "label": "str",
             "scope": "str", "n_projects": "Int64", "declared_count": "Int64"}
    for c in MONEY_COLUMNS:
        types[c] = "float64"
        types[f"computed_{c}"] = "float64"
    f = f.astype(types)
    f["project_rows"] = f["project_rows"].astype(object)
    return f
