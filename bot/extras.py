"""Commands the wiring layer adds to the engine: summaries (reports), reminder passes, the web link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chain_commands import chain_commands
from bot.reminder_commands import reminder_commands
from bot.summaries import summary_commands
from bot.web.command import web_commands
from conversations.engine import ExtraCommand

if TYPE_CHECKING:
    from bot.app import App


def extra_commands(app: App) -> dict[str, ExtraCommand]:
    """Analyst and admin commands, by canonical name."""
    return {**summary_commands(app), **reminder_commands(app), **web_commands(app), **chain_commands(app)}
