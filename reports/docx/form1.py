"""Form 1's quarterly report for Cục Báo chí: the Phụ lục I table, the principle-3 flags, then III–VII."""

from __future__ import annotations

from reports.aggregate import show
from reports.chain import rollup_lines
from reports.docx.common import Author, basis, keys_in, outline, signer_line, unit_texts
from reports.docx.layout import Draft
from reports.rows import comparison_rows
from reports.summary import Summary
from reports.text import head_lines, number, status_text
from reports.texts import t
from storage.uow import UnitOfWork


def _title(s: Summary) -> str:
    report = s.form.report()
    return (report.get("titles_by_slot") or {}).get(s.period.slot) or report.get("title") or s.form.title


def _covers(s: Summary) -> str:
    return ", ".join(f"{m[5:]}/{m[:4]}" for m in s.period.covers or [])


def _rows(s: Summary, lang: str) -> list[list[str]]:
    year = s.period.year
    return [[line.q.number, line.q.label, ", ".join(t(f"common.provider_{k}", lang) for k in line.q.providers),
             show(line.q, line.agg, lang), line.status.target.shown if line.status.target else "—",
             line.goal.shown if line.goal else "—", status_text(line, lang, year).lstrip("🟢🔴🔵⚪ ")]
            for line in s.lines]


def flag_lines(s: Summary, lang: str) -> list[str]:
    """Principle 3: at risk → propose remedies; far exceeding → propose raising the target, with the figures."""
    out = []
    for line in s.lines:
        st = line.status
        if st.code not in ("at_risk", "far_exceeding") or st.target is None or st.projected is None:
            continue
        key = "draft.flag_at_risk" if st.code == "at_risk" else "draft.flag_far"
        out.append(t(key, lang, number=line.q.number, label=line.q.short_label, value=show(line.q, line.agg, lang),
                     projected=number(line.q, st.projected, lang), target=st.target.shown))
    return out or [t("draft.no_flags", lang)]


def _figures(d: Draft, uow: UnitOfWork, s: Summary, code: str, title: str, lang: str) -> None:
    d.heading(code, title)
    year, goal = s.period.year, s.form.goal_year(s.period.year)
    header = [t(f"draft.col_{k}", lang, period=s.period.code, year=y) for k, y in
              (("stt", 0), ("indicator", 0), ("provider", 0), ("value", 0), ("target", year), ("goal", goal),
               ("status", 0))]
    d.table(header, _rows(s, lang), size=11, widths_mm=[10, 55, 22, 22, 18, 18, 20])
    d.paragraph(t("draft.flags_title", lang), bold=True, italic=True)
    for text in flag_lines(s, lang):
        d.item(text)


def _comparisons(uow: UnitOfWork, s: Summary, lang: str) -> list[str]:
    numbers = {q.key: q.number for q in s.form.indicators}
    rows = comparison_rows(uow, s.scope, [s.period.id], 500)
    return [t("draft.comparison_line", lang, number=numbers.get(r.key, r.key), unit=r.unit_name, text=r.text)
            for r in rows]


def _lines(d: Draft, lines: list[str], lang: str) -> None:
    for text in lines or [t("draft.no_items", lang)]:
        d.item(text)


def build_form1(uow: UnitOfWork, s: Summary, author: Author, lang: str = "vi") -> bytes:
    """The whole draft as .docx bytes."""
    d = Draft(lang)
    d.header("", author.name, _title(s), t("draft.period_q", lang, period=s.period.code, covers=_covers(s)),
             author.to)
    d.paragraph(t("draft.intro", lang, source=basis(s.form, author), unit=author.name, period=s.period.code), indent_mm=10)
    d.paragraph(t("draft.situation", lang) + ":", bold=True, italic=True)
    for text in head_lines(s, lang)[1:] + rollup_lines(s.rollups, s.at, lang):
        d.item(text.removeprefix("• "))
    for code, title in outline(s.form):
        keys = keys_in(s.form, s.period, code)
        if code == "II":
            _figures(d, uow, s, code, title, lang)
            continue
        if not keys:  # e.g. VII outside Q4, the 6-month trend outside Q2
            continue
        d.heading(code, title)
        _lines(d, unit_texts(uow, s.scope, s.period, keys, lang), lang)
        if code == "IV":
            d.paragraph(t("draft.comparisons", lang), italic=True)
            _lines(d, _comparisons(uow, s, lang), lang)
    d.signature([author.to] if author.to else [], signer_line(lang))
    return d.finish()
