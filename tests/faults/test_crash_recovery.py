"""Kill the bot process (SIGKILL) at random points of a submission, many times; nothing typed is lost.

After every restart the person continues at the same question: each step's reply must be the next
question (checked by its title), and at the end the database holds exactly the confirmed answers,
each applied once. Run with `make test-faults`; the figures are printed.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Answer, AnswerRevision, Submission
from tests.fakes import FakeBotApi
from tests.faults.botprocess import BotProcess
from tests.helpers.app import invite, make_app
from tests.helpers.figures import figure

pytestmark = pytest.mark.faults
TARGET_KILLS = 51  # three whole submissions with a kill at every step

# (kind, input, a fragment the reply to it must contain)
SCRIPT: list[tuple[str, str, str]] = [
    ("text", "/nop 2026-Q4", "Chỉ tiêu 1 · "),
    ("text", "65/30", "Chưa hợp lệ"),
    ("text", "62%/38%", "So sánh quốc tế cho chỉ tiêu 1"),
    ("text", "Thái Lan 55%/45%", "Chỉ tiêu 2 · "),
    ("text", "80%", "Chưa hợp lệ"),
    ("press", "Quay lại", "Đã nhập: 62%/38%"),
    ("press", "Giữ nguyên", "So sánh quốc tế cho chỉ tiêu 1"),
    ("press", "Bỏ qua", "Chỉ tiêu 2 · "),
    ("press", "Tạm ước tính", "tạm ước tính"),
    ("text", "120.500/150.000", "So sánh quốc tế cho chỉ tiêu 2"),
    ("text", "Malaysia 90%", "Mục III"),
    ("text", "1. Tăng nhờ phủ sóng số", "Mục IV"),
    ("press", "Bỏ qua", "Mục V"),
    ("text", "Không có", "Mục VI"),
    ("text", "Hỗ trợ công cụ đo truy cập", "Mục VII"),
    ("text", "Tổng kết năm: đạt kế hoạch", "Tóm tắt"),
    ("press", "Gửi", "Mã biên nhận: CL-2026Q4-"),
]
EXPECTED = {"ct1": "62%/38%", "ct2": "120.500/150.000", "trend": "1. Tăng nhờ phủ sóng số",
            "difficulties": "Không có", "proposals": "Hỗ trợ công cụ đo truy cập",
            "year_summary": "Tổng kết năm: đạt kế hoạch"}


def send(fake: FakeBotApi, user: int, kind: str, value: str) -> None:
    if kind == "text":
        fake.user_sends_text(user, value)
        return
    message = next(m for m in reversed(fake.sent_to(user)) if any(value in t for t in m.button_texts))
    fake.user_presses_button(user, message, text=next(t for t in message.button_texts if value in t))


def wait_reply(fake: FakeBotApi, user: int, after: int, fragment: str, timeout: float = 30.0) -> int:
    """Wait for a message after index `after` containing `fragment`; returns how many extra came before it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = fake.sent_to(user)[after:]
        for i, m in enumerate(new):
            if fragment in (m.text or ""):
                return i
        time.sleep(0.05)
    transcript = "\n".join(line[:90] for line in fake.transcript(user)[-12:])
    raise AssertionError(f"no reply containing {fragment!r} after message {after}; the chat ended:\n{transcript}")


def run_round(fake: FakeBotApi, bot: BotProcess, user: int, rng: random.Random, kills: list[int]) -> int:
    """One whole submission with a kill at (almost) every step; returns replies seen twice."""
    extra = 0
    for kind, value, fragment in SCRIPT:
        before = len(fake.sent_to(user))
        send(fake, user, kind, value)
        if kills[0] < TARGET_KILLS:
            time.sleep(rng.uniform(0.0, 0.4))  # somewhere while the update is fetched, applied or answered
            bot.kill()
            kills[0] += 1
            bot.start()
        extra += wait_reply(fake, user, before, fragment)
    return extra


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_mid_dialogue_loses_nothing(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    db_url = request.getfixturevalue("catalog_sqlite_url" if backend == "sqlite" else "pg_url")
    app = make_app(db_url, load=backend != "sqlite")
    seed = int(os.environ.get("CRASH_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    kills, extra, rounds = [0], 0, 0
    with FakeBotApi() as fake:
        bot = BotProcess(fake, db_url, tmp_path / "bot.log")
        bot.start()
        try:
            for user, unit in enumerate(("QUANGTRI", "HANOI", "HUE", "DANANG"), start=7001):
                fake.user_sends_command(user, "start", invite(app, unit))
                wait_reply(fake, user, 0, "đã được đăng ký")
                extra += run_round(fake, bot, user, rng, kills)
                rounds += 1
                if kills[0] >= TARGET_KILLS:
                    break
        finally:
            bot.stop()
    lost = 0
    with app.uow() as uow:
        subs = uow.session.scalars(select(Submission)).all()
        assert len(subs) == rounds and all(s.status == "submitted" for s in subs)
        for sub in subs:
            answers = uow.submissions.answers(sub.id)
            lost += sum(1 for key, raw in EXPECTED.items() if key not in answers or answers[key].raw_text != raw)
        revisions = uow.session.scalar(select(func.count()).select_from(AnswerRevision))
        stored = uow.session.scalar(select(func.count()).select_from(Answer))
    app.close()
    figure(f"[crash {backend}] seed={seed} kills={kills[0]} rounds={rounds} answers_lost={lost} "
          f"duplicate_replies={extra} revisions={revisions} answers={stored}")
    assert kills[0] >= 50
    assert lost == 0
    # per round: ct1 answer + comparison, ct2 answer + comparison, 4 sections, intl skipped = 9 revisions
    assert revisions == 9 * rounds, "every answer applied exactly once"
