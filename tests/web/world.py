"""A small world for the web tests: the shipped catalog, Form 1 and Form 2 answers, people registered
through the chat (`/start CODE`), and one focal person's later corrections (revisions with old → new)."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bot.app import App
from bot.server import web_app
from storage.models import Receipt, SubmissionStatus
from storage.repositories import AnswerChange
from storage.values import Value
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reports.data import CDS_2025, CL_Q3, load

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette 1.x suggests httpx2 for its test client; httpx is what we have
    from starlette.testclient import TestClient

HTML_ANSWER = "<script>alert('x')</script> <b>đậm</b> \"><img src=x onerror=alert(1)>"
HUE_Q2 = (("HUE", "CL", "2025-Q2", {"ct2": "3.000/10.000"}),)  # Huế's 30% before its 90%: a jump to flag
LINK = re.compile(r"https?://\S+/w/vao/[A-Za-z0-9_-]+")


def register(app: App, user: str, unit: str, role: str, name: str) -> Chat:
    """A person registered through the chat with an invite."""
    chat = Chat(app.dialogue_service(), user, name=name)
    chat.send(f"/start {invite(app, unit, role, name=name)}")
    assert "đã được đăng ký" in chat.text, chat.text
    return chat


def person_id(app: App, chat: Chat) -> int:
    """The person behind a chat."""
    with app.uow() as uow:
        identity = uow.people.identity(chat.sender.channel, chat.sender.user_id)
        assert identity is not None and identity.person_id is not None
        return identity.person_id


PEOPLE = {  # field: (chat user, unit, role, name)
    "cbc": ("cbc", "CBC", "analyst", "Phạm Văn Tổng"),  # analyst of Cục Báo chí: sees everything
    "quangtri": ("qt-analyst", "QUANGTRI", "analyst", "Hoàng Thị Tỉnh"),  # analyst of Quảng Trị: its subtree
    "focal": ("qt-focal", "QUANGTRI", "focal", "Lê Thị Quế"),  # focal person of Quảng Trị
    "hanoi": ("hn-focal", "HANOI", "focal", "Trần Văn Hải"),  # focal person of Hà Nội
}


@dataclass
class World:
    """Who is in the world: one chat per person of PEOPLE."""

    cbc: Chat
    quangtri: Chat
    focal: Chat
    hanoi: Chat

    @classmethod
    def of(cls, app: App) -> World:
        """The chats of the people already registered in `app`'s database (a copy of a populated one)."""
        return cls(**{k: Chat(app.dialogue_service(), user, name=name) for k, (user, _, _, name) in PEOPLE.items()})


def populate(app: App) -> World:
    """Answers of CL 2025-Q3 and CDS 2025, four people, and Quảng Trị's corrections by its focal person."""
    load(app, CL_Q3, CDS_2025, HUE_Q2)
    for user, unit, role, name in PEOPLE.values():
        register(app, user, unit, role, name)
    world = World.of(app)
    correct(app, person_id(app, world.focal))
    return world


def correct(app: App, who: int) -> None:
    """Quảng Trị replaces its provisional indicator 2 with the official figure and writes its difficulties."""
    with app.uow() as uow:
        unit, period = uow.units.by_code("QUANGTRI"), uow.periods.by_code("CL", "2025-Q3")
        sub = uow.submissions.get(unit.id, period.id)
        assert sub is not None and sub.status == SubmissionStatus.SUBMITTED
        official = _parsed(uow, "ct2", "121.000/150.000")
        uow.submissions.change(sub, "ct2", AnswerChange("official", raw_text="121.000/150.000", value=official,
                                                        provisional=False), who, "telegram")
        text = _parsed(uow, "difficulties", HTML_ANSWER)
        uow.submissions.change(sub, "difficulties", AnswerChange("answer", raw_text=HTML_ANSWER, value=text), who,
                               "telegram")
        uow.submissions.publish(sub)  # sent again (issue 11 §2: a change after sending waits for this)
        for n, (at, keys) in enumerate(((vn(2025, 10, 3, 16, 0), "ct2"), (vn(2026, 11, 20, 10, 0), "")), start=1):
            uow.submissions.add_receipt(Receipt(submission_id=sub.id, reference=f"CL-2025Q3-QUANGTRI-0{n}", sent_at=at,
                                                sent_by=who, on_time=n == 1, provisional_keys=keys))
        uow.commit()


def _parsed(uow, key: str, typed: str) -> Value:  # noqa: ANN001 - UnitOfWork
    """The value the dialogue would store for `typed`."""
    from conversations.parsing import parse_answer
    from tests.reports.factories import FORMS

    value = parse_answer(typed, FORMS.get(uow, uow.forms.latest("CL").id).question(key).answer)
    assert isinstance(value, Value), value
    return value


def link_of(chat: Chat) -> str:
    """Ask for `/web` and return the sign-in link of the reply."""
    chat.send("/web")
    found = LINK.search(chat.text)
    assert found, chat.text
    return found.group(0)


def client(app: App, base_url: str = "http://testserver") -> TestClient:
    """An HTTP client on the bot's whole Starlette application (in process)."""
    return TestClient(web_app(app, None, None), base_url=base_url, follow_redirects=False)


def signed_in(app: App, chat: Chat, base_url: str = "http://testserver") -> TestClient:
    """A client signed in with the link the chat gave this person."""
    c = client(app, base_url)
    path = "/w/" + link_of(chat).split("/w/", 1)[1]
    response = c.get(path)
    assert response.status_code == 303, response.text
    return c
