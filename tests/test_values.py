"""Money and date parsers (qzanalysis.reading.values)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qzanalysis.reading.values import parse_dates, parse_money, printed_decimals, unit_factor

FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def test_money_forms():
    raw = pd.Series([1500, 1500.5, "1,500", "１５００", " 2,000.25 ", "1.2亿元", "3000万元",
                     "5000000元", "约800", "600万"], dtype=object)
    amount, bad = parse_money(raw)
    assert amount.tolist() == [1500, 1500.5, 1500, 1500, 2000.25, 12000, 3000, 500, 800, 600]
    assert not bad.any()


def test_missing_markers_are_nan_not_zero_and_not_findings():
    raw = pd.Series(["", "   ", None, "—", "－", "-", "/", "无", "空", "——", np.nan],
                    dtype=object)
    amount, bad = parse_money(raw)
    assert amount.isna().all()
    assert not bad.any()


def test_text_that_is_not_a_number_is_missing_and_flagged():
    raw = pd.Series(["待定", "约", "1500（估算）", True, dt.date(2020, 1, 1), 0], dtype=object)
    amount, bad = parse_money(raw)
    assert amount.iloc[:5].isna().all() and amount.iloc[5] == 0.0
    assert bad.tolist() == [True, True, True, True, True, False]


def test_column_unit_and_cell_unit():
    raw = pd.Series([2.5, "3", "30000万元", "0.5亿元"], dtype=object)
    amount, _ = parse_money(raw, unit_factor("亿元"))
    assert amount.tolist() == [25000.0, 30000.0, 30000.0, 5000.0]
    amount, _ = parse_money(pd.Series([123456], dtype=object), unit_factor("元"))
    assert amount.iloc[0] == pytest.approx(12.3456)


def test_unit_factor_rejects_unknown_unit():
    with pytest.raises(ValueError, match="美元"):
        unit_factor("美元")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_money_round_trips_formatted_numbers(x):
    forms = [f"{x:,.2f}", f"{x:.2f}", f"{x:,.2f}".translate(FULLWIDTH), f"{x / 10000:.6f}亿元",
             f"{x:.2f}万元"]
    amount, bad = parse_money(pd.Series(forms, dtype=object))
    assert not bad.any()
    assert amount.tolist() == pytest.approx([x] * len(forms), abs=1e-6, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4)))
def test_billions_column_multiplies_by_ten_thousand(x):
    amount, _ = parse_money(pd.Series([x, f"{x}"], dtype=object), unit_factor("亿元"))
    assert amount.tolist() == pytest.approx([x * 10000] * 2)


def _ym(s):
    return [None if pd.isna(v) else v.strftime("%Y-%m") for v in s]


def test_date_forms():
    raw = pd.Series([dt.datetime(2009, 5, 1), dt.date(2008, 4, 2), "2007年3月", "2007.03",
                     "2009-05-01", "2009/5/1", 2007.03, "2008-06", "2009年12月", "", "—"],
                    dtype=object)
    start, end, bad = parse_dates(raw)
    want = ["2009-05", "2008-04", "2007-03", "2007-03", "2009-05", "2009-05", "2007-03",
            "2008-06", "2009-12", None, None]
    assert _ym(start) == want
    assert _ym(end) == want
    assert not bad.any()


def test_date_ranges():
    raw = pd.Series(["2006-2008", "09.10-11.3", "2009－2011", "2008.5-2009.6",
                     "2010年10月至2012年6月"], dtype=object)
    start, end, bad = parse_dates(raw)
    assert _ym(start) == ["2006-01", "2009-10", "2009-01", "2008-05", "2010-10"]
    assert _ym(end) == ["2008-12", "2011-03", "2011-12", "2009-06", "2012-06"]
    assert not bad.any()


def test_unparseable_date_is_missing_and_flagged():
    start, end, bad = parse_dates(pd.Series(["待定", "明年", "2009年"], dtype=object))
    assert _ym(start) == [None, None, "2009-01"]
    assert bad.tolist() == [True, True, False]


def test_printed_decimals():
    assert [printed_decimals(v) for v in (98583.0, 656.67, 0.004, "1,234.50", 7)] == \
        [0, 2, 3, 2, 0]


# --- no silently different number (issue 16: R08, R10, R11, R14) ------------------------

@pytest.mark.parametrize("text, want", [
    ("1,200", 1200.0), ("1,200,000.5", 1200000.5), ("１，２００", 1200.0), ("1'200", 1200.0),
    ("1,200 万元", 1200.0), ("约 500", 500.0), ("( 200 )", -200.0), ("（1,200万元）", -1200.0),
    ("¥1,500", 1500.0), ("2.5 亿元", 25000.0), ("1e4", 10000.0), (" 12.5 ", 12.5),
    ("10000000000", 1e10),  # MAX_AMOUNT itself (100万亿元) is still a number
])
def test_money_text_still_read(text, want):
    amount, bad = parse_money(pd.Series([text], dtype=object))
    assert amount.tolist() == [want]
    assert not bad.any()


@pytest.mark.parametrize("text, why", [
    ("1200 300", "unparsed"),   # two numbers, not 1200300
    ("1,2", "unparsed"),        # a decimal comma (1.2?) or a typo, not 12
    ("12,00", "unparsed"),
    ("1,2,3", "unparsed"),      # not 123
    ("1 000,50", "unparsed"),   # 1000.50 written the European way, not 100050
    ("1,5", "unparsed"),
    ("1'2", "unparsed"),
    ("1,2000", "unparsed"),
    ("²", "unparsed"),          # a superscript, not 2
    ("①", "unparsed"),          # a circled one, not 1
    ("½", "unparsed"),          # not 12
    ("5²", "unparsed"),         # not 52
    ("inf", "non_finite"), ("-inf", "non_finite"), ("Infinity", "non_finite"),
    ("1e309", "non_finite"),
    ("99999999999999999999999999999", "implausible"),  # 1e29 万元
    ("20000000000", "implausible"),                    # 2e10 万元 = 200万亿元 > MAX_AMOUNT
    ("2000000亿元", "implausible"),                     # the same through a unit in the cell
    ("#DIV/0!", "excel_error"), ("#N/A", "excel_error"), ("#REF!", "excel_error"),
    ("#VALUE!", "excel_error"),
])
def test_money_text_that_would_change_is_missing_and_flagged(text, why):
    amount, bad, reason = parse_money(pd.Series([text, "100"], dtype=object), detail=True)
    assert np.isnan(amount.iloc[0]) and amount.iloc[1] == 100.0
    assert bad.tolist() == [True, False]
    assert reason.tolist() == [why, None]


def test_money_numbers_beyond_the_bound_and_not_finite():
    from qzanalysis.reading.values import MAX_AMOUNT, ExcelError
    assert MAX_AMOUNT == 1e10
    # numeric cells, mixed with text (object column)
    raw = pd.Series([1e10, 1.0000001e10, float("inf"), -1e30, 5.0, ExcelError("#DIV/0!")],
                    dtype=object)
    amount, bad, why = parse_money(raw, detail=True)
    assert amount.tolist()[0] == 1e10 and amount.tolist()[4] == 5.0
    assert amount.iloc[[1, 2, 3, 5]].isna().all()
    assert why.tolist() == [None, "implausible", "non_finite", "implausible", None,
                            "excel_error"]
    # an all-float column takes the fast path: same rule
    amount, bad = parse_money(pd.Series([1.0, np.inf, -np.inf, 2e10, np.nan]))
    assert amount.iloc[0] == 1.0 and amount.iloc[1:].isna().all()
    assert bad.tolist() == [False, True, True, True, False]
    # the column unit counts: 2e6 亿元 = 2e10 万元
    amount, bad = parse_money(pd.Series([2e6, 1e6], dtype=object), unit_factor("亿元"))
    assert np.isnan(amount.iloc[0]) and amount.iloc[1] == 1e10
    assert bad.tolist() == [True, False]


def test_numeric_year_dot_one_is_ambiguous_text_is_not():
    from qzanalysis.reading.values import ExcelError
    # 2024.1 and 2024.10 are one float: January or October cannot be told apart
    raw = pd.Series([2024.1, 2024.10, "2024.1", "2024.10", 2024.11, 2024.12, 2024.01, 2024.2,
                     2024.3, ExcelError("#REF!"), "#N/A"], dtype=object)
    start, end, bad, why = parse_dates(raw, detail=True)
    assert _ym(start) == [None, None, "2024-01", "2024-10", "2024-11", "2024-12", "2024-01",
                          "2024-02", "2024-03", None, None]
    assert _ym(end) == _ym(start)
    assert bad.tolist() == [True, True] + [False] * 7 + [True, True]
    assert why.tolist() == ["ambiguous_date", "ambiguous_date"] + [None] * 7 + \
        ["excel_error", "excel_error"]
    # without detail the return value is the old 3-tuple
    assert len(parse_dates(raw)) == 3 and len(parse_money(raw)) == 2


def test_format_amount_never_raises_for_huge_or_non_finite():
    # R08, report side: decimal.InvalidOperation past 28 digits and for inf
    from qzanalysis.narrative import format_amount
    assert format_amount(1e29) == "1" + "0" * 29 + "万元"
    assert format_amount(1.5e300, "亿元").startswith("15" + "0" * 295)
    assert format_amount(float("inf")) == "无效金额（非有限数）"
    assert format_amount(float("-inf"), "亿元") == "无效金额（非有限数）"


def _findings_on(ledger, row):
    f = ledger.check()
    return f[f["source_row"] == row]


def test_r08_inf_and_huge_amounts_in_csv_are_findings(tmp_path):
    import qzanalysis as qz
    p = tmp_path / "r08.csv"
    p.write_text("项目名称,总投资,本年计划投资\n甲项目,inf,50\n乙项目,100,50\n"
                 "丙项目,99999999999999999999999999999,50\n丁项目,1e309,-inf\n", encoding="utf-8")
    lg = qz.load(p)
    tot = lg.projects.set_index("project_name")["total_investment"]
    assert tot.isna().tolist() == [True, False, True, True] and tot["乙项目"] == 100.0
    for row, text in [(2, "inf"), (4, "99999999999999999999999999999"), (5, "1e309"),
                      (5, "-inf")]:
        f = _findings_on(lg, row)
        assert f["message"].str.contains(f"“{text}”", regex=False).any(), (row, text)
    assert not (lg.check()["rule"] == "negative_amount").any()
    # an amount nobody can mean is an error, so `qzanalysis check` exits 1 on it
    bad = lg.check()[lambda f: f["rule"] == "implausible_amount"]
    assert len(bad) == 4 and set(bad["severity"].astype(str)) == {"error"}
    # and the paragraph of the report is written, not a decimal traceback
    from qzanalysis.narrative import narrative
    assert "总投资100万元" in narrative(lg.projects.assign(stage="续建"))


def test_r10_money_text_through_load(tmp_path):
    import xlsxwriter

    import qzanalysis as qz
    cases = ["1200 300", "1,2", "1,2,3", "1 000,50", "inf", "1e309", "Infinity", "-inf", "²",
             "1,200"]
    p = tmp_path / "r10.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目台账")
    ws.write_row(0, 0, ["序号", "项目名称", "总投资", "本年计划投资"])
    for i, v in enumerate(cases):
        ws.write_number(i + 1, 0, i + 1)
        ws.write_string(i + 1, 1, f"测试项目{i:02d}")
        ws.write_string(i + 1, 2, v)
        ws.write_number(i + 1, 3, 1)
    wb.close()
    lg = qz.load(p)
    got = lg.projects.set_index("source_row")["total_investment"]
    for i, v in enumerate(cases[:-1]):
        assert np.isnan(got[i + 2]), v
        f = _findings_on(lg, i + 2)
        # inf and its spellings are implausible amounts (an error), the rest unparsed values
        rule = "implausible_amount" if "inf" in v.lower() or v == "1e309" else "unparsed_value"
        assert (f["rule"] == rule).any(), v
        assert f["message"].str.contains(f"“{v}”", regex=False).any(), v
    assert got[len(cases) + 1] == 1200.0
    assert len(_findings_on(lg, len(cases) + 1)) == 0


def test_r11_numeric_2024_1_start_date_is_a_finding(tmp_path):
    import xlsxwriter

    import qzanalysis as qz
    p = tmp_path / "r11.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("项目台账")
    ws.write_row(0, 0, ["序号", "项目名称", "总投资", "开工时间"])
    ws.write_row(1, 0, [1, "一月项目", 100, 2024.1])      # typed 2024.1 (or 2024.10)
    ws.write_row(2, 0, [2, "文本项目", 100])
    ws.write_string(2, 3, "2024.1")                       # text: January, as before
    ws.write_row(3, 0, [3, "三月项目", 100, 2024.3])
    wb.close()
    lg = qz.load(p)
    start = lg.projects.set_index("source_row")["start_date"]
    assert pd.isna(start[2])
    assert _ym(start[[3, 4]]) == ["2024-01", "2024-03"]
    f = _findings_on(lg, 2)
    assert f["message"].str.contains("“2024.1”", regex=False).any()
    assert len(_findings_on(lg, 3)) == 0 and len(_findings_on(lg, 4)) == 0


def _xlsx_with_error_cells(path):
    """甲 B2 = #DIV/0! (formula with a cached error), 乙 C3 = #REF! (a value, no formula)."""
    import zipfile

    import xlsxwriter
    src = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet("项目台账")
    ws.write_row(0, 0, ["项目名称", "总投资", "本年计划投资", "开工时间"])
    ws.write_row(1, 0, ["甲项目"])
    ws.write_formula(1, 1, "=1/0", None, "#DIV/0!")
    ws.write_row(1, 2, [50, "2024.3"])
    ws.write_row(2, 0, ["乙项目", 200, 80, "2024.5"])
    ws.write_row(3, 0, ["丙项目", 300, 90])
    ws.write_formula(3, 3, "=NA()", None, "#N/A")
    wb.close()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                old = b'<c r="C3"><v>80</v></c>'
                assert old in data
                data = data.replace(old, b'<c r="C3" t="e"><v>#REF!</v></c>')
            zout.writestr(info, data)


