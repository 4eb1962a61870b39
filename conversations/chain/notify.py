"""Messages to other people than the sender (a unit's focal persons, the collector's analysts), queued in
the same transaction as the change that causes them and sent by the outbox delivery."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.reminders.snapshot import pick_identity
from conversations.turn import Turn
from storage.models import OutboxMessage, OutboxStatus, Role, Unit, utcnow


def notify(turn: Turn, person_ids: Iterable[int], make: Callable[[str], TextOut]) -> list[str]:
    """Queue `make(language)` to each person's reachable identity; the names of those reached."""
    reached = []
    wanted = set(person_ids) - ({turn.person.id} if turn.person else set())
    people = turn.uow.people.people_by_id(wanted)
    identities = turn.uow.people.identities_of(wanted) if wanted else []
    for pid, person in sorted(people.items()):
        identity = pick_identity(i for i in identities if i.person_id == pid)
        if identity is None:
            continue
        payload, _ = to_payload(make(person.language))
        turn.uow.outbox.add(OutboxMessage(channel=identity.channel, chat_id=identity.chat_id, identity_id=identity.id,
                                          kind="notice", payload=payload, status=OutboxStatus.PENDING,
                                          attempts=0, next_attempt_at=utcnow()))
        reached.append(person.display_name)
    return reached


def holders(turn: Turn, unit: Unit, role: str) -> list[int]:
    """People holding `role` on `unit`."""
    return [g.person_id for g in turn.uow.people.holders([unit.id], role)]


def analysts(turn: Turn, unit: Unit) -> list[int]:
    """The unit's analysts."""
    return holders(turn, unit, Role.ANALYST)


def focal_persons(turn: Turn, unit: Unit) -> list[int]:
    """The unit's focal persons."""
    return holders(turn, unit, Role.FOCAL)
