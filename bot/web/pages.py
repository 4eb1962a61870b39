"""The pages: overview, indicator table, one indicator, one unit. Thin: parse, read, render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from bot.web import paths
from bot.web.auth import Viewer
from bot.web.downloads import downloads
from bot.web.indicators import annex, one_indicator
from bot.web.listing import FILTERS, arrange, headings, paged, sort_order, status_filter
from bot.web.overview import Overview, overview
from bot.web.overview import contacts_of as focal_texts
from bot.web.render import text
from bot.web.site import BadAddress, NotFound, Site
from bot.web.unitpage import UnitPage, unit_page
from conversations.parsing import echo
from reports.errors import ReportError
from reports.forms import FormInfo, all_forms
from reports.periods import period_code
from reports.requests import forms_in_scope
from reports.scope import Scope, scope_clause, within
from reports.text import number as report_number
from reports.text import title as summary_title
from storage.models import Period, Unit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Link:
    """A labelled link; `current` marks the one being shown."""

    label: str
    href: str
    current: bool = False


def chosen(form: FormInfo, period: Period, params: Mapping[str, str]) -> dict[str, str]:
    """The address parameters that pin this page's form, period and scope (for links and downloads)."""
    found = {paths.FORM: form.code, paths.PERIOD: period.code}
    if params.get(paths.SCOPE):
        found[paths.SCOPE] = params[paths.SCOPE].strip().upper()
    return found


def pickers(site: Site, uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, params: Mapping[str, str],
            path: str, lang: str) -> dict[str, object]:
    """The form tabs, the period choices and the hidden fields the period form keeps."""
    keep = {k: v for k, v in chosen(form, period, params).items() if k == paths.SCOPE}
    forms = [Link(f"{f.short_title} ({f.code})", paths.href(path, keep, bieu=f.code), f.code == form.code)
             for f in forms_in_scope(uow, scope)]
    periods = [Link(site.period_label(p, lang, form), p.code, p.id == period.id) for p in site.periods(uow, form)]
    if not any(p.current for p in periods):
        periods.insert(0, Link(site.period_label(period, lang, form), period.code, True))
    return {"forms": forms, "periods": periods, "picker_path": paths.PREFIX + path,
            "hidden": {**keep, paths.FORM: form.code}}


def narrowed(uow: UnitOfWork, params: Mapping[str, str], path: str) -> dict[str, str] | None:
    """When `pham-vi` narrows the page: the unit's name and the link back to the whole scope."""
    code = params.get(paths.SCOPE, "").strip()
    unit = uow.units.by_code(code) if code else None
    if unit is None:
        return None
    keep = {k: v for k, v in params.items() if k in (paths.FORM, paths.PERIOD)}
    return {"name": unit.name, "all": paths.href(path, keep)}


UNIT_COLUMNS = (("col_unit", "don-vi"), ("col_status", "trang-thai"), ("col_submitted_at", "gui-luc"),
                ("col_focal", None), ("col_last_reminder", None))


def overview_page(site: Site, request: Request, viewer: Viewer) -> Response:
    """Completeness figures as `/tonghop` gives them, the chart, and the table of units."""
    params, lang = dict(request.query_params), viewer.lang
    wanted, order = status_filter(params, lang), sort_order(params, lang)
    with site.app.read_uow() as uow:
        scope = site.scope(uow, viewer, params)
        form, period = site.pick(uow, scope, params, lang)
        data = overview(uow, scope, form, period, site.at(), lang,
                        lambda make: site.kept.get("overview", uow, scope, form, period, lang, site.today(), make))
        rows, pager = paged(arrange(data.lines, wanted, order), params.get(paths.PAGE, ""))
        ids = [row.unit.id for row in rows]
        contacts, reminders = focal_texts(uow, scope, ids, lang), uow.web.latest_reminders(period.id, ids)
        context = pickers(site, uow, scope, form, period, params, paths.OVERVIEW, lang)
        context["narrowed"] = narrowed(uow, params, paths.OVERVIEW)
    pinned = chosen(form, period, params)
    here = {**pinned, **({paths.STATUS: wanted} if wanted else {})}
    columns = [(text(label, lang), key) for label, key in UNIT_COLUMNS]
    return site.render("overview.html", {
        **context, "data": data, "title": summary_title(data.summary, lang), "rows": rows, "pager": pager,
        "contacts": contacts, "reminders": reminders, "wanted": wanted, "pinned": pinned,
        "filters": filters(data, pinned, wanted, order, lang), "headings": headings(columns, here, order),
        "page_params": {**here, **({paths.SORT: order} if order else {})}, "downloads": downloads(pinned, lang),
        "chart": paths.href(paths.DOWNLOAD.format(name="bieu-do.png"), pinned),
    }, viewer)


def filters(data: Overview, pinned: Mapping[str, str], wanted: str | None, order: str, lang: str) -> list[Link]:
    """`Tất cả (35)`, `Chưa nộp (31)`, …: one link per status filter, with how many units it shows."""
    counts = data.by_status()
    keep = {**pinned, **({paths.SORT: order} if order else {})}
    found = [Link(f"{text('filter_all', lang)} ({len(data.lines)})", paths.href(paths.OVERVIEW, keep), wanted is None)]
    return found + [Link(f"{text('filter_' + slug, lang)} ({sum(counts[s] for s in statuses)})",
                         paths.href(paths.OVERVIEW, keep, **{paths.STATUS: slug}), wanted == slug)
                    for slug, statuses in FILTERS.items()]


