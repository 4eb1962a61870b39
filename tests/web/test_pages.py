"""The pages over HTTP (Starlette's test client): the same figures and words as the chat and the workbook,
the scope rules of the chat, addresses that do not exist, and typed text shown as text."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import time_machine

from bot.app import App
from bot.web import listing
from bot.web.overview import STATUSES
from conversations.messages import DocumentOut, ImageOut
from tests.web.html import Element, page, table_rows
from tests.web.world import HTML_ANSWER, World, client, register, signed_in

CL_Q3 = "/w/tong-hop?bieu=CL&ky=2025-Q3"


def figures(doc: Element) -> dict[str, str]:
    return {e.attrs["data-figure"]: e.text for e in doc.all("dd")}


def assert_as_chat(doc: Element, chat_title: str, chat_text: str) -> None:
    """Title, scope line, figures and sentences of the page are those of `/tonghop`'s reply."""
    assert doc.one("h1").text == chat_title
    assert doc.one("p", class_="scope").text in chat_text
    sentences = [li.text for li in doc.one("ul", class_="sentences").all("li")]
    assert sentences and all(s in chat_text for s in sentences), (sentences, chat_text)
    shown = figures(doc)
    done = re.search(r"Đã nộp (\d+/\d+) đơn vị: đúng hạn (\d+), muộn (\d+)\.", chat_text)
    assert done and (shown["submitted"], shown["on_time"], shown["late"]) == done.groups()
    rates = re.search(r"Tỷ lệ báo cáo (\S+) · tỷ lệ báo cáo đúng hạn (\S+)", chat_text)
    assert rates and (shown["rate"], shown["rate_on_time"]) == rates.groups()
    provisional = re.search(r"Có (\d+) giá trị tạm ước tính", chat_text)
    assert shown["provisional"] == (provisional[1] if provisional else "0")


