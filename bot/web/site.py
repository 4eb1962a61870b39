"""What every page shares: who is looking, their scope, the chosen form and period, and the error pages.

`Site.page(view)` turns a view `(site, request, viewer) -> Response` into an endpoint that answers
people without a live session, ends a session whose person lost every role, turns the reports'
refusals into pages that list what is valid, and never shows a traceback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.app import App
from bot.web import paths
from bot.web.auth import SESSION_LIFETIME, Revoked, Viewer, look_up, slide
from bot.web.kept import Kept
from bot.web.logs import hide_tokens
from bot.web.render import render, text
from conversations.catalog.schema import FormDef
from conversations.duedates import due_of, due_words
from conversations.parsing import echo
from reports.errors import ReportError
from reports.forms import FormInfo, all_forms
from reports.periods import period_code
from reports.requests import choose, forms_in_scope
from reports.scope import Scope, within
from reports.texts import day
from storage.models import Period
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
COOKIE = "chitieu_web"
View = Callable[["Site", Request, Viewer], Response]


@functools.lru_cache(maxsize=32)
def _form_def_cached(form_id: int, raw: str) -> FormDef | None:
    import json

    try:
        return FormDef.model_validate(json.loads(raw))
    except ValueError:
        return None


def _form_def(form_id: int, definition: Mapping[str, object]) -> FormDef | None:
    """The stored form version's calendar as the catalog schema reads it (None if it no longer validates)."""
    import json

    return _form_def_cached(form_id, json.dumps(definition, sort_keys=True, default=str))


class NotFound(Exception):
    """No such unit (out of scope looks exactly the same) or page; the argument names the sentence."""


class Forbidden(Exception):
    """An analysts' page asked by a person who is only a focal person."""


@dataclass(frozen=True)
class BadAddress(Exception):
    """A period, form or option in the address that does not exist: the message and what is valid."""

    message: str
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


