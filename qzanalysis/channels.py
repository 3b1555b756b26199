"""Funding sources → the funding-channel vocabulary of fixed-asset-investment statistics.

Ledgers name where the money comes from in many ways: 中央预算内投资, 国债资金, 地方政府专项债券,
省级财政, 农发行贷款, 外商投资, 企业自筹, 招商引资 … China's statistics count five channels
(国家预算资金, 国内贷款, 利用外资, 自筹资金, 其他资金); ``vocab.FUNDING_CHANNELS`` adds 多渠道
for a text that names several sources of different channels.

The mapping is the ordered table ``rules/funding_channels.csv`` (``keyword,channel,note``):
the first row whose keyword the source name contains decides, so specific rows
(外国政府贷款 → 利用外资) stand before general ones (贷款 → 国内贷款). Matching runs
column-wise, once per distinct value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qzanalysis.rules import load_table
from qzanalysis.text import MISSING_RE, normalize_text
from qzanalysis.vocab import FUNDING_CHANNELS

__all__ = ["to_channel", "funding_columns", "channel_rules", "MULTI"]

#: The channel for a text naming several sources of different channels.
MULTI = "多渠道"

# Separators between source names in a free text: 企业自筹+银行贷款, 中央预算内投资、地方配套及企业自筹
_SPLIT_RE = r"\s*(?:[+＋、,，;；/／&|]|以及|及|和|与|加上)\s*"
# An amount attached to a source: 企业自筹1000万元, 银行贷款(0.5亿元), 省级财政：300万
_AMOUNT_RE = r"[:：]?\s*[(（]?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>亿元|亿|万元|万|元)\s*[)）]?"
_UNIT_TO_WAN = {"亿元": 1e4, "亿": 1e4, "万元": 1.0, "万": 1.0, "元": 1e-4}
# Words around a source name that carry no meaning for the channel
_NOISE_RE = r"^(?:其中|资金来源|来源)[:：]?|[(（]\s*[)）]|[:：]$"


def channel_rules(rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ordered keyword → channel table (``rules/funding_channels.csv``), checked.

    ``rules`` (columns ``keyword, channel``) are put in front of the shipped rows, so
    they win. A channel outside ``vocab.FUNDING_CHANNELS`` is an error, not a silent miss.

    >>> channel_rules().iloc[0][["keyword", "channel"]].tolist()
    ['国家预算资金', '国家预算资金']
    """
    table = load_table("funding_channels")[["keyword", "channel"]]
    if rules is not None and len(rules):
        extra = rules[["keyword", "channel"]].astype("str")
        table = pd.concat([extra, table], ignore_index=True)
    bad = set(table["channel"]) - set(FUNDING_CHANNELS)
    if bad:
        raise ValueError(
            f"funding channel rules: unknown channel {sorted(bad)}; allowed {list(FUNDING_CHANNELS)}"
        )
    table = table.assign(keyword=normalize_text(table["keyword"]))
    return table[table["keyword"].notna()].reset_index(drop=True)


