"""Submissions, answers and their revisions, receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from storage.models import Answer, AnswerRevision, Period, Receipt, Submission, SubmissionStatus, utcnow
from storage.repositories.base import Repository, insert_ignore
from storage.values import Value


@dataclass(frozen=True)
class AnswerSource:
    """The file a change came from: its name as sent and the SHA-256 of its bytes (the bytes are not kept)."""

    name: str
    sha256: str


@dataclass(frozen=True)
class AnswerChange:
    """Everything one change to an answer carries; `None` fields keep the current content."""

    action: str
    raw_text: str | None = None
    value: Value | None = None
    skipped: bool | None = None
    provisional: bool | None = None
    note: str | None = None
    comparison: str | None = None
    source: AnswerSource | None = None  # a returned workbook; None when typed in the chat


class SubmissionRepository(Repository):
    """A unit's answers for a period, each change kept as a revision."""

    def get(self, unit_id: int, period_id: int, lock: bool = False) -> Submission | None:
        """The unit's submission for the period, optionally locked for update."""
        stmt = select(Submission).where(Submission.unit_id == unit_id, Submission.period_id == period_id)
        return self.session.scalar(stmt.with_for_update() if lock else stmt)

    def by_id(self, submission_id: int, lock: bool = False) -> Submission | None:
        """The submission with this id, optionally locked for update."""
        stmt = select(Submission).where(Submission.id == submission_id)
        return self.session.scalar(stmt.with_for_update() if lock else stmt)

    def ensure(self, unit_id: int, period_id: int, form_id: int) -> Submission:
        """The unit's submission for the period, created as a draft if missing; locked."""
        insert_ignore(
            self.session, Submission.__table__,
            {"unit_id": unit_id, "period_id": period_id, "form_id": form_id, "status": SubmissionStatus.DRAFT,
             "created_at": utcnow(), "updated_at": utcnow(), "version": 0},
            ["unit_id", "period_id"],
        )
        found = self.get(unit_id, period_id, lock=True)
        assert found is not None
        return found

    def answers(self, submission_id: int) -> dict[str, Answer]:
        """Current answers by question key."""
        rows = self.session.scalars(select(Answer).where(Answer.submission_id == submission_id))
        return {a.question_key: a for a in rows}

    def answer(self, submission_id: int, key: str) -> Answer | None:
        """The current answer to one question (one row, where `answers` reads the whole submission)."""
        return self.session.scalar(
            select(Answer).where(Answer.submission_id == submission_id, Answer.question_key == key))

    def change(self, submission: Submission, key: str, change: AnswerChange, person_id: int | None,
               channel: str | None) -> Answer:
        """Apply one change to an answer and keep it as a new revision."""
        answer = self.answer(submission.id, key)
        if answer is None:
            answer = Answer(submission_id=submission.id, question_key=key, revision=0, skipped=False,
                            provisional=False)
            self.session.add(answer)
        _apply(answer, change)
        answer.revision += 1
        answer.updated_by, answer.updated_at = person_id, utcnow()
        submission.updated_at, submission.version = utcnow(), submission.version + 1
        self.session.add(AnswerRevision(
            submission_id=submission.id, question_key=key, revision=answer.revision, action=change.action,
            raw_text=answer.raw_text, value=answer.value, skipped=answer.skipped, provisional=answer.provisional,
            note=answer.note, comparison=answer.comparison, changed_by=person_id, channel=channel,
            source_name=change.source.name[:255] if change.source else None,
            source_sha256=change.source.sha256 if change.source else None, changed_at=answer.updated_at,
        ))
        return answer

    def revisions(self, submission_id: int, key: str | None = None) -> Sequence[AnswerRevision]:
        """Every revision of a submission (or of one answer), oldest first."""
        stmt = select(AnswerRevision).where(AnswerRevision.submission_id == submission_id)
        if key:
            stmt = stmt.where(AnswerRevision.question_key == key)
        return self.session.scalars(stmt.order_by(AnswerRevision.id)).all()

    def add_receipt(self, receipt: Receipt) -> Receipt:
        """Store a receipt given on sending."""
        self.session.add(receipt)
        return receipt

    def receipts(self, submission_id: int) -> Sequence[Receipt]:
        """Receipts of a submission, oldest first."""
        return self.session.scalars(
            select(Receipt).where(Receipt.submission_id == submission_id).order_by(Receipt.id)).all()

    def for_units(self, period_id: int, unit_ids: list[int]) -> dict[int, Submission]:
        """Submissions of these units for the period, by unit id."""
        rows = self.session.scalars(
            select(Submission).where(Submission.period_id == period_id, Submission.unit_id.in_(unit_ids)))
        return {s.unit_id: s for s in rows}

    def of_unit(self, unit_id: int, period_code: str | None = None) -> Sequence[Submission]:
        """The unit's submissions for periods coded `period_code` (any form), or its latest one."""
        stmt = (select(Submission).join(Period, Period.id == Submission.period_id)
                .where(Submission.unit_id == unit_id).order_by(Period.due_on.desc()))
        if period_code:
            return self.session.scalars(stmt.where(Period.code == period_code)).all()
        return self.session.scalars(stmt.limit(1)).all()

    def previous_answer(self, unit_id: int, period: Period, key: str) -> Answer | None:
        """This unit's answer to `key` in the latest earlier period of the same form."""
        return self.session.scalar(
            select(Answer).join(Submission).join(Period, Period.id == Submission.period_id)
            .where(Submission.unit_id == unit_id, Period.form_code == period.form_code,
                   Period.due_on < period.due_on, Answer.question_key == key, Answer.value.is_not(None))
            .order_by(Period.due_on.desc()).limit(1)
        )


def _apply(answer: Answer, change: AnswerChange) -> None:
    """Copy the given fields of a change onto the answer, mirroring the value into a/b/basis."""
    if change.raw_text is not None:
        answer.raw_text = change.raw_text
    if change.value is not None:
        v = change.value
        answer.value, answer.basis = v.to_json(), v.basis.value
        answer.a = float(v.a) if v.a is not None else None
        answer.b = float(v.b) if v.b is not None else None
        answer.skipped = False
    if change.skipped:
        answer.skipped, answer.value, answer.a, answer.b, answer.basis = True, None, None, None, None
    if change.provisional is not None:
        answer.provisional = change.provisional
    if change.note is not None:
        answer.note = change.note or None
    if change.comparison is not None:
        answer.comparison = change.comparison or None