class Site:
    """The web view over one application."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.tz = app.clock.tz
        self.secure = (app.settings.public_base_url or "").startswith("https://")
        self.kept = Kept()

    def now(self) -> datetime:
        """Now, UTC."""
        return self.app.clock.now()

    def at(self) -> datetime:
        """Now in local time: the moment reports are made 'as of', as the chat does."""
        return self.app.clock.local(self.now())

    def today(self) -> date:
        """Today, local."""
        return self.at().date()

    def render(self, name: str, context: Mapping[str, object], viewer: Viewer | None,
               status: int = 200) -> HTMLResponse:
        """A page from a template."""
        return render(name, context, viewer, self.tz, status)

    def message(self, viewer: Viewer | None, title: str, lines: list[str], status: int,
                groups: tuple = (), home: bool = True) -> HTMLResponse:
        """A short page: a title, a few sentences, maybe lists of links."""
        return self.render("message.html", {"title": title, "lines": lines, "groups": groups, "home": home},
                           viewer, status)

    def viewer(self, cookie: str) -> Viewer | Revoked | None:
        """The viewer of a session cookie; a revoked session is ended here; the sliding expiry is pushed."""
        if not cookie:
            return None
        now = self.now()
        with self.app.read_uow() as uow:
            found = look_up(uow, cookie, now)
        if isinstance(found, Revoked) or (found is not None and found.stale):
            with self.app.uow() as uow:
                if isinstance(found, Revoked):
                    uow.web.end(found.session_id, "revoked", now)
                else:
                    slide(uow, found, now)
                uow.commit()
        return found

    def set_cookie(self, response: Response, cookie: str) -> None:
        """Give the browser the session cookie: HttpOnly, SameSite=Lax, Secure on https, 8 hours."""
        response.set_cookie(COOKIE, cookie, max_age=int(SESSION_LIFETIME.total_seconds()), path=paths.PREFIX,
                            httponly=True, samesite="lax", secure=self.secure)

    def clear_cookie(self, response: Response) -> None:
        """Make the browser forget the session cookie."""
        response.delete_cookie(COOKIE, path=paths.PREFIX, httponly=True, samesite="lax", secure=self.secure)

    def page(self, view: View) -> Callable[[Request], Response]:
        """An endpoint for signed-in people only (run by Starlette in its thread pool)."""

        @functools.wraps(view)
        def endpoint(request: Request) -> Response:
            return self.safely(lambda: self.signed_in(view, request), request)

        return endpoint

    def safely(self, answer: Callable[[], Response], request: Request) -> Response:
        """The answer, or a polite 500 page when it fails (the trace in the log, never on the page)."""
        try:
            return answer()
        except Exception:
            log.exception("web page %s failed", hide_tokens(request.url.path))
            return self.message(None, text("internal_title"), [text("internal")], 500, home=False)

    def signed_in(self, view: View, request: Request) -> Response:
        """The view for the session's viewer; without a live session, how to get one."""
        cookie = request.cookies.get(COOKIE, "")
        viewer = self.viewer(cookie)
        if not isinstance(viewer, Viewer):
            key = "revoked" if isinstance(viewer, Revoked) else "need_sign_in"
            response: Response = self.message(None, text("need_sign_in_title"), [text(key), text("again")], 401,
                                              home=False)
            self.clear_cookie(response)
            return response
        response = self.guarded(view, request, viewer)
        if viewer.stale:
            self.set_cookie(response, cookie)
        return response

    def guarded(self, view: View, request: Request, viewer: Viewer) -> Response:
        """Run a view; refusals become their pages, anything unexpected a polite 500 (trace in the log)."""
        lang = viewer.lang
        try:
            return view(self, request, viewer)
        except NotFound as exc:
            key = exc.args[0] if exc.args else "not_found_unit"
            return self.message(viewer, text("not_found_title", lang), [text(key, lang)], 404)
        except Forbidden:
            links = tuple((name, paths.href(paths.UNIT.format(code=code))) for code, name in viewer.focal_units)
            return self.message(viewer, text("forbidden_title", lang), [text("analysts_only", lang)], 403,
                                (("", links),))
        except BadAddress as exc:
            return self.message(viewer, text("bad_address_title", lang), [exc.message], 404, exc.groups)
        except Exception:
            log.exception("web page %s failed", request.url.path)
            return self.message(viewer, text("internal_title", lang), [text("internal", lang)], 500)

    def scope(self, uow: UnitOfWork, viewer: Viewer, params: Mapping[str, str]) -> Scope:
        """The analyst's scope, narrowed to one unit's subtree by `pham-vi` (refused like a missing unit)."""
        if viewer.scope is None:
            raise Forbidden
        code = params.get(paths.SCOPE, "").strip()
        if not code:
            return viewer.scope
        try:
            return within(uow, viewer.scope, code)
        except ReportError:
            raise NotFound from None

    def pick(self, uow: UnitOfWork, scope: Scope, params: Mapping[str, str], lang: str) -> tuple[FormInfo, Period]:
        """Form and period from `bieu` and `ky`, or the same defaults as `/tonghop` (the reports layer's own)."""
        period, form = params.get(paths.PERIOD, "").strip(), params.get(paths.FORM, "").strip().upper()
        try:
            if form and form not in {f.code for f in all_forms(uow)}:
                raise ReportError("unknown_form", form=echo(form, 60))
            if period and period_code(period) is None:
                raise ReportError("unknown_period", period=echo(period, 60), forms=form or "CL, CDS")
            return choose(uow, scope, f"{period} {form}", self.at())
        except ReportError as exc:
            raise self.bad_address(uow, scope, exc.text(lang), params, lang) from None

    def bad_address(self, uow: UnitOfWork, scope: Scope, message: str, params: Mapping[str, str],
                    lang: str) -> BadAddress:
        """The refusal with every form and period this scope can look at, as links to the overview."""
        try:
            forms = forms_in_scope(uow, scope)
        except ReportError:
            return BadAddress(message)
        keep = {k: v for k, v in params.items() if k == paths.SCOPE}
        return self.valid_choices(uow, forms, message, paths.OVERVIEW, keep, lang)

    def valid_choices(self, uow: UnitOfWork, forms: list[FormInfo], message: str, path: str,
                      keep: Mapping[str, str], lang: str) -> BadAddress:
        """A refusal listing `forms` and each one's periods as links to `path`."""
        groups = [(text("valid_forms", lang),
                   tuple((f"{f.short_title} ({f.code})", paths.href(path, keep, bieu=f.code)) for f in forms))]
        for f in forms:
            groups.append((text("valid_periods", lang, form=f.code),
                           tuple((self.period_label(p, lang, f), paths.href(path, keep, bieu=f.code, ky=p.code))
                                 for p in self.periods(uow, f))))
        return BadAddress(message, tuple(groups))

    def periods(self, uow: UnitOfWork, form: FormInfo) -> list[Period]:
        """The form's periods that have opened, newest first (what the period picker offers)."""
        today = self.today()
        return [p for p in reversed(uow.periods.list(form.code)) if p.opens_on <= today]

    def period_label(self, p: Period, lang: str, form: FormInfo | None = None) -> str:
        """`2026-Q3 (hạn 05/10/2026)`; a due date moved off a day off: `2026-Q4 (hạn 05/12/2026, chuyển sang
        07/12/2026)` — the document's date first (docs/DEADLINES.md)."""
        definition = _form_def(form.form_id, form.definition) if form is not None and form.definition else None
        due = due_words(due_of(definition, p, None), lang, compact=True) if definition else day(p.due_on)
        return text("period_option", lang, code=p.code, due=due)
