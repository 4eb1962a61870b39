"""The collecting level's commands for analysts: `/duyet`, `/yeucausua`, `/guilen` (they write: the
request, the forwarding and the notices commit with the analyst's message), and `/baocao` (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversations.chain import commands as chain
from conversations.engine import ExtraCommand
from conversations.turn import Turn
from storage.models import Role

if TYPE_CHECKING:
    from bot.app import App

ROLES = (Role.ANALYST, Role.ADMIN)


def chain_commands(app: App) -> dict[str, ExtraCommand]:
    """The chain's commands by canonical name."""
    def draft(turn: Turn, args: str) -> None:
        from bot.summaries import answer
        from reports.drafts import draft_request  # python-docx is loaded when a draft is asked for

        answer(app, turn, args, draft_request)

    return {"duyet": ExtraCommand(ROLES, chain.review), "yeucausua": ExtraCommand(ROLES, chain.ask_back),
            "guilen": ExtraCommand(ROLES, chain.forward), "baocao": ExtraCommand(ROLES, draft, read_only=True)}
