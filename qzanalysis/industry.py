"""Industry of a project: GB/T 4754-2017 section (门类), division (大类), group (中类),
class (小类) and 三次产业 sector.

The tables are data files in ``qzanalysis/rules/`` (provenance in ``rules/README.md``):

- ``gbt4754_sections.csv`` (``section,name,short_name,sector``): the 20 门类 A–T;
- ``gbt4754_divisions.csv`` (``division,section,name,sector``): the 97 大类 01–97, with the
  2018 三次产业划分规定 exceptions (A05, B11 and C43 are 第三产业);
- ``gbt4754_classes.csv`` (``code,level,section,name``): the 473 中类 and 1,382 小类;
- ``industry_keywords.csv`` (``keyword,section,division,priority,note``): the hand-written
  table — what words in real project names say (园区, 招商 words, abbreviations, local usage);
- ``gbt4754_keywords.csv`` (``keyword,section,division,group,class,priority,source,note``):
  generated from the standard's own notes by ``scripts/make_industry_rules.py`` (class
  names, their ``包括`` terms and the ``不包括 … 列入XXXX`` boundaries);
- ``local_categories.csv`` (``word,sections,note``): the category words offices use
  (工业, 农业, 城建 …) and the sections each allows.

How keyword rules decide
------------------------
A fixed-asset-investment statistician files a project under the industry of its future
activity: 奶牛养殖基地建设 is 畜牧业 (A03), not construction; 皂郊水厂改扩建 is 水的生产和供应
(D46). Chinese names are head-final: what the project *is* comes last (汽车销售服务4S店 is a
shop, 农产品质量检测中心 a testing lab), before 项目/工程/建设/（一期）, which are no keywords.

- **strong** keywords (priority ≥ 80) name a facility or an activity (养殖, 加工, 生产线,
  医院, 4S店, 检测中心): among them the one nearest the end of the name decides (the head);
- when no strong keyword is present — the head is generic (基地, 园区, 中心, 产业园, 综合体)
  or absent — the modifiers decide: highest priority first (hand-written products 60–79,
  generated terms 55–58, weak words such as 生产, 厂, 设备 at 50 or below), then the one
  nearer the end;
- the analyst's rules (``rules=``) outrank everything shipped;
- the division comes from the deciding keyword, or else from the best keyword *of the same
  section* that has one (深加工 decides C, 蜂产品 gives C14); group (中类) and class (小类)
  likewise from the best keyword of that division that carries one, missing otherwise;
- rows with priority 0 never decide a section: they only refine it (generic terms of the
  standard such as 其他…, …制品 are such rows).

A keyword inside a longer hand-written word does not count (动车 in 电动车); keywords in a
bracket or after 及配套 only qualify the name and rank as if at its start; keywords of the
company's name decide only when nothing else does; a keyword that a place name ends right
after (民族路, 南大桥乡) does not count. When no keyword decides, the word the name ends with
may (``industry_heads.csv``: 飞鸿路工程 is a street, 胶粘剂 a chemical), with low confidence.

All keywords sit in one Aho–Corasick automaton (pyahocorasick), built once per rule set
and cached as a pickle named by a hash of the CSVs (``$QZANALYSIS_CACHE_DIR``, default
``~/.cache/qzanalysis``); the distinct names are scanned in one pass and the decision is a
few numpy reductions. ``rules/README.md`` has the provenance of every table.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import numpy as np
import pandas as pd

from qzanalysis.rules import derived_cache, load_table, table_path
from qzanalysis.text import CJK, factorize_strings, normalize_text, normalize_value

__all__ = [
    "sections",
    "divisions",
    "classes",
    "industry_rules",
    "local_categories",
    "match_keywords",
    "quick_normalize",
    "SECTORS",
]

SECTORS: tuple[str, ...] = ("第一产业", "第二产业", "第三产业")
_RULE_COLUMNS = ["keyword", "section", "division", "group", "class", "priority", "origin", "note"]
ORIGIN_USER, ORIGIN_HAND, ORIGIN_GB = "用户规则", "关键词", "国标"
ORIGIN_BLOCK = "屏蔽词"  # rules/industry_blockers.csv: hold a keyword without being it
#: priority from which a keyword names what a project *is* (a facility or an activity)
STRONG = 80


@derived_cache
@lru_cache(maxsize=1)
def _sections() -> pd.DataFrame:
    table = load_table("gbt4754_sections")
    if list(table["section"]) != [chr(c) for c in range(ord("A"), ord("T") + 1)]:
        raise ValueError("rules/gbt4754_sections.csv must list the 20 sections A–T in order")
    return table


@derived_cache
@lru_cache(maxsize=1)
def _divisions() -> pd.DataFrame:
    table = load_table("gbt4754_divisions")
    if list(table["division"]) != [f"{i:02d}" for i in range(1, 98)]:
        raise ValueError("rules/gbt4754_divisions.csv must list the 97 divisions 01–97 in order")
    return table


def sections() -> pd.DataFrame:
    """The 20 GB/T 4754-2017 sections: ``section, name, short_name, sector``.

    >>> sections().set_index("section").loc["D", "short_name"]
    '电力热力燃气及水'
    """
    return _sections().copy()


def divisions() -> pd.DataFrame:
    """The 97 GB/T 4754-2017 divisions: ``division, section, name, sector``.

    >>> divisions().set_index("division").loc[["05", "13", "43"], "sector"].tolist()
    ['第三产业', '第二产业', '第三产业']
    """
    return _divisions().copy()


def classes() -> pd.DataFrame:
    """The 473 中类 and 1,382 小类 of GB/T 4754-2017: ``code, level, section, name``.

    >>> classes().set_index("code").loc[["831", "8310"], "name"].tolist()
    ['学前教育', '学前教育']
    """
    return load_table("gbt4754_classes")


def _check_rules(table: pd.DataFrame, where: str, *, normalize: bool = True,
                 canonical: bool = False) -> pd.DataFrame:
    """Validate and normalise keyword rules; errors name the table and the bad values."""
    missing = {"keyword", "section"} - set(table.columns)
    if missing:
        raise ValueError(f"{where}: missing column(s) {sorted(missing)}; need keyword, section")
    t = table.reindex(columns=_RULE_COLUMNS).copy()

    def code(v: str, width: int) -> str | None:  # "C13" → "13", "5" → "05"
        v = v[1:] if v[:1].isascii() and v[:1].isalpha() and v[:1].upper() <= "T" else v
        return v.zfill(width) if v else None

    def clean(col: str, width: int = 0) -> pd.Series:  # plain Python: ~10x pandas' str methods
        if canonical:  # written by our script: stripped, zero-padded codes; blanks only
            return pd.Series([v or None for v in t[col].tolist()], index=t.index, dtype="str")
        out = [(v.strip() or None) if isinstance(v, str) else None for v in t[col].tolist()]
        if width:
            out = [v if v is None or (len(v) == width and v.isdigit()) else code(v, width)
                   for v in out]
        return pd.Series(out, index=t.index, dtype="str")

    for col in ("keyword", "section", "note", "origin"):
        t[col] = clean(col)
    if normalize:
        t["keyword"] = normalize_text(t["keyword"])
    for col, width in (("division", 2), ("group", 3), ("class", 4)):
        t[col] = clean(col, width)
    if not canonical:  # our script writes upper-case letters and every code level filled
        t["section"] = t["section"].str.upper()  # (the nesting check below still holds it)
        t["division"] = t["division"].fillna(t["group"].str[:2]).fillna(t["class"].str[:2])
        t["group"] = t["group"].fillna(t["class"].str[:3])
    bad_sec = sorted(set(t["section"].dropna().unique()) - set(_sections()["section"]))
    if bad_sec:
        raise ValueError(f"{where}: unknown section {bad_sec}; allowed A–T")
    div_section = dict(zip(_divisions()["division"], _divisions()["section"], strict=True))
    has_div = t["division"].notna()
    wrong = t[has_div & (t["division"].map(div_section) != t["section"])]
    if len(wrong):
        pairs = [f"{k}:{s}{d}" for k, s, d in wrong[["keyword", "section", "division"]].values]
        raise ValueError(f"{where}: division not in its section {pairs[:10]}")
    nested = (t["group"].isna() | (t["group"].str[:2] == t["division"])) & (
        t["class"].isna() | (t["class"].str[:3] == t["group"]))
    if not nested.all():
        raise ValueError(f"{where}: group/class not inside the division "
                         f"{t.loc[~nested, 'keyword'].tolist()[:10]}")
    prio = pd.to_numeric(t["priority"], errors="coerce")
    if prio[t["priority"].notna()].isna().any():
        raise ValueError(f"{where}: priority must be a number")
    t["priority"] = prio.fillna(80).astype("int64")
    return t[t["keyword"].notna() & t["section"].notna()].reset_index(drop=True)


@derived_cache
@lru_cache(maxsize=1)
def _hand_rules() -> pd.DataFrame:
    """The hand-written keywords, then the listed companies' short names (中联重科 → C35):
    a company name decides like a hand-written product word, and words inside it (医疗 in
    万东医疗) do not count on their own."""
    hand = pd.concat([
        _check_rules(load_table("industry_keywords"), "rules/industry_keywords.csv"),
        _company_rules(),
    ], ignore_index=True)
    hand["origin"] = ORIGIN_HAND
    return hand


@derived_cache
@lru_cache(maxsize=1)
def _company_rules() -> pd.DataFrame:
    return _check_rules(load_table("industry_companies"), "rules/industry_companies.csv")


def company_names() -> frozenset[str]:
    """The listed companies' short names among the keywords (``industry_companies.csv``)."""
    return frozenset(_company_rules()["keyword"].tolist())


