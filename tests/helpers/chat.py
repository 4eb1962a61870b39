"""Drive whole dialogues through the service as readable scripts: send, press, read the replies."""

from __future__ import annotations

import itertools

from conversations.commands import canonical_name
from conversations.messages import (
    Button,
    ButtonIn,
    CommandIn,
    Event,
    FileIn,
    Inbound,
    Reply,
    Sender,
    TextIn,
    TextOut,
)
from conversations.service import DialogueService

_update_ids = itertools.count(1)


class Chat:
    """One person's chat with the engine (no channel): what they type and what comes back."""

    def __init__(self, service: DialogueService, user_id: str = "u1", channel: str = "test",
                 chat_type: str = "private", name: str = "Nguyễn Văn A") -> None:
        self.service = service
        self.sender = Sender(channel, user_id, user_id, name, chat_type)
        self.replies: list[Reply] = []

    def event(self, event: Event, update_key: str | None = None) -> list[Reply]:
        """Deliver one event and keep its replies."""
        key = update_key or f"u{next(_update_ids)}"
        self.replies = [q.reply for q in self.service.handle(Inbound(self.sender, event, key))]
        return self.replies

    def send(self, text: str) -> list[Reply]:
        """Type text (a leading slash makes it a command)."""
        if text.startswith("/"):
            head, _, args = text[1:].partition(" ")
            return self.event(CommandIn(canonical_name(head), args.strip()))
        return self.event(TextIn(text))

    def press(self, label: str) -> list[Reply]:
        """Press the button whose label contains `label` (on the last message with buttons)."""
        return self.event(ButtonIn(self.button(label).data))

    def file(self, kind: str = "photo") -> list[Reply]:
        """Send a photo, sticker, document…"""
        return self.event(FileIn(kind))

    def button(self, label: str) -> Button:
        """The button of the last replies whose label contains `label`."""
        buttons = [b for r in self.replies if isinstance(r, TextOut) for row in r.buttons for b in row]
        matches = [b for b in buttons if label.lower() in b.label.lower()]
        if not matches:
            raise AssertionError(f"no button {label!r} among {[b.label for b in buttons]}")
        return matches[0]

    @property
    def text(self) -> str:
        """Title and text of every text reply of the last turn."""
        return "\n".join(f"{r.title or ''}\n{r.text}" for r in self.replies if isinstance(r, TextOut))

    @property
    def labels(self) -> list[str]:
        """Labels of the buttons of the last turn."""
        return [b.label for r in self.replies if isinstance(r, TextOut) for row in r.buttons for b in row]

    @property
    def title(self) -> str:
        """Title of the last text reply."""
        texts = [r for r in self.replies if isinstance(r, TextOut)]
        return texts[-1].title or "" if texts else ""
