"""The reader against every fixture in tests/data with its hand-typed expected JSON,
plus layouts built in the test and the bundled sample ledger."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qzanalysis as qz
from qzanalysis.vocab import MONEY_COLUMNS, PROJECT_COLUMNS

DATA = Path(__file__).parent / "data"
EXPECTED = sorted((DATA / "expected").glob("*.json"))
ROOT = Path(__file__).parent.parent


def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _fixture(exp: dict) -> Path:
    return DATA / exp["file"]


GOOD = [p for p in EXPECTED if _expected(p)["error"] is None]
BAD = [p for p in EXPECTED if _expected(p)["error"] is not None]


@pytest.fixture(scope="module")
def ledgers():
    cache = {}

    def get(exp):
        if exp["file"] not in cache:
            cache[exp["file"]] = qz.load(_fixture(exp))
        return cache[exp["file"]]

    return get


def _same(got, want) -> bool:
    if want is None:
        return got is None or (isinstance(got, float) and math.isnan(got)) or got is pd.NA \
            or got is pd.NaT or (not isinstance(got, str) and pd.isna(got))
    if isinstance(want, float | int) and not isinstance(want, bool):
        return got is not None and not pd.isna(got) and abs(float(got) - want) <= 1e-6 * max(
            1.0, abs(want))
    return got == want


def _date(value, want: str | None):
    """Expected dates are 'YYYY-MM', or 'YYYY' where the ledger gives only a year."""
    if want is None or pd.isna(value):
        return None if pd.isna(value) else value.strftime("%Y-%m")
    return value.strftime("%Y" if len(want) == 4 else "%Y-%m")


def _by_row(frame: pd.DataFrame) -> dict:
    return {(r.source_sheet, int(r.source_row)): r for r in frame.itertuples(index=False)}


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_projects_match_expected(path, ledgers):
    exp = _expected(path)
    projects = ledgers(exp).projects
    assert list(projects.columns[: len(PROJECT_COLUMNS)]) == list(PROJECT_COLUMNS)
    got = _by_row(projects)
    want_keys = [(p["source_sheet"], p["source_row"]) for p in exp["projects"]]
    assert sorted(got) == sorted(want_keys)
    problems = []
    for p in exp["projects"]:
        row = got[(p["source_sheet"], p["source_row"])]
        for key, want in p.items():
            if key in ("source_sheet", "source_row"):
                continue
            value = getattr(row, key)
            if key in ("start_date", "end_date"):
                value = _date(value, want)
            elif key == "stage":
                value = None if pd.isna(value) else str(value)
            if not _same(value, want):
                problems.append(f"row {p['source_row']} {key}: got {value!r}, want {want!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_totals_match_expected(path, ledgers):
    exp = _expected(path)
    totals = ledgers(exp).totals
    got = _by_row(totals)
    assert sorted(got) == sorted((t["source_sheet"], t["source_row"]) for t in exp["totals"])
    problems = []
    for t in exp["totals"]:
        row = got[(t["source_sheet"], t["source_row"])]
        for key, want in t.items():
            if key in ("source_sheet", "source_row"):
                continue
            if not _same(getattr(row, key), want):
                problems.append(f"row {t['source_row']} {key}: got {getattr(row, key)!r}, "
                                f"want {want!r}")
    assert not problems, "\n".join(problems)
    for sheet, scopes in exp["total_scope"].items():
        for row, covered in scopes.items():
            assert list(got[(sheet, int(row))].project_rows) == covered, (sheet, row)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_row_kinds_match_expected(path, ledgers):
    exp = _expected(path)
    ledger = ledgers(exp)
    got = {}
    for r in ledger.rows.itertuples(index=False):
        got.setdefault(r.source_sheet, {})[str(r.source_row)] = r.kind
    assert got == exp["rows"]
    assert (ledger.rows["kind"] == "project").sum() == len(ledger.projects)
    assert not ledger.rows.duplicated(["source_sheet", "source_row"]).any()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_findings_match_expected(path, ledgers):
    exp = _expected(path)
    findings = ledgers(exp).check()
    got = {(f.rule, f.source_sheet, None if pd.isna(f.source_row) else int(f.source_row),
            None if pd.isna(f.column) else f.column) for f in findings.itertuples(index=False)}
    want = {(f["rule"], f["source_sheet"], f["source_row"], f["column"])
            for f in exp["findings"]}
    assert want <= got, f"missing findings: {want - got}"
    # no unexpected problem of the kinds the fixtures are about
    strict_rules = {"total_mismatch", "duplicate_project", "unknown_stage", "unparsed_value",
                    "formula_without_value", "negative_amount", "completed_gt_total",
                    "funds_gt_contracted", "skipped_sheet"}
    extra = {g for g in got - want if g[0] in strict_rules}
    assert not extra, f"unexpected findings: {extra}"
    skipped = sorted(f.source_sheet for f in findings.itertuples(index=False)
                     if f.rule == "skipped_sheet")
    assert skipped == sorted(exp["skipped_sheets"])
    messages = findings["message"].tolist()
    for f in exp["findings"]:
        if f["source_row"] is not None:
            assert any(f"第{f['source_row']}行" in m and f["source_sheet"] in m for m in messages)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_funding_matches_expected(path, ledgers):
    exp = _expected(path)
    ledger = ledgers(exp)
    funding = ledger.funding
    got = sorted((int(r.source_row), r.detail, round(float(r.amount), 6), r.channel,
                  r.project_name) for r in funding.itertuples(index=False))
    want = sorted((f["source_row"], f["detail"], round(float(f["amount"]), 6), f["channel"],
                   f["project_name"]) for f in exp["funding"])
    assert got == want
    if exp["funding_channel"]:
        ch = dict(zip(ledger.projects["source_row"].astype(int).astype(str),
                      ledger.projects["funding_channel"], strict=True))
        assert {k: ch[k] for k in exp["funding_channel"]} == exp["funding_channel"]
    else:
        assert "funding_channel" not in ledger.projects.columns or not exp["funding"]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_fixture_raises_ledger_error_naming_file(path):
    exp = _expected(path)
    with pytest.raises(qz.LedgerError) as info:
        qz.load(_fixture(exp))
    assert exp["file"] in str(info.value)
    assert info.value.file.endswith(exp["file"])


# --- the bundled sample ledger and the founding article's figures ----------------------

SAMPLE = ROOT / "data" / "raw" / "qinzhou_h1_projects.xlsx"


def test_sample_ledger_reproduces_the_article():
    ledger = qz.load(SAMPLE)
    p = ledger.projects
    assert len(p) == 59
    assert p["total_investment"].sum() == pytest.approx(98583)
    assert p["contracted_investment"].sum() == pytest.approx(86563)
    by = p.groupby("stage", observed=True)
    assert by.size().to_dict() == {"新签约": 28, "续建": 31}
    s = by[["total_investment", "completed_investment", "funds_in_place"]].sum()
    assert s.loc["续建"].tolist() == pytest.approx([71030, 11505, 10095])
    assert s.loc["新签约"].tolist() == pytest.approx([27553, 5995, 5995])
    rules = set(ledger.check()["rule"])
    assert "total_mismatch" not in rules
    # 一、续建项目（31个） and 二、新签约项目（28个） carry no amounts but are counted
    assert "count_mismatch" not in rules
    assert (ledger.rows["kind"] == "project").sum() == 59


# --- layouts built in the test -----------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ROW_TYPES = st.lists(st.sampled_from(["project", "total", "section", "blank", "note"]),
                     min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ROW_TYPES)
def test_row_accounting_always_balances(tmp_path_factory, types):
    lines = ["序号,项目名称,总投资,本年完成投资"]
    kinds = {1: "header"}
    serial = 0
    sections = ["一、续建项目", "二、新开工项目", "三、前期项目"]
    for i, t in enumerate(types, start=2):
        if t == "project":
            serial += 1
            lines.append(f"{serial},第{serial}号厂房建设项目,{serial * 10},{serial}")
        elif t == "total":
            lines.append("小计,,100,10" if i % 2 else "合计,,100,10")
        elif t == "section":
            lines.append(f"{sections[i % 3]},,,")
        elif t == "note":
            lines.append("注：数据截至6月底,,,")
        else:
            lines.append(",,,")
        if t != "blank":
            kinds[i] = t
    path = tmp_path_factory.mktemp("acc") / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = qz.load(path)
    got = dict(zip(ledger.rows["source_row"].astype(int), ledger.rows["kind"], strict=True))
    assert got == kinds
    assert (ledger.rows["kind"] == "project").sum() == len(ledger.projects) == serial


def test_breakdown_rows_under_a_total(tmp_path):
    path = tmp_path / "breakdown.csv"
    path.write_text("序号,项目名称,项目阶段,总投资\n"
                    "合计,,,600\n"
                    "其中：在建,,,300\n"
                    "前期,,,300\n"
                    "1,甲项目,续建,100\n"
                    "2,乙项目,新开工,200\n"
                    "3,丙项目,前期,300\n", encoding="utf-8")
    ledger = qz.load(path)
    t = ledger.totals.set_index("source_row")
    assert t.loc[3, "scope"] == "续建+新开工" and t.loc[3, "project_rows"] == (5, 6)
    assert t.loc[4, "scope"] == "前期" and t.loc[4, "project_rows"] == (7,)
    assert ledger.rows.set_index("source_row")["kind"].tolist() == \
        ["header", "total", "total", "total", "project", "project", "project"]
    assert "total_mismatch" not in set(ledger.check()["rule"])


def test_total_mismatch_message_names_sheet_row_column_and_numbers(tmp_path):
    path = tmp_path / "h1.csv"
    path.write_text("项目名称,总投资\n甲项目,100\n乙项目,200.5\n合计,303\n", encoding="utf-8")
    f = qz.load(path).check()
    row = f[f["rule"] == "total_mismatch"].iloc[0]
    assert row["source_row"] == 4 and row["column"] == "total_investment"
    assert row["severity"] == "error"
    assert row["message"] == ("工作表“h1”第4行“总投资”：合计声明 303，所含 2 个项目合计 300.5，"
                              "相差 2.5 万元")


def test_options_header_row_unit_and_sheet(tmp_path):
    path = tmp_path / "opts.xlsx"
    wb = openpyxl_workbook()
    ws = wb.active
    ws.title = "甲表"
    ws.append(["项目名称", "总投资"])  # a decoy header row
    ws.append(["说明", "以下为正式表"])
    ws.append(["项目名称", "总投资"])
    ws.append(["甲项目", 1.5])
    other = wb.create_sheet("乙表")
    other.append(["项目名称", "总投资"])
    other.append(["乙项目", 2])
    wb.save(path)
    p = qz.read_ledger(path, sheet="甲表", header_row=3, unit="亿元")
    assert p["project_name"].tolist() == ["甲项目"]
    assert p["total_investment"].tolist() == [15000.0]
    both = qz.read_ledger(path, sheet=["甲表", "乙表"])
    assert sorted(both["source_sheet"].unique()) == ["乙表", "甲表"]


def test_extra_headers_are_kept_and_missing_columns_present(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("项目名称,总投资,挂点领导,完成投资占年计划%\n甲项目,100,张三,45\n",
                    encoding="utf-8")
    p = qz.read_ledger(path)
    assert list(p.columns) == [*PROJECT_COLUMNS, "挂点领导", "完成投资占年计划%"]
    assert p.loc[0, "挂点领导"] == "张三"
    assert p["planned_investment"].isna().all() and p["planned_investment"].dtype == "float64"
    assert p["start_date"].dtype.kind == "M"


def openpyxl_workbook():
    import openpyxl

    return openpyxl.Workbook()


def test_money_columns_are_wan_yuan_floats_never_zero_for_blank(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("项目名称,总投资（亿元）,本年计划投资\n甲项目,1.2,—\n乙项目,,300\n",
                    encoding="utf-8")
    p = qz.read_ledger(path)
    assert p["total_investment"].tolist()[0] == 12000.0
    assert np.isnan(p["total_investment"].iloc[1]) and np.isnan(p["planned_investment"].iloc[0])
    assert set(MONEY_COLUMNS) <= set(p.columns)


def _xlsx(path: Path, rows: list, title: str = "台账") -> Path:
    wb = openpyxl_workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)  # openpyxl never calculates: formulas are saved without a cached value
    return path


def test_formula_only_row_below_the_last_value_is_kept(tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", [["项目名称", "总投资"], ["甲项目", 100], ["乙项目", 200],
                                        ['=A2&"二期"', "=B2*2"]])
    ledger = qz.load(path)
    kinds = dict(zip(ledger.rows["source_row"].astype(int), ledger.rows["kind"], strict=True))
    assert kinds == {1: "header", 2: "project", 3: "project", 4: "rejected"}
    row4 = ledger.rows[ledger.rows["source_row"] == 4].iloc[0]
    assert "公式" in row4["reason"] and "没有保存计算结果" in row4["reason"]
    f = ledger.check()
    fw = f[f["rule"] == "formula_without_value"]
    assert sorted(zip(fw["source_row"].astype(int), fw["column"], strict=True)) == [
        (4, "project_name"), (4, "total_investment")]
    assert fw["message"].str.contains("第4行").all()
    assert ledger.projects["project_name"].tolist() == ["甲项目", "乙项目"]


def test_formula_column_right_of_the_last_value_is_reported(tmp_path):
    path = _xlsx(tmp_path / "g.xlsx", [["项目名称", "总投资", "本年完成投资"],
                                        ["甲项目", 100, "=B2/2"], ["乙项目", 200, "=B3/2"]])
    f = qz.load(path).check()
    fw = f[f["rule"] == "formula_without_value"]
    assert sorted(zip(fw["source_row"].astype(int), fw["column"], strict=True)) == [
        (2, "completed_investment"), (3, "completed_investment")]


_HEADER = ["序号", "项目名称", "建设单位", "总投资"]


def test_section_counts_checked_when_heading_has_no_amounts(tmp_path):
    path = _xlsx(tmp_path / "c.xlsx", [
        _HEADER,
        ["一、工业项目（5个）"],
        ["（一）续建项目"],
        [1, "甲电机厂扩建", "甲公司", 1000],
        [2, "乙水泥技改", "乙公司", 800],
        ["（二）新开工项目"],
        [3, "丙果汁加工", "丙公司", 600],
        ["二、社会事业（1个）"],
        [4, "丁中学教学楼", "丁局", 600],
        ["", "合计", "", 3000],
    ])
    ledger = qz.load(path)
    f = ledger.check()
    cm = f[f["rule"] == "count_mismatch"]
    assert cm["source_row"].astype(int).tolist() == [2]  # 二、社会事业（1个） is right
    row = cm.iloc[0]
    assert row["severity"] == "warning" and row["column"] == "project_name"
    assert "第2行" in row["message"] and "声明 5 个项目" in row["message"] \
        and "实际读到 3 个" in row["message"]
    # no money reconciliation (and no totals row) for a heading without amounts
    assert ledger.totals["source_row"].astype(int).tolist() == [10]
    assert "total_mismatch" not in set(f["rule"])


def test_section_count_may_count_a_split_project_once(tmp_path):
    def rows(count):
        return [_HEADER, [f"一、续建项目（{count}个）"], [1, "甲项目", "甲", 100],
                [2, "乙项目", "乙", 300], ["2.1", "乙项目一期", "乙", 100],
                ["2.2", "乙项目二期", "乙", 200], [3, "丙项目", "丙", 50]]
    for count, flagged in ((3, False), (4, False), (5, True)):
        f = qz.load(_xlsx(tmp_path / f"s{count}.xlsx", rows(count))).check()
        assert ("count_mismatch" in set(f["rule"])) is flagged, count


def test_computed_total_is_missing_when_no_project_gives_the_figure(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [
        ["序号", "项目名称", "建设单位", "总投资", "本年完成投资", "到位资金"],
        ["", "合计", "", 1000, 300, 200],
        ["一、续建项目（2个）"],
        [1, "甲水厂改扩建", "甲公司", 400, 100, 100],
        [2, "乙中学建设", "乙局", 200, 100, 50],
        ["二、新开工项目（2个）"],
        [3, "丙物流园", "丙公司", 300, "—", 30],
        [4, "丁酒店", "丁公司", 100, None, 20],
        ["", "小计", "", 400, 1, 50],
    ])
    ledger = qz.load(path)
    t = ledger.totals.set_index("source_row")
    assert t.loc[2, "computed_completed_investment"] == 200  # 100 + 100, two blanks
    assert np.isnan(t.loc[9, "computed_completed_investment"])  # not 0: nobody filled it
    assert t.loc[9, "computed_total_investment"] == 400 and t.loc[9, "n_projects"] == 2
    f = ledger.check()
    tm = f[f["rule"] == "total_mismatch"].set_index("source_row")["message"]
    assert sorted(tm.index.astype(int)) == [2, 9]
    assert tm.loc[2] == ("工作表“台账”第2行“本年完成投资”：合计声明 300，所含 4 个项目合计 200"
                         "（其中 2 个项目未填），相差 100 万元")
    assert tm.loc[9] == ("工作表“台账”第9行“本年完成投资”：小计声明 1，"
                         "但所含 2 个项目均未填写“本年完成投资”，请核对")


def test_declared_zero_over_blank_projects_is_not_a_mismatch(tmp_path):
    path = tmp_path / "z.csv"
    path.write_text("项目名称,总投资,本年完成投资\n甲项目,100,\n乙项目,200,—\n合计,300,0\n",
                    encoding="utf-8")
    ledger = qz.load(path)
    assert np.isnan(ledger.totals["computed_completed_investment"].iloc[0])
    assert ledger.totals["computed_total_investment"].iloc[0] == 300
    assert "total_mismatch" not in set(ledger.check()["rule"])


def test_hidden_sheet_named_by_the_caller_is_read(tmp_path):
    path = tmp_path / "h.xlsx"
    wb = openpyxl_workbook()
    ws = wb.active
    ws.title = "可见"
    ws.append(["项目名称", "总投资"])
    ws.append(["甲项目", 100])
    hidden = wb.create_sheet("续建项目")
    hidden.append(["项目名称", "总投资"])
    hidden.append(["乙项目", 200])
    hidden.sheet_state = "hidden"
    wb.save(path)
    default = qz.load(path)
    assert default.projects["project_name"].tolist() == ["甲项目"]
    assert "续建项目" in set(default.check().query("rule == 'skipped_sheet'")["source_sheet"])
    named = qz.load(path, sheet="续建项目")
    assert named.projects["project_name"].tolist() == ["乙项目"]
    assert named.projects["total_investment"].tolist() == [200.0]
    f = named.check()
    info = f[f["rule"] == "hidden_sheet"]
    assert len(info) == 1 and info["severity"].iat[0] == "info"
    assert "“续建项目”是隐藏工作表" in info["message"].iat[0]
    assert "skipped_sheet" not in set(f["rule"])


def test_a_header_with_nothing_under_it_is_read_and_reported(tmp_path):
    path = tmp_path / "只有表头.csv"
    path.write_text("项目名称,总投资\n", encoding="utf-8")
    ledger = qz.load(path)
    assert len(ledger.projects) == 0
    assert ledger.rows["kind"].tolist() == ["header"]
    f = ledger.check()
    assert f["rule"].tolist() == ["no_projects"]
    assert f.loc[0, "severity"] == "warning"
    assert f.loc[0, "message"] == "表头下面没有读到任何项目，请核对文件是否填写完整或是否选错了工作表"


def test_analyst_stage_words_reach_the_reader(tmp_path):
    """load(rules=…) uses the analyst's stage words in stage columns and section rows."""
    import xlsxwriter

    p = tmp_path / "stop.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目")
    for r, row in enumerate([["序号", "项目名称", "项目阶段", "总投资"],
                             [1, "甲项目", "停建", 100],
                             [2, "乙项目", "续建", 200],
                             ["一、缓建项目"],
                             [3, "丙项目", None, 300]]):
        ws.write_row(r, 0, row)
    wb.close()
    plain = qz.load(p)
    assert plain.projects["stage"].isna().tolist() == [True, False, True]
    assert "unknown_stage" in plain.check()["rule"].tolist()
    rules = pd.DataFrame({"keyword": ["停建", "缓建"], "stage": ["续建", "前期"]})
    taught = qz.load(p, rules=rules)
    assert taught.projects["stage"].astype(str).tolist() == ["续建", "续建", "前期"]
    assert "unknown_stage" not in taught.check()["rule"].tolist()
    # the shipped words are untouched after the call
    assert qz.load(p).projects["stage"].isna().tolist() == [True, False, True]


