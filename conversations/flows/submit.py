"""`/nop`: choose what to fill in (when several periods are open), then start or resume it."""

from __future__ import annotations

import re

from conversations.duedates import unit_due_words
from conversations.flows import answering
from conversations.flows.sheets import Option, open_options, open_sheet, status_text
from conversations.parsing import echo, fold
from conversations.state import Mode
from conversations.turn import Turn
from storage.models import Role
from storage.period_names import with_codes

MAX_CHOICES = 8


def submit(turn: Turn, args: str = "") -> None:
    """Start or resume a submission; offer buttons when more than one form/period is open."""
    options = open_options(turn)
    if not options and not turn.has_role(Role.FOCAL):
        turn.say(turn.t("dialogue.not_focal"))
        return
    wanted = " ".join(with_codes(args.split())).upper()  # `quý IV/2026` is `2026-Q4`
    if wanted:
        options = [o for o in options if wanted in (o.period.code, f"{o.spec.code} {o.period.code}", o.spec.code)]
        if not options:
            turn.say(turn.t("dialogue.no_such_period", period=echo(wanted)))
            return
    if not options:
        turn.say(turn.t("dialogue.nothing_open"))
        return
    current = [o for o in options if o.submission and o.submission.id == turn.state.submission_id]
    if len(options) == 1 or (current and turn.state.mode != Mode.IDLE and not wanted):
        begin(turn, (current or options)[0])
        return
    offer(turn, options[:MAX_CHOICES])


def offer(turn: Turn, options: list[Option]) -> None:
    """Buttons, one per open (unit, period), with due date and status."""
    turn.state.mode, turn.state.choices = Mode.CHOOSING, [[o.unit.id, o.period.id] for o in options]
    several_units = len({o.unit.id for o in options}) > 1
    rows = [[turn.button("dialogue.btn_option", f"open:{o.unit.id}:{o.period.id}", n=i,
                         form=o.spec.code, period=o.period.code,
                         due=unit_due_words(turn.uow, o.spec.definition, o.period, o.unit, turn.lang, "%d/%m", True),
                         status=status_text(turn, o), unit=(f" · {o.unit.code}" if several_units else ""))]
            for i, o in enumerate(options, start=1)]
    turn.say(turn.t("dialogue.choose_period"), buttons=rows)


def choose_by_text(turn: Turn, text: str) -> None:
    """Text typed at the period choice that is not a button (numbers are matched as buttons before this):
    a period code (`2026-Q4`, `CL 2026-Q4`) opens it; anything else shows the choice again, not the menu."""
    wanted = " ".join(text.strip().upper().split())
    options = [o for o in open_options(turn) if [o.unit.id, o.period.id] in turn.state.choices]
    chosen = [o for o in options if wanted in (o.period.code, f"{o.spec.code} {o.period.code}")]
    quarter = _quarter(text)
    if not chosen and quarter:  # `quý 4`, `Q4`, `quý IV`: the one open period of that quarter
        chosen = [o for o in options if o.period.code.endswith(f"-Q{quarter}")]
    if len(chosen) == 1:
        begin(turn, chosen[0])
        return
    if not options:
        submit(turn)
        return
    turn.say(turn.t("dialogue.choose_by_number"))
    offer(turn, options)


_QUARTER = re.compile(r"(?:quy|q)\s*(1|2|3|4|i{1,3}|iv)(?:\s*/\s*\d{4})?")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _quarter(text: str) -> int | None:
    """The quarter named in `quý 4`, `Quý IV/2026`, `q4` (folded), else None."""
    found = _QUARTER.fullmatch(" ".join(fold(text).split()).strip(" ."))
    if found is None:
        return None
    token = found.group(1)
    return int(token) if token.isdigit() else _ROMAN[token]


def begin(turn: Turn, option: Option) -> None:
    """Open the option's submission and show the right question (or the review)."""
    sheet = open_sheet(turn, option.unit, option.period)
    intro = turn.t("dialogue.opening", form=option.spec.definition.short_title or option.spec.code,
                   period=option.period.code, unit=option.unit.name,
                   due=unit_due_words(turn.uow, option.spec.definition, option.period, option.unit, turn.lang),
                   count=len(sheet.asked))
    if turn.state.submission_id != sheet.submission.id:
        turn.state.leave()
    answering.start(turn, sheet, intro)


def on_open(turn: Turn, unit_id: int, period_id: int) -> None:
    """A choice button was pressed."""
    for o in open_options(turn):
        if o.unit.id == unit_id and o.period.id == period_id:
            begin(turn, o)
            return
    turn.say(turn.t("dialogue.option_gone"))
    submit(turn)
