"""The Bot API's wire format: reading a call's parameters and files, and writing ``ok`` or error replies.

PTB's ``HTTPXRequest`` posts ``application/x-www-form-urlencoded`` (every value a string; lists, dicts,
numbers and booleans JSON-encoded) or, when a file is attached, ``multipart/form-data`` with the same fields
plus file parts. The Bot API also takes a JSON body or a query string; all four are read here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "from_chat_id",
        "user_id",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
        "message_thread_id",
    }
)
BOOL_FIELDS = frozenset(
    {
        "drop_pending_updates",
        "show_alert",
        "disable_notification",
        "protect_content",
        "disable_content_type_detection",
        "disable_web_page_preview",
        "allow_sending_without_reply",
    }
)
_JSON_FIELD_NAMES = {"reply_markup": "reply keyboard markup", "allowed_updates": "allowed updates"}
_DISPOSITION_PARAM = re.compile(r';\s*(name|filename)="((?:[^"\\]|\\.)*)"')
_FORM_ESCAPE = re.compile(r"%(0[0-9A-F]|1[0-9A-F]|22)|\\\\")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart call, as the bot uploaded it."""

    filename: str
    content: bytes
    mime_type: str


class ApiError(Exception):
    """A Bot API error reply: HTTP status, description and, for flood control, ``retry_after``."""

    def __init__(self, status: int, description: str, *, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def ok_response(result: Any) -> JSONResponse:
    """``{"ok": true, "result": ...}`` with status 200."""
    return JSONResponse({"ok": True, "result": result})


def error_response(error: ApiError) -> JSONResponse:
    """``{"ok": false, "error_code": ..., "description": ...}`` with the error's HTTP status."""
    return JSONResponse(error.body(), status_code=error.status)


async def read_call(request: Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters (typed where the Bot API types them) and uploaded files of one API call."""
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, UploadedFile] = {}
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if content_type.startswith("application/json") and body:
        try:
            params.update(json.loads(body))
        except ValueError as exc:
            raise bad_request("can't parse JSON encoded request") from exc
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8"))
    elif content_type.startswith("multipart/form-data"):
        fields, files = parse_multipart(body, _boundary_of(content_type))
        params.update(fields)
    return _typed(params), files


def _boundary_of(content_type: str) -> str:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise bad_request("multipart boundary is missing")
    return match.group(1)


def parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a ``multipart/form-data`` body into plain fields and file parts (without python-multipart)."""
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = _part_headers(head)
        disposition = dict(_DISPOSITION_PARAM.findall(headers.get("content-disposition", "")))
        name = _unescape_form_param(disposition.get("name", ""))
        if "filename" in disposition:
            mime_type = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(_unescape_form_param(disposition["filename"]), content, mime_type)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


def _part_headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").strip().split("\r\n"):
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return headers


def _unescape_form_param(value: str) -> str:
    """Undo httpx's HTML5 escaping of names in Content-Disposition (``"`` → %22, ``\\`` → ``\\\\``)."""
    return _FORM_ESCAPE.sub(lambda m: "\\" if m.group(0) == "\\\\" else chr(int(m.group(1), 16)), value)


def _typed(params: dict[str, Any]) -> dict[str, Any]:
    typed = dict(params)
    for name, value in params.items():
        if not isinstance(value, str):
            continue
        if name in JSON_FIELDS:
            try:
                typed[name] = json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {_JSON_FIELD_NAMES.get(name, name)} JSON object") from exc
        elif name in INT_FIELDS and re.fullmatch(r"-?\d+", value):
            typed[name] = int(value)
        elif name in BOOL_FIELDS:
            typed[name] = value.lower() in ("true", "1")
    return typed