def test_load_takes_only_its_named_options(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("项目名称,总投资\n甲,1\n", encoding="utf-8")
    with pytest.raises(TypeError):
        qz.load(p, sheets="x")


def test_stage_rules_reach_a_ledger_loaded_without_them(tmp_path):
    """Review item #1: classify(rules=) re-decides the stage from the reader's stage_raw."""
    import xlsxwriter

    from qzanalysis.classify import classification_findings

    p = tmp_path / "stop.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目")
    for r, row in enumerate([["序号", "项目名称", "建设性质", "总投资"],
                             [1, "甲项目", "停建", 100], [2, "乙项目", "续建", 200],
                             [3, "丙项目", "新建", 300]]):
        ws.write_row(r, 0, row)
    wb.close()
    projects = qz.load(p).projects
    assert [None if pd.isna(s) else s for s in projects["stage"]] == [None, "续建", "新开工"]
    rules = pd.DataFrame({"keyword": ["停建"], "stage": ["续建"]})
    done = qz.classify(projects, rules=rules)
    assert done["stage"].astype(str).tolist() == ["续建", "续建", "新开工"]
    assert "unknown_stage" not in classification_findings(done)["rule"].tolist()
    # without the rule the stage stays missing and is reported
    plain = qz.classify(projects)
    assert pd.isna(plain["stage"].iat[0])
    assert "unknown_stage" in classification_findings(plain)["rule"].tolist()


