"""Form 2's table as a worksheet (and as rows the Word draft reuses)."""

from __future__ import annotations

from reports.table2 import Group, Table2
from reports.text import status_text
from reports.texts import moment, t
from reports.xlsx import Book

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def header(table: Table2, lang: str) -> list[str]:
    """Column titles: STT, unit, sending state, then `n. item` per item."""
    return [t("table2.col_stt", lang), t("table2.col_unit", lang), t("table2.col_state", lang),
            *[f"{q.number}. {q.short_label}" for q in table.items]]


def _group_state(g: Group, lang: str) -> str:
    if g.rollup is None:
        return ""
    if g.rollup.forwarded_at is None:
        return t("table2.not_forwarded", lang)
    return t("table2.forwarded", lang, at=g.rollup.forwarded_at.strftime("%d/%m/%Y"))


def target_rows(table: Table2, g: Group, lang: str) -> list[list[str]]:
    """The group's targets for the period's year (with the status) and its goal year, where it has any."""
    year, goal_year = table.period.year, table.form.goal_year(table.period.year + 1)  # the next goal: 2030
    scopes = g.summary.scope.target_scopes()
    goals = [table.form.target_for(line.q.key, goal_year, scopes) if goal_year else None for line in g.summary.lines]
    rows = []
    if any(line.status.target for line in g.summary.lines):
        cells = [f"{line.status.target.shown}\n{status_text(line, lang, year)}" if line.status.target else
                 t("table2.no_target", lang) for line in g.summary.lines]
        rows.append(["", t("table2.target_row", lang, year=year, scope=g.name), "", *cells])
    if goal_year and goal_year != year and any(goals):
        cells = [goal.shown if goal else t("table2.no_target", lang) for goal in goals]
        rows.append(["", t("table2.goal_row", lang, year=goal_year, scope=g.name), "", *cells])
    return rows


def body_rows(table: Table2, lang: str) -> list[tuple[str, list[str]]]:
    """(style, cells) of every row: each group, its targets, its agencies; the whole scope last."""
    out: list[tuple[str, list[str]]] = []
    for i, g in enumerate(table.groups):
        label = t("table2.group", lang, letter=LETTERS[i % 26], unit=g.name, count=len(g.agencies))
        out.append(("group", ["", label, _group_state(g, lang), *[g.cells.get(q.key, "—") for q in table.items]]))
        out += [("target", row) for row in target_rows(table, g, lang)]
        out += [("agency", [str(n), a.name, a.state, *[a.cells.get(q.key, "") for q in table.items]])
                for n, a in enumerate(g.agencies, start=1)]
    return out


def sources(table: Table2, lang: str) -> list[str]:
    """`• 6. Tổng doanh thu…: 50% cơ quan … — Kế hoạch UBND tỉnh Quảng Trị, mục II.1` for every target used."""
    seen, lines = set(), []
    for g in table.groups:
        for line in g.summary.lines:
            for target in (line.status.target, line.goal):
                if target is not None and target.source and (line.q.key, target.year, target.scope) not in seen:
                    seen.add((line.q.key, target.year, target.scope))
                    lines.append(t("table2.source_line", lang, item=f"{line.q.number}. {line.q.short_label}",
                                   target=f"{target.shown} ({target.year}, {target.scope})", source=target.source))
    return lines


def table2_sheet(book: Book, table: Table2, lang: str) -> None:
    """The sheet: title, header, groups with targets and agencies, notes with the targets' sources."""
    sh = book.sheet(t("table2.sheet", lang))
    cols = header(table, lang)
    sh.widths([5, 36, 16, *[18] * len(table.items)])
    sh.text(0, 0, t("table2.title", lang, year=table.period.year), "title")
    sh.text(1, 0, t("workbook.subtitle", lang, period=table.period.code, scope=table.scope.label(lang),
                    at=moment(table.at)), "subtitle")
    for c, title in enumerate(cols):
        sh.text(3, c, title, "header")
    r = 4
    for style, cells in body_rows(table, lang):
        for c, value in enumerate(cells):
            sh.text(r, c, value, "header" if style == "group" and c < 2 else "cell")
        r += 1
    sh.text(r + 1, 0, t("table2.notes", lang), "heading")
    for n, line in enumerate(sources(table, lang), start=r + 2):
        sh.text(n, 1, line, "plain")
    sh.ws.freeze_panes(4, 2)
    sh.ws.set_landscape()
    sh.ws.set_paper(9)
    sh.ws.fit_to_pages(1, 0)
