"""`/chitieu` as a chat message (and, when too long for one, as a workbook)."""

from __future__ import annotations

from reports.aggregate import method_text, show
from reports.indicator import IndicatorTable
from reports.text import number, target_text
from reports.texts import moment, t
from reports.xlsx import Book
from storage.period_names import period_name

LIMIT = 3900


def title(table: IndicatorTable, lang: str = "vi") -> str:
    """`Chỉ tiêu 2 · Chỉ tiêu Chiến lược báo chí · Quý III/2026: Người dân vùng sâu, xa tiếp cận…` (names the form)."""
    return t("indicator.title_form", lang, numbering=table.form.numbering, number=table.line.q.number,
             form=table.form.short_title, period=period_name(table.period.code, lang), name=table.line.q.short_label)


def _flag_text(flags: tuple[str, ...], lang: str) -> str:
    return "".join(t(f"indicator.flag_{f}", lang) for f in flags)


def indicator_text(table: IndicatorTable, lang: str = "vi") -> tuple[str, bool]:
    """The message body, and whether it was cut (then the full table goes as a workbook)."""
    line, q = table.line, table.line.q
    head = [t("indicator.scope", lang, scope=table.scope.label(lang), at=moment(table.at)),
            t("indicator.aggregate", lang, value=show(q, line.agg, lang)) + " · " + target_text(line, lang, table.period.year)]
    if line.agg:
        head.append(t("summary.how", lang, method=method_text(q, line.agg, lang), answered=line.agg.answered,
                      expected=line.expected))
    if table.fences:
        head.append(t("indicator.fences", lang, low=number(q, table.fences[0], lang), high=number(q, table.fences[1], lang)))
    rows = [f"{i}. {v.name}: {v.shown}" + (t("indicator.provisional", lang) if v.provisional else "")
            + _flag_text(v.flags, lang) for i, v in enumerate(table.values, start=1)]
    outliers = [v for v in table.values if v.flags]
    body = ["", t("indicator.values_title", lang, count=len(table.values)), *rows] if rows else \
        ["", t("indicator.no_values", lang)]
    if outliers:
        body += ["", t("indicator.outliers", lang, names=", ".join(v.name for v in outliers))]
    if table.missing:
        names = ", ".join(name + (t("indicator.draft", lang) if state == "draft" else "") for _, name, state in table.missing)
        body += ["", t("indicator.missing", lang, count=len(table.missing), names=names)]
    text = "\n".join([*head, *body])
    if len(text) <= LIMIT:
        return text, False
    return text[:LIMIT].rsplit("\n", 1)[0] + "\n" + t("indicator.cut", lang), True


def indicator_workbook(table: IndicatorTable, lang: str = "vi") -> bytes:
    """Every unit's figure, previous figure and flags; then the missing units."""
    book = Book()
    sh = book.sheet(t("indicator.sheet", lang))
    sh.widths([14, 34, 28, 12, 12, 10, 24, 30])
    for c, key in enumerate(("unit_code", "unit", "value", "number", "previous", "provisional", "flags", "note")):
        sh.text(0, c, t(f"indicator.col_{key}", lang), "header")
    r = 1
    for v in table.values:
        sh.text(r, 0, v.unit.code)
        sh.text(r, 1, v.name)
        sh.text(r, 2, v.shown)
        sh.number(r, 3, v.number)
        sh.number(r, 4, v.previous)
        sh.text(r, 5, t("common.answer_yes", lang) if v.provisional else "")
        sh.text(r, 6, _flag_text(v.flags, lang).strip(" ·"))
        sh.text(r, 7, v.note)
        r += 1
    for unit, name, state in table.missing:
        sh.text(r, 0, unit.code)
        sh.text(r, 1, name)
        sh.text(r, 2, t(f"common.{'draft' if state == 'draft' else 'not_started'}", lang))
        r += 1
    return book.finish()

