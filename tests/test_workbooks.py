"""Workbook-level reading (issue 14): repeated and summary sheets, two groupings of one
list, forms, deep section nesting, counts in 宗, a name-only project row -- and no raw
exception on any file we have.

The fixtures are written by tests/data/make_workbook_fixtures.py; every expected figure
here is typed by hand from the four projects listed there:

    秦州区智慧物流园        total 12000  completed 3000
    皂郊镇现代农业产业园    total  8000  completed 1500
    天水电子元件扩能项目    total 25000  completed 6200
    藉河南岸棚户区改造项目  total 30000  completed 9000
    (summary_plus_districts adds 麦积山景区游客中心 total 4500, completed 800)
"""

from pathlib import Path

import pandas as pd
import pytest

import qzanalysis as qz

DATA = Path(__file__).parent / "data"
BOOKS = DATA / "workbooks"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real_ledgers"


def _load(name):
    return qz.load(BOOKS / name)


def _rules(ledger):
    return ledger.check()["rule"].tolist()


def test_the_same_table_on_two_sheets_counts_once():
    ledger = _load("repeated_import_sheet.xlsx")
    p = ledger.projects
    assert len(p) == 4
    assert set(p["source_sheet"]) == {"1-5月"}  # the copy with title and unit rows is kept
    assert p["total_investment"].sum() == 75000
    assert p["completed_investment"].sum() == 19700
    f = ledger.check()
    assert "duplicate_project" not in f["rule"].tolist()
    rep = f[f["rule"] == "repeated_sheet"]
    assert len(rep) == 1 and rep["source_sheet"].iat[0] == "导入"
    assert "工作表“导入”的 4 个项目与工作表“1-5月”中的项目相同" in rep["message"].iat[0]
    rows = ledger.rows
    assert (rows["kind"] == "project").sum() == len(p)
    imported = rows[rows["source_sheet"] == "导入"].set_index("source_row")
    assert imported["kind"].to_dict() == {1: "header", 2: "repeated", 3: "repeated",
                                          4: "repeated", 5: "repeated"}
    # 天水电子元件扩能项目 is row 2 of 导入 and row 6 of 1-5月
    assert imported.loc[2, "reason"] == "与工作表“1-5月”第6行的项目相同，只计一次"


def test_a_summary_sheet_over_district_sheets_counts_each_project_once():
    ledger = _load("summary_plus_districts.xlsx")
    p = ledger.projects
    assert len(p) == 5
    assert p.groupby("source_sheet")["total_investment"].sum().to_dict() == {
        "秦州区": 20000, "麦积区": 59500}
    assert p["completed_investment"].sum() == 3000 + 1500 + 6200 + 9000 + 800
    f = ledger.check()
    assert f.loc[f["rule"] == "repeated_sheet", "source_sheet"].tolist() == ["总表"]
    assert "duplicate_project" not in f["rule"].tolist()
    # the 总表's own 合计 was still checked against its own rows: it agrees
    assert "total_mismatch" not in f["rule"].tolist()


def test_one_list_grouped_two_ways_keeps_the_copy_with_stages():
    ledger = _load("two_groupings.xlsx")
    p = ledger.projects
    assert set(p["source_sheet"]) == {"按阶段"}
    by_stage = p.groupby("stage", observed=True)["total_investment"].sum().to_dict()
    assert by_stage == {"续建": 20000, "新开工": 55000}
    assert ledger.check().loc[lambda f: f["rule"] == "repeated_sheet", "source_sheet"].tolist() \
        == ["按行业"]


def test_partial_overlap_with_different_figures_stays_an_error():
    ledger = _load("partial_overlap_conflict.xlsx")
    assert len(ledger.projects) == 4
    f = ledger.check()
    assert "repeated_sheet" not in f["rule"].tolist()
    dup = f[f["rule"] == "duplicate_project"]
    assert len(dup) == 1
    assert dup["severity"].iat[0] == "error"
    assert "皂郊镇现代农业产业园" in dup["message"].iat[0]
    assert "金额不一致" in dup["message"].iat[0]


def test_a_one_project_form_gives_no_label_as_a_project():
    ledger = _load("form_layout.xlsx")
    assert ledger.projects.empty
    f = ledger.check()
    assert f.loc[f["rule"] == "form_layout", "source_sheet"].tolist() == ["项目表"]
    rows = ledger.rows
    # every non-blank row is accounted for: title, header, and 6 label rows
    assert len(rows) == 8
    assert (rows["kind"] == "rejected").sum() == 6
    assert set(rows.loc[rows["kind"] == "rejected", "reason"]) == {"单个项目表单中的标签，不是项目"}


def test_four_levels_of_section_numbering_stage_from_the_innermost():
    ledger = _load("deep_nesting.xlsx")
    p = ledger.projects.set_index("project_name")
    assert p["stage"].astype(str).to_dict() == {
        "天水电子元件扩能项目": "续建", "秦州区智慧物流园": "新开工",
        "皂郊镇现代农业产业园": "新开工", "藉河南岸棚户区改造项目": "续建"}
    assert p.loc["藉河南岸棚户区改造项目", "section"] == "民生项目"
    assert p.loc["皂郊镇现代农业产业园", "section"] == "秦州区"
    kinds = ledger.rows.set_index("source_row")["kind"]
    assert [kinds[r] for r in (3, 4, 5, 6, 8, 10, 11, 12, 14, 15)] == ["section"] * 10
    assert "total_mismatch" not in _rules(ledger)


