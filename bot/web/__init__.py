"""The analysts' web view: server-rendered pages under /w, signed in from the chat (`/web`).

`web_routes(app)` is all `bot.server` needs: one Mount holding every page, the downloads and the
stylesheet, behind the security headers. Pages read through the same reports functions and scope
rules as the chat; nothing on the web changes data except signing in and out.

Modules: `auth` (links, sessions, CSRF), `site` (what every page shares), `pages`, `signin`,
`downloads` (views), `overview`, `unitpage`, `indicators` (their data, from the reports layer),
`listing` (filter, sort, pages), `render` + `templates/` + `locales/` (HTML), `headers`, `logs`,
`charts` (the kept chart), `command` (`/web` in the chat), `local` (the server beside the console).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.app import App


def web_routes(app: App) -> list[BaseRoute]:
    """The web view's routes (imported on first use: the console starts without them)."""
    from bot.web.routes import routes

    return routes(app)
