"""Classification by stage, funding channel and GB/T 4754-2017 industry (qzanalysis.classify)."""

from pathlib import Path

import pandas as pd
import pytest

import qzanalysis as qz
from qzanalysis.classify import classification_findings, unclassified
from qzanalysis.industry import divisions, sections
from qzanalysis.vocab import STAGE_DTYPE

DATA = Path(__file__).parent / "data"

# The eight projects the founding article names, with the section a FAI statistician assigns.
ARTICLE = {
    "瑞德电器1500台/套高低压启动设备生产项目": "C",
    "派尔彩印包装生产线建设": "C",
    "大华电力通讯设备生产": "C",
    "西联蜂业蜂产品深加工": "C",
    "2000头荷斯坦奶牛养殖基地建设": "A",
    "红豆杉繁育基地建设": "A",
    "SSOP集成电路引线框架生产线": "C",
    "皂郊水厂改扩建": "D",
}


def test_article_projects_get_their_sections():
    out = qz.classify(pd.DataFrame({"project_name": list(ARTICLE)}))
    assert out["industry_section"].tolist() == list(ARTICLE.values())
    assert out["industry_division"].tolist() == ["38", "23", "39", "14", "03", "02", "39", "46"]


def test_article_names_in_traditional_characters():
    names = ["瑞德電器高低壓啟動設備生產項(xiàng)目", "皂郊水廠改擴建"]
    out = qz.classify(pd.DataFrame({"project_name": names}))
    assert out["industry_section"].tolist() == ["C", "D"]


@pytest.mark.parametrize(
    "name", ["classify_names.csv", "classify_names_blind.csv", "classify_names_blind2.csv"]
)
def test_accuracy_on_the_gansu_test_set(capsys, name):
    truth = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    assert len(truth) >= 120
    out = qz.classify(truth[["project_name"]])
    got = out["industry_section"].fillna("")
    right = (got == truth["section"]).mean()
    missing = (got == "").mean()
    has_div = truth["division"] != ""
    div_right = (out["industry_division"].fillna("")[has_div] == truth["division"][has_div]).mean()
    added = (truth["added_after_tuning"] == "yes").sum()
    failed_first = truth["note"].str.contains("failed before tuning").sum()
    with capsys.disabled():
        print(
            f"\n{name}: {len(truth)} names, sections right {right:.1%}, "
            f"unclassified {missing:.1%}, divisions right {div_right:.1%} "
            f"(of {has_div.sum()} with a division); {added} names added after seeing failures, "
            f"{failed_first} names failed before the keywords were tuned"
        )
    assert right >= 0.90
    assert missing <= 0.05


def test_gbt4754_tables_have_the_standard_shape():
    sec, div = sections(), divisions()
    assert list(sec.columns) == ["section", "name", "short_name", "sector"]
    assert list(div.columns) == ["division", "section", "name", "sector"]
    assert len(sec) == 20 and len(div) == 97
    assert div["section"].nunique() == 20
    ranges = {
        "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50),
        "F": (51, 52), "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69),
        "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79), "O": (80, 82),
        "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
    }
    for section, (lo, hi) in ranges.items():
        codes = div.loc[div["section"] == section, "division"].tolist()
        assert codes == [f"{i:02d}" for i in range(lo, hi + 1)], section
    names = div.set_index("division")["name"]
    assert names["13"] == "农副食品加工业"
    assert names["39"] == "计算机、通信和其他电子设备制造业"
    assert names["78"] == "公共设施管理业"
    assert sec.set_index("section").loc["D", "name"] == "电力、热力、燃气及水生产和供应业"
    assert sec.set_index("section").loc["N", "short_name"] == "水利环境公共设施"


def test_sector_follows_the_2018_rules_with_their_exceptions():
    div = divisions().set_index("division")["sector"]
    assert div[["01", "02", "03", "04"]].eq("第一产业").all()
    assert div[["05", "11", "43"]].eq("第三产业").all()
    assert div[["06", "12", "13", "42", "44", "46", "47", "50"]].eq("第二产业").all()
    out = qz.classify(
        pd.DataFrame(
            {
                "project_name": ["农机服务中心", "矿山设备维修中心", "某某项目", "秦安县万亩果园",
                                 "皂郊水厂改扩建", "棚户区改造"],
                "industry": [None, None, "开采专业及辅助性活动", None, None, None],
            }
        )
    )
    assert out["industry_section"].tolist() == ["A", "C", "B", "A", "D", "K"]
    assert out["industry_division"].tolist() == ["05", "43", "11", "01", "46", "70"]
    assert out["sector"].tolist() == ["第三产业", "第三产业", "第三产业", "第一产业",
                                      "第二产业", "第三产业"]


