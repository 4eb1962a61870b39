"""Form 2's yearly report for a collecting level: the 5422 outline I–V from its agencies' answers and its
own part, with Form 2's table attached as an annex."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from reports.chain import rollup_lines
from reports.docx.common import Author, basis, keys_in, outline, signer_line, unit_texts
from reports.docx.layout import Draft
from reports.summary import Line
from reports.table2 import Table2, meeting_text
from reports.table2_sheet import body_rows, header
from reports.text import head_lines, status_text
from reports.texts import t
from storage.uow import UnitOfWork


def _figure_line(line: Line, cell: str, table: Table2, lang: str) -> str:
    """`Đưa nội dung lên nền tảng số: 2/3 cơ quan đạt (trả lời Có), tức 66,7% — mục tiêu 2030: …`."""
    text = t("draft.item_line", lang, label=line.q.short_label, value=cell.replace("\n", "; "))
    goal_year = table.form.goal_year(table.period.year)
    target = line.status.target or (table.form.target_for(line.q.key, goal_year, table.total.scope.target_scopes())
                                    if goal_year else None)
    if target is not None:
        text += " — " + t("draft.target_note", lang, year=target.year, target=target.shown,
                          status=status_text(line, lang, table.period.year).lstrip("🟢🔴🔵⚪ "))
    return text


def _figures_of(table: Table2, code: str, lang: str) -> list[str]:
    """The roll-up of each collecting group for the indicators of outline section `code`."""
    keys = {q["key"] for q in (table.form.definition or {}).get("questions", []) if q.get("outline") == code
            and q.get("kind") != "section"}
    out = []
    for g in table.groups or []:
        lines = [ln for ln in g.summary.lines if ln.q.key in keys and ln.agg is not None]
        prefix = f"{g.name}: " if len(table.groups) > 1 else ""
        out += [prefix + _figure_line(ln, g.cells.get(ln.q.key) or meeting_text(ln, lang), table, lang) for ln in lines]
    return out


def _section(d: Draft, uow: UnitOfWork, table: Table2, code: str, title: str, lang: str) -> int:
    """One outline section: its heading, the figures behind it, each unit's text; how many lines it got."""
    d.heading(code, title, level=2 if "." in code else 1)
    lines = _figures_of(table, code, lang) + unit_texts(uow, table.scope, table.period,
                                                        keys_in(table.form, table.period, code), lang)
    has_children = any(c.startswith(code + ".") for c, _ in outline(table.form))
    if not lines and not has_children:
        d.item(t("draft.no_items", lang))
    for text in lines:
        d.item(text)
    return len(lines)


def _annex(d: Draft, table: Table2, author: Author, lang: str) -> None:
    """The table of item 3, landscape, bordered, one row per agency and per collecting unit."""
    d.landscape()
    d.paragraph(t("draft.appendix", lang, year=table.period.year), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    d.paragraph(t("draft.appendix_note", lang, unit=author.name), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = body_rows(table, lang)
    item = (267 - 70) / max(1, len(table.items))
    d.table(header(table, lang), [cells for _, cells in rows], size=8,
            bold_rows={i for i, (style, _) in enumerate(rows) if style == "group"},
            widths_mm=[8, 40, 22, *[item] * len(table.items)])


def build_form2(uow: UnitOfWork, table: Table2, author: Author, lang: str = "vi") -> bytes:
    """The whole draft as .docx bytes."""
    d = Draft(lang)
    title = table.form.report().get("title") or table.form.title
    d.header("", author.name, title, t("draft.period_y", lang, year=table.period.year), author.to)
    d.paragraph(t("draft.intro", lang, source=basis(table.form, author), unit=author.name, period=table.period.code), indent_mm=10)
    d.paragraph(t("draft.situation", lang) + ":", bold=True, italic=True)
    for text in head_lines(table.total, lang)[1:] + rollup_lines(table.total.rollups, table.at, lang):
        d.item(text.removeprefix("• "))
    for code, section_title in outline(table.form):
        _section(d, uow, table, code, section_title, lang)
    d.signature([author.to] if author.to else [], signer_line(lang))
    _annex(d, table, author, lang)
    return d.finish()
