"""`chitieu invite`: single-use codes that bind a chat to a unit and role."""

from __future__ import annotations

import typer

from bot.cli.base import app_from_env, cli, one_line_errors
from conversations.invites import canonical, create_invite


@cli.command("invite")
@one_line_errors
def invite(
    unit: str = typer.Option(..., "--unit", help="Unit code, e.g. QUANGTRI."),
    role: str = typer.Option("focal", "--role", help="focal | analyst | admin"),
    expires: int = typer.Option(14, "--expires", help="Days the code stays valid."),
    name: str = typer.Option(None, "--name", help="Name of the person, shown in reports."),
) -> None:
    """Create an invite; prints the code and the Telegram deep link (the code is shown only once)."""
    app = app_from_env()
    with app.uow() as uow:
        code = create_invite(uow, unit, role.lower(), expires, app.clock.now(), name)
        uow.commit()
    username = app.settings.telegram_bot_username or "<bot_username>"
    typer.echo(f"code: {code}")
    typer.echo(f"telegram: https://t.me/{username}?start={canonical(code)}")
    typer.echo(f"zalo / console: send  {code}  (or /start {code}) as the first message")
    typer.echo(f"valid for {expires} days, single use, role {role} of {unit.upper()}")
