"""Classify projects by stage, funding channel and industry (GB/T 4754-2017).

``classify(df)`` returns a new DataFrame with the category columns of DESIGN.md
(``stage``, ``funding_channel``, ``funding_detail``, ``industry_section``,
``industry_division``, ``industry_group``, ``industry_class``, ``sector``,
``industry_confidence``, ``industry_runner_up``, ``industry_rule``); every decision is
explained in ``industry_rule`` and every gap is reported by :func:`classification_findings`
and listed, with the words that nearly matched, by :func:`unclassified` (which also lists the
industries decided with low confidence, for review).

Industry is decided in this order (the first that decides wins):

1. an ``industry`` column (then a ``section`` label) that names a GB/T 4754 industry —
   an official section or division name, a code (``C``, ``C13``, ``13``) or a variant
   from ``rules/industry_names.csv`` (制造业, 房地产业, 批发和零售业 …);
2. keyword rules over ``project_name``, then over ``content``: analyst rules first, then
   the hand-written ``rules/industry_keywords.csv``, then the terms generated from the
   standard (``rules/gbt4754_keywords.csv``); the head of the name (the facility or
   activity at its end) decides over the words before it (see :mod:`qzanalysis.industry`);
3. a local category word (工业, 农业, 城建, 社会事业, 商贸, 文旅 …, in ``industry`` or
   ``section``; ``rules/local_categories.csv``) only *narrows*: keywords outside the sections
   it allows are ignored; when it allows one section only, that section is taken. It is
   never a default bucket: where nothing decides, the industry stays missing.

``industry_confidence`` is ``high`` for an industry column, an analyst rule or a facility
word nothing contests, ``medium`` for a product word, a contested facility word or a
specific term of the standard, ``low`` for a weak word, a category alone or a contested
term (one step lower when only the content decided). ``industry_runner_up`` is the section
of the best keyword of another section, where there was one.

Analyst rules (``rules=``)
--------------------------
A CSV path or a DataFrame with a ``keyword`` column (``word`` also accepted) and, per row,
exactly one target: ``section`` (with optional ``division`` and ``priority``) for an
industry rule, ``channel`` for a funding rule, ``stage`` for a stage word; ``note`` is
free text. Example file::

    keyword,section,division,channel,stage,note
    香菇酱,C,14,,,our mushroom sauce plant
    棚户区,K,70,,,
    以工代赈,,,国家预算资金,,
    已摘牌,,,,前期,land acquired, not started

Analyst rules win over the shipped tables; ``industry_rule`` then starts with ``用户规则``.
The file may also be a review list from :func:`unclassified` (CSV or Excel) with
``correct_section`` (and ``correct_division``) filled in: each filled row becomes a rule
for that project; blank rows are skipped.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from qzanalysis import industry as ind
from qzanalysis.channels import funding_columns
from qzanalysis.findings import findings_frame
from qzanalysis.rules import load_table
from qzanalysis.stages import analyst_words, clean_section, stage_exact, stage_words, to_stage
from qzanalysis.text import MISSING_RE, factorize_strings
from qzanalysis.vocab import CATEGORY_COLUMNS, STAGE_DTYPE

__all__ = ["classify", "read_rules", "unclassified", "classification_findings"]

_SECTION_RE = re.compile(r"^([A-Ta-t])?\s*(\d{2})?(?![\d])")
_SUFFIX_RE = r"(?:类?项目|类|行业|产业类)$"


# ---------------------------------------------------------------- analyst rules


def read_rules(rules: str | os.PathLike | pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Split an analyst's rules into ``industry``, ``channel`` and ``stage`` tables.

    >>> r = read_rules(pd.DataFrame({"keyword": ["香菇酱", "以工代赈"], "section": ["C", None],
    ...                              "channel": [None, "国家预算资金"]}))
    >>> len(r["industry"]), r["channel"]["keyword"].tolist(), r["stage"] is None
    (1, ['以工代赈'], True)
    """
    empty = {"industry": None, "channel": None, "stage": None, "reader": None}
    if rules is None:
        return empty
    if isinstance(rules, pd.DataFrame):
        table = rules.copy()
    else:
        try:
            if str(rules).lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
                table = pd.read_excel(rules, dtype=str, engine="calamine").fillna("")
            else:
                table = pd.read_csv(rules, dtype=str, keep_default_na=False,
                                    encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
            raise ValueError(f"rules={rules!r}: 无法读取规则文件（{exc}）") from exc
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "correct_section" in table.columns:  # a review list from unclassified(), filled in
        table = _review_rules(table)
    if "keyword" not in table.columns and "word" in table.columns:
        table = table.rename(columns={"word": "keyword"})
    if "keyword" not in table.columns:
        raise ValueError(
            f"rules=：规则表需要 keyword 列（关键词），现有的列：{list(table.columns)}；"
            "每一行再填 section / channel / stage / role 中的一列"
        )
    table = table.astype("str").apply(lambda c: c.str.strip()).replace({"": pd.NA, "nan": pd.NA})
    targets = [c for c in ("section", "channel", "stage", "role") if c in table.columns]
    if not targets:
        raise ValueError("rules=：规则表每一行要填 section（行业门类）、channel（资金渠道）、"
                         "stage（阶段）或 role（读表用词）中的一列，表中没有这些列")
    filled = table[targets].notna().sum(axis=1)
    if (filled != 1).any():
        bad = table.loc[filled != 1, "keyword"].tolist()[:5]
        raise ValueError(f"rules=：每一行只能填 {'、'.join(targets)} 中的一列，请核对这些关键词：{bad}")
    out = dict(empty)
    if "section" in table:
        out["industry"] = table[table["section"].notna()].reset_index(drop=True)
    if "channel" in table:
        out["channel"] = table.loc[table["channel"].notna(), ["keyword", "channel"]]
    if "stage" in table:
        words = table.loc[table["stage"].notna(), ["keyword", "stage"]]
        out["stage"] = words.rename(columns={"keyword": "word"}).reset_index(drop=True)
    if "role" in table:  # the reader's words (qz.load(rules=…)): skip_sheet, note_prefix …
        out["reader"] = table.loc[table["role"].notna(), ["keyword", "role"]].reset_index(
            drop=True)
    return out


def _review_rules(review: pd.DataFrame) -> pd.DataFrame:
    """Industry rules from a filled-in review list: one rule per row with a correct_section.

    The keyword is the ``keyword`` column (:func:`unclassified` fills it with the project
    name), so each rule decides that project; rows left blank are skipped.
    """
    if "keyword" not in review.columns:
        raise ValueError("rules=：复核清单需要 keyword 列（unclassified() 导出时已有），"
                         "与 correct_section 列一起")
    table = pd.DataFrame({
        "keyword": review["keyword"].astype("str"),
        "section": review["correct_section"].astype("str").str.strip().str.upper(),
        "division": review.get("correct_division", pd.Series(pd.NA, index=review.index)),
        "note": "复核",
    })
    filled = table["section"].notna() & (table["section"] != "") & (table["section"] != "NAN")
    return table[filled & table["keyword"].notna()].reset_index(drop=True)


# ---------------------------------------------------------------- industry column


def _gb_names() -> dict[str, tuple[str, str | None]]:
    """Every name that designates a GB/T 4754 industry → (section, division or None)."""
    names: dict[str, tuple[str, str | None]] = {}
    sec = ind.sections()
    for col in ("name", "short_name"):
        for name, s in zip(sec[col], sec["section"], strict=True):
            names[name.replace("、", "")] = (s, None)
    div = ind.divisions()
    for name, s, d in zip(div["name"], div["section"], div["division"], strict=True):
        names[name.replace("、", "")] = (s, d)
    var = load_table("industry_names")
    for name, s, d in zip(var["name"], var["section"], var["division"], strict=True):
        names[name] = (s, d or None)
    return names


def _clean_category(values: pd.Series) -> pd.Series:
    # a category column repeats a few words down the ledger: clean each distinct one once
    codes, uniq = factorize_strings(values.astype("str").to_numpy(dtype=object))
    s = clean_section(pd.Series(uniq, dtype="str"))
    s = s.str.replace(r"[、,，\s]", "", regex=True).str.replace(_SUFFIX_RE, "", regex=True)
    s = s.where(s != "", pd.NA)
    return pd.Series(s.array.take(codes, allow_fill=True), index=values.index)


def _gb_lookup(values: pd.Series) -> pd.DataFrame:
    """Section / division named by an industry column (exact name, code, or contained name)."""
    clean = _clean_category(values)
    names = _gb_names()
    local = set(ind.local_categories()["word"])
    out = pd.DataFrame({"section": pd.NA, "division": pd.NA}, index=values.index, dtype="str")
    uniq = pd.Series(pd.unique(clean.dropna()), dtype="str")
    if not len(uniq):
        return out
    hit_s = pd.Series(pd.NA, index=uniq.index, dtype="str")
    hit_d = pd.Series(pd.NA, index=uniq.index, dtype="str")
    is_local = uniq.isin(local)
    name_section = {n: v[0] for n, v in names.items()}
    name_division = {n: v[1] for n, v in names.items() if v[1]}
    got = uniq.isin(name_section.keys()) & ~is_local
    hit_s[got] = uniq[got].map(name_section)
    hit_d[got] = uniq[got].map(name_division)
    code = uniq.str.extract(r"^(?P<sec>[A-Ta-t])?(?P<div>\d{2})?(?:[\s:：.、]|$)")
    div_sec = dict(zip(ind.divisions()["division"], ind.divisions()["section"], strict=True))
    code_div = code["div"].where(code["div"].isin(div_sec.keys()))
    code_sec = code["sec"].str.upper().fillna(code_div.map(div_sec))
    ok = hit_s.isna() & code_sec.notna() & (code_div.isna() | (code_div.map(div_sec) == code_sec))
    hit_s[ok] = code_sec[ok]
    hit_d[ok] = code_div[ok]
    long_names = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
    todo = hit_s.isna() & ~is_local
    if todo.any() and long_names:
        alternation = "|".join(re.escape(n) for n in long_names)
        found = uniq[todo].str.extract(f"({alternation})", expand=False)
        got = found.notna()
        idx = found[got].index
        hit_s[idx] = found[got].map(name_section)
        hit_d[idx] = found[got].map(name_division)
    lookup_s = dict(zip(uniq, hit_s, strict=True))
    lookup_d = dict(zip(uniq, hit_d, strict=True))
    out["section"] = clean.map(lookup_s).astype("str")
    out["division"] = clean.map(lookup_d).astype("str")
    return out


def _category_sections(values: pd.Series) -> pd.Series:
    """Sections a local category word allows (``'B C D'``), missing when not a category."""
    table = ind.local_categories()
    clean = _clean_category(values)
    allowed = clean.map(dict(zip(table["word"], table["sections"], strict=True)))
    todo = allowed.isna() & clean.notna()
    if todo.any():
        words = sorted(table["word"], key=len, reverse=True)
        found = clean[todo].str.extract("(" + "|".join(map(re.escape, words)) + ")", expand=False)
        allowed[todo] = found.map(dict(zip(table["word"], table["sections"], strict=True)))
    return allowed.astype("str")


# ---------------------------------------------------------------- keyword passes

_SECTION_LETTERS = tuple(chr(c) for c in range(ord("A"), ord("T") + 1))


class _Texts(NamedTuple):
    """A text column as distinct normalised values: ``uniq[codes[row]]`` (code -1: missing)."""

    codes: np.ndarray
    uniq: np.ndarray  # object array of str ("" where normalising left nothing; code -1)
    joined: ind.Joined | None  # the distinct texts joined for the scan, when normalising changed nothing

    @classmethod
    def of(cls, values: pd.Series) -> _Texts:
        codes, uniq = factorize_strings(values.astype("str").to_numpy(dtype=object))
        norm, joined = ind.normalize_distinct(uniq, with_joined=True)
        if len(norm) and (joined is None or joined.has_empty):
            empty = pd.isna(norm)
            codes = np.where((codes >= 0) & empty[np.maximum(codes, 0)], -1, codes)
            norm[empty] = ""  # never looked up (its rows have code -1); keeps uniq all text
        return cls(codes, norm, joined)


def _section_mask(allow: str) -> int:
    return sum(1 << (ord(s) - ord("A")) for s in allow.split())


def _section_masks(allow: np.ndarray) -> np.ndarray:
    """:func:`_section_mask` of each (non-missing) category, worked out once per distinct one."""
    codes, cats = pd.factorize(allow)
    return np.asarray([_section_mask(c) for c in cats], dtype="int64")[codes]


def _labels(eng, d: dict[str, np.ndarray], where: str) -> tuple[np.ndarray, list[str]]:
    """``关键词:4S店→F52（设施/活动词，先于“汽车”→C）`` for each decided text.

    Built once per distinct combination of deciding, refining and runner-up keywords:
    returns the number of each text's label (-1: undecided) and the labels.
    """
    n = len(d["win"])
    out = np.full(n, -1, dtype="int64")
    has = np.flatnonzero(d["win"] >= 0)
    if not len(has):
        return out, []
    later = np.where((d["runner_end"] == 0) & (d["win_end"] > 0), 2,
                     (d["win_end"] > d["runner_end"]).astype("int64"))[has]
    k1, _ = pd.factorize((d["win"][has] << 20) | (d["div_kw"][has] + 1))
    k2, _ = pd.factorize(((d["cls_kw"][has] + 1) << 21) | ((d["runner"][has] + 1) << 2) | later)
    inverse, combo = pd.factorize((k1.astype("int64") << 32) | k2)
    first = np.full(len(combo), -1, dtype="int64")
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)  # first row of each combo
    r = eng.rules
    kw, sec, div = r["keyword"].to_numpy(), r["section"].to_numpy(), r["division"].to_numpy()
    grp, cls, origin = r["group"].to_numpy(), r["class"].to_numpy(), r["origin"].to_numpy()
    text = []
    for i in has[first].tolist():
        w, dk, ck, rk = (int(d[k][i]) for k in ("win", "div_kw", "cls_kw", "runner"))
        s = sec[w]
        label = f"{origin[w]}{where}:{kw[w]}→{s}{div[w] if isinstance(div[w], str) else ''}"
        if dk >= 0:
            label += f"；{kw[dk]}→{s}{div[dk]}"
        if ck >= 0 and ck != dk:
            code = cls[ck] if isinstance(cls[ck], str) else grp[ck]
            label += f"；{kw[ck]}→{s}{code}"
        if rk >= 0 and origin[w] != ind.ORIGIN_USER:
            if d["runner_end"][i] == 0 and d["win_end"][i] > 0:
                why = "仓储、研发等为生产配套" if eng.serving[rk] else "括号内或“及”“和”之后只是说明"
            elif eng.strong[w] and eng.strong[rk] and d["win_end"][i] > d["runner_end"][i]:
                why = "末尾中心词"
            elif eng.strong[w] and not eng.strong[rk]:
                why = "设施/活动词"
            else:
                why = "优先级较高" if eng.tier[w] > eng.tier[rk] or eng.prio[w] > eng.prio[rk] \
                    else "位置在后"
            label += f"（{why}，先于“{kw[rk]}”→{sec[rk]}）"
        text.append(label)
    out[has] = inverse
    return out, text