@derived_cache
@lru_cache(maxsize=1)
def _standard_rules() -> pd.DataFrame:
    """The generated table; written by our script in simplified characters, so not re-normalised."""
    gb = _check_rules(load_table("gbt4754_keywords"), "rules/gbt4754_keywords.csv",
                      normalize=False, canonical=True)
    gb["origin"] = ORIGIN_GB
    return gb


def _merge_rules() -> pd.DataFrame:
    """Hand-written rows (with the standard's group and class where it agrees), then the standard's."""
    hand, gb = _hand_rules(), _standard_rules()
    known = gb.drop_duplicates("keyword").set_index("keyword")
    same = known.reindex(hand["keyword"])
    agree = (same["section"].to_numpy() == hand["section"].to_numpy()) & (
        same["division"].to_numpy() == hand["division"].to_numpy())
    agree = pd.Series(agree, index=hand.index).fillna(False).astype(bool)
    hand = hand.copy()
    for col in ("group", "class"):
        hand[col] = hand[col].where(~agree | hand[col].notna(), same[col].to_numpy())
    return pd.concat([hand, gb], ignore_index=True)


#: the tables the compiled engine is built from (a change to any of them rebuilds it)
_ENGINE_TABLES = ("industry_keywords", "industry_companies", "gbt4754_keywords",
                  "industry_blockers", "place_names", "gbt4754_sections", "gbt4754_divisions",
                  "industry_similar")  # the last only orders the keywords in the automaton
_ENGINE_FORMAT = "2"  # part of the cache name, with this module's own source


