"""Opening the chat's sign-in link, signing out (POST with a CSRF token), and the first page.

The sign-in GET is the one request that changes state on a GET: the link in the chat can be
nothing else. Link-preview robots (Telegram builds a preview of links it sees) and HEAD requests get
a neutral page and do not use the link up. The token is never logged; the address it came in is redirected away.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web import paths
from bot.web.auth import SignedIn, Viewer, csrf_ok, look_up, redeem
from bot.web.render import text
from bot.web.site import COOKIE, Site

log = logging.getLogger(__name__)
PREVIEWERS = re.compile(r"TelegramBot|Twitterbot|facebookexternalhit|WhatsApp|Slackbot|Discordbot|"
                        r"SkypeUriPreview|LinkedInBot|Googlebot|bingbot|Applebot|crawler|spider", re.IGNORECASE)
MAX_FORM = 4096  # a logout form is a few dozen bytes


def landing(viewer: Viewer) -> str:
    """Where a person starts: the overview for analysts, their unit's page for focal persons."""
    if viewer.analyst or not viewer.focal_units:
        return paths.href(paths.OVERVIEW)
    return paths.href(paths.UNIT.format(code=viewer.focal_units[0][0]))


def sign_in(site: Site, request: Request) -> Response:
    """GET /w/vao/{token}: a new session and a redirect to the first page, or why the link is refused."""
    if request.method == "HEAD" or PREVIEWERS.search(request.headers.get("user-agent", "")):
        return site.message(None, text("preview_title"), [text("preview")], 200, home=False)
    address = request.client.host if request.client else "unknown"
    now = site.now()
    try:
        with site.app.uow() as uow:
            result = redeem(uow, request.path_params["token"], address, now)
            uow.commit()
            viewer = look_up(uow, result.cookie, now) if isinstance(result, SignedIn) else None
    except Exception:  # noqa: BLE001 - never a traceback, and never the path (it holds the token) in the log
        log.error("a sign-in link could not be checked", exc_info=False)
        return site.message(None, text("internal_title"), [text("internal")], 500, home=False)
    if not isinstance(result, SignedIn) or not isinstance(viewer, Viewer):
        reason = result if isinstance(result, str) else "no_access"
        response = site.message(None, text("link_title"), [text(f"link_{reason}"), text("again")],
                                429 if reason == "limited" else 400, home=False)
        if reason == "limited":
            response.headers["Retry-After"] = "600"
        return response
    response = RedirectResponse(landing(viewer), status_code=303)
    site.set_cookie(response, result.cookie)
    return response


async def logout(site: Site, request: Request) -> Response:
    """POST /w/dang-xuat with the page's CSRF token: the session ends on the server."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return site.message(None, text("too_large"), [text("too_large")], 413, home=False)
    given = parse_qs(body.decode("latin-1")).get("csrf", [""])[0]
    cookie = request.cookies.get(COOKIE, "")
    return await asyncio.to_thread(site.safely, lambda: _logout(site, cookie, given), request)


def _logout(site: Site, cookie: str, given: str) -> Response:
    viewer = site.viewer(cookie)
    if not isinstance(viewer, Viewer):
        response: Response = RedirectResponse(paths.href(paths.SIGNED_OUT), status_code=303)
    elif not csrf_ok(cookie, given):
        return site.render("csrf_error.html", {}, viewer, 403)
    else:
        with site.app.uow() as uow:
            uow.web.end(viewer.session_id, "logout", site.now())
            uow.commit()
        response = RedirectResponse(paths.href(paths.SIGNED_OUT), status_code=303)
    site.clear_cookie(response)
    return response


def signed_out(site: Site, request: Request) -> Response:
    """GET /w/da-dang-xuat: what to do to come back."""
    return site.message(None, text("signed_out_title"), [text("signed_out")], 200, home=False)


def home(site: Site, request: Request, viewer: Viewer) -> Response:
    """GET /w/: the person's first page."""
    return RedirectResponse(landing(viewer), status_code=303)
