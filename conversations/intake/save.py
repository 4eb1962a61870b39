"""Saving a reading: each accepted change one revision, with who, the channel and the source file."""

from __future__ import annotations

from storage.models import Submission
from storage.repositories import AnswerChange
from storage.uow import UnitOfWork

from .draft import Draft
from .items import Accepted, Reading


def _change(a: Accepted, fields: tuple[str, ...], draft: Draft, reading: Reading) -> AnswerChange:
    """The repository change for one accepted answer (only the fields that change)."""
    now = draft.current.get(a.key)
    value_changed = "value" in fields or "provisional" in fields
    if value_changed:  # as the dialogue's save_value: a provisional answer given again without the mark
        action = "official" if now is not None and now.provisional and not a.provisional else "answer"
    else:
        action = "note" if "note" in fields else "comparison"
    return AnswerChange(
        action, raw_text=a.raw if value_changed else None, value=a.value if value_changed else None,
        provisional=a.provisional if value_changed else None,
        note=a.note if "note" in fields else None, comparison=a.comparison if "comparison" in fields else None,
        source=reading.source)


def save_reading(uow: UnitOfWork, submission: Submission, draft: Draft, reading: Reading,
                 person_id: int | None, channel: str | None) -> list[str]:
    """Store every change of `reading` as a revision (refused answers change nothing); the keys saved."""
    by_key = {a.key: a for a in reading.accepted}
    saved = []
    for change in reading.changes:
        uow.submissions.change(submission, change.key, _change(by_key[change.key], change.fields, draft, reading),
                               person_id, channel)
        saved.append(change.key)
    return saved
