"""A 429 whose retry_after outlasts the outbox claim: the reply goes out once, after the wait.

Telegram answers replies to a chat with 429 and a retry_after longer than the claim timeout. Waiting it
out inline (PTB's AIORateLimiter retries, the flood gate) kept the row "sending" past its claim, the
delivery loop took it over, and both copies went out. The outbox alone owns the wait now.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.fakes import FakeBotApi
from tests.faults.botprocess import BotProcess
from tests.helpers.app import invite, make_app

USERS = (8201, 8202, 8203)
MESSAGES = ("/han", "/huongdan", "/xem")
CLAIM_TIMEOUT = 1.5
RETRY_AFTER = 4  # seconds: longer than the claim timeout


def test_a_flood_wait_longer_than_the_claim_sends_each_reply_once(catalog_sqlite_url: str, tmp_path: Path) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    with FakeBotApi() as fake:
        bot = BotProcess(fake, catalog_sqlite_url, tmp_path / "bot.log",
                         OUTBOX_CLAIM_TIMEOUT_SECONDS=str(CLAIM_TIMEOUT), OUTBOX_POLL_SECONDS="0.2",
                         REMINDER_PASS_SECONDS="3600")
        bot.start()
        try:
            for user in USERS:
                fake.user_sends_command(user, "start", invite(app, "QUANGTRI"))
            fake.wait_for(lambda: all(fake.sent_to(u) for u in USERS), timeout=20)
            time.sleep(1.1)  # the per-chat window of the registration replies has passed
            # one message a second per chat, else 429 with a fixed retry_after
            fake.rate_limit(per_second=None, per_chat_per_second=1, per_group_per_minute=None,
                            retry_after=RETRY_AFTER)
            for user in USERS:
                for text in MESSAGES:
                    fake.user_sends_text(user, text)
            fake.wait_for(lambda: all(len(fake.sent_to(u)) >= 1 + len(MESSAGES) for u in USERS), timeout=60)
            time.sleep(RETRY_AFTER + CLAIM_TIMEOUT + 1)  # any copy still held somewhere would arrive now
        finally:
            bot.stop()
        rate_limited = fake.stats.rate_limited
        duplicates = fake.duplicates()
        per_user = {u: len(fake.sent_to(u)) for u in USERS}
    app.close()
    assert rate_limited >= len(USERS), "Telegram never made the bot wait: the test proves nothing"
    assert duplicates == 0
    assert per_user == {u: 1 + len(MESSAGES) for u in USERS}
