"""Build reminder scenarios directly in storage: people with roles and channels, drafts, submissions."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from bot.app import App
from bot.delivery import Delivery
from conversations.forms import FormCache
from conversations.messages import Button, Reply, TextOut
from conversations.reminders import PassReport, run_pass
from storage.models import Identity, OutboxMessage, OutboxStatus, ReminderLog, SubmissionStatus
from storage.period_names import period_name
from storage.repositories import AnswerChange
from storage.values import Shape, Value

_ids = itertools.count(5001)


def add_person(app: App, unit: str, role: str = "focal", name: str = "Lê Thị B", lang: str = "vi",
               channel: str = "test", reachable: bool = True, user_id: int | None = None,
               phone: str | None = None) -> int:
    """A person with `role` on `unit` and one identity on `channel`; returns the person's id."""
    external = str(user_id or next(_ids))
    with app.uow() as uow:
        person = uow.people.add_person(name, lang)
        person.phone = phone
        uow.people.grant(person, role, uow.units.by_code(unit))
        identity = uow.people.ensure_identity(channel, external, external, name)
        identity.person_id, identity.reachable = person.id, reachable
        uow.commit()
        return person.id


def add_identity(app: App, person_id: int, channel: str, external: str, seen: datetime | None,
                 reachable: bool = True) -> None:
    """Another channel account of a person, last seen at `seen`."""
    with app.uow() as uow:
        identity = uow.people.ensure_identity(channel, external, external, None)
        identity.person_id, identity.last_inbound_at, identity.reachable = person_id, seen, reachable
        uow.commit()


def fill(app: App, unit: str, period: str, form: str = "CL", answered: int | None = None,
         provisional: tuple[str, ...] = (), submit: bool = False, at: datetime | None = None) -> None:
    """Answer the first `answered` asked questions (all when None), some provisional; optionally submit."""
    forms = FormCache()
    with app.uow() as uow:
        u, p = uow.units.by_code(unit), uow.periods.by_code(form, period)
        latest = uow.forms.latest(form)
        sub = uow.submissions.ensure(u.id, p.id, latest.id)
        asked = forms.get(uow, latest.id).asked(u.kind, p.slot)
        for q in asked[: len(asked) if answered is None else answered]:
            value = Value(Shape.TEXT, text="1")
            uow.submissions.change(sub, q.key, AnswerChange("answer", "1", value, provisional=q.key in provisional),
                                   None, "test")
        if submit:
            sub.status, sub.submitted_at = SubmissionStatus.SUBMITTED, at
        uow.commit()


def make_official(app: App, unit: str, period: str, form: str = "CL") -> None:
    """Replace every provisional answer with an official one."""
    with app.uow() as uow:
        u, p = uow.units.by_code(unit), uow.periods.by_code(form, period)
        sub = uow.submissions.get(u.id, p.id)
        for key, answer in uow.submissions.answers(sub.id).items():
            if answer.provisional:
                uow.submissions.change(sub, key, AnswerChange("answer", provisional=False), None, "test")
        uow.submissions.publish(sub)  # and sent again: a change after sending waits for that (issue 11 §2)
        uow.commit()


def settle(app: App) -> None:
    """Every dialogue reply so far counts as delivered (tests drive chats without a channel)."""
    with app.uow() as uow:
        uow.session.execute(update(OutboxMessage).where(OutboxMessage.kind != "reminder")
                            .values(status=OutboxStatus.SENT))
        uow.commit()


def log(app: App) -> list[ReminderLog]:
    """The reminder log, oldest first."""
    with app.uow() as uow:
        return list(uow.session.scalars(select(ReminderLog).order_by(ReminderLog.id)))


def outbox(app: App) -> list[OutboxMessage]:
    """Every reminder message queued, oldest first."""
    with app.uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")
                                        .order_by(OutboxMessage.id)))


def identity_of(app: App, person_id: int) -> Identity:
    with app.uow() as uow:
        return uow.session.scalars(select(Identity).where(Identity.person_id == person_id)).first()


@dataclass
class Recorder:
    """A channel that keeps what it was asked to send, with the (fixed) clock's time."""

    app: App
    name: str = "test"
    sent: list[tuple[datetime, str, Reply]] = field(default_factory=list)

    async def send(self, chat_id: str, reply: Reply, meta: object = None) -> None:
        self.sent.append((self.app.clock.now(), chat_id, reply))

    def texts(self, chat_id: str, period: str | None = None) -> list[TextOut]:
        """Text messages sent to a chat (the parts of a bundled one each on its own), only those about
        `period` (in the title) when given."""
        # titles name a period as people do («Quý IV/2026»); any other text is looked for as it is
        named = period_name(period) if period and re.fullmatch(r"20\d\d(-[A-Z]\d+)?", period) else period
        return [r for _, c, sent in self.sent if c == chat_id and isinstance(sent, TextOut)
                for r in unbundle(sent) if named is None or named in (r.title or "")]

    def messages(self, chat_id: str) -> list[TextOut]:
        """Text messages sent to a chat, as sent."""
        return [r for _, c, r in self.sent if c == chat_id and isinstance(r, TextOut)]


BUNDLE_TITLES = re.compile(r"^(Nhắc việc|Reminders): \d+ ")
PART = re.compile(r"^(\d+)\. ")


def unbundle(reply: TextOut) -> list[TextOut]:
    """The parts of one message that bundles several nudges (`messages.bundle`), each as if sent alone."""
    if not BUNDLE_TITLES.match(reply.title or ""):
        return [reply]
    out = []
    for i, part in enumerate(reply.text.split("\n\n"), 1):
        title, _, text = PART.sub("", part, count=1).partition("\n")
        rows = tuple(tuple(Button(b.label.split(". ", 1)[1], b.data) for b in row if b.label.startswith(f"{i}. "))
                     for row in reply.buttons)
        out.append(TextOut(text, title, tuple(r for r in rows if r)))
    return out


class Bot:
    """Passes and delivery on the app's clock, as `chitieu run` does them."""

    def __init__(self, app: App) -> None:
        self.app, self.forms = app, FormCache()
        self.channel = Recorder(app)
        self.delivery = Delivery(app.uow, {"test": self.channel}, wall=app.clock.now)

    def tick(self, dry_run: bool = False) -> PassReport:
        """One pass now, then drain the outbox."""
        import asyncio

        report = run_pass(self.app.uow, self.forms, self.app.clock.tz, self.app.clock.now(), dry_run)
        asyncio.run(self._drain())
        return report

    async def _drain(self) -> None:
        while await self.delivery.drain():
            pass
