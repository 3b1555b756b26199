"""Phase 2: what each row under the header is -- project, total, section, header, note, rejected.

Every test here is a column operation over the whole grid; only the few rows that
continue a 其中 breakdown are walked one by one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from qzanalysis.reading.grid import Amounts, Grid, where
from qzanalysis.reading.layout import UNIT_ROW_RE, Layout
from qzanalysis.reading.values import NUM, TEXT
from qzanalysis.reading.words import note_re, total_label_re
from qzanalysis.stages import stage_exact, to_stage
from qzanalysis.text import _has_space, normalize_strings, normalize_text
from qzanalysis.vocab import count_suffix

__all__ = ["Labels", "RowKinds", "read_labels", "row_kinds", "CN_NUM", "COUNT_RE", "strip_qi"]

CN_NUM = "一二三四五六七八九十百零〇"
#: Numbering that makes a label a section heading: 一、 （一） 第一部分
SECTION_NUM_RE = re.compile(
    rf"^(?:[{CN_NUM}]+\s*[、.．]|[(（]\s*[{CN_NUM}]+\s*[)）]|第[{CN_NUM}]+(?:部分|类|批|章|节)?)"
)
#: Numbering that makes a label a heading only when nothing stands right of it
#: ((1) 产业项目, (1.1) 工业, (1.1.1.1) 续建项目, ① 交通): the same numbers also open
#: sub-project rows that carry figures.
DIGIT_SECTION_RE = re.compile(r"^(?:[(（]\s*\d+(?:\s*[.．]\s*\d+)*\s*[)）]|[①-⑳])")
SERIAL_CN_RE = re.compile(rf"^[(（]?\s*[{CN_NUM}]+\s*[)）]?\s*[、.．]?$")
#: A declared count at the end of a label: （31个）, (共5项), （5宗）.
COUNT_RE = re.compile(count_suffix(bracketed=True, capture=True) + "$")
_COUNT_NC = re.compile(count_suffix(bracketed=True) + "$")
_UNIT_ROW_NC = re.compile(r"单位\s*[:：]?\s*(?:亿元|万元|千元|元)")
_SPACE_RE = re.compile(r"\s+")
_SUB_SERIAL_RE = re.compile(r"^\s*(\d+)\s*[.．]\s*\d+\s*$")
_isascii = np.frompyfunc(str.isascii, 1, 1)


class Labels(NamedTuple):
    """The leading columns (序号, 项目名称) of every row, raw and normalised."""

    raw: np.ndarray  # leading columns joined, as written
    key: np.ndarray  # the same normalised, no spaces ('' where none)
    name_col: int
    name_raw: np.ndarray
    name_norm: np.ndarray  # normalised project name, None where missing
    name_key: np.ndarray
    name_is_number: np.ndarray
    serial_col: int | None
    serial_raw: np.ndarray
    serial_num: np.ndarray  # a number in 序号
    serial_blank: np.ndarray
    serial_cn: np.ndarray  # 一 / （二） in 序号: a section


class RowKinds(NamedTuple):
    kind: np.ndarray  # object array of the kinds ('' for blank rows)
    reason: np.ndarray  # why a row was rejected
    nonblank: np.ndarray
    is_header: np.ndarray
    is_total: np.ndarray
    is_section: np.ndarray
    is_project: np.ndarray
    numbered: np.ndarray  # a section number in the label
    groups: dict  # parent project row -> its sub-project rows (2 → 2.1, 2.2)


def numeric_text(raw: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Text cells that hold a plain number ("12" in a CSV 序号 column)."""
    out = np.zeros(len(raw), bool)
    t = kinds == TEXT
    if t.any():
        # only ASCII text can be a plain number ("12", "1,500" is not one either)
        idx = np.flatnonzero(t)
        idx = idx[_isascii(raw[idx]).astype(bool)]
        if len(idx):
            out[idx] = pd.notna(pd.to_numeric(raw[idx], errors="coerce"))
    return out


def _is_number(grid: Grid, c: int) -> np.ndarray:
    return (grid.kinds[:, c] == NUM) | numeric_text(grid.text(c), grid.kinds[:, c])


