"""Text normalisation shared by the reader and the classifier.

Names, headers and category words arrive as typed by many offices: full-width
characters, spaces inside Chinese words (项 目 名 称), traditional characters, and
the pinyin artefacts some web converters insert (``項(xiàng)目``). Everything here is
column-wise: conversions that cannot be vectorised (traditional → simplified) run
once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["CONTROL_CHARS", "normalize_text", "normalize_strings", "normalize_value", "normalize_header", "CJK",
           "MISSING_RE"]

def _missing_words() -> list[str]:
    """The words that mean "no value" (rules/reader_words.csv, role missing_value)."""
    from qzanalysis.rules import load_table

    table = load_table("reader_words")
    return sorted(table.loc[table["role"] == "missing_value", "word"], key=len, reverse=True)


#: Text that means "no value" (after NFKC and stripping): blank, dashes, slash, 无, 空.
#: Shared by the reader (amounts, dates) and the classifier (funding sources, stages).
MISSING_RE = re.compile(
    r"^(?:|[-—–―‐－~～_/\\、.·…]+|"
    + "|".join(re.escape(w) for w in _missing_words()) + ")$", re.I)

#: Characters that act on a screen rather than show: C0 controls but tab and newline, DEL,
#: C1 controls, bidi embeddings/overrides/isolates (a regex character-class body). Whatever
#: the package prints or writes into a document is cleaned of them (cli, report_docx).
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"

#: Character class of CJK ideographs (BMP blocks and extension B).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df"

# A pinyin reading in ASCII parentheses right after an ideograph: 項(xiàng)目, 區(qū).
# Lower-case Latin letters with or without tone marks, 1-7 of them.
_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_RE = re.compile(rf"(?<=[{CJK}])\([{_PINYIN}]{{1,7}}\)")
# Whitespace with an ideograph (or CJK punctuation) on either side is typing noise.
_CJK_SPACE_RE = re.compile(rf"(?<=[{CJK}\u3000-\u303f])\s+|\s+(?=[{CJK}\u3000-\u303f])")
_MULTI_SPACE_RE = re.compile(r"\s+")
_ANY_SPACE_RE = re.compile(r"\s")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported on first use: the converter loads its dictionaries

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    """Characters that exist only in traditional writing (those t2s changes on their own).

    Text made only of simplified characters is left exactly as it is: the phrase
    tables of t2s would otherwise rewrite valid simplified words, e.g. the Qinzhou
    town 藉口镇 into 借口镇 ("excuse").
    """
    convert = _t2s().convert
    blocks = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)]
    chars = [chr(i) for lo, hi in blocks for i in range(lo, hi)]
    # one call, one character a line (no phrase crosses a line break): ~10x faster
    got = convert("\n".join(chars)).split("\n")
    if len(got) != len(chars):  # never seen; the slow way is always right
        got = [convert(ch) for ch in chars]
    traditional = "".join(ch for ch, new in zip(chars, got, strict=True) if new != ch)
    return re.compile(f"[{re.escape(traditional)}]")


@lru_cache(maxsize=1)
def _t2s_exceptions() -> tuple[tuple[str, str], ...]:
    # Place names that the phrase tables turn into ordinary words (rules/t2s_exceptions.csv).
    from qzanalysis.rules import load_table

    table = load_table("t2s_exceptions")
    return tuple(zip(table["converted"], table["correct"], strict=True))


def _to_simplified(text: str) -> str:
    if text.isascii() or not _traditional_re().search(text):
        return text
    text = _t2s().convert(text)
    for wrong, right in _t2s_exceptions():
        text = text.replace(wrong, right)
    return text


def normalize_value(text: str) -> str:
    """Normalise one string (see :func:`normalize_text`)."""
    text = unicodedata.normalize("NFKC", text)
    text = _PINYIN_RE.sub("", text)
    text = _CJK_SPACE_RE.sub("", text)
    text = _MULTI_SPACE_RE.sub(" ", text).strip()
    return _to_simplified(text)


def factorize_strings(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of an object array of ``str`` (missing: None, NaN, NA → code -1).

    pandas hashes an array of strings through their UTF-8 bytes, and CPython keeps the UTF-8
    copy of each non-ASCII string it makes, attached to the string for as long as it lives:
    factorizing 1,000,000 Chinese project names left ~70 MB of such copies on the caller's
    own frame. Python's cached hash and equality need no copy, and are no slower. Falls
    back to ``pd.factorize`` where pandas' object hash table is not there.

    >>> codes, uniques = factorize_strings(np.array(["水厂", None, "水厂", "公园"], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 0, 1], ['水厂', '公园'])
    """
    values = np.asarray(values, dtype=object)
    try:
        from pandas._libs.hashtable import PyObjectHashTable

        uniques, codes = PyObjectHashTable(len(values)).factorize(values, na_sentinel=-1)
    except (ImportError, AttributeError, TypeError):  # pandas moved or changed it
        codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype="int64"), np.asarray(uniques, dtype=object)


