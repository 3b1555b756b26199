"""Names and vocabularies of the data contract (see DESIGN.md): one place, imported everywhere."""

from __future__ import annotations

import pandas as pd

__all__ = [
    "LABELS",
    "COUNT_WORDS",
    "count_suffix",
    "STAGES",
    "STAGE_DTYPE",
    "FUNDING_CHANNELS",
    "MONEY_COLUMNS",
    "DATE_COLUMNS",
    "TEXT_COLUMNS",
    "SOURCE_COLUMNS",
    "PROJECT_COLUMNS",
    "CATEGORY_COLUMNS",
    "ROW_KINDS",
    "ROWS_COLUMNS",
    "FUNDING_COLUMNS",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "COLUMN_NAMES_ZH",
    "column_label",
    "empty_projects",
]

#: Stage vocabulary in pipeline order (an ordered categorical).
STAGES: tuple[str, ...] = ("储备", "前期", "洽谈", "新签约", "新开工", "续建", "竣工")
STAGE_DTYPE = pd.CategoricalDtype(list(STAGES), ordered=True)

#: The five sources of fixed-asset-investment funds in China's statistics, plus 多渠道.
FUNDING_CHANNELS: tuple[str, ...] = (
    "国家预算资金",
    "国内贷款",
    "利用外资",
    "自筹资金",
    "其他资金",
    "多渠道",
)

#: Money columns, always float 万元; missing stays NaN, never 0.
MONEY_COLUMNS: tuple[str, ...] = (
    "total_investment",
    "contracted_investment",
    "planned_investment",
    "completed_investment",
    "cumulative_investment",
    "prior_investment",
    "funds_in_place",
)
DATE_COLUMNS: tuple[str, ...] = ("start_date", "end_date")
TEXT_COLUMNS: tuple[str, ...] = (
    "project_name",
    "section",
    "owner",
    "location",
    "content",
    "industry",
    "funding_source",
    "progress_note",
)
SOURCE_COLUMNS: tuple[str, ...] = ("source_file", "source_sheet", "source_row")

#: Canonical columns of ``Ledger.projects``, in this order; extra (unmatched) headers follow.
PROJECT_COLUMNS: tuple[str, ...] = (
    "project_name",
    "stage",
    "section",
    "owner",
    "location",
    "content",
    "industry",
    "funding_source",
    *MONEY_COLUMNS,
    *DATE_COLUMNS,
    "progress_note",
    *SOURCE_COLUMNS,
)

#: Columns that ``qz.classify`` adds.
CATEGORY_COLUMNS: tuple[str, ...] = (
    "stage",
    "funding_channel",
    "funding_detail",
    "industry_section",
    "industry_division",
    "industry_group",
    "industry_class",
    "sector",
    "industry_confidence",
    "industry_runner_up",
    "industry_rule",
)

ROW_KINDS: tuple[str, ...] = ("project", "total", "section", "header", "title", "note", "rejected",
                             "repeated")
ROWS_COLUMNS: tuple[str, ...] = ("source_file", "source_sheet", "source_row", "kind", "reason")
FUNDING_COLUMNS: tuple[str, ...] = (
    "project_name",
    "source_sheet",
    "source_row",
    "channel",
    "detail",
    "amount",
)
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
FINDING_COLUMNS: tuple[str, ...] = (
    "severity",
    "rule",
    "message",
    "source_file",
    "source_sheet",
    "source_row",
    "column",
)


