"""The unit of work: one transaction per incoming message or command, committed at the edge."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import (
    ChainRepository,
    DialogueRepository,
    FormRepository,
    InboxRepository,
    InviteRepository,
    OutboxRepository,
    PeopleRepository,
    PeriodRepository,
    ReminderRepository,
    SubmissionRepository,
    UnitRepository,
    WebRepository,
)


class UnitOfWork:
    """Opens a session with every repository on it; nothing is saved unless `commit()` is called."""

    session: Session

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        s = self.session
        self.units, self.people, self.invites = UnitRepository(s), PeopleRepository(s), InviteRepository(s)
        self.forms, self.periods, self.submissions = FormRepository(s), PeriodRepository(s), SubmissionRepository(s)
        self.dialogues, self.inbox = DialogueRepository(s), InboxRepository(s)
        self.reminders, self.outbox = ReminderRepository(s), OutboxRepository(s)
        self.web = WebRepository(s)
        self.chain = ChainRepository(s)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.close()  # rolls back whatever was not committed; loaded objects stay readable

    def commit(self) -> None:
        """Make everything done in this unit of work durable, at once."""
        self.session.commit()

    def rollback(self) -> None:
        """Drop everything done since the last commit."""
        self.session.rollback()
