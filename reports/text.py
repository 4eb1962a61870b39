"""The summary as one chat message (under Telegram's 4,096 characters): completeness, then each indicator."""

from __future__ import annotations

from decimal import Decimal

from reports.aggregate import Aggregate, method_text, show
from reports.chain import summary_line
from reports.completeness import Completeness
from reports.forms import Indicator
from reports.periods import first_due
from reports.status import Status
from reports.summary import Line, Summary
from reports.texts import due_range, moment, t
from storage.models import Period
from storage.period_names import period_name
from storage.values import fmt_number, fmt_percent

LIMIT = 3900  # Telegram allows 4,096 characters; the title and some slack come on top


def title(s: Summary, lang: str) -> str:
    """`Tổng hợp Chỉ tiêu Chiến lược báo chí · Quý III/2026`."""
    return t("summary.title", lang, form=s.form.short_title, period=period_name(s.period.code, lang))


def shown_lines(s: Summary) -> list[Line]:
    """The indicators someone in the scope provides: a province's Form 1 has no line for 3–9 (Cục Báo chí's)."""
    return [line for line in s.lines if line.expected or line.agg is not None] or s.lines


def head_lines(s: Summary, lang: str) -> list[str]:
    """Scope, due date, completeness, DHIS2 rates and provisional values."""
    c = s.completeness
    lines = [t("summary.scope", lang, scope=s.scope.label(lang), due=due_range(first_due(s.period), s.period.due_on), at=moment(s.at))]
    if not c.expected:
        return [*lines, t("summary.nobody_expected", lang)]
    lines.append(t("summary.submitted", lang, done=c.submitted, expected=c.expected, on_time=c.on_time, late=c.late))
    if c.submitted < c.expected:
        lines.append(t("summary.not_submitted", lang, count=c.expected - c.submitted, drafts=c.drafts,
                       none=c.not_started, overdue=c.overdue))
    lines.append(t("summary.rates", lang, rate=fmt_percent(c.rate, lang, 1), on_time=fmt_percent(c.rate_on_time, lang, 1)))
    if s.provisional:
        lines.append(t("summary.provisional", lang, count=s.provisional))
    if s.rollups:
        lines.append(summary_line(s.rollups, lang))
    return lines


def status_text(line: Line, lang: str, year: int) -> str:
    """`🟢 đúng tiến độ`, `🔴 có nguy cơ không đạt…`, `⚪ chưa có chỉ tiêu năm 2026 (gần nhất 2025: 60%/40%)`."""
    st: Status = line.status
    if st.code == "no_target":
        if st.reference:
            return t("status.no_target_ref", lang, year=year, ref_year=st.reference.year, ref=st.reference.shown)
        return t("status.no_target", lang, year=year)
    return t(f"status.{st.code}", lang)


def target_text(line: Line, lang: str, year: int) -> str:
    """`chỉ tiêu 2025: 60%/40%` followed by the status (and the projected year end when judged early)."""
    st = line.status
    parts = [t("summary.target", lang, year=year, target=st.target.text)] if st.target else []
    parts.append(status_text(line, lang, year))
    if st.judged and st.projected is not None and st.projected != (line.agg.value if line.agg else None):
        parts.append(t("summary.projected", lang, value=number(line.q, st.projected, lang)))
    return " · ".join(parts)


def number(q: Indicator, x: Decimal, lang: str) -> str:
    """A headline number: a percentage with one decimal, or a plain number."""
    return fmt_percent(x, lang, 1) if q.percent_like else fmt_number(x, lang, 1)


def change_text(q: Indicator, agg: Aggregate | None, previous: Aggregate | None, period: str, lang: str) -> str:
    """`so với 2026-Q2: +1,2 điểm %` (percentages) or `+3` (counts); empty when not comparable."""
    if agg is None or agg.value is None or previous is None or previous.value is None:
        return ""
    delta = agg.value - previous.value
    key = "summary.change_points" if q.percent_like else "summary.change"
    sign = "+" if delta > 0 else ""
    return t(key, lang, period=period, delta=sign + fmt_number(delta, lang, 1))


def indicator_lines(s: Summary, line: Line, lang: str, compact: bool = False) -> list[str]:
    """Two or three lines per indicator (one when compact)."""
    q, agg = line.q, line.agg
    mark = t("summary.provisional_mark", lang, count=agg.provisional) if agg and agg.provisional else ""
    head = f"{q.number}. {q.short_label}: {show(q, agg, lang)}{mark}"
    if compact:
        return [f"{head} · {status_text(line, lang, s.period.year)}"]
    second = [target_text(line, lang, s.period.year)]
    prev = period_name(s.previous_period.code, lang) if s.previous_period else ""
    if change := change_text(q, agg, line.previous, prev, lang):
        second.append(change)
    lines = [head, "   " + " · ".join(second)]
    if agg is not None:
        lines.append("   " + t("summary.how", lang, method=method_text(q, agg, lang), answered=agg.answered,
                                 expected=line.expected))
    return lines


