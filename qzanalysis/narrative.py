"""The report paragraph, in the founding article's style, written from the data.

The article (秦州区委宣传部, 于小群) reports the half year like this::

    今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。
    其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元，
    主要有瑞德电器1500台/套高低压启动设备生产项目、…等项目。实施新签约项目28个，
    总投资27553万元，已完成投资5995万元，引进到位资金5995万元，主要有…等项目。

:func:`narrative` writes one such sentence group per stage present, the most advanced first.
The wording per stage is the table :data:`STAGE_WORDING`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

import pandas as pd

from qzanalysis.metrics import TOTAL_LABEL, summarize

__all__ = ["narrative", "STAGE_WORDING", "format_amount"]

#: stage -> (subject of its sentence, phrase before this year's completed investment), in
#: the order the paragraph reports them: like the article (续建 before 新签约), from the most
#: advanced stage back to 储备. 续建 and 新签约 are the article's own words; the others
#: follow the same pattern.
STAGE_WORDING: dict[str, tuple[str, str]] = {
    "竣工": ("建成竣工项目", "今年完成投资"),
    "续建": ("实施续建项目", "今年完成投资"),
    "新开工": ("实施新开工项目", "今年完成投资"),
    "新签约": ("实施新签约项目", "已完成投资"),
    "洽谈": ("跟踪洽谈项目", "今年完成投资"),
    "前期": ("开展前期工作的项目", "今年完成投资"),
    "储备": ("储备项目", "今年完成投资"),
}
#: The group of projects whose stage is not known.
_NO_STAGE = "未明确阶段"
_NO_STAGE_WORDING = ("", "今年完成投资")
_FUNDS_PHRASE = "引进到位资金"
_UNITS = {"万元": (Decimal(1), Decimal(1)), "亿元": (Decimal(10000), Decimal("0.01"))}


def format_amount(value: float, unit: str = "万元") -> str:
    """An amount in 万元 written as the article does: ``98583万元``, ``9.86亿元``.

    万元 as whole numbers without thousands separators, 亿元 with two decimals,
    rounded half up.

    >>> format_amount(98583.0), format_amount(11505.4), format_amount(98583.0, "亿元")
    ('98583万元', '11505万元', '9.86亿元')
    >>> format_amount(1e29), format_amount(float("inf"))
    ('100000000000000000000000000000万元', '无效金额（非有限数）')
    """
    if unit not in _UNITS:
        raise ValueError(f"单位应为 万元 或 亿元 / unit must be '万元' or '亿元', got {unit!r}")
    divisor, step = _UNITS[unit]
    number = float(value)
    if not math.isfinite(number):  # never an exception in the middle of a report
        return "无效金额（非有限数）"
    # enough digits for any finite float (1.8e308 written out whole), so quantize never
    # raises InvalidOperation as it does past 28 digits in the default context
    with localcontext(Context(prec=400)):
        amount = (Decimal(repr(number)) / divisor).quantize(step, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0万元"
    return f"{amount}{unit}"


def narrative(
    df: pd.DataFrame,
    *,
    period: str = "上半年",
    unit: str = "万元",
    lead: str = "全区共实施招商引资项目",
    top: int = 4,
) -> str:
    """The report paragraph for a set of projects, in the founding article's style.

    Parameters
    ----------
    df : DataFrame
        Projects with ``stage`` (``ledger.projects`` or ``qz.classify``'s result). Not
        modified.
    period : str, default ``"上半年"``
        Opens the paragraph: ``"上半年"``, ``"今年上半年"``, ``"1-8月"``.
    unit : {"万元", "亿元"}
        万元: whole numbers (``98583万元``); 亿元: two decimals (``9.86亿元``).
    lead : str
        The words before the project count in the first sentence.
    top : int, default 4
        How many projects each group names after 主要有 (the largest by total
        investment, names as in the data, except that the last one drops a final 项目
        before 等项目; 0 names none).

    Returns
    -------
    str
        ``"{period}，{lead}59个，总投资98583万元，合同引资86563万元。其中实施续建项目31个，
        总投资…，今年完成投资…，引进到位资金…，主要有A、B、C、D等项目。实施新签约项目28个，…"``:
        one sentence group per stage present, in the article's order — from the most
        advanced stage back (竣工, 续建, 新开工, 新签约, 洽谈, 前期, 储备) — with the
        wording of :data:`STAGE_WORDING` (续建 今年完成投资, 新签约 已完成投资), then
        the projects without a stage (另有未明确阶段的项目…个). A figure that is missing is left out, never written as 0.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "project_name": ["甲厂扩建", "乙园建设", "丙厂新建"],
    ...     "stage": ["续建", "续建", "新签约"],
    ...     "total_investment": [300.0, 500.0, 200.0],
    ...     "contracted_investment": [250.0, 400.0, 150.0],
    ...     "completed_investment": [30.0, 50.0, None],
    ...     "funds_in_place": [20.0, 40.0, None],
    ... })
    >>> print(narrative(df, top=2))  # doctest: +NORMALIZE_WHITESPACE
    上半年，全区共实施招商引资项目3个，总投资1000万元，合同引资800万元。其中实施续建项目2个，总投资800万元，\
