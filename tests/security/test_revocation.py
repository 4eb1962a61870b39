"""After `chitieu people revoke --all`, every command, text and old button of every role gets only the
revocation notice: nothing of the data, no file, no link code, no web link."""

from __future__ import annotations

from collections.abc import Callable

from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.app import App
from bot.cli.base import cli
from conversations.messages import ButtonIn, TextOut
from tests.helpers.chat import Chat
from tests.helpers.figures import figure
from tests.security.test_access_matrix import COMMANDS

NO_ACCESS = "Anh/Chị không còn quyền sử dụng bot báo cáo chỉ tiêu"
ROLES = (("QUANGTRI", "focal"), ("QT-BAO", "focal"), ("QUANGTRI", "analyst"), ("CBC", "analyst"), ("CBC", "admin"))


def test_every_action_of_a_revoked_person_is_refused(app: App, registered: Callable[..., Chat]) -> None:
    tried = refused = 0
    for unit, role in ROLES:
        chat = registered(unit, role)
        chat.send("/nop")  # buttons of a dialogue in progress, pressed after the revocation
        old_buttons = [b.data for r in chat.replies if isinstance(r, TextOut) for row in r.buttons for b in row]
        with app.uow() as uow:
            person = uow.people.identity(chat.sender.channel, chat.sender.user_id).person_id
        result = CliRunner().invoke(cli, ["people", "revoke", str(person), "--all"],
                                    env={"DATABASE_URL": app.settings.database_url, "LOG_LEVEL": "WARNING"})
        assert result.exit_code == 0, result.stderr
        events = [*COMMANDS, "65/35", "xin chào", "web"]
        events += [ButtonIn(d) for d in [*old_buttons, "cmd:tonghop", "cmd:web"]]
        for event in events:
            replies = chat.send(event) if isinstance(event, str) else chat.event(event)
            tried += 1
            texts = [r for r in replies if isinstance(r, TextOut)]
            assert len(replies) == len(texts) == 1 and texts[0].text.startswith(NO_ACCESS), (unit, role, replies)
            assert not texts[0].buttons
            refused += 1
    figure(f"[revoked] roles={len(ROLES)} actions tried={tried} refused={refused} answered=0")
