"""Taking access back through the CLI (`chitieu people`, `chitieu invite list|revoke`, `chitieu audit`), and
what the person then sees in the chat: the notice, no more commands, no more reminders, no web session."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.app import App
from bot.cli.base import cli
from bot.web.auth import look_up, new_sign_in, redeem
from conversations.forms import FormCache
from conversations.reminders import plan_pass, run_pass
from storage.models import AuditEntry, OutboxMessage, ReminderLog
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.helpers.clock import vn

D_MINUS_3 = vn(2026, 12, 4, 8, 30)  # CL 2026-Q4's d-3 (due Sat 05/12, counts until Mon 07/12): every province's focal person is nudged


@pytest.fixture
def run(app: App):  # noqa: ANN201
    """`chitieu ARGS` on the test app's database, at the app's frozen time; (exit code, stdout, stderr)."""
    runner = CliRunner()
    env = {"DATABASE_URL": app.settings.database_url, "LOG_LEVEL": "WARNING", "USER": "quantri",
           "CLOCK_NOW": "2026-11-21T09:00:00+07:00", "COLUMNS": "200"}

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, list(args), env=env)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def person_of(app: App, chat: Chat) -> int:
    with app.uow() as uow:
        identity = uow.people.identity(chat.sender.channel, chat.sender.user_id)
        assert identity is not None and identity.person_id is not None
        return identity.person_id


def notices(app: App, chat: Chat) -> list[str]:
    """Texts of the notices queued for the chat and not sent yet (the running bot sends them)."""
    with app.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.chat_id == chat.sender.chat_id, OutboxMessage.kind == "notice",
            OutboxMessage.status == "pending").order_by(OutboxMessage.id)).all()
        return [r.payload["text"] for r in rows]


def audit_log(app: App) -> list[tuple[str, str, str, str | None]]:
    with app.uow() as uow:
        return [(e.actor, e.action, e.target, e.detail)
                for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_people_list_shows_roles_accounts_and_filters(app: App, registered: Callable[..., Chat], run) -> None:
    registered("QUANGTRI", name="Lê Thị B", user_id="lan")
    registered("CBC", "analyst", name="Trần Văn C", user_id="cuong")
    code, out, _ = run("people", "list")
    assert code == 0
    lan = next(line for line in out.splitlines() if "Lê Thị B" in line)
    assert "QUANGTRI" in lan and "focal" in lan and "test:lan" in lan
    assert "Trần Văn C" in out and "analyst" in out
    _, only_analysts, _ = run("people", "list", "--role", "analyst")
    assert "Trần Văn C" in only_analysts and "Lê Thị B" not in only_analysts
    _, only_qt, _ = run("people", "list", "--unit", "quangtri")
    assert "Lê Thị B" in only_qt and "Trần Văn C" not in only_qt
    code, _, err = run("people", "list", "--role", "boss")
    assert code == 2 and err.strip() == "error: role must be one of focal, analyst, admin, not 'boss'"
    code, _, err = run("people", "list", "--unit", "NOPE")
    assert code == 2 and "no unit has code 'NOPE'" in err


def test_a_revoked_analyst_is_told_and_can_no_longer_ask(app: App, registered: Callable[..., Chat], run) -> None:
    analyst = registered("CBC", "analyst", name="Trần Văn C")
    analyst.send("/thieu")
    assert "chỉ dành cho" not in analyst.text
    pid = person_of(app, analyst)
    code, out, err = run("people", "revoke", str(pid), "--all", "--reason", "nghỉ hưu", "--by", "Nguyễn Quản Trị")
    assert code == 0, err
    assert f"revoked: analyst of CBC (person {pid}, Trần Văn C)" in out
    assert "no role left" in out and "notice queued to 1 account(s)" in out
    [notice] = notices(app, analyst)
    assert notice.startswith("Quyền sử dụng bot báo cáo chỉ tiêu của Anh/Chị (cán bộ tổng hợp của Cục Báo chí) "
                             "đã được cán bộ quản trị thu hồi.")
    for command in ("/thieu", "/tonghop", "/nop", "/start", "xin chào"):
        analyst.send(command)
        assert analyst.text.strip().startswith("Anh/Chị không còn quyền sử dụng bot báo cáo chỉ tiêu"), command
    assert audit_log(app) == [("Nguyễn Quản Trị", "person.revoke", f"person {pid} (Trần Văn C)",
                               "analyst@CBC; reason: nghỉ hưu")]
    _, listing, _ = run("people", "list", "--role", "analyst")
    row = next(line for line in listing.splitlines() if "Trần Văn C" in line)
    assert len(re.findall(r"\d\d/\d\d/\d{4} \d\d:\d\d", row)) == 2  # since, and revoked (the real time)
    _, active, _ = run("people", "list", "--role", "analyst", "--active")
    assert "Trần Văn C" not in active
    _, log, _ = run("audit")
    assert "Nguyễn Quản Trị" in log and "person.revoke" in log and "nghỉ hưu" in log


def test_revoking_one_role_keeps_the_others(app: App, run) -> None:
    chat = Chat(app.dialogue_service(), "hai")
    chat.send(f"/start {invite(app, 'QUANGTRI', 'focal', name='Lê Thị B')}")
    chat.send(f"/start {invite(app, 'QUANGTRI', 'analyst')}")
    chat.send("có")  # a second invite in a registered chat is confirmed first
    pid = person_of(app, chat)
    code, out, _ = run("people", "revoke", str(pid), "--role", "analyst")
    assert code == 0 and "still holds: focal of QUANGTRI" in out
    assert notices(app, chat) == ["Cán bộ quản trị đã thu hồi quyền của Anh/Chị: cán bộ tổng hợp của Quảng Trị. "
                                  "Anh/Chị vẫn là đầu mối của Quảng Trị. Nếu có thắc mắc, Anh/Chị liên hệ cán bộ "
                                  "quản trị."]
    chat.send("/thieu")
    assert chat.text.strip().startswith("Lệnh /thieu chỉ dành cho cán bộ tổng hợp hoặc quản trị viên.")
    chat.send("/han")
    assert "Quảng Trị" in chat.text
    assert audit_log(app)[0][:2] == ("quantri", "role.revoke")  # no --by: the system user
    code, _, err = run("people", "revoke", str(pid), "--role", "analyst")
    assert code == 2 and err.strip() == (f"error: person {pid} (Lê Thị B) holds no active analyst; "
                                         "see `chitieu people list`")
    code, _, err = run("people", "revoke", str(pid))
    assert code == 2 and "say what to revoke: --role and/or --unit, or --all" in err
    code, _, err = run("people", "revoke", "999", "--all")
    assert code == 2 and "no person has id 999" in err
    code, _, err = run("people", "revoke", "test:nobody", "--all")
    assert code == 2 and "no person has the id or account 'test:nobody'" in err
    code, out, _ = run("people", "revoke", "test:hai", "--all")  # an account, as `people list` shows it
    assert code == 0 and f"revoked: focal of QUANGTRI (person {pid}, Lê Thị B)" in out


def test_a_new_invite_gives_a_revoked_person_access_again(app: App, registered: Callable[..., Chat], run) -> None:
    chat = registered("QUANGTRI", name="Lê Thị B")
    pid = person_of(app, chat)
    run("people", "revoke", str(pid), "--all")
    chat.send("/han")
    assert "không còn quyền" in chat.text
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "đã được đăng ký là đầu mối của Quảng Trị" in chat.text
    assert person_of(app, chat) == pid, "the same person, with their history"
    chat.send("/han")
    assert "Quảng Trị" in chat.text


def test_revoked_people_get_no_reminders_and_their_queued_ones_are_given_up(
        app: App, registered: Callable[..., Chat], run) -> None:
    kept, gone = registered("HANOI"), registered("QUANGTRI")
    gone_id = person_of(app, gone)
    gone.send(f"/start {invite(app, 'CBC', 'analyst')}")  # keeps this role: only QUANGTRI's reminders stop
    gone.send("có")  # a second invite in a registered chat is confirmed first
    first = run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
    assert {d.nudge.person_id for d in first.decisions} == {person_of(app, kept), gone_id}
    queued = sum(1 for d in first.decisions if d.nudge.person_id == gone_id and d.nudge.unit.code == "QUANGTRI"
                 and d.action == "send")
    assert queued >= 1
    code, out, _ = run("people", "revoke", str(gone_id), "--unit", "QUANGTRI")
    assert code == 0 and f"unsent messages given up: {queued}" in out and "still holds: analyst of CBC" in out
    with app.uow() as uow:
        rows = uow.session.execute(select(ReminderLog.person_id, ReminderLog.unit_id, ReminderLog.status,
                                          OutboxMessage.status, OutboxMessage.error)
                                   .join(OutboxMessage, OutboxMessage.reminder_id == ReminderLog.id)).all()
        qt = uow.units.by_code("QUANGTRI").id
        later = plan_pass(uow, FormCache(), app.clock.tz, vn(2026, 12, 7, 8, 30))  # the due day
    stopped = {r[2:] for r in rows if r[0] == gone_id and r[1] == qt}
    others = {r[2:] for r in rows if not (r[0] == gone_id and r[1] == qt)}
    assert stopped == {("undeliverable", "undeliverable", "access revoked")}
    assert others == {("pending", "pending", None)}, "the analyst role's reminders and the others go on"
    assert not any(d.nudge.person_id == gone_id and d.nudge.unit.id == qt for d in later)
    assert any(d.nudge.person_id == person_of(app, kept) for d in later), "the planner skips them, not everyone"


def test_revoking_ends_web_sessions(app: App, registered: Callable[..., Chat], run) -> None:
    analyst = registered("CBC", "analyst")
    pid = person_of(app, analyst)
    now = app.clock.now()
    with app.uow() as uow:
        signed = redeem(uow, new_sign_in(uow, pid, now), "127.0.0.1", now)
        uow.commit()
    assert not isinstance(signed, str)
    code, out, _ = run("people", "revoke", str(pid), "--all")
    assert code == 0 and "web sessions ended: 1" in out
    with app.uow() as uow:
        assert look_up(uow, signed.cookie, now) is None


def test_invite_list_and_revoke(app: App, run) -> None:
    code, out, _ = run("invite", "--unit", "QUANGTRI", "--name", "Lê Thị B")
    typed = out.split()[1]
    run("invite", "--unit", "HANOI", "--role", "analyst")
    code, listing, _ = run("invite", "list")
    assert code == 0 and "unused invites" in listing
    row = next(line for line in listing.splitlines() if "QUANGTRI" in line)
    assert "focal" in row and "Lê Thị B" in row and "unused" in row and "05/12/2026 09:00" in row
    invite_id = row.split("│")[1].strip()
    code, out, _ = run("invite", "revoke", invite_id, "--by", "Cán bộ A")
    assert code == 0 and out.strip() == f"invite {invite_id} revoked (focal of QUANGTRI); recorded in the audit log"
    assert audit_log(app) == [("Cán bộ A", "invite.revoke", f"invite {invite_id}", "focal@QUANGTRI for Lê Thị B")]
    _, listing, _ = run("invite", "list")
    assert "QUANGTRI" not in listing and "HANOI" in listing
    _, everything, _ = run("invite", "list", "--all")
    assert "revoked" in everything
    chat = Chat(app.dialogue_service(), "leaked")
    chat.send(f"/start {typed}")
    assert chat.text.strip() == ("Mã mời này đã bị cán bộ quản trị hủy. Anh/Chị liên hệ cán bộ quản trị để được "
                                 "cấp mã mới.")
    chat.send("/nop")
    assert "chưa được đăng ký" in chat.text
    code, _, err = run("invite", "revoke", invite_id)
    assert code == 2 and err.strip() == f"error: invite {invite_id} is already revoked"


def test_invite_revoke_by_code_and_refusals(app: App, run) -> None:
    _, out, _ = run("invite", "--unit", "QUANGTRI")
    typed = out.split()[1]
    used = invite(app, "HANOI")
    chat = Chat(app.dialogue_service(), "u-hn")
    chat.send(f"/start {used}")
    code, out, _ = run("invite", "revoke", typed.lower().replace("-", " "))
    assert code == 0 and "revoked (focal of QUANGTRI)" in out
    pid = person_of(app, chat)
    with app.uow() as uow:
        used_id = max(i.id for i in uow.invites.list())
    code, _, err = run("invite", "revoke", str(used_id))
    assert code == 2 and err.strip() == (f"error: invite {used_id} was already used by person {pid}; take the role "
                                         f"back with `chitieu people revoke {pid} --role focal --unit HANOI`")
    code, _, err = run("invite", "revoke", "AAAA-BBBB-CCCC")
    assert code == 2 and "no invite matches 'AAAA-BBBB-CCCC'" in err
    code, _, err = run("invite")
    assert code == 2 and "--unit is required" in err


def test_lienket_tells_the_existing_account(app: App) -> None:
    service = app.dialogue_service()
    telegram = Chat(service, "7001", channel="telegram", name="Lan")
    telegram.send(f"/start {invite(app, 'QUANGTRI', name='Lê Thị B')}")
    telegram.send("/lienket")
    code = telegram.text.split("Mã liên kết của Anh/Chị: ")[1].split()[0]
    zalo = Chat(service, "z-99", channel="zalo", name="Người lạ")
    zalo.send(code)
    assert "Đã liên kết" in zalo.text
    assert notices(app, telegram) == ["Tài khoản của Anh/Chị vừa được liên kết thêm kênh zalo (Người lạ) lúc "
                                      "09:00 21/11/2026. Nếu không phải Anh/Chị thực hiện, Anh/Chị báo ngay cán bộ "
                                      "quản trị để thu hồi quyền truy cập của kênh đó."]
    assert notices(app, zalo) == [], "the new account is not told about itself"


def test_the_console_prints_the_notice_and_refuses_afterwards(tmp_path: Path) -> None:
    """`chitieu run` (console) while `chitieu people revoke` runs in another process."""
    binary = Path(sys.executable).parent / "chitieu"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "LOG_LEVEL": "WARNING",
           "OUTBOX_POLL_SECONDS": "0.2", "LISTEN_PORT": "0", "USER": "quantri"}
    env.pop("TELEGRAM_BOT_TOKEN", None)

    def chitieu(*args: str) -> str:
        done = subprocess.run([str(binary), *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    chitieu("db", "upgrade")
    chitieu("catalog", "load")
    code = chitieu("invite", "--unit", "CBC", "--role", "analyst").split()[1]
    proc = subprocess.Popen([str(binary), "run"], env=env, cwd=tmp_path, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def wait_for(text: str, timeout: float = 30.0) -> None:
        end, seen = time.monotonic() + timeout, []
        while time.monotonic() < end:
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return
        raise AssertionError(f"{text!r} not printed; got {seen}")

    def type_line(line: str) -> None:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()

    try:
        type_line(f"/start {code}")
        wait_for("cán bộ tổng hợp của Cục Báo chí")
        listing = chitieu("people", "list")
        assert "console:user:" in listing
        person = next(line for line in listing.splitlines() if "console:user:" in line).split("│")[1].strip()
        chitieu("people", "revoke", person, "--all")
        wait_for("đã được cán bộ quản trị thu hồi")  # printed by the console while it waits for input
        type_line("/thieu")
        wait_for("Anh/Chị không còn quyền sử dụng bot báo cáo chỉ tiêu")
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_revoke_and_invite_revoke_on_both_databases(db_url: str) -> None:
    app = make_app(db_url, at=D_MINUS_3 - timedelta(hours=2))  # registered before the pass: not mid-dialogue
    try:
        chat = Chat(app.dialogue_service(), "pg1")
        chat.send(f"/start {invite(app, 'QUANGTRI', name='Lê Thị B')}")
        run_pass(app.uow, FormCache(), app.clock.tz, D_MINUS_3)
        pid = person_of(app, chat)
        env = {"DATABASE_URL": db_url, "LOG_LEVEL": "WARNING", "USER": "quantri", "COLUMNS": "200"}
        result = CliRunner().invoke(cli, ["people", "revoke", str(pid), "--all"], env=env)
        assert result.exit_code == 0, result.stderr
        assert "unsent messages given up: 0" not in result.stdout
        spare = invite(app, "HANOI")
        with app.uow() as uow:
            spare_id = max(i.id for i in uow.invites.list())
        result = CliRunner().invoke(cli, ["invite", "revoke", str(spare_id)], env=env)
        assert result.exit_code == 0, result.stderr
        chat.send("/nop")
        assert "không còn quyền" in chat.text
        other = Chat(app.dialogue_service(), "pg2")
        other.send(f"/start {spare}")
        assert "đã bị cán bộ quản trị hủy" in other.text
        assert [a[1] for a in audit_log(app)] == ["person.revoke", "invite.revoke"]
    finally:
        app.close()
