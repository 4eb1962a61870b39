"""`/han` for an analyst: the roll-ups their collecting units owe, with due dates and what arrived."""

from __future__ import annotations

from conversations.chain.rounds import open_rounds, recipient_name
from conversations.chain.texts import day, when_text
from conversations.duedates import due_words, forward_due_of
from conversations.turn import Turn


def deadline_lines(turn: Turn) -> list[str]:
    """One line per open round of the person's collecting units."""
    lines = []
    for view in open_rounds(turn):
        base = {"form": view.spec.definition.short_title or view.spec.code, "period": view.period.code,
                "unit": view.collector.name, "to": recipient_name(turn.uow, view),
                "received": view.received, "total": len(view.units)}
        if view.forwarded and view.record is not None and view.record.last_forwarded_at is not None:
            at = turn.clock.local(view.record.last_forwarded_at).strftime("%d/%m/%Y")
            lines.append(turn.t("chain.han_forwarded", at=at, **base))
        elif view.due is None:
            lines.append(turn.t("chain.han_no_due", **base))
        else:
            named = forward_due_of(view.spec.definition, view.period, view.collector.kind)
            due = due_words(named, turn.lang) if named else day(view.due)
            lines.append(turn.t("chain.han_due", due=due, when=when_text(turn, view.due), **base))
    return lines
