"""Pages from Jinja2 templates (autoescaped: every typed value is shown as text), in the viewer's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from starlette.responses import HTMLResponse

from bot.web import paths
from bot.web.auth import Viewer
from reports.texts import moment
from reports.texts import t as report_text
from storage.i18n import Catalog, locales_of
from storage.values import fmt_percent

HERE = Path(__file__).resolve().parent
TEXTS = Catalog.load(locales_of(__file__))


@cache
def environment() -> jinja2.Environment:
    """The template environment: autoescape on for every template, undefined names are errors."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def text(key: str, lang: str = "vi", **params: object) -> str:
    """A sentence of the web view's catalog (`bot/web/locales/<lang>/web.yaml`)."""
    return TEXTS.text(f"web.{key}", lang, **params)


def render(name: str, context: Mapping[str, Any], viewer: Viewer | None, tz: ZoneInfo, status: int = 200,
           lang: str | None = None) -> HTMLResponse:
    """Render template `name` with the helpers every page uses."""
    lang = lang or (viewer.lang if viewer else "vi")

    def when(at: datetime | None) -> str:
        return moment(at.astimezone(tz)) if at else ""

    def action(code: str) -> str:
        return text(f"action_{code}", lang) if TEXTS.has(f"web.action_{code}") else code

    helpers = {"t": lambda key, **p: text(key, lang, **p), "rt": lambda key, **p: report_text(key, lang, **p),
               "href": paths.href, "paths": paths, "viewer": viewer, "lang": lang, "when": when, "action": action,
               "rate": lambda x: fmt_percent(x, lang, 1)}
    html = environment().get_template(name).render({**helpers, **context})
    return HTMLResponse(html, status_code=status)
