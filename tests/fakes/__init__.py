"""Local fakes of outside services served over real HTTP: the Telegram Bot API and the Zalo OA API."""

from tests.fakes.telegram_api import FakeBotApi, fake_telegram
from tests.fakes.telegram_observe import InlineButton, SentMessage, Stats
from tests.fakes.telegram_state import ApiCall, StoredFile

__all__ = ["ApiCall", "FakeBotApi", "InlineButton", "SentMessage", "Stats", "StoredFile", "fake_telegram"]