def summary_text(s: Summary, lang: str = "vi") -> str:
    """The whole message body; falls back to one line per indicator, then cuts, to stay under LIMIT."""
    head = head_lines(s, lang)
    lines = shown_lines(s)
    for compact in (False, True):
        body = [line for ln in lines for line in indicator_lines(s, ln, lang, compact)]
        text = "\n".join([*head, "", *body, "", t("summary.footer", lang)])
        if len(text) <= LIMIT:
            return text
    kept: list[str] = []
    budget = LIMIT - sum(len(x) + 1 for x in head) - 200
    for i, ln in enumerate(lines):
        line = indicator_lines(s, ln, lang, True)[0]
        if budget - len(line) - 1 < 0:
            kept.append(t("summary.cut", lang, count=len(lines) - i))
            break
        kept.append(line)
        budget -= len(line) + 1
    return "\n".join([*head, "", *kept])



def section_lines(s: Summary, lang: str, budget: int) -> list[str]:
    """One form's short section of `/tonghop`: its period, completeness, one line per indicator, how to see all."""
    c = s.completeness
    head = [f"■ {s.form.short_title} — {period_name(s.period.code, lang)}",
            t("summary.section_due", lang, due=due_range(first_due(s.period), s.period.due_on))]
    if not c.expected:
        head.append(t("summary.nobody_expected", lang))
    else:
        head.append(t("summary.submitted", lang, done=c.submitted, expected=c.expected, on_time=c.on_time,
                      late=c.late))
        if c.submitted < c.expected:
            head.append(t("summary.not_submitted", lang, count=c.expected - c.submitted, drafts=c.drafts,
                          none=c.not_started, overdue=c.overdue))
    more = t("summary.section_more", lang, period=s.period.code, form=s.form.code)
    body: list[str] = []
    used = sum(len(x) + 1 for x in head) + len(more) + 1
    lines = shown_lines(s)
    for i, ln in enumerate(lines):
        line = indicator_lines(s, ln, lang, True)[0]
        if used + len(line) + 1 > budget:
            body.append(t("summary.section_cut", lang, count=len(lines) - i))
            break
        body.append(line)
        used += len(line) + 1
    return [*head, *body, more]


def overview_text(summaries: list[Summary], lang: str = "vi") -> str:
    """`/tonghop` over several forms: the scope, then one short section per form."""
    first = summaries[0]
    head = t("summary.overview_scope", lang, scope=first.scope.label(lang), at=moment(first.at))
    budget = (LIMIT - len(head)) // len(summaries) - 4
    return "\n\n".join([head, *("\n".join(section_lines(s, lang, budget)) for s in summaries)])


def year_title(s: Summary, lang: str) -> str:
    """`Tổng hợp Chỉ tiêu Chiến lược báo chí · Năm 2026 (Quý I–IV)`."""
    return t("summary.year_title", lang, form=s.form.short_title, year=s.period.year)


def year_text(s: Summary, rounds: list[tuple[Period, Completeness | None]], lang: str = "vi") -> str:
    """The year view: completeness of each round (None: not open yet), then each indicator's rounds side
    by side and the year's target."""
    done = [t("summary.year_round", lang, period=slot_name(p, lang), done=c.submitted, expected=c.expected)
            if c is not None else t("summary.year_round_not_open", lang, period=slot_name(p, lang))
            for p, c in rounds]
    lines = [t("summary.year_scope", lang, scope=s.scope.label(lang), at=moment(s.at)),
             t("summary.year_rounds", lang, rounds=" · ".join(done)), ""]
    for line in shown_lines(s):
        q = line.q
        figures = " · ".join(f"{slot_name(p, lang)}: {show(q, s.year_aggregates.get(p.id, {}).get(q.key), lang)}"
                             for p in s.year)
        lines += [f"{q.number}. {q.short_label}", "   " + figures, "   " + target_text(line, lang, s.period.year)]
    lines += ["", t("summary.year_footer", lang, period=slot_name(s.period, lang))]
    text = "\n".join(lines)
    return text if len(text) <= LIMIT else text[:LIMIT].rsplit("\n", 1)[0] + "\n" + t("summary.year_cut", lang)


def slot_name(p: Period, lang: str) -> str:
    """`Quý IV` (the year is in the title), `Năm 2026` for a yearly round."""
    return period_name(p.code, lang).split("/")[0]
