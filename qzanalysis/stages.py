"""Stage words → the stage vocabulary, and section-label cleaning (shared by reader and classifier)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import pandas as pd

from qzanalysis.rules import load_table
from qzanalysis.text import normalize_text
from qzanalysis.vocab import STAGE_DTYPE, STAGES, count_suffix

__all__ = ["clean_section", "to_stage", "stage_exact", "stage_words", "analyst_words"]

# Numbering in front of a section label: 一、 （一） (1) 1. 1、 第一部分 Ⅰ. A、
_NUM = r"[一二三四五六七八九十百零〇两\dⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅰⅱⅲⅳⅴ]+"
_LEADING_NUMBER_RE = re.compile(
    rf"^\s*(?:第{_NUM}(?:部分|类|批|章|节)?\s*[、.．:：]?|[(（]\s*{_NUM}(?:\s*[.．]\s*{_NUM})*\s*[)）]\s*[、.．]?"
    rf"|{_NUM}\s*[、.．,，:：)）]|[A-Za-z]\s*[、.．)）])\s*"
)
# A count after it: （31个） (共5项) 31个 ，共12项
_COUNT_RE = re.compile(r"\s*[,，]?\s*" + count_suffix() + "$")
# What a stage label carries around its stage word: 续建项目, 新开工类, 2008年新签约项目
_STAGE_AFFIX_RE = re.compile(r"^(?:\d{2,4}年度?)|(?:类?项目|类|工程|项目库|清单|情况)$")


#: Up to this many labels, each distinct text is worked out once and remembered: a
#: workbook of thousands of small sheets asks about the same few labels thousands of times.
_SMALL = 32


def _small_texts(values) -> list | None:
    """The values as a list when few and all text or missing (the cached path), else None."""
    if len(values) > _SMALL:
        return None
    items = list(values)
    if all(isinstance(v, str) or v is None or (isinstance(v, float) and v != v) for v in items):
        return items
    return None


def _per_text(values, one, dtype=object) -> pd.Series | None:
    items = _small_texts(values)
    if items is None:
        return None
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series([one(v) if isinstance(v, str) else None for v in items], index=index,
                     dtype=dtype)


@lru_cache(maxsize=1 << 16)
def _clean_one(text: str):
    v = _clean_many(pd.Series([text], dtype=object)).iat[0]
    return None if pd.isna(v) else v


def clean_section(values: pd.Series) -> pd.Series:
    """Strip numbering and counts from section labels: ``一、续建项目（31个）`` → ``续建项目``.

    >>> clean_section(pd.Series(["一、续建项目（31个）", "（二）新开工项目", "3.工业项目 共5项"])).tolist()
    ['续建项目', '新开工项目', '工业项目']
    """
    few = _per_text(values, _clean_one, dtype="str")
    return few if few is not None else _clean_many(values)


def _clean_many(values: pd.Series) -> pd.Series:
    s = normalize_text(values)
    s = s.str.replace(_LEADING_NUMBER_RE, "", regex=True)
    s = s.str.replace(_COUNT_RE, "", regex=True).str.strip()
    return s.where(s != "", pd.NA)


def stage_words() -> pd.DataFrame:
    """The shipped table of raw stage words (``rules/stage_words.csv``): word, stage."""
    table = load_table("stage_words")
    bad = set(table["stage"]) - set(STAGES)
    if bad:  # a typo in an edited table must not silently drop projects from a stage
        raise ValueError(f"rules/stage_words.csv: unknown stage {sorted(bad)}; allowed {STAGES}")
    return table


def _make_lookup(table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(normalize_text(table["word"]), table["stage"], strict=True))


@lru_cache(maxsize=1)
def _shipped_lookup() -> dict[str, str]:
    # the shipped table, read and normalised once (callers never mutate it)
    return _make_lookup(stage_words())


#: An analyst's stage words in force while a ledger is read (``qz.load(..., rules=…)``).
_ANALYST_LOOKUP: ContextVar[dict | None] = ContextVar("analyst_stage_words", default=None)


def _lookup() -> dict[str, str]:
    return _ANALYST_LOOKUP.get() or _shipped_lookup()


@contextmanager
def analyst_words(words: pd.DataFrame | None):
    """Within the block, the analyst's stage words (columns word, stage) win over the
    shipped table in every stage lookup (sheet names, sections, stage columns).

    >>> with analyst_words(pd.DataFrame({"word": ["停建"], "stage": ["续建"]})):
    ...     to_stage(pd.Series(["停建", "在建"])).tolist()
    ['续建', '续建']
    >>> to_stage(pd.Series(["停建"])).tolist()
    [nan]
    """
    lookup = None
    if words is not None and len(words):
        bad = set(words["stage"]) - set(STAGES)
        if bad:
            raise ValueError(f"rules=：阶段 {sorted(bad)} 不在阶段词表中（unknown stage），"
                             f"应为：{'、'.join(STAGES)}")
        lookup = {**_shipped_lookup(), **_make_lookup(words)}
    token = _ANALYST_LOOKUP.set(lookup)
    try:
        yield
    finally:
        _ANALYST_LOOKUP.reset(token)


def _core(values: pd.Series) -> pd.Series:
    """A label without numbering, count and 项目/类 affixes: the part that may be a stage word."""
    return clean_section(pd.Series(values, copy=False)).str.replace(_STAGE_AFFIX_RE, "", regex=True)


def stage_exact(values: pd.Series) -> pd.Series:
    """Stage of labels that are nothing but a stage word (续建项目, 新签约项目（28个）).

    The exact step of :func:`to_stage`, without looking for stage words inside longer
    text; missing where the label is anything else.

    >>> stage_exact(pd.Series(["二、新签约项目（28个）", "续建项目进展", "在建"])).tolist()
    ['新签约', nan, '续建']
    """
    return _core(values).map(_lookup())


def to_stage(values: pd.Series, words: pd.DataFrame | None = None) -> pd.Series:
    """Map raw stage words (or section labels) to the ordered stage vocabulary.

    Exact match of the cleaned word first (numbering, counts, 项目/类 removed), then
    the table words contained in it (longest first) when they all name one stage. Anything else is missing: the caller
    reports it, nothing is guessed.

    >>> to_stage(pd.Series(["一、续建项目（31个）", "在建", "已签约", "工业项目", None])).tolist()
    ['续建', '续建', '新签约', nan, nan]
    >>> to_stage(pd.Series(["在建（续建）", "新开工/续建"])).tolist()   # 2nd names two stages
    ['续建', nan]
    """
    if words is None and _ANALYST_LOOKUP.get() is None:
        few = _per_text(values, _stage_one)
        if few is not None:
            return few.astype(STAGE_DTYPE)
    return _to_stage_many(values, words)


@lru_cache(maxsize=1 << 16)
def _stage_one(text: str):
    v = _to_stage_many(pd.Series([text], dtype=object), None).iat[0]
    return None if pd.isna(v) else str(v)


def _to_stage_many(values: pd.Series, words: pd.DataFrame | None) -> pd.Series:
    lookup = _lookup() if words is None else _make_lookup(words)
    core = _core(values)
    stage = core.map(lookup)
    todo = stage.isna() & core.notna()
    if todo.any():
        alternation = "|".join(
            re.escape(w) for w in sorted(lookup, key=len, reverse=True) if w
        )
        # every stage word in the text, once per distinct text; words naming two
        # different stages (新开工/续建) leave the stage missing rather than guessed
        codes, uniques = pd.factorize(core[todo])
        found = pd.Series(uniques, dtype="str").str.findall(alternation)
        picked = [
            next(iter(st)) if len(st := {lookup[w] for w in words}) == 1 else None
            for words in found
        ]
        stage[todo] = pd.Series(picked, dtype=object).to_numpy()[codes]
    return stage.astype(STAGE_DTYPE)