def test_analyst_reader_words_skip_a_sheet_and_mark_a_note(tmp_path):
    """Issue 15 item 2: the reader's word lists are data (rules/reader_words.csv) and an
    analyst adds to them with the same rules= table (keyword + role)."""
    import xlsxwriter

    p = tmp_path / "words.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("台账填写要求")  # instructions, in a name the shipped table lacks
    ws.write_row(0, 0, ["项目名称", "总投资"])
    ws.write_row(1, 0, ["示例项目", 1])
    ws = wb.add_worksheet("项目")
    for r, row in enumerate([["序号", "项目名称", "总投资"], [1, "甲项目", 100],
                             [None, "审定人：张三"]]):
        ws.write_row(r, 0, row)
    wb.close()
    plain = qz.load(p)
    assert plain.projects["project_name"].tolist() == ["示例项目", "甲项目"]
    assert plain.rows.set_index(["source_sheet", "source_row"])["kind"][("项目", 3)] != "note"
    rules = pd.DataFrame({"keyword": ["台账填写要求", "审定人"], "role": ["skip_sheet", "note_prefix"]})
    taught = qz.load(p, rules=rules)
    assert taught.projects["project_name"].tolist() == ["甲项目"]
    kinds = taught.rows.set_index(["source_sheet", "source_row"])["kind"]
    assert kinds[("项目", 3)] == "note"
    assert "台账填写要求" in taught.check().loc[lambda f: f["rule"] == "skipped_sheet",
                                                "source_sheet"].tolist()
    with pytest.raises(ValueError, match="unknown role"):
        qz.load(p, rules=pd.DataFrame({"keyword": ["x"], "role": ["no_such_role"]}))


def test_an_analyst_total_word_makes_a_total_row(tmp_path):
    """The total words are data too: an office that writes 总和 under its projects."""
    import xlsxwriter

    p = tmp_path / "sum.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目")
    for r, row in enumerate([["序号", "项目名称", "总投资"], [1, "甲项目", 100], [2, "乙项目", 250],
                             [None, "总和", 350]]):
        ws.write_row(r, 0, row)
    wb.close()
    kinds = qz.load(p).rows.set_index("source_row")["kind"]
    assert kinds[4] != "total"
    taught = qz.load(p, rules=pd.DataFrame({"keyword": ["总和"], "role": ["grand_total_word"]}))
    assert taught.rows.set_index("source_row")["kind"][4] == "total"
    total = taught.totals.set_index("source_row").loc[4]
    assert (total["total_investment"], total["computed_total_investment"]) == (350, 350)
    with pytest.raises(ValueError, match="missing_value"):
        qz.load(p, rules=pd.DataFrame({"keyword": ["待定"], "role": ["missing_value"]}))
