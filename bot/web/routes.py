"""Every route of the web view, mounted at /w behind the security headers."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web import logs, paths
from bot.web.downloads import download_view
from bot.web.headers import SecurityHeaders
from bot.web.pages import indicator_page, indicators_page, overview_page, unit_view
from bot.web.render import HERE, text
from bot.web.signin import home, logout, sign_in, signed_out
from bot.web.site import Site

if TYPE_CHECKING:
    from bot.app import App


def routes(app: App) -> list[BaseRoute]:
    """The web view as one Mount at /w, for the bot's Starlette application."""
    logs.install()
    site = Site(app)

    def bare(view):  # noqa: ANN001, ANN202 - a (site, request) view as an endpoint
        return functools.wraps(view)(lambda request: view(site, request))

    async def post_logout(request: Request) -> Response:
        return await logout(site, request)

    pages = [
        Route(paths.HOME, site.page(home)),
        Route(paths.OVERVIEW, site.page(overview_page)),
        Route(paths.INDICATORS, site.page(indicators_page)),
        Route(paths.INDICATOR, site.page(indicator_page)),
        Route(paths.UNIT, site.page(unit_view)),
        Route(paths.DOWNLOAD, site.page(download_view)),
        Route(paths.SIGN_IN, bare(sign_in)),
        Route(paths.SIGNED_OUT, bare(signed_out)),
        Route(paths.LOGOUT, post_logout, methods=["POST"]),
        Mount(paths.STATIC, StaticFiles(directory=HERE / "static"), name="static"),
    ]

    def refused(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        key = "method" if status == 405 else "not_found_page"
        title = text("method_title" if status == 405 else "not_found_title")
        return site.message(None, title, [text(key)], status, home=True)

    headers = Middleware(SecurityHeaders, static_prefix=paths.PREFIX + paths.STATIC)
    inner = Starlette(routes=pages, middleware=[headers], exception_handlers={404: refused, 405: refused})
    return [Mount(paths.PREFIX, app=inner)]
