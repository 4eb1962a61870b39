"""Zalo OA: signed webhook events to neutral events, neutral replies to OA consultation messages."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.app import App
from bot.delivery import Delivery, RetryLater, Undeliverable
from bot.httpguard import BadJson, read_json
from bot.intake import Intake
from bot.zalo.client import ZaloClient, ZaloConfig
from bot.zalo.errors import (
    ZaloError,
    ZaloOutsideWindow,
    ZaloRateLimited,
    ZaloRefreshFailed,
    ZaloTokenExpired,
    ZaloUnavailable,
)
from bot.zalo.store import DatabaseTokenStore
from bot.zalo.webhook import ZaloEvent, ZaloEventError, event_key, parse_event, verify_signature
from conversations.commands import canonical_name
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
from conversations.turn import TEXTS

log = logging.getLogger(__name__)
CHANNEL = "zalo"
BUTTON_PREFIX = "#b:"  # hidden query payloads come back as text starting with this
FILE_EVENTS = {"user_send_image": "photo", "user_send_file": "document", "user_send_sticker": "sticker",
               "user_send_audio": "voice", "user_send_video": "video", "user_send_location": "location",
               "user_send_gif": "photo", "user_send_link": "other", "user_send_business_card": "contact"}
ZALO_FILE_TYPES = (".pdf", ".doc", ".docx", ".csv")
FUTURE_SKEW_SECONDS = 60  # events dated further ahead are refused (clocks differ by seconds, not minutes)


def to_event(event: ZaloEvent) -> Event | None:
    """A Zalo event as a neutral event (None for events we do not answer)."""
    name = event.event_name
    if name == "user_send_text":
        text = (event.text or "").strip()
        if text.startswith(BUTTON_PREFIX):
            return ButtonIn(text[len(BUTTON_PREFIX):])
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            return CommandIn(canonical_name(head), args.strip())
        return TextIn(text)
    if name == "follow":
        return CommandIn("start")
    if name in FILE_EVENTS:
        return FileIn(FILE_EVENTS[name])
    return None


class ZaloChannel:
    """Receives the OA webhook and sends consultation messages (ZNS for reminders outside the window)."""

    name = CHANNEL

    def __init__(self, app: App, service: DialogueService, delivery: Delivery,
                 client: ZaloClient | None = None) -> None:
        self.app, self.service, self.delivery = app, service, delivery
        self.client = client or make_client(app)
        self.intake = Intake(app, service, delivery, CHANNEL, self._translate, self._unanswered)

    async def accept(self, raw_body: bytes, headers: Mapping[str, str]) -> int:
        """Check and store one webhook call, then answer (200, or 401/400; 503 makes Zalo retry)."""
        s = self.app.settings
        try:
            data = read_json(raw_body)
            timestamp = str(data.get("timestamp", ""))
        except (BadJson, AttributeError):
            log.warning("refused a Zalo webhook call that is not a JSON object")
            return 400
        assert s.zalo_app_id and s.zalo_oa_secret_key
        if not verify_signature(raw_body, headers.get("x-zevent-signature", ""), s.zalo_app_id,
                                s.zalo_oa_secret_key.get_secret_value(), timestamp):
            log.warning("refused a Zalo webhook call with a bad signature")
            return 401
        try:
            event = parse_event(data)
        except ZaloEventError as exc:
            log.warning("refused a malformed Zalo event: %s", exc)
            return 400
        age = time.time() - event.timestamp / 1000  # Zalo's clock, not CLOCK_NOW (a frozen training clock)
        if not -FUTURE_SKEW_SECONDS <= age <= s.zalo_event_max_age_seconds:
            # A correctly signed event replayed later (or dated ahead): its dedupe key may be pruned by then.
            log.warning("refused a Zalo event dated %+.0f s from now (accepted: %d s old at most)", -age,
                        s.zalo_event_max_age_seconds)
            return 400
        try:
            await self.intake.receive([(event_key(event), event.user_id or "", data)])
        except Exception:  # noqa: BLE001 - not stored: let Zalo deliver it again
            log.exception("could not store a Zalo event; answering 503 so Zalo retries")
            return 503
        self.intake.schedule(event.user_id or "")
        return 200

    def _translate(self, payload: dict[str, Any], key: str) -> Inbound | None:
        """A stored event as a neutral inbound event (None when there is nothing to answer)."""
        event = parse_event(payload)
        if not event.from_user or not event.user_id or event.event_name in ("unfollow", "user_submit_info"):
            return None
        neutral = to_event(event)
        if neutral is None:
            return None
        return Inbound(Sender(CHANNEL, event.user_id, event.user_id, None, "private"), neutral, update_key=key)

    def _unanswered(self, payload: dict[str, Any]) -> None:
        event = parse_event(payload)
        if event.from_user and event.event_name in ("unfollow", "user_submit_info"):
            self._profile_event(event)

    def _profile_event(self, event: ZaloEvent) -> None:
        """`unfollow` makes the person unreachable here; `user_submit_info` keeps their phone for ZNS."""
        with self.app.uow() as uow:
            identity = uow.people.identity(CHANNEL, event.user_id or "")
            if identity is None:
                return
            if event.event_name == "unfollow":
                uow.people.mark_unreachable(identity, "unfollowed the Zalo OA")
            phone = (event.info or {}).get("phone") if event.info else None
            if phone and identity.person_id:
                person = uow.people.person(identity.person_id)
                if person is not None:
                    person.phone = str(phone)[:32]
            uow.commit()

    async def send(self, chat_id: str, reply: Reply, meta: Mapping[str, Any] | None = None) -> None:
        """Send one reply; Zalo's errors become RetryLater or Undeliverable for the outbox."""
        try:
            if not await asyncio.to_thread(self._inside_window, chat_id):
                await self._outside_window(chat_id, meta or {})
                return
            await self._send(chat_id, reply)
        except (ZaloRateLimited, ZaloUnavailable, ZaloTokenExpired) as exc:
            raise RetryLater(f"zalo: {type(exc).__name__}") from None
        except ZaloRefreshFailed:
            raise RetryLater("zalo: token refresh failed; admins notified", 600) from None
        except ZaloOutsideWindow as exc:
            raise Undeliverable(f"zalo: outside the reply window ({exc})", person_unreachable=False) from None
        except ZaloError as exc:
            raise Undeliverable(f"zalo: {exc}", person_unreachable=False) from None

    async def _send(self, chat_id: str, reply: Reply) -> None:
        if isinstance(reply, TextOut):
            text = f"{reply.title}\n{reply.text}" if reply.title else reply.text
            buttons = [(b.label, BUTTON_PREFIX + b.data) for row in reply.buttons for b in row]
            if buttons:
                await self.client.send_buttons(chat_id, text, buttons, hide_payload=True)
            else:
                await self.client.send_text(chat_id, text)
        elif isinstance(reply, ImageOut):
            await self.client.send_image(chat_id, reply.data, reply.caption)
        elif isinstance(reply, DocumentOut):
            await self._send_document(chat_id, reply)

    async def _send_document(self, chat_id: str, doc: DocumentOut) -> None:
        """PDF/DOC/DOCX/CSV go as files; Zalo refuses Excel, so it goes as a download link."""
        if doc.filename.lower().endswith(ZALO_FILE_TYPES):
            await self.client.send_file(chat_id, doc.filename, doc.data)
            return
        from bot.downloads import offer_download

        link = await asyncio.to_thread(offer_download, self.app, doc)
        await self.client.send_text(chat_id, link)

    def _inside_window(self, chat_id: str) -> bool:
        """True when the person wrote to the OA within the consultation window."""
        with self.app.uow() as uow:
            identity = uow.people.identity(CHANNEL, chat_id)
            last = identity.last_inbound_at if identity else None
        window = timedelta(hours=self.app.settings.zalo_window_hours)
        return last is not None and self.app.clock.now() - last <= window

    async def _outside_window(self, chat_id: str, meta: Mapping[str, Any]) -> None:
        """A reminder outside the window goes by ZNS when a template and a phone exist; else undeliverable."""
        template = self.app.settings.zalo_zns_template_id
        zns = meta.get("zns")
        phone = await asyncio.to_thread(self._phone_of, chat_id)
        if not (template and zns and phone):
            why = "no ZNS template configured" if not template else ("no phone number" if not phone else
                                                                      "not a reminder")
            raise Undeliverable(f"zalo: outside the {self.app.settings.zalo_window_hours:g} h window; {why}",
                                person_unreachable=False)
        await self.client.send_zns(phone, template, {k: str(v) for k, v in zns.items()},
                                   str(meta.get("tracking_id", ""))[:48] or chat_id[:48])

    def _phone_of(self, chat_id: str) -> str | None:
        with self.app.uow() as uow:
            identity = uow.people.identity(CHANNEL, chat_id)
            person = uow.people.person(identity.person_id) if identity and identity.person_id else None
            return person.phone if person else None

    async def close(self) -> None:
        """Finish events being applied and close the HTTP client."""
        await self.intake.close()
        await self.client.aclose()


def make_client(app: App) -> ZaloClient:
    """The OA client from settings, keeping its tokens in the database and alerting admins on failure."""
    s = app.settings
    assert s.zalo_app_id and s.zalo_app_secret
    config = ZaloConfig(app_id=s.zalo_app_id, app_secret=s.zalo_app_secret.get_secret_value(),
                        api_base_url=s.zalo_api_base_url, oauth_base_url=s.zalo_oauth_base_url,
                        zns_base_url=s.zalo_zns_base_url, continuation_text=TEXTS.text("dialogue.more_choices"))

    async def refresh_failed(failure: ZaloRefreshFailed) -> None:
        from bot.alerts import alert_admins

        await asyncio.to_thread(alert_admins, app, "alerts.zalo_refresh_failed", reason=str(failure))

    return ZaloClient(config, DatabaseTokenStore(app), on_refresh_failure=refresh_failed)
