"""qz.verify and `qzanalysis verify`: figures checked against their own arithmetic and the ledger.

Expected values are computed by hand (written next to each case); the published sentences
are in tests/data/verify_sentences.csv with their source and the hand computation.
"""

import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import qzanalysis as qz
from qzanalysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "qinzhou_h1_projects.xlsx"
ARTICLE = Path("/work/shared/reference/qinzhou_h1_article.txt")
SENTENCES = Path(__file__).parent / "data" / "verify_sentences.csv"

# The founding article's figures paragraph (its last one, as published: traditional
# characters with the pinyin artefacts of a web converter, ASCII commas).
ARTICLE_PARAGRAPH = (
    "今年上半年,全區(qū)共實(shí)施招商引資項(xiàng)目59個,總投資9858"
    "3萬元,合同引資86563萬元。其中實(shí)施續(xù)建項(xiàng)目31個,"
    "總投資71030萬元,今年完成投資11505萬元,引進(jìn)到位資金10095萬元,"
    "主要有瑞德電器1500臺/套高低壓啟動設(shè)備生產(chǎn)項(xiàng)目、"
    "派爾彩印包裝生產(chǎn)線建設(shè)、大華電力通訊設(shè)備生產(chǎn)"
    "、西聯(lián)蜂業(yè)蜂產(chǎn)品深加工等項(xiàng)目。實(shí)"
    "施新簽約項(xiàng)目28個,總投資27553萬元,已完成投資5995萬元,引進(j"
    "ìn)到位資金5995萬元,主要有2000頭荷斯坦奶牛養(yǎng)殖基地建設(shè)"
    "、紅豆杉繁育基地建設(shè)、SSOP集成電路引線框架生產(chǎn)線、皂郊水廠改擴"
    "(kuò)建等項(xiàng)目。"
)
# The article's ledger figures, from its text: (stated, unit).
ARTICLE_FIGURES = [(59, "个"), (98583, "万元"), (86563, "万元"), (31, "个"), (71030, "万元"),
                   (11505, "万元"), (10095, "万元"), (28, "个"), (27553, "万元"), (5995, "万元"),
                   (5995, "万元")]


@pytest.fixture(scope="module")
def projects():
    return qz.classify(qz.load(SAMPLE).projects)


def figures(result):
    return result[result["kind"] != "name"]


