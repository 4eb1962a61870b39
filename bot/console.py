"""The local console channel: the same engine in a terminal, buttons shown as /1, /2 … choices."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from bot.app import App
from bot.delivery import Delivery
from conversations.commands import canonical_name
from conversations.messages import (
    ButtonIn,
    CommandIn,
    DocumentOut,
    Event,
    Inbound,
    Reply,
    Sender,
    TextIn,
    TextOut,
)
from conversations.service import DialogueService
from storage.models import Role

CHANNEL = "console"


class ConsoleChannel:
    """Prints replies; remembers the buttons of the last message so `/2` presses the second one."""

    name = CHANNEL

    def __init__(self, out: TextIO, files_dir: Path) -> None:
        self.out, self.files_dir = out, files_dir
        self.choices: list[str] = []

    async def send(self, chat_id: str, reply: Reply, meta: Mapping[str, Any] | None = None) -> None:
        """Print a reply; files and images are saved and their path printed."""
        if isinstance(reply, TextOut):
            self._print_text(reply)
        else:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            name = reply.filename
            path = self.files_dir / name
            path.write_bytes(reply.data)
            label = "tệp" if isinstance(reply, DocumentOut) else "ảnh"
            self.out.write(f"[{label}: {path}] {reply.caption}\n")
        self.out.flush()

    def _print_text(self, reply: TextOut) -> None:
        lines = ["", f"== {reply.title} ==" if reply.title else "", reply.text]
        if reply.buttons:
            self.choices = [b.data for row in reply.buttons for b in row]
            labels = [b.label for row in reply.buttons for b in row]
            lines.append("   ".join(f"/{i} {_unnumbered(label, i)}" for i, label in enumerate(labels, 1)))
        self.out.write("\n".join(x for x in lines if x is not None) + "\n")

    def to_event(self, line: str) -> Event:
        """A typed line as a neutral event: `/2` presses a button, `/nop` is a command, else text."""
        text = line.strip()
        if text.startswith("/") and text[1:].isdigit():
            n = int(text[1:])
            if 1 <= n <= len(self.choices):
                return ButtonIn(self.choices[n - 1])
        if text.startswith("/") and len(text) > 1:
            head, _, args = text[1:].partition(" ")
            return CommandIn(canonical_name(head), args.strip())
        return TextIn(text)


def console_user(as_unit: str | None) -> str:
    """The console account: one per unit in trainer mode (`--as`), else the operating-system user."""
    return f"unit:{as_unit.upper()}" if as_unit else f"user:{getpass.getuser()}"


def enrol(app: App, user_id: str, unit_code: str, role: str) -> None:
    """Trainer mode: make the console account a person with `role` on the unit (idempotent)."""
    with app.uow() as uow:
        unit = uow.units.by_code(unit_code)
        if unit is None:
            raise ValueError(f"no unit has code {unit_code!r}; run `chitieu catalog load` or see `chitieu units list`")
        identity = uow.people.ensure_identity(CHANNEL, user_id, user_id, f"Console {unit.code}")
        if identity.person_id is None:
            identity.person_id = uow.people.add_person(f"Cán bộ thử ({unit.name})").id  # one trainer account per unit, any role
        person = uow.people.person(identity.person_id)
        assert person is not None
        uow.people.grant(person, role if role in Role.ALL else Role.FOCAL, unit)
        uow.commit()


async def chat(service: DialogueService, delivery: Delivery, console: ConsoleChannel, user_id: str,
               stdin: TextIO = sys.stdin, greet: bool = True) -> None:
    """Read lines until end of input, answering each through the engine."""
    sender = Sender(CHANNEL, user_id, user_id, display_name=user_id)
    if greet:
        await _turn(service, delivery, Inbound(sender, CommandIn("start")))
    while True:
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return
        if not line.strip():
            continue
        await _turn(service, delivery, Inbound(sender, console.to_event(line)))


async def _turn(service: DialogueService, delivery: Delivery, inbound: Inbound) -> None:
    queued = await asyncio.to_thread(service.handle, inbound)
    await delivery.deliver(queued)


def _unnumbered(label: str, i: int) -> str:
    """A numbered choice («2. CL 2026-Q4 …») shown once as `/2 CL 2026-Q4 …`: the console's own number is the same."""
    prefix = f"{i}. "
    return label[len(prefix):] if label.startswith(prefix) else label
