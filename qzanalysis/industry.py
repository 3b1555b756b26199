"""Industry of a project: GB/T 4754-2017 section (门类), division (大类) and 三次产业 sector.

The tables are data files in ``qzanalysis/rules/``:

- ``gbt4754_sections.csv`` (``section,name,short_name,sector``): the 20 门类 A–T;
- ``gbt4754_divisions.csv`` (``division,section,name,sector``): the 97 大类 01–97, with the
  2018 三次产业划分规定 exceptions (A05, B11 and C43 are 第三产业);
- ``industry_keywords.csv`` (``keyword,section,division,priority,note``): what words in a
  project name say about its industry;
- ``local_categories.csv`` (``word,sections,note``): the category words offices use
  (工业, 农业, 城建 …) and the sections each allows.

How keyword rules decide
------------------------
A fixed-asset-investment statistician files a project under the industry of its future
activity: 奶牛养殖基地建设 is 畜牧业 (A03), not construction; 皂郊水厂改扩建 is 水的生产和供应
(D46). The keyword table encodes that with ``priority``:

- among the keywords found in a name, the one with the highest priority decides the
  section (ties: the one that comes first in the name; at one position the longest);
  specific compounds (垃圾焚烧发电 → D44, 光伏组件 → C38, 通村道路 → G54) stand at 90,
  activity and facility words (养殖, 加工, 生产线, 医院, 批发市场) at 80, products at 60–70,
  weak words (生产, 厂, 设备) at 50 or below;
- the division comes from the deciding keyword, or else from the best keyword *of the same
  section* that has one (深加工 decides C, 蜂产品 gives C14);
- rows with priority 0 never decide a section: they only give the division once a section
  is chosen (核桃 under C → C13, 鱼 under A → A04).

Everything is column-wise: one regular-expression pass with one alternation per priority
level (tried in priority order inside one pattern), on distinct texts only.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from qzanalysis.rules import load_table
from qzanalysis.text import normalize_text, normalize_value

__all__ = [
    "sections",
    "divisions",
    "industry_rules",
    "local_categories",
    "match_keywords",
    "quick_normalize",
    "SECTORS",
]

SECTORS: tuple[str, ...] = ("第一产业", "第二产业", "第三产业")
_RULE_COLUMNS = ["keyword", "section", "division", "priority", "origin", "note"]


@lru_cache(maxsize=1)
def _sections() -> pd.DataFrame:
    table = load_table("gbt4754_sections")
    if list(table["section"]) != [chr(c) for c in range(ord("A"), ord("T") + 1)]:
        raise ValueError("rules/gbt4754_sections.csv must list the 20 sections A–T in order")
    return table


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


def _check_rules(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """Validate and normalise keyword rules; errors name the table and the bad values."""
    missing = {"keyword", "section"} - set(table.columns)
    if missing:
        raise ValueError(f"{where}: missing column(s) {sorted(missing)}; need keyword, section")
    t = table.reindex(columns=_RULE_COLUMNS).copy()
    for col in ("keyword", "section", "division", "note", "origin"):
        t[col] = t[col].astype("str").str.strip().replace("", pd.NA)
    t["keyword"] = normalize_text(t["keyword"])
    t["section"] = t["section"].str.upper()
    t["division"] = t["division"].str.replace(r"^[A-Ta-t]", "", regex=True).str.zfill(2)
    bad_sec = sorted(set(t["section"].dropna()) - set(_sections()["section"]))
    if bad_sec:
        raise ValueError(f"{where}: unknown section {bad_sec}; allowed A–T")
    div_section = dict(zip(_divisions()["division"], _divisions()["section"], strict=True))
    has_div = t["division"].notna()
    wrong = t[has_div & (t["division"].map(div_section) != t["section"])]
    if len(wrong):
        pairs = [f"{k}:{s}{d}" for k, s, d in wrong[["keyword", "section", "division"]].values]
        raise ValueError(f"{where}: division not in its section {pairs[:10]}")
    prio = pd.to_numeric(t["priority"], errors="coerce")
    if prio[t["priority"].notna()].isna().any():
        raise ValueError(f"{where}: priority must be a number")
    t["priority"] = prio.fillna(80).astype("int64")
    return t[t["keyword"].notna() & t["section"].notna()].reset_index(drop=True)


def industry_rules(extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keyword rules: the analyst's ``extra`` rows first (they win), then the shipped table.

    Columns ``keyword, section, division, priority, origin, note``; ``origin`` is
    ``用户规则`` for the analyst's rows and ``关键词`` for shipped ones. An analyst's rule
    outranks every shipped rule whatever its priority; among analyst rules, priority
    (default 80) and then position in the name decide.

    >>> r = industry_rules(pd.DataFrame({"keyword": ["香菇"], "section": ["C"], "division": ["13"]}))
    >>> r.iloc[0][["keyword", "section", "division", "origin"]].tolist()
    ['香菇', 'C', '13', '用户规则']
    """
    shipped = _check_rules(load_table("industry_keywords"), "rules/industry_keywords.csv")
    shipped["origin"] = "关键词"
    if extra is None or not len(extra):
        return shipped
    user = _check_rules(extra, "rules=")
    user["origin"] = "用户规则"
    return pd.concat([user, shipped], ignore_index=True)


