"""Analysts' chat commands `/tonghop`, `/thieu`, `/chitieu`: reports read, the channel sends.

Each command reads through `app.read_uow()` (a read-only session that never blocks writers on
SQLite) within the person's scope: an analyst sees the subtrees of their units, an admin everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from conversations.engine import ExtraCommand
from conversations.messages import Button, DocumentOut, ImageOut
from conversations.parsing import echo
from conversations.turn import Turn
from reports.errors import ReportError
from reports.requests import Result, indicator_question, indicator_request, missing_request, summary_request
from reports.scope import Scope, scope_of_grants
from storage.models import Role
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)
ROLES = (Role.ANALYST, Role.ADMIN)
Request = Callable[[UnitOfWork, Scope, str, datetime, str], Result]


def summary_commands(app: App) -> dict[str, ExtraCommand]:
    """`tonghop`, `thieu` and `chitieu` for analysts and administrators."""
    def command(request: Request) -> ExtraCommand:
        return ExtraCommand(ROLES, lambda turn, args: answer(app, turn, args, request, stamp=True), read_only=True)

    def indicator(turn: Turn, args: str) -> None:
        """The "which form?" question is asked in the turn itself (its buttons belong to the dialogue's
        state like any other); the report runs after the commit, on the read session."""
        scope = scope_of_grants(turn.grants)
        question = indicator_question(turn.uow, scope, args, turn.lang) if scope is not None else None
        if question is not None:
            deliver(turn, question)
            return
        turn.later.append(lambda later: answer(app, later, args, indicator_request, stamp=True))

    return {"tonghop": command(summary_request), "thieu": command(missing_request),
            "chitieu": ExtraCommand(ROLES, indicator)}


def answer(app: App, turn: Turn, args: str, request: Request, stamp: bool = False) -> None:
    """Run one report request in the person's scope and add its replies (or the reason it cannot);
    `stamp`: file names get the scope and the time (`/tonghop`, `/thieu`, `/chitieu`)."""
    scope = scope_of_grants(turn.grants)
    if scope is None:
        turn.say(turn.t("dialogue.not_allowed"))
        return
    try:
        with app.read_uow() as uow:
            result = request(uow, scope, args, turn.clock.local(turn.now), turn.lang)
    except ReportError as exc:  # what the analyst typed is quoted back short and visible
        quoted = {k: echo(v, 60) if isinstance(v, str) else v for k, v in exc.params.items()}
        turn.say(ReportError(exc.key, **quoted).text(turn.lang))
        return
    except Exception:  # a failing report must not lose the analyst's message: say so, keep the trace in the log
        log.exception("report %s failed for args %r", getattr(request, "__name__", request), args)
        turn.say(ReportError("internal").text(turn.lang))
        return
    deliver(turn, stamped(result, scope, turn.clock.local(turn.now)) if stamp else result)


def stamped(result: Result, scope: Scope, at: datetime) -> Result:
    """File names that say whose and when: `tonghop-CL-2026-Q4-QUANGTRI-20261203-1512.xlsx`."""
    who = "-".join(r.code for r in scope.roots) or "TOANQUOC"

    def name(filename: str) -> str:
        stem, dot, ext = filename.rpartition(".")
        return f"{stem}-{who}-{at:%Y%m%d-%H%M}.{ext}" if dot else f"{filename}-{who}-{at:%Y%m%d-%H%M}"

    return replace(result, image_name=name(result.image_name), files=[(name(n), d) for n, d in result.files])


def deliver(turn: Turn, result: Result) -> None:
    """The text first (with its buttons: each runs a command), then the chart, then the files."""
    buttons = [[Button(label, f"cmd:{command}")] for label, command in result.buttons]
    turn.say(result.text, title=result.title, buttons=buttons)
    if result.image:
        turn.replies.append(ImageOut(result.image, caption=result.title, filename=result.image_name))
    for name, data in result.files:
        turn.replies.append(DocumentOut(name, data, caption=result.title))
