"""The reader's words: the total words in one place, and the rest as data.

The reader recognises totals in several situations (a label anywhere in the table,
a grand total above the header, a 汇总 sheet's rows); each builds its pattern from
these lists, so adding a word here teaches all of them.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from qzanalysis.rules import load_table
from qzanalysis.vocab import COUNT_WORDS, count_suffix

__all__ = ["TOTAL_WORDS", "GRAND_TOTAL_WORDS", "SUMMARY_WORDS", "BREAKDOWN_WORD", "alternation",
           "COUNT_WORDS", "COUNT_SUFFIX", "count_suffix", "READER_ROLES", "reader_words",
           "analyst_reader_words", "note_re", "summary_sheet_re", "total_word_re",
           "total_label_re", "grand_total_re", "above_total_re"]

#: A breakdown row under a total: 其中：在建.
BREAKDOWN_WORD = "其中"


def alternation(*groups: tuple[str, ...] | str) -> str:
    """A regex group matching any of the words, longest first (``(?:总合计|合计|…)``).

    >>> alternation(("合计", "总合计"), "其中")
    '(?:总合计|其中|合计)'
    """
    words = {w for g in groups for w in ((g,) if isinstance(g, str) else g)}
    return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"


#: A declared project count after a total word, optional: 合计（59个）, 小计(共5项), 小计（5宗）.
COUNT_SUFFIX = f"(?:{count_suffix()})?"


# --- the reader's other word lists: data in rules/reader_words.csv --------------------

#: What each role of ``rules/reader_words.csv`` means (an analyst's rule table may add
#: rows with ``keyword`` and ``role``; see :func:`analyst_reader_words`).
READER_ROLES = {
    "total_word": "标签含此词即为合计行（二、续建项目小计）",
    "grand_total_word": "总合计：合计其上所有项目（或汇总表上的全部工作表）",
    "summary_word": "汇总行或汇总表的标签",
    "skip_sheet": "整张工作表是填表说明/封面（按工作表名称，完全相同）",
    "summary_sheet": "工作表名称含此词即为汇总表（总表、汇总）",
    "note_prefix": "以此词加冒号开头的行是备注（填报人：…），不是项目",
    "remark_header": "只填阶段词的备注列的表头",
    "missing_value": "单元格只写这个词表示没有数值（缺失，不是0）；只随包提供，rules= 不能增加",
}

_ANALYST_WORDS: ContextVar[dict | None] = ContextVar("analyst_reader_words", default=None)


@lru_cache(maxsize=1)
def _shipped() -> dict[str, tuple[str, ...]]:
    table = load_table("reader_words")
    bad = set(table["role"]) - set(READER_ROLES)
    if bad:
        raise ValueError(f"rules/reader_words.csv: unknown role {sorted(bad)}; "
                         f"allowed {sorted(READER_ROLES)}")
    return {role: tuple(table.loc[table["role"] == role, "word"]) for role in READER_ROLES}


def reader_words(role: str) -> tuple[str, ...]:
    """The words of ``role`` in force: the shipped table, then the analyst's (``rules=``).

    >>> "填表说明" in reader_words("skip_sheet")
    True
    """
    extra = (_ANALYST_WORDS.get() or {}).get(role, ())
    return _shipped()[role] + tuple(w for w in extra if w not in _shipped()[role])


@contextmanager
def analyst_reader_words(table):
    """Within the block, an analyst's reader words (columns keyword, role) are added to
    the shipped ones (``qz.load(path, rules=…)``).

    >>> import pandas as pd
    >>> with analyst_reader_words(pd.DataFrame({"keyword": ["台账说明"], "role": ["skip_sheet"]})):
    ...     "台账说明" in reader_words("skip_sheet")
    True
    >>> "台账说明" in reader_words("skip_sheet")
    False
    """
    words = None
    if table is not None and len(table):
        bad = set(table["role"]) - set(READER_ROLES)
        if bad:
            raise ValueError(f"rules=：role 列的 {sorted(bad)} 无法识别（unknown role），"
                             f"应为：{'、'.join(READER_ROLES)}")
        if (table["role"] == "missing_value").any():
            raise ValueError("rules=：role 为 missing_value 的词（表示缺失的词）不能用 rules= 增加，"
                             "它们同时用于读表和分类；请在维护人员处修改随包的规则表")
        words = {role: tuple(table.loc[table["role"] == role, "keyword"]) for role in READER_ROLES}
    token = _ANALYST_WORDS.set(words)
    try:
        yield
    finally:
        _ANALYST_WORDS.reset(token)


def note_re() -> re.Pattern:
    """Rows that are remarks rather than data: a note word with a colon (also with a
    bracketed remark before it: 填报单位（盖章）：), a bare 注, a unit remark."""
    return _note_re(reader_words("note_prefix"))


@lru_cache(maxsize=16)
def _note_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(
        rf"^\s*{alternation(words)}\s*(?:[(（][^()（）]{{1,8}}[)）])?\s*\d*\s*[:：、.．]"
        r"|^\s*注\s*\d*\s*$|^\s*[(（]?单位\s*[:：]")


def summary_sheet_re() -> re.Pattern:
    """A sheet name that marks a summary (汇总, 总表 …)."""
    return _summary_re(reader_words("summary_sheet"))


@lru_cache(maxsize=16)
def _summary_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(alternation(words))


# --- total patterns, built from the words in force (shipped + rules=) -------------------

#: The shipped total words (the patterns below use :func:`reader_words`, which adds an
#: analyst's words from ``rules=``).
TOTAL_WORDS: tuple[str, ...] = _shipped()["total_word"]
GRAND_TOTAL_WORDS: tuple[str, ...] = _shipped()["grand_total_word"]
SUMMARY_WORDS: tuple[str, ...] = _shipped()["summary_word"]


def total_word_re() -> re.Pattern:
    """Any total word (合计, 小计 …), wherever it stands."""
    return _compiled(alternation(reader_words("total_word")))


def total_label_re(cn_num: str) -> re.Pattern:
    """A label that is a total row: starting with a total, breakdown or summary word, or a
    short label ending in a total word and a declared count (续建项目小计（5宗）)."""
    words = (reader_words("total_word"), reader_words("grand_total_word"),
             reader_words("summary_word"))
    return _compiled("^" + alternation(BREAKDOWN_WORD, *words)
                     + rf"|^[^0-9{cn_num}]?.{{0,12}}{alternation(words[0])}{COUNT_SUFFIX}$")


def grand_total_re(*extra: str) -> re.Pattern:
    """A label starting with a grand-total word (or one of ``extra``)."""
    return _compiled("^" + alternation(reader_words("grand_total_word"), *extra))


def above_total_re() -> re.Pattern:
    """A grand total placed above the header, with an optional declared count."""
    return _compiled(rf"^{alternation(reader_words('grand_total_word'))}{COUNT_SUFFIX}$")


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)
