"""Findings: problems in a ledger as a tidy DataFrame with a reason code (see DESIGN.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from qzanalysis.vocab import FINDING_COLUMNS, SEVERITIES, column_label

__all__ = ["findings_frame", "findings_for_people", "make_finding", "SEVERITY_DTYPE", "RULES",
           "RULE_NAMES_ZH", "SEVERITY_ZH"]

SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITIES), ordered=True)


def findings_frame(records: Iterable[Mapping] | pd.DataFrame = ()) -> pd.DataFrame:
    """Build a findings DataFrame with exactly ``FINDING_COLUMNS``.

    ``records`` are mappings with the keys of ``FINDING_COLUMNS`` (missing keys are
    missing values), or a DataFrame holding them. ``severity`` must be one of
    error / warning / info; ``source_row`` is the 1-based row Excel shows.

    >>> f = findings_frame([{"severity": "error", "rule": "total_mismatch",
    ...                      "message": "合计与项目之和不符", "source_row": 5}])
    >>> list(f.columns) == list(FINDING_COLUMNS), f.loc[0, "source_row"]
    (True, np.int64(5))
    """
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    frame = frame.reindex(columns=list(FINDING_COLUMNS))
    bad = set(frame["severity"].dropna()) - set(SEVERITIES)
    if bad:
        raise ValueError(f"severity must be one of {SEVERITIES}, got {sorted(bad)}")
    unknown = set(frame["rule"].dropna()) - set(RULES)
    if unknown:
        raise ValueError(f"finding codes not registered in qzanalysis.findings.RULES: "
                         f"{sorted(unknown)}")
    return frame.astype(
        {
            "severity": SEVERITY_DTYPE,
            "rule": "str",
            "message": "str",
            "source_file": "str",
            "source_sheet": "str",
            "source_row": "Int64",
            "column": "str",
        }
    ).reset_index(drop=True)


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class Rule(NamedTuple):
    """A registered finding code: its usual severity and its name in the 数据检查 table."""

    severity: str
    name_zh: str


#: Every finding code the package emits, with its usual severity and Chinese name. A
#: finding with a code that is not here fails loudly (:func:`make_finding`,
#: :func:`findings_frame`): a new check must be registered before it can speak.
RULES: dict[str, Rule] = {
    "total_mismatch": Rule("error", "合计与明细不符"),
    "count_mismatch": Rule("warning", "项目个数不符"),
    "unreconciled_total": Rule("info", "合计未核对"),
    "unparsed_value": Rule("warning", "数值无法识别"),
    "excel_error_value": Rule("warning", "Excel 错误值"),
    "implausible_amount": Rule("error", "金额超出合理范围"),
    "ambiguous_date": Rule("warning", "日期有歧义"),
    "formula_without_value": Rule("warning", "公式没有计算结果"),
    "duplicate_project": Rule("warning", "项目重复"),
    "repeated_sheet": Rule("info", "重复的工作表"),
    "form_layout": Rule("warning", "单个项目的表单"),
    "unknown_stage": Rule("warning", "阶段无法识别"),
    "completed_gt_total": Rule("warning", "完成投资超过总投资"),
    "funds_gt_contracted": Rule("warning", "到位资金超过合同引资"),
    "negative_amount": Rule("warning", "金额为负数"),
    "skipped_sheet": Rule("info", "跳过的工作表"),
    "hidden_sheet": Rule("info", "读取了隐藏工作表"),
    "no_projects": Rule("warning", "没有读到项目"),
    "rejected_row": Rule("warning", "无法归类的行"),
    "unclassified_industry": Rule("warning", "行业无法判断"),
    "unknown_channel": Rule("warning", "资金渠道无法识别"),
    "csv_field_spans_lines": Rule("error", "CSV 单元格跨行（可能缺少右引号）"),
    "mixed_encoding": Rule("warning", "文字编码不一致"),
    "duplicate_sheet_name": Rule("info", "工作表同名"),
    "uncertain_link": Rule("warning", "跨月项目匹配待核对"),
}

#: What each rule code means, in the words of the 数据检查 table an analyst reads.
RULE_NAMES_ZH = {code: rule.name_zh for code, rule in RULES.items()}


def make_finding(rule: str, message: str, *, severity: str | None = None, **where) -> dict:
    """One finding record; the severity is the registered one unless given.

    >>> make_finding("total_mismatch", "…", source_row=5)["severity"]
    'error'
    >>> make_finding("no_such_rule", "…")
    Traceback (most recent call last):
    ...
    KeyError: "finding code 'no_such_rule' is not registered in qzanalysis.findings.RULES"
    """
    if rule not in RULES:
        raise KeyError(f"finding code {rule!r} is not registered in qzanalysis.findings.RULES")
    return {"severity": severity or RULES[rule].severity, "rule": rule, "message": message,
            **where}


_PEOPLE_COLUMNS = {
    "severity": "级别",
    "rule": "问题",
    "message": "说明",
    "source_file": "文件",
    "source_sheet": "工作表",
    "source_row": "行号",
    "column": "列",
}


def findings_for_people(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with Chinese headers and values, for a table an analyst reads.

    Severity and rule codes become words, canonical column names their Chinese names;
    a rule with no Chinese name keeps its code.

    >>> f = findings_frame([{"severity": "error", "rule": "total_mismatch", "message": "…",
    ...                      "source_row": 5, "column": "total_investment"}])
    >>> findings_for_people(f).loc[0, ["级别", "问题", "列"]].tolist()
    ['错误', '合计与明细不符', '总投资']
    """
    frame = findings_frame(findings)
    return frame.assign(
        severity=frame["severity"].astype("str").map(SEVERITY_ZH),
        rule=frame["rule"].map(lambda r: RULE_NAMES_ZH.get(r, r), na_action="ignore"),
        column=frame["column"].map(column_label, na_action="ignore"),
    ).rename(columns=_PEOPLE_COLUMNS)
