"""Signing in from the chat: the `/web` link, the session cookie, expiry, logout, revocation, rate limits.

Through the surfaces people touch: the chat (`Chat`) and HTTP requests to the bot's Starlette app.
"""

from __future__ import annotations

import hashlib
import logging
import re

import pytest
from sqlalchemy import select

from bot.app import App
from bot.web.auth import end_access
from storage.models import RoleGrant, WebSession, WebSignIn, utcnow
from tests.helpers.app import make_app
from tests.helpers.chat import Chat
from tests.web.html import page
from tests.web.world import World, client, link_of, person_id, register, signed_in


def path_of(link: str) -> str:
    return "/w/" + link.split("/w/", 1)[1]


def test_web_gives_a_one_time_link_whose_token_only_the_chat_ever_holds(backend: tuple[App, World]) -> None:
    app, world = backend
    link = link_of(world.cbc)
    assert link.startswith("http://127.0.0.1:8080/w/vao/")  # no PUBLIC_BASE_URL: this machine's server
    assert "chỉ mở được trên máy đang chạy bot" in world.cbc.text and "15 phút" in world.cbc.text
    token = link.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 random bytes: 192 bits
    with app.uow() as uow:
        rows = uow.session.scalars(select(WebSignIn)).all()
        assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        assert (rows[0].expires_at - rows[0].created_at).total_seconds() == 15 * 60

    c = client(app)
    first = c.get(path_of(link))
    assert first.status_code == 303 and first.headers["location"] == "/w/tong-hop"
    cookie = first.headers["set-cookie"]
    for part in ("HttpOnly", "SameSite=lax", "Path=/w", "Max-Age=28800"):
        assert part in cookie, cookie
    assert "Secure" not in cookie  # plain http on this machine
    value = re.search(r"chitieu_web=([^;]+)", cookie)[1]
    with app.uow() as uow:
        stored = uow.session.scalars(select(WebSession)).one()
        assert stored.token_hash == hashlib.sha256(value.encode()).hexdigest() and value not in stored.token_hash
    assert c.get("/w/tong-hop").status_code == 200

    again = client(app).get(path_of(link))
    assert again.status_code == 400 and "đã được dùng" in again.text and "gõ /web" in again.text
    assert "set-cookie" not in again.headers

    analyst = person_id(app, world.cbc)
    with app.uow() as uow:  # removing the person's roles (what the revocation command does) …
        for grant in uow.session.scalars(select(RoleGrant).where(RoleGrant.person_id == analyst)):
            grant.revoked_at = utcnow()
        uow.commit()
    refused = c.get("/w/tong-hop")
    assert refused.status_code == 401 and "quyền xem của Anh/Chị đã thay đổi" in refused.text
    with app.uow() as uow:  # … ends the session on the server, not only in this browser
        assert uow.session.scalars(select(WebSession.ended_reason)).all() == ["revoked"]


def test_expired_and_unknown_links_say_which_and_what_to_do(web: tuple[App, World]) -> None:
    app, world = web
    link = link_of(world.cbc)
    app.clock.advance(minutes=15, seconds=1)
    expired = client(app).get(path_of(link))
    assert expired.status_code == 400 and "đã hết hạn" in expired.text and "gõ /web" in expired.text
    unknown = client(app).get("/w/vao/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert unknown.status_code == 400 and "không đúng" in unknown.text
    assert "AAAAAAAA" not in unknown.text and "Traceback" not in unknown.text
    odd = client(app).get("/w/vao/%3Cscript%3E")  # not even token-shaped
    assert odd.status_code == 400 and "<script>" not in odd.text


def test_on_https_the_link_uses_the_public_address_and_the_cookie_is_secure(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False, public_base_url="https://chitieu.example.gov.vn/")
    chat = register(app, "a", "CBC", "analyst", "Phạm Văn Tổng")
    link = link_of(chat)
    assert link.startswith("https://chitieu.example.gov.vn/w/vao/") and "chỉ mở được" not in chat.text
    c = client(app, "https://chitieu.example.gov.vn")
    response = c.get(path_of(link))
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]
    assert c.get("/w/tong-hop").status_code == 200
    app.close()


def test_bad_links_are_rate_limited_per_address(web: tuple[App, World]) -> None:
    app, world = web
    attacker = client(app)
    for n in range(10):
        assert attacker.get(f"/w/vao/guess{n:027d}").status_code == 400
    link = link_of(world.cbc)
    limited = attacker.get(path_of(link))  # even a good link waits: guessing from here teaches nothing
    assert limited.status_code == 429 and limited.headers["retry-after"] == "600" and "đợi 10 phút" in limited.text
    from starlette.testclient import TestClient

    elsewhere = TestClient(attacker.app, client=("203.0.113.7", 40000), follow_redirects=False)
    assert elsewhere.get(path_of(link)).status_code == 303  # another address is not held back
    app.clock.advance(minutes=10, seconds=1)
    assert attacker.get(path_of(link_of(world.cbc))).status_code == 303  # the window has passed


