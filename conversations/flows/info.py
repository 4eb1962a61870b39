"""/xem, /han, /huy, /huongdan and /lang."""

from __future__ import annotations

from conversations.chain.deadlines import deadline_lines
from conversations.duedates import due_of, due_words
from conversations.flows.changes import pending_lines, sent_footer
from conversations.flows.registration import menu_buttons
from conversations.flows.sheets import open_options, sheet_of, status_text
from conversations.parsing import echo
from conversations.render import missing_required, summary_lines
from conversations.state import Mode
from conversations.turn import Turn
from storage.i18n import LANGS
from storage.models import Role, SubmissionStatus
from storage.period_names import with_codes


def deadlines(turn: Turn) -> None:
    """Open periods of the person's units with due dates, days left and what is still owed."""
    options = open_options(turn)
    rounds = deadline_lines(turn)  # the roll-ups an analyst's collecting units owe
    if not options and not rounds:
        turn.say(turn.t("dialogue.nothing_open") if turn.has_role(Role.FOCAL, Role.ANALYST)
                 else turn.t("dialogue.not_focal"))
        return
    lines = []
    for o in options:
        days = (o.due - turn.today).days
        when = turn.t("dialogue.days_left", days=days) if days >= 0 else turn.t("dialogue.days_late", days=-days)
        lines.append(turn.t("dialogue.deadline_line", form=o.spec.definition.short_title or o.spec.code,
                            period=o.period.code, unit=o.unit.name, when=when,
                            due=due_words(due_of(o.spec.definition, o.period, turn.uow.units.collector_kind(o.unit)),
                                          turn.lang),
                            status=status_text(turn, o)))
    lines += rounds
    turn.say("\n".join(lines), title=turn.t("dialogue.deadlines_title"),
             buttons=[[turn.button("dialogue.btn_submit", "cmd:nop")]] if options else None)


def view(turn: Turn, args: str) -> None:
    """What the person's unit(s) sent (or drafted) for a period: `/xem [PERIOD]`."""
    focal_units = turn.units_with(Role.FOCAL)
    if not focal_units:
        turn.say(turn.t("dialogue.not_focal"))
        return
    wanted = " ".join(with_codes(args.split())).upper()  # `quý IV/2026` is `2026-Q4`
    shown = 0
    for unit in focal_units:
        for sub in turn.uow.submissions.of_unit(unit.id, wanted or None):
            sheet = sheet_of(turn, sub)
            sent = sub.status == SubmissionStatus.SUBMITTED and sub.submitted_at is not None
            # what analysts see: the sent values; the changes waiting for «Gửi lại» are listed after them
            answers = turn.uow.submissions.sent_answers(sub.id) if sent else turn.uow.submissions.answers(sub.id)
            lines = summary_lines(turn, sheet, answers)
            status = sent_footer(turn, sub) if sent else turn.t("dialogue.view_draft")
            missing = missing_required(sheet, answers)
            if missing and not sent:
                lines.append(turn.t("dialogue.missing", items=", ".join(q.definition.number or q.key for q in missing)))
            lines += pending_lines(turn, sheet)
            turn.say("\n".join([status or "", *lines]), title=turn.t(
                "dialogue.view_title", form=sheet.spec.definition.short_title or sheet.spec.code,
                period=sheet.period.code, unit=unit.name),
                buttons=[[turn.button("dialogue.btn_history", f"hist:{sub.id}")]])
            shown += 1
    if not shown:
        turn.say(turn.t("dialogue.view_nothing", period=echo(wanted)) if wanted else turn.t("dialogue.view_none"))


def cancel(turn: Turn) -> None:
    """Leave the current dialogue; every answer already given stays saved as a draft."""
    if turn.state.mode == Mode.IDLE:
        turn.say(turn.t("dialogue.nothing_to_cancel"), buttons=menu_buttons(turn))
        return
    turn.state.leave()
    turn.say(turn.t("dialogue.paused"), buttons=[[turn.button("dialogue.btn_continue", "cmd:nop")]])


def help_text(turn: Turn) -> None:
    """What the person can type, for their roles."""
    focal = turn.has_role(Role.FOCAL)
    parts = [turn.t("dialogue.help_focal")] if focal else []
    if turn.has_role(Role.ANALYST, Role.ADMIN):
        analyst = turn.t("dialogue.help_analyst")
        if focal or not (turn.has_role(Role.ANALYST) and open_options(turn)):  # /nop shown once, if usable
            analyst = "\n".join(line for line in analyst.split("\n") if not line.startswith("/nop "))
        parts.append(analyst)
    if turn.is_admin:
        parts.append(turn.t("dialogue.help_admin"))
    if turn.grants:
        parts.append(turn.t("web.help"))
    examples = [turn.t("dialogue.examples_focal")] if focal else []
    if turn.has_role(Role.ANALYST, Role.ADMIN):
        examples.append(turn.t("dialogue.examples_analyst"))
    parts.append(turn.t("dialogue.help_common", examples=", ".join(examples or [turn.t("dialogue.examples_focal")])))
    turn.say("\n\n".join(parts), title=turn.t("dialogue.help_title"), buttons=menu_buttons(turn))


def language(turn: Turn, args: str) -> None:
    """`/lang en|vi` (buttons when no language is given)."""
    lang = args.strip().lower()[:2]
    if lang not in LANGS or turn.person is None:
        turn.say(turn.t("dialogue.lang_prompt"), buttons=[[turn.button("dialogue.btn_vi", "lang:vi"),
                                                           turn.button("dialogue.btn_en", "lang:en")]])
        return
    turn.person.language = lang
    turn.say(turn.t("dialogue.lang_set"))