def local_categories() -> pd.DataFrame:
    """Local category words (工业, 农业, 城建 …) and the sections each allows (``sections``)."""
    table = load_table("local_categories")
    table["word"] = normalize_text(table["word"])
    bad = set("".join(table["sections"]).replace(" ", "")) - set(_sections()["section"])
    if bad:
        raise ValueError(f"rules/local_categories.csv: unknown section {sorted(bad)}")
    return table


# ---------------------------------------------------------------- matching engine


@lru_cache(maxsize=1)
def _guards() -> dict[str, str]:
    """First characters of keywords that may not follow a given character (place names).

    天水 blocks keywords starting with 水 right after 天 (天水产业园 is not 水产); the forms
    with 市/县/区/镇/乡 block 县道 in 甘谷县道路 and 市政 in 天水市政务.
    """
    guards: dict[str, set[str]] = {}
    for name in load_table("place_names")["name"]:
        name = normalize_value(name)
        for form in (name, *(name + s for s in "市县区镇乡")):
            if len(form) >= 2:
                guards.setdefault(form[-1], set()).add(form[-2])
    return {ch: "".join(sorted(prev)) for ch, prev in guards.items()}


def _trie_regex(words: list[str], guards: dict[str, str] | None = None) -> str:
    """One regular expression matching any of ``words``, longest first, factored as a trie.

    ``guards`` maps a first character to characters it may not follow (a lookbehind).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict, root: bool = False) -> str:
        ends = "" in node
        alts = []
        for ch, sub in sorted(node.items()):
            if ch == "":
                continue
            guard = (guards or {}).get(ch) if root else None
            lookbehind = f"(?<![{re.escape(guard)}])" if guard else ""
            alts.append(lookbehind + re.escape(ch) + emit(sub))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
        return body + ("?" if ends else "")

    return emit(trie, root=True)


class _Matcher:
    """Compiled keyword rules: which rule decides for each text (column-wise)."""

    def __init__(self, rules: pd.DataFrame):
        # One keyword per matcher: the first (highest-ranked) row holding it wins.
        ranked = rules.assign(_user=(rules["origin"] == "用户规则").astype(int))
        ranked = ranked.assign(_row=np.arange(len(ranked)))
        ranked = ranked.sort_values(
            ["_user", "priority", "_row"], ascending=[False, False, True], kind="stable"
        )
        ranked = ranked.drop_duplicates("keyword")
        self.rule_of = dict(zip(ranked["keyword"], ranked["_row"], strict=True))
        # The alternation of each priority level locates the decisive position (a
        # lookahead, tried in priority order); one capture then reads the keyword there.
        # At that position the longest keyword wins (compounds refine their stems).
        guards = _guards()
        tiers = []
        for _, group in ranked.groupby(["_user", "priority"], sort=False):
            words = list(group["keyword"])
            first = "".join(sorted({re.escape(w[0]) for w in words}))
            tiers.append(f".*?(?=[{first}])(?={_trie_regex(words, guards)})")
        every = _trie_regex(list(ranked["keyword"]), guards)
        self.pattern = "^(?:" + "|".join(tiers) + f")({every})" if tiers else None

    def match(self, text: pd.Series) -> pd.Series:
        """Row number (in the rules frame) of the deciding rule; -1 where none matched."""
        out = pd.Series(-1, index=text.index, dtype="int64")
        if self.pattern is None or not len(text):
            return out
        keyword = text.str.extract(self.pattern, expand=False)
        hit = keyword.notna()
        out[hit] = keyword[hit].map(self.rule_of).astype("int64")
        return out


def match_keywords(text: pd.Series, rules: pd.DataFrame) -> pd.Series:
    """Row number in ``rules`` of the keyword rule that decides each text; -1 for none.

    Highest priority wins (analyst rules above all shipped ones), then the keyword that
    comes first in the text, then the longest at that position.

    >>> r = industry_rules()
    >>> i = match_keywords(pd.Series(["西联蜂业蜂产品深加工", "皂郊水厂改扩建", "说明"]), r)
    >>> r.loc[i[i >= 0], "keyword"].tolist(), int(i.iloc[2])
    (['深加工', '水厂'], -1)
    """
    return _Matcher(rules).match(text)


# ---------------------------------------------------------------- text preparation

def _changes_matching(ch: str) -> bool:
    """Would normalising this character change what a keyword can match?"""
    if ch.isspace():
        return True
    new = normalize_value(ch)
    # full-width brackets or commas become ASCII: harmless; letters, digits, traditional
    # characters and anything that vanishes are not
    return new != ch and (new == "" or any(c.isalnum() for c in new))


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
    present = s.dropna()
    if not len(present):
        return s.where(s != "", pd.NA)
    chars = set("".join(pd.unique(present)))
    dirty = sorted(c for c in chars if _changes_matching(c))
    if not dirty:
        return s.where(s != "", pd.NA)
    cls = "[" + "".join(re.escape(c) for c in dirty) + "]"
    todo = s.str.contains(cls, regex=True, na=False)
    out = s.copy()
    out[todo] = normalize_text(s[todo])
    return out.where(out != "", pd.NA)
