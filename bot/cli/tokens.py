"""`chitieu tokens new-key|rotate-key`: the key that encrypts the channel tokens kept in the database."""

from __future__ import annotations

import typer
from cryptography.fernet import Fernet

from bot.cli.base import app_from_env, cli, one_line_errors
from bot.cli.people import BY_HELP, operator
from bot.tokenkey import TokenKeyError, rotation
from conversations.access import audit
from storage.models import ChannelToken, utcnow

tokens_cli = typer.Typer(help="Channel tokens kept in the database, encrypted with TOKEN_KEY.", no_args_is_help=True)
cli.add_typer(tokens_cli, name="tokens")


@tokens_cli.command("new-key")
def new_key() -> None:
    """Print a fresh key for TOKEN_KEY."""
    typer.echo(Fernet.generate_key().decode())


@tokens_cli.command("rotate-key")
@one_line_errors
def rotate_key(
    new: str = typer.Option(..., "--new", envvar="NEW_TOKEN_KEY",
                            help="The new key (or set NEW_TOKEN_KEY, which keeps it out of `ps`)."),
    old: list[str] = typer.Option(None, "--old", envvar="OLD_TOKEN_KEY",
                                  help="The key the tokens are encrypted with now (default: TOKEN_KEY); repeatable."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Re-encrypt every stored channel token with a new key, in one transaction.

    Then set TOKEN_KEY to the new key and restart the bot. A bot that keeps running meanwhile should have
    TOKEN_KEY=NEW,OLD (the first key encrypts, any decrypts), or be stopped during the rotation.
    """
    app = app_from_env()
    olds = [k for k in (old or []) if k.strip()]
    if not olds and app.settings.token_key is not None:
        olds = [app.settings.token_key.get_secret_value()]
    if not olds:
        raise TokenKeyError("give the current key with --old (or OLD_TOKEN_KEY, or TOKEN_KEY)")
    cipher = rotation(olds, new)
    with app.uow() as uow:
        rows = list(uow.session.query(ChannelToken).order_by(ChannelToken.channel))
        for row in rows:
            row.access_token, row.refresh_token = cipher.reseal(row.access_token), cipher.reseal(row.refresh_token)
        audit(uow, operator(by), "tokens.rotate_key", "channel_tokens",
              f"{len(rows)} row(s): {', '.join(r.channel for r in rows) or 'none'}", utcnow())
        uow.commit()
    typer.echo(f"re-encrypted {len(rows)} channel token row(s) with the new key; now set TOKEN_KEY to the new key "
               "and restart the bot")
