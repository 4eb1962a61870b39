"""The three requests an analyst makes, from typed arguments to finished outputs (text, PNG, xlsx).

Channels and the CLI call these; they only turn a `Result` into their own messages or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from reports.chart import summary_chart
from reports.completeness import completeness
from reports.errors import ReportError
from reports.forms import FormInfo, all_forms
from reports.indicator import indicator_table
from reports.indicator_text import indicator_text, indicator_workbook
from reports.indicator_text import title as indicator_title
from reports.missing import LIMIT as MISSING_LIMIT
from reports.missing import missing, missing_text, missing_workbook
from reports.missing import title as missing_title
from reports.periods import Request, parse_request, period_code, resolve, valid_periods
from reports.queries import submission_states
from reports.scope import Scope, scope_clause
from reports.summary import build_summary
from reports.text import overview_text, summary_text, title, year_text, year_title
from reports.texts import t
from reports.workbook import summary_workbook
from storage.models import Period, Unit
from storage.uow import UnitOfWork


@dataclass
class Result:
    """What to send back: a titled text, maybe a picture, maybe files (name, bytes)."""

    title: str
    text: str
    image: bytes | None = None
    image_name: str = "chart.png"
    files: list[tuple[str, bytes]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, command with arguments), one a row


def forms_in_scope(uow: UnitOfWork, scope: Scope, wanted: str | None = None) -> list[FormInfo]:
    """Forms that some unit of the scope answers (refusing a named form that none of them answers)."""
    kinds = set(uow.session.scalars(select(Unit.kind).distinct().where(scope_clause(uow, scope))))
    found = [f for f in all_forms(uow) if any(f.provides(k) for k in kinds)]
    if wanted and wanted not in {f.code for f in found} and wanted in {f.code for f in all_forms(uow)}:
        raise ReportError("form_not_in_scope", form=wanted)
    if not found:
        raise ReportError("no_forms")
    return found


def collected_forms(uow: UnitOfWork, scope: Scope, forms: list[FormInfo]) -> list[FormInfo]:
    """The forms the scope's own units collect: answered by units below the roots (Form 2 for Quảng Trị).

    An administrator's scope collects every form in it; a unit with nobody below it that reports
    falls back to the forms it answers itself.
    """
    if scope.everything:
        return forms
    roots = {r.path for r in scope.roots}
    kinds = set(uow.session.scalars(select(Unit.kind).distinct().where(
        scope_clause(uow, scope), Unit.path.not_in(roots), Unit.successor_id.is_(None))))  # merged away: history
    return [f for f in forms if any(f.provides(k) for k in kinds)] or forms


def request_forms(uow: UnitOfWork, scope: Scope, request: Request) -> list[FormInfo]:
    """Forms a request may mean: the named one, else (no period either) the forms the scope collects."""
    forms = forms_in_scope(uow, scope, request.form)
    if request.form:
        return [f for f in forms if f.code == request.form] or forms  # unknown: `resolve` says so
    if request.period:
        return forms
    return collected_forms(uow, scope, forms)


def parsed(uow: UnitOfWork, args: str) -> Request:
    """The typed arguments as a request; words that are neither a form nor a period are refused."""
    request = parse_request(args, {f.code for f in all_forms(uow)})
    if request.rest:
        raise ReportError("bad_args", token=request.rest[0])
    return request


def choose(uow: UnitOfWork, scope: Scope, args: str, at: datetime) -> tuple[FormInfo, Period]:
    """Form and period from typed arguments (any order), else the default period; other words are refused."""
    request = parsed(uow, args)
    return resolve(uow, request, request_forms(uow, scope, request), at.date())


def choose_exactly(uow: UnitOfWork, scope: Scope, period: str | None, form: str | None, at: datetime
                   ) -> tuple[FormInfo, Period]:
    """Form and period given as options (the CLI): a period code or name, else the default period of
    `/tonghop` (the forms the scope collects, the latest period due or near)."""
    code = period_code(period) if period else None
    if period and code is None:
        raise ReportError("no_such_period", period=period, valid=valid_periods(uow, all_forms(uow), at.date()))
    request = Request(code, form.upper() if form else None)
    return resolve(uow, request, request_forms(uow, scope, request), at.date())


def file_stem(kind: str, form: FormInfo, period: Period) -> str:
    """`tonghop-CL-2026-Q3`."""
    return f"{kind}-{form.code}-{period.code}"


def summary_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi",
                    outputs: tuple[str, ...] = ("text", "png", "xlsx")) -> Result:
    """`/tonghop [PERIOD] [FORM]`: the text, the chart and the workbook of a period.

    No argument and several forms collected: one short section per form. A year for a quarterly
    form (`/tonghop 2026 CL`): the year view, its quarters side by side.
    """
    request = parsed(uow, args)
    forms = request_forms(uow, scope, request)
    if (year := year_asked(uow, request, forms)) is not None:
        return year_request(uow, scope, year[0], year[1], at, lang, "xlsx" in outputs)
    if not request.form and not request.period and len(forms) > 1:
        return overview_request(uow, scope, forms, at, lang)
    form, period = resolve(uow, request, forms, at.date())
    s = build_summary(uow, scope, form, period, at, with_year="xlsx" in outputs)
    result = Result(title(s, lang), summary_text(s, lang) if "text" in outputs else "")
    if "png" in outputs:
        result.image, result.image_name = summary_chart(s, lang), file_stem("tonghop", form, period) + ".png"
    if "xlsx" in outputs:
        result.files.append((file_stem("tonghop", form, period) + ".xlsx", summary_workbook(uow, s, lang)))
    return result


def missing_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi") -> Result:
    """`/thieu [PERIOD]`: who has not submitted or sent provisional figures, with focal persons
    (several forms collected and none named: one section per form)."""
    request = parsed(uow, args)
    forms = request_forms(uow, scope, request)
    if not request.form and not request.period and len(forms) > 1:
        return missing_overview(uow, scope, forms, at, lang)
    form, period = resolve(uow, request, forms, at.date())
    m = missing(uow, scope, form, period, at, lang)
    text, cut = missing_text(m, lang)
    files = [(file_stem("thieu", form, period) + ".xlsx", missing_workbook(m, lang))] if cut else []
    return Result(missing_title(m, lang), text, files=files)


def indicator_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi") -> Result:
    """`/chitieu N [PERIOD] [FORM]`: one indicator across the scope's units.

    When N is an indicator of several forms of the scope and no form (or period) tells them apart,
    the answer is a question: which form, one button per form.
    """
    request, forms, candidates = _indicator_forms(uow, scope, args)
    wanted = request.rest[0]
    if len(candidates) > 1 and not request.form:
        return which_form(candidates, wanted, request, lang)
    form, period = resolve(uow, request, candidates or forms, at.date())
    q = form.by_number(wanted)
    if q is None:
        raise ReportError("unknown_indicator", form=form.code, number=wanted,
                          numbers=", ".join(x.number for x in form.indicators))
    table = indicator_table(uow, scope, form, period, q, at, lang)
    text, cut = indicator_text(table, lang)
    files = [(f"{file_stem('chitieu', form, period)}-{q.number}.xlsx", indicator_workbook(table, lang))] if cut else []
    return Result(indicator_title(table, lang), text, files=files)


def _indicator_forms(uow: UnitOfWork, scope: Scope, args: str) -> tuple[Request, list[FormInfo], list[FormInfo]]:
    """The request, the scope's forms, and those having indicator N (and the period, when one is named)."""
    request = parse_request(args, {f.code for f in all_forms(uow)})
    forms = forms_in_scope(uow, scope, request.form)
    if not request.rest:
        raise ReportError("need_indicator")
    if len(request.rest) > 1:
        raise ReportError("bad_args", token=request.rest[1])
    candidates = [f for f in forms if f.by_number(request.rest[0])]
    if request.period:
        candidates = [f for f in candidates if uow.periods.by_code(f.code, request.period)] or candidates
    return request, forms, candidates


