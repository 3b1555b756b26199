"""report.docx: the report as a Word document laid out to GB/T 9704-2012 《党政机关公文格式》.

The analysts send the report upward as a Word document in the official-document layout;
:func:`to_docx` writes it with python-docx (no Word or LibreOffice needed), so that it
only has to be opened, edited and sent:

* A4 portrait, type area 156 × 225 mm (margins: top 37, bottom 35, left 28, right 26 mm);
* title in 方正小标宋简体 二号 (22 pt), centred; body in 仿宋_GB2312 三号 (16 pt), first line
  indented two characters, fixed line spacing of 28.95 pt (22 lines per page); level-1
  headings (一、…) in 黑体, level-2 ((一)…) in 楷体_GB2312, both 三号; digits and Latin
  letters in Times New Roman. Fonts are named, not embedded: each run's East-Asian font
  (``w:eastAsia``) is set as well as the Latin one, and the reader's Word supplies them;
* page numbers "— 1 —" in 4号 宋体 from a PAGE field, odd pages right and even pages left,
  one character in from the edge of the type area (``w:evenAndOddHeaders``);
* tables 表1… with the caption above, 仿宋 五号 in the cells, the header row repeated on
  each page, numbers right-aligned with thousands separators and the 合计 row bold;
* charts 图1… with the caption below, at most the type-area width (156 mm) and drawn at
  that size at 300 dpi by :func:`qzanalysis.charts.save_chart` (``width_mm``).

Captions number themselves with SEQ fields (表/图), so they stay right after editing.
The content is the report paragraph of :func:`qzanalysis.narrative.narrative` and a short
总体情况 / 分阶段 / 分资金渠道 / 分行业 / 项目进度 / 存在问题 structure whose sentences are
written from the data. The full project list stays in summary.xlsx.

python-docx is imported when a document is written, not at ``import qzanalysis``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qzanalysis.metrics import TOTAL_LABEL
from qzanalysis.narrative import format_amount
from qzanalysis.text import CONTROL_CHARS

if TYPE_CHECKING:  # pragma: no cover
    from qzanalysis.report import Report

__all__ = ["to_docx", "LAYOUT", "DocxLayout", "CHART_SECTIONS", "STYLE_IDS", "clean_text"]


@dataclass(frozen=True)
class DocxLayout:
    """The numbers of GB/T 9704-2012 that report.docx is laid out with (mm and pt)."""

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    top_mm: float = 37.0
    bottom_mm: float = 35.0
    left_mm: float = 28.0
    right_mm: float = 26.0
    #: the footer's distance from the bottom edge: the page number's line starts about
    #: 7 mm below the type area (35 − 7 − 4号 ≈ 23 mm)
    footer_mm: float = 23.0
    #: 22 lines on a 225 mm type area
    line_pt: float = 28.95
    title_pt: float = 22.0  # 二号
    body_pt: float = 16.0  # 三号
    page_number_pt: float = 14.0  # 4号
    caption_pt: float = 14.0  # 四号
    cell_pt: float = 10.5  # 五号
    cell_margin_mm: float = 1.0
    #: a table of at most this many rows is kept on one page
    keep_table_rows: int = 15
    #: the widest and tallest a chart is inserted (the type area less room for its caption)
    image_max_width_mm: float = 156.0
    image_max_height_mm: float = 205.0
    title_font: str = "方正小标宋简体"
    body_font: str = "仿宋_GB2312"
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    page_number_font: str = "宋体"
    latin_font: str = "Times New Roman"
    #: how many lagging projects the 项目进度 table lists (all are in summary.xlsx)
    lagging_rows: int = 20

    @property
    def type_width_mm(self) -> float:
        return self.page_width_mm - self.left_mm - self.right_mm

    @property
    def type_height_mm(self) -> float:
        return self.page_height_mm - self.top_mm - self.bottom_mm


LAYOUT = DocxLayout()

#: chart file name (stem) -> the section of the document it is shown in; a chart not
#: named here goes into 总体情况 (every chart of the bundle is in the document).
CHART_SECTIONS: dict[str, str] = {
    "分阶段投资": "分阶段",
    "项目阶段漏斗": "分阶段",
    "资金到位": "分阶段",
    "分资金渠道": "分资金渠道",
    "分行业投资": "分行业",
    "项目进度": "项目进度",
    "月度累计完成": "项目进度",
}
_SECTIONS = ("总体情况", "分阶段", "分资金渠道", "分行业", "项目进度", "存在问题")
_HEADINGS = {
    "总体情况": "一、总体情况",
    "分阶段": "二、分阶段实施情况",
    "分资金渠道": "三、分资金渠道情况",
    "分行业": "四、分行业情况",
    "项目进度": "五、项目进度",
    "存在问题": "六、存在问题",
}
_NUMERALS = "一二三四五六七八九十"

# Style names (paragraph styles added to python-docx's default template), shown in Word's
# style gallery, and their ASCII style ids
_TITLE, _H1, _H2 = "公文标题", "公文一级标题", "公文二级标题"
_CAPTION, _CELL, _FIGURE, _PAGE_NUMBER = "公文题注", "公文表格", "公文插图", "公文页码"
STYLE_IDS: dict[str, str] = {
    _TITLE: "GongwenTitle",
    _H1: "GongwenHeading1",
    _H2: "GongwenHeading2",
    _CAPTION: "GongwenCaption",
    _CELL: "GongwenTableText",
    _FIGURE: "GongwenFigure",
    _PAGE_NUMBER: "GongwenPageNumber",
}

# Characters XML 1.0 cannot hold, controls that would act on a reader's screen, and bidi
# overrides that reorder what is shown: never written into a run.
_UNSAFE = re.compile(f"[{CONTROL_CHARS}\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\t\n\x0b\x0c\r\u2028\u2029]+")


def clean_text(value) -> str:
    r"""Text as it may go into a run of the document: no control characters.

    Line breaks and tabs become one space; other control characters, bidi overrides and
    characters XML cannot hold are removed.

    >>> clean_text("甲\x07项目\n（二期）\u202e")
    '甲项目 （二期）'
    """
    return _UNSAFE.sub("", _BREAKS.sub(" ", str(value)))


# --------------------------------------------------------------------------- formatting


def _number(value, *, decimals: int = 2) -> str:
    """A table figure: thousands separators, at most two decimals, missing as empty.

    >>> _number(98583.0), _number(1234.5), _number(float("nan")), _number(59)
    ('98,583', '1,234.5', '', '59')
    """
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(value) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.1%}"


def _points(value) -> str:
    return f"{abs(float(value)):.1f}"


# --------------------------------------------------------------------------- the document


def _require_docx():
    try:
        import docx  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dependency of qzanalysis
        raise ImportError(
            "写 report.docx 需要 python-docx：pip install python-docx "
            "（或 conda install -c conda-forge python-docx）") from exc


def to_docx(
    report: Report,
    path: str | Path,
    *,
    charts: Mapping[str, str | Path] | None = None,
    period: str = "1-6月",
    layout: DocxLayout = LAYOUT,
) -> Path:
    """Write ``report`` as a Word document in the GB/T 9704-2012 layout.

    Parameters
    ----------
    report : qzanalysis.report.Report
        What :func:`qzanalysis.report.build_report` computed (its ``projects``,
        ``findings``, ``tables`` and ``narrative``).
    path : path
        The .docx to write.
    charts : mapping of caption -> image file, optional
        The charts to insert (PNG), in order; each goes into the section
        :data:`CHART_SECTIONS` names for its file name. None: the PNGs in
        ``report.out / "charts"``.
    period : str, default ``"1-6月"``
        The report period, for the title.
    layout : DocxLayout
        Page, font and size numbers (:data:`LAYOUT`: GB/T 9704-2012).

    Returns
    -------
    Path
        ``path``.
    """
    _require_docx()
    from docx import Document

    if charts is None:
        folder = Path(report.out) / "charts"
        charts = {p.stem: p for p in sorted(folder.glob("*.png"))} if folder.is_dir() else {}
    doc = Document()
    _set_up_styles(doc, layout)
    _set_up_page(doc, layout)
    writer = _Writer(doc, layout)
    writer.paragraph(f"项目进展情况报告（{period}）", style=_TITLE)
    writer.paragraph("", style=_TITLE)  # GB/T 9704: one blank line below the title
    writer.paragraph(report.narrative)
    placed = {name: [] for name in _SECTIONS}
    for caption, image in charts.items():
        placed[CHART_SECTIONS.get(Path(image).stem, "总体情况")].append((caption, Path(image)))
    for name in _SECTIONS:
        writer.paragraph(_HEADINGS[name], style=_H1)
        writer.pending = placed[name]
        _SECTION_WRITERS[name](writer, report)
        writer.place_figures()  # those the section did not place itself: at its end
    path = Path(path)
    doc.save(str(path))
    return path


class _Writer:
    """Adds paragraphs, tables and figures, numbering the captions."""

    def __init__(self, doc, layout: DocxLayout):
        self.doc = doc
        self.layout = layout
        self.tables = 0
        self.figures = 0
        self.level2 = 0
        #: (caption, image) of the charts of the current section not yet placed
        self.pending: list[tuple[str, Path]] = []

    def place_figures(self, *stems: str) -> None:
        """Insert the section's charts named by file stem (all of them if none is named)."""
        keep = []
        for caption, image in self.pending:
            if not stems or image.stem in stems:
                self.figure(image, caption)
            else:
                keep.append((caption, image))
        self.pending = keep

    def paragraph(self, text: str, *, style: str | None = None, bold: bool = False):
        if style == _H1:
            self.level2 = 0
        par = self.doc.add_paragraph(style=style)
        if text:
            _run(par, text, bold=bold)
        return par

    def heading2(self, text: str):
        self.level2 += 1
        return self.paragraph(f"（{_NUMERALS[self.level2 - 1]}）{text}", style=_H2)

    def sentences(self, parts: list[str]):
        text = "".join(p for p in parts if p)
        if text:
            self.paragraph(text)

    def _caption(self, kind: str, number: int, title: str):
        from docx.shared import Pt

        par = self.doc.add_paragraph(style=_CAPTION)
        _run(par, kind)
        _field(par, f" SEQ {kind} \\* ARABIC ", str(number))
        _run(par, f"\u3000{title}")
        if kind == "表":
            par.paragraph_format.keep_with_next = True
            par.paragraph_format.space_before = Pt(6)
        else:
            par.paragraph_format.space_after = Pt(12)
        return par

    def table(self, title: str, frame: pd.DataFrame, *, numeric: list[bool],
              widths_mm: list[float], total_row: bool = True):
        """A table: caption above, header repeated on each page, the 合计 row bold."""
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        self.tables += 1
        self._caption("表", self.tables, title)
        rows = [list(frame.columns)] + frame.astype("object").values.tolist()
        table = self.doc.add_table(rows=len(rows), cols=len(frame.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _cell_margins(table, self.layout.cell_margin_mm)
        scale = min(1.0, self.layout.type_width_mm / sum(widths_mm))
        for i, width in enumerate(widths_mm):
            table.columns[i].width = Mm(width * scale)
        for r, values in enumerate(rows):
            row = table.rows[r]
            _row_properties(row, header=r == 0)
            bold = r == 0 or (total_row and str(values[0]).strip() == TOTAL_LABEL)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Mm(widths_mm[c] * scale)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                par = cell.paragraphs[0]
                par.style = self.doc.styles[_CELL]
                if r == 0:
                    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif numeric[c]:
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) \
                    else str(value)
                if text:
                    _run(par, text, bold=bold)
        if len(rows) <= self.layout.keep_table_rows:
            # a short table is not split across pages: each row keeps with the next
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for par in cell.paragraphs:
                        par.paragraph_format.keep_with_next = True
        # a paragraph after the table, so the next caption or table does not touch it
        self.doc.add_paragraph(style=_CELL)
        return table

    def figure(self, image: Path, caption: str):
        """A chart at its drawn size, no wider than the type area: caption below."""
        from docx.shared import Mm

        width, height = _image_size_mm(image)
        scale = min(1.0, self.layout.image_max_width_mm / width,
                    self.layout.image_max_height_mm / height)
        self.figures += 1
        par = self.doc.add_paragraph(style=_FIGURE)
        par.add_run().add_picture(str(image), width=Mm(width * scale),
                                  height=Mm(height * scale))
        self._caption("图", self.figures, caption)


def _image_size_mm(image: Path) -> tuple[float, float]:
    """Width and height of an image at its own resolution (dpi), in mm."""
    from docx.image.image import Image

    img = Image.from_file(str(image))
    return (img.px_width / (img.horz_dpi or 72) * 25.4,
            img.px_height / (img.vert_dpi or 72) * 25.4)


# --------------------------------------------------------------------------- low-level XML


def _run(par, text: str, *, bold: bool = False):
    run = par.add_run(clean_text(text))
    if bold:
        run.bold = True
    return run


def _field(par, instruction: str, result: str) -> None:
    """A complex field (PAGE, SEQ) with ``result`` shown until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = par.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    char("begin")
    run = par.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    char("separate")
    par.add_run(result)
    char("end")


def _cell_margins(table, mm: float) -> None:
    """Left and right cell margins of the whole table (Word's default is 1.9 mm)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")


def _row_properties(row, *, header: bool) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # a row is not broken across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page


def _set_fonts(rpr, layout: DocxLayout, east_asian: str, latin: str | None = None) -> None:
    """Name the fonts on an rPr: Latin (ascii, hAnsi, cs) and East-Asian, no theme fonts."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    latin = latin or layout.latin_font
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _first_line_chars(style, chars: int, size_pt: float) -> None:
    """First-line indent of ``chars`` characters (w:firstLineChars, and its length)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.paragraph_format.first_line_indent = Pt(chars * size_pt)
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _outline_level(style, level: int) -> None:
    """Heading level for Word's navigation pane and table of contents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _set_up_styles(doc, layout: DocxLayout) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    # document defaults: no theme fonts, Chinese as the East-Asian language
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, layout, layout.body_font)
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    normal = doc.styles["Normal"]
    normal.font.size = Pt(layout.body_pt)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(normal.element.get_or_add_rPr(), layout, layout.body_font)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(layout.line_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False  # GB/T 9704 pages are filled line by line
    _first_line_chars(normal, 2, layout.body_pt)

    def add(name: str, *, font: str, size: float, latin: str | None = None):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = STYLE_IDS[name]
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        _set_fonts(style.element.get_or_add_rPr(), layout, font, latin)
        return style

    title = add(_TITLE, font=layout.title_font, size=layout.title_pt)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    title.paragraph_format.keep_with_next = True

    for name, font, level in ((_H1, layout.heading1_font, 0), (_H2, layout.heading2_font, 1)):
        heading = add(name, font=font, size=layout.body_pt)
        heading.paragraph_format.keep_with_next = True
        _outline_level(heading, level)

    caption = add(_CAPTION, font=layout.heading1_font, size=layout.caption_pt)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    for name, size in ((_CELL, layout.cell_pt), (_FIGURE, layout.body_pt)):
        style = add(name, font=layout.body_font, size=size)
        pf = style.paragraph_format
        pf.first_line_indent = Pt(0)
        style.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact spacing would crop a picture
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT if name == _CELL else WD_ALIGN_PARAGRAPH.CENTER
        if name == _FIGURE:
            pf.keep_with_next = True  # the caption below stays with its chart
            pf.space_before = Pt(6)

    number = add(_PAGE_NUMBER, font=layout.page_number_font, size=layout.page_number_pt,
                 latin=layout.page_number_font)
    number.paragraph_format.first_line_indent = Pt(0)
    number.element.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    number.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _set_up_page(doc, layout: DocxLayout) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(layout.page_width_mm)
    section.page_height = Mm(layout.page_height_mm)
    section.top_margin = Mm(layout.top_mm)
    section.bottom_margin = Mm(layout.bottom_mm)
    section.left_margin = Mm(layout.left_mm)
    section.right_margin = Mm(layout.right_mm)
    section.footer_distance = Mm(layout.footer_mm)
    section.gutter = Mm(0)
    # The fixed 28.95 pt line spacing gives the 22 lines; no character grid
    # (w:type="linesAndChars" with w:charSpace for 28 characters a line): LibreOffice
    # then gives each 16 pt character two grid cells, half a line of text per line.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(round(layout.line_pt * 20)))  # 579 twips = 28.95 pt

    doc.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    one_char = Pt(layout.page_number_pt)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.style = doc.styles[_PAGE_NUMBER]
        par.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            par.paragraph_format.right_indent = one_char  # 单页码居右空一字
        else:
            par.paragraph_format.left_indent = one_char  # 双页码居左空一字
        _run(par, "— ")
        _field(par, " PAGE ", "1")
        _run(par, " —")


# --------------------------------------------------------------------------- content


def _money(value, *, prefix: str = "") -> str:
    return "" if value is None or pd.isna(value) else f"{prefix}{format_amount(value)}"


def _join(parts) -> str:
    return "，".join(p for p in parts if p)


_TABLE_COLUMNS = [
    ("projects", "项目数（个）"),
    ("total_investment", "总投资"),
    ("contracted_investment", "合同引资"),
    ("planned_investment", "本年计划投资"),
    ("completed_investment", "本年完成投资"),
    ("funds_in_place", "到位资金"),
    ("plan_rate", "计划完成率"),
    ("share_investment", "投资占比"),
]


def _summary_table(writer: _Writer, title: str, table: pd.DataFrame, label: str) -> None:
    """One of summarize()'s tables, the columns that matter for reading, amounts in 万元."""
    cols = [(key, name) for key, name in _TABLE_COLUMNS if key in table.columns]
    shown = pd.DataFrame({label: [clean_text(i) for i in table.index]})
    for key, name in cols:
        values = table[key].to_numpy()
        if key.endswith("_rate") or key.startswith("share_"):
            shown[name] = [_percent(v) for v in values]
        else:
            shown[name] = [_number(v) for v in values]
    label_width = 36.0 if len(cols) >= 8 else 40.0
    writer.table(f"{title}（金额单位：万元）", shown,
                 numeric=[False] + [True] * len(cols),
                 widths_mm=[label_width] + [(156.0 - label_width) / len(cols)] * len(cols))


def _total(report: Report) -> pd.Series:
    return report.tables["分阶段"].loc[TOTAL_LABEL]


def _schedule(projects: pd.DataFrame) -> float | None:
    if "schedule" not in projects.columns:
        return None
    known = projects["schedule"].dropna()
    return float(known.iloc[0]) if len(known) else None


def _write_overview(w: _Writer, report: Report) -> None:
    total = _total(report)
    first = [
        f"纳入统计的项目共{int(total['projects'])}个",
        _money(total.get("total_investment"), prefix="总投资"),
        _money(total.get("contracted_investment"), prefix="合同引资"),
    ]
    second = [
        _money(total.get("planned_investment"), prefix="本年计划投资"),
        _money(total.get("completed_investment"), prefix="本年完成投资"),
    ]
    rate = total.get("plan_rate")
    if rate is not None and pd.notna(rate):
        text = f"年度计划完成率{_percent(rate)}"
        schedule = _schedule(report.projects)
        if schedule is not None:
            gap = (float(rate) - schedule) * 100
            side = "超出" if gap >= 0 else "落后于"
            text += f"，{side}时序进度（{_percent(schedule)}）{_points(gap)}个百分点"
        second.append(text)
    funds = [_money(total.get("funds_in_place"), prefix="到位资金")]
    if pd.notna(total.get("funds_rate")):
        funds.append(f"资金到位率{_percent(total['funds_rate'])}")
    w.sentences([_join(first) + "。", _join(second) + "。" if any(second) else "",
                 _join(funds) + "。" if any(funds) else ""])


def _group_sentence(name: str, row: pd.Series, *, subject: str) -> str:
    parts = [f"{subject}{int(row['projects'])}个"]
    if pd.notna(row.get("share_projects")):
        parts[0] += f"（占{_percent(row['share_projects'])}）"
    if pd.notna(row.get("total_investment")):
        text = f"总投资{format_amount(row['total_investment'])}"
        if pd.notna(row.get("share_investment")):
            text += f"，占总投资的{_percent(row['share_investment'])}"
        parts.append(text)
    parts.append(_money(row.get("completed_investment"), prefix="本年完成投资"))
    if pd.notna(row.get("plan_rate")):
        parts.append(f"年度计划完成率{_percent(row['plan_rate'])}")
    return _join(parts)


def _groups(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(index=TOTAL_LABEL, errors="ignore")


def _write_stages(w: _Writer, report: Report) -> None:
    from qzanalysis.narrative import STAGE_WORDING

    table = report.tables["分阶段"]
    groups = _groups(table)
    order = [s for s in STAGE_WORDING if s in groups.index]
    order += [s for s in groups.index if s not in order]
    parts = []
    for stage in order:
        subject = STAGE_WORDING[stage][0] if stage in STAGE_WORDING else f"{clean_text(stage)}的项目"
        parts.append(_group_sentence(stage, groups.loc[stage], subject=subject))
    if parts:
        w.sentences(["按项目所处阶段分，" + "；".join(parts) + "。"])
    _summary_table(w, "分阶段项目投资情况", table, "项目阶段")


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    groups = _groups(table)
    if "total_investment" not in groups.columns:
        return groups
    return groups.sort_values("total_investment", ascending=False, kind="stable",
                              na_position="last")


def _write_channels(w: _Writer, report: Report) -> None:
    table = report.tables["分资金渠道"]
    parts = [_group_sentence(name, row, subject=f"{clean_text(name)}项目")
             for name, row in _ranked(table).iterrows()]
    if parts:
        w.sentences(["按资金渠道分（投资额由多到少），" + "；".join(parts) + "。"])
    _summary_table(w, "分资金渠道项目投资情况", table, "资金渠道")


def _write_industries(w: _Writer, report: Report) -> None:
    table = report.tables["分行业"]
    ranked = _ranked(table)
    w.heading2("按国民经济行业门类")
    if len(ranked):
        top = ranked.head(3)
        parts = [_group_sentence(name, row, subject=f"{clean_text(name)}项目")
                 for name, row in top.iterrows()]
        w.sentences([f"按《国民经济行业分类》（GB/T 4754-2017）门类分，项目分布在{len(ranked)}个门类。"
                     "投资最多的" + ("是" if len(top) == 1 else f"{len(top)}个门类是：")
                     + "；".join(parts) + "。"])
    _summary_table(w, "分行业门类项目投资情况", table, "行业门类")
    w.place_figures("分行业投资")
    sectors = report.tables.get("分三次产业")
    if sectors is not None and len(_groups(sectors)):
        w.heading2("按三次产业")
        parts = [_group_sentence(name, row, subject=f"{clean_text(name)}项目")
                 for name, row in _groups(sectors).iterrows()]
        w.sentences(["按三次产业分，" + "；".join(parts) + "。"])
        _summary_table(w, "分三次产业项目投资情况", sectors, "三次产业")


def _lagging(projects: pd.DataFrame) -> pd.DataFrame:
    if "lagging" not in projects.columns:
        return projects.iloc[:0]
    mask = projects["lagging"].fillna(False).astype(bool).to_numpy()
    late = projects[mask]
    if "schedule_gap" in late.columns:
        late = late.sort_values("schedule_gap", kind="stable", na_position="first")
    return late


def _names(frame: pd.DataFrame, n: int = 3) -> list[str]:
    return [clean_text(x) for x in frame["project_name"].dropna().astype(str).head(n)]


def _write_progress(w: _Writer, report: Report) -> None:
    projects = report.projects
    total = _total(report)
    w.heading2("年度计划完成情况")
    _write_plan(w, total, projects)
    w.place_figures("月度累计完成", "项目进度")
    w.heading2("进度滞后的项目")
    late = _lagging(projects)
    if not len(late):
        if "lagging" in projects.columns and projects["lagging"].notna().any():
            w.sentences(["没有进度滞后的项目。"])
        else:
            w.sentences(["台账没有本年计划投资和完成投资，无法判断项目进度。"])
        return
    names = _names(late)
    more = "等" if len(late) > len(names) else ""
    w.sentences([
        f"进度滞后（年度计划完成率落后时序进度10个百分点以上，或在建项目本年尚未完成投资）的项目"
        f"有{len(late)}个，占项目总数的{_percent(len(late) / max(len(projects), 1))}，"
        f"主要有{'、'.join(names)}{more}。",
        f"表中列出落后最多的{w.layout.lagging_rows}个，全部项目见 summary.xlsx 的“项目明细”表。"
        if len(late) > w.layout.lagging_rows else "",
    ])
    shown = late.head(w.layout.lagging_rows)
    frame = pd.DataFrame({
        "项目名称": [clean_text(x) for x in shown["project_name"].astype("object")],
        "阶段": ["" if pd.isna(s) else clean_text(s) for s in shown["stage"].astype("object")],
        "本年计划投资": [_number(v) for v in shown.get("planned_investment", pd.Series())],
        "本年完成投资": [_number(v) for v in shown.get("completed_investment", pd.Series())],
        "计划完成率": [_percent(v) for v in shown.get("plan_rate", pd.Series())],
    })
    if "schedule_gap" in shown.columns:
        frame["超/欠序时（百分点）"] = [_number(v, decimals=1) for v in shown["schedule_gap"]]
    n = len(frame.columns)
    w.table("进度滞后的项目（金额单位：万元）", frame, numeric=[False, False] + [True] * (n - 2),
            widths_mm=[56.0, 16.0] + [(156.0 - 72.0) / (n - 2)] * (n - 2), total_row=False)


def _write_plan(w: _Writer, total: pd.Series, projects: pd.DataFrame) -> None:
    parts = [_money(total.get("planned_investment"), prefix="本年计划投资"),
             _money(total.get("completed_investment"), prefix="本年完成投资")]
    if pd.notna(total.get("plan_rate")):
        parts.append(f"年度计划完成率{_percent(total['plan_rate'])}")
    schedule = _schedule(projects)
    if schedule is not None:
        parts.append(f"时序进度{_percent(schedule)}")
    if "plan_rate" in projects.columns and schedule is not None:
        rates = projects["plan_rate"].dropna()
        ahead = int((rates >= schedule).sum())
        parts.append(f"在{len(rates)}个有计划和完成数的项目中，{ahead}个达到或超过时序进度")
    if any(parts):
        w.sentences([_join(parts) + "。"])
    else:
        w.sentences(["台账没有本年计划投资和完成投资。"])


def _write_problems(w: _Writer, report: Report) -> None:
    from qzanalysis.findings import findings_for_people

    projects = report.projects
    items = []
    late = _lagging(projects)
    if len(late):
        text = f"{len(late)}个项目进度滞后于时序进度"
        if "completed_investment" in late.columns:
            nothing = late["completed_investment"].isna() | late["completed_investment"].eq(0)
            if nothing.any():
                text += f"，其中{int(nothing.sum())}个项目本年尚未完成投资"
        items.append(text)
    total = _total(report)
    schedule = _schedule(projects)
    if pd.notna(total.get("funds_rate")) and schedule is not None and total["funds_rate"] < schedule:
        items.append(f"资金到位率为{_percent(total['funds_rate'])}，低于时序进度"
                     f"（{_percent(schedule)}），合同引资到位仍需加快")
    missing = []
    for column, name in (("total_investment", "总投资"), ("planned_investment", "本年计划投资"),
                         ("completed_investment", "本年完成投资")):
        if column in projects.columns:
            n = int(pd.to_numeric(projects[column], errors="coerce").isna().sum())
            if n:
                missing.append(f"{n}个项目未填报{name}")
    if missing:
        items.append("台账中" + "、".join(missing))
    if items:
        w.sentences(["；".join(f"{_NUMERALS[i]}是{t}" if len(items) > 1 else t
                              for i, t in enumerate(items)) + "。"])

    findings = findings_for_people(report.findings)
    counts = findings["级别"].value_counts() if len(findings) else pd.Series(dtype="int64")
    errors, warnings = int(counts.get("错误", 0)), int(counts.get("警告", 0))
    if not errors and not warnings:
        w.sentences(["数据检查未发现错误或警告。"])
        return
    serious = findings[findings["级别"].isin(["错误", "警告"])]
    top = serious["问题"].astype(str).value_counts().head(3)
    kinds = "、".join(f"{clean_text(k)}（{v}条）" for k, v in top.items())
    w.sentences([f"数据检查发现错误{errors}条、警告{warnings}条，主要是{kinds}，"
                 "请核实后更正台账；完整清单见 summary.xlsx 的“数据检查”表。"])


_SECTION_WRITERS = {
    "总体情况": _write_overview,
    "分阶段": _write_stages,
    "分资金渠道": _write_channels,
    "分行业": _write_industries,
    "项目进度": _write_progress,
    "存在问题": _write_problems,
}
