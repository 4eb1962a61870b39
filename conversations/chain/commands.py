"""The collecting level's chat commands: /duyet (review), /yeucausua (ask a unit back), /guilen (forward)."""

from __future__ import annotations

from conversations.chain import forward as forwarding
from conversations.chain.args import Args, parse_args
from conversations.chain.asking import ask_back, on_reason
from conversations.chain.rounds import RoundView, collecting_units, open_rounds, recipient_name
from conversations.chain.texts import due_text, round_buttons, unit_line
from conversations.flows.sheets import sheet_of
from conversations.parsing import echo
from conversations.render import summary_lines
from conversations.turn import Turn

__all__ = ["ask_back", "choose_round", "forward", "on_reason", "review"]
MAX_BUTTONS = 8


def choose_round(turn: Turn, a: Args, command: str) -> RoundView | None:
    """The one open round the arguments name; otherwise say what there is (buttons) and return None."""
    if a.rest:
        turn.say(turn.t("chain.bad_args", token=echo(a.rest[0], 40), command=command))
        return None
    mine = collecting_units(turn)
    if not mine:
        turn.say(turn.t("chain.not_collecting"))
        return None
    unit = a.unit if a.unit and any(u.id == a.unit.id for u in mine) else None
    views = [v for v in (open_rounds(turn, unit) if unit else open_rounds(turn))
             if (a.form is None or v.spec.code == a.form) and (a.period is None or v.period.code == a.period)]
    if not views:
        turn.say(turn.t("chain.no_round"))
        return None
    if len(views) > 1:
        rows = [[turn.button("chain.btn_round", f"cmd:{command} {v.spec.code} {v.period.code} {v.collector.code}",
                             form=v.spec.code, period=v.period.code, unit=v.collector.code)]
                for v in views[:MAX_BUTTONS]]
        turn.say(turn.t("chain.choose_round"), buttons=rows)
        return None
    return views[0]


def review(turn: Turn, args: str) -> None:
    """`/duyet [KỲ] [BIỂU] [ĐƠN VỊ]`: what the units sent; a unit of the round shows its answers."""
    a = parse_args(turn, args)
    if a.unit is not None and not any(u.id == a.unit.id for u in collecting_units(turn)):
        show_unit(turn, a)
        return
    view = choose_round(turn, a, "duyet")
    if view is not None:
        show_round(turn, view)


def show_round(turn: Turn, view: RoundView) -> None:
    """The round's status: due date, each unit's state and requests, the collector's own part."""
    lines = [due_text(turn, view, recipient_name(turn.uow, view)),
             turn.t("chain.received", received=view.received, total=len(view.units))]
    lines += [unit_line(turn, s) for s in view.units]
    if view.asks_own:
        key = "chain.own_sent" if view.own_sent else "chain.own_missing"
        lines.append(turn.t(key, unit=view.collector.name, form=view.spec.code, period=view.period.code))
    title = turn.t("chain.review_title", form=view.spec.definition.short_title or view.spec.code,
                   period=view.period.code, unit=view.collector.name)
    turn.say("\n".join(lines), title=title, buttons=round_buttons(turn, view, MAX_BUTTONS))


def show_unit(turn: Turn, a: Args) -> None:
    """One collected unit's answers, with a button to ask it for a correction."""
    unit = a.unit
    assert unit is not None
    view = next((v for v in open_rounds(turn) if any(s.unit.id == unit.id for s in v.units)
                 and (a.period is None or v.period.code == a.period) and (a.form is None or v.spec.code == a.form)),
                None)
    state = next((s for s in view.units if s.unit.id == unit.id), None) if view else None
    if view is None or state is None:
        turn.say(turn.t("chain.not_your_unit", unit=unit.code))
        return
    if state.submission is None:
        turn.say(turn.t("chain.unit_nothing", unit=unit.name, period=view.period.code))
        return
    sheet = sheet_of(turn, state.submission)
    lines = [unit_line(turn, state), *summary_lines(turn, sheet, turn.uow.submissions.sent_answers(
        state.submission.id))]  # what was sent, not changes waiting for «Gửi lại»
    lines += [turn.t("chain.request_line", at=turn.clock.local(c.requested_at).strftime("%d/%m"),
                     reason=echo(c.reason, 120), status=turn.t(f"chain.request_{c.status}")) for c in state.corrections]
    ref = f"{unit.code} {view.spec.code} {view.period.code}"
    buttons = [[turn.button("chain.btn_ask_back", f"cmd:yeucausua {ref}")],
               [turn.button("chain.btn_back_list", f"cmd:duyet {view.spec.code} {view.period.code} {view.collector.code}")]]
    turn.say("\n".join(lines), title=turn.t("chain.unit_title", unit=unit.name, period=view.period.code),
             buttons=buttons)


def forward(turn: Turn, args: str) -> None:
    """`/guilen [KỲ] [BIỂU]`: the round's status and a button to forward; `ok` forwards."""
    a = parse_args(turn, args)
    view = choose_round(turn, a, "guilen")
    if view is None:
        return
    if not view.own_sent:
        turn.say(turn.t("chain.own_first", unit=view.collector.name, form=view.spec.code, period=view.period.code),
                 buttons=[[turn.button("chain.btn_write_own", f"cmd:nop {view.spec.code} {view.period.code}")]])
        return
    if a.confirm:
        forwarding.forward(turn, view)
    else:
        forwarding.confirm(turn, view)
