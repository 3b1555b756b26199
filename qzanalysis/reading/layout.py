"""Finding the table in a sheet: title and unit rows, the header (1-3 rows, merged
parent cells), and which canonical column each header names.

The synonyms live in ``qzanalysis/rules/columns.csv`` (ordered regular expressions,
first match wins, matched against the whole normalised header). A header is tried
as parent+child joined (``1-6月`` + ``完成投资`` → ``1-6月完成投资``), then as the child
alone, then as the parent alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from qzanalysis.reading.words import above_total_re, note_re
from qzanalysis.rules import load_table
from qzanalysis.text import normalize_header

__all__ = ["Column", "Layout", "find_layout", "match_header", "header_key", "column_rules",
           "UNIT_ROW_RE", "NOTE_RE"]

#: How far down a sheet the header is looked for.
HEADER_SEARCH_ROWS = 30
MAX_HEADER_ROWS = 3

_UNIT_WORDS = "亿元|万元|千元|元|亿|万"
_UNIT_IN_HEADER_RE = re.compile(rf"\((?:单位[:：]?)?\s*({_UNIT_WORDS})\s*\)|[/、]?({_UNIT_WORDS})$")
_PAREN_RE = re.compile(r"\([^()]*\)")
#: A header cell that is nothing but a unit (a unit row under the names: 万元 | 万元 | %).
_UNIT_ONLY_RE = re.compile(rf"^\(?(?:单位[:：]?)?\s*(?:{_UNIT_WORDS}|%|个|项)\s*\)?$")
#: A unit row or a unit remark inside a title: 单位：万元, 金额单位：亿元, （单位:万元）
UNIT_ROW_RE = re.compile(r"单位\s*[:：]?\s*(亿元|万元|千元|元)")
#: A declared total placed above the header (some offices put 合计 over the table).
#: Rows that are remarks rather than data: notes, who filled it in, units, dates
#: (also with a bracketed remark before the colon: 填报单位（盖章）：).
#: (kept for code that imported it: the shipped words; the reader calls ``note_re()``, which
#: also has the analyst's words from ``rules=``)
NOTE_RE = note_re()


@dataclass
class Column:
    """One column of the table as the header describes it."""

    index: int
    header: str  # cleaned header text, parent and child joined (the analyst's term)
    field: str | None  # canonical column, or serial / stage_candidate / date_range / funding
    unit: str | None = None  # unit named in the header (亿元, 万元, 元 …)
    detail: str | None = None  # funding source named by a sub-column
    parent: str | None = None


@dataclass
class Layout:
    """Where the table sits in a sheet."""

    header_top: int  # 0-based grid rows, inclusive
    header_bottom: int
    columns: list[Column]
    unit: str | None = None  # from a unit row above the table
    #: grid row -> "title" | "note" | "header" | "total" (a 合计 above the header, which
    #: the data rows take over)
    above: dict = field(default_factory=dict)
    forced_unit: bool = False  # the caller's unit= overrides header units
    #: the column whose header cell named the project (used when the combined header of a
    #: multi-row block no longer reads as 项目名称)
    name_index: int = 0

    def columns_by_index(self, index: int) -> Column:
        return next(c for c in self.columns if c.index == index)

    @property
    def name_col(self) -> int:
        return next((c.index for c in self.columns if c.field == "project_name"),
                    self.name_index)

    def by_field(self, name: str) -> list[Column]:
        return [c for c in self.columns if c.field == name]


@lru_cache(maxsize=1)
def column_rules() -> tuple[tuple[re.Pattern, str, str], ...]:
    """The synonyms table compiled: (regex, column, default unit), in order."""
    table = load_table("columns")
    return tuple((re.compile(p), c, u) for p, c, u in
                 zip(table["pattern"], table["column"], table["unit"], strict=True))


def header_key(text: str) -> tuple[str, str | None]:
    """Clean header text and the unit it names: ``总投资（亿元）`` → (``总投资``, ``亿元``).

    >>> header_key("總 投 資（億元）"), header_key("项目名称"), header_key("资金来源(万元)")
    (('总投资', '亿元'), ('项目名称', None), ('资金来源', '万元'))
    """
    h = normalize_header(text)
    unit = None
    m = _UNIT_IN_HEADER_RE.search(h)
    if m:
        unit = m.group(1) or m.group(2)
        if unit in ("亿", "万"):
            unit += "元"
        if m.group(2) and m.start() == 0:  # a header that is only a unit: keep the text
            return h, unit
        h = (h[: m.start()] + h[m.end():]).strip()
    return h, unit


@lru_cache(maxsize=4096)
def match_header(key: str) -> str | None:
    """Canonical column for a cleaned header key (first matching rule), or None.

    >>> match_header("1-6月完成投资"), match_header("累计完成投资"), match_header("序号")
    ('completed_investment', 'cumulative_investment', 'serial')
    """
    if not key:
        return None
    for rx, col, _unit in column_rules():
        if rx.fullmatch(key):
            return col
    stripped = _PAREN_RE.sub("", key)
    if stripped != key and stripped:
        return match_header(stripped)
    return None


def _cell_text(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _is_number(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    if isinstance(v, str):
        t = v.strip().replace(",", "")
        try:
            float(t)
        except ValueError:
            return False
        return bool(t)
    return False


def _row_fields(row: list) -> dict[int, str]:
    out = {}
    for j, v in enumerate(row):
        t = _cell_text(v)
        if t and not _is_number(v):
            f = match_header(header_key(t)[0])
            if f:
                out[j] = f
    return out


def find_layout(rows: list, merges: list, *, header_row: int | None = None,
                unit: str | None = None) -> Layout | None:
    """Locate the header and describe the columns; None when the sheet has no ledger table.

    ``header_row`` (1-based, as Excel shows) forces the first header row.
    """
    n = min(len(rows), HEADER_SEARCH_ROWS)
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            return None
        candidates = [header_row - 1]
    else:
        candidates = range(n)
    best, best_score = None, 0.0
    for i in candidates:
        fields = _row_fields(rows[i])
        if "project_name" not in fields.values():
            continue
        score = len(set(fields.values()))
        if i + 1 < len(rows) and not any(_is_number(v) for v in rows[i + 1]):
            score += 0.5 * len(set(_row_fields(rows[i + 1]).values()) - {"project_name"})
        if score > best_score and (score >= 2 or header_row is not None):
            best, best_score = i, score
    if best is None:
        return None
    return _describe(rows, merges, best, unit)


def _hmerges(merges: list, r: int) -> list[tuple[int, int]]:
    """Horizontal spans (c0, c1) of merged ranges that start in row r."""
    return [(c0, c1) for (r0, c0), (_r1, c1) in merges if r0 == r and c1 > c0]


def _vmerged_rows(merges: list, r: int, c: int) -> int:
    """Last row of a merged range whose top-left is (r, c); r when not merged."""
    for (r0, c0), (r1, _c1) in merges:
        if r0 == r and c0 == c:
            return r1
    return r


def _describe(rows: list, merges: list, top: int, forced_unit: str | None) -> Layout:
    width = max(len(r) for r in rows[top: top + MAX_HEADER_ROWS + 1])
    name_col = next(j for j, f in _row_fields(rows[top]).items() if f == "project_name")

    def text_row(r):
        row = rows[r]
        return [_cell_text(row[j]) if j < len(row) else "" for j in range(width)]

    # header rows below: a vertically merged name header says how many
    bottom = max(top, min(_vmerged_rows(merges, top, name_col), top + MAX_HEADER_ROWS - 1))
    if bottom == top:
        r = top + 1
        while r < len(rows) and r < top + MAX_HEADER_ROWS and _continues_header(
                rows, merges, r, top, name_col, width):
            bottom = r
            r += 1
    # parent rows above (when the name header is not the top of the header block)
    while top > 0 and bottom - top + 1 < MAX_HEADER_ROWS and _is_parent_row(
            rows, merges, top - 1, top, name_col, width):
        top -= 1

    grid = [text_row(r) for r in range(top, bottom + 1)]
    # horizontal merges carry the parent's text to every child column
    any_merge = False
    for k, r in enumerate(range(top, bottom + 1)):
        for c0, c1 in _hmerges(merges, r):
            any_merge = True
            for c in range(c0 + 1, min(c1, width - 1) + 1):
                if not grid[k][c]:
                    grid[k][c] = grid[k][c0]
    if not any_merge and len(grid) > 1:
        # no merge information (CSV, or parent typed in the first cell only): an empty
        # parent cell with a child below inherits the parent to its left
        for k in range(len(grid) - 1):
            last = None
            for c in range(width):
                if grid[k][c]:
                    last = c if any(grid[kk][c] for kk in range(k + 1, len(grid))) else None
                elif last is not None and any(grid[kk][c] for kk in range(k + 1, len(grid))):
                    grid[k][c] = grid[k][last]
                else:
                    last = None

    columns = []
    for c in range(width):
        levels = []
        for k in range(len(grid)):
            t = grid[k][c]
            if t and (not levels or levels[-1] != t):
                levels.append(t)
        if not levels:
            continue
        columns.append(_column(c, levels))
    # a canonical column is taken by its first header (by the column of this year when
    # several years are given); later ones are kept as extras
    chosen = _this_year_columns(columns)
    seen: set[str] = set()
    for col in columns:
        if col.field in (None, "funding"):
            continue
        if col.field in seen or chosen.get(col.field, col.index) != col.index:
            col.field = None
        else:
            seen.add(col.field)
    above, sheet_unit = _rows_above(rows, top)
    for r in range(top, bottom + 1):
        above[r] = "header"
        m = UNIT_ROW_RE.search(normalize_header(" ".join(grid[r - top])))
        if m and sheet_unit is None:
            sheet_unit = m.group(1)
    if bottom + 1 < len(rows) and _is_column_numbers(rows[bottom + 1]):
        bottom += 1  # the 栏次 row of an official form (甲 乙 1 2 3 …) ends the header
        above[bottom] = "header"
    return Layout(top, bottom, columns, unit=forced_unit or sheet_unit, above=above,
                  forced_unit=forced_unit is not None, name_index=name_col)


def _rows_above(rows: list, top: int) -> tuple[dict, str | None]:
    """Kinds of the rows above the header (title, note, a 合计 put above it) and the unit
    a unit row names."""
    above: dict[int, str] = {}
    sheet_unit = None
    for r in range(0, top):
        texts = [_cell_text(v) for v in rows[r] if _cell_text(v)]
        if not texts:
            continue
        m = UNIT_ROW_RE.search(normalize_header(" ".join(texts)))
        if m:
            sheet_unit = m.group(1)
        if above_total_re().match(normalize_header(texts[0])) and any(
                _is_number(v) for v in rows[r]):
            above[r] = "total"  # 合计 put above the header: read with the data rows
            continue
        above[r] = "note" if (m or any(note_re().search(t) for t in texts)) else "title"
    return above, sheet_unit


#: Headers that name a year (2023年计划投资, 2022年1-6月完成投资; 22年 too).
_YEAR_RE = re.compile(r"^(\d{2}|\d{4})年")
#: Amounts of one year: with several years side by side, the reporting year's column wins.
_YEARLY_FIELDS = ("completed_investment", "planned_investment", "funds_in_place")
#: The labels of an official form's column-number row (栏次): 甲 乙 丙 … then 1 2 3 …
_COLUMN_LETTERS = frozenset("甲乙丙丁戊己庚辛壬癸") | {"栏次", "栏号"}


def _header_year(header: str) -> int | None:
    m = _YEAR_RE.match(header)
    if not m:
        return None
    y = int(m.group(1))
    return y + 2000 if y < 100 else y


def _this_year_columns(columns: list[Column]) -> dict[str, int]:
    """Column index per yearly field when several columns name it in different years.

    The reporting year is the latest year of the completion columns when they all name
    one (2022年完成投资 beside 2023年1-6月完成投资 → 2023, and a year-end report's
    2024年计划投资 beside 2023年完成投资 is next year's plan); when a completion column
    names no year (1-6月完成投资) it is this year's, and the latest year named anywhere is
    the reporting year. Per field the column of that year wins, then a column naming no
    year, then the first one.

    >>> cols = [Column(0, "2022年完成投资", "completed_investment"),
    ...         Column(1, "2023年计划投资", "planned_investment"),
    ...         Column(2, "2023年1-6月完成投资", "completed_investment")]
    >>> _this_year_columns(cols)
    {'completed_investment': 2}
    """
    by_field = {f: [c for c in columns if c.field == f] for f in _YEARLY_FIELDS}
    if all(len(cs) < 2 for cs in by_field.values()):
        return {}
    done = [_header_year(c.header) for c in by_field["completed_investment"]]
    if done and None not in done:
        year = max(done)
    else:
        years = [y for cs in by_field.values() for c in cs if (y := _header_year(c.header))]
        year = max(years, default=None)
    out = {}
    for f, cs in by_field.items():
        if len(cs) < 2:
            continue
        years = [_header_year(c.header) for c in cs]
        pick = next((c for c, y in zip(cs, years, strict=True) if y == year), None) or next(
            (c for c, y in zip(cs, years, strict=True) if y is None), cs[0])
        out[f] = pick.index
    return out


def _is_column_numbers(row: list) -> bool:
    """A row that only numbers the columns (1 2 3 …, or 甲 乙 丙 then 1 2 3).

    >>> _is_column_numbers(["甲", "乙", 1, 2, 3]), _is_column_numbers([1, 2, "3", 4])
    (True, True)
    >>> _is_column_numbers([1, "秦州区供水工程", 1200, 300]), _is_column_numbers([1, 2])
    (False, False)
    """
    cells = [v for v in row if _cell_text(v)]
    if len(cells) < 3:
        return False
    numbers = []
    for v in cells:
        t = _cell_text(v)
        if t in _COLUMN_LETTERS:
            if numbers:
                return False  # letters come before the numbers
            continue
        if not t.isascii() or not t.isdigit():
            return False
        numbers.append(int(t))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _column(c: int, levels: list[str]) -> Column:
    named = [t for t in levels if not _UNIT_ONLY_RE.match(normalize_header(t))] or levels
    unit_levels = [header_key(t)[1] for t in levels if t not in named]
    keys, units = zip(*(header_key(t) for t in named), strict=True)
    units = (*unit_levels, *units)
    unit = next((u for u in reversed(units) if u), None)
    header = "".join(k for k in keys if k) or "".join(levels)
    child = keys[-1]
    parents = keys[:-1]
    parent = "".join(parents) or None
    # sub-columns under a 资金来源 parent are amounts by source
    if parents and any(match_header(p) == "funding_source" or p in ("其中", "资金构成")
                       for p in parents):
        f = match_header(child)
        if f in (None, "funding") and child not in ("合计", "小计", "总计"):
            return Column(c, header, "funding", unit or "万元", detail=child, parent=parent)
    for key in (header, child, *_invest_child(child, parents), *reversed(parents)):
        f = match_header(key)
        if f is not None:
            break
    if f == "funding":
        return Column(c, header, "funding", unit or "万元", detail=child, parent=parent)
    if f == "funding_source" and len(keys) > 1:
        f = None  # a 资金来源 parent over something we cannot place: keep it as extra
    return Column(c, header, f, unit, parent=parent)


def _invest_child(child: str, parents) -> tuple[str, ...]:
    """A child under an investment parent names an amount without the word 投资:
    ``投资完成情况`` over ``本年计划`` / ``1-6月完成`` / ``累计完成`` → try ``本年计划投资`` ….

    >>> _invest_child("累计完成", ("投资完成情况",)), _invest_child("概算", ("资金",))
    (('累计完成投资',), ())
    """
    if child and "投资" not in child and any("投资" in p for p in parents):
        return (child + "投资",)
    return ()


def _is_headerish(t: str, parent: str = "") -> bool:
    key = header_key(t)[0]
    if match_header(key) is not None:
        return True
    extra = _invest_child(key, (normalize_header(parent),)) if parent else ()
    return bool(extra) and match_header(extra[0]) is not None


def _continues_header(rows, merges, r, top, name_col, width) -> bool:
    row = rows[r]
    cells = [(j, _cell_text(v), v) for j, v in enumerate(row) if _cell_text(v)]
    if not cells or any(_is_number(v) for _j, _t, v in cells):
        return False
    if any(j == name_col for j, _t, _v in cells):
        return False
    parent_cols = set()
    for c0, c1 in _hmerges(merges, top) + _hmerges(merges, r - 1):
        parent_cols.update(range(c0, c1 + 1))
    prev = rows[r - 1]
    good = 0
    for j, t, _v in cells:
        above = _cell_text(prev[j]) if j < len(prev) else ""
        if j in parent_cols or _is_headerish(t) or _UNIT_ONLY_RE.match(normalize_header(t)):
            good += 1
        elif not merges:
            # no merge info (CSV, ODS): a child under its parent, or under an empty cell
            # next to a parent
            left = above or next((_cell_text(prev[k]) for k in range(j - 1, -1, -1)
                                  if k < len(prev) and _cell_text(prev[k])), "")
            good += bool(left) and not note_re().search(t) and (
                not above or _is_headerish(t, above))
    return good == len(cells)


def _is_parent_row(rows, merges, r, top, name_col, width) -> bool:
    row = rows[r]
    cells = [(j, _cell_text(v), v) for j, v in enumerate(row) if _cell_text(v)]
    if not cells or any(_is_number(v) for _j, _t, v in cells):
        return False
    if any(j <= name_col for j, _t, _v in cells):
        return False
    below = rows[top]
    spans = dict(_hmerges(merges, r))
    for j, t, _v in cells:
        if note_re().search(t) or UNIT_ROW_RE.search(normalize_header(t)):
            return False
        if j >= len(below) or not _cell_text(below[j]):
            return False
        if j in spans and spans[j] - j + 1 >= 0.8 * width:
            return False  # a title merged across the table
    return True
