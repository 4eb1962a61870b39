"""Telegram through python-telegram-bot: updates to neutral events, neutral replies to Bot API calls."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import json
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta, PTB's future default

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.app import App
from bot.delivery import SEND_DEADLINE, Delivery, RetryLater, Undeliverable
from bot.intake import Intake
from conversations.commands import Menu, canonical_name, menu, menu_of
from conversations.messages import (
    ButtonIn,
    CommandIn,
    DocumentOut,
    Event,
    FileIn,
    ImageOut,
    Inbound,
    Reply,
    Sender,
    TextIn,
    TextOut,
)
from conversations.service import DialogueService

log = logging.getLogger(__name__)
CHANNEL = "telegram"
POLL_TIMEOUT = 10
# Telegram allows about 30 messages a second overall. PTB's default limiter (a bucket of 30 refilled at
# 30/s) lets a burst of 30 through on top of the steady 30/s, which Telegram answers with 429 and a pause
# of the whole channel; one message every 1/29 s never crosses 30 in any second and wastes 3% of the ceiling.
OVERALL_PER_SECOND = 29
FILE_KINDS = ("document", "photo", "sticker", "voice", "video", "video_note", "audio", "location", "contact",
              "animation")
# Telegram's «Menu» button lists the commands of the chat's scope and the user's language: the default scope
# shows the unregistered menu (/start, /huongdan) in Vietnamese, or in English to a Telegram app set to English;
# each registered person's private chat gets the menu of their roles, in the language they chose (/lang).
MENU_LANGUAGES = {"vi": "", "en": "en"}  # our language -> setMyCommands language_code ("" = every other)


def to_event(message: Message) -> Event:
    """A Telegram message as a neutral event."""
    text = message.text or ""
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        return CommandIn(canonical_name(head), args.strip())
    if message.text is not None:
        return TextIn(text)
    kind = next((k for k in FILE_KINDS if getattr(message, k, None)), "other")
    name = message.document.file_name if message.document else None
    return FileIn("document" if kind == "animation" else kind, name)


def to_inbound(update: Update) -> Inbound | None:
    """The update as a neutral inbound event, or None when it is nothing we answer."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    chat_type = "private" if chat.type == "private" else "group"
    if chat_type == "private" and chat.id != user.id:
        # A private chat's id is its user's id. Anything else is forged: never answered, never moves
        # the identity's chat (replies and reminders would go to the forger's chat).
        log.warning("refused update %s: a private chat %s that is not its sender's %s", update.update_id,
                    chat.id, user.id)
        return None
    sender = Sender(CHANNEL, str(user.id), str(chat.id), user.full_name, chat_type)
    if update.callback_query is not None:
        event: Event = ButtonIn(update.callback_query.data or "")
    elif update.message is not None:
        event = to_event(update.message)
    else:
        return None
    return Inbound(sender, event, update_key=str(update.update_id))


def render_html(reply: TextOut) -> str:
    """HTML for Telegram: everything escaped, the title in bold."""
    body = html.escape(reply.text, quote=False)
    return f"<b>{html.escape(reply.title, quote=False)}</b>\n{body}" if reply.title else body


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Chunks under Telegram's limit, cut at line breaks or spaces where possible, never inside an HTML tag
    or entity (`&amp;` cut in two would show as `&am` and `p;`)."""
    chunks, current = [], ""
    for line in text.split("\n"):
        current = f"{current}\n{line}" if current else line
        while len(current) > limit:
            cut = _cut_at(current, limit)
            chunks.append(current[:cut].rstrip())
            current = current[cut:].lstrip()
    chunks.append(current)
    return [c for c in chunks if c.strip()] or [" "]


def _cut_at(text: str, limit: int) -> int:
    """Where to cut `text` (longer than `limit`): the last line break or space in the second half, else at
    the limit; moved back before an entity or tag that would otherwise be cut."""
    cut = next((i for i in (text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)) if i > limit // 2), limit)
    for opening, closing in (("&", ";"), ("<", ">")):
        start = text.rfind(opening, max(0, cut - 12 if opening == "&" else 0), cut)
        if start > 0 and closing not in text[start:cut]:
            cut = start
    return cut


def keyboard(reply: TextOut) -> InlineKeyboardMarkup | None:
    """Inline keyboard of a reply's buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in reply.buttons])


class FloodGate:
    """Telegram's flood wait for the whole bot: after a 429, nothing goes out until `retry_after` passes.

    Delivery sends to several chats at once; a 429 answered to one must hold back the requests of the
    others that are already queued inside PTB, so the wait is enforced right before the network.
    """

    def __init__(self) -> None:
        self.until = 0.0

    def hold(self, seconds: float) -> None:
        """Nothing may be sent for `seconds` from now."""
        self.until = max(self.until, time.monotonic() + seconds)

    async def wait(self) -> None:
        """Return once no flood wait is running."""
        while (left := self.until - time.monotonic()) > 0:
            await asyncio.sleep(left)


class ClaimExpired(TelegramError):
    """An outbox send would start after its claim stopped being safe: the outbox sends it later instead."""


