"""Registering with an invite, and what an unregistered person is told."""

from __future__ import annotations

from conversations.invites import accept, create_link_code, pending_invite, redeem
from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.state import Mode
from conversations.turn import TEXTS, Turn
from storage.models import Invite, OutboxMessage, OutboxStatus, Role, utcnow

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
    if result.outcome in ("confirm", "other_name", "already"):
        _second_invite(turn, result.outcome, result.invite)
        return
    if result.outcome != "ok":
        turn.say(turn.t(f"dialogue.invite_{result.outcome}"))
        return
    invite = result.invite
    assert invite is not None
    turn.__dict__.pop("person", None)  # the identity now has a person
    turn.__dict__.pop("grants", None)
    role = turn.t(ROLE_KEYS[invite.role])
    turn.say(turn.t("dialogue.registered", name=salutation(turn), role=role, unit=invite.unit.name,
                    next=first_steps(turn)), buttons=menu_buttons(turn))


def first_steps(turn: Turn) -> str:
    """What to type first, for the person's roles only (an analyst is not told to /nop, unless they may)."""
    commands = []
    if turn.has_role(Role.FOCAL) or (turn.has_role(Role.ANALYST) and _answers_something(turn)):
        commands.append(turn.t("dialogue.first_nop"))
    if turn.has_role(Role.ANALYST, Role.ADMIN):
        commands.append(turn.t("dialogue.first_summary"))
    commands.append(turn.t("dialogue.first_help"))
    return turn.t("dialogue.first_steps", commands=", ".join(commands))


def _answers_something(turn: Turn) -> bool:
    from conversations.flows.sheets import open_options

    return bool(open_options(turn))


def _roles(turn: Turn) -> str:
    return ", ".join(f"{turn.t(ROLE_KEYS[g.role])} {g.unit.name}" for g in turn.grants)


def _second_invite(turn: Turn, outcome: str, invite: Invite | None) -> None:
    """A new invite typed in a registered chat: say what would change and ask; never take someone else's."""
    assert invite is not None
    role = f"{turn.t(ROLE_KEYS[invite.role])} {invite.unit.name}"
    if outcome == "other_name":
        turn.say(turn.t("dialogue.invite_other_name", invited=invite.display_name, name=salutation(turn)))
    elif outcome == "already":
        turn.say(turn.t("dialogue.invite_already", role=role), buttons=menu_buttons(turn))
    else:
        turn.state.leave()  # answers are saved; /nop resumes them
        turn.state.mode, turn.state.pending = Mode.CONFIRMING, {"invite": invite.id}
        _ask_confirm(turn, invite, turn.t("dialogue.invite_confirm", role=role, roles=_roles(turn)))


def _ask_confirm(turn: Turn, invite: Invite, text: str) -> None:
    turn.say(text, buttons=[[turn.button("dialogue.btn_yes", f"inv:yes:{invite.id}"),
                             turn.button("dialogue.btn_no", f"inv:no:{invite.id}")]])


def _waiting(turn: Turn, invite_id: str = "") -> Invite | None:
    """The invite this chat was asked to confirm (None if the question is gone or the invite no longer usable)."""
    pending = turn.state.pending or {}
    if turn.state.mode != Mode.CONFIRMING or "invite" not in pending or (invite_id and invite_id != str(
            pending["invite"])):
        return None
    return pending_invite(turn.uow, int(pending["invite"]), turn.now)


def on_confirm(turn: Turn, rest: str) -> None:
    """«Có» / «Không» (pressed or typed) under the question about a second invite."""
    answer, _, invite_id = rest.partition(":")
    invite = _waiting(turn, invite_id)
    if invite is None or turn.person is None:
        turn.state.leave()
        turn.say(turn.t("dialogue.invite_confirm_gone"), buttons=menu_buttons(turn))
        return
    turn.state.leave()
    if answer != "yes":
        turn.say(turn.t("dialogue.invite_declined"), buttons=menu_buttons(turn))
        return
    accept(turn.uow, turn.person, invite, turn.now)
    turn.__dict__.pop("grants", None)
    role = f"{turn.t(ROLE_KEYS[invite.role])} {invite.unit.name}"
    turn.say(turn.t("dialogue.invite_added", role=role, roles=_roles(turn), next=first_steps(turn)),
             buttons=menu_buttons(turn))


def confirm_again(turn: Turn) -> None:
    """Something other than yes or no typed while the second invite waits for an answer."""
    invite = _waiting(turn)
    if invite is None:
        turn.state.leave()
        turn.say(turn.t("dialogue.invite_confirm_gone"), buttons=menu_buttons(turn))
        return
    role = f"{turn.t(ROLE_KEYS[invite.role])} {invite.unit.name}"
    _ask_confirm(turn, invite, turn.t("dialogue.invite_confirm_again", role=role))


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


def not_allowed(turn: Turn, name: str, roles: tuple[str, ...]) -> None:
    """A command the person's roles cannot use: the refusal names the roles that can, and what to do instead."""
    names = turn.t("dialogue.roles_or").join(turn.t(f"dialogue.role_name_{r}") for r in roles
                                              if r in (Role.FOCAL, Role.ANALYST, Role.ADMIN))
    text = turn.t("dialogue.not_allowed", name=name, roles=names)
    hint = f"dialogue.not_allowed_hint_{name}"
    if TEXTS.has(hint):
        text += " " + turn.t(hint)
    turn.say(text, buttons=menu_buttons(turn))


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