def _assert_r14(lg, *, sheet: str | None = None) -> None:
    """The three error cells of the xlsx and xls reproducers: missing values, and one
    finding each that quotes the error, its row and column (and sheet, where given)."""
    pr = lg.projects.set_index("project_name")
    assert np.isnan(pr.loc["甲项目", "total_investment"])
    assert pr.loc["甲项目", "planned_investment"] == 50.0
    assert pr.loc["乙项目", "total_investment"] == 200.0
    assert np.isnan(pr.loc["乙项目", "planned_investment"])
    assert pd.isna(pr.loc["丙项目", "start_date"])
    for row, text, column in [(2, "#DIV/0!", "总投资"), (3, "#REF!", "本年计划投资"),
                              (4, "#N/A", "开工时间")]:
        msg = _findings_on(lg, row)["message"]
        hit = msg[msg.str.contains(f"“{text}”", regex=False)]
        assert len(hit) == 1, (row, text)
        assert f"第{row}行" in hit.iloc[0] and column in hit.iloc[0]
        assert sheet is None or sheet in hit.iloc[0]


def test_r14_excel_error_values_are_findings_quoting_the_error(tmp_path):
    import qzanalysis as qz
    p = tmp_path / "r14.xlsx"
    _xlsx_with_error_cells(p)
    _assert_r14(qz.load(p), sheet="项目台账")


