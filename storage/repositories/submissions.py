"""Submissions, answers and their revisions, receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from storage.models import (
    ANSWER_FIELDS,
    Answer,
    AnswerLike,
    AnswerRevision,
    PendingAnswer,
    Period,
    Receipt,
    Submission,
    SubmissionStatus,
    utcnow,
)
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

    def answers(self, submission_id: int) -> dict[str, AnswerLike]:
        """The answers as the focal person has them: each sent answer, or its change waiting for «Gửi lại»."""
        current: dict[str, AnswerLike] = dict(self.sent_answers(submission_id))
        current.update(self.pending(submission_id))
        return current

    def sent_answers(self, submission_id: int) -> dict[str, Answer]:
        """The answers analysts see (a draft's answers, or what was last sent), by question key."""
        rows = self.session.scalars(select(Answer).where(Answer.submission_id == submission_id))
        return {a.question_key: a for a in rows}

    def pending(self, submission_id: int) -> dict[str, PendingAnswer]:
        """Changes made after sending that wait for «Gửi lại», by question key."""
        rows = self.session.scalars(select(PendingAnswer).where(PendingAnswer.submission_id == submission_id))
        return {p.question_key: p for p in rows}

    def answer(self, submission_id: int, key: str) -> AnswerLike | None:
        """The current answer to one question as the focal person has it (its pending change first)."""
        return self._pending_row(submission_id, key) or self._sent_row(submission_id, key)

    def _sent_row(self, submission_id: int, key: str) -> Answer | None:
        return self.session.scalar(
            select(Answer).where(Answer.submission_id == submission_id, Answer.question_key == key))

    def _pending_row(self, submission_id: int, key: str) -> PendingAnswer | None:
        return self.session.scalar(select(PendingAnswer).where(PendingAnswer.submission_id == submission_id,
                                                               PendingAnswer.question_key == key))

    def change(self, submission: Submission, key: str, change: AnswerChange, person_id: int | None,
               channel: str | None) -> AnswerLike:
        """Apply one change to an answer and keep it as a new revision.

        On a draft the answer itself changes. On a sent submission the change goes to the question's pending
        row (a copy of the sent answer on its first change), so analysts keep seeing what was sent until
        `publish` runs on «Gửi lại»; the revision is marked pending until then.
        """
        after_sending = submission.status == SubmissionStatus.SUBMITTED
        target: AnswerLike | None
        if after_sending:
            target = self._pending_row(submission.id, key)
            if target is None:
                sent = self._sent_row(submission.id, key)
                target = PendingAnswer(submission_id=submission.id, question_key=key, revision=0, skipped=False,
                                       provisional=False)
                if sent is not None:
                    for name in ANSWER_FIELDS:
                        setattr(target, name, getattr(sent, name))
                self.session.add(target)
        else:
            target = self._sent_row(submission.id, key)
            if target is None:
                target = Answer(submission_id=submission.id, question_key=key, revision=0, skipped=False,
                                provisional=False)
                self.session.add(target)
        _apply(target, change)
        target.revision += 1
        target.updated_by, target.updated_at = person_id, utcnow()
        submission.updated_at, submission.version = utcnow(), submission.version + 1
        self.session.add(AnswerRevision(
            submission_id=submission.id, question_key=key, revision=target.revision, action=change.action,
            raw_text=target.raw_text, value=target.value, skipped=target.skipped, provisional=target.provisional,
            note=target.note, comparison=target.comparison, changed_by=person_id, channel=channel,
            source_name=change.source.name[:255] if change.source else None,
            source_sha256=change.source.sha256 if change.source else None, changed_at=target.updated_at,
            pending=after_sending,
        ))
        return target

    def publish(self, submission: Submission) -> list[str]:
        """Sending again: every pending change becomes the answer analysts see; the keys changed.

        Runs in the caller's transaction with the new receipt, so a crash leaves either both or neither.
        """
        changed = []
        for key, row in sorted(self.pending(submission.id).items()):
            answer = self._sent_row(submission.id, key)
            if answer is None:
                answer = Answer(submission_id=submission.id, question_key=key)
                self.session.add(answer)
            for name in ANSWER_FIELDS:
                setattr(answer, name, getattr(row, name))
            changed.append(key)
        self.session.flush()
        self.session.execute(delete(PendingAnswer).where(PendingAnswer.submission_id == submission.id))
        self.session.execute(update(AnswerRevision).where(AnswerRevision.submission_id == submission.id,
                                                          AnswerRevision.pending.is_(True)).values(pending=False))
        return changed

    def revisions(self, submission_id: int, key: str | None = None,
                  sent_only: bool = False) -> Sequence[AnswerRevision]:
        """Every revision of a submission (or of one answer), oldest first; `sent_only` leaves out the
        changes waiting for «Gửi lại» (what an analyst may see)."""
        stmt = select(AnswerRevision).where(AnswerRevision.submission_id == submission_id)
        if key:
            stmt = stmt.where(AnswerRevision.question_key == key)
        if sent_only:
            stmt = stmt.where(AnswerRevision.pending.is_(False))
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


def _apply(answer: AnswerLike, change: AnswerChange) -> None:
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