def indicator_question(uow: UnitOfWork, scope: Scope, args: str, lang: str = "vi") -> Result | None:
    """`/chitieu N` when N is in several forms and nothing tells them apart: the question (cheap: no report)."""
    try:
        request, _, candidates = _indicator_forms(uow, scope, args)
    except ReportError:
        return None  # the report itself says what is wrong
    if len(candidates) > 1 and not request.form:
        return which_form(candidates, request.rest[0], request, lang)
    return None


def which_form(forms: list[FormInfo], number: str, request: Request, lang: str) -> Result:
    """`Chỉ tiêu 2 có ở 2 biểu…`: the indicator of each form, and a button per form."""
    period = f" {request.period}" if request.period else ""
    lines = [t("indicator.which_form", lang, number=number, count=len(forms))]
    buttons = []
    for f in forms:
        q = f.by_number(number)
        assert q is not None
        lines.append(t("indicator.form_option", lang, form=f.short_title, code=f.code, numbering=f.numbering,
                       number=q.number, name=q.short_label))
        buttons.append((t("indicator.form_button", lang, form=f.short_title, code=f.code),
                        f"chitieu {number}{period} {f.code}"))
    lines.append(t("indicator.which_form_hint", lang, number=number, period=period, code=forms[0].code))
    return Result(t("indicator.which_form_title", lang, number=number), "\n".join(lines), buttons=buttons)