def test_industry_column_names_a_gb_industry():
    out = qz.classify(
        pd.DataFrame(
            {
                "project_name": ["某某项目", "某某项目", "某某项目", "某某项目", "奶牛养殖"],
                "industry": ["制造业", "房地产业", "批发和零售业", "C13", "电力、热力生产和供应业"],
            }
        )
    )
    assert out["industry_section"].tolist() == ["C", "K", "F", "C", "D"]
    assert out["industry_division"].fillna("").tolist() == ["", "70", "", "13", "44"]
    assert out["industry_rule"].iloc[0] == "行业列:制造业"


def test_local_category_only_narrows():
    out = qz.classify(
        pd.DataFrame(
            {
                "project_name": ["果品生产基地", "果品生产基地", "某某项目", "某某项目"],
                "industry": [None, "工业", "工业", "生态环保"],
            }
        )
    )
    # 果品 (A) beats the weak 生产 (C) unless the category says 工业
    assert out["industry_section"].fillna("").tolist() == ["A", "C", "", "N"]
    assert out["industry_rule"].iloc[1] == "关键词:生产→C(类别:工业)"
    assert out["industry_rule"].iloc[3] == "类别:生态环保→N"


def test_content_is_used_when_the_name_says_nothing():
    out = qz.classify(pd.DataFrame({"project_name": ["秦州区一号工程"],
                                    "content": ["新建日处理2万吨的净水厂一座"]}))
    assert out[["industry_section", "industry_division"]].values.tolist() == [["D", "46"]]
    assert out["industry_rule"].iloc[0] == "关键词(建设内容):净水厂→D46"


def test_analyst_rules_win(tmp_path):
    df = pd.DataFrame({"project_name": ["香菇酱厂建设", "某某工程"], "funding_source": ["以工代赈", None],
                       "stage": ["已摘牌", "在建"]})
    plain = qz.classify(df)
    assert plain["industry_division"].iloc[0] == "01"  # 香菇 is a crop without the rule
    assert plain["funding_channel"].isna().iloc[0]
    path = tmp_path / "rules.csv"
    path.write_text(
        "keyword,section,division,channel,stage,note\n"
        "香菇酱,C,14,,,our sauce plant\n"
        "以工代赈,,,国家预算资金,,\n"
        "已摘牌,,,,前期,\n",
        encoding="utf-8",
    )
    out = qz.classify(df, rules=path)
    assert out["industry_section"].iloc[0] == "C"
    assert out["industry_division"].iloc[0] == "14"
    assert out["industry_rule"].iloc[0] == "用户规则:香菇酱→C14"
    assert out["funding_channel"].iloc[0] == "国家预算资金"
    assert out["stage"].astype(object).tolist() == ["前期", "续建"]
    frame_rules = pd.DataFrame({"keyword": ["某某工程"], "section": ["n"], "division": ["78"]})
    assert qz.classify(df, rules=frame_rules)["industry_section"].iloc[1] == "N"
    with pytest.raises(ValueError, match="每一行只能填 section、stage 中的一列"):
        qz.classify(df, rules=pd.DataFrame({"keyword": ["x"], "section": ["C"], "stage": ["前期"]}))
    with pytest.raises(ValueError, match=r"unknown section \['Z'\]"):
        qz.classify(df, rules=pd.DataFrame({"keyword": ["x"], "section": ["Z"]}))


def test_stage_words_and_sections():
    df = pd.DataFrame(
        {
            "project_name": ["a", "b", "c", "d", "e"],
            "stage": ["在建", "已签约", "推进中", None, "建成投产"],
            "section": [None, None, None, "一、续建项目（31个）", None],
        }
    )
    out = qz.classify(df)
    assert out["stage"].dtype == STAGE_DTYPE
    assert out["stage"].astype(object).fillna("").tolist() == ["续建", "新签约", "", "续建", "竣工"]
    assert out["stage"].iloc[1] < out["stage"].iloc[0]  # ordered: 新签约 < 续建


