"""A local fake of Zalo's OA, OAuth and ZNS APIs, served over real HTTP on a loopback port.

It models what NOTES.md found (error codes, HTTP 200 with `error != 0`, single-use refresh tokens,
the 7-day interaction window) and records every call. One server answers all three hosts: give its
`base_url` as `api_base_url`, `oauth_base_url` and `zns_base_url`. Time is `time.time()` plus an
offset that tests move with `advance()`.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

DAY = 86400.0
Handler = Callable[[Any, bytes, Mapping[str, str]], "Response"]
DOCUMENT_TYPES = frozenset({"pdf", "doc", "docx", "csv"})


class IssuedTokens(NamedTuple):
    """A pair the fake issued; `expires_at` is in the fake's clock (epoch seconds)."""

    access_token: str
    refresh_token: str
    expires_at: float


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float


@dataclass
class _Token:
    expires_at: float
    revoked: bool = False


@dataclass
class _State:
    access: dict[str, _Token] = field(default_factory=dict)
    refresh: dict[str, _Token] = field(default_factory=dict)
    last_wrote: dict[str, float] = field(default_factory=dict)
    uploads: dict[str, tuple[str, bytes, float]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    zns: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    fault: tuple[float, int, int | None, float] | None = None  # until, status, zalo error, delay


def ok(data: Mapping[str, Any]) -> JSONResponse:
    """Zalo's success envelope."""
    return JSONResponse({"data": dict(data), "error": 0, "message": "Success"})


def refuse(code: int, message: str) -> JSONResponse:
    """Zalo's error envelope: HTTP 200 with a non-zero `error`."""
    return JSONResponse({"error": code, "message": message})


class BackgroundServer:
    """Runs an ASGI app with uvicorn in a daemon thread on a free 127.0.0.1 port."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start serving and wait until the socket accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


class FakeZaloApi:
    """Fake Zalo: consultation messages, uploads, ZNS, OAuth refresh; with helpers for tests."""

    def __init__(
        self,
        *,
        app_id: str = "fake-app-id",
        app_secret: str = "fake-app-secret",
        oa_id: str = "fake-oa-id",
        access_lifetime: float = 90000.0,
        refresh_lifetime: float = 90 * DAY,
        window_hours: float = 7 * 24,
        file_types: frozenset[str] | None = DOCUMENT_TYPES,
    ) -> None:
        self.app_id, self.app_secret, self.oa_id = app_id, app_secret, oa_id
        self.access_lifetime, self.refresh_lifetime = access_lifetime, refresh_lifetime
        self.window_hours, self.file_types = window_hours, file_types
        self._state = _State()
        self._offset = 0.0
        self._changed = threading.Condition()
        self._server = BackgroundServer(self._app())

    # -- lifecycle -----------------------------------------------------------------------------------

    def __enter__(self) -> FakeZaloApi:
        self._server.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.stop()

    @property
    def base_url(self) -> str:
        """Base URL for every Zalo host the client knows."""
        return self._server.base_url

    def now(self) -> float:
        """The fake's clock, epoch seconds."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (tokens expire, windows close)."""
        self._offset += seconds

    # -- helpers for tests ---------------------------------------------------------------------------

    def issue_tokens(self) -> IssuedTokens:
        """A fresh pair, as if an OA admin had just authorised the app."""
        with self._changed:
            return self._issue()

    def user_wrote(self, user_id: str, hours_ago: float = 0.0) -> None:
        """Record that `user_id` interacted with the OA `hours_ago` (opens the consultation window)."""
        with self._changed:
            self._state.last_wrote[user_id] = self.now() - hours_ago * 3600

    def user_sends_text(
        self, webhook_url: str, user_id: str, text: str, oa_secret_key: str, app_id: str | None = None
    ) -> httpx.Response:
        """POST a signed `user_send_text` event to the bot, as Zalo would, and record the interaction."""
        self.user_wrote(user_id)
        event = {
            "app_id": app_id or self.app_id,
            "user_id_by_app": "app-" + user_id,
            "event_name": "user_send_text",
            "sender": {"id": user_id},
            "recipient": {"id": self.oa_id},
            "message": {"text": text, "msg_id": secrets.token_hex(10)},
            # Zalo's real clock: `advance` moves token lifetimes and windows, while the bot refuses events
            # not dated within minutes of now (replays)
            "timestamp": str(int(time.time() * 1000)),
        }
        return self.post_event(webhook_url, event, oa_secret_key, app_id or self.app_id)

    def post_event(
        self, webhook_url: str, event: Mapping[str, Any], oa_secret_key: str, app_id: str
    ) -> httpx.Response:
        """POST any event with a correct `X-ZEvent-Signature` (sha256 of app_id+body+timestamp+key)."""
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
        digest = hashlib.sha256(
            app_id.encode() + body + str(event["timestamp"]).encode() + oa_secret_key.encode()
        )
        headers = {"Content-Type": "application/json", "X-ZEvent-Signature": "mac=" + digest.hexdigest()}
        return httpx.post(webhook_url, content=body, headers=headers, timeout=10)

    def fail_with(
        self, status: int, for_seconds: float, *, error: int | None = None, delay: float = 0.0
    ) -> None:
        """For the next `for_seconds` (real time), answer every call with HTTP `status` (and Zalo `error`)."""
        with self._changed:
            self._state.fault = (time.time() + for_seconds, status, error, delay)

    @property
    def calls(self) -> list[Call]:
        """Every request received, oldest first."""
        with self._changed:
            return list(self._state.calls)

    def calls_to(self, path: str) -> list[Call]:
        """The requests received on `path`."""
        return [call for call in self.calls if call.path == path]

    def sent_to(self, user_id: str) -> list[dict[str, Any]]:
        """The `message` objects delivered to `user_id`, oldest first."""
        with self._changed:
            return self._messages_of(user_id)

    @property
    def zns_sent(self) -> list[dict[str, Any]]:
        """The ZNS request bodies accepted, oldest first."""
        with self._changed:
            return list(self._state.zns)

    def upload(self, attachment_id_or_token: str) -> tuple[str, bytes]:
        """Filename and bytes of an upload, by the id or token the fake returned."""
        with self._changed:
            filename, content, _ = self._state.uploads[attachment_id_or_token]
            return filename, content

    def wait_for_messages(self, user_id: str, n: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until `user_id` has received at least `n` messages; return them (raise on timeout)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._messages_of(user_id)) >= n, timeout):
                raise TimeoutError(f"{user_id} got {len(self._messages_of(user_id))} of {n} messages")
            return self._messages_of(user_id)

    async def wait_for_messages_async(
        self, user_id: str, n: int, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """`wait_for_messages` without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_messages, user_id, n, timeout)

    @staticmethod
    def buttons_of(message: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(title, payload) of each button of a message; payloads of URL buttons are their URL."""
        payload = (message.get("attachment") or {}).get("payload") or {}
        return [
            (b["title"], b["payload"] if isinstance(b["payload"], str) else b["payload"].get("url", ""))
            for b in payload.get("buttons", [])
        ]

    # -- the fake's Zalo -----------------------------------------------------------------------------

    def _messages_of(self, user_id: str) -> list[dict[str, Any]]:
        return [entry["message"] for entry in self._state.sent if entry["user_id"] == user_id]

    def _issue(self) -> IssuedTokens:
        access, refresh = "AT-" + secrets.token_urlsafe(12), "RT-" + secrets.token_urlsafe(12)
        self._state.access[access] = _Token(self.now() + self.access_lifetime)
        self._state.refresh[refresh] = _Token(self.now() + self.refresh_lifetime)
        return IssuedTokens(access, refresh, self.now() + self.access_lifetime)

    def _app(self) -> Starlette:
        api, zns = (-216, -220), (-124, -124)  # (invalid, expired) access-token codes of each table
        return Starlette(
            routes=[
                self._route("/v3.0/oa/message/cs", self._cs, api),
                self._route("/v2.0/oa/upload/image", self._upload_image, api),
                self._route("/v2.0/oa/upload/file", self._upload_file, api),
                self._route("/v4/oa/access_token", self._token, None),
                self._route("/message/template", self._zns, zns),
            ]
        )

    def _route(self, path: str, handle: Handler, token_codes: tuple[int, int] | None) -> Route:
        """An endpoint that logs the call, applies injected faults, checks the token, then `handle`s."""

        async def endpoint(request: Request) -> Response:
            raw = await request.body()
            content_type = request.headers.get("content-type", "")
            with self._changed:
                call = Call(
                    request.method, path, dict(request.headers), _readable(raw, content_type), self.now()
                )
                self._state.calls.append(call)
                fault = self._state.fault
            if fault is not None and time.time() < fault[0]:
                return await _faulty(*fault[1:])
            with self._changed:
                token = request.headers.get("access_token", "")
                problem = token_codes and self._token_problem(token, *token_codes)
                return problem or handle(call.body, raw, request.headers)

        return Route(path, endpoint, methods=["POST"])

    def _token_problem(self, token: str, invalid: int, expired: int) -> JSONResponse | None:
        known = self._state.access.get(token)
        if known is None:
            return refuse(invalid, "Access token is invalid")
        if known.revoked or self.now() >= known.expires_at:
            return refuse(expired, "access_token is expired or removed")
        return None

    def _cs(self, body: Any, raw: bytes, headers: Mapping[str, str]) -> Response:
        problem = self._check_cs(body)
        if problem:
            return problem
        user_id, message_id = body["recipient"]["user_id"], secrets.token_hex(10)
        self._state.sent.append({"user_id": user_id, "message": body["message"], "message_id": message_id})
        self._changed.notify_all()
        free = self.now() - self._state.last_wrote[user_id] <= 48 * 3600
        quota = {"quota_type": "reply" if free else "purchase_quota"}
        sent_time = str(int(self.now() * 1000))
        return ok({"message_id": message_id, "user_id": user_id, "sent_time": sent_time, "quota": quota})

    def _check_cs(self, body: Mapping[str, Any]) -> JSONResponse | None:
        user_id = (body.get("recipient") or {}).get("user_id")
        message = body.get("message")
        if not user_id or not isinstance(message, dict):
            return refuse(-201, "recipient or message is invalid!")
        wrote = self._state.last_wrote.get(user_id)
        if wrote is None:
            return refuse(-232, "User has not interacted with the OA, or the last interaction has expired")
        if self.now() - wrote > self.window_hours * 3600:
            return refuse(-230, "User has not interacted with the OA in the past 7 days")
        return _check_message(message, self._state.uploads, self.now())

    def _upload_image(self, body: Any, raw: bytes, headers: Mapping[str, str]) -> Response:
        return self._upload(raw, headers, "attachment_id", 1024 * 1024, frozenset({"png", "jpg", "jpeg"}))

    def _upload_file(self, body: Any, raw: bytes, headers: Mapping[str, str]) -> Response:
        return self._upload(raw, headers, "token", 5 * 1024 * 1024, self.file_types)

    def _upload(
        self, raw: bytes, headers: Mapping[str, str], key: str, limit: int, types: frozenset[str] | None
    ) -> Response:
        filename, content = _multipart(raw, headers.get("content-type", "")).get("file", ("", b""))
        if not filename:
            return refuse(-201, "file is invalid!")
        if len(content) > limit:
            return refuse(-210, "Parameter exceeds allowable limit")
        if types is not None and filename.rsplit(".", 1)[-1].lower() not in types:
            return refuse(-201, "file is invalid!")
        ident = secrets.token_urlsafe(16)
        self._state.uploads[ident] = (filename, content, self.now())
        return ok({key: ident})

    def _token(self, form: Any, raw: bytes, headers: Mapping[str, str]) -> Response:
        if headers.get("secret_key") != self.app_secret or form.get("app_id") != self.app_id:
            return JSONResponse({"error": -14002, "error_name": "Invalid appId or secret key"})
        old = self._state.refresh.get(form.get("refresh_token", ""))
        if (
            form.get("grant_type") != "refresh_token"
            or old is None
            or old.revoked
            or self.now() >= old.expires_at
        ):
            return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
        old.revoked = True
        for token in self._state.access.values():  # the previous access token dies with the rotation
            token.revoked = True
        issued = self._issue()
        lifetime = str(int(self.access_lifetime))
        return JSONResponse(
            {
                "access_token": issued.access_token,
                "refresh_token": issued.refresh_token,
                "expires_in": lifetime,
            }
        )

    def _zns(self, body: Any, raw: bytes, headers: Mapping[str, str]) -> Response:
        problem = _check_zns(body)
        if problem:
            return problem
        self._state.zns.append(body)
        quota = {"dailyQuota": "500", "remainingQuota": "499"}
        return ok({"msg_id": secrets.token_hex(10), "sent_time": str(int(self.now() * 1000)), "quota": quota})


async def _faulty(status: int, error: int | None, delay: float) -> Response:
    """The answer while a fault is injected: after `delay`, HTTP `status`, with a Zalo `error` if given."""
    await asyncio.sleep(delay)
    if error is not None:
        return JSONResponse({"error": error, "message": "injected fault"}, status_code=status)
    return PlainTextResponse("injected fault", status_code=status)


def _check_message(
    message: Mapping[str, Any], uploads: Mapping[str, tuple[str, bytes, float]], now: float
) -> JSONResponse | None:
    """Refuse what Zalo would: long or missing text, too many buttons, unknown or expired attachments."""
    text, attachment = message.get("text"), message.get("attachment")
    if len(text or "") > 2000:
        return refuse(-210, "Parameter exceeds allowable limit")
    if attachment is None:
        return None if text else refuse(-201, "text is invalid!")
    payload = attachment.get("payload") or {}
    if attachment.get("type") == "template" and "buttons" in payload:
        buttons = payload["buttons"]
        if not text or not buttons or any(not b.get("title") or not b.get("payload") for b in buttons):
            return refuse(-201, "buttons is invalid!")
        return refuse(-210, "Parameter exceeds allowable limit") if len(buttons) > 5 else None
    if attachment.get("type") == "template" and payload.get("template_type") == "media":
        return _check_upload(next(iter(payload.get("elements") or []), {}).get("attachment_id"), uploads, now)
    if attachment.get("type") == "file":
        return _check_upload(payload.get("token"), uploads, now)
    return refuse(-233, "message type is invalid or not support")


def _check_upload(
    ident: str | None, uploads: Mapping[str, tuple[str, bytes, float]], now: float
) -> JSONResponse | None:
    if ident not in uploads:
        return refuse(-201, "attachment is invalid!")
    if now - uploads[ident][2] > 7 * DAY:
        return refuse(-100, "attachment_id was expired")
    return None


def _check_zns(body: Mapping[str, Any]) -> JSONResponse | None:
    phone = str(body.get("phone") or "").lstrip("+")
    if not phone.isdigit() or not 9 <= len(phone) <= 12:
        return refuse(-108, "Phone number is invalid")
    if not body.get("template_id"):
        return refuse(-109, "Template ID is invalid")
    if not body.get("template_data"):
        return refuse(-111, "Template data is empty")
    if not body.get("tracking_id"):
        return refuse(-201, "tracking_id is invalid!")
    return None


def _readable(raw: bytes, content_type: str) -> Any:
    """A request body for the call log and the token form: JSON, form fields, or file names and sizes."""
    if content_type.startswith("application/json"):
        return json.loads(raw or b"{}")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(httpx.QueryParams(raw.decode()))
    if content_type.startswith("multipart/"):
        return {
            name: (filename, len(data)) for name, (filename, data) in _multipart(raw, content_type).items()
        }
    return raw


def _multipart(raw: bytes, content_type: str) -> dict[str, tuple[str, bytes]]:
    """Parse multipart/form-data with the standard library: {field: (filename, bytes)}."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    parts: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        if name:
            parts[str(name)] = (part.get_filename() or "", part.get_payload(decode=True) or b"")
    return parts