#: How each canonical and category column is called in what an analyst reads
#: (finding messages, table headers, chart labels). The one place for these names.
COLUMN_NAMES_ZH: dict[str, str] = {
    "project_name": "项目名称",
    "stage": "项目阶段",
    "section": "项目分类",
    "owner": "建设单位",
    "location": "建设地点",
    "content": "建设内容",
    "industry": "行业（原表）",
    "funding_source": "资金来源（原表）",
    "total_investment": "总投资",
    "contracted_investment": "合同引资",
    "planned_investment": "本年计划投资",
    "completed_investment": "本年完成投资",
    "cumulative_investment": "累计完成投资",
    "prior_investment": "至上年底累计完成投资",
    "funds_in_place": "到位资金",
    "start_date": "开工时间",
    "end_date": "竣工时间",
    "progress_note": "形象进度",
    "funding_channel": "资金渠道",
    "funding_detail": "资金来源明细",
    "industry_section": "行业门类",
    "industry_division": "行业大类",
    "industry_group": "行业中类",
    "industry_class": "行业小类",
    "industry_confidence": "行业判定把握",
    "industry_runner_up": "行业次选门类",
    "sector": "三次产业",
    "industry_rule": "行业判定依据",
    "source_file": "来源文件",
    "source_sheet": "工作表",
    "source_row": "行号",
}


def column_label(column: str, *, unit: bool = False) -> str:
    """Chinese name of a column; with ``unit=True`` money columns say （万元）.

    >>> column_label("total_investment"), column_label("total_investment", unit=True)
    ('总投资', '总投资（万元）')
    >>> column_label("某个原表列")
    '某个原表列'
    """
    name = COLUMN_NAMES_ZH.get(column, column)
    return f"{name}（万元）" if unit and column in MONEY_COLUMNS else name


def empty_projects() -> pd.DataFrame:
    """An empty projects frame with every canonical column and its dtype."""
    data: dict[str, pd.Series] = {}
    for col in PROJECT_COLUMNS:
        if col == "stage":
            data[col] = pd.Series([], dtype=STAGE_DTYPE)
        elif col in MONEY_COLUMNS:
            data[col] = pd.Series([], dtype="float64")
        elif col in DATE_COLUMNS:
            data[col] = pd.Series([], dtype="datetime64[s]")
        elif col == "source_row":
            data[col] = pd.Series([], dtype="Int64")
        else:
            data[col] = pd.Series([], dtype="str")
    return pd.DataFrame(data)


#: The measure words of a declared project count: （59个）, (共5项), （5宗）, （12家）, （2批）.
COUNT_WORDS: tuple[str, ...] = ("个", "项", "宗", "家", "批")


def count_suffix(*, bracketed: bool = False, capture: bool = False) -> str:
    """The one grammar of a declared count, ``(共5个项目)``; every count pattern uses it.

    ``bracketed`` requires the brackets (a section heading's count); ``capture`` makes
    the number group 1.

    >>> import re
    >>> rx = re.compile(count_suffix(bracketed=True, capture=True) + "$")
    >>> [rx.search(s).group(1) for s in ("续建项目（31个）", "小计（5宗）", "(共 3 项项目)")]
    ['31', '5', '3']
    >>> rx.search("工业5个") is None
    True
    """
    number = r"(\d+)" if capture else r"\d+"
    words = "|".join(COUNT_WORDS)
    body = rf"(?:共|计)?\s*{number}\s*(?:{words})\s*(?:项目)?"
    if bracketed:
        return rf"[(（]\s*{body}\s*[)）]\s*"
    return rf"[(（]?\s*{body}\s*[)）]?\s*"


#: Chinese headers for every column an analyst sees: canonical and category columns, and
#: those metrics adds (tables, chart labels, exports).
LABELS: dict[str, str] = {
    # canonical and category columns, money with its unit (qzanalysis.vocab names them)
    **{c: column_label(c, unit=True) for c in COLUMN_NAMES_ZH},
    # summary columns
    "projects": "项目数（个）",
    "completion_rate": "投资完成率",
    "plan_rate": "年度计划完成率（占年计划%）",
    "funds_rate": "资金到位率",
    "share_projects": "项目数占比",
    "share_investment": "投资占比",
    # per-project metrics
    "schedule": "时序进度",
    "schedule_gap": "超/欠序时（百分点）",
    "lagging": "进度滞后",
    # 开工率
    "due": "应开工项目数（个）",
    "started": "已开工项目数（个）",
    "start_rate": "开工率",
    # several ledgers
    "as_of": "报告期",
    "completed_investment_change": "当月完成投资（万元）",
    "funds_in_place_change": "当月到位资金（万元）",
}
