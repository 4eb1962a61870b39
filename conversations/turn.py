"""One incoming message being handled: the unit of work, who is writing, their state, and the replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from conversations.clock import Clock
from conversations.forms import FormCache
from conversations.messages import Button, Reply, Sender, TextOut
from conversations.state import State
from storage.i18n import Catalog, locales_of
from storage.models import Identity, Person, Role, RoleGrant, Unit
from storage.uow import UnitOfWork

TEXTS = Catalog.load(locales_of(__file__))


@dataclass
class Turn:
    """Everything a flow needs to answer one message; flows add replies and change `state`."""

    uow: UnitOfWork
    forms: FormCache
    clock: Clock
    sender: Sender
    identity: Identity
    state: State
    now: datetime
    replies: list[Reply] = field(default_factory=list)
    later: list[Callable[[Turn], None]] = field(default_factory=list)  # read-only work after the commit

    @cached_property
    def person(self) -> Person | None:
        """The registered person behind this identity, if any."""
        return self.uow.people.person(self.identity.person_id) if self.identity.person_id else None

    @property
    def lang(self) -> str:
        """The person's language (Vietnamese until they choose otherwise)."""
        return self.person.language if self.person else "vi"

    @property
    def today(self) -> date:
        """Today in the deployment's timezone."""
        return self.clock.local(self.now).date()

    def t(self, key: str, **params: object) -> str:
        """A sentence from the message catalog in the person's language."""
        return TEXTS.text(key, self.lang, **params)

    def say(self, text: str, title: str | None = None, buttons: list[list[Button]] | None = None) -> None:
        """Add a text reply."""
        rows = tuple(tuple(row) for row in (buttons or []) if row)
        self.replies.append(TextOut(text=text, title=title, buttons=rows))

    def button(self, key: str, data: str, **params: object) -> Button:
        """A button labelled from the catalog."""
        return Button(self.t(key, **params), data)

    @cached_property
    def grants(self) -> list[RoleGrant]:
        """The person's active roles."""
        return list(self.uow.people.roles_of(self.person.id)) if self.person else []

    def units_with(self, role: str) -> list[Unit]:
        """Units on which the person holds `role`."""
        return [g.unit for g in self.grants if g.role == role]

    def has_role(self, *roles: str) -> bool:
        """True when the person holds any of `roles`."""
        return any(g.role in roles for g in self.grants)

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.has_role(Role.ADMIN)