def indicators_page(site: Site, request: Request, viewer: Viewer) -> Response:
    """The Phụ lục table's rows: each indicator's figures in the year's rounds, against the targets."""
    params, lang = dict(request.query_params), viewer.lang
    with site.app.read_uow() as uow:
        scope = site.scope(uow, viewer, params)
        form, period = site.pick(uow, scope, params, lang)
        table = annex(uow, scope, form, period, site.at(), lang)
        context = pickers(site, uow, scope, form, period, params, paths.INDICATORS, lang)
        context["narrowed"] = narrowed(uow, params, paths.INDICATORS)
    pinned = chosen(form, period, params)
    return site.render("indicators.html", {**context, "table": table, "pinned": pinned, "scope": scope,
                                           "downloads": downloads(pinned, lang)}, viewer)


def indicator_page(site: Site, request: Request, viewer: Viewer) -> Response:
    """One indicator across the units: values, previous figures, outliers, who has not answered."""
    params, lang = dict(request.query_params), viewer.lang
    number = request.path_params["number"]
    with site.app.read_uow() as uow:
        scope = site.scope(uow, viewer, params)
        form, period = site.pick(uow, scope, params, lang)
        q = form.by_number(number)
        if q is None:
            raise unknown_indicator(form, chosen(form, period, params), number, lang)
        data = one_indicator(uow, scope, form, period, q, site.at(), lang)
        context = pickers(site, uow, scope, form, period, params, paths.INDICATOR.format(number=q.number), lang)
    pinned = chosen(form, period, params)
    rows, pager = paged(data.table.values, params.get(paths.PAGE, ""))
    others = [Link(x.number, paths.href(paths.INDICATOR.format(number=x.number), pinned), x.key == q.key)
              for x in form.indicators]
    return site.render("indicator.html", {
        **context, "data": data, "q": q, "rows": rows, "pager": pager, "pinned": pinned, "others": others,
        "number": lambda x: report_number(q, x, lang),
        "downloads": downloads(pinned, lang, indicator=q.number)}, viewer)


def unknown_indicator(form: FormInfo, pinned: Mapping[str, str], number: str, lang: str) -> BadAddress:
    """The chat's refusal of an unknown indicator number, with every indicator of the form as a link."""
    message = ReportError("unknown_indicator", form=form.code, number=echo(number, 20),
                          numbers=", ".join(x.number for x in form.indicators)).text(lang)
    links = tuple((f"{x.number}. {x.short_label}", paths.href(paths.INDICATOR.format(number=x.number), pinned))
                  for x in form.indicators)
    return BadAddress(message, ((text("valid_values", lang), links),))


def visible_unit(uow: UnitOfWork, viewer: Viewer, code: str) -> Unit | None:
    """The unit if the viewer may see it: in their scope (the chat's scope rules), or their own as focal person."""
    unit = uow.units.by_code(code) if len(code) <= 40 else None
    if unit is None:
        return None
    if unit.code in {c for c, _ in viewer.focal_units}:
        return unit
    if viewer.scope is not None and uow.session.scalar(
            select(Unit.id).where(Unit.id == unit.id, scope_clause(uow, viewer.scope))) is not None:
        return unit
    return None


def unit_view(site: Site, request: Request, viewer: Viewer) -> Response:
    """One unit: status of the period, every answer, receipts and the revision history."""
    params, lang = dict(request.query_params), viewer.lang
    with site.app.read_uow() as uow:
        unit = visible_unit(uow, viewer, request.path_params["code"])
        if unit is None:
            raise NotFound
        path = paths.UNIT.format(code=unit.code)
        page = _unit_page(site, uow, unit, params, lang)
        context: dict[str, object] = {}
        if page.form and page.period:
            context = pickers(site, uow, page.scope, page.form, page.period, {}, path, lang)
            context["forms"] = [Link(f"{f.short_title} ({f.code})", paths.href(path, bieu=f.code),
                                     f.code == page.form.code) for f in page.forms]
        analyst = viewer.scope is not None and _inside(uow, viewer.scope, unit)
    pinned = {paths.FORM: page.form.code, paths.PERIOD: page.period.code} if page.form and page.period else {}
    return site.render("unit.html", {
        **context, "page": page, "pinned": pinned, "kind": f"common.kind_{unit.kind}",
        "agencies": paths.href(paths.OVERVIEW, pham_vi=unit.code) if page.has_children and analyst else None,
        "downloads": downloads({**pinned, paths.SCOPE: unit.code}, lang) if pinned and analyst else [],
    }, viewer)


def _unit_page(site: Site, uow: UnitOfWork, unit: Unit, params: Mapping[str, str], lang: str) -> UnitPage:
    """The unit's page for `ky`/`bieu`, refused with the unit's own forms and periods."""
    period, form = params.get(paths.PERIOD, "").strip(), params.get(paths.FORM, "").strip().upper()
    try:
        if period and period_code(period) is None:
            raise ReportError("unknown_period", period=echo(period, 60), forms=form or "CL, CDS")
        return unit_page(uow, unit, period_code(period) if period else None, form or None, site.today(), lang)
    except ReportError as exc:
        forms = [f for f in all_forms(uow) if f.provides(unit.kind)]
        raise site.valid_choices(uow, forms, exc.text(lang), paths.UNIT.format(code=unit.code), {}, lang) from None


def _inside(uow: UnitOfWork, scope: Scope, unit: Unit) -> bool:
    """True when the unit's whole subtree is in the analyst's scope (then its downloads may be offered)."""
    try:
        within(uow, scope, unit.code)
    except ReportError:
        return False
    return True
