"""Following projects across monthly ledgers (issue 11): project_id, link report, history.

The base names are real project names from public documents
(tests/data/industry_eval/dev.csv: R0656, R0035, R0258, R0225, R0386, R0526, R0539, R0175,
R0637, R0434, R0415, R0389, R0030); each month retypes some of them the way offices do.
Owners, places and figures are invented. Every expected id, link and change below is
typed by hand from the table, not computed by the code under test.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qzanalysis as qz
from qzanalysis.errors import LedgerError

ROOT = Path(__file__).resolve().parents[1]
MONTHLY = ROOT / "data" / "raw" / "monthly"

# month, name as typed, owner, location, total, 1-n月完成投资 (year to date), expected id,
# expected month's change
ROWS = [
    # ---- 2023-01: the first ledger, every project is new
    ("2023-01", "甘肃中科年产10万吨锂电池负极材料一体化建设项目", "甘肃中科新材料有限公司", "兰州新区", 120000, 1000, "P0001", 1000),
    ("2023-01", "竹山县文峰乡太河村水上亲水乐园建设项目", "竹山县文峰乡人民政府", "文峰乡太河村", 3000, 100, "P0002", 100),
    ("2023-01", "宁德市大数据产业园及基础配套设施项目", "宁德市大数据投资有限公司", "宁德市蕉城区", 50000, 800, "P0003", 800),
    ("2023-01", "颐海(漯河)食品有限公司海底捞火锅底料生产", "颐海(漯河)食品有限公司", "漯河市", 20000, 500, "P0004", 500),
    ("2023-01", "华赛包装年产8亿只绿色无菌高档瓶盖生产线", "华赛包装有限公司", "江华县", 8000, 200, "P0005", 200),
    ("2023-01", "南村綠色鑄造產業園", "南村鑄造有限公司", "南村", 15000, 300, "P0006", 300),
    ("2023-01", "安陆市应急物资仓储物流项目", "安陆市应急管理局", "安陆市", 6000, 150, "P0007", 150),
    ("2023-01", "郑州翼宇汽车零部件有限公司年产300万件汽车内饰件项目", "郑州翼宇汽车零部件有限公司", "郑州市", 9000, 250, "P0008", 250),
    ("2023-01", "李政道研究所(实验楼、基础实验设施)", "上海交通大学", "上海市闵行区", 70000, 900, "P0009", 900),
    ("2023-01", "三亚崖州湾深海科技城整体景观提升工程(一期)", "三亚崖州湾科技城开发建设有限公司", "三亚市崖州区", 12000, 400, "P0010", 400),
    ("2023-01", "锦联铝材年产55万吨易拉罐罐料及汽车板材项目", "内蒙古锦联铝材有限公司", "通辽市", 300000, 5000, "P0011", 5000),
    ("2023-01", "石庙村乡村振兴中心项目", "秦州区农业农村局", "太京镇石庙村", 300, 30, "P0012", 30),
    ("2023-01", "石庙村乡村振兴中心项目", "秦州区农业农村局", "皂郊镇石庙村", 450, 50, "P0013", 50),
    ("2023-01", "年产5万吨钢箱梁及隧道智能装备项目", "中原钢构有限公司", "郑州市", 30000, 600, "P0014", 600),
    # ---- 2023-02: retyped names; the two 石庙村 projects listed in the other order
    ("2023-02", "甘肃中科年产10万吨锂电池负极材料一体化工程", "甘肃中科新材料有限公司", "兰州新区", 120000, 2500, "P0001", 1500),  # 建设项目 -> 工程
    ("2023-02", "石庙村乡村振兴中心项目", "秦州区农业农村局", "皂郊镇石庙村", 450, 80, "P0013", 30),
    ("2023-02", "石庙村乡村振兴中心项目", "秦州区农业农村局", "太京镇石庙村", 300, 70, "P0012", 40),
    ("2023-02", "文峰乡太河村水上亲水乐园建设项目", "竹山县文峰乡人民政府", "文峰乡太河村", 3000, 250, "P0002", 150),  # place prefix dropped
    ("2023-02", "宁德市大数据产业园及基础配套设施项目(一期)", "宁德市大数据投资有限公司", "宁德市蕉城区", 50000, 1800, "P0003", 1000),  # phase appended
    ("2023-02", "颐海（漯河）食品有限公司海底捞火锅底料生产", "颐海（漯河）食品有限公司", "漯河市", 20000, 1200, "P0004", 700),  # full-width brackets
    ("2023-02", "华赛包装 年产8亿只 绿色无菌高档瓶盖生产线", "华赛包装有限公司", "江华县", 8000, 500, "P0005", 300),  # stray spaces
    ("2023-02", "南村绿色铸造产业园", "南村铸造有限公司", "南村", 15000, 700, "P0006", 400),  # simplified this month
    ("2023-02", "安陆市应急物资仓诸物流项目", "安陆市应急管理局", "安陆市", 6000, 400, "P0007", 250),  # one-character slip
    ("2023-02", "翼宇年产300万件汽车内饰件项目", "翼宇汽车零部件公司", "郑州市", 9000, 600, "P0008", 350),  # short form
    ("2023-02", "李政道研究所实验楼、基础实验设施", "上海交通大学", "上海市闵行区", 70000, 2000, "P0009", 1100),  # brackets removed
    ("2023-02", "三亚崖州湾深海科技城整体景观提升工程(一期)", "三亚崖州湾科技城开发建设有限公司", "三亚市崖州区", 12000, 900, "P0010", 500),
    ("2023-02", "三亚崖州湾深海科技城整体景观提升工程(二期)", "三亚崖州湾科技城开发建设有限公司", "三亚市崖州区", 18000, 100, "P0015", 100),  # a second phase starts
    ("2023-02", "锦联铝材年产55万吨易拉罐罐料及汽车板材项目", "内蒙古锦联铝材有限公司", "通辽市", 300000, 12000, "P0011", 7000),
    ("2023-02", "年产5万吨钢箱梁及隧道智能装备项目", "中原钢构有限公司", "郑州市", 30000, 1500, "P0014", 900),
    # ---- 2023-03: names come back; look-alikes appear while their elder is no longer listed
    ("2023-03", "甘肃中科年产10万吨锂电池负极材料一体化项目", "甘肃中科新材料有限公司", "兰州新区", 120000, 4000, "P0001", 1500),
    ("2023-03", "竹山县文峰乡太河村水上亲水乐园项目", "竹山县文峰乡人民政府", "文峰乡太河村", 3000, 400, "P0002", 150),
    ("2023-03", "宁德市大数据产业园及基础配套设施项目(二期)", "宁德市大数据投资有限公司", "宁德市蕉城区", 55000, 200, "P0016", 200),  # phase 2, phase 1 gone
    ("2023-03", "颐海(漯河)食品有限公司海底捞火锅底料生产", "颐海(漯河)食品有限公司", "漯河市", 20000, 2000, "P0004", 800),
    ("2023-03", "华赛包装年产8亿只绿色无菌高档瓶盖生产线", "华赛包装有限公司", "江华县", 8000, 900, "P0005", 400),
    ("2023-03", "南村绿色铸造产业园", "南村铸造有限公司", "南村", 15000, 1000, "P0006", 300),
    ("2023-03", "安陆市应急物资仓储物流项目", "安陆市应急管理局", "安陆市", 6000, 700, "P0007", 300),
    ("2023-03", "郑州翼宇汽车零部件有限公司年产300万件汽车内饰件项目", "郑州翼宇汽车零部件有限公司", "郑州市", 9000, 950, "P0008", 350),
    ("2023-03", "李政道研究所（实验楼、基础实验设施）", "上海交通大学", "上海市闵行区", 70000, 3500, "P0009", 1500),
    ("2023-03", "三亚崖州湾深海科技城整体景观提升工程(一期)", "三亚崖州湾科技城开发建设有限公司", "三亚市崖州区", 12000, 1500, "P0010", 600),
    ("2023-03", "三亚崖州湾深海科技城整体景观提升工程(二期)", "三亚崖州湾科技城开发建设有限公司", "三亚市崖州区", 18000, 300, "P0015", 200),
    ("2023-03", "锦联铝材年产55万吨铝合金型材项目", "内蒙古锦联铝材有限公司", "通辽市", 280000, 1000, "P0017", 1000),  # other product line
    ("2023-03", "年产10万吨钢箱梁及隧道智能装备项目", "中原钢构有限公司", "郑州市", 33000, 500, "P0018", 500),  # other numbers
    ("2023-03", "石庙村乡村振兴中心项目", "秦州区农业农村局", "太京镇石庙村", 300, 100, "P0012", 30),
    ("2023-03", "石庙村乡村振兴中心项目", "秦州区农业农村局", "藉口镇石庙村", 200, 20, "P0019", 20),  # a third town, 皂郊 not listed
]


def drift_frame() -> pd.DataFrame:
    f = pd.DataFrame(ROWS, columns=["as_of", "project_name", "owner", "location",
                                    "total_investment", "completed_investment", "_id", "_change"])
    f["as_of"] = pd.PeriodIndex(f["as_of"], freq="M")
    f["source_file"] = [f"台账_{p}.xlsx" for p in f["as_of"].astype("str")]
    f["source_row"] = f.groupby("as_of").cumcount() + 5
    f["total_investment"] = f["total_investment"].astype("float64")
    f["completed_investment"] = f["completed_investment"].astype("float64")
    return f


def test_every_kind_of_drift_keeps_one_id_and_look_alikes_keep_theirs():
    f = drift_frame()
    projects, _ = qz.link_projects(f.drop(columns=["_id", "_change"]))
    assert projects["project_id"].tolist() == f["_id"].tolist()
    assert list(projects.columns[:3]) == ["as_of", "project_id", "project_name"]
    # no id twice in one ledger
    assert not projects.duplicated(["as_of", "project_id"]).any()


def test_month_over_month_gives_each_projects_true_increase():
    f = drift_frame()
    changes = qz.month_over_month(f.drop(columns=["_id", "_change"]))
    assert changes["completed_investment_change"].tolist() == f["_change"].astype(float).tolist()
    # 2023-02: every January project is listed again, so the changes add up to the
    # change of the totals (21430 − 10230), plus the new 二期 project's 100
    feb = changes[changes["as_of"] == pd.Period("2023-02", "M")]
    assert feb["completed_investment_change"].sum() == 1500 + 30 + 40 + 150 + 1000 + 700 + 300 + \
        400 + 250 + 350 + 1100 + 500 + 100 + 7000 + 900 == 14320


def test_link_report_lists_every_non_exact_decision():
    f = drift_frame().drop(columns=["_id", "_change"])
    linked = qz.link_projects(f)
    links = linked.links
    assert list(links.columns) == list(qz.reading.many.LINK_COLUMNS)
    got = [(str(r.as_of), r.project_name, r.earlier_name, r.project_id, r.decision, r.uncertain)
           for r in links.itertuples()]
    assert got == [
        ("2023-02", "甘肃中科年产10万吨锂电池负极材料一体化工程",
         "甘肃中科年产10万吨锂电池负极材料一体化建设项目", "P0001", "linked", False),
        ("2023-02", "文峰乡太河村水上亲水乐园建设项目",
         "竹山县文峰乡太河村水上亲水乐园建设项目", "P0002", "linked", False),
        ("2023-02", "宁德市大数据产业园及基础配套设施项目(一期)",
         "宁德市大数据产业园及基础配套设施项目", "P0003", "linked", False),
        ("2023-02", "安陆市应急物资仓诸物流项目", "安陆市应急物资仓储物流项目", "P0007", "linked", True),
        ("2023-02", "翼宇年产300万件汽车内饰件项目",
         "郑州翼宇汽车零部件有限公司年产300万件汽车内饰件项目", "P0008", "linked", True),
        ("2023-03", "甘肃中科年产10万吨锂电池负极材料一体化项目",
         "甘肃中科年产10万吨锂电池负极材料一体化工程", "P0001", "linked", False),
        ("2023-03", "竹山县文峰乡太河村水上亲水乐园项目",
         "文峰乡太河村水上亲水乐园建设项目", "P0002", "linked", False),
        ("2023-03", "宁德市大数据产业园及基础配套设施项目(二期)",
         "宁德市大数据产业园及基础配套设施项目(一期)", "P0016", "apart", True),
        ("2023-03", "安陆市应急物资仓储物流项目", "安陆市应急物资仓诸物流项目", "P0007", "linked", True),
        ("2023-03", "郑州翼宇汽车零部件有限公司年产300万件汽车内饰件项目",
         "翼宇年产300万件汽车内饰件项目", "P0008", "linked", True),
        ("2023-03", "锦联铝材年产55万吨铝合金型材项目",
         "锦联铝材年产55万吨易拉罐罐料及汽车板材项目", "P0017", "apart", True),
        ("2023-03", "年产10万吨钢箱梁及隧道智能装备项目",
         "年产5万吨钢箱梁及隧道智能装备项目", "P0018", "apart", True),
        ("2023-03", "石庙村乡村振兴中心项目", "石庙村乡村振兴中心项目", "P0019", "apart", True),
    ]
    evidence = dict(zip(links["project_name"] + "|" + links["as_of"].astype(str),
                        links["evidence"], strict=True))
    assert "建设单位相同" in evidence["甘肃中科年产10万吨锂电池负极材料一体化工程|2023-02"]
    assert "分期不同（1期 → 2期）" in evidence["宁德市大数据产业园及基础配套设施项目(二期)|2023-03"]
    assert "数字不同（5 → 10）" in evidence["年产10万吨钢箱梁及隧道智能装备项目|2023-03"]
    assert "用词不同" in evidence["锦联铝材年产55万吨铝合金型材项目|2023-03"]
    assert "建设地点不同" in evidence["石庙村乡村振兴中心项目|2023-03"]
    assert links["score"].between(0, 100).all()
    # where each decision came from: file and row of both sides
    first = links.iloc[0]
    assert (first.source_file, first.source_row) == ("台账_2023-02.xlsx", 5)
    assert (first.earlier_source_file, first.earlier_source_row) == ("台账_2023-01.xlsx", 5)


def test_uncertain_links_are_findings_with_file_and_row():
    linked = qz.link_projects(drift_frame().drop(columns=["_id", "_change"]))
    findings = linked.findings
    assert findings["rule"].eq("uncertain_link").all()
    assert len(findings) == linked.links["uncertain"].sum() == 8
    slip = findings.iloc[0]
    assert (slip.source_file, slip.source_row, slip.severity) == ("台账_2023-02.xlsx", 13, "warning")
    assert slip.message.startswith(
        "2023-02“安陆市应急物资仓诸物流项目”与 2023-01“安陆市应急物资仓储物流项目”"
        "（台账_2023-01.xlsx 第11行）已视为同一项目，依据：")


def test_decisions_table_pins_and_forbids_pairs(tmp_path):
    f = drift_frame().drop(columns=["_id", "_change"])
    table = pd.DataFrame({
        "name": ["锦联铝材年产55万吨铝合金型材项目", "甘肃中科年产10万吨锂电池负极材料一体化工程"],
        "other_name": ["锦联铝材年产55万吨易拉罐罐料及汽车板材项目",
                       "甘肃中科年产10万吨锂电池负极材料一体化建设项目"],
        "decision": ["link", "apart"],
    })
    path = tmp_path / "decisions.csv"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    for decisions in (table, path):
        projects, links = qz.link_projects(f, decisions=decisions)
        ids = projects["project_id"].tolist()
        # 甘肃中科 in February is forbidden to be January's: a new id (P0015, the first new
        # row of February); March's 项目 then links to February's 工程 (P0015) by similarity
        assert ids[0] == "P0001" and ids[14] == "P0015" and ids[29] == "P0015"
        # the 二期 of 三亚 becomes P0016; the 型材 line is pinned to the 易拉罐 line (P0011)
        assert ids[26] == "P0016" and ids[40] == "P0011"
        pinned = links[links["decision"] == "pinned"]
        assert pinned[["project_name", "project_id"]].values.tolist() == [
            ["锦联铝材年产55万吨铝合金型材项目", "P0011"]]
    bad = table.assign(decision=["maybe", "link"])
    with pytest.raises(ValueError, match="decision 只能是 link（合并）或 apart（分开），不是“maybe”"):
        qz.link_projects(f, decisions=bad)


def test_national_project_code_decides_first():
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-01", "2023-02", "2023-02"], freq="M"),
        "project_name": ["上海光源二期(线站工程)", "省级贫困村饮水安全工程",
                         "上海光源线站工程", "省级贫困村饮水安全工程"],
        "项目代码": ["2016-310000-73-01-000123", "2019-620502-76-01-000456",
                  "2016310000730100 0123", "2019-620503-76-01-000789"],
    })
    f["项目代码"] = f["项目代码"].str.replace(" ", "")
    projects, links = qz.link_projects(f)
    # the code links the retyped name; the same name with another code is another project
    assert projects["project_id"].tolist() == ["P0001", "P0002", "P0001", "P0003"]
    assert links[["project_name", "decision"]].values.tolist() == [["上海光源线站工程", "linked"]]
    assert links["evidence"].iloc[0] == "项目代码相同（2016-310000-73-01-000123）"


def test_code_written_inside_the_name():
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-02"], freq="M"),
        "project_name": ["回亭子口灌區一期（2021-511300-76-01-123456）",
                         "回亭子口灌区项目2021-511300-76-01-123456"],
    })
    assert qz.link_projects(f).projects["project_id"].tolist() == ["P0001", "P0001"]


def test_names_only_repeat_in_order_and_nothing_is_forced():
    # without owner, location or total there is no confirmation: a retyped name is new
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01"] * 3 + ["2023-02"] * 3, freq="M"),
        "project_name": ["蔡锷乡陈桥村污水处理厂", "蔡锷乡陈桥村污水处理厂", "敬老院(福利院)電梯加裝工程",
                         "蔡锷乡陈桥村污水处理厂", "蔡锷乡陈桥村污水处理厂", "敬老院(福利院)电梯加装项目"],
        "completed_investment": [10.0, 20.0, 5.0, 15.0, 30.0, 8.0],
    })
    projects, links = qz.link_projects(f)
    assert projects["project_id"].tolist() == ["P0001", "P0002", "P0003", "P0001", "P0002", "P0004"]
    assert links["decision"].tolist() == ["apart"]  # close (the same core name), not confirmed
    assert "佐证不足" in links["evidence"].iloc[0]


def test_two_retypings_of_one_project_in_one_ledger_do_not_share_its_id():
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-02", "2023-02"], freq="M"),
        "project_name": ["福鼎市百胜新院区工程项目", "福鼎市百胜新院区项目", "福鼎市百胜新院区工程"],
        "owner": ["福鼎市医院"] * 3,
        "total_investment": [40000.0] * 3,
    })
    ids = qz.link_projects(f).projects["project_id"].tolist()
    assert ids[0] == "P0001" and sorted(ids[1:]) == ["P0001", "P0002"]


def test_history_by_id_and_by_any_of_its_names():
    f = drift_frame().drop(columns=["_id", "_change"])
    by_name = qz.history(f, "翼宇年产300万件汽车内饰件项目")
    by_id = qz.history(f, "P0008")
    pd.testing.assert_frame_equal(by_name, by_id)
    assert [str(p) for p in by_id.index] == ["2023-01", "2023-02", "2023-03"]
    assert by_id["completed_investment"].tolist() == [250, 600, 950]
    assert by_id["completed_investment_change"].tolist() == [250, 350, 350]
    assert by_id["project_name"].iloc[1] == "翼宇年产300万件汽车内饰件项目"
    with pytest.raises(ValueError, match="名称“石庙村乡村振兴中心项目”对应多个项目：P0012、P0013、P0019"):
        qz.history(f, "石庙村乡村振兴中心项目")
    with pytest.raises(ValueError, match="没有找到项目“不存在的项目”"):
        qz.history(f, "不存在的项目")


# --------------------------------------------------------------------------- from files

HEADER = ["序号", "项目名称", "建设单位", "建设地点", "总投资", "本年计划投资", "{m}完成投资",
          "建设性质"]


def _write_month(path: Path, month: int, rows: list[tuple]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = f"1-{month}月"
    ws.append([f"2023年1-{month}月重点项目进展情况表"])
    ws.append(["单位：万元"])
    ws.append([h.format(m=f"1-{month}月") for h in HEADER])
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    book.save(path)


def _write_drift_ledgers(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    months = {1: [], 2: [], 3: []}
    for month, name, owner, location, total, done, _id, _change in ROWS:
        months[int(month[-2:])].append((name, owner, location, total, total / 2, done, "续建"))
    for month, rows in months.items():
        _write_month(folder / f"重点项目_2023-{month:02d}.xlsx", month, rows)


def test_load_many_links_retyped_names_read_from_workbooks(tmp_path):
    _write_drift_ledgers(tmp_path / "m")
    frame = qz.load_many(tmp_path / "m")
    expected = drift_frame()
    assert frame["project_id"].tolist() == expected["_id"].tolist()
    changes = qz.month_over_month(frame)
    assert changes["completed_investment_change"].tolist() == expected["_change"].astype(float).tolist()


def test_load_many_in_worker_processes_gives_the_same_frame(tmp_path):
    _write_drift_ledgers(tmp_path / "m")
    one = qz.load_many(tmp_path / "m", workers=1)
    two = qz.load_many(tmp_path / "m", workers=2)
    pd.testing.assert_frame_equal(one, two)


def test_load_many_in_worker_processes_names_the_bad_file(tmp_path):
    _write_drift_ledgers(tmp_path / "m")
    (tmp_path / "m" / "重点项目_2023-04.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(LedgerError, match=r"文件 重点项目_2023-04\.xlsx"):
        qz.load_many(tmp_path / "m", workers=2)
    with pytest.raises(ValueError, match="workers 应为正整数"):
        qz.load_many(tmp_path / "m", workers=0)


def test_sample_monthly_ledgers_one_id_per_project():
    frame = qz.load_many(MONTHLY)
    # 31 续建 + 28 新签约 (data/README.md) + the second phase signed in May
    assert frame["project_id"].nunique() == 59 + 1
    assert not frame.duplicated(["as_of", "project_id"]).any()
    june = frame[frame["as_of"] == pd.Period("2008-06", "M")]
    assert june["project_id"].nunique() == 59 + 1
    # the 31 续建 projects are in every month, under the same id
    per_id = frame.groupby("project_id").size()
    assert (per_id == 6).sum() == 31 + 5  # and the 5 新签约 projects already signed in January


# The sample's monthly ledgers retype some names in 1-5月 (data/README.md, "名称漂移"),
# typed here by hand: (month, name in the ledger) -> (name as the reader gives it, the
# project's name in June, whether the link is a similarity decision listed in the link
# report). The reader itself folds stray spaces, full-width letters and traditional
# characters (text normalisation), and the linker's normalised name drops brackets: those
# are equal names, not in the report.
SAMPLE_DRIFT = {
    ("2008-02", "花牛苹果气调保鲜库建设工程"):
        ("花牛苹果气调保鲜库建设工程", "花牛苹果气调保鲜库建设项目", True),
    ("2008-03", "花牛苹果气调保鲜库建设工程"):
        ("花牛苹果气调保鲜库建设工程", "花牛苹果气调保鲜库建设项目", False),
    ("2008-03", "汽车贸易城建设项目"): ("汽车贸易城建设项目", "秦州汽车贸易城建设项目", True),
    ("2008-04", "汽车贸易城建设项目"): ("汽车贸易城建设项目", "秦州汽车贸易城建设项目", False),
    ("2008-04", "ＳＳＯＰ集成电路引线框架生产线项目"):
        ("SSOP集成电路引线框架生产线项目", "SSOP集成电路引线框架生产线项目", False),
    ("2008-05", "瑞德电器（1500台/套）高低压启动设备生产项目"):
        ("瑞德电器(1500台/套)高低压启动设备生产项目", "瑞德电器1500台/套高低压启动设备生产项目", False),
    ("2008-01", "派尔彩印 包装生产线建设项目"):
        ("派尔彩印包装生产线建设项目", "派尔彩印包装生产线建设项目", False),
    ("2008-03", "西聯蜂業蜂產品深加工項目"):
        ("西联蜂业蜂产品深加工项目", "西联蜂业蜂产品深加工项目", False),
}
# 1-n月完成投资 of every sample project is fixed by data/make_sample_data.py; the monthly
# totals are typed in data/README.md: 580, 1055, 3430, 7350, 12085, 17500 (1-1月 … 1-6月).
SAMPLE_TOTALS = [580, 1055, 3430, 7350, 12085, 17500]


def _generator_table() -> dict[str, dict[int, int]]:
    """The generator's own 1-n月完成投资 per project (canonical name) and month."""
    import importlib.util
    import random

    spec = importlib.util.spec_from_file_location("make_sample_data",
                                                  ROOT / "data" / "make_sample_data.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # @dataclass looks its module up there
    try:
        spec.loader.exec_module(gen)
    finally:
        del sys.modules[spec.name]
    groups = gen.build_projects()
    gen.allocate(groups, random.Random(gen.SEED))
    gen.monthly_paths(groups)
    table = {p.name: {m: c for m, (c, _) in p.monthly.items()}
             for ps in groups.values() for p in ps}
    phase2 = gen.second_phase_project()
    table[phase2.name] = {m: c for m, (c, _) in phase2.monthly.items()}
    return table


def test_sample_drift_keeps_every_projects_monthly_increase():
    frame = qz.load_many(MONTHLY)
    changes = qz.month_over_month(frame)
    june = frame[frame["as_of"] == pd.Period("2008-06", "M")]
    canonical = dict(zip(june["project_id"], june["project_name"], strict=True))
    names = dict(zip(zip(frame["as_of"].astype(str), frame["project_name"], strict=True),
                     frame["project_id"], strict=True))
    # each retyped name carries the id of its June name
    for (month, typed), (read, name, _) in SAMPLE_DRIFT.items():
        assert canonical[names[(month, read)]] == name, (month, typed)
    # the second phase is a project of its own, not the first phase's
    assert names[("2008-06", "秦州物流园区二期工程")] != names[("2008-06", "秦州物流园区一期工程")]
    assert names[("2008-05", "秦州物流园区二期工程")] == names[("2008-06", "秦州物流园区二期工程")]
    # every project's monthly increase is the generator's: no year-to-date figure is
    # counted again as a month's increase
    table = _generator_table()
    assert set(table) == set(canonical.values())
    for row in changes.itertuples():
        done = table[canonical[row.project_id]]
        month = row.as_of.month
        expected = done[month] - done.get(month - 1, 0)
        assert row.completed_investment_change == expected, (row.project_name, month)
    # and the months add up to the totals typed in data/README.md
    increases = changes.groupby("as_of")["completed_investment_change"].sum().tolist()
    assert increases == [580, 1055 - 580, 3430 - 1055, 7350 - 3430, 12085 - 7350, 17500 - 12085]
    totals = frame.groupby("as_of")["completed_investment"].sum().tolist()
    assert totals == SAMPLE_TOTALS


def test_sample_link_report_lists_the_similarity_links_with_evidence():
    links = qz.link_projects(qz.load_many(MONTHLY).drop(columns="project_id")).links
    got = {(str(r.as_of), r.project_name): r.earlier_name for r in links.itertuples()}
    assert got == {
        ("2008-02", "花牛苹果气调保鲜库建设工程"): "花牛苹果气调保鲜库建设项目",
        ("2008-04", "花牛苹果气调保鲜库建设项目"): "花牛苹果气调保鲜库建设工程",
        ("2008-03", "汽车贸易城建设项目"): "秦州汽车贸易城建设项目",
        ("2008-05", "秦州汽车贸易城建设项目"): "汽车贸易城建设项目",
    }
    assert {(m, read) for (m, _), (read, _, listed) in SAMPLE_DRIFT.items() if listed} <= set(got)
    assert links["decision"].eq("linked").all() and not links["uncertain"].any()
    for evidence in links["evidence"]:
        for word in ("名称相似", "建设单位相同", "建设地点相同", "总投资相同"):
            assert word in evidence, evidence
    place = links[links["project_name"] == "汽车贸易城建设项目"].iloc[0]
    assert "秦州汽车贸易城 ~ 汽车贸易城" in place["evidence"]
    assert place["source_file"].endswith("qinzhou_2008-03.xlsx")
    assert place["earlier_source_file"].endswith("qinzhou_2008-02.xlsx")


def test_sample_history_of_a_drifting_project():
    frame = qz.load_many(MONTHLY)
    hist = qz.history(frame, "汽车贸易城建设项目")  # its name in 1-3月 and 1-4月
    assert [str(p) for p in hist.index] == [f"2008-0{m}" for m in range(1, 7)]
    assert hist["project_name"].tolist() == ["秦州汽车贸易城建设项目"] * 2 + \
        ["汽车贸易城建设项目"] * 2 + ["秦州汽车贸易城建设项目"] * 2
    done = _generator_table()["秦州汽车贸易城建设项目"]
    assert hist["completed_investment"].tolist() == [done[m] for m in range(1, 7)]


# --------------------------------------------------------------------------- the moved names


def test_load_many_moved_to_reading_old_name_warns():
    import qzanalysis.metrics as metrics
    from qzanalysis.reading import many

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = metrics.load_many
    assert old is many.load_many is qz.load_many
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "qzanalysis.metrics.load_many moved to qzanalysis.load_many" in str(caught[0].message)


def test_reading_does_not_import_metrics_and_import_stays_light():
    import ast

    for path in (ROOT / "qzanalysis" / "reading").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("qzanalysis.metrics", "qzanalysis.report"), path.name
    code = ("import sys, qzanalysis; "
            "assert 'rapidfuzz' not in sys.modules and 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_link_projects_needs_as_of():
    with pytest.raises(ValueError, match="数据中没有“as_of”列"):
        qz.link_projects(pd.DataFrame({"project_name": ["甲"]}))


def test_link_projects_does_not_modify_its_input():
    f = drift_frame().drop(columns=["_id", "_change"])
    before = f.copy()
    qz.link_projects(f)
    pd.testing.assert_frame_equal(f, before)
    assert np.isnan(qz.link_projects(f.iloc[:0]).links["score"].to_numpy()).all()


def test_another_product_line_of_the_same_owner_stays_apart_even_when_names_are_close():
    # R0387; the 工业缝纫机 line is the same company's second product (invented), listed
    # in February while the 电动缝纫机 line is not: close names (score > 90), same owner,
    # place and total, but a replaced two-character word
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-02"], freq="M"),
        "project_name": ["华鑫科技年产150万套高档服装和1万台电动缝纫机",
                         "华鑫科技年产150万套高档服装和1万台工业缝纫机"],
        "owner": ["华鑫科技有限公司"] * 2, "location": ["通辽市"] * 2,
        "total_investment": [20000.0, 20000.0],
    })
    projects, links = qz.link_projects(f)
    assert projects["project_id"].tolist() == ["P0001", "P0002"]
    assert links["decision"].tolist() == ["apart"]
    assert links["score"].iloc[0] > 90
    assert "用词不同（电动 → 工业）" in links["evidence"].iloc[0]


