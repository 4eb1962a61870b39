"""`chitieu invite` (create, list, revoke), `chitieu people list|revoke` and `chitieu audit`.

Taking access back is recorded in the audit log with the operator (`--by`, else the system user) and the
time, and the person is told in the chat (a notice in the outbox, delivered by the running bot).
"""

from __future__ import annotations

import getpass
import os
import shutil
from datetime import datetime

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.base import app_from_env, cli, one_line_errors
from bot.web.auth import end_access
from conversations.access import audit_entries, invite_rows, people_rows, revoke, revoke_invite
from conversations.invites import canonical, create_invite
from storage.models import utcnow

invite_cli = typer.Typer(help="Create an invite: `chitieu invite --unit QUANGTRI [--role focal]` prints a single-use "
                              "code (shown once) that binds a chat to the unit and role. `list` and `revoke` below.",
                         invoke_without_command=True)
people_cli = typer.Typer(help="People, their roles and accounts; taking access back.", no_args_is_help=True)
cli.add_typer(invite_cli, name="invite")
cli.add_typer(people_cli, name="people")

BY_HELP = "Who is doing this, for the audit log (default: the system user)."


def operator(by: str | None) -> str:
    """The name recorded in the audit log: `--by`, else the system user."""
    if by and by.strip():
        return by.strip()
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): still say something
        return "unknown"


def _console() -> Console:
    return Console(width=max(shutil.get_terminal_size((200, 24)).columns, 100), highlight=False,
                   soft_wrap=False)


def _when(at: datetime | None, app) -> str:  # noqa: ANN001 - App
    return at.astimezone(app.clock.tz).strftime("%d/%m/%Y %H:%M") if at else ""


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: names are shown as typed, never as markup
    _console().print(table)


@invite_cli.callback()
@one_line_errors
def invite(
    ctx: typer.Context,
    unit: str = typer.Option(None, "--unit", help="Unit code, e.g. QUANGTRI."),
    role: str = typer.Option("focal", "--role", help="focal | analyst | admin"),
    expires: int = typer.Option(14, "--expires", help="Days the code stays valid."),
    name: str = typer.Option(None, "--name", help="Name of the person, shown in reports."),
) -> None:
    """Create an invite; prints the code and the Telegram deep link (the code is shown only once).

    `chitieu invite list` shows the unused ones, `chitieu invite revoke ID` cancels one.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not unit:
        raise ValueError("--unit is required, e.g. chitieu invite --unit QUANGTRI --role focal")
    app = app_from_env()
    with app.uow() as uow:
        code = create_invite(uow, unit, role.lower(), expires, app.clock.now(), name)
        uow.commit()
    username = app.settings.telegram_bot_username or "<bot_username>"
    typer.echo(f"code: {code}")
    typer.echo(f"telegram: https://t.me/{username}?start={canonical(code)}")
    typer.echo(f"zalo / console: send  {code}  (or /start {code}) as the first message")
    typer.echo(f"valid for {expires} days, single use, role {role} of {unit.upper()}")


@invite_cli.command("list")
@one_line_errors
def invite_list(
    unit: str = typer.Option(None, "--unit", help="Only the invites of this unit."),
    show_all: bool = typer.Option(False, "--all", help="Also used, expired and revoked ones."),
) -> None:
    """Unused invites and link codes (codes are not stored: each is shown by its id)."""
    app = app_from_env()
    now = app.clock.now()
    with app.uow() as uow:
        rows = invite_rows(uow, now, unit, show_all)
    if not rows:
        typer.echo("no unused invites" if not show_all else "no invites")
        return
    _table("invites" if show_all else "unused invites", ["id", "kind", "unit", "role", "name", "created",
                                                         "expires", "status"],
           [[str(r.invite_id), r.kind, r.unit, r.role, r.name, _when(r.created, app), _when(r.expires, app),
             r.status] for r in rows])


@invite_cli.command("revoke")
@one_line_errors
def invite_revoke(
    code_or_id: str = typer.Argument(..., help="The invite's id (chitieu invite list) or its code."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Cancel an unused invite: whoever types its code is told it was cancelled."""
    app = app_from_env()
    now = utcnow()  # the audit log keeps the real time, even in a training session (CLOCK_NOW)
    with app.uow() as uow:
        cancelled = revoke_invite(uow, code_or_id, now, operator(by))
        uow.commit()
    typer.echo(f"invite {cancelled.id} revoked ({cancelled.role} of {cancelled.unit.code}); recorded in the audit log")