def test_link_previews_do_not_use_the_link_up(web: tuple[App, World]) -> None:
    app, world = web
    link = path_of(link_of(world.cbc))
    preview = client(app).get(link, headers={"User-Agent": "TelegramBot (like TwitterBot)"})
    assert preview.status_code == 200 and "set-cookie" not in preview.headers and "trình duyệt" in preview.text
    assert "set-cookie" not in client(app).head(link).headers  # a HEAD request uses nothing up either
    assert client(app).get(link).status_code == 303


def test_the_session_slides_for_8_hours_after_the_last_page(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    app.clock.advance(hours=7)
    seen = c.get("/w/tong-hop")
    assert seen.status_code == 200 and "Max-Age=28800" in seen.headers["set-cookie"]  # pushed forward
    app.clock.advance(hours=7)
    assert c.get("/w/tong-hop").status_code == 200  # 14 h after signing in, 7 h after the last page
    app.clock.advance(hours=8, seconds=1)
    late = c.get("/w/tong-hop")
    assert late.status_code == 401 and "Cần đăng nhập" in late.text and "gõ /web" in late.text


def test_signing_out_needs_the_pages_csrf_token_and_ends_the_session_on_the_server(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    cookie = c.cookies.get("chitieu_web")
    assert c.get("/w/dang-xuat").status_code == 405  # no state-changing GET
    forged = c.post("/w/dang-xuat", data={"csrf": "0" * 64})
    assert forged.status_code == 403 and "Yêu cầu không hợp lệ" in forged.text
    assert c.post("/w/dang-xuat").status_code == 403
    assert c.get("/w/tong-hop").status_code == 200  # nothing happened
    token = page(c.get("/w/tong-hop").text).one("input", name="csrf").attrs["value"]
    out = c.post("/w/dang-xuat", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"] == "/w/da-dang-xuat"
    assert 'chitieu_web=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
    assert "đã đăng xuất" in c.get("/w/da-dang-xuat").text
    replay = client(app)
    replay.cookies.set("chitieu_web", cookie, path="/w")
    assert replay.get("/w/tong-hop").status_code == 401  # the old cookie is worth nothing now
    with app.uow() as uow:
        assert uow.session.scalars(select(WebSession.ended_reason)).all() == ["logout"]


def test_removing_a_persons_roles_ends_their_web_sessions(web: tuple[App, World]) -> None:
    app, world = web
    analyst, focal = signed_in(app, world.quangtri), signed_in(app, world.focal)
    analyst_id, focal_id = person_id(app, world.quangtri), person_id(app, world.focal)
    with app.uow() as uow:  # what the revocation command does to the grants …
        for grant in uow.session.scalars(select(RoleGrant).where(RoleGrant.person_id == analyst_id)):
            grant.revoked_at = utcnow()
        uow.commit()
    refused = analyst.get("/w/tong-hop")
    assert refused.status_code == 401 and "quyền xem của Anh/Chị đã thay đổi" in refused.text
    with app.uow() as uow:
        ended = uow.session.scalars(select(WebSession).where(WebSession.person_id == analyst_id))
        assert [s.ended_reason for s in ended] == ["revoked"]
        assert end_access(uow, focal_id, app.clock.now()) == 1  # … and the hook it calls
        uow.commit()
    assert focal.get("/w/don-vi/QUANGTRI").status_code == 401


def test_the_log_never_holds_a_sign_in_token_or_a_cookie(web: tuple[App, World], caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    app, world = web
    caplog.set_level(logging.DEBUG)
    link = link_of(world.cbc)
    c = client(app)
    c.get(path_of(link))
    c.get(path_of(link))
    c.get("/w/vao/" + "B" * 32)
    c.get("/w/tong-hop?ky=2031-Q7")
    token, cookie = link.rsplit("/", 1)[1], c.cookies.get("chitieu_web")
    server = [r for r in caplog.records if r.name != "httpx"]  # httpx: the test's own client logging its requests
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in server)
    assert token not in logged and cookie not in logged and "B" * 32 not in logged
    access = logging.getLogger("uvicorn.access")  # and uvicorn's access log line for the link, when it is on
    access.addHandler(caplog.handler)
    try:
        caplog.clear()
        access.warning('%s - "%s %s HTTP/%s" %d', "203.0.113.7:5000", "GET", path_of(link), "1.1", 303)
    finally:
        access.removeHandler(caplog.handler)
    assert caplog.records[-1].getMessage() == '203.0.113.7:5000 - "GET /w/vao/… HTTP/1.1" 303'



def test_web_is_a_command_word_a_menu_button_and_for_registered_people_only(web: tuple[App, World]) -> None:
    app, world = web
    world.cbc.send("trang web")
    assert "/w/vao/" in world.cbc.text
    world.cbc.send("/start")
    assert "🌐 Trang web" in world.cbc.labels
    world.cbc.press("Trang web")
    assert "/w/vao/" in world.cbc.text
    world.hanoi.send("web")  # a focal person too: their own unit's page
    assert "/w/vao/" in world.hanoi.text
    stranger = Chat(app.dialogue_service(), "stranger")
    stranger.send("/web")
    assert "/w/vao/" not in stranger.text and "chưa được đăng ký" in stranger.text
    group = Chat(app.dialogue_service(), "g1", chat_type="group")
    group.send("/web")
    assert "/w/vao/" not in group.text
    world.cbc.send("/huongdan")
    assert "/web" in world.cbc.text