def test_a_one_character_product_change_is_not_a_slip():
    # R0011; the 蛋鸡 farm of the same owner is invented. 肉鸡 → 蛋鸡 is one character, but
    # both are product words (rules/industry_keywords.csv); 仓储 → 仓诸 (R0539) is a slip
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-01", "2023-02", "2023-02"], freq="M"),
        "project_name": ["盘锦市大洼区众诚养殖场肉鸡养殖场建设项目", "安陆市应急物资仓储物流项目",
                         "盘锦市大洼区众诚养殖场蛋鸡养殖场建设项目", "安陆市应急物资仓诸物流项目"],
        "owner": ["众诚养殖场", "安陆市应急管理局", "众诚养殖场", "安陆市应急管理局"],
        "total_investment": [3000.0, 6000.0, 3000.0, 6000.0],
    })
    projects, links = qz.link_projects(f)
    assert projects["project_id"].tolist() == ["P0001", "P0002", "P0003", "P0002"]
    assert links[["project_name", "decision"]].values.tolist() == [
        ["盘锦市大洼区众诚养殖场蛋鸡养殖场建设项目", "apart"],
        ["安陆市应急物资仓诸物流项目", "linked"],
    ]
    assert "产品不同（肉鸡 → 蛋鸡）" in links["evidence"].iloc[0]


