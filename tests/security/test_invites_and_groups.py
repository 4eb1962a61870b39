"""Invites cannot be guessed, reused or kept past their date; group chats never get a unit's data.

tests/conversations/test_registration.py covers the basic refusals (used, expired, five wrong guesses
throttle a chat); these add what a patient attacker would try next.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from conversations.invites import MAX_FAILURES_PER_HOUR, canonical
from conversations.messages import ButtonIn, FileIn, Sender
from storage.models import OutboxMessage
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.helpers.figures import figure
from tests.reports.factories import filled

INVITES = 300


def test_codes_are_random_enough_and_never_repeat(app: App) -> None:
    codes = [invite(app, "QUANGTRI") for _ in range(INVITES)]
    symbols = [canonical(c) for c in codes]
    assert len(set(symbols)) == INVITES, "no two invites share a code"
    alphabet = set("".join(symbols))
    length = {len(s) for s in symbols}
    assert len(length) == 1
    # every symbol drawn from an alphabet of at least 32 (seen in 300 codes of 12 symbols: 3.600 draws)
    bits = length.pop() * math.log2(len(alphabet))
    assert len(alphabet) >= 32 and bits >= 40, f"{bits:.0f} bits"
    assert not alphabet & set("IO01"), "no look-alike symbols"
    figure(f"[invites] codes={INVITES} distinct={len(set(symbols))} alphabet={len(alphabet)} bits={bits:.0f}")


def test_a_code_works_once_even_for_the_person_who_used_it(app: App) -> None:
    code = invite(app, "QUANGTRI", "analyst")
    chat = Chat(app.dialogue_service(), "once")
    chat.send(f"/start {code}")
    assert "cán bộ tổng hợp của Quảng Trị" in chat.text
    chat.send(f"/start {code}")
    assert "đã được sử dụng" in chat.text
    chat.send(code)  # typed bare, as on Zalo
    assert "đã được sử dụng" in chat.text or "Chào Anh/Chị" not in chat.text


def test_a_code_expires_at_the_end_of_its_last_day_and_not_before(app: App) -> None:
    code = invite(app, "QUANGTRI", days=2)
    app.clock.advance(days=2, minutes=1)  # type: ignore[attr-defined]
    late = Chat(app.dialogue_service(), "late")
    late.send(f"/start {code}")
    assert "đã hết hạn" in late.text
    late.send("/nop")
    assert "chưa được đăng ký" in late.text
    fresh = invite(app, "QUANGTRI", days=2)
    app.clock.advance(days=1, hours=23)  # type: ignore[attr-defined]
    Chat(app.dialogue_service(), "in-time").send(f"/start {fresh}")


def test_a_link_code_expires_after_a_day(app: App, registered: Callable[..., Chat]) -> None:
    focal = registered("QUANGTRI")
    focal.send("/lienket")
    code = focal.text.split("Mã liên kết của Anh/Chị: ")[1].split()[0]
    app.clock.advance(hours=24, minutes=1)  # type: ignore[attr-defined]
    zalo = Chat(app.dialogue_service(), "zalo-late", channel="zalo")
    zalo.send(code)
    assert "đã hết hạn" in zalo.text
    zalo.send("/nop")
    assert "chưa được đăng ký" in zalo.text


def test_guessing_is_throttled_for_bare_codes_and_for_registered_people_too(app: App,
                                                                            registered: Callable[..., Chat]) -> None:
    guesser = Chat(app.dialogue_service(), "guesser", channel="zalo")
    for _ in range(MAX_FAILURES_PER_HOUR):
        guesser.send("AAAA-BBBB-CCCC")
        assert "Mã mời không đúng" in guesser.text
    guesser.send(invite(app, "QUANGTRI"))
    assert "quá nhiều lần" in guesser.text
    guesser.send("/nop")
    assert "chưa được đăng ký" in guesser.text, "the right code after five wrong ones did not get in"

    focal = registered("HANOI")  # a registered person fishing for an analyst's invite
    for _ in range(MAX_FAILURES_PER_HOUR):
        focal.send("/start ZZZZ-ZZZZ-ZZZZ")
        assert "Mã mời không đúng" in focal.text
    focal.send(f"/start {invite(app, 'CBC', 'analyst')}")
    assert "quá nhiều lần" in focal.text
    focal.send("/tonghop")
    assert "chỉ dành cho cán bộ tổng hợp" in focal.text


def test_throttling_is_per_account_and_does_not_lock_out_others(app: App) -> None:
    guesser = Chat(app.dialogue_service(), "guesser2")
    for _ in range(MAX_FAILURES_PER_HOUR):
        guesser.send("/start AAAA-BBBB-CCCC")
    other = Chat(app.dialogue_service(), "honest")
    other.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "đã được đăng ký" in other.text


GROUP_ACTIONS = ("/start", "/nop", "/nop 2025-Q3", "/xem", "/xem 2025-Q3", "/han", "/huy", "/huongdan", "/lang en",
                 "/lienket", "/tonghop 2025-Q3", "/thieu 2025-Q3", "/chitieu 2 2025-Q3", "/nhacnho", "/sua")


def test_every_command_in_a_group_gets_only_the_pointer_to_the_private_chat(
        app: App, registered: Callable[..., Chat]) -> None:
    filled(app, ("QUANGTRI", "CL", "2025-Q3", {"ct1": "1.313.131/686.869", "ct2": "131.313/171.717"}))
    people = {"focal": registered("QUANGTRI", user_id="gfocal"), "analyst": registered("CBC", "analyst", "ganalyst"),
              "admin": registered("CBC", "admin", "gadmin"), "stranger": None}
    cells = 0
    for who, private in people.items():
        group = Chat(app.dialogue_service(), f"g{who}")
        group.sender = Sender("test", private.sender.user_id if private else "gstranger", "-100777", who, "group")
        for action in GROUP_ACTIONS:
            group.send(action)
            cells += 1
            assert len(group.replies) == 1 and "tin nhắn riêng" in group.text, (who, action, group.text)
            assert group.labels == [] and "131.313" not in group.text and "Quảng Trị" not in group.text
        for event in (ButtonIn("cmd:tonghop"), ButtonIn("send:1"), FileIn("photo")):
            assert group.event(event) == [], (who, event)
        for text in ("62/38", "tong hop 2025-Q3", "xem"):
            assert all("131.313" not in getattr(r, "text", "") for r in group.send(text))
            cells += 1
    figure(f"[groups] cells={cells} data shown=0")


def test_reminders_go_to_the_private_chat_even_if_the_person_first_wrote_in_a_group(app: App) -> None:
    person = Chat(app.dialogue_service(), "gfirst")
    person.sender = Sender("test", "gfirst", "-100888", "Lan", "group")
    person.send("/nop")  # first contact: in the unit's group chat
    person.sender = Sender("test", "gfirst", "gfirst", "Lan", "private")
    person.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "đã được đăng ký" in person.text
    app.clock.set(vn(2026, 12, 7, 8, 45))  # type: ignore[attr-defined]
    admin = Chat(app.dialogue_service(), "gadmin2")
    admin.send(f"/start {invite(app, 'CBC', 'admin')}")
    admin.send("/nhacnho")
    assert "tin nhắc đã xếp gửi" in admin.text, admin.text
    with app.uow() as uow:
        identity = uow.people.identity("test", "gfirst")
        reminders = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.identity_id == identity.id,
                                                                    OutboxMessage.kind == "reminder")).all()
    assert reminders and {r.chat_id for r in reminders} == {"gfirst"}, "a reminder (the unit's name and status) went to a group"
