"""Classify projects by stage, funding channel and industry (GB/T 4754-2017).

``classify(df)`` returns a new DataFrame with the category columns of DESIGN.md
(``stage``, ``funding_channel``, ``funding_detail``, ``industry_section``,
``industry_division``, ``sector``, ``industry_rule``); every decision is explained in
``industry_rule`` and every gap is reported by :func:`classification_findings` and listed,
with the words that nearly matched, by :func:`unclassified`.

Industry is decided in this order (the first that decides wins):

1. an ``industry`` column (then a ``section`` label) that names a GB/T 4754 industry —
   an official section or division name, a code (``C``, ``C13``, ``13``) or a variant
   from ``rules/industry_names.csv`` (制造业, 房地产业, 批发和零售业 …);
2. keyword rules over ``project_name``, then over ``content`` (analyst rules first, then
   ``rules/industry_keywords.csv``; see :mod:`qzanalysis.industry`);
3. a local category word (工业, 农业, 城建, 社会事业, 商贸, 文旅 …, in ``industry`` or
   ``section``; ``rules/local_categories.csv``) only *narrows*: keywords outside the sections
   it allows are ignored; when it allows one section only, that section is taken. It is
   never a default bucket: where nothing decides, the industry stays missing.

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
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from qzanalysis import industry as ind
from qzanalysis.channels import funding_columns
from qzanalysis.findings import findings_frame
from qzanalysis.rules import load_table
from qzanalysis.stages import clean_section, stage_words, to_stage
from qzanalysis.text import MISSING_RE
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
    empty = {"industry": None, "channel": None, "stage": None}
    if rules is None:
        return empty
    if isinstance(rules, pd.DataFrame):
        table = rules.copy()
    else:
        try:
            table = pd.read_csv(rules, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"rules={rules!r}: 无法读取规则文件（{exc}）") from exc
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "keyword" not in table.columns and "word" in table.columns:
        table = table.rename(columns={"word": "keyword"})
    if "keyword" not in table.columns:
        raise ValueError(
            f"rules=: need a 'keyword' column, got {list(table.columns)}; "
            "each row also fills one of section / channel / stage"
        )
    table = table.astype("str").apply(lambda c: c.str.strip()).replace({"": pd.NA, "nan": pd.NA})
    targets = [c for c in ("section", "channel", "stage") if c in table.columns]
    if not targets:
        raise ValueError("rules=: each row must fill one of the columns section, channel, stage")
    filled = table[targets].notna().sum(axis=1)
    if (filled != 1).any():
        bad = table.loc[filled != 1, "keyword"].tolist()[:5]
        raise ValueError(f"rules=: rows must fill exactly one of {targets}; check {bad}")
    out = dict(empty)
    if "section" in table:
        out["industry"] = table[table["section"].notna()].reset_index(drop=True)
    if "channel" in table:
        out["channel"] = table.loc[table["channel"].notna(), ["keyword", "channel"]]
    if "stage" in table:
        words = table.loc[table["stage"].notna(), ["keyword", "stage"]]
        out["stage"] = words.rename(columns={"keyword": "word"}).reset_index(drop=True)
    return out


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
    s = clean_section(values)
    s = s.str.replace(r"[、,，\s]", "", regex=True).str.replace(_SUFFIX_RE, "", regex=True)
    return s.where(s != "", pd.NA)


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


def _label(rules: pd.DataFrame, rid: pd.Series, where: str = "") -> pd.Series:
    """``关键词:奶牛→A03`` for each decided rule id (vectorised over distinct ids)."""
    r = rules.iloc[rid.to_numpy()]
    code = r["section"] + r["division"].fillna("")
    text = r["origin"] + where + ":" + r["keyword"] + "→" + code
    return pd.Series(text.to_numpy(), index=rid.index, dtype="str")


def _keyword_pass(
    texts: list[pd.Series], rules: pd.DataFrame, rows: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """Decide ``rows`` from the texts in order (name, then content): rule id and label."""
    rid = pd.Series(-1, index=rows, dtype="int64")
    label = pd.Series(pd.NA, index=rows, dtype="str")
    if not len(rows) or not len(rules):
        return rid, label
    matcher = ind._Matcher(rules)
    todo = rows
    for i, text in enumerate(texts):
        sub = text.reindex(todo)
        sub = sub[sub.notna()]
        if not len(sub):
            continue
        got = matcher.match(sub)
        got = got[got >= 0]
        rid[got.index] = got
        label[got.index] = _label(rules, got, "" if i == 0 else "(建设内容)")
        todo = todo.difference(got.index)
        if not len(todo):
            break
    return rid, label


def _industry(
    frame: pd.DataFrame, texts: list[pd.Series], user: pd.DataFrame | None
) -> pd.DataFrame:
    idx = frame.index
    rules = ind.industry_rules(user)
    # priority-0 rows only give a division once the section is chosen
    deciding = rules[rules["priority"] > 0].reset_index(drop=True)
    sec = pd.Series(pd.NA, index=idx, dtype="str")
    div = pd.Series(pd.NA, index=idx, dtype="str")
    label = pd.Series(pd.NA, index=idx, dtype="str")
    allowed = pd.Series(pd.NA, index=idx, dtype="str")
    cat_word = pd.Series(pd.NA, index=idx, dtype="str")

    # (1) a column that names a GB/T 4754 industry; else remember a local category word
    for col in ("industry", "section"):
        if col not in frame:
            continue
        raw = frame[col].astype("str")
        gb = _gb_lookup(raw)
        take = sec.isna() & gb["section"].notna()
        sec[take] = gb.loc[take, "section"]
        div[take] = gb.loc[take, "division"]
        label[take] = {"industry": "行业列:", "section": "分类列:"}[col] + raw[take]
        cats = _category_sections(raw)
        keep = allowed.isna() & cats.notna()
        allowed[keep] = cats[keep]
        cat_word[keep] = raw[keep]

    # (2) keyword rules over the name, then the content
    todo = idx[sec.isna().to_numpy()]
    rid, lab = _keyword_pass(texts, deciding, todo)
    decided = rid[rid >= 0]
    sec[decided.index] = deciding["section"].to_numpy()[decided.to_numpy()]
    div[decided.index] = deciding["division"].to_numpy()[decided.to_numpy()]
    label[decided.index] = lab[decided.index]

    # (3) a local category narrows the keyword choice; the analyst's own rules win over it
    from_keywords = pd.Series(False, index=idx)
    from_keywords[decided.index] = True
    from_user = label.str.startswith("用户规则").fillna(False).astype(bool)
    has_cat = allowed.notna() & ((from_keywords & ~from_user) | sec.isna())
    if has_cat.any():
        ok = pd.Series(False, index=idx)
        for allow in allowed[has_cat].unique():  # one vectorised test per category word
            rows = has_cat & (allowed == allow)
            ok[rows] = sec[rows].isin(allow.split()).to_numpy()
        ok = ok[has_cat]
        redo = ok[~ok].index
        sec[redo] = pd.NA
        div[redo] = pd.NA
        label[redo] = pd.NA
        for allow, rows in pd.Series(allowed[redo]).groupby(allowed[redo]).groups.items():
            keep = deciding["section"].isin(allow.split())
            sub_rules = deciding[keep].reset_index(drop=True)
            rid2, lab2 = _keyword_pass(texts, sub_rules, pd.Index(rows))
            got = rid2[rid2 >= 0]
            sec[got.index] = sub_rules["section"].to_numpy()[got.to_numpy()]
            div[got.index] = sub_rules["division"].to_numpy()[got.to_numpy()]
            label[got.index] = lab2[got.index] + "(类别:" + cat_word[got.index] + ")"
            single = allow.split()
            rest = pd.Index(rows).difference(got.index)
            if len(single) == 1 and len(rest):
                sec[rest] = single[0]
                label[rest] = "类别:" + cat_word[rest] + "→" + single[0]

    # division from the best keyword of the chosen section, where the decider gave none
    need = sec.notna() & div.isna()
    for section, rows in sec[need].groupby(sec[need]).groups.items():
        sub_rules = rules[(rules["section"] == section) & rules["division"].notna()]
        sub_rules = sub_rules.reset_index(drop=True)
        # priority-0 rows (division hints) take part here, ranked below real rules
        rid3, _ = _keyword_pass(texts, sub_rules, pd.Index(rows))
        got = rid3[rid3 >= 0]
        div[got.index] = sub_rules["division"].to_numpy()[got.to_numpy()]
        kw = pd.Series(sub_rules["keyword"].to_numpy()[got.to_numpy()], index=got.index)
        label[got.index] = label[got.index] + "；" + kw + "→" + section + div[got.index]

    division_sector = ind.divisions().set_index("division")["sector"]
    section_sector = ind.sections().set_index("section")["sector"]
    sector = div.map(division_sector).fillna(sec.map(section_sector))
    return pd.DataFrame(
        {
            "industry_section": sec,
            "industry_division": div,
            "sector": sector.astype("str"),
            "industry_rule": label,
        },
        index=idx,
    )


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
    names = ind.quick_normalize(frame["project_name"])
    texts = [names]
    if "content" in frame:
        texts.append(ind.quick_normalize(frame["content"]))
    industry = _industry(frame, texts, user["industry"])
    funding = _funding(frame, user["channel"])
    out = frame.copy()
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
    ``missing`` (行业 / 阶段 / 资金渠道) and ``near_matches`` — keywords that share at least
    two consecutive characters with the name or content (candidates for a ``rules=`` row).

    >>> u = unclassified(pd.DataFrame({"project_name": ["花牛果园提质", "蜂产深化"],
    ...                                "stage": ["续建", "推进中"]}))
    >>> u[["project_name", "missing", "near_matches"]].values.tolist()
    [['蜂产深化', '行业、阶段', '蜂产品(C14)']]
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
    any_missing = miss_ind | miss_stage | miss_chan
    keep = [c for c in ("project_name", "content", "industry", "section", "stage",
                        "funding_source", "source_file", "source_sheet", "source_row")
            if c in done]
    out = done.loc[any_missing, keep].reset_index(drop=True)
    labels = pd.Series("", index=out.index, dtype="str")
    for mask, word in ((miss_ind, "行业"), (miss_stage, "阶段"), (miss_chan, "资金渠道")):
        m = mask[any_missing].to_numpy()
        sep = labels.where(labels == "", "、")
        labels = labels.where(~m, labels + sep + word)
    out["missing"] = labels
    out["near_matches"] = _near_matches(out, rules)
    return out


def _near_matches(frame: pd.DataFrame, rules) -> pd.Series:
    """Keywords sharing a two-character piece with the name (or content), best first."""
    result = pd.Series("", index=frame.index, dtype="str")
    if not len(frame):
        return result
    kw = ind.industry_rules(read_rules(rules)["industry"])
    kw = kw[(kw["priority"] > 0) & (kw["keyword"].str.len() >= 3)]
    pairs = pd.DataFrame(
        {"keyword": kw["keyword"], "code": kw["section"] + kw["division"].fillna("")}
    ).drop_duplicates("keyword")
    grams = pairs.assign(
        gram=pairs["keyword"].map(lambda w: [w[i : i + 2] for i in range(len(w) - 1)])
    ).explode("gram")
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