def test_xlsx_error_cells_reach_the_grid_as_markers(tmp_path):
    from qzanalysis.reading.files import read_sheets
    from qzanalysis.reading.values import ExcelError
    p = tmp_path / "e.xlsx"
    _xlsx_with_error_cells(p)
    _fmt, sheets = read_sheets(p)
    rows = sheets[0].rows
    assert [(type(rows[r][c]), rows[r][c]) for r, c in [(1, 1), (2, 2), (3, 3)]] == \
        [(ExcelError, "#DIV/0!"), (ExcelError, "#REF!"), (ExcelError, "#N/A")]
    assert rows[1][2] == 50 and rows[2][1] == 200


def _ods_with_error_cells(path):
    """LibreOffice's form: office:string-value="" calcext:value-type="error", text:p = the error."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

    def cell(v=None, error=None, repeat=None):
        if error is not None:
            c = TableCell(formula="of:=1/0", valuetype="string", stringvalue="")
            c.setAttrNS(calcext, "value-type", "error")
            c.addElement(P(text=error))
        elif isinstance(v, str):
            c = TableCell(valuetype="string")
            c.addElement(P(text=v))
        elif v is not None:
            c = TableCell(valuetype="float", value=v)
            c.addElement(P(text=str(v)))
        else:
            c = TableCell()
        if repeat:
            c.setAttribute("numbercolumnsrepeated", repeat)
        return c

    doc = OpenDocumentSpreadsheet()
    t = Table(name="项目台账")
    rows = [
        [cell("项目名称"), cell("总投资"), cell("本年计划投资")],
        [cell("甲项目"), cell(error="#DIV/0!"), cell(50)],              # row 2: B
        [cell("乙项目"), cell(200), cell(80)],
        [cell("丙项目"), cell(error="#N/A", repeat=2)],                  # row 4: B and C
    ]
    for cells in rows:
        tr = TableRow()
        for c in cells:
            tr.addElement(c)
        t.addElement(tr)
    blank = TableRow(numberrowsrepeated=3)                              # rows 5-7
    blank.addElement(cell())
    t.addElement(blank)
    last = TableRow()
    for c in [cell("丁项目"), cell(300), cell(error="#REF!")]:          # row 8: C
        last.addElement(c)
    t.addElement(last)
    doc.spreadsheet.addElement(t)
    doc.save(str(path))


def test_r14_ods_error_values_are_findings_quoting_the_error(tmp_path):
    import qzanalysis as qz
    p = tmp_path / "r14.ods"
    _ods_with_error_cells(p)
    lg = qz.load(p)
    pr = lg.projects.set_index("project_name")
    assert pr["source_row"].tolist() == [2, 3, 4, 8]
    assert np.isnan(pr.loc["甲项目", "total_investment"])
    assert pr.loc["甲项目", "planned_investment"] == 50.0
    assert pr.loc["乙项目", ["total_investment", "planned_investment"]].tolist() == [200, 80]
    assert pr.loc["丙项目", ["total_investment", "planned_investment"]].isna().all()
    assert pr.loc["丁项目", "total_investment"] == 300.0
    assert np.isnan(pr.loc["丁项目", "planned_investment"])
    for row, text, column in [(2, "#DIV/0!", "总投资"), (4, "#N/A", "总投资"),
                              (4, "#N/A", "本年计划投资"), (8, "#REF!", "本年计划投资")]:
        msg = _findings_on(lg, row)["message"]
        hit = msg[msg.str.contains(f"“{text}”", regex=False) & msg.str.contains(column)]
        assert len(hit) == 1, (row, text, column)
    assert len(_findings_on(lg, 3)) == 0


def test_ods_without_error_cells_is_not_parsed_twice(tmp_path, monkeypatch):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from qzanalysis.reading import errorcells
    from qzanalysis.reading.files import read_sheets
    doc = OpenDocumentSpreadsheet()
    t = Table(name="s")
    tr = TableRow()
    c = TableCell(valuetype="string")
    c.addElement(P(text="#DIV/0! 写在文字里"))
    tr.addElement(c)
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    p = tmp_path / "plain.ods"
    doc.save(str(p))
    monkeypatch.setattr(errorcells.ET, "iterparse", None)  # would raise if called
    _fmt, sheets = read_sheets(p)
    assert sheets[0].rows == [["#DIV/0! 写在文字里"]]


def _xls_with_error_cells(path):
    """BOOLERR error cells (xlwt): 甲 总投资 #DIV/0!, 乙 本年计划投资 #REF!, 丙 开工时间 #N/A."""
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("项目台账")
    for c, h in enumerate(["项目名称", "总投资", "本年计划投资", "开工时间"]):
        ws.write(0, c, h)
    ws.write(1, 0, "甲项目")
    ws.row(1).set_cell_error(1, 0x07)
    ws.write(1, 2, 50)
    ws.write(2, 0, "乙项目")
    ws.write(2, 1, 200)
    ws.row(2).set_cell_error(2, 0x17)
    ws.write(3, 0, "丙项目")
    ws.write(3, 1, 300)
    ws.write(3, 2, 90)
    ws.row(3).set_cell_error(3, 0x2A)
    wb.save(str(path))


