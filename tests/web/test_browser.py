"""The web view in a real browser: headless Chromium through Selenium against the running server.

Signed in with the link the chat gave, an analyst reads the same figures as `/tonghop`, sorts the
units by status, opens a unit and reads its revision history, downloads the workbook (the chat's
bytes), reuses the link (refused), meets an out-of-scope unit (404 like a missing one), and signs
out (the session is over on the server too). Screenshots of the overview and of a unit page on a
phone-sized window are taken each run; `CHITIEU_SCREENSHOTS=1` writes them to `docs/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine

from bot.app import App
from bot.web.overview import STATUSES
from conversations.messages import DocumentOut
from tests.helpers.app import make_app
from tests.helpers.databases import SqliteTemplate
from tests.web.browser import chromium, free_socket, live_server, missing_browser, wait_for_file
from tests.web.world import HTML_ANSWER, World, link_of

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="session")
def browser() -> Iterator[tuple[object, Path]]:
    """One headless Chromium for every browser test."""
    with chromium() as found:
        yield found


@pytest.fixture(scope="module")
def live(world_template: SqliteTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, World, str]]:
    """The world served over HTTP on 127.0.0.1; the chat's links point at it (PUBLIC_BASE_URL)."""
    sock = free_socket()
    url = world_template.fresh(tmp_path_factory.mktemp("web-browser"))
    app = make_app(url, load=False, public_base_url=f"http://127.0.0.1:{sock.getsockname()[1]}")
    world = World.of(app)
    with live_server(app, sock) as base:
        yield app, world, base
    app.close()


@pytest.fixture
def driver(browser: tuple[object, Path]):  # noqa: ANN201 - a selenium WebDriver
    """The shared browser with no cookies left from another test, at desktop size."""
    drv, _ = browser
    drv.execute_cdp_cmd("Network.clearBrowserCookies", {})
    drv.set_window_size(1280, 1000)
    return drv


def by_css(driver, selector: str):  # noqa: ANN001, ANN201
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def figures(driver) -> dict[str, str]:  # noqa: ANN001
    """The overview's figure cards, by name."""
    return {e.get_attribute("data-figure"): e.text for e in by_css(driver, "dd[data-figure]")}


def assert_same_as_chat(driver, chat_title: str, chat_text: str) -> None:  # noqa: ANN001
    """The page's title, figures and summary sentences are those of `/tonghop`'s reply."""
    assert by_css(driver, "h1")[0].text == chat_title
    shown = figures(driver)
    done = re.search(r"Đã nộp (\d+)/(\d+) đơn vị: đúng hạn (\d+), muộn (\d+)\.", chat_text)
    assert done, chat_text
    assert shown["submitted"] == f"{done[1]}/{done[2]}"
    assert (shown["on_time"], shown["late"]) == (done[3], done[4])
    assert shown["missing"] == str(int(done[2]) - int(done[1]))
    rates = re.search(r"Tỷ lệ báo cáo (\S+) · tỷ lệ báo cáo đúng hạn (\S+)", chat_text)
    assert rates and (shown["rate"], shown["rate_on_time"]) == (rates[1], rates[2])
    provisional = re.search(r"Có (\d+) giá trị tạm ước tính", chat_text)
    assert shown["provisional"] == (provisional[1] if provisional else "0")
    sentences = [e.text for e in by_css(driver, ".sentences li")]
    assert sentences and all(s in chat_text for s in sentences), (sentences, chat_text)
    assert by_css(driver, "p.scope")[0].text in chat_text


def follow(driver, by: str, value: str) -> None:  # noqa: ANN001
    """Click a link or button and wait until the next page has replaced this one."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element("tag name", "html")
    driver.find_element(by, value).click()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") != "loading")


def sign_in(driver, chat) -> str:  # noqa: ANN001
    """Open the chat's `/web` link; return the link."""
    link = link_of(chat)
    driver.get(link)
    return link


def screenshot(driver, name: str, tmp: Path) -> Path:  # noqa: ANN001
    """Save a screenshot under docs/ when asked (CHITIEU_SCREENSHOTS=1), else in the test's folder."""
    folder = DOCS if os.environ.get("CHITIEU_SCREENSHOTS") == "1" else tmp
    folder.mkdir(exist_ok=True)
    path = folder / name
    assert driver.save_screenshot(str(path)), path
    return path


