"""The layout of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP), as an editable .docx.

Unit name and national motto side by side, number and date lines left for the clerk, the title,
numbered headings, bordered tables with a repeated header row, page numbers, the recipients and
signature block. Times New Roman: 14 pt for the body, 13 pt for the motto and tables.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from reports.texts import t

FONT = "Times New Roman"
BODY_PT, SMALL_PT = 14, 13


def _font(run_or_style, size: int | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    """Times New Roman for every script (Vietnamese needs it set for the East Asian slot too)."""
    font = run_or_style.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


class Draft:
    """A document being written, top to bottom."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.doc = Document()
        _font(self.doc.styles["Normal"], BODY_PT)
        self.doc.styles["Normal"].paragraph_format.space_after = Pt(6)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        _page_numbers(section)

    def paragraph(self, text: str = "", size: int = BODY_PT, bold: bool = False, italic: bool = False,
                  align: WD_ALIGN_PARAGRAPH | None = None, indent_mm: float = 0):  # noqa: ANN201
        """A paragraph; line breaks in `text` stay line breaks."""
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent_mm:
            p.paragraph_format.first_line_indent = Mm(indent_mm)
        for i, line in enumerate(text.split("\n")):
            run = p.add_run(line)
            _font(run, size, bold, italic)
            if i < len(text.split("\n")) - 1:
                run.add_break()
        return p

    def header(self, parent: str, unit: str, title: str, subtitle: str, to: str) -> None:
        """Unit and motto, number and date lines (blank for the clerk), the title, and the addressee.

        `parent` is the governing body's line above the unit's name; the unit tree does not hold it (a
        province's is its People's Committee), so the drafts leave it to the clerk by passing "".
        """
        table = self.doc.add_table(rows=2, cols=2)
        _widths(table, [62, 103])
        left, right = table.rows[0].cells
        top = [(parent.upper(), SMALL_PT, False)] if parent else []
        _cell(left, [*top, (unit.upper(), SMALL_PT, True), ("———", SMALL_PT, False)], center=True)
        _cell(right, [(t("draft.motto_1", self.lang), SMALL_PT, True), (t("draft.motto_2", self.lang), BODY_PT, True),
                      ("———————————", SMALL_PT, False)], center=True)
        number, place = table.rows[1].cells
        _cell(number, [(t("draft.number_line", self.lang), SMALL_PT, False)], center=True)
        _cell(place, [(t("draft.date_line", self.lang), BODY_PT, False)], center=True, italic=True)
        self.paragraph(t("draft.kind", self.lang), BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        kind = t("draft.kind", self.lang).lower() + " "
        if title.lower().startswith(kind):  # «BÁO CÁO» / «Kết quả …», not «Báo cáo kết quả …» twice
            title = title[len(kind)].upper() + title[len(kind) + 1:]
        self.paragraph(title, BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        if subtitle:
            self.paragraph(subtitle, BODY_PT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        if to:
            self.paragraph(t("draft.to", self.lang, to=to), BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    def heading(self, code: str, title: str, level: int = 1) -> None:
        """`I. TÌNH HÌNH …` (level 1, upper case) or `1. Kết quả …` (level 2), bold."""
        text = f"{code}. {title.upper() if level == 1 else title}"
        self.paragraph(text, BODY_PT, bold=True, italic=level > 1)

    def item(self, text: str) -> None:
        """A `- Unit: text` line, indented like the body."""
        self.paragraph(f"- {text}", BODY_PT, indent_mm=10)

    def table(self, header: list[str], rows: list[list[str]], size: int = SMALL_PT, bold_rows: set[int] = frozenset(),
              widths_mm: list[float] | None = None) -> Table:
        """A bordered table whose header row repeats on every page."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        if widths_mm:
            _widths(table, widths_mm)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, title in enumerate(header):
            _cell(table.rows[0].cells[c], [(title, size, True)], center=True)
        _repeat_header(table.rows[0])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _cell(table.rows[r].cells[c], [(value, size, (r - 1) in bold_rows)])
        self.paragraph()
        return table

    def landscape(self) -> None:
        """A new landscape page (for a wide appendix table)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(15), Mm(15)

    def signature(self, recipients: list[str], signer: str) -> None:
        """`Nơi nhận:` on the left, the signer's title on the right (the name is left for the clerk)."""
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, [80, 85])
        left, right = table.rows[0].cells
        _cell(left, [(t("draft.recipients", self.lang), 12, True), *[(f"- {r};", 11, False) for r in recipients],
                     (t("draft.archive", self.lang), 11, False)])
        _cell(right, [(signer.upper(), BODY_PT, True), (t("draft.sign_hint", self.lang), BODY_PT, False)], center=True,
              italic_from=1)

    def finish(self) -> bytes:
        """The document as bytes."""
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _cell(cell, lines: list[tuple[str, int, bool]], center: bool = False, italic: bool = False,  # noqa: ANN001
          italic_from: int | None = None) -> None:
    """Fill a table cell with lines (text, size, bold), centred for header blocks."""
    p = cell.paragraphs[0]
    for i, (text, size, bold) in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        _font(run, size, bold, italic or (italic_from is not None and i >= italic_from))


def _widths(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's: set both)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_header(row) -> None:  # noqa: ANN001
    """Mark a row as the table's header, repeated at the top of each page."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _page_numbers(section) -> None:  # noqa: ANN001
    """The page number, centred at the top of every page but the first (a PAGE field Word and LibreOffice update)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