今年完成投资80万元，引进到位资金60万元，主要有乙园建设、甲厂扩建等项目。实施新签约项目1个，总投资200万元，\
主要有丙厂新建等项目。
    """
    if unit not in _UNITS:
        raise ValueError(f"单位应为 万元 或 亿元 / unit must be '万元' or '亿元', got {unit!r}")
    table = summarize(df, by="stage")
    total = table.loc[TOTAL_LABEL]

    def money(label: str, value, members: pd.DataFrame, column: str) -> str | None:
        # a sum over part of the projects says so: the figure is not the whole
        if pd.isna(value):
            return None
        text = f"{label}{format_amount(value, unit)}"
        unknown = int(pd.to_numeric(members[column], errors="coerce").isna().sum())
        return f"{text}（其中{unknown}个项目未填报）" if unknown else text

    head = [
        f"{lead}{int(total['projects'])}个",
        money("总投资", total["total_investment"], df, "total_investment"),
        money("合同引资", total["contracted_investment"], df, "contracted_investment"),
    ]
    sentences = [f"{period}，" + "，".join(p for p in head if p) + "。"]

    stages = df["stage"].astype("object")
    groups = table.drop(index=TOTAL_LABEL)
    order = [s for s in STAGE_WORDING if s in groups.index]
    order += [s for s in groups.index if s not in order]  # 未明确阶段 (and any other) last
    first = True
    for stage, row in groups.loc[order].iterrows():
        subject, completed_phrase = STAGE_WORDING.get(stage, _NO_STAGE_WORDING)
        if stage == _NO_STAGE:
            members = df[stages.isna().to_numpy() | ~stages.isin(list(STAGE_WORDING)).to_numpy()]
        else:
            members = df[stages.eq(stage).fillna(False).to_numpy(dtype=bool)]
        if stage in STAGE_WORDING:
            subject = f"{'其中' if first else ''}{subject}"
        else:  # 未明确阶段 (or a stage word outside the vocabulary)
            subject = f"{'其中' if first else '另有'}{stage}的项目"
        parts = [
            f"{subject}{int(row['projects'])}个",
            money("总投资", row["total_investment"], members, "total_investment"),
            money(completed_phrase, row["completed_investment"], members, "completed_investment"),
            money(_FUNDS_PHRASE, row["funds_in_place"], members, "funds_in_place"),
        ]
        names = _main_projects(members, top)
        if names:
            parts.append("主要有" + "、".join(names) + "等项目")
        sentences.append("，".join(p for p in parts if p) + "。")
        first = False
    return "".join(sentences)


def _main_projects(members: pd.DataFrame, top: int) -> list[str]:
    """Names of the ``top`` largest projects by total investment (ties: ledger order)."""
    if top <= 0 or "project_name" not in members.columns:
        return []
    names = members["project_name"]
    present = names.notna().to_numpy(dtype=bool) & names.astype("str").str.strip().ne("").to_numpy(
        dtype=bool
    )
    ranked = members[present]
    if "total_investment" in ranked.columns:
        ranked = ranked.assign(
            __total=pd.to_numeric(ranked["total_investment"], errors="coerce")
        ).sort_values("__total", ascending=False, kind="stable", na_position="last")
    names = [str(n).strip() for n in ranked["project_name"].head(top)]
    if names and names[-1].endswith("项目") and len(names[-1]) > 2:
        names[-1] = names[-1][: -len("项目")]  # "…深加工项目等项目" reads "…深加工等项目"
    return names
