"""Who sees what: every command × every role through the chat, with distinctive values per unit.

Two provinces (Quảng Trị = unit A, Hà Nội = unit B) and two press agencies (Báo Quảng Trị inside
Quảng Trị's subtree, Thời báo Tài chính Việt Nam outside it) sent figures nobody else uses, notes and
texts with unique markers, and focal persons with unique names. Each role runs every command; whatever
comes back — text, titles, button labels, chart captions, file names and every cell of every workbook —
is searched for the markers of units the role must not see.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import openpyxl

from bot.app import App
from conversations.messages import ButtonIn, DocumentOut, ImageOut, Reply, TextOut
from tests.helpers.chat import Chat
from tests.helpers.figures import figure
from tests.reports.factories import filled


@dataclass(frozen=True)
class Marks:
    """What only one unit's data contains: texts as shown in chat, numbers as written in workbooks."""

    texts: tuple[str, ...]
    numbers: tuple[int, ...] = ()


QT = Marks(("1.313.131", "686.869", "131.313/171.717", "QTX-7731", "QTN-5151", "QTC-8181", "Lê Thị Quế"),
           (1313131, 686869, 131313, 171717))
HN = Marks(("2.424.242", "575.758", "242.424/292.929", "HNX-4242", "HNN-6262", "HNC-9292", "Trần Văn Hải",
            "Hà Nội"), (2424242, 575758, 242424, 292929))
QT_BAO = Marks(("17.171/13.131", "3.737/17.171", "5.757.575", "QBX-3535"), (17171, 13131, 3737, 5757575))
BTC_TBTC = Marks(("29.292/24.242", "4.949/29.292", "8.484.848", "TBX-4848", "Thời báo Tài chính", "Bộ Tài chính"),
                 (29292, 24242, 4949, 8484848))

ROWS = (
    ("QUANGTRI", "CL", "2025-Q3", {"ct1": "1.313.131/686.869", "ct2": "131.313/171.717", "trend": "QTX-7731 tăng",
                                   "difficulties": "Không", "proposals": "Không"},
     {"provisional": ["ct2"], "notes": {"ct2": "QTN-5151"}, "comparisons": {"ct1": "QTC-8181"}}),
    ("HANOI", "CL", "2025-Q3", {"ct1": "2.424.242/575.758", "ct2": "242.424/292.929", "trend": "HNX-4242 tăng",
                                "difficulties": "Không", "proposals": "Không"},
     {"provisional": ["ct2"], "notes": {"ct2": "HNN-6262"}, "comparisons": {"ct1": "HNC-9292"}}),
    ("QT-BAO", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "17.171/13.131", "doanh_thu_so": "3.737/17.171",
                               "doc_gia": "5.757.575/4.646.464", "truong_thanh": "373"},
     {"provisional": ["doanh_thu_so"], "notes": {"doanh_thu_so": "QBX-3535"}}),
    ("BTC-TBTC", "CDS", "2025", {"nen_tang_so": "có", "tang_doanh_thu": "29.292/24.242", "doanh_thu_so": "4.949/29.292",
                                 "doc_gia": "8.484.848/7.373.737", "truong_thanh": "484"},
     {"provisional": ["doanh_thu_so"], "notes": {"doanh_thu_so": "TBX-4848"}}),
)

COMMANDS = ("/start", "/nop", "/nop 2025-Q3", "/xem", "/xem 2025-Q3", "/xem 2025", "/han", "/huy", "/huongdan",
            "/help", "/lang", "/lienket", "/tonghop", "/tonghop 2025-Q3 CL", "/tonghop 2025 CDS", "/thieu",
            "/thieu 2025-Q3", "/thieu 2025 CDS", "/thieu 2026-Q4", "/chitieu 1 2025-Q3", "/chitieu 2 2025-Q3",
            "/chitieu 3 2025 CDS", "/chitieu 2 2025 CDS", "/nhacnho", "/sua", "/xuat", "/trogiup",
            "tong hop 2025-Q3", "xem 2025-Q3", "chi tieu 2 2025-Q3", "thieu 2025-Q3")


@dataclass
class Role:
    """A person and the markers they must never see."""

    name: str
    chat: Chat
    forbidden: tuple[Marks, ...]
    seen: list[str] = field(default_factory=list)