def test_subtotals_counted_in_zong_are_totals():
    ledger = _load("subtotal_zong.xlsx")
    kinds = ledger.rows.set_index("source_row")["kind"]
    assert [kinds[r] for r in (5, 9, 10)] == ["total"] * 3
    t = ledger.totals.set_index("source_row")
    assert t.loc[5, "scope"] == "续建" and t.loc[5, "declared_count"] == 2
    assert t.loc[9, "total_investment"] == 55000 and t.loc[10, "declared_count"] == 4
    assert not {"total_mismatch", "count_mismatch"} & set(_rules(ledger))


def test_a_name_only_row_between_numbered_projects_does_not_restage_them():
    ledger = _load("name_only_row.xlsx")
    p = ledger.projects.set_index("project_name")
    assert len(p) == 4
    assert pd.isna(p.loc["城区老旧管网新建改造工程", "total_investment"])
    # the name holds 新建 (a 新开工 word); the project below it stays 续建
    assert p.loc["天水电子元件扩能项目", "stage"] == "续建"
    assert set(p["stage"].astype(str)) == {"续建"}


def _every_input():
    files = [f for f in sorted(DATA.rglob("*")) if f.is_file()
             and f.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".docx")]
    if REAL.is_dir():
        files += sorted(REAL.glob("*.xls*"))
    return files


@pytest.mark.parametrize("path", _every_input(), ids=lambda p: p.name)
def test_every_file_gives_a_ledger_or_a_ledger_error(path):
    try:
        ledger = qz.load(path)
    except qz.LedgerError as e:
        assert path.name in str(e)
        return
    assert (ledger.rows["kind"] == "project").sum() == len(ledger.projects)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real_ledgers not beside the checkout")
@pytest.mark.parametrize("path", sorted(REAL.glob("*.xls")) if REAL.is_dir() else [],
                         ids=lambda p: p.name)
def test_no_real_ledger_counts_a_project_twice(path):
    try:
        ledger = qz.load(path)
    except qz.LedgerError:
        return
    p = ledger.projects.dropna(subset=["project_name"])
    key = ["project_name", "total_investment", "completed_investment"]
    sheets_per_project = p.groupby(key, dropna=False)["source_sheet"].nunique()
    assert (sheets_per_project <= 1).all(), sheets_per_project[sheets_per_project > 1]


def test_repeated_page_headers_probe_only_their_own_merges(tmp_path, monkeypatch):
    """R19: each repeated page header is probed with the merges that start near it, so the
    work is linear in headers + merges (it was headers x merges: 23 s for 500 x 200,000)."""
    import xlsxwriter

    import qzanalysis.reading as reading

    p = tmp_path / "pages.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目")
    row = 0
    for page in range(20):
        ws.write_row(row, 0, ["序号", "项目名称", "建设单位", "总投资"])
        row += 1
        for k in range(10):
            ws.write_row(row, 0, [page * 10 + k + 1, f"第{page}页项目{k}", None, 100])
            row += 1
        for k in range(0, 10, 2):  # owner cells merged two rows at a time
            ws.merge_range(row - 10 + k, 2, row - 9 + k, 2, "某公司")
    wb.close()
    seen = []
    real = reading._shift_merges
    monkeypatch.setattr(reading, "_shift_merges",
                        lambda merges, r0: seen.append(len(merges)) or real(merges, r0))
    ledger = qz.load(p)
    assert len(ledger.projects) == 200
    assert (ledger.rows["kind"] == "header").sum() == 20
    assert ledger.projects["owner"].eq("某公司").all()
    # 19 repeated headers probed; each sees at most the merges of its own few rows
    assert len(seen) == 19 and max(seen) <= 3


def test_a_workbook_of_thousands_of_sheets_is_refused_unless_sheets_are_named(tmp_path,
                                                                               monkeypatch):
    """R20: thousands of small sheets took 45 s; past MAX_SHEETS the workbook is refused
    (a ledger has tens), and a caller who names the sheets still reads them."""
    import xlsxwriter

    from qzanalysis.reading import files

    monkeypatch.setattr(files, "MAX_SHEETS", 5)
    p = tmp_path / "many.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    for s in range(6):
        ws = wb.add_worksheet(f"镇{s}")
        ws.write_row(0, 0, ["序号", "项目名称", "总投资"])
        ws.write_row(1, 0, [1, f"第{s}镇项目", 100])
    wb.close()
    with pytest.raises(qz.LedgerError) as err:
        qz.load(p)
    assert str(err.value) == ("文件 many.xlsx：工作簿中有 6 个工作表，超过上限 5（台账通常只有几十个），"
                              "拒绝读取；请用 sheet=… 指定要读的工作表")
    assert qz.load(p, sheet=["镇0", "镇5"]).projects["project_name"].tolist() == [
        "第0镇项目", "第5镇项目"]


def test_many_sheets_are_compared_only_with_sheets_sharing_their_names(monkeypatch):
    """set_aside_repeats looks at a table only when each of its names stands elsewhere."""
    from qzanalysis.reading import workbook

    calls = []
    real = workbook._covered_by
    monkeypatch.setattr(workbook, "_covered_by",
                        lambda t, others: calls.append(len(others)) or real(t, others))
    ledger = _load("summary_plus_districts.xlsx")
    assert len(ledger.projects) == 5
    # 总表 (least worth keeping) against the two district sheets, and set aside; then the
    # district sheets' names stand nowhere else that is counted: not compared at all
    assert calls == [2]
