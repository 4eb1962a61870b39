"""Signing in from the chat: one-time links, browser sessions, who is looking, CSRF tokens.

No passwords: `/web` gives a link holding a random token (192 bits; only its SHA-256 is stored)
valid for 15 minutes and usable once. Opening it starts a session whose cookie is another random
token (again only its hash is stored), valid 8 hours after the last page seen. Each request
re-reads the person's roles, so the scope always follows the current grants: a person whose roles
were all removed is signed out at their next click (and `end_access` ends their sessions at once).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from reports.scope import Scope, scope_of_grants
from storage.models import Role
from storage.uow import UnitOfWork

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
TOUCH_AFTER = timedelta(minutes=1)  # sliding expiry written at most once a minute per session
FAILURE_WINDOW = timedelta(minutes=10)
MAX_FAILURES = 10  # bad links per address and window, then every sign-in from it waits
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def digest(token: str) -> str:
    """The SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_sign_in(uow: UnitOfWork, person_id: int, now: datetime) -> str:
    """A fresh one-time sign-in token for the person (the caller commits and sends it)."""
    token = secrets.token_urlsafe(24)
    uow.web.add_sign_in(person_id, digest(token), now, now + LINK_LIFETIME)
    return token


@dataclass(frozen=True)
class SignedIn:
    """A new session: the person and the cookie value to give the browser."""

    person_id: int
    cookie: str


def redeem(uow: UnitOfWork, token: str, address: str, now: datetime) -> SignedIn | str:
    """Use a sign-in link; else why not: `limited`, `unknown`, `used`, `expired` or `no_access`."""
    if uow.web.failures_since(address, now - FAILURE_WINDOW) >= MAX_FAILURES:
        return "limited"
    row = uow.web.sign_in(digest(token)) if _TOKEN.fullmatch(token) else None
    problem = "unknown" if row is None else "used" if row.used_at else "expired" if row.expires_at <= now else None
    if row is None or problem:
        uow.web.record_failure(address, now, now - FAILURE_WINDOW)
        return problem or "unknown"
    row.used_at = now  # used even if the person turns out to have no role left
    if not _may_look(uow, row.person_id):
        return "no_access"
    cookie = secrets.token_urlsafe(32)
    uow.web.add_session(row.person_id, digest(cookie), now, now + SESSION_LIFETIME)
    return SignedIn(row.person_id, cookie)


def _may_look(uow: UnitOfWork, person_id: int) -> bool:
    return any(g.role in Role.ALL for g in uow.people.roles_of(person_id))


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their scope as an analyst (None if they are not one) and their own units."""

    session_id: int
    person_id: int
    name: str
    lang: str
    scope: Scope | None
    focal_units: tuple[tuple[str, str], ...]  # (code, name) of the units where the person is a focal person
    csrf: str
    stale: bool  # the sliding expiry is due to be pushed forward

    @property
    def analyst(self) -> bool:
        """True for analysts and administrators."""
        return self.scope is not None


@dataclass(frozen=True)
class Revoked:
    """A live session whose person no longer holds any role: to be ended."""

    session_id: int


def look_up(uow: UnitOfWork, cookie: str, now: datetime) -> Viewer | Revoked | None:
    """The viewer behind a session cookie; None when there is no live session."""
    if not _TOKEN.fullmatch(cookie):
        return None
    session = uow.web.session_by_hash(digest(cookie))
    if session is None or session.ended_at is not None or session.expires_at <= now:
        return None
    person = uow.people.person(session.person_id)
    grants = list(uow.people.roles_of(session.person_id)) if person else []
    scope = scope_of_grants(grants)
    focal = tuple(dict.fromkeys((g.unit.code, g.unit.name) for g in grants if g.role == Role.FOCAL))
    if person is None or (scope is None and not focal):
        return Revoked(session.id)
    return Viewer(session.id, person.id, person.display_name, person.language, scope, focal, csrf_token(cookie),
                  now - session.last_seen_at >= TOUCH_AFTER)


def slide(uow: UnitOfWork, viewer: Viewer, now: datetime) -> None:
    """Push the session's expiry 8 hours past now (the caller commits)."""
    uow.web.touch(viewer.session_id, now, now + SESSION_LIFETIME)


def end_access(uow: UnitOfWork, person_id: int, now: datetime, reason: str = "revoked") -> int:
    """End every web session of a person (roles removed, person removed); the caller commits.

    The hook for the access-revocation commands: call it in the same unit of work that revokes.
    """
    return uow.web.end_sessions_of(person_id, reason, now)


def csrf_token(cookie: str) -> str:
    """The form token of a session: derived from its cookie, so it needs no storage."""
    return hmac.new(cookie.encode(), b"chitieu-web-csrf", hashlib.sha256).hexdigest()


def csrf_ok(cookie: str, given: str) -> bool:
    """True when a posted form token belongs to this session."""
    return bool(given) and hmac.compare_digest(csrf_token(cookie), given)
