"""Who sees what on the web: every web route × every role, with the chat matrix's distinctive values.

The same four units' data as `test_access_matrix` (markers nobody else uses). Each role — nobody
signed in, the two focal persons, the two analysts, an administrator — requests every page, every
download and the pages narrowed to each unit; every status is the one the role should get, and
every body (page text, workbook cells) is searched for the markers the role must not see. A route
added to the web view without a row here fails `test_the_matrix_covers_every_web_route`.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import docx
import openpyxl

from bot.app import App
from bot.web import web_routes
from tests.helpers.chat import Chat
from tests.helpers.figures import figure
from tests.reports.factories import filled
from tests.security.test_access_matrix import BTC_TBTC, HN, QT, QT_BAO, ROWS, Marks
from tests.web.world import client, signed_in

CL, CDS = "bieu=CL&ky=2025-Q3", "bieu=CDS&ky=2025"
UNITS = ("QUANGTRI", "HANOI", "QT-BAO", "BTC-TBTC", "BTC", "CBC")
FORM_OF = {"QUANGTRI": CL, "HANOI": CL, "QT-BAO": CDS, "BTC-TBTC": CDS, "BTC": CDS, "CBC": CL}  # what each answers


@dataclass(frozen=True)
class Action:
    """A request and what it is about: `analysts` pages, a `unit`'s own page, a page narrowed to a unit, or `public`."""

    path: str
    about: str  # analysts | public | unit:CODE | scoped:CODE


ACTIONS = [
    Action("/w/", "home"), Action("/w/tong-hop", "analysts"), Action(f"/w/tong-hop?{CL}", "analysts"),
    Action(f"/w/tong-hop?{CDS}", "analysts"), Action(f"/w/tong-hop?{CL}&trang-thai=tam-uoc-tinh", "analysts"),
    Action(f"/w/tong-hop?{CL}&sap-xep=-gui-luc&trang=2", "analysts"), Action("/w/tong-hop?ky=2031-Q7", "analysts"),
    Action(f"/w/chi-tieu?{CL}", "analysts"), Action(f"/w/chi-tieu?{CDS}", "analysts"),
    Action(f"/w/chi-tieu/1?{CL}", "analysts"), Action(f"/w/chi-tieu/2?{CL}", "analysts"),
    Action(f"/w/chi-tieu/2?{CDS}", "analysts"), Action(f"/w/chi-tieu/3?{CDS}", "analysts"),
    Action(f"/w/tai/tong-hop.xlsx?{CL}", "analysts"), Action(f"/w/tai/tong-hop.xlsx?{CDS}", "analysts"),
    Action(f"/w/tai/chi-tieu.xlsx?{CL}&so=2", "analysts"),  # (the chart, same view: its access in test_pages)
    Action(f"/w/tai/chi-tieu.xlsx?{CDS}&so=3", "analysts"), Action(f"/w/tai/bao-cao.docx?{CL}", "analysts"),
    Action(f"/w/tai/bao-cao.docx?{CDS}", "analysts"),
    Action("/w/vao/" + "D" * 32, "public"), Action("/w/da-dang-xuat", "public"), Action("/w/static/web.css", "public"),
    *(Action(f"/w/don-vi/{u}?{FORM_OF[u]}", f"unit:{u}") for u in UNITS),
    Action("/w/don-vi/QUANGTRI", "unit:QUANGTRI"), Action("/w/don-vi/QT-BAO", "unit:QT-BAO"),  # default periods
    *(Action(f"/w/tong-hop?{FORM_OF[u]}&pham-vi={u}", f"scoped:{u}") for u in UNITS),
    *(Action(f"/w/chi-tieu/2?{FORM_OF[u]}&pham-vi={u}", f"scoped:{u}") for u in UNITS),
    *(Action(f"/w/tai/{name}?{form}&pham-vi={u}", f"scoped:{u}") for u, form in (("QUANGTRI", CL),
                                                                                      ("BTC-TBTC", CDS))
      for name in ("tong-hop.xlsx", "bao-cao.docx")),
]


@dataclass
class Role:
    """A person (or nobody), what they may see, and the markers they must never see."""

    name: str
    chat: Chat | None
    forbidden: tuple[Marks, ...]
    analyst_of: str | None = None  # the unit whose subtree they see as an analyst ("" for an admin)
    focal_of: str | None = None
    seen: list[str] | None = None


SUBTREE = {"CBC": set(UNITS), "QUANGTRI": {"QUANGTRI", "QT-BAO"}}