def _codes_text(values: np.ndarray, width: int) -> pd.Series:
    """Integer codes per row → zero-padded text (``5`` → ``"05"``), missing where 0.

    One table entry per possible code (100, 1,000 or 10,000): the rows are a plain take.
    """
    table = np.asarray([None] + [f"{u:0{width}d}" for u in range(1, 10**width)], dtype=object)
    return _take_text(table, np.where(values > 0, values, -1))


def _take_text(table: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``table[codes]`` as a string Series (missing where the code is -1), without re-checking
    every row: the table is validated once, the rows are a take."""
    table = pd.array(np.asarray(table, dtype=object), dtype="str")
    return pd.Series(table.take(np.asarray(codes, dtype="int64"), allow_fill=True), dtype="str")


class _Decision(NamedTuple):
    """The industry columns per row, as integer codes (cheap to scatter over a million rows)."""

    section: np.ndarray  # 0–19 (A–T), -1 none
    division: np.ndarray  # 1–97, 0 none
    group: np.ndarray  # 11–972, 0 none
    klass: np.ndarray  # 0111–9700, 0 none
    confidence: np.ndarray  # index into _CONFIDENCE, -1 none
    runner_up: np.ndarray  # 0–19, -1 none
    rule: np.ndarray  # index into the list of rule texts, -1 none
    soft: np.ndarray  # True: decided by a weak word (技改, 生态) or one set aside (a bracket,
    # after 及配套, the company's name): a specific head word may still overrule it
    street: np.ndarray  # True: decided by a street word (道路, 大道): a road's code overrules it

    @classmethod
    def empty(cls, n: int) -> _Decision:
        minus, zero = np.full(n, -1, dtype="int64"), np.zeros(n, dtype="int64")
        return cls(minus, zero, zero.copy(), zero.copy(), minus.copy(), minus.copy(), minus.copy(),
                   np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))

    def put(self, rows: np.ndarray, other: _Decision, hit: np.ndarray) -> None:
        for mine, theirs in zip(self, other, strict=True):
            mine[rows[hit]] = theirs[hit]

    def clear(self, rows: np.ndarray) -> None:
        for col, none in zip(self, (-1, 0, 0, 0, -1, -1, -1, False, False), strict=True):
            col[rows] = none


_CONFIDENCE = np.asarray(["low", "medium", "high"], dtype=object)


def _confidence(eng, d: dict[str, np.ndarray]) -> np.ndarray:
    """2 high: an analyst rule, or a facility/activity word no other section's facility word
    contests; 1 medium: a product word of the hand-written table (uncontested by a stronger
    word), a contested facility word, or an uncontested specific term of the standard;
    0 low: everything else (weak words, contested or short terms of the standard)."""
    win, run = d["win"], d["runner"]
    w, r = np.maximum(win, 0), np.maximum(run, 0)
    contested = run >= 0
    strong_run = contested & eng.strong[r]
    user, strong, hand = eng.user[w], eng.strong[w], eng.hand[w]
    prio = eng.prio[w]
    product = hand & ~strong & (prio >= 60)
    gb_ok = ~hand & ~user & (eng.length[w] >= 3) & ~contested
    conf = np.select(
        [user, strong & ~strong_run, strong, product & ~(contested & (eng.prio[r] >= prio)), gb_ok],
        [2, 2, 1, 1, 1],
        0,
    ).astype("int64")
    return np.where(win >= 0, conf, -1)


def _keyword_pass(
    eng, texts: _Texts, rows: np.ndarray, labels: list[str],
    allowed: np.ndarray | None = None, where: str = "", suffix: np.ndarray | None = None,
) -> tuple[_Decision, np.ndarray]:
    """Decide the rows ``rows`` (positions) from their texts, on distinct texts.

    ``allowed`` holds, per row of ``rows``, a bit mask of the sections a local category
    allows; ``suffix`` a text added to the rule of each row. Rule texts are appended to
    ``labels``. Returns the decision per row of ``rows`` and the mask of rows decided.
    """
    codes = texts.codes[rows]
    ok = np.flatnonzero(codes >= 0)
    if not len(ok):
        return _Decision.empty(len(rows)), np.zeros(len(rows), dtype=bool)
    if allowed is None and len(rows) == len(texts.codes):  # every row: the texts as they are
        inverse, distinct = codes[ok], np.arange(len(texts.uniq), dtype="int64")
        uniq, joined = texts.uniq.tolist(), texts.joined
    else:
        key = codes[ok] if allowed is None else (codes[ok] << 21) | allowed[ok]
        inverse, distinct = pd.factorize(key)
        distinct = np.asarray(distinct, dtype="int64")
        uniq, joined = texts.uniq[distinct if allowed is None else distinct >> 21].tolist(), None
    d = eng.decide(uniq, None if allowed is None else distinct & ((1 << 21) - 1), joined)
    has = d["win"] >= 0
    label_id, texts_of = _labels(eng, d, where)
    rule = np.where(label_id >= 0, label_id + len(labels), -1)
    labels.extend(texts_of)
    conf = _confidence(eng, d)
    if where:  # decided from the content only: one step less sure
        conf = np.where(conf > 0, conf - 1, conf)
    per_text = _Decision(
        section=np.where(has, eng.sec[np.maximum(d["win"], 0)], -1),
        division=d["division"], group=d["group"], klass=d["klass"], confidence=conf,
        runner_up=np.where(d["runner"] >= 0, eng.sec[np.maximum(d["runner"], 0)], -1),
        rule=rule, soft=has & ((d["win_end"] == 0) | (eng.tier[np.maximum(d["win"], 0)] == 0)),
        street=has & eng.street[np.maximum(d["win"], 0)],
    )
    if len(ok) == len(rows):  # every row has a text: one gather per column, no scatter
        out = _Decision(*(theirs[inverse] for theirs in per_text))
    else:
        out = _Decision.empty(len(rows))
        for mine, theirs in zip(out, per_text, strict=True):
            mine[ok] = theirs[inverse]
    if suffix is not None:
        decided = out.rule >= 0
        pairs = pd.Series(list(zip(out.rule[decided].tolist(), suffix[decided].tolist(),
                                   strict=True)))
        pcode, puniq = pd.factorize(pairs)
        new = [labels[r] + s for r, s in puniq]
        out.rule[decided] = np.asarray(pcode, dtype="int64") + len(labels)
        labels.extend(new)
    return out, out.section >= 0


def _narrow_by_category(eng, texts: list[_Texts], res: _Decision, labels: list[str],
                        allowed: np.ndarray, cat_word: np.ndarray) -> None:
    """Re-decide, within the sections a local category allows, the rows whose keyword
    choice fell outside them (in place); a category allowing one section decides alone."""
    letters = {s: i for i, s in enumerate(_SECTION_LETTERS)}
    has_cat = np.flatnonzero(pd.notna(allowed))
    if not len(has_cat):
        return
    rule_of = np.asarray(labels + [""], dtype=object)[res.rule[has_cat]]
    by_keywords = np.asarray([r.startswith(("关键词", ind.ORIGIN_GB)) for r in rule_of])
    sec_of = res.section[has_cat]
    fits = _category_allows(sec_of, has_cat, allowed)
    redo = has_cat[(by_keywords & ~fits) | (sec_of < 0)]
    res.clear(redo)
    masks = _section_masks(allowed[redo])
    suffix = np.asarray([f"(类别:{c})" for c in cat_word[redo]], dtype=object)
    for i, text in enumerate(texts):
        todo = np.flatnonzero(res.section[redo] < 0)
        if not len(todo):
            break
        got, hit = _keyword_pass(eng, text, redo[todo], labels, masks[todo],
                                 "" if i == 0 else "(建设内容)", suffix[todo])
        res.put(redo[todo], got, hit)
    for r in redo[res.section[redo] < 0].tolist():
        single = allowed[r].split()
        if len(single) == 1:
            res.section[r] = letters[single[0]]
            res.rule[r] = len(labels)
            labels.append(f"类别:{cat_word[r]}→{single[0]}")
            res.confidence[r] = 0


def _division_within_column(eng, texts: list[_Texts], res: _Decision, labels: list[str],
                            from_column: np.ndarray) -> None:
    rows = np.flatnonzero(from_column & (res.division == 0) & (res.section >= 0))
    if not len(rows) or not texts:
        return
    mask = np.left_shift(1, res.section[rows]).astype("int64")
    got, hit = _keyword_pass(eng, texts[0], rows, labels, allowed=mask)
    same = hit & (got.section == res.section[rows]) & (got.division > 0)
    if not same.any():
        return
    take = rows[same]
    res.division[take] = got.division[same]
    res.group[take] = got.group[same]
    res.klass[take] = got.klass[same]
    # one rule text per (column label, keyword label) pair: 行业列:制造业；关键词:生产线→C23
    pair = res.rule[take] * (len(labels) + 1) + got.rule[same]
    codes, uniq = pd.factorize(pair)
    texts_of = [f"{labels[p // (len(labels) + 1)]}；{labels[p % (len(labels) + 1)]}"
                for p in np.asarray(uniq).tolist()]
    res.rule[take] = np.asarray(codes, dtype="int64") + len(labels)
    labels.extend(texts_of)


def _category_allows(sec: np.ndarray, rows: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Per row of ``rows``: does its ledger's local category (if it has one) allow the
    section numbered ``sec`` (-1: none, never allowed where there is a category)?"""
    ok = np.ones(len(rows), dtype=bool)
    has = np.flatnonzero(pd.notna(allowed[rows]))
    if len(has):
        mask = _section_masks(allowed[rows[has]])
        s = sec[has]
        ok[has] = (s >= 0) & (((mask >> np.maximum(s, 0)) & 1) == 1)
    return ok


#: a village or township in a name (铜盆村, 归昌乡), not a city that holds the character
#: (湘乡市, 乡宁县), 城乡 (town and country) or 中关村
_VILLAGE = re.compile("(?<!城)乡(?![市县])|(?<!中关)村")
#: a village, hamlet or village group: its roads are rural roads (公路, G5443), not a town's
#: streets (市政道路, N7810) — the standard's notes to 4813 and 7810. Not 新村 (a housing
#: estate) or 中关村; 乡 is left out (乡道 names a road class already and 安乡大道 is a
#: town's street)
_VILLAGE_ROAD = re.compile("(?<!城)(?<!中关)(?<!新)村|屯|[0-9一二三四五六七八九十]组|通组")
#: a town's street (向阳路, 东三环, 南湖路), not a highway (公路, 国道, 高速, 铁路)
_STREET = re.compile("(?<![公国省县乡铁高])(?:路|大道|大街|环)(?![桥线])")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
#: decisions that a word elsewhere in the name (outside brackets) turns: the rule texts they
#: start with, the word, the section and division they turn to, and why (for the rule text)
_TURNS = (
    (("关键词:道路→N78", "末尾词:路→N78"), _VILLAGE_ROAD, "G", 54, "村、屯、组里的道路是农村公路"),
    (("关键词:大桥→G54", "关键词:隧道→G54"), _STREET, "N", 78, "城市街道上的桥梁、隧道是市政设施"),
)


def _by_head(text: _Texts, res: _Decision, labels: list[str], allowed: np.ndarray) -> np.ndarray:
    """Decide, with low confidence, the rows no keyword decided from the word their name
    ends with (``rules/industry_heads.csv``): a street, a chemical, a housing estate, a
    park (in place). A specific head also overrules a weak word (锂辉矿技改扩建 is a mine)
    and a word set aside (in a bracket, after 及配套, in the company's name):
    鲁肃西路(严家滩大桥-平江大桥段)建设 is a street, not a bridge.
    A local category that does not allow the head's section wins.

    Returns each distinct name's core (the name without 项目, (一期) … at its end; None
    where this did not look at it), for :func:`_by_similar`."""
    cores = np.full(len(text.uniq), None, dtype=object)
    street = np.flatnonzero(res.street & ~res.soft & (text.codes >= 0))
    if len(street):  # a street word's names with a road's code in them (S308道路改建)
        coded = np.zeros(len(text.uniq), dtype=bool)
        u = np.unique(text.codes[street])
        coded[u] = ind.has_road_code(text.uniq[u].tolist())
        street = street[coded[text.codes[street]]]
    rows = np.flatnonzero(((res.section < 0) | res.soft) & (text.codes >= 0))
    rows = np.union1d(rows, street)
    if not len(rows):
        return cores
    distinct, inverse = np.unique(text.codes[rows], return_inverse=True)
    names = text.uniq[distinct].tolist()
    heads, cores[distinct] = ind.name_heads(names)
    letters = {s: i for i, s in enumerate(_SECTION_LETTERS)}
    # per distinct name: section, division, generic, rule number (-1: no head)
    sec_of = np.full(len(names), -1, dtype="int64")
    div_of = np.zeros(len(names), dtype="int64")
    generic_of = np.zeros(len(names), dtype=bool)
    rule_of = np.full(len(names), -1, dtype="int64")
    label_of: dict[tuple[str, str, str], int] = {}
    # the keyword that decided each distinct name so far (its first row's), for the rule text
    first_row = rows[np.unique(inverse, return_index=True)[1]]
    before = [labels[r].split("→")[0].split(":", 1)[-1] if r >= 0 else ""
              for r in res.rule[first_row].tolist()]
    for d, (word, name) in enumerate(zip(heads, names, strict=True)):
        if word is None:
            continue
        sec, div, generic, rule, village = ind.head_section(word)
        why = f"先于“{before[d]}”" if before[d] else "名称中没有关键词"
        if village and _VILLAGE.search(name):  # 铜盆村鹌鹑基地: a farm
            sec, div, why = village, 0, f"{why}；村、乡里的按农业"
        key = (word, sec, why)
        if key not in label_of:
            label_of[key] = len(labels)
            labels.append(f"{rule}→{sec}{f'{div:02d}' if div else ''}（{why}）")
        sec_of[d], div_of[d], generic_of[d], rule_of[d] = letters[sec], div, generic, label_of[key]
    sec = sec_of[inverse]
    # a generic head (基地, 产业园) decides only where nothing else did
    decided = res.section[rows] >= 0
    take = (sec >= 0) & ~(generic_of[inverse] & decided)
    take &= ~decided | (sec != res.section[rows])  # a head of the same section adds nothing
    take &= _category_allows(sec, rows, allowed)  # the ledger's own category wins
    at = rows[take]
    res.section[at], res.division[at] = sec[take], div_of[inverse][take]
    res.group[at] = res.klass[at] = 0
    res.rule[at], res.confidence[at], res.runner_up[at] = rule_of[inverse][take], 0, -1
    return cores


def _turn_by_context(text: _Texts, res: _Decision, labels: list[str],
                     allowed: np.ndarray) -> None:
    """Turn a road, bridge or tunnel decision by where it stands (:data:`_TURNS`): a road
    decided by 道路 or a last 路 in a village is a rural road (周潭村松源道路硬化,
    林甸县四季青镇屯内路项目: G54; G in 3 of 3 such labelled real names); a bridge or tunnel on
    a town's street is the town's (向阳路颍河大桥, 南湖路湘江隧道: N78; N accepted in 7 of 7).
    A word only in brackets does not count: 东堤北路(都吉村段) stays a street. A ledger's
    local category that does not allow the turned section keeps the decision."""
    for prefixes, word, section, division, why in _TURNS:
        turned = [i for i, lab in enumerate(labels) if lab.startswith(prefixes)]
        if not turned:
            continue
        rows = np.flatnonzero(np.isin(res.rule, turned) & (text.codes >= 0))
        if not len(rows):
            continue
        distinct, inverse = np.unique(text.codes[rows], return_inverse=True)
        found = np.array([bool(word.search(_BRACKETED.sub("", n)))
                          for n in text.uniq[distinct].tolist()], dtype=bool)
        to = _SECTION_LETTERS.index(section)
        at = rows[found[inverse] & _category_allows(np.full(len(rows), to), rows, allowed)]
        if not len(at):
            continue
        relabel: dict[int, int] = {}
        for r in np.unique(res.rule[at]).tolist():
            relabel[r] = len(labels)
            labels.append(f"{labels[r].split('→')[0]}→{section}{division}（{why}）")
        res.section[at], res.division[at] = to, division
        res.group[at] = res.klass[at] = 0
        res.rule[at] = [relabel[r] for r in res.rule[at].tolist()]


def _by_similar(text: _Texts, res: _Decision, labels: list[str], allowed: np.ndarray,
                cores: np.ndarray) -> None:
    """Guess, with low confidence, the rows that neither a keyword nor a head word decided
    from the labelled real names they resemble (:func:`industry.guess_similar`): 湘桂生态肥
    shares 肥 with labelled fertiliser plants (C). The rule text names the characters that
    spoke for the guess; a name like none of them, or as like two sections, stays undecided,
    and so does one whose local category does not allow the guess (a guess is not evidence
    enough to pick among the sections the category allows). ``cores``: the names' cores
    as :func:`_by_head` returned them (the rows left here are among the rows it read)."""
    rows = np.flatnonzero((res.section < 0) & (text.codes >= 0))
    if not len(rows):
        return
    distinct, inverse = np.unique(text.codes[rows], return_inverse=True)
    best, second, evidence = ind.guess_similar(cores[distinct].tolist())
    label_of: dict[tuple[int, tuple[str, ...]], int] = {}
    rule_of = np.full(len(distinct), -1, dtype="int64")
    for d in np.flatnonzero(best >= 0).tolist():
        why = (int(best[d]), tuple(evidence[d]))
        if why not in label_of:
            said = "、".join(f"末尾“{g[1:]}”" if g.startswith("$") else f"“{g}”" for g in why[1])
            label_of[why] = len(labels)
            labels.append(f"相似名称→{_SECTION_LETTERS[why[0]]}（名称中没有关键词；"
                          f"已标注的真实名称中{said or '这些字样'}多属此类）")
        rule_of[d] = label_of[why]
    take = (best[inverse] >= 0) & _category_allows(best[inverse], rows, allowed)
    at = rows[take]
    res.section[at] = best[inverse][take]
    res.division[at] = res.group[at] = res.klass[at] = 0
    res.rule[at], res.confidence[at] = rule_of[inverse][take], 0
    res.runner_up[at] = second[inverse][take]


def _industry(
    frame: pd.DataFrame, texts: list[_Texts], user: pd.DataFrame | None
) -> pd.DataFrame:
    n = len(frame)
    eng = ind.engine(user)
    res = _Decision.empty(n)
    labels: list[str] = []
    allowed = np.full(n, None, dtype=object)
    cat_word = np.full(n, None, dtype=object)
    letters = {s: i for i, s in enumerate(_SECTION_LETTERS)}

    # (1) a column that names a GB/T 4754 industry; else remember a local category word
    for col in ("industry", "section"):
        if col not in frame:
            continue
        raw = frame[col].astype("str")
        gb = _gb_lookup(raw)
        take = np.flatnonzero((res.section < 0) & gb["section"].notna().to_numpy())
        if len(take):
            res.section[take] = gb["section"].iloc[take].map(letters).to_numpy("int64")
            res.division[take] = pd.to_numeric(gb["division"].iloc[take]).fillna(0).to_numpy("int64")
            prefix = {"industry": "行业列:", "section": "分类列:"}[col]
            lab_code, lab_uniq = pd.factorize(prefix + raw.iloc[take])
            res.rule[take] = np.asarray(lab_code, dtype="int64") + len(labels)
            labels.extend(lab_uniq.tolist())
            res.confidence[take] = 2
        cats = _category_sections(raw)
        keep = pd.isna(allowed) & cats.notna().to_numpy()
        allowed[keep] = cats.to_numpy(dtype=object)[keep]
        cat_word[keep] = raw.to_numpy(dtype=object)[keep]

    from_column = res.section >= 0
    # (2) keyword rules over the name, then the content
    for i, text in enumerate(texts):
        todo = np.flatnonzero(res.section < 0)
        if not len(todo):
            break
        got, hit = _keyword_pass(eng, text, todo, labels, where="" if i == 0 else "(建设内容)")
        if len(todo) == n:  # nothing decided yet: the pass's result is the whole result
            res = got  # (its undecided rows hold the empty values already)
        else:
            res.put(todo, got, hit)

    # (3) a local category narrows the keyword choice; the analyst's own rules win over it
    _narrow_by_category(eng, texts, res, labels, allowed, cat_word)
    # (3b) no keyword at all: the head word the name ends with (飞鸿路工程 → N78)
    if texts:
        cores = _by_head(texts[0], res, labels, allowed)
        _turn_by_context(texts[0], res, labels, allowed)
        # (3c) nor a head word: the labelled real names it resembles (深南三期 → C)
        _by_similar(texts[0], res, labels, allowed, cores)
    # (4) a column that names only the section (制造业): the name's keywords within that
    # section still give the division (派尔彩印包装生产线 with 行业 制造业 → C23)
    _division_within_column(eng, texts, res, labels, from_column)

    sectors = np.asarray(ind.SECTORS, dtype=object)
    number = {s: i for i, s in enumerate(ind.SECTORS)}
    sec_sector = ind.sections()["sector"].map(number).to_numpy("int64")
    div_sector = np.concatenate([[-1], ind.divisions()["sector"].map(number).to_numpy("int64")])
    sector_code = np.where(res.division > 0, div_sector[res.division],
                           np.where(res.section >= 0, sec_sector[np.maximum(res.section, 0)], -1))
    letters_arr = np.asarray(_SECTION_LETTERS, dtype=object)
    return pd.DataFrame(
        {
            "industry_section": _take_text(letters_arr, res.section),
            "industry_division": _codes_text(res.division, 2),
            "industry_group": _codes_text(res.group, 3),
            "industry_class": _codes_text(res.klass, 4),
            "sector": _take_text(sectors, sector_code),
            "industry_confidence": _take_text(_CONFIDENCE, res.confidence),
            "industry_runner_up": _take_text(letters_arr, res.runner_up),
            "industry_rule": _take_text(np.asarray(labels, dtype=object), res.rule),
        },
    ).set_axis(frame.index)


# ---------------------------------------------------------------- stage and funding


def _stage(frame: pd.DataFrame, user: pd.DataFrame | None) -> pd.Series:
    words = None
    if user is not None and len(user):
        words = pd.concat([stage_words()[["word", "stage"]], user], ignore_index=True)
    stage = pd.Series(pd.NA, index=frame.index, dtype=STAGE_DTYPE)
    if "stage" in frame:
        raw = frame["stage"]
        if isinstance(raw.dtype, pd.CategoricalDtype) and raw.dtype == STAGE_DTYPE:
            stage = raw.copy()
            if words is not None and "stage_raw" in frame:
                # the reader's evidence: the analyst's words decide where they name it
                # (停建 → 续建 for a loaded ledger, even when it was read without rules=)
                with analyst_words(user):
                    taught = stage_exact(frame["stage_raw"].astype("str"))
                stage = stage.where(taught.isna(), taught.astype(STAGE_DTYPE))
        else:
            stage = to_stage(raw.astype("str"), words)
    if "section" in frame and stage.isna().any():
        missing = stage.isna()
        stage[missing] = to_stage(frame.loc[missing, "section"].astype("str"), words)
    return stage.astype(STAGE_DTYPE)


def _funding(frame: pd.DataFrame, user: pd.DataFrame | None) -> pd.DataFrame:
    out = pd.DataFrame(
        {"funding_channel": pd.NA, "funding_detail": pd.NA}, index=frame.index, dtype="str"
    )
    if "funding_source" in frame:
        out = funding_columns(frame["funding_source"], user)
    for col in ("funding_channel", "funding_detail"):
        if col in frame:  # the reader's per-source amounts already decided these
            given = frame[col].astype("str")
            out[col] = given.where(given.notna(), out[col])
    return out


# ---------------------------------------------------------------- public API


def classify(
    df: pd.DataFrame, rules: str | os.PathLike | pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add the category columns: stage, funding channel and GB/T 4754-2017 industry.

    Parameters
    ----------
    df : DataFrame
        Projects with at least ``project_name``; ``content``, ``industry``,
        ``funding_source``, ``stage``, ``section``, ``funding_channel`` and
        ``funding_detail`` are used when present. Not modified.
    rules : path or DataFrame, optional
        The analyst's extra or overriding rules (see the module docstring); they win.

    Returns
    -------
    DataFrame
        A new frame: the input columns, with ``stage`` (ordered categorical),
        ``funding_channel``, ``funding_detail``, ``industry_section`` (A–T),
        ``industry_division`` (``"13"``), ``sector`` and ``industry_rule`` added or
        normalised. What cannot be decided is missing (see :func:`classification_findings`).

    Examples
    --------
    >>> out = classify(pd.DataFrame({"project_name": ["皂郊水厂改扩建", "红豆杉繁育基地建设"],
    ...                              "funding_source": ["中央预算内投资", "企业自筹+银行贷款"]}))
    >>> out[["industry_section", "industry_division", "sector", "funding_channel"]].values.tolist()
    [['D', '46', '第二产业', '国家预算资金'], ['A', '02', '第一产业', '多渠道']]
    >>> out["industry_rule"].tolist()
    ['关键词:水厂→D46', '关键词:繁育→A；红豆杉→A02']
    """
    if "project_name" not in df.columns:
        raise ValueError(f"classify: df needs a 'project_name' column; got {list(df.columns)}")
    user = read_rules(rules)
    frame = df.reset_index(drop=True)  # positions, whatever the caller's index
    texts = [_Texts.of(frame["project_name"])]
    if "content" in frame:
        texts.append(_Texts.of(frame["content"]))
    industry = _industry(frame, texts, user["industry"])
    funding = _funding(frame, user["channel"])
    out = frame.copy(deep=False)  # copy-on-write: new columns never reach the caller's frame
    out["stage"] = _stage(frame, user["stage"])
    out["funding_channel"] = funding["funding_channel"]
    out["funding_detail"] = funding["funding_detail"]
    for col in industry.columns:
        out[col] = industry[col]
    order = [c for c in df.columns] + [c for c in CATEGORY_COLUMNS if c not in df.columns]
    return out[order].set_axis(df.index)


def _where(frame: pd.DataFrame) -> pd.Series:
    """``项目“X”（工作表“S”，第5行）`` for each row, with what the frame knows."""
    name = frame["project_name"].astype("str").fillna("（无名称）")
    place = pd.Series("", index=frame.index, dtype="str")
    if "source_sheet" in frame:
        sheet = frame["source_sheet"].astype("str")
        place = place.where(sheet.isna(), "工作表“" + sheet + "”")
    if "source_row" in frame:
        row = frame["source_row"].astype("Int64").astype("str")
        sep = place.where(place == "", "，")
        place = place.where(row.isna(), place + sep + "第" + row + "行")
    if "source_file" in frame:
        file = frame["source_file"].astype("str")
        sep = place.where(place == "", "，")
        place = place.where(file.isna(), "文件 " + file + sep + place)
    brackets = place.where(place == "", "（" + place + "）")
    return "项目“" + name + "”" + brackets


def classification_findings(df: pd.DataFrame, rules=None) -> pd.DataFrame:
    """Findings for projects whose stage, industry or funding channel is unknown.

    Rules: ``unknown_stage`` (a stage word that is not in the table, or no stage at all),
    ``unclassified_industry``, ``unknown_channel`` (a funding text no rule recognises).
    ``df`` may be classified already; otherwise it is classified first.

    >>> f = classification_findings(pd.DataFrame({"project_name": ["某某项目"],
    ...     "stage": ["推进中"], "source_sheet": ["1-6月"], "source_row": [7]}))
    >>> f["rule"].tolist()
    ['unknown_stage', 'unclassified_industry']
    >>> f["message"].iloc[0]
    '项目“某某项目”（工作表“1-6月”，第7行）：阶段“推进中”无法识别，请在 rules/stage_words.csv 中补充该词'
    """
    done = df if {"industry_section", "funding_channel"} <= set(df.columns) else None
    if done is None:
        done = classify(df, rules)
    where = _where(done)
    parts = []
    src = {c: done[c] for c in ("source_file", "source_sheet", "source_row") if c in done}

    def add(mask: pd.Series, rule: str, message: pd.Series, column: str) -> None:
        if mask.any():
            rec = pd.DataFrame({"severity": "warning", "rule": rule, "message": message[mask]})
            for c, v in src.items():
                rec[c] = v[mask]
            rec["column"] = column
            parts.append(rec)

    no_stage = done["stage"].isna()
    if "stage" in df and not isinstance(df["stage"].dtype, pd.CategoricalDtype):
        raw_stage = df["stage"].astype("str").set_axis(done.index)
        word = raw_stage.where(raw_stage.notna(), "")
        msg = (where + "：阶段“" + word + "”无法识别，请在 rules/stage_words.csv 中补充该词").where(
            word != "", where + "：没有阶段信息（阶段列为空，分节标题也不是阶段）"
        )
    else:
        msg = pd.Series(where + "：没有阶段信息（无阶段列，分节标题也不是阶段）", index=done.index)
    add(no_stage, "unknown_stage", msg, "stage")
    add(
        done["industry_section"].isna(),
        "unclassified_industry",
        where + "：无法判断行业（GB/T 4754-2017 门类），请填写行业列或在 rules= 中补充关键词",
        "industry",
    )
    if "funding_source" in done:
        text = done["funding_source"].astype("str")
        said = text.notna() & ~text.str.strip().str.match(MISSING_RE).fillna(False).astype(bool)
        bad = done["funding_channel"].isna() & said
        add(
            bad,
            "unknown_channel",
            where + "：资金来源“" + text.fillna("") + "”无法归入资金渠道，请在 rules= 中补充",
            "funding_source",
        )
    if not parts:
        return findings_frame()
    frame = pd.concat(parts)
    order = np.argsort(frame.index.to_numpy(), kind="stable")
    return findings_frame(frame.iloc[order])


def unclassified(df: pd.DataFrame, rules=None) -> pd.DataFrame:
    """Projects with no industry, stage or funding channel, with the words that nearly matched.

    For the notebook's review step: one row per project that misses something, with
    ``missing`` (行业 / 行业存疑 / 阶段 / 资金渠道) and ``near_matches`` — keywords that share
    at least two consecutive characters with the name or content (candidates for a
    ``rules=`` row). ``行业存疑`` marks an industry decided with low confidence (only a weak
    or generic word, or the standard's terms under contest); such rows keep the section
    chosen, the runner-up and the rule, so a reviewer sees what to confirm or correct.

    The review loop: write the list to Excel, fill ``correct_section`` (and, if known,
    ``correct_division``) where the industry is missing or wrong, and pass the file (or
    frame) back as ``qz.classify(df, rules=path)``: each filled row becomes an analyst rule
    whose keyword is the project name (column ``keyword``), and the analyst's rules win.

    >>> u = unclassified(pd.DataFrame({"project_name": ["花牛果园提质", "蜂产提升"],
    ...                                "stage": ["续建", "推进中"]}))
    >>> u[["project_name", "missing", "near_matches"]].values.tolist()
    [['蜂产提升', '行业存疑、阶段', '蜂产品(C14)']]
    >>> classify(u[["project_name"]])["industry_rule"].str[:6].tolist()  # like labelled names
    ['相似名称→C']
    """
    done = df if {"industry_section", "funding_channel"} <= set(df.columns) else classify(df, rules)
    miss_ind = done["industry_section"].isna()
    # a frame with nothing that could carry a stage (a bare list of names) is not
    # "missing a stage" on every row: report stages only where the input had a source
    miss_stage = done["stage"].isna() & any(c in df.columns for c in ("stage", "stage_raw", "section"))
    miss_chan = done["funding_channel"].isna()
    if "funding_source" in done:
        miss_chan &= done["funding_source"].notna()
    else:
        miss_chan &= False
    low_ind = ~miss_ind & (done.get("industry_confidence") == "low").fillna(False).astype(bool)
    any_missing = miss_ind | low_ind | miss_stage | miss_chan
    keep = [c for c in ("project_name", "content", "industry", "section", "stage",
                        "funding_source", "source_file", "source_sheet", "source_row",
                        "industry_section", "industry_runner_up", "industry_rule")
            if c in done]
    out = done.loc[any_missing, keep].reset_index(drop=True)
    labels = pd.Series("", index=out.index, dtype="str")
    for mask, word in ((miss_ind, "行业"), (low_ind, "行业存疑"), (miss_stage, "阶段"),
                       (miss_chan, "资金渠道")):
        m = mask[any_missing].to_numpy()
        sep = labels.where(labels == "", "、")
        labels = labels.where(~m, labels + sep + word)
    out["missing"] = labels
    out["near_matches"] = _near_matches(out, rules)
    # for the review loop: fill correct_section (and correct_division), pass the list back
    # as qz.classify(df, rules=review); each filled row then decides its project
    out["keyword"] = ind.quick_normalize(out["project_name"])
    out["correct_section"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["correct_division"] = pd.Series(pd.NA, index=out.index, dtype="str")
    return out


#: two-character pieces every kind of project name holds: no hint of an industry
_GENERIC_GRAMS = frozenset(
    "工程 项目 建设 改造 提升 基地 园区 中心 一期 二期 三期 新建 扩建 改建 配套 设施 综合 产业 "
    "年产 生产 服务 示范 提质 增效 升级 整治 开发 利用 系统 工业 农业".split()
)


def _near_matches(frame: pd.DataFrame, rules) -> pd.Series:
    """Keywords sharing a two-character piece with the name (or content), best first."""
    result = pd.Series("", index=frame.index, dtype="str")
    if not len(frame):
        return result
    kw = ind.industry_rules(read_rules(rules)["industry"], standard=False)
    kw = kw[(kw["priority"] > 0) & (kw["keyword"].str.len() >= 3)]
    kw = kw[~kw["keyword"].isin(ind.company_names())]  # 合兴包装 is no word to teach
    pairs = pd.DataFrame(
        {"keyword": kw["keyword"], "code": kw["section"] + kw["division"].fillna("")}
    ).drop_duplicates("keyword")
    grams = pairs.assign(
        gram=pairs["keyword"].map(lambda w: [w[i : i + 2] for i in range(len(w) - 1)])
    ).explode("gram")
    grams = grams[~grams["gram"].isin(_GENERIC_GRAMS)]
    text = frame["project_name"].astype("str").fillna("")
    if "content" in frame:
        text = text + " " + frame["content"].astype("str").fillna("")
    alternation = "|".join(sorted({re.escape(g) for g in grams["gram"]}, key=len, reverse=True))
    found = text.str.extractall(f"(?=({alternation}))")[0]
    if not len(found):
        return result
    hits = found.reset_index(level=1, drop=True).rename("gram").reset_index()
    hits = hits.merge(grams[["gram", "keyword", "code"]], on="gram")
    score = hits.groupby(["index", "keyword", "code"]).size().rename("n").reset_index()
    score = score.sort_values(["index", "n"], ascending=[True, False], kind="stable")
    score = score.groupby("index").head(5)
    shown = score["keyword"] + "(" + score["code"] + ")"
    joined = shown.groupby(score["index"]).agg("、".join)
    result[joined.index] = joined
    return result