def test_funding_from_text_and_kept_from_the_reader():
    df = pd.DataFrame(
        {
            "project_name": ["a", "b", "c"],
            "funding_source": ["企业自筹+银行贷款", "中央预算内投资", None],
            "funding_channel": [None, "国内贷款", "利用外资"],
            "funding_detail": [None, "农发行贷款", "外商直接投资"],
        }
    )
    out = qz.classify(df)
    assert out["funding_channel"].tolist() == ["多渠道", "国内贷款", "利用外资"]
    assert out["funding_detail"].tolist() == ["企业自筹、银行贷款", "农发行贷款", "外商直接投资"]


def test_input_frame_is_not_mutated_and_index_is_kept():
    df = pd.DataFrame(
        {"project_name": ["皂郊水厂改扩建", "红豆杉繁育基地建设"], "stage": ["在建", "新签约"],
         "funding_source": ["自筹", "外资"], "extra": [1, 2]},
        index=[7, 7],
    )
    before = df.copy(deep=True)
    out = qz.classify(df)
    pd.testing.assert_frame_equal(df, before)
    assert out.index.tolist() == [7, 7]
    assert list(out.columns[:4]) == list(df.columns)
    assert out["industry_section"].tolist() == ["D", "A"]


def test_findings_name_project_sheet_and_row():
    df = pd.DataFrame(
        {
            "project_name": ["某某项目", "皂郊水厂改扩建"],
            "stage": ["推进中", "在建"],
            "funding_source": ["自筹", "上面给的钱"],
            "source_file": ["h1.xlsx", "h1.xlsx"],
            "source_sheet": ["1-6月", "1-6月"],
            "source_row": [7, 8],
        }
    )
    f = classification_findings(df)
    assert f["rule"].tolist() == ["unknown_stage", "unclassified_industry", "unknown_channel"]
    assert f["message"].tolist() == [
        "项目“某某项目”（文件 h1.xlsx，工作表“1-6月”，第7行）：阶段“推进中”无法识别，"
        "请在 rules/stage_words.csv 中补充该词",
        "项目“某某项目”（文件 h1.xlsx，工作表“1-6月”，第7行）：无法判断行业（GB/T 4754-2017 门类），"
        "请填写行业列或在 rules= 中补充关键词",
        "项目“皂郊水厂改扩建”（文件 h1.xlsx，工作表“1-6月”，第8行）：资金来源“上面给的钱”"
        "无法归入资金渠道，请在 rules= 中补充",
    ]
    assert f["source_row"].tolist() == [7, 7, 8]
    assert (f["severity"] == "warning").all()


def test_unclassified_lists_near_matches():
    df = pd.DataFrame({"project_name": ["某某菌菇大棚改建", "秦州区蜂产车间"], "stage": ["续建", "在建"]})
    out = qz.classify(df)
    assert out["industry_section"].tolist() == ["A", "C"]
    u = unclassified(pd.DataFrame({"project_name": ["某某工程", "羊肚菌培育室"],
                                   "stage": ["续建", "推进中"]}))
    assert u["missing"].tolist() == ["行业", "阶段"]
    assert u["near_matches"].iloc[0] == ""
    u2 = unclassified(pd.DataFrame({"project_name": ["蜂产深加"], "stage": ["续建"]}))
    assert "蜂产品(C14)" in u2["near_matches"].iloc[0].split("、")


def test_unclassified_does_not_report_stages_for_a_bare_list_of_names():
    from qzanalysis.classify import unclassified

    names = pd.DataFrame({"project_name": ["皂郊水厂改扩建", "某某综合项目"]})
    out = unclassified(names)
    assert out["project_name"].tolist() == ["某某综合项目"]
    assert out["missing"].tolist() == ["行业"]


def test_analyst_rule_wins_over_a_local_category():
    # 农业 allows only some sections; the analyst's own rule still decides
    df = pd.DataFrame({"project_name": ["农村沼气池建设项目"], "industry": ["农业"]})
    rules = pd.DataFrame({"keyword": ["沼气池"], "section": ["D"], "division": ["45"]})
    out = qz.classify(df, rules=rules)
    assert out.loc[0, "industry_section"] == "D"
    assert out.loc[0, "industry_division"] == "45"
    assert out.loc[0, "industry_rule"].startswith("用户规则")
