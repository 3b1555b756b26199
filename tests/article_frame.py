"""A 59-project frame whose group sums are the founding article's half-year figures.

Shared by the metrics and narrative tests. The figures come from the article
(续建 31 / 71030 / 11505 / 10095; 新签约 28 / 27553 / 5995 / 5995; 合同引资 86563);
how they split over projects is invented, and checked here to add up.
"""

import numpy as np
import pandas as pd

from qzanalysis.vocab import STAGE_DTYPE


def article_projects() -> pd.DataFrame:
    """59 projects whose group sums are the article's half-year figures (split invented).

    续建 31: 总投资 71030, 今年完成 11505, 到位 10095; 新签约 28: 27553, 5995, 5995;
    合同引资 86563 in all (62000 + 24563). The four largest projects of each group are the
    ones the article names, in its order. The 新签约 rows come first on purpose: the
    paragraph must still start with 续建, as the article does.
    """
    xj_names = ["瑞德电器1500台/套高低压启动设备生产项目", "派尔彩印包装生产线建设",
                "大华电力通讯设备生产", "西联蜂业蜂产品深加工"]
    xj_names += [f"续建项目{i}" for i in range(5, 32)]
    xj_total = [15000, 12000, 9000, 8000] + [1000] * 26 + [1030]
    xj_done = [370] * 30 + [405]
    xj_funds = [325] * 30 + [345]
    xj_contract = [2000] * 31
    xq_names = ["2000头荷斯坦奶牛养殖基地建设", "红豆杉繁育基地建设",
                "SSOP集成电路引线框架生产线", "皂郊水厂改扩建"]
    xq_names += [f"新签约项目{i}" for i in range(5, 29)]
    xq_total = [5000, 4000, 3500, 3000] + [500] * 23 + [553]
    xq_done = [215] * 27 + [190]
    xq_contract = [880] * 27 + [803]
    # the fixture itself must add up to the article
    assert (len(xj_names), sum(xj_total), sum(xj_done), sum(xj_funds)) == (31, 71030, 11505, 10095)
    assert (len(xq_names), sum(xq_total), sum(xq_done)) == (28, 27553, 5995)
    assert sum(xj_contract) + sum(xq_contract) == 86563
    return pd.DataFrame(
        {
            "project_name": pd.Series(xq_names + xj_names, dtype="str"),
            "stage": pd.Series(["新签约"] * 28 + ["续建"] * 31, dtype=STAGE_DTYPE),
            "total_investment": np.array(xq_total + xj_total, dtype=float),
            "contracted_investment": np.array(xq_contract + xj_contract, dtype=float),
            "completed_investment": np.array(xq_done + xj_done, dtype=float),
            "funds_in_place": np.array(xq_done + xj_funds, dtype=float),
        }
    )
