"""Phase 3: section rows nest by their numbering style; each project takes the stage of
the innermost section that names one, and the section of the innermost that does not.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from qzanalysis.reading.rowkinds import CN_NUM, Labels, RowKinds
from qzanalysis.stages import clean_section, to_stage

__all__ = ["SectionState", "Sections", "nest_sections", "numbering_style"]

#: Numbering styles, tried in order; the first style met in a sheet is level 0, the
#: next new one level 1, and so on. Dotted numbers nest by their depth: (1) (1.1) (1.1.1).
_STYLE_RES = (
    ("cn", re.compile(rf"^[{CN_NUM}]+\s*[、.．]")),
    ("(cn)", re.compile(rf"^[(（]\s*[{CN_NUM}]+\s*[)）]")),
    ("第", re.compile(rf"^第[{CN_NUM}]+")),
    ("num", re.compile(r"^\d+\s*[、.．](?!\d)")),
    ("(num)", re.compile(r"^[(（]\s*\d+(?:\s*[.．]\s*\d+)*\s*[)）]")),
    ("num.", re.compile(r"^\d+(?:\s*[.．]\s*\d+)+")),
    ("circled", re.compile(r"^[①-⑳]")),
)


class SectionState(NamedTuple):
    stage: str | None  # the stage in force (innermost section naming one)
    section: str | None  # the section in force (innermost section naming no stage)
    path: tuple  # grid positions of the open sections, outermost first
    level: int


class Sections(NamedTuple):
    state: dict  # grid position of a section row -> SectionState
    cur_pos: np.ndarray  # (n,) the section row each row is under (-1: none)

    def stage_of(self, positions: np.ndarray) -> pd.Series:
        return pd.Series(self.cur_pos[positions]).map(
            {p: s.stage for p, s in self.state.items()}).astype(object)

    def section_of(self, positions: np.ndarray) -> pd.Series:
        return pd.Series(self.cur_pos[positions]).map(
            {p: s.section for p, s in self.state.items()}).astype(object)


def numbering_style(label: str) -> tuple[str, int]:
    """The numbering style of a section label and its depth within the style.

    >>> [numbering_style(s) for s in ("一、工业", "（二）续建", "(1.1)园区", "(1.1.1)新开工", "交通")]
    [('cn', 0), ('(cn)', 0), ('(num)', 1), ('(num)', 2), ('plain', 0)]
    """
    for name, rx in _STYLE_RES:
        m = rx.match(label)
        if m:
            return name, len(re.findall(r"[.．]\s*\d", m.group(0)))
    return "plain", 0


def nest_sections(lab: Labels, rk: RowKinds) -> Sections:
    """Walk the section rows (a handful per sheet) and track what is open at each."""
    n = len(rk.kind)
    sec_idx = np.flatnonzero(rk.is_section)
    styles: dict[tuple[str, int], int] = {}
    stack: list[tuple[int, int, str | None, str | None]] = []  # (level, pos, section, stage)
    state: dict[int, SectionState] = {}
    labels = pd.Series(lab.key[sec_idx], index=sec_idx, dtype=object)
    cleaned = clean_section(labels) if len(sec_idx) else labels
    staged = to_stage(labels) if len(sec_idx) else labels
    for k, pos in enumerate(sec_idx):
        probe = lab.serial_raw[pos].strip() if lab.serial_cn[pos] else lab.key[pos]
        level = styles.setdefault(numbering_style(probe), len(styles))
        while stack and stack[-1][0] >= level:
            stack.pop()
        st = staged.iat[k]
        st = None if pd.isna(st) else str(st)
        cl = cleaned.iat[k]
        stack.append((level, pos, None if st else (None if pd.isna(cl) else cl), st))
        cur_stage = next((s[3] for s in reversed(stack) if s[3]), None)
        cur_sec = next((s[2] for s in reversed(stack) if s[2]), None)
        state[pos] = SectionState(cur_stage, cur_sec, tuple(s[1] for s in stack), level)
    cur = pd.Series(np.where(rk.is_section, np.arange(n), np.nan)).ffill().to_numpy()
    cur_pos = np.where(np.isnan(cur), -1, cur).astype(np.int64)
    return Sections(state, cur_pos)