def test_the_overview_says_what_tonghop_says_by_default(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    world.cbc.send("/tonghop")  # two forms collected: the chat gives one section per form, CDS 2026 among them
    assert "■ Chuyển đổi số báo chí — Năm 2026" in world.cbc.text
    world.cbc.send("/tonghop CDS")  # the page shows the latest of them in full, as `/tonghop CDS` does
    assert_as_chat(page(c.get("/w/tong-hop").text), world.cbc.title, world.cbc.text)
    assert world.cbc.title == "Tổng hợp Chuyển đổi số báo chí · Năm 2026"  # the chat's own default on 21/11/2026


def test_the_overview_says_what_tonghop_says_for_a_period(backend: tuple[App, World]) -> None:
    app, world = backend
    c = signed_in(app, world.cbc)
    world.cbc.send("/tonghop 2025-Q3 CL")
    doc = page(c.get(CL_Q3).text)
    assert_as_chat(doc, world.cbc.title, world.cbc.text)
    assert figures(doc) == {"submitted": "4/35", "on_time": "3", "late": "1", "missing": "31", "rate": "11,4%",
                            "rate_on_time": "8,6%", "provisional": "1"}  # Huế's ct1 (Quảng Trị's ct2 is official now)
    states = {r.attrs["data-unit"]: r.attrs["data-status"] for r in doc.one("table", id="units").all("tr")
              if "data-unit" in r.attrs}
    assert states["HANOI"] == "late" and states["HUE"] == "provisional" and states["LAICHAU"] == "draft"
    assert states["QUANGTRI"] == "on_time" and states["ANGIANG"] == "none" and len(states) == 35
    history = table_rows(page(c.get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text), "history")  # (see below)
    assert any("→ 121.000/150.000 (80,7%)" in row[4] for row in history)


def test_a_province_analyst_sees_their_subtree_and_the_form2_view_by_collecting_unit(web: tuple[App, World]) -> None:
    app, world = web
    cbc, qt = signed_in(app, world.cbc), signed_in(app, world.quangtri)
    doc = page(cbc.get("/w/tong-hop?bieu=CDS&ky=2025").text)
    collectors = {row[0]: row[1:] for row in table_rows(doc, "collectors")}
    assert collectors["Quảng Trị"][0] == "2/3" and collectors["Bộ Tài chính (Cục Tin học và Thống kê tài chính)"][0] == "2/6"
    narrowed = page(cbc.get("/w/tong-hop?bieu=CDS&ky=2025&pham-vi=QUANGTRI").text)
    world.quangtri.send("/tonghop 2025 CDS")  # the province's own analyst, in the chat
    assert figures(narrowed) == figures(page(qt.get("/w/tong-hop?bieu=CDS&ky=2025").text))
    assert figures(narrowed)["submitted"] == "2/4" and "Quảng Trị" in narrowed.one("p", class_="narrowed").text
    sentences = [li.text for li in narrowed.one("ul", class_="sentences").all("li")]
    assert sentences and all(s in world.quangtri.text for s in sentences)
    units = [r.attrs["data-unit"] for r in narrowed.one("table", id="units").all("tr") if "data-unit" in r.attrs]
    assert sorted(units) == ["QT-BAO", "QT-CUAVIET", "QT-DAI", "QUANGTRI"]  # the province writes its own part


def test_units_filter_sort_and_page(web: tuple[App, World], monkeypatch: pytest.MonkeyPatch) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    rows = lambda doc: [r.attrs["data-status"] for r in doc.one("table", id="units").all("tr") if "data-status" in r.attrs]  # noqa: E731
    up = page(c.get(CL_Q3 + "&sap-xep=trang-thai").text)
    assert [STATUSES.index(s) for s in rows(up)] == sorted(STATUSES.index(s) for s in rows(up))
    assert up.one("th", aria_sort="ascending").text.startswith("Trạng thái")
    down = page(c.get(CL_Q3 + "&sap-xep=-trang-thai").text)
    assert rows(down) == rows(up)[::-1] or rows(down)[0] == "on_time"
    missing = page(c.get(CL_Q3 + "&trang-thai=chua-nop").text)
    assert set(rows(missing)) == {"none", "draft"} and len(rows(missing)) == 31
    by_name = page(c.get(CL_Q3 + "&sap-xep=don-vi").text)
    names = [r.children for r in by_name.one("table", id="units").all("th") if r.attrs.get("scope") == "row"]
    assert names and by_name.one("table", id="units").one("tbody").all("th")[0].text == "An Giang"
    monkeypatch.setattr(listing, "PAGE_SIZE", 10)
    second = page(c.get(CL_Q3 + "&trang=2").text)
    assert len(rows(second)) == 10 and "trang 2/4" in second.one("caption").text
    assert second.one("nav", class_="pager").one("span", aria_current="page").text == "Trang 2 (đang xem)"
    assert len(rows(page(c.get(CL_Q3 + "&trang=99").text))) == 5  # the last page
    assert "trang 1/4" in page(c.get(CL_Q3 + "&trang=abc").text).one("caption").text


@pytest.mark.parametrize(("address", "says", "lists"), [
    ("/w/tong-hop?ky=2031-Q7", "Không có kỳ «2031-Q7»", "2025-Q3 (hạn 05/10/2025, chuyển sang 06/10/2025)"),
    ("/w/tong-hop?ky=hom-qua", "Không có kỳ «hom-qua»", "2026-Q3 (hạn 05/10/2026)"),
    ("/w/tong-hop?bieu=XYZ", "Không có biểu «XYZ»", "Chỉ tiêu Chiến lược báo chí (CL)"),
    ("/w/chi-tieu?bieu=CL&ky=2031", "Không có kỳ «2031»", "2025 (hạn"),
    ("/w/tong-hop?trang-thai=tre", "Không có trạng thái «tre»", "Nộp muộn"),
    ("/w/tong-hop?sap-xep=mau", "Không sắp xếp được theo «mau»", "Trạng thái"),
    ("/w/chi-tieu/42?bieu=CL&ky=2025-Q3", "không có chỉ tiêu «42»", "2. Người dân vùng sâu"),
    ("/w/don-vi/QUANGTRI?ky=2031-Q7", "Không có kỳ «2031-Q7»", "2025-Q3 (hạn 05/10/2025, chuyển sang 06/10/2025)"),
])
def test_a_bad_address_lists_the_valid_choices(web: tuple[App, World], address: str, says: str, lists: str) -> None:
    app, world = web
    response = signed_in(app, world.cbc).get(address)
    assert response.status_code == 404, response.text
    doc = page(response.text)
    assert says in doc.one("main").text and any(lists in a.text for a in doc.one("main").all("a")), doc.one("main").text


def test_an_out_of_scope_unit_is_answered_exactly_like_a_missing_one(web: tuple[App, World]) -> None:
    app, world = web
    qt, hn = signed_in(app, world.quangtri), signed_in(app, world.hanoi)
    for c, outside in ((qt, "HANOI"), (qt, "BTC-TBTC"), (hn, "QUANGTRI"), (hn, "QT-BAO")):
        for path in ("/w/don-vi/{}", "/w/tong-hop?pham-vi={}", "/w/tai/tong-hop.xlsx?pham-vi={}"):
            if c is hn and not path.startswith("/w/don-vi"):
                continue  # a focal person is refused every analysts' page (see the next test)
            there, nowhere = c.get(path.format(outside)), c.get(path.format("KHONGCO"))
            assert there.status_code == nowhere.status_code == 404, (path, outside)
            assert there.content == nowhere.content and dict(there.headers) == dict(nowhere.headers)
    assert qt.get("/w/don-vi/QT-BAO").status_code == 200  # inside the subtree
    assert qt.get("/w/don-vi/quangtri").status_code == 200  # the code as typed, any case


def test_a_focal_person_sees_only_their_own_units_page(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.focal)
    assert c.get("/w/").headers["location"] == "/w/don-vi/QUANGTRI"
    doc = page(c.get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text)
    assert "Lịch sử sửa đổi" in doc.text and doc.all("section", class_="downloads") == []
    for path in ("/w/tong-hop", "/w/chi-tieu", "/w/chi-tieu/2", "/w/tai/tong-hop.xlsx", "/w/tai/bieu-do.png"):
        refused = c.get(path)
        assert refused.status_code == 403 and "/w/don-vi/QUANGTRI" in refused.text, path
    assert c.get("/w/don-vi/QT-BAO").status_code == 404  # a unit below theirs is not theirs


def test_the_unit_page_shows_answers_receipts_and_every_revision(web: tuple[App, World]) -> None:
    app, world = web
    doc = page(signed_in(app, world.cbc).get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text)
    answers = {row[0]: row for row in table_rows(doc, "answers")}
    assert (answers["2"][2], answers["2"][4], answers["2"][5]) == ("121.000/150.000 (80,7%)", "121.000/150.000",
                                                                   "Chính thức")
    assert answers["2"][3].startswith("Số người dân")  # the unit of measure, as the form file words it
    assert answers["1"][4] == "1.200.000/800.000" and answers["1"][7] == "Thái Lan 55%/45%"
    receipts = table_rows(doc, "receipts")
    assert [r[0] for r in receipts] == ["CL-2025Q3-QUANGTRI-01", "CL-2025Q3-QUANGTRI-02"]
    assert receipts[0][1:] == ["16:00 03/10/2025", "Lê Thị Quế", "Có", "2"]
    history = table_rows(doc, "history")
    assert history[0][1].startswith("Lê Thị Quế") and "qua telegram" in history[0][1]
    official = next(r for r in history if r[3] == "thay bằng số chính thức")
    assert "Giá trị: 120.500/150.000 (80,3%) → 121.000/150.000 (80,7%)" in official[4]
    assert "Tạm ước tính: Có → Không" in official[4]
    first = next(r for r in history if r[2].startswith("2.") and r[3] == "trả lời")
    assert "Giá trị: (trống) → 120.500/150.000 (80,3%)" in first[4] and "Tạm ước tính: (trống) → Có" in first[4]
    assert "Đã nộp đúng hạn" in doc.one("section", aria_labelledby="status-heading").text


def test_the_unit_page_does_not_show_a_change_waiting_for_send_again(web: tuple[App, World]) -> None:
    """Issue 11 §2: after sending, a change is pending until «Gửi lại»; the web view shows what was sent."""
    from storage.repositories import AnswerChange
    from tests.web.world import _parsed

    app, world = web
    with app.uow() as uow:
        unit, period = uow.units.by_code("QUANGTRI"), uow.periods.by_code("CL", "2025-Q3")
        sub = uow.submissions.get(unit.id, period.id)
        uow.submissions.change(sub, "ct2", AnswerChange("answer", raw_text="99.000/150.000",
                                                        value=_parsed(uow, "ct2", "99.000/150.000")), None, "test")
        uow.commit()
    c = signed_in(app, world.cbc)
    html = c.get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text
    answers = {row[0]: row for row in table_rows(page(html), "answers")}
    assert answers["2"][4] == "121.000/150.000" and "99.000" not in html
    with app.uow() as uow:
        uow.submissions.publish(uow.submissions.get(unit.id, period.id))  # sent again
        uow.commit()
    html = c.get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text
    assert {row[0]: row for row in table_rows(page(html), "answers")}["2"][4] == "99.000/150.000"
    history = [r[4] for r in table_rows(page(html), "history")]
    assert any("121.000/150.000 (80,7%) → 99.000/150.000 (66%)" in h for h in history), history


def test_typed_html_is_shown_as_text_and_no_page_has_a_script(web: tuple[App, World]) -> None:
    app, world = web
    register(app, "odd", "QT-BAO", "focal", '<b onmouseover="alert(1)">Tên</b>')
    c = signed_in(app, world.cbc)
    unit = c.get("/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3").text
    assert HTML_ANSWER in [row[4] for row in table_rows(page(unit), "answers")]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in unit
    agencies = c.get("/w/tong-hop?bieu=CDS&ky=2025&pham-vi=QUANGTRI").text
    assert "&lt;b onmouseover=&#34;alert(1)&#34;&gt;Tên&lt;/b&gt;" in agencies
    for path in ("/w/tong-hop", CL_Q3, "/w/chi-tieu?bieu=CL&ky=2025-Q3", "/w/chi-tieu/2?bieu=CL&ky=2025-Q3",
                 "/w/don-vi/QUANGTRI?bieu=CL&ky=2025-Q3", "/w/tong-hop?ky=2031-Q7", "/w/don-vi/X", "/w/khong-co"):
        html = c.get(path).text
        assert "<script" not in html and not re.search(r"<[^>]+\son\w+=", html) and " style=" not in html, path


def test_security_headers_on_every_response(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    for path in ("/w/tong-hop", "/w/don-vi/X", "/w/khong-co", "/w/vao/" + "C" * 32, "/w/da-dang-xuat",
                 "/w/tai/chi-tieu.xlsx?bieu=CL&ky=2025-Q3&so=2", "/w/static/web.css"):
        h = c.get(path).headers
        csp = h["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert "script-src" not in csp, csp  # default-src 'none' forbids every script
        assert (h["x-content-type-options"], h["referrer-policy"], h["x-frame-options"]) == ("nosniff", "no-referrer",
                                                                                           "DENY")
        assert (h.get("cache-control") == "no-store") == (not path.endswith(".css")), path
    anonymous = client(app)
    for path in ("/w/tong-hop", "/w/tai/bieu-do.png?bieu=CL&ky=2025-Q3", "/w/don-vi/QUANGTRI"):
        refused = anonymous.get(path)  # nobody signed in: nothing but the way to sign in
        assert refused.status_code == 401 and refused.headers["content-security-policy"] and "gõ /web" in refused.text
    assert anonymous.post("/w/dang-xuat").headers["x-frame-options"] == "DENY"


def test_the_indicator_pages_use_the_workbooks_words_and_figures(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    doc = page(c.get("/w/chi-tieu?bieu=CL&ky=2025-Q3").text)
    heads = [th.text for th in doc.one("table", id="annex").one("thead").all("th")]
    assert heads[:3] == ["STT", "Chỉ tiêu Chiến lược báo chí", "Đơn vị cung cấp số liệu"]
    assert heads[3:9] == ["Quý I", "Quý II", "Quý III", "Quý IV", "Mục tiêu 2025", "Mục tiêu 2025"]
    # the workbook the page offers (the chat's very bytes: see the downloads test)
    book = openpyxl.load_workbook(io.BytesIO(c.get("/w/tai/tong-hop.xlsx?bieu=CL&ky=2025-Q3").content))
    sheet = [[str(v) if v is not None else "" for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    for row in table_rows(doc, "annex"):
        in_book = next(r for r in sheet if r[0] == row[0] and r[1] == row[1])
        assert row[2:7] == in_book[2:9:2][:1] + [in_book[3], in_book[5], in_book[7], in_book[9]], (row, in_book)
    world.cbc.send("/chitieu 2 2025-Q3")
    one = page(c.get("/w/chi-tieu/2?bieu=CL&ky=2025-Q3").text)
    assert one.one("ul", class_="sentences").all("li")[1].text in world.cbc.text
    for n, unit, value, *_ in table_rows(one, "values"):
        assert f"{n}. {unit}: {value}" in world.cbc.text
    flagged = [row for row in table_rows(one, "values") if "khác xa kỳ trước" in row[5]]
    assert [row[1] for row in flagged] == ["Huế"]


def test_downloads_are_the_bytes_the_chat_and_the_cli_give(web: tuple[App, World], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bot.cli import cli

    app, world = web
    c = signed_in(app, world.cbc)
    with time_machine.travel(datetime(2026, 11, 21, 2, 0, tzinfo=UTC), tick=False):
        world.cbc.send("/tonghop 2025-Q3 CL")
        book = c.get("/w/tai/tong-hop.xlsx?bieu=CL&ky=2025-Q3")
        chart = c.get("/w/tai/bieu-do.png?bieu=CL&ky=2025-Q3")
    sent = {type(r): r for r in world.cbc.replies}
    assert book.content == sent[DocumentOut].data and chart.content == sent[ImageOut].data
    assert book.headers["content-disposition"] == "attachment; filename*=UTF-8''tonghop-CL-2025-Q3.xlsx"
    assert chart.headers["content-type"] == "image/png"
    with time_machine.travel(datetime(2026, 11, 21, 2, 0, tzinfo=UTC), tick=False):
        subtree = c.get("/w/tai/tong-hop.xlsx?bieu=CL&ky=2025-Q3&pham-vi=QUANGTRI")
        out = CliRunner().invoke(cli, ["report", "--period", "2025-Q3", "--form", "CL", "--unit", "QUANGTRI",
                                       "--format", "xlsx", "-o", str(tmp_path / "qt.xlsx")],
                                 env={"DATABASE_URL": app.settings.database_url, "CLOCK_NOW": "2026-11-21T09:00:00+07:00"})
    assert out.exit_code == 0, out.output
    assert subtree.content == (tmp_path / "qt.xlsx").read_bytes()


def test_the_report_draft_is_the_one_baocao_makes(web: tuple[App, World]) -> None:
    import io

    from docx import Document

    app, world = web
    c = signed_in(app, world.cbc)
    assert "bao-cao.docx" in c.get(CL_Q3).text and "Dự thảo báo cáo (Word)" in c.get(CL_Q3).text
    got = c.get("/w/tai/bao-cao.docx?bieu=CL&ky=2025-Q3")
    assert got.status_code == 200 and "wordprocessingml" in got.headers["content-type"]
    assert "baocao-CL-2025-Q3" in got.headers["content-disposition"]
    doc = Document(io.BytesIO(got.content))
    text = "\n".join([*(p.text for p in doc.paragraphs),
                      *(c.text for t in doc.tables for r in t.rows for c in r.cells)])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper() and "Cục Báo chí: 1. Hỗ trợ công cụ đo." in text


def test_the_report_draft_link_serves_the_reports_layers_function(web: tuple[App, World],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.web import downloads

    app, world = web
    c = signed_in(app, world.cbc)
    made = []

    def draft(uow, scope, args, at, lang):  # noqa: ANN001, ANN202 - what `/baocao` would call
        made.append((scope.label(lang), args))
        return "baocao-CL-2025-Q3.docx", b"PK-draft"

    monkeypatch.setattr(downloads, "report_draft", lambda: draft)
    assert "bao-cao.docx" in c.get(CL_Q3).text and "Dự thảo báo cáo (Word)" in c.get(CL_Q3).text
    got = c.get("/w/tai/bao-cao.docx?bieu=CL&ky=2025-Q3&pham-vi=QUANGTRI")
    assert got.content == b"PK-draft" and "wordprocessingml" in got.headers["content-type"]
    assert made == [("Quảng Trị", "2025-Q3 CL")]


def test_first_page_unknown_pages_and_methods(web: tuple[App, World]) -> None:
    app, world = web
    c = signed_in(app, world.cbc)
    assert c.get("/w/").headers["location"] == "/w/tong-hop"
    missing = c.get("/w/khong-co")
    assert missing.status_code == 404 and "Không có trang này" in missing.text
    assert c.post("/w/tong-hop").status_code == 405
    assert c.get("/w/tai/khong-co.xlsx").status_code == 404


def test_a_failing_page_is_a_polite_500_with_the_trace_in_the_log_only(
        web: tuple[App, World], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from bot.web import pages, site

    app, world = web
    c = signed_in(app, world.cbc)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pages, "overview", broken)
    failed = c.get(CL_Q3)
    assert failed.status_code == 500 and "Có lỗi khi lập trang này" in failed.text and "disk on fire" not in failed.text
    assert failed.headers["content-security-policy"] and "disk on fire" in caplog.text
    monkeypatch.setattr(site, "look_up", broken)  # even before anyone is known (the database is down)
    down = c.get("/w/don-vi/QUANGTRI")
    assert down.status_code == 500 and "Traceback" not in down.text and down.headers["x-frame-options"] == "DENY"
