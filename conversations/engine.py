"""The dialogue engine: routes one neutral event to the flow that handles it. No channel code here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conversations.chain import commands as chain
from conversations.commands import match_command
from conversations.flows import answering, buttons, changes, info, registration, review, submit, typed
from conversations.invites import looks_like_code
from conversations.messages import MAX_INBOUND_CHARS, ButtonIn, CommandIn, Event, FileIn, TextIn, typed_length
from conversations.parsing import echo
from conversations.state import Mode
from conversations.turn import Turn
from storage.values import fmt_number


@dataclass(frozen=True)
class ExtraCommand:
    """A command provided by the wiring layer (summaries, reminders), limited to some roles."""

    roles: tuple[str, ...]
    run: Callable[[Turn, str], None]
    read_only: bool = False  # run after the turn commits, on a read session (long reports hold no write lock)


FOCAL_COMMANDS: dict[str, Callable[[Turn, str], None]] = {
    "nop": submit.submit,
    "xem": info.view,
    "han": lambda turn, _args: info.deadlines(turn),
    "huy": lambda turn, _args: info.cancel(turn),
    "huongdan": lambda turn, _args: info.help_text(turn),
    "lang": info.language,
    "lienket": registration.link,
}


class Engine:
    """`handle(turn, event)`: the turn's state changes and replies are the result."""

    def __init__(self, extras: dict[str, ExtraCommand] | None = None) -> None:
        self.extras = extras or {}

    def handle(self, turn: Turn, event: Event) -> None:
        """Answer one event."""
        before = typed.place(turn.state)
        if turn.sender.chat_type != "private":
            self._group(turn, event)
        elif typed_length(event) > MAX_INBOUND_CHARS:
            self._too_long(turn, typed_length(event))
        elif isinstance(event, CommandIn):
            self.command(turn, event.name, event.args)
        elif not registration.has_access(turn):
            self._unregistered(turn, event)
        elif isinstance(event, ButtonIn):
            self.button(turn, event.data)
        elif isinstance(event, TextIn):
            self.text(turn, event.text)
        elif isinstance(event, FileIn):
            self._file(turn, event)
        typed.remember(turn.state, turn.replies, before)

    def command(self, turn: Turn, name: str, args: str) -> None:
        """A slash command (or a command word typed without the slash)."""
        if name == "start":
            registration.start(turn, args)
        elif not registration.has_access(turn):
            registration.not_registered(turn)
        elif name in FOCAL_COMMANDS:
            FOCAL_COMMANDS[name](turn, args)
        elif name in self.extras:
            extra = self.extras[name]
            if not turn.has_role(*extra.roles):
                registration.not_allowed(turn, name, extra.roles)
            elif extra.read_only:
                turn.later.append(lambda later_turn: extra.run(later_turn, args))
            else:
                extra.run(turn, args)
        elif (data := typed.match(turn.state, f"{name} {args}")) is not None:  # `/gui`, `/2`, `/bo_qua`
            self.button(turn, data)
        else:
            turn.say(turn.t("dialogue.unknown_command", name=echo(name)), buttons=registration.menu_buttons(turn))

    def text(self, turn: Turn, text: str) -> None:
        """Typed text: a button of the current step, a command word, an answer, a choice, or small talk."""
        data = typed.match(turn.state, text)
        if data is not None:
            self.button(turn, data)
            return
        matched = match_command(text)
        if matched is not None:
            self.command(turn, *matched)
            return
        mode = turn.state.mode
        if mode == Mode.ANSWERING:
            answering.on_text(turn, text)
        elif mode == Mode.PICKING:
            review.pick_by_text(turn, text)
        elif mode == Mode.CHOOSING:
            submit.choose_by_text(turn, text)
        elif mode == Mode.ASKING_BACK:
            chain.on_reason(turn, text)
        elif mode == Mode.CONFIRMING:
            registration.confirm_again(turn)
        elif mode == Mode.REVIEW:
            turn.say(turn.t("dialogue.review_use_buttons"))
            sheet = _sheet_or_none(turn)
            if sheet is not None:
                review.show(turn, sheet)
        elif (data := typed.choice(turn.state, text)) is not None:  # `CL` after «Chỉ tiêu 2 của biểu nào?»
            self.button(turn, data)
        else:
            turn.say(turn.t("dialogue.idle_hint"), buttons=registration.menu_buttons(turn))

    def button(self, turn: Turn, data: str) -> None:
        """A pressed button; its data says what it is for."""
        action, _, rest = data.partition(":")
        if action == "cmd":  # `cmd:guilen ok CDS 2026 QUANGTRI`: a command with its arguments
            name, _, args = rest.partition(" ")
            self.command(turn, name, args)
        elif action in buttons.HANDLERS:
            key, _, extra = rest.partition(":")
            buttons.on_question_button(turn, action, key, extra)
        elif action in ("send", "edit", "draft"):
            review.on_review_button(turn, action, rest)
        elif action == "review":
            sheet = _sheet_or_none(turn)
            review.show(turn, sheet) if sheet else turn.say(turn.t("dialogue.lost_place"))
        elif action == "pick":
            review.on_pick(turn, rest)
        elif action == "open" and rest.count(":") == 1:
            unit_id, period_id = rest.split(":")
            submit.on_open(turn, int(unit_id), int(period_id)) if (unit_id + period_id).isdigit() \
                else turn.say(turn.t("dialogue.stale_button_plain"))
        elif action == "hist":
            changes.history(turn, rest)
        elif action == "lang":
            info.language(turn, rest)
        elif action == "inv":
            registration.on_confirm(turn, rest)
        else:
            turn.say(turn.t("dialogue.stale_button_plain"))

    def _unregistered(self, turn: Turn, event: Event) -> None:
        """Only an invite code is understood (bare, or after `start` typed without the slash)."""
        matched = match_command(event.text) if isinstance(event, TextIn) else None
        if isinstance(event, TextIn) and looks_like_code(event.text):
            registration.register(turn, event.text)
        elif matched is not None and matched[0] == "start":
            registration.start(turn, matched[1])
        else:
            registration.not_registered(turn)

    def _group(self, turn: Turn, event: Event) -> None:
        """In a group no data is shown or taken; commands get a pointer to the private chat."""
        if isinstance(event, CommandIn):
            turn.say(turn.t("dialogue.group_refused"))

    def _too_long(self, turn: Turn, length: int) -> None:
        """A message over the limit is not read at all (no parsing, nothing stored); the question is asked again."""
        turn.say(turn.t("dialogue.too_long", length=fmt_number(length, turn.lang),
                        limit=fmt_number(MAX_INBOUND_CHARS, turn.lang)))
        if turn.person is not None and turn.state.mode == Mode.ANSWERING:
            sheet = _sheet_or_none(turn)
            if sheet is not None:
                answering.resume(turn, sheet)

    def _file(self, turn: Turn, event: FileIn) -> None:
        """A file, photo or sticker where text was expected."""
        turn.say(turn.t("dialogue.file_not_expected", kind=turn.t(f"dialogue.kind_{_kind(event.kind)}")))
        if turn.state.mode == Mode.ANSWERING:
            sheet = _sheet_or_none(turn)
            if sheet is not None:
                answering.resume(turn, sheet)


def _kind(kind: str) -> str:
    return kind if kind in ("document", "photo", "sticker", "voice", "video", "location", "contact") else "other"


def _sheet_or_none(turn: Turn):  # noqa: ANN202 - Sheet | None
    from conversations.flows.sheets import current_sheet

    return current_sheet(turn)
