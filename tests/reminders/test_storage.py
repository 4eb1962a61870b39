"""The storage a reminder pass relies on, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.app import App
from bot.delivery import Delivery, Undeliverable
from conversations.forms import FormCache
from conversations.messages import Reply
from conversations.reminders import run_pass
from storage.models import OutboxMessage, OutboxStatus, ReminderLog, utcnow
from tests.helpers.app import make_app
from tests.helpers.clock import vn
from tests.reminders.world import add_person, fill, log, outbox

AT = vn(2026, 12, 14, 8, 30)


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    application = make_app(db_url, at=AT)
    yield application
    application.close()


def entry(app: App, person: int, rule: str = "d-3") -> ReminderLog:
    with app.uow() as uow:
        period, unit = uow.periods.by_code("CL", "2026-Q4"), uow.units.by_code("HUE")
    return ReminderLog(period_id=period.id, unit_id=unit.id, person_id=person, rule=rule, kind="deadline",
                       planned_for=AT, status="pending", created_at=utcnow())


def test_a_reminder_key_is_taken_once(app: App) -> None:
    person = add_person(app, "HUE")
    entries = [entry(app, person), entry(app, person), entry(app, person, "d-1")]
    with app.uow() as uow:
        first, again, other = (uow.reminders.record(e) for e in entries)
        uow.commit()
        keys = uow.reminders.keys_for([first.period_id])
    assert first is not None and first.id and again is None and other is not None
    assert keys == {(first.period_id, first.unit_id, person, "d-3"), (first.period_id, first.unit_id, person, "d-1")}


def test_role_holders_people_and_answer_marks(app: App) -> None:
    focal = add_person(app, "HUE", name="Phạm Văn C")
    gone = add_person(app, "HANOI")
    fill(app, "HUE", "2026-Q4", answered=2, provisional=("ct2",))
    with app.uow() as uow:
        for grant in uow.people.roles_of(gone):
            grant.revoked_at = utcnow()
        uow.commit()
        holders = {person for _, person in uow.people.role_holders("focal")}
        people = uow.people.people_by_id([focal, gone, 999])
        sub = uow.submissions.get(uow.units.by_code("HUE").id, uow.periods.by_code("CL", "2026-Q4").id)
        marks = uow.reminders.answer_marks([sub.id])
    assert holders == {focal}
    assert set(people) == {focal, gone} and people[focal].display_name == "Phạm Văn C"
    assert marks == {sub.id: {"ct1": (True, False), "ct2": (True, True)}}


def test_delivery_marks_the_reminder_sent_or_undeliverable(app: App) -> None:
    accepted = add_person(app, "HUE", user_id=1)
    refused = add_person(app, "HANOI", user_id=2)
    report = run_pass(app.uow, FormCache(), app.clock.tz, vn(2026, 12, 10, 8, 30))  # d+3 of Monday 07/12
    with app.uow() as uow:
        assert uow.outbox.unsent_among(report.outbox_ids) == len(report.outbox_ids) > 0
    channel = _Split()
    asyncio.run(Delivery(app.uow, {"test": channel}, wall=app.clock.now).drain())
    statuses = {(e.person_id, e.status) for e in log(app)}
    assert (accepted, "sent") in statuses and (refused, "undeliverable") in statuses
    assert "pending" not in {s for _, s in statuses}
    with app.uow() as uow:
        assert uow.outbox.unsent_among(report.outbox_ids) == 0
        assert not uow.people.identity("test", "2").reachable
    assert {m.status for m in outbox(app)} == {OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE}


class _Split:
    name = "test"

    async def send(self, chat_id: str, reply: Reply, meta: object = None) -> None:
        if chat_id == "2":
            raise Undeliverable("telegram: Forbidden: bot was blocked by the user")


def test_a_whole_pass_on_either_database(app: App) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    add_person(app, "DANANG", user_id=2)
    add_person(app, "CBC", "analyst", user_id=9)
    fill(app, "DANANG", "2026-Q4", provisional=("ct1",), submit=True)
    report = run_pass(app.uow, FormCache(), app.clock.tz, AT)
    q4 = sorted((d.nudge.unit.code, d.nudge.rule.name, d.action) for d in report.decisions
                if d.nudge.rnd.period.code == "2026-Q4" and d.action == "send")
    assert q4 == [("CBC", "digest+7", "send"), ("CBC", "fwd+3", "send"),  # Cục Báo chí's roll-up, due 10/12
                  ("DANANG", "prov+7", "send"), ("QUANGTRI", "esc+5", "send")]  # d+3 (10/12) is too late
    assert [(d.nudge.unit.code, d.nudge.rule.name) for d in report.decisions if d.action == "expired"
            and d.nudge.rnd.period.code == "2026-Q4"] == [("QUANGTRI", "d+3")]
    assert run_pass(app.uow, FormCache(), app.clock.tz, AT).decisions == []
    with app.uow() as uow:
        rows = uow.session.query(OutboxMessage).filter(OutboxMessage.kind == "reminder").all()
    assert all(isinstance(r.next_attempt_at, datetime) and r.reminder_id for r in rows)


def test_a_refused_message_marks_every_nudge_merged_into_it(app: App) -> None:
    refused = add_person(app, "HANOI", user_id=2)
    with app.uow() as uow:  # the same person answers for Huế too: one message with both nudges
        uow.people.grant(uow.people.people_by_id([refused])[refused], "focal", uow.units.by_code("HUE"))
        uow.commit()
    report = run_pass(app.uow, FormCache(), app.clock.tz, vn(2026, 12, 10, 8, 30))
    assert len(report.outbox_ids) == 1
    with app.uow() as uow:
        q4 = uow.periods.by_code("CL", "2026-Q4").id
    assert sorted(e.status for e in log(app) if e.period_id == q4 and e.rule == "d+3") == ["merged", "pending"]
    asyncio.run(Delivery(app.uow, {"test": _Split()}, wall=app.clock.now).drain())
    assert [e.status for e in log(app) if e.period_id == q4 and e.rule == "d+3"] == ["undeliverable"] * 2