class GatedRequest(HTTPXRequest):
    """PTB's HTTP client: the bot's flood wait before each request, started by a 429.

    An outbox send (`SEND_DEADLINE` set) never waits it out here: it raises RetryAfter with the time
    left, so the outbox row goes back to pending until then instead of sitting in "sending" past its
    claim; nor does it start after its deadline (`ClaimExpired`). Other calls (getUpdates, button
    acknowledgements) wait inline as before.
    """

    def __init__(self, gate: FloodGate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    async def do_request(self, url: str, method: str, request_data: Any = None, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:  # noqa: D102
        deadline = SEND_DEADLINE.get()
        if deadline is None:
            await self.gate.wait()
        else:
            now = time.monotonic()
            if self.gate.until > now:
                raise RetryAfter(dtm.timedelta(seconds=self.gate.until - now))
            if now > deadline:
                raise ClaimExpired("the claim is too old to start sending")
        code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        if code == 429:
            try:
                after = float(json.loads(payload)["parameters"]["retry_after"])
            except (ValueError, KeyError, TypeError):
                after = 1.0
            self.gate.hold(after)
        return code, payload


def chat_of(update: Update) -> str:
    """The chat an update belongs to ("" for the rare kinds without one)."""
    chat = update.effective_chat
    return str(chat.id) if chat else ""


class TelegramChannel:
    """Fetches updates with PTB's Bot (polling) or takes them from the webhook, stores them in the inbox
    before confirming them, applies them through the engine, and sends replies with the Bot API."""

    name = CHANNEL

    def __init__(self, app: App, service: DialogueService, delivery: Delivery) -> None:
        self.app, self.service, self.delivery = app, service, delivery
        self.application = self._build()
        self.intake = Intake(app, service, delivery, CHANNEL, self._translate, self._unanswered, self._busy,
                             self.refresh_menu)
        self.offset: int | None = None
        self.menus: dict[str, Menu | None] = {}  # chat id -> the menu this process last set there (None: default)

    def _build(self) -> Application:
        s = self.app.settings
        assert s.telegram_bot_token is not None
        # with max_retries=0 PTB logs every 429 as an error with a traceback; the outbox handles and logs it
        logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
        builder = (ApplicationBuilder().token(s.telegram_bot_token.get_secret_value())
                   .base_url(s.telegram_api_base_url)
                   .request(GatedRequest(FloodGate(), connection_pool_size=256))
                   # max_retries=0: a 429 goes straight back to the outbox, which schedules the message at
                   # retry_after; retrying here would sleep it out while the row stays claimed "sending"
                   .rate_limiter(AIORateLimiter(overall_max_rate=1, overall_time_period=1 / OVERALL_PER_SECOND,
                                                max_retries=0))
                   .updater(None))  # our own polling loop: an update is confirmed only once stored
        if s.telegram_file_base_url:
            builder = builder.base_file_url(s.telegram_file_base_url)
        return builder.build()

    @property
    def bot(self):  # noqa: ANN201 - telegram.ext.ExtBot
        """PTB's bot (HTTP client, rate limiter)."""
        return self.application.bot

    async def poll_forever(self, timeout: int = POLL_TIMEOUT) -> None:
        """Long polling: fetch, store, then confirm (next offset), then apply in the background."""
        pause = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(offset=self.offset, timeout=timeout,
                                                     allowed_updates=Update.ALL_TYPES)
                pause = 1.0
            except TimedOut:
                continue
            except RetryAfter as exc:  # flood control on getUpdates itself: wait it out, keep polling
                after = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
                log.warning("getUpdates rate limited; polling again in %.0f s", float(after))
                await asyncio.sleep(float(after))
                continue
            except (NetworkError, Conflict) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 60.0)
                continue
            try:
                if updates and await self.take(updates):
                    self.offset = updates[-1].update_id + 1
            except Exception:  # noqa: BLE001 - polling must outlive anything one batch does
                log.exception("taking a batch of updates failed; fetching it again")
                await asyncio.sleep(1.0)

    async def take(self, updates: list[Update]) -> bool:
        """Store a batch, then acknowledge buttons and apply; False (not confirmed) if storing failed."""
        items = [(str(u.update_id), chat_of(u), u.to_dict()) for u in updates]
        try:
            await self.intake.receive(items)
        except Exception:  # noqa: BLE001 - keep them unconfirmed: Telegram will hand them over again
            log.exception("could not store %d updates; they stay unconfirmed", len(updates))
            for chat in dict.fromkeys(chat_of(u) for u in updates):
                await self.intake._tell_busy(chat)
            await asyncio.sleep(2.0)
            return False
        for update in updates:
            if update.callback_query is not None:
                asyncio.create_task(self._ack_button(update))
        for chat in dict.fromkeys(chat_of(u) for u in updates):
            self.intake.schedule(chat)
        return True

    def read_webhook(self, data: object) -> Update:
        """The update a webhook call carries; `BadJson` when it is not one (the server answers 400)."""
        from bot.httpguard import BadJson

        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise BadJson("not an update")
        try:
            update = Update.de_json(data, self.bot)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise BadJson(type(exc).__name__) from None
        if update is None:
            raise BadJson("not an update")
        return update

    async def take_webhook(self, data: dict) -> bool:
        """One update from the webhook: stored before answering 200 (False: answer 503, Telegram retries)."""
        return await self.take([self.read_webhook(data)])

    def _translate(self, payload: dict, key: str) -> Inbound | None:
        update = Update.de_json(payload, self.bot)
        return to_inbound(update) if update is not None else None

    def _unanswered(self, payload: dict) -> None:
        update = Update.de_json(payload, self.bot)
        if update is not None:
            self._track_membership(update)

    async def _ack_button(self, update: Update) -> None:
        """Stop the button's spinner and remove the keyboard so old buttons cannot be pressed twice."""
        query = update.callback_query
        assert query is not None
        try:
            await query.answer()
            if query.message is not None:
                await query.edit_message_reply_markup(reply_markup=None)
        except (BadRequest, NetworkError) as exc:
            log.info("could not acknowledge a button: %s", exc)

    async def _busy(self, chat_id: str) -> None:
        """Tell the person their message is kept and will be handled shortly (sent directly, not queued)."""
        from conversations.turn import TEXTS

        await self.bot.send_message(chat_id, TEXTS.text("dialogue.busy"))

    def _track_membership(self, update: Update) -> None:
        """A person blocked or unblocked the bot: remember whether they can be reached."""
        member = update.my_chat_member
        if member is None or member.chat.type != "private":
            return
        blocked = member.new_chat_member.status in ("kicked", "left")
        with self.app.uow() as uow:
            identity = uow.people.identity(CHANNEL, str(member.from_user.id))
            if identity is not None:
                if blocked:
                    uow.people.mark_unreachable(identity, "blocked the bot")
                else:
                    uow.people.mark_seen(identity, self.app.clock.now())
                uow.commit()
    async def send(self, chat_id: str, reply: Reply, meta: Mapping[str, Any] | None = None) -> None:
        """Send one reply; Telegram's errors become RetryLater or Undeliverable for the outbox."""
        bot = self.application.bot
        try:
            if isinstance(reply, TextOut):
                chunks = split_text(render_html(reply))
                for i, chunk in enumerate(chunks):
                    markup = keyboard(reply) if i == len(chunks) - 1 else None
                    if i == 1:  # the first part went out: the rest must follow it, not be given up
                        SEND_DEADLINE.set(None)
                    await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup)
            elif isinstance(reply, DocumentOut):
                await bot.send_document(chat_id, reply.data, filename=reply.filename, caption=reply.caption[:1024])
            elif isinstance(reply, ImageOut):
                await bot.send_photo(chat_id, reply.data, filename=reply.filename, caption=reply.caption[:1024])
        except RetryAfter as exc:
            after = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            raise RetryLater("telegram rate limit", float(after)) from None
        except ClaimExpired:
            raise RetryLater("telegram: claim too old to send") from None
        except Forbidden as exc:
            raise Undeliverable(f"telegram: {exc.message}") from None
        except BadRequest as exc:
            unreachable = "chat not found" in exc.message.lower()
            raise Undeliverable(f"telegram: {exc.message}", person_unreachable=unreachable) from None
        except (TimedOut, NetworkError) as exc:
            raise RetryLater(f"telegram: {type(exc).__name__}") from None

    async def register_commands(self) -> None:
        """The default menu (what an unregistered person sees), in Vietnamese and, for English apps, English."""
        for lang, code in MENU_LANGUAGES.items():
            entries = menu((), lang).entries
            await self.bot.set_my_commands([BotCommand(c, d) for c, d in entries], language_code=code or None)

    async def refresh_menu(self, chat_id: str) -> None:
        """After a chat's turns: give its menu the commands of the person's roles, in their language, when that
        changed (registered, got or lost a role, chose another language) or was not yet set by this process.
        A person without a role goes back to the default menu. Best effort: a failure is retried next time."""
        if not chat_id.isdigit():  # a group (negative id) or no chat: only private chats get a menu of their own
            return
        try:
            wanted = await asyncio.to_thread(self._menu_of, chat_id)
        except Exception:  # noqa: BLE001 - the database is unavailable: the next message tries again
            log.warning("could not read the menu of a Telegram chat; trying again on its next message")
            return
        if chat_id in self.menus and self.menus[chat_id] == wanted:
            return
        scope = BotCommandScopeChat(int(chat_id))
        try:
            if wanted is None:
                await self.bot.delete_my_commands(scope=scope)
            else:
                await self.bot.set_my_commands([BotCommand(c, d) for c, d in wanted.entries], scope=scope)
        except TelegramError as exc:
            self.menus.pop(chat_id, None)
            log.info("could not set the menu of a Telegram chat (%s); trying again on its next message", exc)
            return
        self.menus[chat_id] = wanted

    def _menu_of(self, chat_id: str) -> Menu | None:
        with self.app.uow() as uow:
            return menu_of(uow, CHANNEL, chat_id)  # a private chat's id is its user's id
