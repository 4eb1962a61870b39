"""Repositories on SQLite and PostgreSQL: revisions, exactly-once keys, outbox claims, dialogue state."""

from __future__ import annotations

from datetime import timedelta

from conversations.parsing import AnswerSpec, parse_answer
from storage.models import OutboxMessage, ReminderLog, utcnow
from storage.repositories import AnswerChange
from storage.values import Shape
from tests.helpers.app import make_app


def test_every_change_is_a_revision_with_who_and_when(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        unit, period = uow.units.by_code("HANOI"), uow.periods.by_code("CL", "2026-Q4")
        sub = uow.submissions.ensure(unit.id, period.id, uow.forms.latest("CL").id)
        person = uow.people.add_person("Trần Văn C")
        for raw, prov in (("70/30", True), ("68/32", False)):
            value = parse_answer(raw, AnswerSpec(Shape.SHARE_PAIR))
            uow.submissions.change(sub, "ct1", AnswerChange("answer", raw_text=raw, value=value, provisional=prov),
                                   person.id, "test")
        uow.submissions.change(sub, "ct1", AnswerChange("note", note="nguồn: Sở"), person.id, "test")
        uow.commit()
    with app.uow() as uow:
        answer = uow.submissions.answers(sub.id)["ct1"]
        assert (answer.raw_text, answer.a, answer.b, answer.provisional, answer.note) == \
               ("68/32", 68.0, 32.0, False, "nguồn: Sở")
        revisions = uow.submissions.revisions(sub.id, "ct1")
        assert [(r.revision, r.raw_text, r.provisional, r.note) for r in revisions] == [
            (1, "70/30", True, None), (2, "68/32", False, None), (3, "68/32", False, "nguồn: Sở")]
        assert all(r.changed_by == person.id for r in revisions)
        assert uow.submissions.by_id(sub.id).version == 3
    app.close()


def test_ensure_submission_twice_gives_the_same_row(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        unit, period, form = uow.units.by_code("HANOI"), uow.periods.by_code("CL", "2026-Q4"), uow.forms.latest("CL")
        assert uow.submissions.ensure(unit.id, period.id, form.id).id == uow.submissions.ensure(
            unit.id, period.id, form.id).id
        uow.commit()
    app.close()


def test_update_log_and_reminder_log_record_once(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        assert uow.inbox.receive("telegram", "42", "c", {"x": 1}) is True
        assert uow.inbox.receive("telegram", "42", "c", {"x": 1}) is False, "a redelivery"
        assert [e.update_key for e in uow.inbox.pending("telegram")] == ["42"]
        assert uow.inbox.start_applying("telegram", "42") is True
        assert uow.inbox.start_applying("telegram", "42") is False, "applied once"
        assert uow.inbox.pending("telegram") == []
        assert uow.inbox.start_applying("zalo", "42") is True, "keys are per channel"
        person = uow.people.add_person("X")
        unit, period = uow.units.by_code("HANOI"), uow.periods.by_code("CL", "2026-Q4")
        entry = dict(period_id=period.id, unit_id=unit.id, person_id=person.id, rule="due-3", kind="nudge",
                     planned_for=utcnow(), status="queued")
        assert uow.reminders.record(ReminderLog(**entry)) is not None
        assert uow.reminders.record(ReminderLog(**entry)) is None
        uow.commit()
    app.close()


def test_outbox_claims_due_messages_once_and_retakes_stale_claims(db_url: str) -> None:
    app = make_app(db_url)
    now = utcnow()
    with app.uow() as uow:
        ids = [uow.outbox.add(OutboxMessage(channel="test", chat_id="c", payload={"type": "text", "text": str(i)})).id
               for i in range(3)]
        uow.commit()
    with app.uow() as uow:
        claimed = [m.id for m in uow.outbox.claim(now + timedelta(seconds=1), limit=2)]
        uow.commit()
    assert claimed == ids[:2]
    with app.uow() as uow:
        assert [m.id for m in uow.outbox.claim(now + timedelta(seconds=1))] == [ids[2]]
        uow.commit()
    with app.uow() as uow:
        assert uow.outbox.claim(now + timedelta(seconds=2)) == []
        stale = [m.id for m in uow.outbox.claim(now + timedelta(minutes=5))]
        assert stale == ids
        uow.outbox.mark_sent(ids[0], now)
        uow.outbox.retry_later(ids[1], now + timedelta(minutes=10), "boom")
        uow.outbox.give_up(ids[2], "blocked")
        uow.commit()
    with app.uow() as uow:
        assert uow.outbox.count("sent") == 1 and uow.outbox.count("undeliverable") == 1
        assert uow.outbox.has_unsent_before("test", "c", ids[2])
    app.close()


def test_dialogue_state_round_trips(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        identity = uow.people.ensure_identity("test", "u1", "u1", "A")
        assert uow.dialogues.load(identity.id) is None
        uow.dialogues.save(identity.id, {"mode": "answering", "key": "ct2"})
        uow.dialogues.save(identity.id, {"mode": "review", "key": None})
        uow.commit()
    with app.uow() as uow:
        assert uow.dialogues.load(identity.id) == {"mode": "review", "key": None}
    app.close()
