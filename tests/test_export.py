import openpyxl
import pandas as pd
import pytest

from qzanalysis.export import escape_formulas, to_csv, to_excel

ATTACKS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]


@pytest.mark.parametrize("text", ATTACKS)
def test_escape_formulas_prefixes_apostrophe(text):
    out = escape_formulas(pd.DataFrame({"name": [text]}))
    assert out.loc[0, "name"] == "'" + text


def test_escape_formulas_leaves_numbers_and_plain_text():
    df = pd.DataFrame({"name": ["皂郊水厂改扩建", None], "amount": [-5.0, 3.0]})
    out = escape_formulas(df)
    assert out["name"].tolist()[0] == "皂郊水厂改扩建"
    assert pd.isna(out["name"].tolist()[1])
    assert out["amount"].tolist() == [-5.0, 3.0]
    assert df["name"].tolist()[0] == "皂郊水厂改扩建"  # input untouched


def test_excel_has_no_formula_and_frozen_header(tmp_path):
    df = pd.DataFrame({"项目名称": ATTACKS, "总投资（万元）": range(len(ATTACKS))})
    path = to_excel({"项目明细": df}, tmp_path / "x.xlsx", formats={"总投资（万元）": "#,##0.00"})
    ws = openpyxl.load_workbook(path)["项目明细"]
    names = [ws.cell(row=r, column=1) for r in range(2, 2 + len(ATTACKS))]
    assert all(c.data_type == "s" for c in names)
    # (openpyxl leaves xlsx's escaped carriage return as _x000D_)
    assert [c.value.replace("_x000D_", "\r") for c in names] == ["'" + a for a in ATTACKS]
    assert ws.freeze_panes == "A2"
    assert ws.cell(row=2, column=2).number_format == "#,##0.00"
    assert ws.column_dimensions["A"].width > 10


def test_csv_is_escaped_and_excel_friendly(tmp_path):
    path = to_csv(pd.DataFrame({"项目名称": ["=1+1", "正常"]}), tmp_path / "x.csv", index=False)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Chinese correctly
    assert raw.decode("utf-8-sig").splitlines() == ["项目名称", "'=1+1", "正常"]


def test_writers_create_the_folder(tmp_path):
    df = pd.DataFrame({"项目名称": ["甲"]})
    assert to_excel({"表": df}, tmp_path / "new" / "x.xlsx").exists()
    assert to_csv(df, tmp_path / "other" / "x.csv").exists()


def test_headers_are_escaped_too(tmp_path):
    # an unmatched ledger header is kept as a column name, so it reaches the export
    df = pd.DataFrame({"=HYPERLINK(\"http://x\")": ["a"], "项目名称": ["b"]})
    path = to_csv(df, tmp_path / "x.csv", index=False)
    assert path.read_text(encoding="utf-8-sig").splitlines()[0] == '"\'=HYPERLINK(""http://x"")",项目名称'
    book = to_excel({"表": df}, tmp_path / "x.xlsx")
    header = [c.value for c in openpyxl.load_workbook(book)["表"][1]]
    assert header == ["'=HYPERLINK(\"http://x\")", "项目名称"]
    assert list(df.columns)[0].startswith("=")  # input untouched
