"""Hostile or odd input through the chat: a clear Vietnamese reply, never an exception, the state intact.

Each input is sent in each place a person can be: idle, unregistered, at a figure, at a text section,
writing a note, writing a comparison, on the review, choosing an answer to change. Afterwards the
person is at the same step (or one step on, when the input was a fair answer), the reply fits in one
Telegram message, and the stored answers changed only by that fair answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from bot.app import App
from conversations.messages import TextOut
from storage.values import Value
from tests.conversations.test_submission import open_q4, stored
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat

TELEGRAM_LIMIT = 4096
HOSTILE = {
    "100 kB of letters": "a" * 100_000,
    "100 kB of digits": "9" * 100_000,
    "100 kB of words": "Xu hướng tăng " * 7_200,
    "a 100 kB figure": "62" + "0" * 50_000 + "/38" + "0" * 50_000,
    "NUL": "\x00",
    "NUL inside": "62\x00/38",
    "control characters": "\x07\x08\x1b[31m62/38\x1b[0m\x7f",
    "only spaces and newlines": " \n\t \r\n ",
    "HTML": "<b>62</b>/<i>38</i> <script>alert(1)</script> &amp; &lt; <a href='x'>",
    "Markdown": "*62*/_38_ [bấm](http://evil.example) `x` ~~y~~",
    "emoji": "👍😀🇻🇳 62/38 🙏",
    "right-to-left": "\u202e83/26\u202c \u200f\u0645\u0631\u062d\u0628\u0627",
    "zero-width": "6\u200b2/3\u200d8\ufeff",
    "combining marks": "6\u03362\u0336/3\u03368\u0336",
    "lone surrogate": "62/38 \ud800",
    "a command with a huge argument": "/nop " + "9" * 10_000,
    "a huge command name": "/" + "x" * 5_000,
    "slash only": "/",
    "an invite-shaped code": "AAAA-BBBB-CCCC",
}
FILES = ("photo", "sticker", "document", "voice", "video", "location", "contact", "animation", "video_note")


PROVINCES = itertools.cycle(("QUANGTRI", "HANOI", "HUE", "LAICHAU", "DIENBIEN", "SONLA", "LANGSON", "QUANGNINH", "THANHHOA",
                  "NGHEAN", "HATINH", "CAOBANG", "TUYENQUANG", "LAOCAI", "THAINGUYEN", "PHUTHO", "BACNINH", "HUNGYEN",
                  "HAIPHONG", "NINHBINH", "DANANG", "QUANGNGAI", "GIALAI", "KHANHHOA", "LAMDONG", "DAKLAK", "HCM",
                  "DONGNAI", "TAYNINH", "CANTHO", "VINHLONG", "DONGTHAP", "CAMAU", "ANGIANG"))
UNITS: dict[str, str] = {}  # user id -> unit


def place(app: App, registered: Callable[..., Chat], where: str) -> Chat:
    """A person at one place of the dialogue (each time on a province nobody has answered for yet)."""
    if where == "unregistered":
        stranger = Chat(app.dialogue_service(), "stranger")
        stranger.send("xin chào")
        return stranger
    if where == "analyst":
        return registered("CBC", "analyst")
    unit = next(PROVINCES)
    chat = registered(unit)
    UNITS[chat.sender.user_id] = unit
    if where == "idle":
        return chat
    open_q4(chat)
    if where == "figure":
        return chat
    if where == "note":
        chat.press("Ghi chú")
        return chat
    chat.send("62/38")
    if where == "comparison":
        return chat
    chat.press("Bỏ qua")
    chat.send("120.500/150.000")
    chat.press("Bỏ qua")
    if where == "section":
        return chat
    for answer in ("Xu hướng tăng", None, "Không có", "Đề xuất", "Tổng kết năm"):
        chat.press("Bỏ qua") if answer is None else chat.send(answer)
    if where == "review":
        return chat
    chat.press("Sửa một câu")
    assert where == "picking"
    return chat


PLACES = ("unregistered", "analyst", "idle", "figure", "note", "comparison", "section", "review", "picking")


def position(app: App, chat: Chat) -> dict:
    """Where the person is: the stored dialogue state (without the buttons last shown, which every reply sets)."""
    with app.uow() as uow:
        identity = uow.people.identity(chat.sender.channel, chat.sender.user_id)
        state = dict(uow.dialogues.load(identity.id) or {}) if identity else {}
    state.pop("keyboard", None)
    return state


def answers_of(app: App, chat: Chat) -> dict[str, str | None]:
    unit = UNITS.get(chat.sender.user_id)
    return {k: a.raw_text for k, a in stored(app, unit).items()} if unit else {}


def check_replies(chat: Chat, what: str) -> None:
    texts = [r for r in chat.replies if isinstance(r, TextOut)]
    assert texts, f"{what}: no reply at all"
    for r in texts:
        full = f"{r.title or ''}\n{r.text}"
        assert len(full) <= TELEGRAM_LIMIT, f"{what}: a reply of {len(full)} characters cannot be sent"
        assert "Anh/Chị" in full or "Chỉ tiêu" in full or "Mục" in full or "Tóm tắt" in full, (what, full[:300])
        assert "\x00" not in full and "\ud800" not in full, f"{what}: a raw control character echoed back"


@pytest.mark.parametrize("where", PLACES)
def test_hostile_text_and_files_in_every_place(app: App, registered: Callable[..., Chat], where: str) -> None:
    chat = place(app, registered, where)
    cases = 0
    for name, text in HOSTILE.items():
        before, answers = position(app, chat), answers_of(app, chat)
        chat.send(text)
        what = f"{where} / {name}"
        check_replies(chat, what)
        after, now = position(app, chat), answers_of(app, chat)
        if after != before:  # only a fair answer moves the person on, and it was stored as typed
            changed = {k for k in now if now[k] != answers.get(k)}
            assert changed or "Đã lưu" in chat.text or "đã được đăng ký" not in chat.text, what
            assert where in ("section", "comparison", "note", "idle", "review", "picking", "figure"), what
            if where in ("figure", "section") and changed:
                typed = "".join(c for c in text if c != "\x00" and not "\ud800" <= c <= "\udfff")
                assert any(now[k] == typed for k in changed), f"{what}: stored something else than typed"
        else:
            assert now == answers, f"{what}: answers changed while the dialogue stayed put"
        # bring the person back to the place for the next input
        if after != before:
            chat = place(app, registered, where)
        cases += 1
    for kind in FILES:
        before = position(app, chat)
        chat.file(kind)
        check_replies(chat, f"{where} / {kind}")
        assert position(app, chat) == before, f"{where} / {kind}: a file moved the dialogue"
        expected = "chưa được đăng ký" if where == "unregistered" else "Anh/Chị vui lòng nhập câu trả lời bằng chữ"
        assert expected in chat.text, (where, kind, chat.text)
        cases += 1
    assert cases == len(HOSTILE) + len(FILES)


def test_a_valid_answer_after_hostile_input_is_stored_as_usual(app: App, registered: Callable[..., Chat]) -> None:
    chat = place(app, registered, "figure")
    for text in HOSTILE.values():
        chat.send(text)
    answers = stored(app, UNITS[chat.sender.user_id])
    assert set(answers) <= {"ct1"}, "only a fair answer to the question on screen was stored"
    if answers:  # e.g. "👍😀🇻🇳 62/38 🙏": the emoji are dropped, the figures kept
        assert Value.from_json(answers["ct1"].value).a == 62
    chat.send("/nop 2026-Q4")
    if chat.title.startswith("Chỉ tiêu 2 · "):
        chat.press("Quay lại")
    assert chat.title.startswith("Chỉ tiêu 1 · "), chat.title
    chat.send("63/37")
    assert "Đã lưu: 63%/37%" in chat.text
    assert Value.from_json(stored(app, UNITS[chat.sender.user_id])["ct1"].value).a == 63


def test_markup_in_names_and_answers_is_kept_as_typed(app: App) -> None:
    chat = Chat(app.dialogue_service(), "markup", name="<b>Lan</b> & *Hoa*")
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "<b>Lan</b> & *Hoa*" in chat.text, "the engine keeps text as typed; channels escape it"


def test_nul_and_lone_surrogates_never_stop_a_message_on_either_database(db_url: str) -> None:
    """PostgreSQL text cannot hold NUL and UTF-8 cannot hold a lone surrogate: such a message must still apply."""
    app = make_app(db_url)
    try:
        chat = Chat(app.dialogue_service(), "nul", name="Lan\x00\ud800")
        chat.send(f"/start {invite(app, 'QUANGTRI')}\x00")
        assert "đã được đăng ký" in chat.text
        chat.send("/nop 2026-Q4\x00")
        chat.press("Ghi chú")
        chat.send("nguồn\x00 số liệu \ud83d")
        assert "Đã lưu ghi chú" in chat.text or "ghi chú" in chat.text.lower(), chat.text
        chat.send("62\x00/38\ud800")
        assert "Đã lưu: 62%/38%" in chat.text
        chat.send("Thái Lan\x00 55%")
        chat.send("/\x00nop\ud800")
        assert chat.replies, "an odd command still gets an answer"
        answer = stored(app)["ct1"]
        assert answer.raw_text == "62/38" and answer.note == "nguồn số liệu" and answer.comparison == "Thái Lan 55%"
    finally:
        app.close()
