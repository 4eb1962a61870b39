"""`chitieu remind`: a dry run, the schedule ahead, a real pass with and without a channel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from storage.models import CollectorRound
from tests.fakes import FakeBotApi, fake_telegram  # noqa: F401  (fixture)
from tests.helpers.app import make_app
from tests.helpers.clock import vn
from tests.reminders.world import add_person, fill, log, outbox


@pytest.fixture
def db(catalog_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Quảng Trị's focal person, Hà Nội's (who blocked the bot), an analyst; Form 1 2026-Q3 all sent."""
    for var in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "CLOCK_NOW"):
        monkeypatch.delenv(var, raising=False)
    app = make_app(catalog_sqlite_url, at=vn(2026, 11, 1), load=False)
    add_person(app, "QUANGTRI", name="Lê Thị B", channel="telegram", user_id=3_000_001)
    add_person(app, "HANOI", name="Nguyễn Văn A", reachable=False)
    add_person(app, "CBC", "analyst", name="Trần Thị Tổng Hợp", channel="telegram", user_id=3_000_009)
    with app.uow() as uow:
        provinces = [u.code for u in uow.units.all() if u.kind in ("province", "central") and u.active_to is None]
    for code in provinces:
        fill(app, code, "2026-Q3", submit=True)
    with app.uow() as uow:  # … and Cục Báo chí forwarded Q3 to Viện Chiến lược TT&TT
        uow.session.add(CollectorRound(unit_id=uow.units.by_code("CBC").id, period_id=uow.periods.by_code(
            "CL", "2026-Q3").id, forward_count=1, forwarded_at=vn(2026, 10, 9), last_forwarded_at=vn(2026, 10, 9)))
        uow.commit()
    app.close()
    yield catalog_sqlite_url


def run(db: str, *args: str, **env: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["remind", *args], env={"DATABASE_URL": db, **env})
    return result.exit_code, result.output.splitlines()


def test_dry_run_prints_each_message_with_its_recipient_and_records_nothing(db: str) -> None:
    code, lines = run(db, "--dry-run", "--now", "2026-12-08T08:30")
    assert code == 0
    assert lines[:10] == [
        "reminder pass at 08/12/2026 08:30 (Asia/Ho_Chi_Minh), dry run",
        "  would send  Tue 08/12 08:30  CL 2026-Q4  d+1        deadline    QUANGTRI    Lê Thị B → telegram:3000001",
        "              superseded: d-7, d-3, d-1, d+0",
        "    message to Lê Thị B (telegram:3000001), 1 nudge:",
        "    │ Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026",
        "    │ Chào Anh/Chị Lê Thị B, Quảng Trị chưa nhập số liệu Quý IV/2026 (gồm 7 câu).",
        "    │ Hạn nộp: 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ (đã quá hạn 1 ngày).",
        "    │ [Bắt đầu nhập]",
        "  unreachable Tue 08/12 08:30  CL 2026-Q4  d+1        deadline    HANOI       Nguyễn Văn A"
        " → no reachable identity",
        "              superseded: d-7, d-3, d-1, d+0",
    ]
    analyst = lines.index("    message to Trần Thị Tổng Hợp (telegram:3000009), 2 nudges:")
    assert lines[10:analyst] == [
        "  would send  Tue 08/12 08:30  CL 2026-Q4  digest+1   digest      CBC         Trần Thị Tổng Hợp"
        " → telegram:3000009",
        "  would send  Mon 07/12 08:30  CL 2026-Q4  fwd-3      forward     CBC         Trần Thị Tổng Hợp"
        " → telegram:3000009",  # yesterday's, still useful today
        "  too late    Thu 03/12 08:30  CDS 2026     digest+8   digest      CBC         Trần Thị Tổng Hợp"
        " → too late: planned 03/12, useful until 04/12",  # the next one is due 10/12
        "              superseded: digest+1",
    ]
    message = lines[analyst + 1:-1]
    assert message[:3] == [
        "    │ Nhắc việc: 2 mục cần Anh/Chị xem", "    │ 1. Đơn vị chưa nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026",
        "    │ Đến ngày 08/12/2026, 35/35 đơn vị thuộc Cục Báo chí đã quá hạn mà chưa gửi số liệu:"]
    assert "    │ • Quảng Trị: hạn 05/12, chuyển sang 07/12, quá hạn 1 ngày, chưa bắt đầu" in message
    assert message[-4:] == [
        "    │ 2. Báo cáo tổng hợp: Chỉ tiêu Chiến lược báo chí Quý IV/2026",
        "    │ Báo cáo tổng hợp Chỉ tiêu Chiến lược báo chí Quý IV/2026 của Cục Báo chí gửi Viện Chiến lược Thông tin "
        "và Truyền thông: hạn 10/12/2026 (còn 2 ngày). Đã nhận 0/34 đơn vị.",
        "    │ [1. Xem tổng hợp]", "    │ [2. Gửi báo cáo tổng hợp]  [2. Xem tình hình]"]
    assert lines[-1] == ("2 messages to send (3 nudges), 9 superseded, 1 too late, 0 deferred (in a dialogue), "
                         "1 unreachable; dry run: nothing recorded")
    app = make_app(db, load=False)
    assert log(app) == [] and outbox(app) == []
    app.close()


