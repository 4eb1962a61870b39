"""The indicator pages' data: the Phụ lục table's rows, and one indicator across the units.

Same functions and words as the workbook and `/chitieu`: `build_summary`, `show`, `status_text`,
`method_text`, `indicator_table`; the column titles are the workbook's own catalog entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reports.aggregate import method_text, show
from reports.forms import FormInfo, Indicator
from reports.indicator import IndicatorTable, indicator_table
from reports.scope import Scope
from reports.summary import Line, Summary, build_summary
from reports.text import number, status_text, target_text
from reports.texts import moment, t
from storage.models import Period
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class AnnexRow:
    """One indicator as a row of the official table."""

    q: Indicator
    provider: str
    rounds: tuple[str, ...]
    target: str
    goal: str
    status: str
    status_code: str
    projected: str
    method: str


@dataclass(frozen=True)
class Annex:
    """The Phụ lục table of a period: the year's rounds as columns, one row per indicator."""

    summary: Summary
    round_titles: tuple[str, ...]
    target_title: str
    goal_title: str
    rows: list[AnnexRow]


def _round_value(s: Summary, p: Period, q: Indicator, lang: str) -> str:
    if p.due_on > s.period.due_on:
        return ""
    agg = s.year_aggregates.get(p.id, {}).get(q.key)
    return "" if agg is None else show(q, agg, lang) + (t("workbook.provisional", lang) if agg.provisional else "")


def _row(s: Summary, line: Line, lang: str) -> AnnexRow:
    q, st, year = line.q, line.status, s.period.year
    status = status_text(line, lang, year)
    target = st.target.text if st.target else status.lstrip("⚪ ")
    projected = number(q, st.projected, lang) if st.judged and st.projected is not None else ""
    return AnnexRow(q, "; ".join(t(f"common.provider_{k}", lang) for k in q.providers),
                    tuple(_round_value(s, p, q, lang) for p in s.year), target,
                    line.goal.text if line.goal else "", status, st.code, projected,
                    method_text(q, line.agg, lang) if line.agg else "")


def annex(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str) -> Annex:
    """The rows of the workbook's first sheet, as a page."""
    s = build_summary(uow, scope, form, period, at, with_year=True)
    rounds = tuple(t(f"workbook.slot_{p.slot}", lang, year=p.year) for p in s.year)
    return Annex(s, rounds, t("workbook.target", lang, year=period.year), t("workbook.goal", lang, year=form.goal_year(period.year) or ""),
                 [_row(s, line, lang) for line in s.lines])


@dataclass(frozen=True)
class OneIndicator:
    """`/chitieu N` as a page: the head sentences and the table."""

    table: IndicatorTable
    head: list[str]


def one_indicator(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, q: Indicator, at: datetime,
                  lang: str) -> OneIndicator:
    """One indicator across the scope's units, with the sentences `/chitieu` starts with."""
    table = indicator_table(uow, scope, form, period, q, at, lang)
    line = table.line
    aggregate = t("indicator.aggregate", lang, value=show(q, line.agg, lang))
    head = [t("indicator.scope", lang, scope=scope.label(lang), at=moment(at)),
            f"{aggregate} · {target_text(line, lang, period.year)}"]
    if line.agg:
        head.append(t("summary.how", lang, method=method_text(q, line.agg, lang), answered=line.agg.answered,
                      expected=line.expected))
    if table.fences:
        head.append(t("indicator.fences", lang, low=number(q, table.fences[0], lang),
                      high=number(q, table.fences[1], lang)))
    return OneIndicator(table, head)
