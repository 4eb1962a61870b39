"""The summary as one chat message (under Telegram's 4,096 characters): completeness, then each indicator."""

from __future__ import annotations

from decimal import Decimal

from reports.aggregate import Aggregate, method_text, show
from reports.chain import summary_line
from reports.forms import Indicator
from reports.periods import first_due
from reports.status import Status
from reports.summary import Line, Summary
from reports.texts import due_range, moment, t
from storage.values import fmt_number, fmt_percent

LIMIT = 3900  # Telegram allows 4,096 characters; the title and some slack come on top


def title(s: Summary, lang: str) -> str:
    """`Tổng hợp Chỉ tiêu Chiến lược báo chí kỳ 2026-Q3`."""
    return t("summary.title", lang, form=s.form.short_title, period=s.period.code)


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
    prev = s.previous_period.code if s.previous_period else ""
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
    for compact in (False, True):
        body = [line for ln in s.lines for line in indicator_lines(s, ln, lang, compact)]
        text = "\n".join([*head, "", *body, "", t("summary.footer", lang)])
        if len(text) <= LIMIT:
            return text
    kept: list[str] = []
    budget = LIMIT - sum(len(x) + 1 for x in head) - 200
    for i, ln in enumerate(s.lines):
        line = indicator_lines(s, ln, lang, True)[0]
        if budget - len(line) - 1 < 0:
            kept.append(t("summary.cut", lang, count=len(s.lines) - i))
            break
        kept.append(line)
        budget -= len(line) + 1
    return "\n".join([*head, "", *kept])

