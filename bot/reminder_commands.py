"""`/nhacnho`: an administrator runs a reminder pass from the chat and gets a one-line count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversations.engine import ExtraCommand
from conversations.reminders import Action, pass_in
from conversations.turn import Turn

if TYPE_CHECKING:
    from bot.app import App


def run_now(turn: Turn, _args: str) -> None:
    """Run a pass inside this message's unit of work (committed with the reply); answer with the counts."""
    report = pass_in(turn.uow, turn.forms, turn.clock.tz, turn.now)
    at = turn.clock.local(turn.now).strftime("%H:%M %d/%m/%Y")
    if not report.decisions:
        turn.say(turn.t("reminders.pass_nothing", at=at))
        return
    lines = [turn.t("reminders.pass_done", at=at, sent=report.messages, skipped=report.count(Action.SKIP),
                    unreachable=report.count(Action.UNREACHABLE))]
    if report.count(Action.EXPIRED):
        lines.append(turn.t("reminders.pass_expired", count=report.count(Action.EXPIRED)))
    if report.count(Action.DEFER):
        lines.append(turn.t("reminders.pass_deferred", count=report.count(Action.DEFER)))
    turn.say(" ".join(lines))


def reminder_commands(app: App) -> dict[str, ExtraCommand]:
    """The reminder commands, by canonical name."""
    return {"nhacnho": ExtraCommand(roles=("admin",), run=run_now)}