def year_asked(uow: UnitOfWork, request: Request, forms: list[FormInfo]) -> tuple[FormInfo, int] | None:
    """(form, year) when a year is asked of a form that reports more often (`/tonghop 2026 CL`)."""
    if not request.period or not request.period.isdigit():
        return None
    if any(uow.periods.by_code(f.code, request.period) for f in forms):
        return None  # a yearly round of that name exists: that is what is asked
    year = int(request.period)
    having = [f for f in forms if uow.session.scalar(select(Period.id).where(Period.form_code == f.code,
                                                                             Period.year == year).limit(1))]
    if len(having) > 1:
        raise ReportError("ambiguous_period", period=request.period, forms=", ".join(f.code for f in having))
    return (having[0], year) if having else None


def year_request(uow: UnitOfWork, scope: Scope, form: FormInfo, year: int, at: datetime, lang: str,
                 with_workbook: bool = True) -> Result:
    """The year view: every round of the year side by side, the year's target, and the workbook."""
    periods = list(uow.session.scalars(select(Period).where(Period.form_code == form.code, Period.year == year)
                                       .order_by(Period.due_on)))
    opened = [p for p in periods if p.opens_on <= at.date()] or periods[:1]
    s = build_summary(uow, scope, form, opened[-1], at, with_year=True)
    rounds = [(p, completeness(s.expected, submission_states(uow, scope, p.id), p, at.date())
               if p.opens_on <= at.date() else None) for p in s.year]
    result = Result(year_title(s, lang), year_text(s, rounds, lang))
    if with_workbook:
        result.files.append((f"tonghop-{form.code}-{year}-ca-nam.xlsx", summary_workbook(uow, s, lang)))
    return result


def overview_request(uow: UnitOfWork, scope: Scope, forms: list[FormInfo], at: datetime, lang: str) -> Result:
    """`/tonghop` with several forms collected: one short section per form, each at its default period."""
    sections = []
    for form in forms:
        try:
            _, period = resolve(uow, Request(None, form.code), [form], at.date())
        except ReportError:
            continue  # no round of this form is due yet
        sections.append(build_summary(uow, scope, form, period, at))
    if not sections:
        raise ReportError("no_period")
    return Result(t("summary.overview_title", lang, count=len(sections)), overview_text(sections, lang))


def missing_overview(uow: UnitOfWork, scope: Scope, forms: list[FormInfo], at: datetime, lang: str) -> Result:
    """`/thieu` with several forms collected: one section per form, each cut to its share of a message."""
    found = []
    for form in forms:
        try:
            _, period = resolve(uow, Request(None, form.code), [form], at.date())
        except ReportError:
            continue
        found.append(missing(uow, scope, form, period, at, lang))
    if not found:
        raise ReportError("no_period")
    budget = MISSING_LIMIT // len(found) - 100
    parts, files = [], []
    for m in found:
        text, cut = missing_text(m, lang, budget)
        parts.append("\n".join([f"■ {missing_title(m, lang)}", text]))
        if cut:
            files.append((file_stem("thieu", m.form, m.period) + ".xlsx", missing_workbook(m, lang)))
    return Result(t("missing.overview_title", lang, count=len(found)), "\n\n".join(parts), files=files)
