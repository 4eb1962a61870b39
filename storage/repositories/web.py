"""Sign-in links, browser sessions and failed sign-ins of the web view (hashes only, never tokens)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from storage.models import ReminderLog, WebSession, WebSignIn, WebSignInFailure
from storage.repositories.base import Repository


class WebRepository(Repository):
    """Where the web view keeps who is signed in."""

    def add_sign_in(self, person_id: int, token_hash: str, now: datetime, expires_at: datetime) -> WebSignIn:
        """Store a new sign-in link for `person_id`."""
        row = WebSignIn(token_hash=token_hash, person_id=person_id, created_at=now, expires_at=expires_at)
        self.session.add(row)
        self.session.flush()
        return row

    def sign_in(self, token_hash: str) -> WebSignIn | None:
        """The sign-in link with this hash, locked so that two browsers cannot both use it."""
        return self.session.scalar(select(WebSignIn).where(WebSignIn.token_hash == token_hash).with_for_update())

    def add_session(self, person_id: int, token_hash: str, now: datetime, expires_at: datetime) -> WebSession:
        """Store a new browser session."""
        row = WebSession(token_hash=token_hash, person_id=person_id, created_at=now, last_seen_at=now,
                         expires_at=expires_at)
        self.session.add(row)
        self.session.flush()
        return row

    def session_by_hash(self, token_hash: str) -> WebSession | None:
        """The session whose cookie hashes to `token_hash` (ended ones included)."""
        return self.session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))

    def touch(self, session_id: int, now: datetime, expires_at: datetime) -> None:
        """The session was used: push its expiry forward (sliding), unless it has ended meanwhile."""
        self.session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                             .values(last_seen_at=now, expires_at=expires_at))

    def end(self, session_id: int, reason: str, at: datetime) -> None:
        """End one session (logout)."""
        self.session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                             .values(ended_at=at, ended_reason=reason))

    def end_sessions_of(self, person_id: int, reason: str, at: datetime) -> int:
        """End every open session of a person (their access was revoked); how many were open."""
        result = self.session.execute(
            update(WebSession).where(WebSession.person_id == person_id, WebSession.ended_at.is_(None))
            .values(ended_at=at, ended_reason=reason).returning(WebSession.id))
        return len(result.all())

    def open_sessions(self, person_id: int, now: datetime) -> int:
        """How many sessions of the person are open at `now`."""
        return self.session.scalar(select(func.count()).select_from(WebSession).where(
            WebSession.person_id == person_id, WebSession.ended_at.is_(None), WebSession.expires_at > now)) or 0

    def failures_since(self, address: str, since: datetime) -> int:
        """Failed sign-ins from `address` since `since`."""
        return self.session.scalar(select(func.count()).select_from(WebSignInFailure).where(
            WebSignInFailure.address == address, WebSignInFailure.at >= since)) or 0

    def record_failure(self, address: str, at: datetime, forget_before: datetime) -> None:
        """Count a failed sign-in from `address`, dropping its failures older than `forget_before`."""
        self.session.execute(delete(WebSignInFailure).where(WebSignInFailure.address == address,
                                                            WebSignInFailure.at < forget_before))
        self.session.add(WebSignInFailure(address=address[:64], at=at))

    def latest_reminders(self, period_id: int, unit_ids: list[int]) -> dict[int, tuple[datetime, str]]:
        """The latest reminder for each unit in the period (superseded ones aside): when, and its status."""
        if not unit_ids:
            return {}
        latest = (select(func.max(ReminderLog.id)).where(ReminderLog.period_id == period_id,
                                                         ReminderLog.unit_id.in_(unit_ids),
                                                         ReminderLog.status != "skipped")
                  .group_by(ReminderLog.unit_id))
        rows = self.session.execute(select(ReminderLog.unit_id, ReminderLog.planned_for, ReminderLog.status)
                                    .where(ReminderLog.id.in_(latest)))
        return {unit_id: (planned, status) for unit_id, planned, status in rows}
