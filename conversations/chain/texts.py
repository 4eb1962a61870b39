"""Lines the chain commands show: a round's due date, one unit's state, the round's buttons."""

from __future__ import annotations

from datetime import date

from conversations.chain.rounds import RoundView, UnitState
from conversations.duedates import due_words, forward_due_of
from conversations.messages import Button
from conversations.turn import Turn
from storage.models import SubmissionStatus


def when_text(turn: Turn, due: date) -> str:
    """`còn 9 ngày`, `hôm nay là hạn cuối`, `đã quá hạn 2 ngày`."""
    days = (due - turn.today).days
    if days > 0:
        return turn.t("chain.days_left", days=days)
    return turn.t("chain.due_today") if days == 0 else turn.t("chain.days_late", days=-days)


def day(d: date) -> str:
    """dd/mm/yyyy."""
    return d.strftime("%d/%m/%Y")


def forwarded_text(turn: Turn, view: RoundView) -> str:
    """`Đã gửi báo cáo tổng hợp lúc … (đúng hạn), mã …` and any change since."""
    rec = view.record
    assert rec is not None and rec.forwarded_at is not None and rec.last_forwarded_at is not None
    timing = "chain.no_due" if rec.on_time is None else ("chain.on_time" if rec.on_time else "chain.late")
    text = turn.t("chain.forwarded", at=turn.clock.local(rec.last_forwarded_at).strftime("%H:%M %d/%m/%Y"),
                  ref=rec.reference, count=rec.forward_count, timing=turn.t(timing))
    if rec.changed_at is not None:
        text += "\n" + turn.t("chain.changed_since", units=rec.changed_units or "")
    return text


def due_text(turn: Turn, view: RoundView, to: str) -> str:
    """The round's deadline line, or that it was forwarded."""
    if view.forwarded:
        return forwarded_text(turn, view)
    if view.due is None:
        return turn.t("chain.due_none", to=to)
    named = forward_due_of(view.spec.definition, view.period, view.collector.kind)
    due = due_words(named, turn.lang) if named else day(view.due)
    return turn.t("chain.due_line", to=to, due=due, when=when_text(turn, view.due))


def unit_line(turn: Turn, state: UnitState) -> str:
    """`• Báo Quảng Trị — đã gửi 20/11 (đúng hạn) · yêu cầu sửa: 1 chưa trả lời`."""
    sub = state.submission
    if sub is None:
        what = turn.t("chain.state_none")
    elif sub.status != SubmissionStatus.SUBMITTED or sub.submitted_at is None:
        what = turn.t("chain.state_draft")
    else:
        timing = turn.t("chain.on_time" if sub.on_time else "chain.late")
        what = turn.t("chain.state_sent", at=turn.clock.local(sub.submitted_at).strftime("%d/%m"), timing=timing)
    if state.corrections:
        open_ = state.open_corrections
        what += " · " + (turn.t("chain.requests_open", count=open_) if open_ else
                         turn.t("chain.requests_done", count=len(state.corrections)))
    return f"• {state.unit.name} ({state.unit.code}) — {what}"


def round_buttons(turn: Turn, view: RoundView, limit: int) -> list[list[Button]]:
    """A button per unit that sent (to see its answers), then forwarding."""
    ref = f"{view.spec.code} {view.period.code}"
    rows = [[turn.button("chain.btn_view_unit", f"cmd:duyet {s.unit.code} {ref}", unit=s.unit.code)]
            for s in view.units if s.submission is not None][:limit]
    rows.append([turn.button("chain.btn_forward", f"cmd:guilen {ref} {view.collector.code}")])
    return rows
