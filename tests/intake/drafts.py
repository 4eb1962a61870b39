"""Drafts of real submissions (shipped catalog) to read bulk answers against."""

from __future__ import annotations

from bot.app import App
from conversations.forms import FormCache
from conversations.intake import Draft, draft_of
from conversations.render import Sheet
from storage.uow import UnitOfWork

FORMS = FormCache()


def open_sheet(uow: UnitOfWork, unit: str, form: str, period: str) -> Sheet:
    """The unit's submission for the period (created as a draft), as the dialogue opens it."""
    u, p, f = uow.units.by_code(unit), uow.periods.by_code(form, period), uow.forms.latest(form)
    assert u and p and f, (unit, form, period)
    sub = uow.submissions.ensure(u.id, p.id, f.id)
    spec = FORMS.get(uow, sub.form_id)
    return Sheet(sub, spec, p, u, spec.asked(u.kind, p.slot))


def draft(app: App, unit: str = "QUANGTRI", form: str = "CL", period: str = "2026-Q4", lang: str = "vi") -> Draft:
    """The Draft of a unit's submission, committed so later units of work see it."""
    with app.uow() as uow:
        sheet = open_sheet(uow, unit, form, period)
        d = draft_of(uow, sheet, lang, app.clock.today())
        uow.commit()
    return d
