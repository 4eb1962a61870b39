"""A thin async client of the Zalo OA API: consultation messages, uploads, ZNS and token refresh.

It speaks Zalo's wire format and nothing else: the channel adapter decides what to send. Every send that
Zalo refuses with an expired-token error is retried once after one refresh (see `TokenKeeper`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from bot.zalo.errors import (
    ZaloError,
    ZaloRateLimited,
    ZaloRefreshFailed,
    ZaloTokenExpired,
    ZaloUnavailable,
    error_for,
)
from bot.zalo.limits import FILE_MAX_BYTES, IMAGE_MAX_BYTES, PAYLOAD_LIMIT, batches, split_text
from bot.zalo.tokens import Clock, FailureCallback, TokenKeeper, TokenPair, TokenStore, utc_now

Json = dict[str, Any]
Button = tuple[str, str]  # (label shown, payload sent back as the user's text)

CS_PATH = "/v3.0/oa/message/cs"
UPLOAD_IMAGE_PATH = "/v2.0/oa/upload/image"
UPLOAD_FILE_PATH = "/v2.0/oa/upload/file"
TOKEN_PATH = "/v4/oa/access_token"
ZNS_PATH = "/message/template"
DEFAULT_LIFETIME = timedelta(seconds=90000)  # Zalo's documented 25 h, if an answer omits expires_in


@dataclass(frozen=True)
class ZaloConfig:
    """What the client needs to know: app credentials, where Zalo lives, and how patient to be."""

    app_id: str
    app_secret: str
    api_base_url: str = "https://openapi.zalo.me"
    oauth_base_url: str = "https://oauth.zaloapp.com"
    zns_base_url: str = "https://business.openapi.zalo.me"
    timeout_seconds: float = 10.0
    refresh_margin: timedelta = timedelta(hours=1)
    continuation_text: str = "…"  # text of follow-up messages that only carry overflow buttons


class ZaloClient:
    """Sends consultation messages, files and ZNS as the OA; keeps the access token fresh."""

    def __init__(
        self,
        config: ZaloConfig,
        store: TokenStore,
        *,
        on_refresh_failure: FailureCallback | None = None,
        http: httpx.AsyncClient | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.config = config
        self.clock = clock
        self._owns_http = http is None
        self.http = http or httpx.AsyncClient(timeout=config.timeout_seconds)
        self.tokens = TokenKeeper(
            store,
            self.refresh_tokens,
            margin=config.refresh_margin,
            on_failure=on_refresh_failure,
            clock=clock,
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool, unless the caller passed its own `http` client."""
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- messages ------------------------------------------------------------------------------------

    async def send_text(self, user_id: str, text: str) -> list[str]:
        """Send `text`, split into as many messages as Zalo's length limit needs; return their ids."""
        return [await self._send_cs(user_id, {"text": chunk}) for chunk in split_text(text)]

    async def send_buttons(
        self, user_id: str, text: str, buttons: Sequence[Button], *, hide_payload: bool = False
    ) -> list[str]:
        """Send `text` with reply buttons (5 per message, overflow in follow-ups); return message ids."""
        _check_payloads(buttons)
        chunks = split_text(text) or [self.config.continuation_text]
        ids = [await self._send_cs(user_id, {"text": chunk}) for chunk in chunks[:-1]]
        kind = "oa.query.hide" if hide_payload else "oa.query.show"
        for index, group in enumerate(batches(buttons)):
            caption = chunks[-1] if index == 0 else self.config.continuation_text
            ids.append(await self._send_cs(user_id, _with_buttons(caption, group, kind)))
        return ids

    async def send_image(self, user_id: str, png_bytes: bytes, caption: str = "") -> list[str]:
        """Upload a PNG and send it with `caption` (overflow caption text follows as messages)."""
        _check_size("image", png_bytes, IMAGE_MAX_BYTES)
        data = await self._authorised(
            lambda token: self._upload(UPLOAD_IMAGE_PATH, "image.png", png_bytes, token)
        )
        chunks = split_text(caption)
        message = _media(data["attachment_id"], chunks[0] if chunks else "")
        return [await self._send_cs(user_id, message)] + [
            await self._send_cs(user_id, {"text": chunk}) for chunk in chunks[1:]
        ]

    async def send_file(self, user_id: str, filename: str, content: bytes) -> str:
        """Upload a document and send it; return the message id."""
        _check_size("file", content, FILE_MAX_BYTES)
        data = await self._authorised(lambda token: self._upload(UPLOAD_FILE_PATH, filename, content, token))
        return await self._send_cs(
            user_id, {"attachment": {"type": "file", "payload": {"token": data["token"]}}}
        )

    async def send_zns(self, phone: str, template_id: str, data: Mapping[str, str], tracking_id: str) -> str:
        """Send an approved ZNS template to a phone number; return Zalo's `msg_id`."""
        body = {
            "phone": phone,
            "template_id": template_id,
            "template_data": dict(data),
            "tracking_id": tracking_id,
        }
        url = self.config.zns_base_url + ZNS_PATH
        result = await self._authorised(lambda token: self._post_json(url, body, token))
        return str(result["msg_id"])

    # -- tokens --------------------------------------------------------------------------------------

    async def refresh_tokens(self, refresh_token: str) -> TokenPair:
        """Trade a refresh token for a new pair (the old refresh token is then dead)."""
        form = {"app_id": self.config.app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
        url = self.config.oauth_base_url + TOKEN_PATH
        answer = _json_of(
            await self._request("POST", url, data=form, headers={"secret_key": self.config.app_secret})
        )
        if not answer.get("access_token") or not answer.get("refresh_token"):
            raise ZaloRefreshFailed(_oauth_reason(answer), _int_or_none(answer.get("error")))
        seconds = _int_or_none(answer.get("expires_in"))
        lifetime = timedelta(seconds=seconds) if seconds and seconds > 0 else DEFAULT_LIFETIME
        return TokenPair(str(answer["access_token"]), str(answer["refresh_token"]), self.clock() + lifetime)

    # -- plumbing ------------------------------------------------------------------------------------

    async def _send_cs(self, user_id: str, message: Json) -> str:
        body = {"recipient": {"user_id": user_id}, "message": message}
        url = self.config.api_base_url + CS_PATH
        data = await self._authorised(lambda token: self._post_json(url, body, token))
        return str(data.get("message_id", ""))

    async def _authorised(self, call: Callable[[str], Awaitable[Json]]) -> Json:
        """Run `call` with the access token; after a token refusal, refresh once and retry once."""
        token = await self.tokens.access_token()
        try:
            return await call(token)
        except ZaloTokenExpired:
            return await call(await self.tokens.refresh_after_rejection(token))

    async def _post_json(self, url: str, body: Json, token: str) -> Json:
        return _data_of(await self._request("POST", url, json=body, headers={"access_token": token}))

    async def _upload(self, path: str, filename: str, content: bytes, token: str) -> Json:
        files = {"file": (filename, content, _content_type(filename))}
        url = self.config.api_base_url + path
        return _data_of(await self._request("POST", url, files=files, headers={"access_token": token}))

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            raise ZaloUnavailable(f"Zalo timed out: {error!r}") from error
        except httpx.TransportError as error:
            raise ZaloUnavailable(f"Zalo unreachable: {error!r}") from error
        if response.status_code == 429:
            raise ZaloRateLimited("HTTP 429 from Zalo")
        if response.status_code >= 500:
            raise ZaloUnavailable(f"HTTP {response.status_code} from Zalo")
        return response


def _json_of(response: httpx.Response) -> Json:
    try:
        answer = response.json()
    except ValueError as error:
        raise ZaloError(f"HTTP {response.status_code} with a non-JSON body") from error
    if not isinstance(answer, dict):
        raise ZaloError(f"HTTP {response.status_code} with unexpected JSON")
    return answer


def _data_of(response: httpx.Response) -> Json:
    """The `data` of a Zalo answer; a non-zero `error` (which arrives with HTTP 200) raises."""
    answer = _json_of(response)
    code = _int_or_none(answer.get("error")) or 0
    if code != 0:
        raise error_for(code, str(answer.get("message") or "no message"))
    if response.status_code >= 400:
        raise ZaloError(f"HTTP {response.status_code} from Zalo")
    data = answer.get("data")
    return data if isinstance(data, dict) else {}


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _oauth_reason(answer: Json) -> str:
    for key in ("error_description", "error_reason", "error_name", "message"):
        if answer.get(key):
            return str(answer[key])
    return f"no tokens in the answer: {answer!r}"[:300]


def _with_buttons(text: str, buttons: Sequence[Button], kind: str) -> Json:
    rendered = [{"title": label, "type": kind, "payload": payload} for label, payload in buttons]
    return {"text": text, "attachment": {"type": "template", "payload": {"buttons": rendered}}}


def _media(attachment_id: str, caption: str) -> Json:
    element = {"media_type": "image", "attachment_id": attachment_id}
    payload = {"template_type": "media", "elements": [element]}
    return {"text": caption, "attachment": {"type": "template", "payload": payload}}


def _check_payloads(buttons: Sequence[Button]) -> None:
    for label, payload in buttons:
        if not label or not payload or len(payload) > PAYLOAD_LIMIT:
            raise ValueError(f"button {label!r} needs a label and a payload of 1–{PAYLOAD_LIMIT} characters")


def _check_size(kind: str, content: bytes, limit: int) -> None:
    if len(content) > limit:
        raise ZaloError(f"{kind} of {len(content)} bytes is over Zalo's limit of {limit} bytes")


def _content_type(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    known = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "pdf": "application/pdf"}
    return known.get(extension, "application/octet-stream")
