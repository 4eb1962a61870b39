"""`/web` in the chat: a one-time sign-in link to the web view, for everyone with a role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.web.auth import LINK_LIFETIME, new_sign_in
from bot.web.paths import sign_in_path
from conversations.engine import ExtraCommand
from conversations.turn import Turn
from storage.models import Role

if TYPE_CHECKING:
    from bot.app import App
    from bot.settings import Settings

LOCAL_HOSTS = ("", "0.0.0.0", "::", "127.0.0.1", "localhost")


def link_base(settings: Settings) -> tuple[str, bool]:
    """Where links point: `PUBLIC_BASE_URL`, else this machine's web server (and True: a local link)."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/"), False
    host = "127.0.0.1" if settings.listen_host in LOCAL_HOSTS else settings.listen_host
    return f"http://{host}:{settings.listen_port}", True


def give_link(app: App, turn: Turn) -> None:
    """Store a sign-in token (its hash) in this message's unit of work and reply with the link."""
    assert turn.person is not None  # the engine answers unregistered people before extra commands
    token = new_sign_in(turn.uow, turn.person.id, turn.now)
    base, local = link_base(app.settings)
    text = turn.t("web.link", url=base + sign_in_path(token), minutes=int(LINK_LIFETIME.total_seconds() // 60))
    turn.say(text + (turn.t("web.link_local") if local else ""), title=turn.t("web.title"))


def web_commands(app: App) -> dict[str, ExtraCommand]:
    """`web` for focal persons, analysts and administrators."""
    return {"web": ExtraCommand((Role.FOCAL, Role.ANALYST, Role.ADMIN), lambda turn, _args: give_link(app, turn))}