def everything_in(replies: Iterable[Reply]) -> tuple[str, set[float]]:
    """All text a person receives (workbook cells included) and every number written in a workbook."""
    texts: list[str] = []
    numbers: set[float] = set()
    for r in replies:
        if isinstance(r, TextOut):
            texts += [r.title or "", r.text, *(b.label for row in r.buttons for b in row)]
        elif isinstance(r, ImageOut):
            texts += [r.caption, r.filename]
        elif isinstance(r, DocumentOut):
            texts += [r.caption, r.filename]
            if r.filename.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(r.data))
                for sheet in book.worksheets:
                    texts.append(sheet.title)
                    for row in sheet.iter_rows(values_only=True):
                        for cell in row:
                            if isinstance(cell, int | float) and not isinstance(cell, bool):
                                numbers.add(float(cell))
                            elif cell is not None:
                                texts.append(str(cell))
    return "\n".join(texts), numbers


def leaks_in(replies: list[Reply], forbidden: tuple[Marks, ...]) -> list[str]:
    """The forbidden markers found in the replies."""
    text, numbers = everything_in(replies)
    found = [m for marks in forbidden for m in marks.texts if m in text]
    found += [str(n) for marks in forbidden for n in marks.numbers if float(n) in numbers]
    return found


def forged_buttons(app: App) -> list[str]:
    """Button data a person could forge to reach unit B's (Hà Nội's) submissions and periods."""
    with app.uow() as uow:
        hanoi, q3, q4 = uow.units.by_code("HANOI"), uow.periods.by_code("CL", "2025-Q3"), uow.periods.by_code("CL", "2026-Q4")
        sub = uow.submissions.get(hanoi.id, q3.id)
        return [f"open:{hanoi.id}:{q3.id}", f"open:{hanoi.id}:{q4.id}", f"send:{sub.id}", f"edit:{sub.id}",
                f"review:{sub.id}", f"draft:{sub.id}", "pick:ct1", "skip:ct1", "keep:ct1", "ok:ct1",
                "say:ct1:62/38", "cmd:tonghop", "cmd:xem", "lang:en"]


def test_every_command_for_every_role_shows_only_what_the_role_may_see(
        app: App, registered: Callable[..., Chat]) -> None:
    filled(app, *ROWS)
    unregistered = Chat(app.dialogue_service(), "stranger")
    roles = [
        Role("unregistered", unregistered, (QT, HN, QT_BAO, BTC_TBTC)),
        Role("focal A (Quảng Trị)", registered("QUANGTRI", name="Lê Thị Quế"), (HN, QT_BAO, BTC_TBTC)),
        Role("focal B (Hà Nội)", registered("HANOI", name="Trần Văn Hải"), (QT, QT_BAO, BTC_TBTC)),
        Role("analyst of Quảng Trị", registered("QUANGTRI", "analyst"), (HN, BTC_TBTC)),
        Role("analyst of Cục Báo chí", registered("CBC", "analyst"), ()),
        Role("admin", registered("QUANGTRI", "admin"), ()),
    ]
    buttons = forged_buttons(app)
    cells, leaks = 0, []
    for role in roles:
        for action in [*COMMANDS, *(f"button {b}" for b in buttons), "62/38", "QTX-7731 xin chào"]:
            if action.startswith("button "):
                replies = role.chat.event(ButtonIn(action.removeprefix("button ")))
            else:
                replies = role.chat.send(action)
            cells += 1
            found = leaks_in(replies, role.forbidden)
            if found:
                leaks.append(f"{role.name} {action!r}: {found}")
            role.seen.append(everything_in(replies)[0])
            if role.name == "unregistered":
                assert [type(r) for r in replies] == [TextOut], (action, replies)
                assert "chưa được đăng ký" in role.chat.text or "mã mời" in role.chat.text, (action, role.chat.text)
                assert role.chat.labels == []
    figure(f"[access] roles={len(roles)} actions={cells // len(roles)} cells={cells} leaks={len(leaks)}")
    assert not leaks, "\n".join(leaks)

    # …and each role does see its own data: the matrix is not empty by accident.
    seen = {role.name: "\n".join(role.seen) for role in roles}
    for mark in ("1.313.131/686.869", "QTN-5151", "QTC-8181", "QTX-7731"):
        assert mark in seen["focal A (Quảng Trị)"], mark
    for mark in ("2.424.242/575.758", "HNN-6262", "HNX-4242"):
        assert mark in seen["focal B (Hà Nội)"], mark
    assert "131.313/171.717" in seen["analyst of Quảng Trị"], "Quảng Trị's own sum, with nothing added"
    assert "Lê Thị Quế" in seen["analyst of Quảng Trị"] and "Báo Quảng Trị" in seen["analyst of Quảng Trị"]
    for name in ("analyst of Cục Báo chí", "admin"):
        for mark in ("1.313.131/686.869", "2.424.242/575.758", "Thời báo Tài chính", "Trần Văn Hải", "Lê Thị Quế"):
            assert mark in seen[name], (name, mark)