def test_outside_the_sending_window_nothing_is_due(db: str) -> None:
    for when in ("2026-12-07T07:00", "2026-12-06T09:00", "2026-12-07T21:30", "2026-12-07T08:29"):
        code, lines = run(db, "--dry-run", "--now", when)
        assert code == 0 and lines[-1] == ("0 messages to send (0 nudges), 0 superseded, 0 too late, 0 deferred "
                                           "(in a dialogue), 0 unreachable; dry run: nothing recorded"), when


def test_list_shows_who_gets_what_when(db: str) -> None:
    code, lines = run(db, "--list", "--now", "2026-12-03T09:00", "--days", "11")
    assert code == 0
    people = "2 units, 2 people: Lê Thị B (Quảng Trị), Nguyễn Văn A (Hà Nội, unreachable)"
    analyst = "1 unit, 1 person: Trần Thị Tổng Hợp (Cục Báo chí)"
    assert lines[:7] == [
        "upcoming reminders after 03/12/2026 09:00 (Asia/Ho_Chi_Minh), 11 days:",
        f"Fri 04/12/2026 08:30  CL 2026-Q4  d-3        deadline    {people}",
        # due Saturday 05/12, counts until Monday 07/12: "due today" on Monday, "1 day late" on Tuesday
        f"Mon 07/12/2026 08:30  CL 2026-Q4  d+0        deadline    {people}",
        f"Mon 07/12/2026 08:30  CL 2026-Q4  fwd-3      forward     {analyst}",
        f"Tue 08/12/2026 08:30  CL 2026-Q4  d+1        deadline    {people}",
        f"Tue 08/12/2026 08:30  CL 2026-Q4  digest+1   digest      {analyst}",
        f"Wed 09/12/2026 08:30  CL 2026-Q4  fwd-1      forward     {analyst}",
    ]
    assert ("Mon 14/12/2026 08:30  CL 2026-Q4  esc+5      escalation  2 units, 1 person (moved from Sat 12/12): "
            "Trần Thị Tổng Hợp (Hà Nội), Trần Thị Tổng Hợp (Quảng Trị)") in lines


def test_a_pass_without_a_channel_leaves_messages_queued(db: str) -> None:
    code, lines = run(db, "--now", "2026-12-08T08:30")
    assert code == 0
    assert lines[-2].startswith("2 messages to send (3 nudges), 9 superseded, 1 too late")
    assert lines[-1] == ("no channel is configured (TELEGRAM_BOT_TOKEN is not set): 2 message(s) left queued in "
                         "the outbox; `chitieu run` sends them")
    app = make_app(db, load=False)
    assert [m.status for m in outbox(app)] == ["pending"] * 2
    assert sorted(e.status for e in log(app) if e.status in ("pending", "merged")) == ["merged", "pending", "pending"]
    app.close()
    assert run(db, "--now", "2026-12-08T09:30")[1] == [
        "reminder pass at 08/12/2026 09:30 (Asia/Ho_Chi_Minh)",
        "0 messages to send (0 nudges), 0 superseded, 0 too late, 0 deferred (in a dialogue), 0 unreachable"]


def test_a_pass_sends_through_telegram_when_configured(db: str, fake_telegram: FakeBotApi) -> None:  # noqa: F811
    fake_telegram.add_user(3_000_001)
    fake_telegram.add_user(3_000_009)
    code, lines = run(db, "--now", "2026-12-08T08:30", TELEGRAM_BOT_TOKEN=fake_telegram.token,
                      TELEGRAM_API_BASE_URL=fake_telegram.base_url)
    assert code == 0 and lines[-1] == "sent 2 of 2 through telegram"
    assert [m.text.splitlines()[0] for m in fake_telegram.sent_to(3_000_001)] == [
        "Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026"]
    assert fake_telegram.delivered(3_000_009) == 1  # the digest and the roll-up due 10/12, in one message


def test_a_bad_time_is_refused(db: str) -> None:
    code, lines = run(db, "--now", "next monday")
    assert code == 2 and lines == ["error: --now 'next monday' is not an ISO time; write e.g. 2026-12-07T08:30"]