def test_r14_xls_error_values_are_findings_quoting_the_error(tmp_path):
    import qzanalysis as qz
    p = tmp_path / "r14.xls"
    _xls_with_error_cells(p)
    _assert_r14(qz.load(p))


def _rec(rtype, body):
    import struct
    return struct.pack("<HH", rtype, len(body)) + body


def test_xls_formula_records_with_an_error_result(monkeypatch):
    import struct

    from qzanalysis.reading import errorcells
    bof = _rec(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
    name = "表1".encode("utf-16-le")
    globals_len = len(bof) + 4 + 8 + len(name) + 4
    sheet = (_rec(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
             # FORMULA row 1 col 2: cached result is error 0x07 (#DIV/0!)
             + _rec(0x0006, struct.pack("<HHH", 1, 2, 15) + bytes([2, 0, 0x07, 0, 0, 0])
                    + b"\xff\xff" + bytes(8))
             # FORMULA row 2 col 2: cached result the number 1.5
             + _rec(0x0006, struct.pack("<HHHd", 2, 2, 15, 1.5) + bytes(8))
             # FORMULA row 3 col 2: a boolean result (type 1), not an error
             + _rec(0x0006, struct.pack("<HHH", 3, 2, 15) + bytes([1, 0, 1, 0, 0, 0])
                    + b"\xff\xff" + bytes(8))
             # BOOLERR row 4 col 1: the boolean TRUE, not an error
             + _rec(0x0205, struct.pack("<HHHBB", 4, 1, 15, 1, 0))
             # BOOLERR row 5 col 1: error 0x2A (#N/A)
             + _rec(0x0205, struct.pack("<HHHBB", 5, 1, 15, 0x2A, 1))
             + _rec(0x000A, b""))
    stream = (bof + _rec(0x0085, struct.pack("<IBBBB", globals_len, 0, 0, 2, 1) + name)
              + _rec(0x000A, b"") + sheet)
    assert stream.index(sheet) == globals_len
    monkeypatch.setattr(errorcells, "_cfb_stream", lambda data, names: stream)
    assert errorcells.xls_error_cells(b"", {"表1"}) == \
        {"表1": {(1, 2): "#DIV/0!", (5, 1): "#N/A"}}
    assert errorcells.xls_error_cells(b"", {"别的表"}) == {}


def test_xls_error_reader_never_raises_on_damaged_files(tmp_path):
    """Best effort after calamine: byte-mutated copies give markers or nothing, no exception."""
    import random
    import time

    from qzanalysis.reading.errorcells import mark_xls_errors
    from qzanalysis.reading.files import RawSheet
    src = tmp_path / "e.xls"
    _xls_with_error_cells(src)
    data = src.read_bytes()
    rng = random.Random(16)
    bad = tmp_path / "m.xls"
    t0 = time.perf_counter()
    for _ in range(300):
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        bad.write_bytes(bytes(b))
        sheets = [RawSheet("项目台账", [["", "", "", ""] for _ in range(4)])]
        mark_xls_errors(bad, sheets)
    assert time.perf_counter() - t0 < 20
