"""The report bundle and the command line, on the bundled sample and on bad input."""

import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from qzanalysis.cli import main
from qzanalysis.report import build_report

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"

# The founding article's half-year figures (typed from the article, not from our code).
ARTICLE_SENTENCES = [
    "全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。",
    "其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元，",
    "实施新签约项目28个，总投资27553万元，已完成投资5995万元，引进到位资金5995万元，",
]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(out=out)


def _sheet_rows(path, name):
    ws = openpyxl.load_workbook(path, data_only=False)[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_bundle_files(sample_report):
    out = sample_report.out
    assert (out / "summary.xlsx").is_file() and (out / "report.html").is_file()
    charts = sorted(p.name for p in (out / "charts").iterdir())
    stems = {Path(n).stem for n in charts}
    assert len(stems) == 7  # stage, funnel, channel, industry, funds, progress, monthly
    for stem in stems:
        assert f"{stem}.png" in charts and f"{stem}.svg" in charts
    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["总览", "分阶段", "分资金渠道", "分行业", "项目明细", "数据检查",
                               "跨月项目匹配"]  # the sample report reads the monthly ledgers


def test_stage_sheet_carries_the_article_figures(sample_report):
    rows = _sheet_rows(sample_report.out / "summary.xlsx", "分阶段")
    header = rows[0]
    assert header[0] == "项目阶段"
    by_stage = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_stage["合计"]["项目数（个）"] == 59
    assert by_stage["合计"]["总投资（万元）"] == 98583
    assert by_stage["合计"]["合同引资（万元）"] == 86563
    assert (by_stage["续建"]["项目数（个）"], by_stage["续建"]["总投资（万元）"]) == (31, 71030)
    assert by_stage["续建"]["本年完成投资（万元）"] == 11505
    assert by_stage["续建"]["到位资金（万元）"] == 10095
    assert (by_stage["新签约"]["项目数（个）"], by_stage["新签约"]["总投资（万元）"]) == (28, 27553)
    assert by_stage["新签约"]["本年完成投资（万元）"] == 5995
    assert by_stage["新签约"]["到位资金（万元）"] == 5995


def test_detail_sheet_has_every_project_and_frozen_header(sample_report):
    ws = openpyxl.load_workbook(sample_report.out / "summary.xlsx")["项目明细"]
    assert ws.max_row - 1 == 59
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert "项目名称" in header and "行业门类" in header and "资金渠道" in header


def test_html_is_offline_and_carries_the_paragraph(sample_report):
    page = (sample_report.out / "report.html").read_text(encoding="utf-8")
    for sentence in ARTICLE_SENTENCES:
        assert sentence in page
    assert page.count("<svg") == 7
    # readable offline: nothing fetched from elsewhere
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_report_from_a_ledger_escapes_formula_text(tmp_path):
    csv = tmp_path / "台账.csv"
    csv.write_text(
        "项目名称,建设性质,总投资（万元）,资金来源\n"
        '"=HYPERLINK(""http://x"",""点我"")",续建,100,企业自筹\n'
        "@SUM(1+1)厂房项目,新开工,200,银行贷款\n",
        encoding="utf-8",
    )
    report = build_report([csv], tmp_path / "out")
    ws = openpyxl.load_workbook(report.out / "summary.xlsx")["项目明细"]
    header = [c.value for c in ws[1]]
    col = header.index("项目名称") + 1
    names = [ws.cell(row=r, column=col) for r in (2, 3)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in names)
    assert report.tables["分阶段"].loc["合计", "total_investment"] == 300


def test_cli_report_on_the_sample(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。" in printed
    assert (tmp_path / "summary.xlsx").exists()


def test_cli_check_exit_status(capsys):
    assert main(["check", str(ROOT / "data/raw/qinzhou_h1_projects.xlsx")]) == 0
    assert main(["check", str(DATA / "total_mismatch.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "错误" in out and "total_mismatch.xlsx" in out
    assert "总投资" in out and "total_investment" not in out  # column names in Chinese


@pytest.mark.parametrize("bad", ["bad_text_renamed.xlsx", "bad_encrypted.xlsx", "bad_binary.csv"])
def test_cli_unreadable_input_is_a_message_not_a_traceback(bad, tmp_path):
    for argv in (["check", str(DATA / bad)], ["report", str(DATA / bad), "--out", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-m", "qzanalysis.cli", *argv],
                              capture_output=True, text=True)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("错误：文件 " + bad)


def test_overview_numbers(sample_report):
    rows = dict(_sheet_rows(sample_report.out / "summary.xlsx", "总览")[1:])
    assert rows["项目个数（个）"] == 59
    assert rows["总投资（万元）"] == 98583
    # completed 17500 of the annual plan: the sample's planned total, summed independently
    planned = pd.read_excel(ROOT / "data/raw/qinzhou_h1_projects.xlsx", engine="calamine",
                            header=None).iloc[4, 9]
    assert rows["本年计划投资（万元）"] == planned
    assert rows["年度计划完成率"] == f"{17500 / planned:.1%}"
    assert rows["时序进度"] == "50.0%"  # 1-6月: 6 of 12 months


def test_build_report_leaves_no_open_figure(tmp_path):
    import matplotlib.pyplot as plt

    plt.close("all")
    build_report(out=tmp_path)
    assert plt.get_fignums() == []


def test_cli_bad_period_and_bad_out_are_messages(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    cases = [(["report", "--period", "abc", "--out", str(tmp_path / "o")], "无法识别报告期“abc”"),
             (["report", "--out", str(not_a_folder)], "错误：无法写入")]
    for argv, expected in cases:
        done = subprocess.run([sys.executable, "-m", "qzanalysis.cli", *argv],
                              capture_output=True, text=True)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert expected in done.stderr
    assert not (tmp_path / "o").exists()  # nothing read or written before the check


def test_progress_bar_option(tmp_path, capsys):
    from qzanalysis.report import _read_all

    two = [DATA / "csv_utf8_bom.csv", DATA / "csv_gbk.csv"]
    _read_all(two, False)
    assert "读取台账" not in capsys.readouterr().err
    _read_all(two, True)
    assert "读取台账" in capsys.readouterr().err


def test_no_english_codes_in_what_the_analyst_reads(sample_report):
    book = openpyxl.load_workbook(sample_report.out / "summary.xlsx")
    details = book["项目明细"]
    header = [c.value for c in details[1]]
    lag = header.index("进度滞后") + 1
    values = {details.cell(row=r, column=lag).value for r in range(2, details.max_row + 1)}
    assert values <= {"是", "否", None}
    rules = header.index("行业判定依据") + 1
    texts = [details.cell(row=r, column=rules).value or "" for r in range(2, details.max_row + 1)]
    assert not any("industry" in t for t in texts)


def test_summary_xlsx_lists_the_links_across_monthly_ledgers(tmp_path):
    """Issue 11: the report's summary.xlsx has a sheet of the non-exact links between
    monthly ledgers (a name retyped 项目 → 工程 is one project, with its evidence)."""
    import xlsxwriter

    from qzanalysis.report import build_report

    monthly = tmp_path / "monthly"
    monthly.mkdir()
    for month, name, done in ((1, "秦州区智慧物流园建设项目", 100), (2, "秦州区智慧物流园建设工程", 250)):
        wb = xlsxwriter.Workbook(str(monthly / f"qinzhou_2008-{month:02d}.xlsx"))
        ws = wb.add_worksheet("项目")
        ws.write_row(0, 0, ["项目名称", "建设单位", "项目阶段", "总投资", "本年计划投资",
                            f"1-{month}月完成投资"])
        ws.write_row(1, 0, [name, "天水物流公司", "续建", 12000, 3000, done])
        ws.write_row(2, 0, ["皂郊镇现代农业产业园", "皂郊镇政府", "续建", 8000, 1500, done // 2])
        wb.close()
    ledger = tmp_path / "h1.csv"
    ledger.write_text("项目名称,项目阶段,总投资,本年计划投资,本年完成投资\n"
                      "秦州区智慧物流园建设工程,续建,12000,3000,250\n", encoding="utf-8")
    report = build_report([ledger], tmp_path / "out", monthly=monthly)
    sheet = pd.read_excel(report.out / "summary.xlsx", sheet_name="跨月项目匹配", engine="calamine")
    assert len(sheet) == 1
    row = sheet.iloc[0]
    assert (row["本月项目名称"], row["此前项目名称"]) == ("秦州区智慧物流园建设工程", "秦州区智慧物流园建设项目")
    assert row["判定"].startswith("认定为同一项目")
    assert "建设单位相同" in row["依据"]