def test_month_over_month_follows_the_given_project_id_not_the_name():
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-01", "2023-02", "2023-02"], freq="M"),
        "project_id": ["P0001", "P0002", "P0002", "P0001"],
        "project_name": ["甲", "乙", "甲", "乙"],  # names swapped: the ids decide
        "completed_investment": [100.0, 10.0, 30.0, 250.0],
    })
    changes = qz.month_over_month(f)["completed_investment_change"].tolist()
    assert changes == [100.0, 10.0, 20.0, 150.0]


def test_load_many_reads_here_when_the_pool_cannot_start(tmp_path, monkeypatch):
    import concurrent.futures

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise OSError("no semaphores on this system")

    _write_drift_ledgers(tmp_path / "m")
    expected = qz.load_many(tmp_path / "m", workers=1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    pd.testing.assert_frame_equal(qz.load_many(tmp_path / "m", workers=2), expected)


def test_load_many_uses_one_process_for_a_few_small_files(tmp_path):
    from qzanalysis.reading.many import _workers

    _write_drift_ledgers(tmp_path / "m")
    files = sorted((tmp_path / "m").iterdir())
    assert _workers(files, None) == 1  # 3 files of a few KB: a pool costs more than it saves
    assert _workers(files, 8) == 3  # never more workers than files
    assert _workers(files[:1], None) == 1


def test_a_slip_in_a_short_owner_name_does_not_split_a_project():
    # R0629 (traditional in the source); owners invented: 景山村合作社 / 景山村合做社
    f = pd.DataFrame({
        "as_of": pd.PeriodIndex(["2023-01", "2023-02"], freq="M"),
        "project_name": ["景山村羊肚菌產業種植基地", "景山村羊肚菌产业种植基地"],
        "owner": ["景山村合作社", "景山村合做社"],
    })
    projects, links = qz.link_projects(f)
    assert projects["project_id"].tolist() == ["P0001", "P0001"]
    assert links.empty  # the same name: an exact match, not reported
