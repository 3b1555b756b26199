"""The words that mark a row as a declared total, in one place for the whole reader.

The reader recognises totals in several situations (a label anywhere in the table,
a grand total above the header, a 汇总 sheet's rows); each builds its pattern from
these lists, so adding a word here teaches all of them.
"""

from __future__ import annotations

from qzanalysis.vocab import COUNT_WORDS, count_suffix

__all__ = ["TOTAL_WORDS", "GRAND_TOTAL_WORDS", "SUMMARY_WORDS", "BREAKDOWN_WORD", "alternation",
           "COUNT_WORDS", "COUNT_SUFFIX", "count_suffix"]

#: Words that make any label a total, wherever they stand in it (二、续建项目小计).
TOTAL_WORDS: tuple[str, ...] = ("合计", "小计", "总计", "共计")
#: Totals over everything above them (the sheet, or the workbook on a 汇总 sheet).
GRAND_TOTAL_WORDS: tuple[str, ...] = ("合计", "总计", "共计", "总合计", "全部合计")
#: Labels of a summary row or sheet.
SUMMARY_WORDS: tuple[str, ...] = ("汇总", "总汇总")
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
