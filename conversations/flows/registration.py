"""Registering with an invite, and what an unregistered person is told."""

from __future__ import annotations

from conversations.invites import create_link_code, redeem
from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.turn import Turn
from storage.models import OutboxMessage, OutboxStatus, Role, utcnow

ROLE_KEYS = {Role.FOCAL: "dialogue.role_focal", Role.ANALYST: "dialogue.role_analyst", Role.ADMIN: "dialogue.role_admin"}


def start(turn: Turn, code: str) -> None:
    """`/start [CODE]`: redeem a code, or greet a known person, or explain how to get an invite."""
    code = code.strip()
    if code:
        register(turn, code)
    elif has_access(turn):
        welcome_back(turn)
    else:
        not_registered(turn)


def register(turn: Turn, code: str) -> None:
    """Bind this chat to the unit and role of the invite."""
    result = redeem(turn.uow, turn.identity, code, turn.now)
    if result.outcome == "linked":
        turn.__dict__.pop("person", None)
        turn.__dict__.pop("grants", None)
        turn.say(turn.t("dialogue.linked", channel=turn.sender.channel), buttons=menu_buttons(turn))
        tell_other_accounts(turn)
        return
    if result.outcome != "ok":
        turn.say(turn.t(f"dialogue.invite_{result.outcome}"))
        return
    invite = result.invite
    assert invite is not None
    turn.__dict__.pop("person", None)  # the identity now has a person
    turn.__dict__.pop("grants", None)
    role = turn.t(ROLE_KEYS[invite.role])
    turn.say(turn.t("dialogue.registered", name=salutation(turn),
                    role=role, unit=invite.unit.name), buttons=menu_buttons(turn))


def tell_other_accounts(turn: Turn) -> None:
    """A new account was linked to the person: each of their other accounts hears of it (a stolen link code
    would otherwise go unnoticed)."""
    assert turn.person is not None
    at = turn.clock.local(turn.now).strftime("%H:%M %d/%m/%Y")
    name = turn.sender.display_name or turn.identity.external_id
    for other in turn.uow.people.identities_of([turn.person.id]):
        if other.id == turn.identity.id:
            continue
        text = turn.t("access.linked_elsewhere", channel=turn.sender.channel, name=name, at=at)
        payload, _ = to_payload(TextOut(text, turn.t("access.title")))
        turn.uow.outbox.add(OutboxMessage(channel=other.channel, chat_id=other.chat_id, identity_id=other.id,
                                          kind="notice", payload=payload, status=OutboxStatus.PENDING,
                                          attempts=0, next_attempt_at=utcnow()))


def welcome_back(turn: Turn) -> None:
    """A registered person typed /start again."""
    units = ", ".join(f"{turn.t(ROLE_KEYS[g.role])} {g.unit.name}" for g in turn.grants)
    turn.say(turn.t("dialogue.welcome_back", name=salutation(turn), roles=units),
             buttons=menu_buttons(turn))


def salutation(turn: Turn) -> str:
    """` Anh/Chị Lê Thị B` when the invite named the person, else ` Anh/Chị` (leading space included)."""
    name = turn.person.display_name if turn.person else ""
    if turn.lang != "vi":
        return f", {name}" if name and name != "Anh/Chị" else ""
    return f" Anh/Chị {name}" if name and name != "Anh/Chị" else " Anh/Chị"


def has_access(turn: Turn) -> bool:
    """True for a registered person who still holds a role (an administrator may have taken all back)."""
    return turn.person is not None and bool(turn.grants)


def not_registered(turn: Turn) -> None:
    """The only thing an unregistered person, or one whose access was taken back, is told."""
    turn.say(turn.t("access.no_access" if turn.person is not None else "dialogue.not_registered"))


def menu_buttons(turn: Turn) -> list[list]:
    """The main actions for the person's roles."""
    rows = []
    if turn.has_role(Role.FOCAL):
        rows.append([turn.button("dialogue.btn_submit", "cmd:nop"), turn.button("dialogue.btn_deadlines", "cmd:han")])
    if turn.has_role(Role.ANALYST, Role.ADMIN):
        rows.append([turn.button("dialogue.btn_summary", "cmd:tonghop"),
                     turn.button("dialogue.btn_missing", "cmd:thieu")])
        rows.append([turn.button("web.btn", "cmd:web")])
    rows.append([turn.button("dialogue.btn_help", "cmd:huongdan")])
    return rows


def link(turn: Turn, _args: str = "") -> None:
    """`/lienket`: a code to use the same account on another channel (Telegram ↔ Zalo)."""
    if turn.person is None or not turn.grants:
        not_registered(turn)
        return
    code = create_link_code(turn.uow, turn.person.id, turn.grants[0].unit_id, turn.now)
    turn.say(turn.t("dialogue.link_code", code=code))