def match(s: np.ndarray, rx: re.Pattern, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = pd.Series(s[mask], dtype=object).str.match(rx).to_numpy(dtype=bool)
    return out


def search(s: np.ndarray, rx: re.Pattern, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = pd.Series(s[mask], dtype=object).str.contains(rx).to_numpy(dtype=bool)
    return out


def _equals(s: np.ndarray, value: str, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(len(s), bool)
    if mask.any():
        out[mask] = s[mask] == value
    return out


def strip_qi(label: str) -> str:
    return re.sub(r"^其中[:：、,，]?", "", label)


def read_labels(grid: Grid, layout: Layout) -> Labels:
    """Text of the leading columns, the project name and the 序号 of every row."""
    n = grid.n
    name_col = layout.name_col
    name_raw = grid.text(name_col)
    name_is_number = _is_number(grid, name_col)
    name_norm = normalize_strings(name_raw)  # object array, None where missing
    name_key = name_norm.copy()
    name_key[pd.isna(name_key)] = ""
    raw_parts, key_parts = [], []
    for c in range(name_col + 1):
        if c == name_col:
            raw_parts.append(name_raw)
            key_parts.append(name_key)
            continue
        raw = grid.text(c).copy()
        raw[_is_number(grid, c)] = ""
        key = np.full(n, "", dtype=object)
        has = raw != ""
        if has.any():
            normalized = normalize_strings(raw[has])
            normalized[pd.isna(normalized)] = ""
            key[has] = normalized
        raw_parts.append(raw)
        key_parts.append(key)
    label_raw, label_key = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    for raw, key in zip(raw_parts, key_parts, strict=True):
        label_raw = label_raw + raw
        label_key = label_key + key
    has_label = label_key != ""
    if has_label.any():
        keyed = label_key[has_label]
        if _has_space("".join(keyed.tolist())):  # one scan instead of one per row
            label_key[has_label] = [_SPACE_RE.sub("", k) for k in keyed]
    serial_cols = [c.index for c in layout.columns if c.field == "serial"]
    serial_col = serial_cols[0] if serial_cols else None
    if serial_col is not None:
        serial_raw = grid.text(serial_col)
        serial_num = _is_number(grid, serial_col)
        serial_blank = grid.blank[:, serial_col]
        serial_cn = match(serial_raw, SERIAL_CN_RE, ~serial_blank & ~serial_num)
    else:
        serial_raw = np.full(n, "", dtype=object)
        serial_num = np.zeros(n, bool)
        serial_blank = np.ones(n, bool)
        serial_cn = np.zeros(n, bool)
    return Labels(label_raw, label_key, name_col, name_raw, name_norm, name_key, name_is_number,
                  serial_col, serial_raw, serial_num, serial_blank, serial_cn)


def _notes(grid: Grid, lab: Labels, need, money_present, nonblank, has_label, is_header,
           is_total) -> np.ndarray:
    note_label = match(lab.key, note_re(), need) | search(lab.key, _UNIT_ROW_NC, need)
    is_note = note_label & ~money_present & ~is_header & ~is_total
    # rows with text outside the leading columns only (制表人：… in column F)
    for i in np.flatnonzero(nonblank & ~has_label & ~money_present & ~is_header):
        cells = [str(v).strip() for v in grid.cells[i].tolist() if isinstance(v, str) and v.strip()]
        if cells and any(note_re().search(normalize_text(pd.Series([t]))[0] or "")
                         or UNIT_ROW_RE.search(t) for t in cells):
            is_note[i] = True
    return is_note


def row_kinds(grid: Grid, layout: Layout, lab: Labels, amts: Amounts) -> RowKinds:
    """Give every non-blank row of the grid one kind (and a reason when rejected)."""
    n, blank, name_col = grid.n, grid.blank, lab.name_col
    nonblank = (~blank | grid.formula | grid.errors).any(axis=1)
    has_label = lab.key != ""
    money_present = amts.present
    lead_mask = np.zeros(grid.width, bool)
    lead_mask[:name_col + 1] = True
    values_beyond = (~blank[:, ~lead_mask]).any(axis=1) if (~lead_mask).any() else \
        np.zeros(n, bool)
    name_header = normalize_text(pd.Series([layout.columns_by_index(name_col).header]))[0]
    # rows with a number in 序号 are projects or rejected; only the others need the tests
    need = nonblank & has_label & ~lab.serial_num
    is_header = _equals(lab.key, name_header, need) | _equals(lab.name_key, name_header, need)
    is_total = match(lab.key, total_label_re(CN_NUM), need) & ~is_header
    is_note = _notes(grid, lab, need, money_present, nonblank, has_label, is_header, is_total)
    cand = need & ~is_header & ~is_total & ~is_note
    numbered = match(lab.key, SECTION_NUM_RE, cand) | match(lab.key, DIGIT_SECTION_RE,
                                                           cand & ~values_beyond)
    counted = search(lab.key, _COUNT_NC, cand)
    exact = np.zeros(n, bool)
    idx = np.flatnonzero(cand)
    if len(idx):
        exact[idx] = stage_exact(pd.Series(lab.key[idx], dtype=object)).notna().to_numpy()
    named_rows = nonblank & ~blank[:, name_col]
    serial_share = lab.serial_num[named_rows].mean() if named_rows.any() else 0.0
    plain = ((lab.serial_col is not None) & lab.serial_blank & ~values_beyond
             & (serial_share >= 0.5))
    if (plain & cand).any():  # only then: a to_numeric over 序号 is not free on 100k rows
        plain &= ~_inside_numbering(lab)
    is_section = cand & (lab.serial_cn | numbered | counted | exact | plain)
    is_project = (named_rows & ~lab.name_is_number & ~is_header & ~is_total
                  & ~is_note & ~is_section)
    # sub-projects numbered 2.1, 2.2 right under a project numbered 2: the parent row
    # declares their sum, so it is a total over them (counting it too would count twice)
    groups = subproject_groups(lab.serial_raw, lab.serial_num & is_project, nonblank) if (
        lab.serial_col is not None) else {}
    for parent in groups:
        is_project[parent] = False
        is_total[parent] = True
    _breakdown_rows(lab, nonblank, money_present, numbered, is_total, is_section, is_project)
    kind = np.full(n, "", dtype=object)
    kind[is_header] = "header"
    kind[is_total] = "total"
    kind[is_note] = "note"
    kind[is_section] = "section"
    kind[is_project] = "project"
    reason = _rejections(grid, lab, nonblank, kind)
    return RowKinds(kind, reason, nonblank, is_header, is_total, is_section, is_project,
                    numbered, groups)


def _inside_numbering(lab: Labels) -> np.ndarray:
    """Rows between two numbered rows whose 序号 run on (1, <row>, 2): a project not
    filled in yet, never a heading that would re-stage the projects below it (R09)."""
    n = len(lab.key)
    if not lab.serial_num.any():
        return np.zeros(n, bool)
    value = np.full(n, np.nan)
    value[lab.serial_num] = pd.to_numeric(pd.Series(lab.serial_raw[lab.serial_num]),
                                          errors="coerce").to_numpy(dtype="float64")
    s = pd.Series(value)
    before = s.ffill().shift(1).to_numpy()
    after = s.bfill().shift(-1).to_numpy()
    return after == before + 1


def _breakdown_rows(lab, nonblank, money_present, numbered, is_total, is_section, is_project):
    """Rows continuing a 其中 breakdown (在建 / 预备 under 其中：… with amounts) are totals."""
    n = len(nonblank)
    for i in [i for i in np.flatnonzero(is_total) if lab.key[i].startswith("其中")]:
        j = i + 1
        while j < n and not nonblank[j]:
            j += 1
        while (j < n and (is_section[j] or is_project[j]) and money_present[j]
               and not lab.serial_num[j] and not numbered[j]
               and to_stage(pd.Series([strip_qi(lab.key[j]) or ""])).notna()[0]):
            is_section[j] = is_project[j] = False
            is_total[j] = True
            j += 1


def _rejections(grid: Grid, lab: Labels, nonblank, kind) -> np.ndarray:
    """Mark the rows no kind fits as rejected, with a reason and a finding each."""
    blank_name = grid.blank[:, lab.name_col]
    rejected = nonblank & (kind == "")
    kind[rejected] = "rejected"
    reason = np.full(grid.n, None, dtype=object)
    reason[rejected & lab.name_is_number & ~blank_name] = "项目名称是数字，无法作为项目"
    reason[rejected & blank_name] = "没有项目名称，无法归为项目、合计或分组"
    reason[rejected & grid.formula[:, lab.name_col]] = (
        "项目名称是没有保存计算结果的公式，读不到名称，无法归为项目、合计或分组")
    reason[rejected & (reason == None)] = "无法识别的行"  # noqa: E711
    for i in np.flatnonzero(rejected):
        grid.finding("rejected_row",
                     f"{where(grid.sheet, grid.src_row[i])}：{reason[i]}，已列入被拒绝的行，请核对",
                     grid.src_row[i], None)
    return reason


def subproject_groups(serial_raw: np.ndarray, numbered: np.ndarray,
                      nonblank: np.ndarray) -> dict[int, list[int]]:
    """Parent row → its sub-project rows, for 序号 like 2 / 2.1 / 2.2.

    A row numbered ``N.M`` belongs to the nearest project row above it numbered ``N``,
    with only other ``N.x`` rows (or blank rows) in between.

    >>> s = pd.Series(["1", "2", "2.1", "2.2", "3"])
    >>> subproject_groups(s, np.ones(5, bool), np.ones(5, bool))
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