def test_columns_and_import_keeps_matplotlib_out():
    result = qz.verify("全区共实施项目3个。")
    assert list(result.columns) == ["claim", "stated", "unit", "computed", "status", "message",
                                    "start", "end", "kind", "check"]
    done = subprocess.run([sys.executable, "-c", "import sys, qzanalysis as qz; qz.verify('x');"
                           "print('matplotlib' in sys.modules)"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_article_paragraph_all_ok_against_the_sample(projects):
    assert ARTICLE_PARAGRAPH in ARTICLE.read_text(encoding="utf-8")
    result = qz.verify(ARTICLE_PARAGRAPH, projects)
    figs = figures(result)
    assert list(zip(figs["stated"], figs["unit"], strict=True)) == ARTICLE_FIGURES
    assert figs["status"].eq("ok").all(), figs[figs["status"] != "ok"]
    assert figs["check"].eq("ledger").all()
    assert (figs["computed"] == figs["stated"]).all()
    names = result[result["kind"] == "name"]
    assert len(names) == 8 and names["status"].eq("ok").all()
    # offsets point into the original (traditional) text
    for r in result.itertuples():
        assert ARTICLE_PARAGRAPH[r.start:r.end] == r.claim
    assert figs["claim"].iloc[1] == "總投資98583萬元"
    assert "续建项目的到位资金" in figs["message"].iloc[6]


def test_whole_article_has_no_mismatch(projects):
    result = qz.verify(ARTICLE.read_text(encoding="utf-8"), projects)
    assert not result["status"].eq("mismatch").any()
    # 59/98583/86563 twice (both paragraphs), 4 + 4 stage figures: all checked against the ledger
    assert figures(result)["status"].eq("ok").sum() == 14


def test_two_retyped_figures_are_caught_with_their_right_values(projects):
    text = ARTICLE_PARAGRAPH.replace("總投資98583", "總投資98584").replace("10095萬元", "10059萬元")
    result = qz.verify(text, projects)
    bad = result[result["status"] == "mismatch"]
    assert bad["stated"].tolist() == [98584.0, 10059.0]
    assert bad["computed"].tolist() == [98583.0, 10095.0]
    assert "所述98584万元不符" in bad["message"].iloc[0]
    assert len(result) - len(bad) == result["status"].eq("ok").sum()


def test_a_changed_rate_is_caught(projects):
    # 续建: annual plan 21840 in the sample ledger; 11505 / 21840 = 52.678% -> 52.68
    right = "其中实施续建项目31个,年度计划投资21840万元,今年完成投资11505万元,完成年度计划的52.68%。"
    result = qz.verify(right, projects)
    assert result["status"].eq("ok").all(), result
    wrong = qz.verify(right.replace("52.68%", "52.86%"), projects)
    bad = wrong[wrong["status"] == "mismatch"]
    assert bad["stated"].tolist() == [52.86] and bad["computed"].tolist() == [52.68]
    assert bad["message"].iloc[0] == ("由今年完成投资11505万元÷年度计划投资21840万元算得52.68%，"
                                      "所述52.86%不符，应为52.68%")


def _sentence_cases():
    rows, text = [], None
    with SENTENCES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["text"] != "(same text)":
                text = row["text"].replace("\\n", "\n")
            rows.append(pytest.param(text, row, id=f"{row['id']}-{row['stated']}"))
    return rows


@pytest.mark.parametrize("text, row", _sentence_cases())
def test_published_sentences(text, row):
    result = qz.verify(text)
    stated = float(row["stated"])
    hit = result[(result["stated"] - stated).abs().lt(1e-9) & result["unit"].ne("万元")
                 & result["unit"].ne("亿元")]
    assert len(hit) >= 1
    got = hit.iloc[0]
    assert got["status"] == row["expected_status"], got["message"]
    if row["expected_computed"]:
        assert got["computed"] == pytest.approx(float(row["expected_computed"]))
    else:
        assert got["status"] == "unchecked"


def test_published_sentences_summary():
    # the issue's bar: every wrong rate flagged, no correct one flagged, most rates with a
    # stated base checked
    with SENTENCES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len({r["id"] for r in rows}) >= 20
    wrong = [r for r in rows if r["expected_status"] == "mismatch"]
    assert len(wrong) >= 2 and all("REAL ERROR" in r["hand_check"] for r in wrong)
    checked = [r for r in rows if r["expected_status"] != "unchecked"]
    assert len(checked) > 2 * (len(rows) - len(checked))


@pytest.mark.parametrize("rate, status, computed", [
    ("47.81%", "ok", 47.81),   # 4781 / 10000
    ("48%", "ok", 48.0),       # 47.81 rounds to 48
    ("47%", "mismatch", 48.0),  # cut off, not rounded
    ("47.18%", "mismatch", 47.81),
])
def test_stated_precision_and_truncation(rate, status, computed):
    text = f"年度计划投资10000万元,完成投资4781万元,占年度计划的{rate}。"
    got = qz.verify(text).iloc[-1]
    assert (got["status"], got["computed"]) == (status, computed)
    if rate == "47%":
        assert "截尾而非四舍五入" in got["message"]


def test_precision_examples_from_the_issue():
    # 83% for 83.26 is fine; 98.25% for 98.52 is not
    assert qz.verify("年度计划投资10000万元,完成投资8326万元,占年度计划的83%。").iloc[-1]["status"] == "ok"
    got = qz.verify("年度计划投资10000万元,完成投资9852万元,占年度计划的98.25%。").iloc[-1]
    assert (got["status"], got["computed"]) == ("mismatch", 98.52)


def test_a_rate_without_its_base_is_unchecked():
    result = qz.verify("其中续建项目35宗,完成投资47.7亿元,完成年度计划投资的24.3%。")
    rate = result[result["unit"] == "%"].iloc[0]
    assert rate["status"] == "unchecked" and pd.isna(rate["computed"])
    assert qz.verify("全市固定资产投资同比增长8.3%。")["status"].tolist() == ["unchecked"]


def test_growth_from_the_increase_and_from_last_year():
    # 151.99 / (555.34 - 151.99) = 37.68%; (120 - 100) / 100 = 20%
    got = qz.verify("累计完成投资555.34亿元,较去年同期增加151.99亿元,增幅37.86%。").iloc[-1]
    assert (got["status"], got["computed"]) == ("mismatch", 37.68)
    got = qz.verify("今年完成投资120万元,上年同期完成100万元,同比增长20%。").iloc[-1]
    assert (got["status"], got["computed"]) == ("ok", 20.0)


@pytest.mark.parametrize("text", [
    "今年完成投资80万元,上年同期完成100万元,同比增长-20%。",   # (80 - 100) / 100 = -20%
    "今年完成投资80万元,上年同期完成100万元,同比下降20%。",
])
def test_a_fall_is_a_negative_growth(text):
    got = qz.verify(text).iloc[-1]
    assert got["status"] == "ok", got["message"]
    wrong = qz.verify(text.replace("20%", "25%")).iloc[-1]
    assert wrong["status"] == "mismatch"


def test_a_ledger_without_categories_leaves_scopes_unchecked(projects):
    raw = qz.load(SAMPLE).projects.drop(columns=["stage"])
    result = qz.verify("其中实施续建项目31个,总投资71030万元。", raw)
    assert result["status"].tolist() == ["unchecked", "unchecked"]
    assert "请先调用 qz.classify" in result["message"].iloc[0]


@pytest.mark.parametrize("total, status", [(132, "ok"), (131, "mismatch"), (133, "unchecked")])
def test_parts_against_their_total(total, status):
    # 续建75个 + 新开工57个 = 132个; fewer parts than the total may be a partial list
    result = qz.verify(f"全区共实施重点项目{total}个,其中续建项目75个,新开工项目57个。")
    assert result.iloc[0]["status"] == status
    if status != "unchecked":
        assert result.iloc[0]["computed"] == 132


def test_units_and_scopes_against_the_ledger(projects):
    # 98583万元 = 9.86亿元; 利用外资 5 projects, 9630万元, 到位 1185万元 (sample ledger)
    result = qz.verify("全区共实施招商引资项目59个,总投资9.87亿元。", projects)
    assert result["status"].tolist() == ["ok", "mismatch"] and result["computed"].iloc[1] == 9.86
    result = qz.verify("利用外资项目5个,总投资9630万元,引进到位资金1185万元。", projects)
    assert result["status"].eq("ok").all()
    town = projects[projects["location"] == "玉泉镇"]
    text = f"玉泉镇实施项目{len(town)}个,总投资{town['total_investment'].sum():.0f}万元。"
    assert qz.verify(text, projects)["status"].eq("ok").all()
    # 工业 = 采矿业+制造业+电力…: 24 + 2 projects in the sample
    assert qz.verify("工业项目26个。", projects)["status"].tolist() == ["ok"]
    assert qz.verify("第一产业项目10个,总投资9880万元。", projects)["status"].eq("ok").all()


def test_last_years_amounts_and_changes_are_not_ledger_figures(projects):
    result = qz.verify("其中实施续建项目31个,今年完成投资11505万元,上年同期完成投资9000万元,"
                       "比上年同期增加2505万元。", projects)
    assert result["status"].tolist() == ["ok", "ok", "unchecked", "unchecked"]


def test_any_text_gives_rows_that_point_into_it(projects):
    # random texts from report words: no exception, every claim is the text at its offsets
    import random

    words = ["其中", "占", "的", "%", "个", "宗", "万元", "亿元", "完成投资", "年度计划", "到位资金",
             "开工率", "同比增长", "较去年同期增加", "增幅", "从", "到", "续建项目", "全区", "利用外资",
             "主要有", "、", "等项目", "(", ")", "。", ",", "\n", "-", "1", "0", "9", ".", "3,000",
             "分别", "近", "以上", "个百分点", "項(xiàng)目", "占总数的", "总投资"]
    rng = random.Random(13)
    for i in range(300):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        result = qz.verify(text, projects if i % 2 else None)
        assert result["status"].isin(["ok", "mismatch", "unchecked"]).all()
        for r in result.itertuples():
            assert text[r.start:r.end] == r.claim


def test_named_projects_must_be_in_their_scope(projects):
    text = "实施新签约项目28个,主要有瑞德电器1500台/套高低压启动设备生产项目、不存在的厂等项目。"
    result = qz.verify(text, projects)
    names = result[result["kind"] == "name"]
    assert names["status"].tolist() == ["mismatch", "mismatch"]
    assert "阶段为续建" in names["message"].iloc[0]
    assert names["message"].iloc[1] == "台账中没有名称含“不存在的厂”的项目"


def test_narrative_checks_against_its_own_ledger(projects):
    for unit in ("万元", "亿元"):
        result = qz.verify(qz.narrative(projects, unit=unit), projects)
        assert result["status"].eq("ok").all(), result[result["status"] != "ok"]


def _docx(path: Path, paragraphs: list[str], cell: str) -> Path:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    body += f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{body}'
                    "</w:body></w:document>")
    return path


def test_docx_paragraphs_and_tables(tmp_path, projects):
    path = _docx(tmp_path / "稿件.docx", ["今年上半年,全区共实施招商引资项目59个,总投资98583万元。",
                                         "其中实施续建项目31个。"], "实施新签约项目28个,总投资27554万元。")
    result = qz.verify(path, projects)
    assert result["stated"].tolist() == [59, 98583, 31, 28, 27554]
    assert result["status"].tolist() == ["ok", "ok", "ok", "ok", "mismatch"]
    assert result["computed"].iloc[-1] == 27553


def test_cli_verify_exit_codes(tmp_path, capsys, projects):
    assert main(["verify", str(ARTICLE), "--ledger", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("已核对 14（一致 14，不符 0），未核对 0") or "不符 0" in out
    wrong = tmp_path / "稿件.txt"
    wrong.write_text(ARTICLE_PARAGRAPH.replace("總投資98583", "總投資98584"), encoding="gb18030")
    assert main(["verify", str(wrong), "--ledger", str(SAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "✗ 第1段「總投資98584萬元」：台账中全部的总投资（qz.summarize 汇总）为98583万元" in out
    assert main(["verify", "全省375亿元到位资金中,昆明市到位217.2亿元,占总数的58.2%。"]) == 1
    assert "应为57.9%" in capsys.readouterr().out
    assert main(["verify", "年度计划投资100万元,完成投资50万元,占年度计划的50%。"]) == 0
    capsys.readouterr()
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    assert main(["verify", str(bad)]) == 2
    assert "坏.docx" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "没有.txt")]) == 2
    assert "没有.txt" in capsys.readouterr().err
    old = tmp_path / "旧稿.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert main(["verify", str(old)]) == 2
    assert "另存为 .docx" in capsys.readouterr().err
    # a long text on the command line is text, not a file name that is too long
    long = "全区共实施项目59个,其中续建项目31个,新签约项目28个。" * 20
    assert main(["verify", long]) == 0
    assert capsys.readouterr().out.strip() == "共 60 处数字：已核对 20（一致 20，不符 0），未核对 40"


def test_cli_verify_end_to_end_in_a_child_process(tmp_path):
    path = _docx(tmp_path / "稿件.docx", ["全区共实施招商引资项目59个,总投资98583万元。"], "")
    done = subprocess.run([sys.executable, "-m", "qzanalysis.cli", "verify", str(path), "--ledger",
                           str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "共 2 处数字：已核对 2（一致 2，不符 0），未核对 0"


def test_period_picks_the_ledger_of_a_monthly_frame(projects):
    # May's ledger with every total doubled (2 × 98583 = 197166), June's as in the sample
    may = projects.assign(as_of=pd.Period("2008-05", "M"),
                          total_investment=projects["total_investment"] * 2)
    frame = pd.concat([may, projects.assign(as_of=pd.Period("2008-06", "M"))], ignore_index=True)
    text = "全区共实施招商引资项目59个,总投资98583万元。"
    assert qz.verify(text, frame)["status"].tolist() == ["ok", "ok"]  # the latest month
    result = qz.verify(text, frame, period="1-5月")
    assert result["status"].tolist() == ["ok", "mismatch"] and result["computed"].iloc[1] == 197166


def test_our_own_report_docx_has_no_wrong_figure(tmp_path):
    """The report we write, read back from report.docx and checked against the ledger it
    came from: nothing may be flagged (a false mismatch here once came from taking
    本年完成投资 as the base of 占总投资的, and 在建 inside a bracketed aside as a scope)."""
    from qzanalysis.report import build_report, sample_paths

    report = build_report(None, tmp_path / "out")
    sample = qz.classify(qz.load(sample_paths()["ledger"]).projects)
    result = qz.verify(report.docx, sample)
    assert result["status"].eq("mismatch").sum() == 0, result[result["status"] == "mismatch"]
    assert result["status"].eq("ok").sum() >= 50


def test_a_share_of_the_same_measure_needs_that_measure_as_its_base():
    text = ("实施续建项目31个，总投资71030万元，本年完成投资11505万元；实施新签约项目28个，"
            "总投资27553万元，占总投资的27.9%。")
    row = qz.verify(text).set_index("stated").loc[27.9]
    assert row["status"] == "unchecked"  # 98583 is not in this text; 11505 is no base


def test_a_bracketed_aside_is_not_the_scope_of_a_figure(projects):
    text = "进度滞后（或在建项目本年尚未完成投资）的项目有59个。"
    # no scope of its own: unchecked, not compared with the 31 在建 (续建) projects
    assert qz.verify(text, projects)["status"].tolist() == ["unchecked"]
    assert qz.verify("全区" + text, projects)["status"].tolist() == ["ok"]