def normalize_text(values: pd.Series) -> pd.Series:
    """Normalise a column of names or words; returns a new string Series.

    NFKC (full-width → half-width), pinyin artefacts removed, whitespace removed
    where it touches a Chinese character and collapsed elsewhere, traditional
    characters converted to simplified. Missing values and empty strings are missing.

    >>> normalize_text(pd.Series(["瑞德電器 高低壓啟動設備項(xiàng)目", " ＳＳＯＰ 引线框架 ", None])).tolist()
    ['瑞德电器高低压启动设备项目', 'SSOP引线框架', nan]
    """
    s = pd.Series(values, copy=False)
    present = s.notna()
    out = pd.Series(pd.NA, index=s.index, dtype="str")
    if present.any():
        codes, uniques = factorize_strings(s[present].astype("str").to_numpy(dtype=object))
        normalized = np.array(_normalize_list(uniques.tolist()), dtype=object)
        out[present] = normalized[codes]
    return out.where(out != "", pd.NA)


def normalize_strings(values: np.ndarray) -> np.ndarray:
    """:func:`normalize_text` for an object array of ``str`` (or None) → object array.

    The reader's fast path: no string Series is built and no value is hashed; the
    steps run over all values joined into one text. None and empty results are None.

    >>> normalize_strings(np.array(["項(xiàng)目 名稱", "", None, "ＡＢ  ｃ"], dtype=object)).tolist()
    ['项目名称', None, None, 'AB c']
    """
    a = np.asarray(values, dtype=object)
    out = np.full(a.shape, None, dtype=object)
    present = np.flatnonzero(pd.notna(a) & (a != ""))
    if len(present):
        done = np.array(_normalize_list(a[present].tolist()), dtype=object)
        done[done == ""] = None
        out[present] = done
    return out


# Separates values joined for one conversion call: private use, neither space nor ideograph.
_SEP = "\ue000"


def _has_space(text: str) -> bool:
    """Whether ``text`` holds any whitespace (``str.isspace``, the same set as ``\\s``).

    ``str.split`` stops at the first whitespace and runs far faster than a regex scan.

    >>> _has_space("项目名称"), _has_space("项目 名称"), _has_space(" 项目"), _has_space("")
    (False, True, True, False)
    """
    first = text.split(None, 1)
    return bool(text) and (not first or len(first[0]) != len(text))


def _normalize_column(u: pd.Series) -> pd.Series:
    """The steps of :func:`normalize_value` over a string Series (see :func:`_normalize_list`)."""
    return pd.Series(_normalize_list(u.tolist()), index=u.index, dtype="str")


def _normalize_list(u: list[str]) -> list[str]:
    # The column-wise twin of normalize_value: the same steps, one pass each.
    # The regex passes run over all values joined by _SEP (which no pattern can match
    # or step over, so each value is treated as if alone), and only when one search of
    # that text says they can match: most ledgers have no pinyin artefact, no
    # traditional text and few spaces.
    joined = _SEP.join(u)
    if not unicodedata.is_normalized("NFKC", joined):  # the joined text is NFKC iff each value is
        u = [unicodedata.normalize("NFKC", v) for v in u]
        joined = _SEP.join(u)
    if joined.count(_SEP) != len(u) - 1:  # a value holds the separator itself
        return _normalize_each(u)
    changed = False
    if "(" in joined:
        fixed = _PINYIN_RE.sub("", joined)
        changed = fixed != joined
        joined = fixed
    if _has_space(joined):
        joined = _CJK_SPACE_RE.sub("", joined)
        joined = _MULTI_SPACE_RE.sub(" ", joined)
        u = [v.strip() for v in joined.split(_SEP)]
        joined = _SEP.join(u)
    elif changed:
        u = joined.split(_SEP)
    if not _traditional_re().search(joined):
        return u
    search = _traditional_re().search
    traditional = [i for i, v in enumerate(u) if search(v)]
    if traditional:
        converted = _t2s().convert(_SEP.join(u[i] for i in traditional)).split(_SEP)
        for wrong, right in _t2s_exceptions():
            converted = [v.replace(wrong, right) for v in converted]
        for i, v in zip(traditional, converted, strict=True):
            u[i] = v
    return u


def _normalize_each(u: list[str]) -> list[str]:
    # Values that hold _SEP: the same steps, value by value (the strings are already NFKC).
    out = []
    for v in u:
        v = _PINYIN_RE.sub("", v)
        if _ANY_SPACE_RE.search(v):
            v = _MULTI_SPACE_RE.sub(" ", _CJK_SPACE_RE.sub("", v)).strip()
        if _traditional_re().search(v):
            v = _t2s().convert(v)
            for wrong, right in _t2s_exceptions():
                v = v.replace(wrong, right)
        out.append(v)
    return out


_HEADER_DROP_RE = re.compile(r"[\s\u3000*＊※:：]")


def normalize_header(text: str) -> str:
    """Normalise one header cell for matching against the synonyms table.

    Like :func:`normalize_value`, and also drops every space, line break, colon and
    footnote star, so ``"项 目 名 称"``, ``"項(xiàng)目名稱"`` and ``"项目\\n名称"``
    all become ``"项目名称"``. Brackets become ASCII ``()``.

    >>> normalize_header("總投資（億元）"), normalize_header("项 目\\n名 称*")
    ('总投资(亿元)', '项目名称')
    """
    text = normalize_value(str(text))
    text = text.replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")")
    return _HEADER_DROP_RE.sub("", text)
