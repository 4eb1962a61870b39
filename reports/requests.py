"""The three requests an analyst makes, from typed arguments to finished outputs (text, PNG, xlsx).

Channels and the CLI call these; they only turn a `Result` into their own messages or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from reports.chart import summary_chart
from reports.errors import ReportError
from reports.forms import FormInfo, all_forms
from reports.indicator import indicator_table
from reports.indicator_text import indicator_text, indicator_workbook
from reports.indicator_text import title as indicator_title
from reports.missing import missing, missing_text, missing_workbook
from reports.missing import title as missing_title
from reports.periods import Request, parse_request, period_code, resolve
from reports.scope import Scope, scope_clause
from reports.summary import build_summary
from reports.text import summary_text, title
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


def forms_in_scope(uow: UnitOfWork, scope: Scope, wanted: str | None = None) -> list[FormInfo]:
    """Forms that some unit of the scope answers (refusing a named form that none of them answers)."""
    kinds = set(uow.session.scalars(select(Unit.kind).distinct().where(scope_clause(uow, scope))))
    found = [f for f in all_forms(uow) if any(f.provides(k) for k in kinds)]
    if wanted and wanted not in {f.code for f in found} and wanted in {f.code for f in all_forms(uow)}:
        raise ReportError("form_not_in_scope", form=wanted)
    if not found:
        raise ReportError("no_forms")
    return found


def choose(uow: UnitOfWork, scope: Scope, args: str, at: datetime) -> tuple[FormInfo, Period]:
    """Form and period from typed arguments (any order), else the default period; other words are refused."""
    request = parse_request(args, {f.code for f in all_forms(uow)})
    if request.rest:
        raise ReportError("bad_args", token=request.rest[0])
    return resolve(uow, request, forms_in_scope(uow, scope, request.form), at.date())


def choose_exactly(uow: UnitOfWork, scope: Scope, period: str, form: str | None, at: datetime
                   ) -> tuple[FormInfo, Period]:
    """Form and period given as options (the CLI): the period must be a period code."""
    code = period_code(period)
    if code is None:
        raise ReportError("unknown_period", period=period, forms=form or "CL, CDS")
    request = Request(code, form.upper() if form else None)
    return resolve(uow, request, forms_in_scope(uow, scope, request.form), at.date())


def file_stem(kind: str, form: FormInfo, period: Period) -> str:
    """`tonghop-CL-2026-Q3`."""
    return f"{kind}-{form.code}-{period.code}"


def summary_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi",
                    outputs: tuple[str, ...] = ("text", "png", "xlsx")) -> Result:
    """`/tonghop [PERIOD] [FORM]`: the text, the chart and the workbook of a period."""
    form, period = choose(uow, scope, args, at)
    s = build_summary(uow, scope, form, period, at, with_year="xlsx" in outputs)
    result = Result(title(s, lang), summary_text(s, lang) if "text" in outputs else "")
    if "png" in outputs:
        result.image, result.image_name = summary_chart(s, lang), file_stem("tonghop", form, period) + ".png"
    if "xlsx" in outputs:
        result.files.append((file_stem("tonghop", form, period) + ".xlsx", summary_workbook(uow, s, lang)))
    return result


def missing_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi") -> Result:
    """`/thieu [PERIOD]`: who has not submitted or sent provisional figures, with focal persons."""
    form, period = choose(uow, scope, args, at)
    m = missing(uow, scope, form, period, at, lang)
    text, cut = missing_text(m, lang)
    files = [(file_stem("thieu", form, period) + ".xlsx", missing_workbook(m, lang))] if cut else []
    return Result(missing_title(m, lang), text, files=files)


def indicator_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi") -> Result:
    """`/chitieu N [PERIOD]`: one indicator across the scope's units."""
    request = parse_request(args, {f.code for f in all_forms(uow)})
    forms = forms_in_scope(uow, scope, request.form)
    if not request.rest:
        raise ReportError("need_indicator")
    wanted = request.rest[0]
    candidates = [f for f in forms if f.by_number(wanted)] or forms
    form, period = resolve(uow, request, candidates, at.date())
    q = form.by_number(wanted)
    if q is None:
        raise ReportError("unknown_indicator", form=form.code, number=wanted,
                          numbers=", ".join(x.number for x in form.indicators))
    table = indicator_table(uow, scope, form, period, q, at, lang)
    text, cut = indicator_text(table, lang)
    files = [(f"{file_stem('chitieu', form, period)}-{q.number}.xlsx", indicator_workbook(table, lang))] if cut else []
    return Result(indicator_title(table, lang), text, files=files)