def _single(values: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Channel of each (distinct) single source name: first table row contained in it."""
    out = pd.Series(np.nan, index=values.index, dtype="object")
    todo = values.notna()
    # Rules are few (about a hundred) and values are distinct names: one vectorised
    # `contains` per rule over the still-undecided names.
    for keyword, channel in zip(table["keyword"], table["channel"], strict=True):
        if not todo.any():
            break
        hit = todo & values.str.contains(keyword, regex=False, na=False)
        out[hit] = channel
        todo &= ~hit
    return out


def _parts(uniq: pd.Series) -> pd.DataFrame:
    """Split distinct source texts into parts: one row per part, with its amount in 万元."""
    parts = uniq.str.split(_SPLIT_RE, regex=True).explode()
    parts = parts.str.replace(_NOISE_RE, "", regex=True).str.strip()
    amount = parts.str.extract(_AMOUNT_RE)
    wan = amount["num"].astype("float64") * amount["unit"].map(_UNIT_TO_WAN).astype("float64")
    name = parts.str.replace(_AMOUNT_RE, "", regex=True).str.strip(" :：()（）")
    frame = pd.DataFrame({"name": name, "amount": wan})
    return frame[frame["name"].notna() & (frame["name"] != "")]


def funding_columns(details: pd.Series, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """``funding_channel`` and ``funding_detail`` for a column of funding-source texts.

    A single source maps through the ordered rule table. A text naming several sources
    (``企业自筹+银行贷款``, ``中央预算内投资、地方配套及企业自筹``) gets :data:`MULTI` when its
    sources belong to different channels, or their common channel when they all agree
    (``省级财政、区级财政`` → 国家预算资金). When every recognised source carries an amount
    (``中央预算内投资500万元，企业自筹1000万元``), the channel with the largest amount wins,
    as for per-source columns. ``funding_detail`` keeps the source names (amounts dropped,
    joined with 、). Unknown sources give a missing channel; the detail is kept.

    Parameters
    ----------
    details : Series
        Funding-source texts as typed in the ledger.
    rules : DataFrame, optional
        Extra ``keyword, channel`` rows that win over the shipped table.

    Returns
    -------
    DataFrame
        Columns ``funding_channel`` and ``funding_detail`` (str), same index as ``details``.

    Examples
    --------
    >>> f = funding_columns(pd.Series(["农发行贷款", "企业自筹+银行贷款", "省级财政、区级财政"]))
    >>> f["funding_channel"].tolist()
    ['国内贷款', '多渠道', '国家预算资金']
    >>> f["funding_detail"].tolist()
    ['农发行贷款', '企业自筹、银行贷款', '省级财政、区级财政']
    """
    table = channel_rules(rules)
    text = normalize_text(pd.Series(details, copy=False))
    text = text.where(~text.str.match(MISSING_RE).fillna(False).astype(bool))  # 无, — : missing
    uniq = pd.Series(pd.unique(text.dropna()), dtype="str")
    channel = pd.Series(pd.NA, index=uniq.index, dtype="str")
    detail = pd.Series(pd.NA, index=uniq.index, dtype="str")
    if len(uniq):
        parts = _parts(uniq)
        parts["channel"] = _single(parts["name"], table)
        known = parts[parts["channel"].notna()]
        by = known.groupby(level=0)
        n_channels = by["channel"].nunique()
        first = by["channel"].first()
        all_amounts = known["amount"].notna().groupby(level=0).all()
        sums = (
            known.rename_axis("text")
            .groupby(["text", "channel"])["amount"]
            .sum(min_count=1)
            .reset_index()
            .sort_values(["text", "amount"], ascending=[True, False], kind="stable")
            .drop_duplicates("text")
            .set_index("text")["channel"]
        )
        decided = first.where(n_channels == 1, MULTI)
        by_amount = (n_channels > 1) & all_amounts
        decided[by_amount] = sums.reindex(decided.index)[by_amount]
        channel[decided.index] = decided.astype("str")
        detail[:] = parts.groupby(level=0)["name"].agg("、".join).reindex(uniq.index)
    detail = detail.fillna(uniq)
    lookup_channel = dict(zip(uniq, channel, strict=True))
    lookup_detail = dict(zip(uniq, detail, strict=True))
    return pd.DataFrame(
        {
            "funding_channel": text.map(lookup_channel).astype("str"),
            "funding_detail": text.map(lookup_detail).astype("str"),
        },
        index=text.index,
    )


def to_channel(details: pd.Series, rules: pd.DataFrame | None = None) -> pd.Series:
    """Map funding-source names to ``vocab.FUNDING_CHANNELS``; missing when unknown.

    Works for one source name per value (a per-source column header such as
    ``中央预算内投资`` or ``农发行贷款``) and for a free text naming several sources
    (→ 多渠道, see :func:`funding_columns`).

    >>> to_channel(pd.Series(["中央预算内投资", "银行贷款", "外商投资", "招商引资", "其他",
    ...                       "企业自筹+银行贷款", "不详", None])).tolist()
    ['国家预算资金', '国内贷款', '利用外资', '自筹资金', '其他资金', '多渠道', nan, nan]
    """
    return funding_columns(details, rules)["funding_channel"].rename(
        getattr(details, "name", None)
    )

