"""Files to download from every page: the same functions, so the same bytes, as the chat sends.

- `tong-hop.xlsx`: the workbook of `/tonghop` (`summary_request`, Phụ lục I layout);
- `bieu-do.png`: its chart;
- `chi-tieu.xlsx?so=N`: the workbook `/chitieu N` attaches when its list is too long for a message;
- `bao-cao.docx`: the report draft of the reporting chain (issue 12), as `/baocao` makes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from bot.web import paths
from bot.web.auth import Viewer
from bot.web.render import text
from bot.web.site import BadAddress, NotFound, Site
from conversations.parsing import echo
from reports.forms import FormInfo
from reports.indicator import indicator_table
from reports.indicator_text import indicator_workbook
from reports.requests import file_stem, summary_request
from reports.scope import Scope
from storage.models import Period
from storage.uow import UnitOfWork

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# (uow, scope, "PERIOD FORM" as typed in the chat, at, lang) -> (file name, bytes)
DraftMaker = Callable[[UnitOfWork, Scope, str, datetime, str], tuple[str, bytes]]
Made = tuple[str, bytes, str]


def report_draft() -> DraftMaker | None:
    """The Word report draft of `/baocao` (issue 12): the same request the chat runs, so the same document."""
    def make(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str) -> tuple[str, bytes]:
        from reports.drafts import draft_request  # python-docx is loaded when a draft is asked for

        return draft_request(uow, scope, args, at, lang).files[0]

    return make


def downloads(pinned: Mapping[str, str], lang: str, indicator: str | None = None) -> list[tuple[str, str]]:
    """(label, address) of the files offered on a page whose form, period and scope are `pinned`."""
    def link(name: str, **more: str) -> str:
        return paths.href(paths.DOWNLOAD.format(name=name), pinned, **more)

    found = [(text("dl_workbook", lang), link("tong-hop.xlsx")), (text("dl_chart", lang), link("bieu-do.png"))]
    if indicator is not None:
        found.append((text("dl_indicator", lang), link("chi-tieu.xlsx", so=indicator)))
    if report_draft() is not None:
        found.append((text("dl_draft", lang), link("bao-cao.docx")))
    return found


def _workbook(site: Site, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, params: Mapping[str, str],
              at: datetime, lang: str) -> Made:
    name, data = summary_request(uow, scope, f"{period.code} {form.code}", at, lang, outputs=("xlsx",)).files[0]
    return name, data, XLSX


def _chart(site: Site, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, params: Mapping[str, str],
           at: datetime, lang: str) -> Made:
    def draw() -> tuple[str, bytes]:
        result = summary_request(uow, scope, f"{period.code} {form.code}", at, lang, outputs=("png",))
        assert result.image is not None
        return result.image_name, result.image

    name, data = site.kept.get("chart", uow, scope, form, period, lang, at.date(), draw)
    return name, data, "image/png"


def _indicator(site: Site, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, params: Mapping[str, str],
               at: datetime, lang: str) -> Made:
    q = form.by_number(params.get("so", ""))
    if q is None:
        raise BadAddress(text("not_found_page", lang) + " " + echo(params.get("so", ""), 20))
    table = indicator_table(uow, scope, form, period, q, at, lang)
    return f"{file_stem('chitieu', form, period)}-{q.number}.xlsx", indicator_workbook(table, lang), XLSX


def _draft(site: Site, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, params: Mapping[str, str],
           at: datetime, lang: str) -> Made:
    maker = report_draft()
    if maker is None:
        raise NotFound("not_found_page")
    name, data = maker(uow, scope, f"{period.code} {form.code}", at, lang)
    return name, data, DOCX


MAKERS = {"tong-hop.xlsx": _workbook, "bieu-do.png": _chart, "chi-tieu.xlsx": _indicator, "bao-cao.docx": _draft}


def download_view(site: Site, request: Request, viewer: Viewer) -> Response:
    """A file of the viewer's scope (narrowed by `pham-vi`), for the form and period asked."""
    maker = MAKERS.get(request.path_params["name"])
    if maker is None:
        raise NotFound("not_found_page")
    params, lang = dict(request.query_params), viewer.lang
    with site.app.read_uow() as uow:
        scope = site.scope(uow, viewer, params)
        form, period = site.pick(uow, scope, params, lang)
        name, data, media = maker(site, uow, scope, form, period, params, site.at(), lang)
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
