"""`/baocao [KỲ] [BIỂU] [ĐƠN VỊ]` and `chitieu report --format docx`: the report a level owes, as Word."""

from __future__ import annotations

from datetime import datetime

from reports.docx.common import author_of, filename, outline
from reports.errors import ReportError
from reports.forms import FormInfo, all_forms
from reports.periods import parse_request, resolve
from reports.requests import Result, forms_in_scope
from reports.scope import Scope, within
from reports.summary import build_summary
from reports.texts import t
from storage.models import Period
from storage.uow import UnitOfWork


def draft_bytes(uow: UnitOfWork, scope: Scope, form: FormInfo, period: Period, at: datetime, lang: str = "vi"
                ) -> tuple[str, bytes, int]:
    """(file name, .docx bytes, units that sent) of the draft for `scope`'s unit."""
    author = author_of(uow, scope, form)
    if form.report().get("layout") == "agencies":
        from reports.docx.form2 import build_form2
        from reports.table2 import build_table2

        table = build_table2(uow, scope, form, period, at, lang)
        return filename(form, period, author), build_form2(uow, table, author, lang), table.total.completeness.submitted
    from reports.docx.form1 import build_form1

    s = build_summary(uow, scope, form, period, at)
    return filename(form, period, author), build_form1(uow, s, author, lang), s.completeness.submitted


def draft_request(uow: UnitOfWork, scope: Scope, args: str, at: datetime, lang: str = "vi") -> Result:
    """The draft of the period (default: the latest due) for the analyst's unit, or a unit of their subtree."""
    request = parse_request(args, {f.code for f in all_forms(uow)})
    if len(request.rest) > 1:
        raise ReportError("bad_args", token=request.rest[1])
    if request.rest:
        scope = within(uow, scope, request.rest[0])
    elif len(scope.roots) > 1:
        raise ReportError("bad_args", token=" ".join(r.code for r in scope.roots))
    form, period = resolve(uow, request, forms_in_scope(uow, scope, request.form), at.date())
    name, data, sent = draft_bytes(uow, scope, form, period, at, lang)
    author = author_of(uow, scope, form)
    text = t("draft.result_text", lang, form=form.short_title, period=period.code, unit=author.name,
             sections=len([c for c, _ in outline(form) if "." not in c]), units=sent)
    return Result(t("draft.result_title", lang, form=form.short_title, period=period.code, unit=author.name), text,
                  files=[(name, data)])