def expected(role: Role, action: Action) -> int:
    """The status this role must get."""
    if action.about == "public":
        return 400 if "/vao/" in action.path else 200
    if role.chat is None:
        return 401
    if action.about == "home":
        return 303
    visible = set(UNITS) if role.analyst_of == "" else SUBTREE.get(role.analyst_of or "", set())
    kind, _, unit = action.about.partition(":")
    if kind == "unit":
        return 200 if unit in visible or unit == role.focal_of else 404
    if role.analyst_of is None:
        return 403
    if kind == "scoped":
        return 200 if unit in visible else 404
    return 404 if action.about == "missing" or "2031" in action.path else 200


def body_text(response) -> str:  # noqa: ANN001 - an httpx response
    """What a person can read in a response: the page's text, every cell of a workbook, a Word draft's text."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
                 if c is not None]
        return "\n".join([*(s.title for s in book.worksheets), *cells])
    if "wordprocessingml" in kind:
        doc = docx.Document(io.BytesIO(response.content))
        cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
        return "\n".join([*(p.text for p in doc.paragraphs), *cells])
    if kind.startswith("text/"):
        return html.unescape(response.text)
    return ""


def leaks(text: str, forbidden: tuple[Marks, ...]) -> list[str]:
    """Forbidden markers in the text (numbers as written in the chat, or as plain digits in workbooks)."""
    found = [m for marks in forbidden for m in marks.texts if m in text]
    digits = set(re.findall(r"\d+(?:\.\d+)?", text))
    return found + [str(n) for marks in forbidden for n in marks.numbers if str(n) in digits]


def test_the_matrix_covers_every_web_route(app: App) -> None:
    inner = web_routes(app)[0].app
    covered = [a.path.split("?")[0].removeprefix("/w") or "/" for a in ACTIONS] + ["/dang-xuat"]
    for route in inner.routes:
        assert any(route.path_regex.match(p) if hasattr(route, "path_regex") else p.startswith(route.path)
                   for p in covered), f"no action reaches {route.path}"


def test_every_web_route_for_every_role_shows_only_what_the_role_may_see(
        app: App, registered: Callable[..., Chat]) -> None:
    filled(app, *ROWS)
    roles = [
        Role("nobody signed in", None, (QT, HN, QT_BAO, BTC_TBTC)),
        Role("focal A (Quảng Trị)", registered("QUANGTRI", name="Lê Thị Quế"), (HN, QT_BAO, BTC_TBTC),
             focal_of="QUANGTRI"),
        Role("focal B (Hà Nội)", registered("HANOI", name="Trần Văn Hải"), (QT, QT_BAO, BTC_TBTC), focal_of="HANOI"),
        Role("analyst of Quảng Trị", registered("QUANGTRI", "analyst"), (HN, BTC_TBTC), analyst_of="QUANGTRI"),
        Role("analyst of Cục Báo chí", registered("CBC", "analyst"), (), analyst_of="CBC"),
        Role("admin", registered("QUANGTRI", "admin"), (), analyst_of=""),
    ]
    cells, wrong, found = 0, [], []
    for role in roles:
        c = signed_in(app, role.chat) if role.chat else client(app)
        role.seen = []
        for action in ACTIONS:
            response = c.get(action.path)
            cells += 1
            if response.status_code != expected(role, action):
                wrong.append(f"{role.name} {action.path}: {response.status_code}, not {expected(role, action)}")
            text = body_text(response)
            role.seen.append(text)
            if hits := leaks(text, role.forbidden):
                found.append(f"{role.name} {action.path}: {hits}")
        if role.chat:  # signing out is a route too: with the page's token it ends this session
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/w/don-vi/" + (role.focal_of or "CBC")).text)
            assert token and c.post("/w/dang-xuat", data={"csrf": token[1]}).status_code == 303
            assert c.get("/w/").status_code == 401
    figure(f"[web access] roles={len(roles)} routes={len(ACTIONS)} cells={cells} wrong={len(wrong)} "
           f"leaks={len(found)}")
    assert not wrong, "\n".join(wrong)
    assert not found, "\n".join(found)

    seen = {role.name: "\n".join(role.seen or []) for role in roles}  # …and each role sees its own data
    assert "1.313.131/686.869" in seen["focal A (Quảng Trị)"] and "QTN-5151" in seen["focal A (Quảng Trị)"]
    assert "2.424.242/575.758" in seen["focal B (Hà Nội)"] and "HNX-4242" in seen["focal B (Hà Nội)"]
    assert "131.313/171.717" in seen["analyst of Quảng Trị"] and "QBX-3535" in seen["analyst of Quảng Trị"]
    for name in ("analyst of Cục Báo chí", "admin"):
        for mark in ("1.313.131/686.869", "2.424.242/575.758", "Thời báo Tài chính", "Trần Văn Hải", "TBX-4848"):
            assert mark in seen[name], (name, mark)
