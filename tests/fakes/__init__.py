"""Local fakes of outside services served over real HTTP: the Telegram Bot API, the Zalo OA API and the
Zalo Bot Platform (`zalo_bot_api`)."""

from tests.fakes.telegram_api import FakeBotApi, fake_telegram
from tests.fakes.telegram_observe import InlineButton, SentMessage, Stats
from tests.fakes.telegram_state import ApiCall, StoredFile

__all__ = ["ApiCall", "FakeBotApi", "InlineButton", "SentMessage", "Stats", "StoredFile", "fake_telegram"]