def test_an_analyst_signs_in_from_the_chat_and_reads_what_tonghop_says(
        live: tuple[App, World, str], driver, browser, tmp_path: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _, world, base = live
    link = sign_in(driver, world.cbc)
    assert urlparse(driver.current_url).path == "/w/tong-hop" and "/vao/" not in driver.current_url
    cookie = driver.get_cookie("chitieu_web")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/w"

    assert by_css(driver, "h1")[0].text.startswith("Tổng hợp ")  # the default form and period: see test_pages

    follow(driver, By.LINK_TEXT, "Chỉ tiêu Chiến lược báo chí (CL)")
    Select(driver.find_element(By.ID, "ky")).select_by_value("2025-Q3")
    follow(driver, By.CSS_SELECTOR, "form.periods button")
    _, downloads = browser
    for old in downloads.iterdir():
        old.unlink()
    with time_machine.travel(datetime(2026, 11, 21, 2, 0, tzinfo=UTC), tick=False):  # the workbook's creation stamp
        world.cbc.send("/tonghop 2025-Q3 CL")
        sent = next(r.data for r in world.cbc.replies if isinstance(r, DocumentOut))
        driver.find_element(By.PARTIAL_LINK_TEXT, "Bảng Excel").click()  # a download: no new page
        assert wait_for_file(downloads, "tonghop-CL-2025-Q3.xlsx") == sent  # the same bytes as the chat's
    assert_same_as_chat(driver, world.cbc.title, world.cbc.text)
    assert figures(driver)["submitted"] == "4/35"  # the world's known figure: the comparison is not vacuous

    follow(driver, By.LINK_TEXT, "Trạng thái")
    order = [STATUSES.index(e.get_attribute("data-status")) for e in by_css(driver, "#units tbody tr")]
    assert order == sorted(order) and order[0] < order[-1]
    assert by_css(driver, "#units th[aria-sort]")[0].get_attribute("aria-sort") == "ascending"
    follow(driver, By.PARTIAL_LINK_TEXT, "Trạng thái")
    order = [STATUSES.index(e.get_attribute("data-status")) for e in by_css(driver, "#units tbody tr")]
    assert order == sorted(order, reverse=True)

    follow(driver, By.LINK_TEXT, "Nộp muộn (1)")
    assert [e.get_attribute("data-unit") for e in by_css(driver, "#units tbody tr")] == ["HANOI"]
    driver.set_window_size(1280, 1900)
    driver.get(base + "/w/tong-hop?bieu=CL&ky=2025-Q3")  # in the catalog's order, for the picture
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(
        "const i = document.querySelector('figure.chart img'); return i.complete && i.naturalWidth > 0"))
    screenshot(driver, "web-overview.png", tmp_path)
    driver.set_window_size(1280, 1000)

    driver.get(link)  # the same link again
    assert "đã được dùng" in driver.find_element(By.TAG_NAME, "main").text
    assert "gõ /web" in driver.find_element(By.TAG_NAME, "main").text


def test_a_unit_page_shows_the_revision_history_and_typed_html_as_text(
        live: tuple[App, World, str], driver, tmp_path: Path) -> None:  # noqa: ANN001
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    _, world, base = live
    sign_in(driver, world.cbc)
    driver.get(base + "/w/tong-hop?bieu=CL&ky=2025-Q3")
    follow(driver, By.LINK_TEXT, "Quảng Trị")
    assert urlparse(driver.current_url).path == "/w/don-vi/QUANGTRI"
    history = driver.find_element(By.ID, "history").text
    assert "Lê Thị Quế" in history and "thay bằng số chính thức" in history
    assert "Giá trị: 120.500/150.000 (80,3%) → 121.000/150.000 (80,7%)" in history
    assert "Tạm ước tính: Có → Không" in history

    raw = [e.text for e in by_css(driver, "#answers td.raw")]
    assert HTML_ANSWER in raw  # shown exactly as typed …
    assert by_css(driver, "main script") == [] and by_css(driver, "main img[src='x']") == []  # … and never run
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - raises when no alert was opened

    driver.set_window_size(412, 2200)  # a phone: nothing wider than the screen but the tables' own scroll
    driver.refresh()
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(driver, "web-unit-phone.png", tmp_path)


def test_an_out_of_scope_unit_is_not_found_and_signing_out_ends_the_session(
        live: tuple[App, World, str], driver) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    _, world, base = live
    sign_in(driver, world.quangtri)  # the analyst of Quảng Trị
    assert "Phạm vi: Quảng Trị" in driver.find_element(By.TAG_NAME, "main").text
    driver.get(base + "/w/don-vi/HANOI")
    outside = driver.find_element(By.TAG_NAME, "main").text
    driver.get(base + "/w/don-vi/KHONGCO")
    assert driver.find_element(By.TAG_NAME, "main").text == outside
    assert "Không có đơn vị này" in outside and "Hà Nội" not in driver.page_source

    cookie = driver.get_cookie("chitieu_web")
    driver.get(base + "/w/tong-hop")
    follow(driver, By.CSS_SELECTOR, "form.logout button")
    assert urlparse(driver.current_url).path == "/w/da-dang-xuat"
    assert "đã đăng xuất" in driver.find_element(By.TAG_NAME, "main").text
    assert driver.get_cookie("chitieu_web") is None
    driver.add_cookie({k: cookie[k] for k in ("name", "value", "path")})  # the old cookie, put back by hand
    driver.get(base + "/w/tong-hop")
    assert "Cần đăng nhập" in driver.find_element(By.TAG_NAME, "main").text