def _cache_dir() -> Path:
    """Where compiled rule tables are kept: ``$QZANALYSIS_CACHE_DIR``, else the user cache."""
    given = os.environ.get("QZANALYSIS_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "qzanalysis"


def _tables_digest() -> str:
    h = hashlib.sha256(f"{_ENGINE_FORMAT}|{pd.__version__}|{np.__version__}".encode())
    h.update(Path(__file__).read_bytes())  # the engine's code: a change rebuilds the cache
    for name in _ENGINE_TABLES:
        h.update(table_path(name).read_bytes())
    return h.hexdigest()[:24]


@derived_cache
@lru_cache(maxsize=1)
def _shipped() -> tuple[pd.DataFrame, _Engine]:
    """The shipped rules and their compiled engine, from the cache when the CSVs are unchanged.

    Building costs ~0.5 s (reading 33,000 rows, the automaton); loading the pickled result
    ~0.05 s. The cache file is named by a hash of the CSV files' bytes, so an edited table
    is never served stale; an unwritable cache only costs the rebuild.
    """
    path = _cache_dir() / f"industry-{_tables_digest()}.pkl"
    try:
        with open(path, "rb") as fh:
            rules, eng = pickle.load(fh)
        if isinstance(eng, _Engine) and isinstance(rules, pd.DataFrame):
            return rules, eng
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        pass
    rules = _merge_rules()
    eng = _Engine(rules, _blockers())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((rules, eng), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return rules, eng


def _all_rules() -> pd.DataFrame:
    return _shipped()[0]


def _blockers() -> list[str]:
    return [normalize_value(w) for w in load_table("industry_blockers")["word"]]


def industry_rules(extra: pd.DataFrame | None = None, *, standard: bool = True) -> pd.DataFrame:
    """Keyword rules: the analyst's ``extra`` rows first (they win), then the shipped tables.

    Columns ``keyword, section, division, group, class, priority, origin, note``;
    ``origin`` is ``用户规则`` for the analyst's rows, ``关键词`` for the hand-written table
    and ``国标`` for the rows generated from the standard (left out with ``standard=False``).
    An analyst's rule outranks every shipped rule whatever its priority; among analyst
    rules, priority (default 80) and then position in the name decide.

    >>> r = industry_rules(pd.DataFrame({"keyword": ["香菇"], "section": ["C"], "division": ["13"]}))
    >>> r.iloc[0][["keyword", "section", "division", "origin"]].tolist()
    ['香菇', 'C', '13', '用户规则']
    """
    shipped = _all_rules() if standard else _hand_rules()
    shipped = shipped.copy()
    if extra is None or not len(extra):
        return shipped
    user = _check_rules(extra, "rules=")
    user["origin"] = ORIGIN_USER
    return pd.concat([user, shipped], ignore_index=True)


@derived_cache
@lru_cache(maxsize=1)
def _local_categories() -> pd.DataFrame:
    table = load_table("local_categories")
    table["word"] = normalize_text(table["word"])
    bad = set("".join(table["sections"]).replace(" ", "")) - set(_sections()["section"])
    if bad:
        raise ValueError(f"rules/local_categories.csv: unknown section {sorted(bad)}")
    return table


def local_categories() -> pd.DataFrame:
    """Local category words (工业, 农业, 城建 …) and the sections each allows (``sections``)."""
    return _local_categories().copy()


# ---------------------------------------------------------------- matching engine

_SECTION_LETTERS = tuple(chr(c) for c in range(ord("A"), ord("T") + 1))
_KW_BITS = 17  # keyword id in the low bits of a rank key (up to 131,071 keywords)
_POS_SHIFT = 40  # end position of the match in the name (10 bits)


@derived_cache
@lru_cache(maxsize=1)
def _guards() -> dict[str, set[str]]:
    """What may not stand right before a keyword's first character (place names).

    天水 blocks keywords starting with 水 right after 天 (天水产业园 is not 水产); the forms
    with 市/县/区/镇/乡 block 县道 in 甘谷县道路 and 市政 in 天水市政务. The context is the
    place name's last one or two characters before that one (天; 甘谷): 翔安市民服务中心 is
    not blocked by 秦安市.
    """
    guards: dict[str, set[str]] = {}
    for name in load_table("place_names")["name"]:
        name = normalize_value(name)
        for form in (name, *(name + s for s in "市县区镇乡")):
            if len(form) >= 2:
                guards.setdefault(form[-1], set()).add(form[-3:-1])
    return guards


def _code(values: pd.Series) -> np.ndarray:
    """Digit codes as integers (0 where missing): ``"05"`` → 5, ``"0531"`` → 531."""
    codes, uniq = pd.factorize(values)  # a few hundred distinct codes among 36,000 rows
    ints = np.asarray([int(u) if isinstance(u, str) and u.isdigit() else 0 for u in uniq] + [0],
                      dtype="int64")
    return ints[codes]  # code -1 (missing) takes the last entry, 0


def _bytes_as_text(text: str) -> str:
    """``text`` as its UTF-16 bytes, one character per byte (big-endian).

    pyahocorasick looks a node's children up one by one: over ~3,000 distinct Chinese
    characters at the root that costs ~10× more than over at most 256 byte values. Matches
    are read back as whole characters (odd byte index = last byte of a character).
    """
    return text.encode("utf-16-be").decode("latin-1")


def _insertion_order(words: list[str]) -> np.ndarray:
    """The order in which to add ``words`` to the automaton: the most common first.

    pyahocorasick looks a node's children up one by one, in the order they were added, so
    the scan is cheaper when the bytes that names hold most often come first at each node.
    How often: the single characters and pairs of the labelled real names that
    ``industry_similar.csv`` counts; the first three characters of a word are enough (deeper
    nodes have few children). The matches are the same in any order; on 678,000 distinct
    names the scan takes ~14 % less time than in the tables' own order.
    """
    grams, table, _ = _gram_counts(load_table("industry_similar"))
    freq = dict(zip(grams.tolist(), table.sum(axis=1).tolist(), strict=True))  # all sections
    high: dict[int, float] = {}  # by the first UTF-16 byte: what the root node looks up
    for gram, n in freq.items():
        if len(gram) == 1:
            high[ord(gram) >> 8] = high.get(ord(gram) >> 8, 0) + n
    get = freq.get
    keys = np.array([(high.get(ord(w[0]) >> 8, 0), get(w[0], 0), get(w[:2], 0), get(w[1:3], 0))
                     if w else (0, 0, 0, 0) for w in words], dtype="int64").reshape(-1, 4)
    return np.lexsort(-keys.T[::-1])


class Joined(NamedTuple):
    """Texts joined for one scan: ``"\0" + "\0".join(texts)`` as UTF-16 units (big-endian),
    encoded once for the normalising check and the scan, and whether a text is empty
    (looked for once: the normaliser and ``classify`` both need it)."""

    units: np.ndarray  # dtype ">u2"
    has_empty: bool

    @classmethod
    def of(cls, texts: list[str]) -> Joined:
        # joined and encoded a batch at a time into one array: the whole text as one str
        # (2 bytes a Chinese character) and then as bytes would be two more copies of ~30-60
        # MB for a million names, that the system hands out page by page on every call
        parts = [("\0" + "\0".join(texts[i:i + _JOIN_BATCH])).encode("utf-16-be")
                 for i in range(0, len(texts), _JOIN_BATCH)] or [b"\0\0"]
        units = np.empty(sum(len(p) for p in parts) // 2, dtype=">u2")
        at = 0
        for p in parts:
            units[at:at + len(p) // 2] = np.frombuffer(p, dtype=">u2")
            at += len(p) // 2
        return cls(units, "" in texts)

    def text(self) -> str:
        return self.units.tobytes().decode("utf-16-be")


_JOIN_BATCH = 65536  # texts joined and encoded at a time
#: UTF-16 units given to the automaton at a time. pyahocorasick copies the text it scans
#: into 4 bytes a character: the whole text of a million names would be a fresh ~130 MB on
#: every scan, pieces of ~16 MB are reused from the heap (~0.05-0.2 s less, most of it
#: the system's page faults)
_SCAN_UNITS = 1 << 21


# the characters the scan needs the positions of: text breaks, brackets, 配(套), 公(司), 集(团),
# and the words that join two parts of a name (加工及仓储)
_JOINS = "及暨和与、"
_MARKED = "\0()（）配公集" + _JOINS
#: a making or processing word, then 及/暨/和/与/、, then one of the ancillary facilities
#: below: the making is the project, the facility serves it (淀粉深加工及仓储物流, 中药饮片加工
#: 及质检中心, 精深加工现代化工厂及智能化冷库: C in 20 of 21 labelled names of this shape)
_MAKING = ("生产线", "加工", "深加工", "精深加工", "制造", "生产")
_SERVING = ("冷链", "冷库", "物流", "仓储", "仓库", "库房", "供应链", "配送中心", "检测中心", "质检", "研发中心",
            "研发", "研究院", "研究中心", "实验室")
_MARK = np.zeros(1 << 16, dtype=bool)
_MARK[[ord(c) for c in _MARKED]] = True


class _Marks(NamedTuple):
    """Positions (in UTF-16 units) of the marked characters of the joined texts, found in one
    pass over the units instead of one pass per character."""

    at: np.ndarray
    unit: np.ndarray

    @classmethod
    def of(cls, units: np.ndarray) -> _Marks:
        at = np.flatnonzero(_MARK[units])
        return cls(at, units[at].astype("int64"))

    def where(self, *chars: str) -> np.ndarray:
        return self.at[np.isin(self.unit, [ord(c) for c in chars])]


@derived_cache
@lru_cache(maxsize=1)
def _place_endings() -> tuple[np.ndarray, np.ndarray, dict[int, bool]]:
    """``rules/place_endings.csv`` compiled for the scan: which first characters may start
    an ending (a table over all UTF-16 units), the one-character endings, and the
    two-character words by ``first << 16 | second`` code (True: an ending, False: an
    exception such as 乡村)."""
    t = load_table("place_endings")
    start = np.zeros(1 << 16, dtype=bool)
    one = np.zeros(1 << 16, dtype=bool)
    two = {}
    for word, kind in t[["word", "kind"]].itertuples(index=False):
        if kind not in ("ends", "not") or not 1 <= len(word) <= 2:
            raise ValueError(f"rules/place_endings.csv: {word!r} {kind!r}: "
                             "kind is ends or not, a word has one or two characters")
        start[ord(word[0])] = True
        if len(word) == 1 and kind == "ends":
            one[ord(word)] = True
        elif len(word) == 2:
            two[(ord(word[0]) << 16) | ord(word[1])] = kind == "ends"
    return start, one, two


def _is_latin(u: np.ndarray) -> np.ndarray:
    u = u.astype("int64")
    return ((u >= 0x30) & (u <= 0x39)) | ((u >= 0x41) & (u <= 0x5A)) | ((u >= 0x61) & (u <= 0x7A))


def _first_mark(marks: np.ndarray, at: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Per text: the first of ``marks`` (sorted positions) at or after ``at`` and before the
    text's ``stop``; -1 where there is none."""
    if not len(marks):
        return np.full(len(at), -1, dtype="int64")
    i = np.searchsorted(marks, at)
    mark = marks[np.minimum(i, len(marks) - 1)]
    return np.where((i < len(marks)) & (mark < stop), mark, -1)


class _Engine:
    """One Aho–Corasick automaton over every keyword, and the rank of each keyword.

    Each keyword gets a rank key (an ``int64``) so that choosing the rule that decides a
    name is one ``np.maximum.reduceat`` over the matches of all names:

    ``analyst rule`` > ``strong`` (priority ≥ 80: a facility or activity) > the rest; among
    strong keywords the one **nearest the end of the name** wins (Chinese names are
    head-final: 汽车销售服务4S店 is a shop), then the higher priority; among the rest the
    higher priority wins, then the one nearer the end; at one position the longer keyword.
    Priority-0 rows never decide: they only refine division, group and class.
    """

    def __init__(self, rules: pd.DataFrame, blockers: list[str] = ()):
        known = set(rules["keyword"].tolist())
        blockers = [b for b in blockers if b not in known]
        if blockers:  # words that hold a keyword without being it: matched, then dropped
            rules = pd.concat([rules, pd.DataFrame(
                {"keyword": blockers, "section": "A", "priority": 0, "origin": ORIGIN_BLOCK})],
                ignore_index=True)
        origin_rank = rules["origin"].map({ORIGIN_USER: 0, ORIGIN_HAND: 1}).fillna(2)
        ranked = rules.assign(_o=origin_rank.to_numpy(), _row=np.arange(len(rules)))
        ranked = ranked.sort_values(["_o", "priority", "_row"], ascending=[True, False, True],
                                    kind="stable")
        first = ~ranked.duplicated("keyword")
        r = ranked[first].sort_values("_row").reset_index(drop=True)
        words = r["keyword"].tolist()
        # other readings of a keyword (核桃 is A01, and C13 once the section is C) only
        # refine: they are appended after the keywords and never decide
        what = ["section", "division", "group", "class"]
        alt = ranked[~first].drop_duplicates(["keyword", *what])
        primary = r.set_index("keyword")
        same = (alt[what].fillna("") == primary.loc[alt["keyword"], what].fillna("").to_numpy())
        alt = alt[~same.all(axis=1).to_numpy()]
        id_of = pd.Series(np.arange(len(r)), index=r["keyword"])
        alt = alt.assign(_id=id_of.loc[alt["keyword"]].to_numpy()).sort_values("_id", kind="stable")
        self.alt_count = np.bincount(alt["_id"], minlength=len(r)).astype("int64")
        self.alt_first = len(r) + np.r_[0, np.cumsum(self.alt_count)[:-1]]
        r = pd.concat([r, alt.drop(columns="_id").assign(priority=0)], ignore_index=True)
        if len(r) >= 1 << _KW_BITS:
            raise ValueError(f"too many industry keywords ({len(r)}); at most {(1 << _KW_BITS) - 1}")
        self.row = r["_row"].to_numpy("int64")  # position in the frame given
        self.rules = r.drop(columns=["_o", "_row", "note"], errors="ignore")  # notes stay in the table
        self.automaton = ahocorasick.Automaton()
        add = self.automaton.add_word
        for i in _insertion_order(words).tolist():
            add(_bytes_as_text(words[i]), i)
        if words:
            self.automaton.make_automaton()
        self.sec = r["section"].map({s: i for i, s in enumerate(_SECTION_LETTERS)}).to_numpy("int64")
        self.div = _code(r["division"])
        self.grp = _code(r["group"])
        self.cls = _code(r["class"])
        self.prio = r["priority"].to_numpy("int64")
        self.user = (r["origin"] == ORIGIN_USER).to_numpy()
        self.hand = (r["origin"] == ORIGIN_HAND).to_numpy()
        self.blocker = (r["origin"] == ORIGIN_BLOCK).to_numpy()
        self.container = self.hand | self.user | self.blocker
        length = np.minimum(r["keyword"].str.len().to_numpy("int64"), 127)
        prio = np.clip(self.prio, 0, 127)
        self.strong = (self.prio >= STRONG) & ~self.user
        # tiers: 3 facility/activity words, 2 hand-written products, 1 the standard's terms,
        # 0 weak words; position decides first in tiers 1-3 (head-final), priority in 0 and
        # among the analyst's rules
        tier = np.select(
            [self.strong, self.hand & (prio >= 60), prio >= 55], [3, 2, 1], 0
        ).astype("int64")
        by_position = (tier > 0) & ~self.user
        self.tier = np.where(self.user, 4, tier)
        self.base = (
            (self.tier << 57)
            | (np.where(by_position, 0, prio) << 50)
            | (np.where(by_position, prio, 0) << 24)
            | (length << _KW_BITS)
            | np.arange(len(r), dtype="int64")
        )
        self.length = length
        latin = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        every = r["keyword"].tolist()
        self.latin_edge = np.fromiter(
            ((w[:1] in latin) | ((w[-1:] in latin) << 1) for w in every), "int64", len(every))
        self.road = np.fromiter((w[-1:] in "路道街" and w != "" for w in every), bool, len(every))
        # a street word (道路, 大道: N78) says a road, not which kind: a road's code
        # (S308道路改建) or a more specific head overrules it (classify._by_head)
        self.street = self.road & (self.sec == _SECTION_LETTERS.index("N"))
        guards = _guards()
        one, two = [], []  # (keyword, previous character[s]) pairs that block a match
        for i, w in enumerate(words):
            for ctx in guards.get(w[0], ()):
                if len(ctx) == 1:
                    one.append((i << 21) | ord(ctx))
                else:
                    two.append((i << 42) | (ord(ctx[0]) << 21) | ord(ctx[1]))
        self.guard_one = np.unique(np.asarray(one, dtype="int64"))
        self.guard_two = np.unique(np.asarray(two, dtype="int64"))
        self.making = r["keyword"].isin(_MAKING).to_numpy()
        self.serving = r["keyword"].isin(_SERVING).to_numpy()
        self.guarded = np.zeros(len(r), dtype=bool)
        self.guarded[np.unique(np.r_[self.guard_one >> 21, self.guard_two >> 42])] = True

    # .......................................................... scanning

    def scan(self, texts: list[str], joined: Joined | None = None) -> tuple[np.ndarray, ...]:
        """Every keyword match in ``texts``: text number, end position (1-based), keyword id,
        whether it lost a crossing with a stronger keyword, and whether it decides only when
        nothing else does: it stands in the name of the company the text starts with, or it
        serves the making (仓储 in 饮片生产仓储).

        One pass over all texts joined by NUL characters (``joined``: a :class:`Joined` the
        caller already has, encoded once); matches come out in text order.
        Positions count UTF-16 units (characters, except the rare ones outside the BMP).
        """
        empty = np.zeros(0, dtype="int64")
        if not texts or not len(self.rules):
            return empty, empty, empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
        joined = Joined.of(texts) if joined is None else joined
        units = joined.units
        marks = _Marks.of(units)
        starts = marks.where("\0") + 1  # where each text begins, in UTF-16 units
        if len(starts) != len(texts):  # a NUL inside a text would split it in two
            texts = [t.replace("\0", " ") for t in texts]
            units = Joined.of(texts).units
            marks = _Marks.of(units)
            starts = marks.where("\0") + 1
        flat = self._matches(units, starts - 1)
        end, kw = flat[0::2], flat[1::2]
        aligned = (end & 1) == 1  # a match must start and end on whole characters
        end, kw = end[aligned] >> 1, kw[aligned]  # byte index → unit index (last unit)
        keep = self._not_after_a_place(units, end, kw)
        end, kw = end[keep], kw[keep]
        keep = self._not_inside_a_word(end, kw)
        end, kw = end[keep], kw[keep]
        keep = self._whole_latin_word(units, end, kw) & self._not_a_place_name(units, end, kw)
        end, kw = end[keep], kw[keep]
        text = np.searchsorted(starts, end, side="right") - 1
        cross = self._crossed(text, end, kw)
        pos = end - starts[text] + 1
        aside, serves = self._only_qualifying(units, marks, starts, text, end, kw)
        demoted = self._in_company_name(units, marks, starts, text, end) | serves
        return text, np.where(aside, 0, pos), kw, cross, demoted

    def _matches(self, units: np.ndarray, breaks: np.ndarray) -> np.ndarray:
        """(byte end, keyword id) pairs, flat, of the automaton over the text's UTF-16 bytes,
        one character per byte (see _bytes_as_text). Scanned in pieces that end at a text
        break (``breaks``: the NUL units, in order); no keyword holds one, so no match is
        cut."""
        out, lo, n = [], 0, len(units)
        while lo < n:
            hi = lo + _SCAN_UNITS
            if hi < n:  # end the piece at the next text break
                nxt = np.searchsorted(breaks, hi)
                hi = int(breaks[nxt]) if nxt < len(breaks) else n
            hi = min(hi, n)
            piece = units[lo:hi].tobytes().decode("latin-1")
            flat = np.fromiter(chain.from_iterable(self.automaton.iter(piece)), dtype="int64")
            flat[0::2] += 2 * lo
            out.append(flat)
            lo = hi
        return out[0] if len(out) == 1 else np.concatenate(out)

    def _whole_latin_word(self, units, end, kw) -> np.ndarray:
        """False for a Latin keyword inside a longer Latin word or number (5G in 35GW)."""
        keep = np.ones(len(kw), dtype=bool)
        g = np.flatnonzero(self.latin_edge[kw] > 0)
        if len(g):
            edge, e = self.latin_edge[kw[g]], end[g]
            first = e - self.length[kw[g]] + 1
            before = _is_latin(units[first - 1])
            after = _is_latin(units[np.minimum(e + 1, len(units) - 1)]) & (e + 1 < len(units))
            keep[g] = ~(((edge & 1) > 0) & before) & ~(((edge & 2) > 0) & after)
        return keep

    def _not_a_place_name(self, units, end, kw) -> np.ndarray:
        """False for a keyword that a road, street or township name ends right after
        (``rules/place_endings.csv``): 民族路, 农场路, 南大桥乡 are places, not 民族, 农场 or
        a bridge. A keyword that is itself a road (公路路基) stays."""
        start, one, two = _place_endings()
        nxt = units[np.minimum(end + 1, len(units) - 1)]
        g = np.flatnonzero(start[nxt])
        pair = (nxt[g].astype("int64") << 16) | units[np.minimum(end[g] + 2, len(units) - 1)]
        place = one[nxt[g]]  # 民族路: a one-character ending, unless an exception follows
        for code, ends in two.items():  # 大道 ends a name; 乡村 does not
            place = np.where(pair == code, ends, place)
        keep = np.ones(len(kw), dtype=bool)
        keep[g] = ~(place & ~self.road[kw[g]])
        return keep

    @staticmethod
    def _in_company_name(units, marks, starts, text, end) -> np.ndarray:
        """True for a match inside the company's name that a name starts with
        (内蒙古王土地商贸有限公司玉米烘干: 商贸 names the company, 玉米烘干 the project)."""
        at = marks.where("公", "集")
        at = at[at + 1 < len(units)]
        first, nxt = units[at], units[at + 1]
        at = at[((first == 0x516C) & (nxt == 0x53F8)) | ((first == 0x96C6) & (nxt == 0x56E2))]  # 公司, 集团
        if not len(at) or not len(end):
            return np.zeros(len(end), dtype=bool)
        out = np.zeros(len(end), dtype=bool)
        has = np.zeros(len(starts), dtype=bool)
        has[np.searchsorted(starts, at, side="right") - 1] = True
        sel = np.flatnonzero(has[text])  # only the matches of texts that name a company
        nxt = np.searchsorted(at, end[sel], side="left")
        mark = at[np.minimum(nxt, len(at) - 1)]
        stop = np.r_[starts[1:] - 1, len(units)][text[sel]]  # where the text ends
        # the company's name must be followed by the project's own words (3 or more)
        out[sel] = (nxt < len(at)) & (mark + 4 < stop)
        return out

    def _not_after_a_place(self, units, end, kw) -> np.ndarray:
        """False for a keyword that starts inside a place name (天水产业园 is not 水产)."""
        keep = np.ones(len(kw), dtype=bool)
        g = np.flatnonzero(self.guarded[kw])
        if len(g):
            first = end[g] - self.length[kw[g]] + 1
            prev1 = units[first - 1].astype("int64")
            prev2 = units[np.maximum(first - 2, 0)].astype("int64")
            keep[g] = ~(np.isin((kw[g] << 21) | prev1, self.guard_one) | np.isin(
                (kw[g] << 42) | (prev2 << 21) | prev1, self.guard_two))
        return keep

    def _not_inside_a_word(self, end, kw) -> np.ndarray:
        """False for a keyword inside a longer hand-written one or a blocker (动车 in 电动车,
        地产 in 基地产业): it is part of that word. Blockers themselves go too.

        The scan gives matches in order of their end, so no sort is needed: a match is
        inside a container that ends later and starts no later, or that ends with it and
        starts earlier (global positions: texts never mix).
        """
        if len(kw) < 2:
            return ~self.blocker[kw]
        if (end[1:] < end[:-1]).any():  # not from one scan: put them in end order first
            order = np.argsort(end, kind="stable")
            back = np.empty_like(order)
            back[order] = np.arange(len(order))
            return self._not_inside_a_word(end[order], kw[order])[back]
        first = end - self.length[kw] + 1
        new_end = np.r_[True, end[1:] != end[:-1]]
        group = np.flatnonzero(new_end)  # matches with one end
        gid = np.cumsum(new_end) - 1
        none = np.iinfo("int64").max
        inside = np.zeros(len(kw), dtype=bool)
        for ok, who in ((self.container, ~self.user[kw]), (self.user, self.user[kw])):
            if not who.any():
                continue  # the analyst's words are only ever inside the analyst's words
            start = np.where(ok[kw], first, none)
            at_end = np.minimum.reduceat(start, group)  # earliest container start per end
            later = np.minimum.accumulate(at_end[::-1].copy())[::-1]
            later = np.r_[later[1:], none]  # earliest start of a container ending later
            got = (later[gid] <= first) | (at_end[gid] < first)
            inside[who] = got[who]
        return ~inside & ~self.blocker[kw]

    def _crossed(self, text, end, kw) -> np.ndarray:
        """True for the loser of two keywords that cross (大棚|改建 holds 棚改): the
        higher-ranked, else the earlier, stays."""
        cross = np.zeros(len(kw), dtype=bool)
        if len(kw) < 2:
            return cross
        first = end - self.length[kw] + 1
        rank = self.base[kw] >> _KW_BITS
        crossing = (text[1:] == text[:-1]) & (first[:-1] < first[1:]) & (
            first[1:] <= end[:-1]) & (end[:-1] < end[1:])
        cross[1:] |= crossing & (rank[:-1] >= rank[1:])
        cross[:-1] |= crossing & (rank[1:] > rank[:-1])
        return cross

    def _only_qualifying(self, units, marks, starts, text, end, kw
                         ) -> tuple[np.ndarray, np.ndarray]:
        """True for a keyword that only qualifies the name, ranked as if at its start
        (the first array), and for one that only serves the making (the second: it decides
        only when nothing else does):

        - in a bracket that ends the name (…大道(G348…段新改建工程)): where or which phase;
          in a bracket inside the name (…西路(严家滩大桥-平江大桥段)建设): which stretch;
        - after 及配套 / 和配套 / 与配套 / 并配套 (污水处理厂及配套管网): the first part is
          the project, the rest is ancillary;
        - a store, a cold chain or a laboratory joined after a making word, or right after it
          (淀粉深加工及仓储物流, 中药饮片加工及质检中心, 饮片生产仓储, 化妆品生产研发): it
          serves the making.
        """
        out = np.zeros(len(kw), dtype=bool)
        serves = np.zeros(len(kw), dtype=bool)
        if not len(kw):
            return out, serves
        first = end - self.length[kw] + 1  # where each match starts
        opens = marks.where("(", "（")
        if len(opens):  # only the matches of texts that hold a bracket
            has = np.zeros(len(starts), dtype=bool)
            has[np.searchsorted(starts, opens, side="right") - 1] = True
            sel = np.flatnonzero(has[text])
            closes = marks.where(")", "）")
            i = np.searchsorted(opens, first[sel])
            j = np.searchsorted(closes, first[sel])
            o = opens[np.maximum(i - 1, 0)]
            c = np.where(j > 0, closes[np.maximum(j - 1, 0)] if len(closes) else -1, -1)
            # the bracket opens inside this name (not at its start) and is not closed yet
            out[sel] = (i > 0) & (o > starts[text[sel]]) & (o > c)
        stop = np.r_[starts[1:], len(units)]  # where each text ends (its break)

        def after(mark: np.ndarray, sel: np.ndarray) -> np.ndarray:  # starts past the mark
            return first[sel] > mark[text[sel]]

        making = np.flatnonzero(self.making[kw])
        if len(making):  # the first join after a text's first making word
            made = np.full(len(starts), len(units))  # none: past every join
            np.minimum.at(made, text[making], end[making])
            mark = _first_mark(marks.where(*_JOINS), made, stop)
            sel = np.flatnonzero(self.serving[kw] & (mark[text] >= 0))
            serves[sel] = after(mark, sel)
            # ... or right after a making word (生产仓储): matches come out in text order
            prev_end = np.maximum.accumulate(np.where(self.making[kw], end, -1))
            serves[1:] |= self.serving[kw[1:]] & (prev_end[:-1] == first[1:] - 1)
            out |= serves
        pei = marks.where("配")
        pei = pei[(pei + 1 < len(units)) & (pei > 0)]
        pei = pei[(units[pei + 1] == 0x5957) & np.isin(units[pei - 1], (0x53CA, 0x548C, 0x4E0E, 0x5E76))]
        if len(pei):  # the first 及配套 of each text
            mark = _first_mark(pei, starts, stop)
            sel = np.flatnonzero(mark[text] >= 0)
            out[sel] |= after(mark, sel)
        return out, serves

    # .......................................................... deciding

    def decide(
        self, texts: list[str], allowed: np.ndarray | None = None, joined: Joined | None = None
    ) -> dict[str, np.ndarray]:
        """The deciding keyword of each text and what refines it (ids; -1 for none).

        ``allowed`` (optional) is a bit mask of allowed sections per text (bit 0 = A).
        Returns arrays of ``len(texts)``: ``win``, ``runner`` (best keyword of another
        section), ``div_kw`` / ``cls_kw`` (keywords that gave division / group and class
        where the decider did not), ``division``, ``group``, ``klass`` (integers, 0 =
        none), ``win_end`` and ``runner_end`` (end positions in the text).
        """
        n = len(texts)
        out = {k: np.full(n, -1, dtype="int64") for k in ("win", "runner", "div_kw", "cls_kw")}
        for k in ("division", "group", "klass", "win_end", "runner_end"):
            out[k] = np.zeros(n, dtype="int64")
        text, pos, kw, crossed, demoted = self.scan(texts, joined)
        if len(kw) and self.alt_count[kw].any():  # each other reading, right after its keyword
            rep = 1 + self.alt_count[kw]
            at = np.repeat(np.arange(len(kw)), rep)
            j = np.arange(len(at)) - np.repeat(np.cumsum(rep) - rep, rep)
            kw = np.where(j == 0, kw[at], self.alt_first[kw[at]] + j - 1)
            text, pos, crossed, demoted = text[at], pos[at], crossed[at], demoted[at]
        if allowed is not None and len(kw):  # the analyst's rules are never narrowed away
            ok = ((allowed[text] >> self.sec[kw]) & 1).astype(bool) | self.user[kw]
            text, pos, kw, crossed, demoted = text[ok], pos[ok], kw[ok], crossed[ok], demoted[ok]
        if not len(kw):
            return out
        keys = self.base[kw] + (np.minimum(pos, 1023) << _POS_SHIFT)
        c = np.flatnonzero(demoted)
        # a word of the company's name, or one that serves the making, decides only when
        # nothing else does
        c = c[~self.user[kw[c]]]
        keys[c] &= ~(np.int64(7) << 57) & ~(np.int64(1023) << _POS_SHIFT)
        first = np.flatnonzero(np.r_[True, text[1:] != text[:-1]])
        who = text[first]
        mask_kw = (1 << _KW_BITS) - 1

        # refining (division, group, class): the hand-written and analyst's readings first
        refine_keys = keys + ((self.hand[kw] | self.user[kw]).astype("int64") << 61)

        def best(mask: np.ndarray, by: np.ndarray = keys) -> np.ndarray:
            got = np.full(n, -1, dtype="int64")
            got[who] = np.maximum.reduceat(np.where(mask, by, -1), first)
            return got

        sec, prio = self.sec[kw], np.where(crossed, 0, self.prio[kw])
        win_key = best(prio > 0)
        win = np.where(win_key >= 0, win_key & mask_kw, -1)
        has = win >= 0
        wsec = np.where(has, self.sec[np.maximum(win, 0)], -1)
        ws = wsec[text]
        # the runner-up is another section's keyword that is not part of the decider (水 in 水厂)
        wlen = np.where(has, self.length[np.maximum(win, 0)], 0)
        wend = np.where(has, (win_key >> _POS_SHIFT) & 1023, 0)
        inside = (pos <= wend[text]) & (pos - self.length[kw] >= wend[text] - wlen[text])
        # ... and no weak word (厂, 设备) when the decider is more than a weak word itself
        weak_win = np.where(has, self.tier[np.maximum(win, 0)] == 0, True)
        run_key = best((prio > 0) & (sec != ws) & ~inside & ((self.tier[kw] > 0) | weak_win[text]))
        runner = np.where(run_key >= 0, run_key & mask_kw, -1)
        # division: the decider's, else the best keyword of its section that has one
        wdiv = np.where(has, self.div[np.maximum(win, 0)], 0)
        div_key = best((sec == ws) & (self.div[kw] > 0), refine_keys)
        div_kw = np.where((wdiv == 0) & (div_key >= 0), div_key & mask_kw, -1)
        division = np.where(wdiv > 0, wdiv, np.where(div_kw >= 0, self.div[np.maximum(div_kw, 0)], 0))
        # group and class: the decider's, else the best keyword of that division that has one
        dv = division[text]
        wgrp = np.where(has, self.grp[np.maximum(win, 0)], 0)
        own = (wgrp > 0) & (self.div[np.maximum(win, 0)] == division)
        cls_key = best((dv > 0) & (self.div[kw] == dv) & (self.grp[kw] > 0), refine_keys)
        cls_kw = np.where(~own & (division > 0) & (cls_key >= 0), cls_key & mask_kw, -1)
        src = np.where(own, win, cls_kw)
        ok = src >= 0
        out.update(
            win=win, runner=runner, div_kw=div_kw, cls_kw=cls_kw, division=division,
            group=np.where(ok, self.grp[np.maximum(src, 0)], 0),
            klass=np.where(ok, self.cls[np.maximum(src, 0)], 0),
            win_end=np.where(has, (win_key >> _POS_SHIFT) & 1023, 0),
            runner_end=np.where(runner >= 0, (run_key >> _POS_SHIFT) & 1023, 0),
        )
        return out


@derived_cache
@lru_cache(maxsize=8)
def _engine_for(user_key: str | None) -> _Engine:
    """The compiled engine: shipped rules, plus the analyst's (cached by their content)."""
    if user_key is None:
        return _shipped()[1]
    rules = pd.concat([_USER_RULES[user_key], _all_rules()], ignore_index=True)
    return _Engine(rules, _blockers())


_USER_RULES: dict[str, pd.DataFrame] = {}


def engine(extra: pd.DataFrame | None = None) -> _Engine:
    """The keyword engine for the shipped rules and the analyst's ``extra`` rows (they win)."""
    if extra is None or not len(extra):
        return _engine_for(None)
    user = _check_rules(extra, "rules=")
    user["origin"] = ORIGIN_USER
    key = pd.util.hash_pandas_object(user.astype("str"), index=False).sum()
    key = f"{len(user)}:{int(key)}"
    _USER_RULES[key] = user
    while len(_USER_RULES) > 16:  # the engines themselves are an lru_cache of 8
        _USER_RULES.pop(next(iter(_USER_RULES)))
    return _engine_for(key)


def match_keywords(text: pd.Series, rules: pd.DataFrame | None = None) -> pd.Series:
    """Row number in the engine's rule table of the keyword that decides each text; -1 for none.

    With ``rules`` given (a frame from :func:`industry_rules` or the analyst's rules), those
    rules alone are used, and the row numbers are positions in that frame.

    >>> r = industry_rules()
    >>> i = match_keywords(pd.Series(["西联蜂业蜂产品深加工", "皂郊水厂改扩建", "说明"]), r)
    >>> r.loc[i[i >= 0], "keyword"].tolist(), int(i.iloc[2])
    (['深加工', '水厂'], -1)
    """
    rules = _all_rules() if rules is None else rules
    eng = _Engine(rules.reset_index(drop=True))
    s = pd.Series(text, copy=False).astype("str")
    codes, uniq = pd.factorize(s)
    win = eng.decide([str(u) for u in uniq])["win"]
    got = np.where(win >= 0, eng.row[np.maximum(win, 0)] if len(eng.row) else -1, -1)
    result = np.where(codes >= 0, got[np.maximum(codes, 0)] if len(got) else -1, -1)
    return pd.Series(result, index=s.index, dtype="int64")


@derived_cache
@lru_cache(maxsize=1)
def _heads() -> tuple[re.Pattern, re.Pattern, dict[str, tuple], tuple[list[str], re.Pattern],
                      re.Pattern | None]:
    """``industry_heads.csv`` compiled: the filler words a name ends with, and the heads."""
    t = load_table("industry_heads")
    t["word"] = t["word"].map(normalize_value)
    filler = t.loc[t["kind"] == "filler", "word"].tolist()
    heads = t[t["kind"].isin(["head", "generic"])]
    alt = "|".join(map(re.escape, sorted(filler, key=len, reverse=True)))
    # filler, digits, phase marks and brackets at the end: (一期) 1号 二标段 …; the lookahead
    # (a character a part can start with) spares trying every part at every position
    starts = "".join(sorted({re.escape(w[0]) for w in filler}))
    # a filler after 及/和/与/并 goes with it (综合楼及配套工程, 管网建设与改造工程): no
    # head is left dangling on a conjunction
    trailing = re.compile(rf"(?=[{starts}\d一二三四五六七八九十(（、,，\s\-—·及和与并])"
                          rf"(?:[及和与并]?(?:{alt})|[\d一二三四五六七八九十]+[期号标]段?"
                          rf"|[(（][^()（）]*[)）]|[、,，\s\-—·]+)+$")
    words = sorted(heads["word"], key=len, reverse=True)
    head_re = re.compile("(" + "|".join(map(re.escape, words)) + ")$")
    what = {w: (sec, int(div) if div else 0, kind == "generic", f"末尾词:{w}", village)
            for w, sec, div, kind, village in heads[["word", "section", "division", "kind",
                                                      "village"]].itertuples(index=False)}
    patterns = t[t["kind"] == "pattern"]
    for pat, sec, div, note in patterns[["word", "section", "division", "note"]].itertuples(
            index=False):
        try:
            re.compile(pat)
        except re.error as exc:
            raise ValueError(f"rules/industry_heads.csv: bad pattern {pat!r}: {exc}") from None
        # the note's first part (before "：") names the pattern in the rule text
        what[pat] = (sec, int(div) if div else 0, False, f"名称样式:{note.split('：')[0]}", "")
    # one search for all patterns: the one matching earliest in the name names itself
    pattern_re = re.compile("|".join(f"(?P<p{i}>{pat})" for i, pat in enumerate(patterns["word"])))
    # the patterns that name a road (section G: a road's code), for :func:`has_road_code`
    roads = patterns.loc[patterns["section"] == "G", "word"].tolist()
    road_re = re.compile("|".join(f"(?:{pat})" for pat in roads)) if roads else None
    return trailing, head_re, what, (patterns["word"].tolist(), pattern_re), road_re


def has_road_code(names: list[str]) -> np.ndarray:
    """Whether each name holds a road's code (G308, S204線, 305线: the pattern rows of
    ``industry_heads.csv`` whose section is G). A name decided by a street word (道路) that
    holds one goes on to :func:`name_heads`, whose patterns read the code."""
    road_re = _heads()[4]
    if road_re is None:
        return np.zeros(len(names), dtype=bool)
    return np.fromiter((road_re.search(n) is not None for n in names), bool, len(names))


def name_heads(texts: list[str]) -> tuple[list[str | None], list[str | None]]:
    """The head word of each name when it ends with a word of ``industry_heads.csv``, and
    the name's core (the name without 项目, 工程, (一期) and the like at its end).

    The last resort for a name in which no keyword stands: 飞鸿路工程 is a street (N78),
    氮化钒项目 a metal product (C32), 芙蓉嘉园 a housing estate (K70).

    >>> name_heads(["飞鸿路工程", "高端特种胶粘剂项目", "说明"])[0]
    ['路', '剂', None]
    """
    trailing, head_re, _, patterns, _ = _heads()
    core: list[str | None] = []
    head: list[str | None] = []
    for text in texts:  # plain re: ~2x pandas' str methods on the python string storage
        if not isinstance(text, str):
            core.append(None)
            head.append(None)
            continue
        c = trailing.sub("", text)
        m = head_re.search(c)
        core.append(c)
        head.append(m.group(1) if m else None)
    # pattern rows (a road's code, a school's number) come first: S204線通江縣城至諾水河 is
    # a road that ends in a river's name
    words, pattern_re = patterns
    if words:
        for i, c in enumerate(core):
            if c is not None and (m := pattern_re.search(c)):
                head[i] = words[int(m.lastgroup[1:])]
    return head, core


def head_section(word: str) -> tuple[str, int, bool, str, str]:
    """Section letter, division (0: none), whether it is generic (基地, 产业园: a last
    resort only), the rule's name (末尾词:路) and the section in a village's name (``""``:
    the same) of a head word or pattern from :func:`name_heads`."""
    return _heads()[2][word]


# ---------------------------------------------------------------- text preparation


@lru_cache(maxsize=65536)
def _changes_matching(ch: str) -> bool:
    """Would normalising this character change what a keyword can match?"""
    if ch.isspace():
        return True
    new = normalize_value(ch)
    # full-width brackets or commas become ASCII: harmless; letters, digits, traditional
    # characters and anything that vanishes are not
    return new != ch and (new == "" or any(c.isalnum() for c in new))


def _dirty_characters(joined: Joined) -> list[str]:
    """The characters of ``joined`` whose normalisation could change a keyword match."""
    units = joined.units
    present = np.flatnonzero(np.bincount(units, minlength=65536))
    if ((present >= 0xD800) & (present < 0xE000)).any():  # characters beyond the BMP
        chars = set(joined.text())
    else:
        chars = map(chr, present.tolist())
    return sorted(c for c in chars if _changes_matching(c))


def normalize_distinct(texts: np.ndarray, *, with_joined: bool = False):
    """:func:`quick_normalize` for distinct texts (an object array of str) → object array.

    Empty results are None. With ``with_joined=True`` also returns the texts joined as the
    engine scans them (``"\0" + "\0".join(texts)``) when normalising changed nothing, else
    None: the scan then need not join them again.
    """
    out = np.asarray(texts, dtype=object).copy()
    if not len(out):
        return (out, None) if with_joined else out
    joined = Joined.of(out.tolist())
    dirty = _dirty_characters(joined)
    if dirty:
        joined = None
        s = pd.Series(out, dtype="str")
        todo = s.str.contains("[" + "".join(re.escape(c) for c in dirty) + "]", regex=True,
                              na=False).to_numpy()
        if todo.any():
            norm = normalize_text(s[todo])
            out[todo] = norm.astype(object).where(norm.notna(), None).to_numpy()
    if joined is None or joined.has_empty:  # an empty text somewhere
        out[out == ""] = None
    return (out, joined) if with_joined else out


def quick_normalize(values: pd.Series) -> pd.Series:
    """Like :func:`qzanalysis.text.normalize_text`, but cheap on text that is already clean.

    The distinct characters of the column are checked once; only the rows holding a
    character whose normalisation could change a keyword match (traditional characters,
    full-width letters and digits, spaces) go through ``normalize_text``; full-width
    punctuation alone does not. A reader's output passes through untouched.

    >>> quick_normalize(pd.Series(["瑞德電器 啟動設備", "皂郊水厂改扩建", None])).tolist()
    ['瑞德电器启动设备', '皂郊水厂改扩建', nan]
    """
    s = pd.Series(values, copy=False)
    if not (s.dtype == "str"):
        s = s.astype("str")
    codes, uniq = factorize_strings(s.to_numpy(dtype=object))
    norm = normalize_distinct(uniq)
    out = np.full(len(s), None, dtype=object)
    has = codes >= 0
    out[has] = norm[codes[has]]
    return pd.Series(out, index=s.index, dtype="str")


# ---------------------------------------------------------------- names like labelled ones

#: the row of ``industry_similar.csv`` that holds how many labelled names each section has
#: (full-width brackets never survive normalisation, so no name's gram can look like it)
SIMILAR_PRIOR = "（名称数）"
#: a guess is made only when its section's score beats the runner-up's by this many nats.
#: On the names the keywords left undecided in nine evaluation sets (each scored by a table
#: learnt from the other eight) guesses with a margin >= 2 were right 66 % of the time, those
#: between 1 and 2 about half: a coin toss is left undecided (for review) rather than shown.
SIMILAR_MARGIN = 2.0
_SIMILAR_ALPHA = 0.1  # additive smoothing of the gram counts
#: names scored at once: their grams' (grams × 20) log-probabilities are gathered in one
#: array (~40 grams a name: 4,096 names ≈ 26 MB, where 100,000 names at once took 700 MB)
_SIMILAR_CHUNK = 4096


def similar_grams(core: str) -> set[str]:
    """The features of a name's core for :func:`guess_similar`: its single characters and
    pairs, and its last one, two and three characters marked with ``$`` (Chinese names are
    head-final: 厂, 园, 路 at the end say more than in the middle).

    >>> sorted(similar_grams("铝材"))
    ['$材', '$铝材', '材', '铝', '铝材']
    """
    grams = {core[i:i + n] for n in (1, 2) for i in range(len(core) - n + 1)}
    grams.update("$" + core[-n:] for n in (1, 2, 3) if len(core) >= n)
    return grams


@derived_cache
@lru_cache(maxsize=1)
def _similar() -> tuple[_GramIndex, np.ndarray, np.ndarray, np.ndarray]:
    """``industry_similar.csv`` as log-probabilities: the grams' index, the grams, the (grams × 20) matrix
    of log P(gram | section) and the log prior of each section (-inf: no labelled name)."""
    return _similar_from(load_table("industry_similar"))


def _gram_counts(t: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``gram, section, names`` table (``industry_similar.csv``) as its distinct grams, the
    (grams × 20) matrix of how many labelled names of each section hold each, and the number
    of labelled names per section (the :data:`SIMILAR_PRIOR` rows)."""
    letters = {s: i for i, s in enumerate(_SECTION_LETTERS)}
    width = len(_SECTION_LETTERS)
    # plain Python and bincount: pandas' to_numeric, map and np.add.at took ~25 ms of a
    # cold engine build (50,000 rows)
    count = np.asarray(t["names"].tolist(), dtype="float64")
    sec = np.fromiter((letters[s] for s in t["section"].tolist()), "int64", len(t))
    prior_rows = (t["gram"] == SIMILAR_PRIOR).to_numpy()
    prior = np.bincount(sec[prior_rows], weights=count[prior_rows], minlength=width)
    codes, uniq = pd.factorize(t.loc[~prior_rows, "gram"])
    table = np.bincount(codes * width + sec[~prior_rows], weights=count[~prior_rows],
                        minlength=len(uniq) * width).reshape(len(uniq), width)
    return np.asarray(uniq, dtype=object), table, prior


def _similar_from(t: pd.DataFrame) -> tuple[_GramIndex, np.ndarray, np.ndarray, np.ndarray]:
    uniq, table, prior = _gram_counts(t)
    per_section = table.sum(axis=0)
    logp = np.log((table + _SIMILAR_ALPHA) / (per_section + _SIMILAR_ALPHA * len(uniq)))
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior / prior.sum())
    return _GramIndex.of(uniq.tolist()), uniq, logp, log_prior


_CHAR_BITS = 14  # a character's number in a gram key (the table holds ~2,300 characters)


class _GramIndex(NamedTuple):
    """The grams of the similar-names table as numbers, so that a name's grams are looked up
    with one ``searchsorted`` rather than one dict look-up each: every character of the table
    gets a number (1…; 0 for one the table lacks) and a gram the key
    ``kind << 3·bits | numbers``, kind 1–2 for one or two characters, 3–5 for the
    last one, two or three characters (``$``)."""

    chars: np.ndarray  # the table's characters' code points, sorted (number = position + 1)
    keys: np.ndarray  # the grams' keys, sorted
    rows: np.ndarray  # the table row of each key

    @classmethod
    def of(cls, grams: list[str]) -> _GramIndex:
        chars = np.asarray(sorted({ord(c) for g in grams for c in g.lstrip("$")}), dtype="int64")
        if len(chars) >= 1 << _CHAR_BITS:
            raise ValueError(f"similar-names table: {len(chars)} characters, at most "
                             f"{(1 << _CHAR_BITS) - 1}")
        number = {c: i + 1 for i, c in enumerate(chars.tolist())}
        keys = []
        for g in grams:
            core = g.lstrip("$")
            kind = len(core) + 2 if g.startswith("$") else len(core)
            key = kind
            for c in core:
                key = (key << _CHAR_BITS) | number[ord(c)]
            keys.append(key << _CHAR_BITS * (3 - len(core)))
        keys_arr = np.asarray(keys, dtype="int64")
        order = np.argsort(keys_arr, kind="stable")
        return cls(chars, keys_arr[order], order.astype("int64"))

    def lookup(self, cores: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The table rows of each core's grams (:func:`similar_grams`), each once, in
        ascending order per core: the rows and where each core's rows start."""
        n = len(cores)
        lens = np.fromiter(map(len, cores), dtype="int64", count=n)
        cps = np.frombuffer("".join(cores).encode("utf-32-le"), dtype="<u4").astype("int64")
        ids = np.zeros(len(cps), dtype="int64")  # each character's number (0: not in the table)
        if len(cps) and len(self.chars):
            at = np.minimum(np.searchsorted(self.chars, cps), len(self.chars) - 1)
            ids = np.where(self.chars[at] == cps, at + 1, 0)
        end = np.cumsum(lens)
        who = np.repeat(np.arange(n), lens)  # the name each character belongs to
        b = _CHAR_BITS
        one = (1 << 3 * b) | (ids << 2 * b)
        nxt = np.flatnonzero(np.arange(1, len(ids)) < end[who[:-1]])  # a pair starts here
        two = (2 << 3 * b) | (ids[nxt] << 2 * b) | (ids[nxt + 1] << b)
        parts, owner = [one, two], [who, who[nxt]]
        for k in (1, 2, 3):  # the name's last k characters
            has = np.flatnonzero(lens >= k)
            last = end[has] - k
            key = np.full(len(has), k + 2, dtype="int64")
            for j in range(k):
                key = (key << b) | ids[last + j]
            parts.append(key << b * (3 - k))
            owner.append(has)
        keys, owner = np.concatenate(parts), np.concatenate(owner)
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        hit = (self.keys[at] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        pair = np.unique((owner[hit] << 32) | self.rows[at[hit]])  # each gram once, in order
        rows = pair & ((1 << 32) - 1)
        starts = np.searchsorted(pair >> 32, np.arange(n))
        return rows, starts


_TWO_CJK = re.compile(f"[{CJK}].*[{CJK}]", re.S)


def guess_similar(cores: list[str]):
    """Guess the section of names no keyword decided from the labelled names they resemble.

    A naive-Bayes vote of the name's characters and character pairs, learnt from the real
    project names of ``tests/data/industry_eval/`` (``scripts/make_industry_similar.py``):
    湘桂生态肥 resembles the labelled names with 肥 (C), 察隅县…新村 those with 新村 (K).

    Returns the section number (-1: no guess — fewer than two Chinese characters, no gram
    known, or the margin below
    :data:`SIMILAR_MARGIN`), the runner-up's number and, per name, the grams that speak most
    for the winner over the runner-up (for the rule text).
    """
    if len(cores) > _SIMILAR_CHUNK:  # bounded memory: the gram scores of a chunk at a time
        parts = [guess_similar(cores[i:i + _SIMILAR_CHUNK])
                 for i in range(0, len(cores), _SIMILAR_CHUNK)]
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                [e for p in parts for e in p[2]])
    index, grams, logp, log_prior = _similar()
    n = len(cores)
    # dddd, XX, A1: no name to go by
    named = [c if _TWO_CJK.search(c) else "" for c in cores]
    rows_arr, starts = index.lookup(named)
    ends = np.append(starts[1:], len(rows_arr))
    known = ends > starts
    best = np.full(n, -1, dtype="int64")
    second = np.full(n, -1, dtype="int64")
    evidence: list[list[str]] = [[] for _ in range(n)]
    if not len(rows_arr):
        return best, second, evidence
    score = np.full((n, logp.shape[1]), -np.inf)
    score[known] = np.add.reduceat(logp[rows_arr], starts[known], axis=0) + log_prior
    order = np.argsort(-score, axis=1, kind="stable")
    at = np.arange(n)
    top, runner = order[:, 0], order[:, 1]
    gap = np.where(known, score[at, top] - np.where(known, score[at, runner], 0), -np.inf)
    ok = known & (gap >= SIMILAR_MARGIN)
    best[ok], second[ok] = top[ok], runner[ok]
    for i in np.flatnonzero(ok).tolist():
        mine = rows_arr[starts[i]:ends[i]]
        lead = logp[mine, top[i]] - logp[mine, runner[i]]
        said: list[str] = []  # the two grams that lead most, 新村 once (not also $新村)
        for k in np.argsort(-lead, kind="stable").tolist():
            if lead[k] <= 0 or len(said) == 2:
                break
            if grams[mine[k]].lstrip("$") not in {g.lstrip("$") for g in said}:
                said.append(grams[mine[k]])
        evidence[i] = said
    return best, second, evidence