@people_cli.command("list")
@one_line_errors
def people_list(
    unit: str = typer.Option(None, "--unit", help="Only grants on this unit (its code)."),
    role: str = typer.Option(None, "--role", help="Only this role: focal | analyst | admin."),
    active: bool = typer.Option(False, "--active", help="Hide revoked grants."),
) -> None:
    """Everyone with their roles, accounts (channel:id), since when, and when a role was revoked."""
    app = app_from_env()
    with app.uow() as uow:
        rows = people_rows(uow, unit, role.lower() if role else None)
    rows = [r for r in rows if not (active and r.revoked)]
    if not rows:
        typer.echo("nobody matches")
        return
    _table("people", ["id", "person", "unit", "role", "accounts", "since", "revoked"],
           [[str(r.person_id), r.name, r.unit, r.role, r.accounts, _when(r.since, app), _when(r.revoked, app)]
            for r in rows])


def person_id_of(uow, given: str) -> int:  # noqa: ANN001 - UnitOfWork
    """The person behind `12` or `telegram:1001`."""
    text = given.strip()
    if text.isdigit():
        return int(text)
    channel, _, account = text.partition(":")
    identity = uow.people.identity(channel, account) if account else None
    if identity is None or identity.person_id is None:
        raise ValueError(f"no person has the id or account {text!r}; see `chitieu people list`")
    return identity.person_id


@people_cli.command("revoke")
@one_line_errors
def people_revoke(
    person: str = typer.Argument(..., help="The person's id, or one of their accounts as channel:id "
                                 "(both shown by chitieu people list)."),
    role: str = typer.Option(None, "--role", help="Take back this role (focal | analyst | admin)."),
    unit: str = typer.Option(None, "--unit", help="Take back the roles on this unit."),
    everything: bool = typer.Option(False, "--all", help="Take back every role: the person loses all access."),
    reason: str = typer.Option(None, "--reason", help="Why, for the audit log."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Take back a role (--role/--unit) or all of a person's access (--all).

    The person is told in the chat, their unsent reminders are given up and their web sessions end.
    """
    app = app_from_env()
    now = utcnow()  # the audit log keeps the real time, even in a training session (CLOCK_NOW)
    with app.uow() as uow:
        person_id = person_id_of(uow, person)
        result = revoke(uow, person_id, now, operator(by), role.lower() if role else None, unit, everything, reason)
        sessions = end_access(uow, person_id, now)
        uow.commit()
    typer.echo(f"revoked: {', '.join(f'{g.role} of {g.unit.code}' for g in result.revoked)} "
               f"(person {person_id}, {result.person.display_name})")
    typer.echo("no role left: the person has no access any more" if result.whole_person
               else f"still holds: {', '.join(f'{g.role} of {g.unit.code}' for g in result.remaining)}")
    typer.echo(f"web sessions ended: {sessions}; unsent messages given up: {result.cancelled_messages}; "
               f"link codes cancelled: {result.cancelled_links}")
    typer.echo(f"notice queued to {len(result.notices)} account(s); the running bot delivers it")


@cli.command("audit")
@one_line_errors
def audit_list(limit: int = typer.Option(50, "--limit", help="How many entries, newest first.")) -> None:
    """The audit log: who revoked which access, and when."""
    app = app_from_env()
    with app.uow() as uow:
        entries = audit_entries(uow, limit)
    if not entries:
        typer.echo("the audit log is empty")
        return
    _table("audit log", ["when", "who", "action", "target", "detail"],
           [[_when(e.at, app), e.actor, e.action, e.target, e.detail or ""] for e in entries])
