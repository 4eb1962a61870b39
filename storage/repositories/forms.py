"""Form versions, targets and periods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from storage.models import Form, Period, Target
from storage.repositories.base import Repository


class FormRepository(Repository):
    """Versions of forms as loaded from the catalog."""

    def get(self, form_id: int) -> Form | None:
        """The form version with this id."""
        return self.session.get(Form, form_id)

    def by_hash(self, code: str, content_hash: str) -> Form | None:
        """The version of `code` with exactly this content, if it was loaded before."""
        return self.session.scalar(select(Form).where(Form.code == code, Form.content_hash == content_hash))

    def latest(self, code: str) -> Form | None:
        """The newest version of form `code`."""
        return self.session.scalar(select(Form).where(Form.code == code).order_by(Form.version.desc()).limit(1))

    def latest_all(self) -> Sequence[Form]:
        """The newest version of every form."""
        newest = select(Form.code, func.max(Form.version).label("v")).group_by(Form.code).subquery()
        return self.session.scalars(
            select(Form).join(newest, (Form.code == newest.c.code) & (Form.version == newest.c.v)).order_by(Form.code)
        ).all()

    def next_version(self, code: str) -> int:
        """The version number a new version of `code` gets."""
        return (self.session.scalar(select(func.max(Form.version)).where(Form.code == code)) or 0) + 1

    def add(self, form: Form) -> Form:
        """Store a new form version with its questions."""
        self.session.add(form)
        self.session.flush()
        return form

    def add_target(self, target: Target) -> None:
        """Store a target of a form version."""
        self.session.add(target)

    def targets(self, form_id: int) -> Sequence[Target]:
        """Every target of a form version."""
        return self.session.scalars(select(Target).where(Target.form_id == form_id)).all()


class PeriodRepository(Repository):
    """Collection rounds generated from forms' calendars."""

    def get(self, period_id: int) -> Period | None:
        """The period with this id."""
        return self.session.get(Period, period_id)

    def by_code(self, form_code: str, code: str) -> Period | None:
        """The period `code` (e.g. 2026-Q4) of form `form_code`."""
        return self.session.scalar(select(Period).where(Period.form_code == form_code, Period.code == code))

    def add(self, period: Period) -> Period:
        """Store a new period."""
        self.session.add(period)
        return period

    def list(self, form_code: str | None = None) -> Sequence[Period]:
        """Periods in due-date order, optionally of one form."""
        stmt = select(Period).order_by(Period.due_on, Period.form_code)
        return self.session.scalars(stmt.where(Period.form_code == form_code) if form_code else stmt).all()

    def open_on(self, day: date) -> Sequence[Period]:
        """Periods accepting answers on `day` (opened and not locked)."""
        return self.session.scalars(
            select(Period).where(Period.opens_on <= day, Period.lock_on >= day).order_by(Period.due_on)
        ).all()

    def previous(self, period: Period) -> Period | None:
        """The period of the same form just before `period`."""
        return self.session.scalar(
            select(Period).where(Period.form_code == period.form_code, Period.due_on < period.due_on)
            .order_by(Period.due_on.desc()).limit(1)
        )

    def by_code_any_form(self, code: str) -> Sequence[Period]:
        """Periods with this code in any form (2026 may be a year of several forms)."""
        return self.session.scalars(select(Period).where(Period.code == code.upper())).all()
