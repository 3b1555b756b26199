"""report.docx (issue 12): the GB/T 9704-2012 layout, read back with python-docx and as XML.

The layout numbers are typed from the standard (A4, type area 156 × 225 mm, margins
37/35/28/26 mm, 22 lines of 28.95 pt, 二号 22 pt title, 三号 16 pt body, 4号 14 pt page
numbers), converted by hand: 1 mm = 36,000 EMU = 1440/25.4 twips, 1 pt = 20 twips.
The figures of the paragraph are typed from the founding article.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest

from qzanalysis.report import build_report, sample_paths
from qzanalysis.report_docx import clean_text, to_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# C0 controls (tab and newline included: a run carries neither), DEL, C1, bidi overrides
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# mm -> twips, computed by hand: round(mm * 1440 / 25.4)
MARGINS_TWIPS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
A4_TWIPS = {"w": 11906, "h": 16838}
EMU_PER_MM = 36000

ARTICLE_FIGURES = [
    "全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元。",
    "其中实施续建项目31个，总投资71030万元，今年完成投资11505万元，引进到位资金10095万元",
    "实施新签约项目28个，总投资27553万元，已完成投资5995万元，引进到位资金5995万元",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    paths = sample_paths()
    return build_report(out=out, monthly=paths["monthly"], pipeline=paths["pipeline"])


@pytest.fixture(scope="module")
def document(sample):
    return docx.Document(str(sample.out / "report.docx"))


@pytest.fixture(scope="module")
def parts(sample):
    """The XML parts of report.docx, parsed (name -> root element)."""
    from lxml import etree

    with zipfile.ZipFile(sample.out / "report.docx") as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


def _style(parts, style_id):
    styles = parts["word/styles.xml"]
    found = styles.findall(f"{W}style[@{W}styleId='{style_id}']")
    assert len(found) == 1, style_id
    return found[0]


def _val(el, path, attr="val"):
    node = el.find(path)
    return None if node is None else node.get(f"{W}{attr}")


# ------------------------------------------------------------------------- the bundle


def test_docx_is_part_of_the_bundle(sample):
    out = sample.out
    assert sample.docx == out / "report.docx" and sample.docx.is_file()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [
        ".qzanalysis-report.lock"]  # written in the temporary folder, moved in with the rest


# ------------------------------------------------------------------------- page


def test_page_is_a4_with_the_gbt9704_margins(document, parts):
    section = document.sections[0]
    assert len(document.sections) == 1
    # python-docx reads twips back: within one twip (635 EMU) of the millimetres
    for got, mm in ((section.page_width, 210), (section.page_height, 297),
                    (section.top_margin, 37), (section.bottom_margin, 35),
                    (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(got - mm * EMU_PER_MM) <= 635, (got, mm)
    type_width = section.page_width - section.left_margin - section.right_margin
    type_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(type_width - 156 * EMU_PER_MM) <= 2 * 635
    assert abs(type_height - 225 * EMU_PER_MM) <= 2 * 635
    sect = parts["word/document.xml"].find(f"{W}body/{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert {k: int(size.get(f"{W}{k}")) for k in A4_TWIPS} == A4_TWIPS
    assert size.get(f"{W}orient") in (None, "portrait")
    assert {k: int(margins.get(f"{W}{k}")) for k in MARGINS_TWIPS} == MARGINS_TWIPS


# ------------------------------------------------------------------------- fonts


def _fonts(style):
    fonts = style.find(f"{W}rPr/{W}rFonts")
    return {k: fonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "eastAsia")}


def test_body_font_size_indent_and_line_spacing(parts, document):
    normal = _style(parts, "Normal")
    assert _fonts(normal) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman",
                              "eastAsia": "仿宋_GB2312"}
    assert _val(normal, f"{W}rPr/{W}sz") == "32"  # 16 pt in half-points
    spacing = normal.find(f"{W}pPr/{W}spacing")
    # 28.95 pt fixed = 579 twips: 22 lines on the 225 mm type area
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    ind = normal.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200"  # two characters
    assert ind.get(f"{W}firstLine") == "640"  # 2 × 16 pt
    # python-docx sees the same
    style = document.styles["Normal"]
    assert style.font.size.pt == 16
    assert style.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    # no theme font in the document defaults: the named fonts are the ones used
    defaults = parts["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert not [a for a in defaults.attrib if "Theme" in a or "theme" in a]


@pytest.mark.parametrize(("style_id", "east_asian", "half_points"), [
    ("GongwenTitle", "方正小标宋简体", "44"),
    ("GongwenHeading1", "黑体", "32"),
    ("GongwenHeading2", "楷体_GB2312", "32"),
])
def test_title_and_heading_fonts(parts, style_id, east_asian, half_points):
    style = _style(parts, style_id)
    assert _fonts(style) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman",
                             "eastAsia": east_asian}
    assert _val(style, f"{W}rPr/{W}sz") == half_points


def test_title_is_centred_and_headings_are_numbered(document):
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.style.style_id == "GongwenTitle"
    assert title.text == "项目进展情况报告（1-6月）"
    assert title.style.paragraph_format.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER, by its style
    level1 = [p.text for p in paragraphs if p.style.style_id == "GongwenHeading1"]
    assert level1 == ["一、总体情况", "二、分阶段实施情况", "三、分资金渠道情况", "四、分行业情况",
                      "五、项目进度", "六、存在问题"]
    level2 = [p.text for p in paragraphs if p.style.style_id == "GongwenHeading2"]
    assert level2 == ["（一）按国民经济行业门类", "（二）按三次产业", "（一）年度计划完成情况",
                      "（二）进度滞后的项目"]


# ------------------------------------------------------------------------- page numbers


def test_page_numbers_are_a_page_field_odd_right_even_left(document, parts):
    settings = parts["word/settings.xml"]
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side, indent_attr in ((section.footer, "right", "right"),
                                      (section.even_page_footer, "left", "left")):
        assert not footer.is_linked_to_previous
        (par,) = footer.paragraphs
        xml = par._p
        assert _val(xml, f"{W}pPr/{W}jc") == side
        assert _val(xml, f"{W}pPr/{W}ind", indent_attr) == "280"  # one 14 pt character
        instr = "".join(t.text for t in xml.iter(f"{W}instrText"))
        assert instr.strip() == "PAGE"
        kinds = [c.get(f"{W}fldCharType") for c in xml.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert par.text == "— 1 —"  # the cached result between the dashes
        style = _style(parts, par.style.style_id)
        assert _fonts(style)["eastAsia"] == "宋体" and _fonts(style)["ascii"] == "宋体"
        assert _val(style, f"{W}rPr/{W}sz") == "28"  # 4号 14 pt


# ------------------------------------------------------------------------- narrative


def test_paragraph_states_the_article_figures(document, sample):
    text = "\n".join(p.text for p in document.paragraphs)
    for sentence in ARTICLE_FIGURES:
        assert sentence in text
    lead = document.paragraphs[2]
    assert lead.text.startswith("今年上半年，全区共实施招商引资项目59个")
    assert lead.text == sample.narrative


def test_sentences_come_from_the_data(document):
    text = "\n".join(p.text for p in document.paragraphs)
    # by hand from the article: 31 of 59 续建 = 52.5 %, 71030 / 98583 = 72.1 %
    assert "实施续建项目31个（占52.5%），总投资71030万元，占总投资的72.1%" in text
    assert "实施新签约项目28个（占47.5%），总投资27553万元，占总投资的27.9%" in text


# ------------------------------------------------------------------------- tables


def _caption_number(text: str, kind: str) -> int:
    m = re.match(rf"{kind}(\d+)\u3000\S", text)
    assert m, text
    return int(m.group(1))


def _preceding_paragraph(tbl):
    prev = tbl.getprevious()
    assert prev is not None and prev.tag == f"{W}p"
    return "".join(t.text for t in prev.iter(f"{W}t"))


def test_tables_captions_above_numbered_header_repeated(document):
    tables = document.tables
    assert len(tables) >= 3
    numbers = [_caption_number(_preceding_paragraph(t._tbl), "表") for t in tables]
    assert numbers == list(range(1, len(tables) + 1))
    for table in tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r._tr.find(f"{W}trPr/{W}tblHeader") is None for r in table.rows[1:])
    # SEQ fields number the captions, so Word keeps them right after editing
    caption = tables[0]._tbl.getprevious()
    assert "SEQ 表" in "".join(t.text for t in caption.iter(f"{W}instrText"))


def _cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_stage_table_figures_right_aligned_with_separators_total_bold(document):
    table = document.tables[0]
    rows = _cells(table)
    assert rows[0][:3] == ["项目阶段", "项目数（个）", "总投资"]
    by_stage = {r[0]: r for r in rows[1:]}
    # the article: 59 个, 98,583 and 86,563 万元; 续建 31 个 71,030; 新签约 28 个 27,553
    assert by_stage["合计"][1:4] == ["59", "98,583", "86,563"]
    assert by_stage["续建"][1:3] == ["31", "71,030"]
    assert by_stage["新签约"][1:3] == ["28", "27,553"]
    total_row = next(r for r in table.rows if r.cells[0].text == "合计")
    runs = [run for cell in total_row.cells for p in cell.paragraphs for run in p.runs]
    assert runs and all(run.bold for run in runs)
    other = next(r for r in table.rows if r.cells[0].text == "续建")
    assert not any(run.bold for c in other.cells for p in c.paragraphs for run in p.runs)
    for row in table.rows[1:]:
        assert row.cells[0].paragraphs[0].alignment in (None, 0)  # label: left
        for cell in row.cells[1:]:
            assert cell.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_channel_table_agrees_with_summarize(document):
    import qzanalysis as qz
    from qzanalysis.metrics import progress as project_progress

    projects = project_progress(qz.classify(qz.load(sample_paths()["ledger"]).projects),
                                period="1-6月")
    expected = qz.summarize(projects, by="funding_channel")
    caption_of = {_preceding_paragraph(t._tbl): t for t in document.tables}
    table = next(t for c, t in caption_of.items() if "分资金渠道" in c)
    rows = {r[0]: r for r in _cells(table)[1:]}
    assert set(rows) == {str(i) for i in expected.index}
    for name, row in expected.iterrows():
        assert rows[str(name)][1] == f"{int(row['projects'])}"
        assert rows[str(name)][2] == f"{row['total_investment']:,.0f}"
        assert rows[str(name)][5] == f"{row['completed_investment']:,.0f}"


def test_table_cells_are_small_fangsong(parts):
    style = _style(parts, "GongwenTableText")
    assert _fonts(style)["eastAsia"] == "仿宋_GB2312"
    assert _val(style, f"{W}rPr/{W}sz") == "21"  # 五号 10.5 pt
    # single line spacing in cells (an exact 28.95 pt would make every row a body line)
    assert _val(style, f"{W}pPr/{W}spacing", "lineRule") in (None, "auto")


# ------------------------------------------------------------------------- charts


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_chart_is_in_the_document_numbered_and_fits(document, sample):
    pngs = sorted((sample.out / "charts").glob("*.png"))
    assert len(pngs) == 7
    images = [s for s in document.inline_shapes]
    assert len(images) == len(pngs)
    blobs = {_digest(r.target_part.blob) for r in document.part.rels.values()
             if "image" in r.reltype}
    assert blobs == {_digest(p.read_bytes()) for p in pngs}
    for shape in images:
        assert 0 < shape.width <= 156 * EMU_PER_MM
        assert 0 < shape.height <= 225 * EMU_PER_MM
    # captions below each picture, numbered 图1 … 图7 in order
    numbers = []
    for par in document.paragraphs:
        if par._p.findall(f".//{W}drawing"):
            caption = par._p.getnext()
            numbers.append(_caption_number("".join(t.text for t in caption.iter(f"{W}t")), "图"))
    assert numbers == list(range(1, 8))


def test_charts_are_drawn_at_the_type_area_width_at_300_dpi(sample, document):
    from docx.image.image import Image

    for png in (sample.out / "charts").glob("*.png"):
        img = Image.from_file(str(png))
        assert round(img.horz_dpi) == 300
        # 156 mm at 300 dpi = 1842.5 px
        assert abs(img.px_width - 156 / 25.4 * 300) <= 1.5, png.name
    # a chart that fits the page is inserted at 100 %: 156 mm
    widths = sorted(s.width for s in document.inline_shapes)
    assert abs(widths[-1] - 156 * EMU_PER_MM) <= EMU_PER_MM // 10


def test_save_chart_width_mm_draws_at_that_width_and_restores_the_size(tmp_path):
    from qzanalysis import charts

    frame = pd.DataFrame({"project_name": ["甲", "乙"], "stage": ["续建", "新签约"],
                          "total_investment": [100.0, 50.0]})
    ax = charts.plot_by_stage(frame)
    before = tuple(ax.figure.get_size_inches())
    (png,) = charts.save_chart(ax, tmp_path / "a", formats=("png",), dpi=100, width_mm=127)
    from docx.image.image import Image

    assert Image.from_file(str(png)).px_width == 500  # 127 mm = 5 in × 100 dpi
    assert tuple(ax.figure.get_size_inches()) == before
    with pytest.raises(ValueError, match="width_mm"):
        charts.save_chart(ax, tmp_path / "b", formats=("png",), width_mm=0)


# ------------------------------------------------------------------------- text safety


def _all_texts(path: Path) -> list[str]:
    from lxml import etree

    texts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                texts += [t.text or "" for t in root.iter(f"{W}t", f"{W}instrText")]
    return texts


def test_no_run_holds_a_control_character(sample):
    texts = _all_texts(sample.out / "report.docx")
    assert texts and not [t for t in texts if CONTROL.search(t)]


def test_control_characters_in_the_data_do_not_reach_the_document(tmp_path):
    ledger = tmp_path / "台账.csv"
    ledger.write_text("项目名称,项目阶段,总投资,本年计划投资,本年完成投资\n"
                      "甲厂项目,续建,100,50,0\n乙厂项目,续建,200,80,60\n", encoding="utf-8")
    report = build_report([ledger], tmp_path / "out")
    # a name and a paragraph with a bell, an escape sequence, a vertical tab and an RLO
    bad = "甲\x07厂\x1b[31m项目\x0b\u202e"
    report = dataclasses.replace(report, projects=report.projects.assign(
        project_name=report.projects["project_name"].replace("甲厂项目", bad)),
        narrative=report.narrative + bad)
    path = to_docx(report, tmp_path / "bad.docx", charts={})
    texts = _all_texts(path)
    assert not [t for t in texts if CONTROL.search(t)]
    body = "".join(texts)
    assert "甲厂[31m项目" in body  # the name kept, its control characters removed
    assert clean_text(bad) == "甲厂[31m项目 "


def test_a_report_without_charts_or_progress_still_writes(tmp_path):
    """to_docx from a notebook, on a Report whose projects lack the progress columns."""
    ledger = tmp_path / "a.csv"
    ledger.write_text("项目名称,总投资\n甲项目,100\n乙项目,\n", encoding="utf-8")
    report = build_report([ledger], tmp_path / "out")
    report = dataclasses.replace(
        report, projects=report.projects.drop(columns=["lagging", "schedule", "plan_rate"]))
    path = to_docx(report, tmp_path / "plain.docx", period="1-8月")
    doc = docx.Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "项目进展情况报告（1-8月）"
    assert "1个项目未填报总投资" in text
    assert len(doc.inline_shapes) == 6  # charts=None: the PNGs in report.out/charts


def test_a_failed_docx_write_keeps_the_previous_bundle(tmp_path, monkeypatch):
    """report.docx is part of the atomic bundle: a full disk while writing it changes nothing."""
    import errno

    from qzanalysis import report as report_module
    from qzanalysis.report import OutputError

    ledger = tmp_path / "a.csv"
    ledger.write_text("项目名称,总投资\n甲项目,100\n", encoding="utf-8")
    out = tmp_path / "out"
    build_report([ledger], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def half_then_enospc(report, path, **kwargs):
        Path(path).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report_module, "to_docx", half_then_enospc)
    ledger.write_text("项目名称,总投资\n乙项目,200\n", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        build_report([ledger], out)
    assert str(caught.value) == (f"无法写入“{out / 'report.docx'}”：磁盘空间不足"
                                 "（没有留下写了一半的文件，原有的报告未改动）")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
