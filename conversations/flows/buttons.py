"""Buttons pressed while a question is on screen (each carries the question key, so old ones are caught)."""

from __future__ import annotations

from conversations.flows import answering, review
from conversations.flows.sheets import editable_sheet
from conversations.render import Sheet, shown
from conversations.state import Step
from conversations.turn import Turn
from storage.repositories import AnswerChange
from storage.values import Shape


def on_question_button(turn: Turn, action: str, key: str, extra: str) -> None:
    """Route skip/back/prov/note/keep/ok/redo/say for question `key`."""
    sheet = editable_sheet(turn, need_question=True)
    if sheet is None or turn.state.key is None:
        return
    if key != turn.state.key:
        answering.resume(turn, sheet, turn.t("dialogue.stale_button"))
        return
    HANDLERS[action](turn, sheet, extra)


def _skip(turn: Turn, sheet: Sheet, _: str) -> None:
    """Skip: nothing is written over an answer already given; the reply says which answer stays."""
    q = sheet.spec.question(turn.state.key or "")
    current = turn.uow.submissions.answer(sheet.submission.id, q.key)
    if turn.state.step == Step.COMPARISON:
        kept = current.comparison if current is not None else None
        answering.advance(turn, sheet, turn.t("dialogue.comparison_kept", text=_clip(kept)) if kept
                          else turn.t("dialogue.comparison_skipped"))
    elif turn.state.step != Step.VALUE:  # the note prompt or an unusual value: skipping goes back to the question
        turn.state.pending = None
        answering.ask(turn, sheet, q.key)
    elif current is not None and current.value is not None:
        turn.state.provisional_next = False
        answering.advance(turn, sheet, turn.t("dialogue.skip_kept", value=_clip(shown(current, turn.lang) or "")))
    elif not q.definition.optional:  # the hint offers only what this question takes
        kind = "_text" if q.answer.shape is Shape.TEXT else "_yes_no" if q.answer.shape is Shape.YES_NO else ""
        answering.ask(turn, sheet, q.key, turn.t(f"dialogue.cannot_skip{kind}"))
    elif current is not None and current.skipped:  # skipped before: nothing to write again
        answering.advance(turn, sheet, turn.t("dialogue.skipped_ack"))
    else:
        answering.record(turn, sheet, q.key, AnswerChange("skip", skipped=True, provisional=False))
        answering.advance(turn, sheet, turn.t("dialogue.skipped_ack"))


def _clip(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _back(turn: Turn, sheet: Sheet, _: str) -> None:
    key = turn.state.key or ""
    if turn.state.step != Step.VALUE:
        answering.ask(turn, sheet, key)
    elif turn.state.back_to_review:
        review.show(turn, sheet)
    elif sheet.index(key) == 0:
        answering.ask(turn, sheet, key, turn.t("dialogue.first_question"))
    else:
        turn.state.provisional_next = False
        answering.ask(turn, sheet, sheet.asked[sheet.index(key) - 1].key)


def _provisional(turn: Turn, sheet: Sheet, _: str) -> None:
    turn.state.provisional_next = not turn.state.provisional_next
    ack = "dialogue.provisional_on" if turn.state.provisional_next else "dialogue.provisional_off"
    answering.ask(turn, sheet, turn.state.key or "", turn.t(ack))


def _note(turn: Turn, sheet: Sheet, _: str) -> None:
    answering.ask_note(turn, sheet, sheet.spec.question(turn.state.key or ""))


def _keep(turn: Turn, sheet: Sheet, _: str) -> None:
    q = sheet.spec.question(turn.state.key or "")
    current = turn.uow.submissions.answer(sheet.submission.id, q.key)
    if current is None or (current.value is None and not current.skipped):
        answering.ask(turn, sheet, q.key, turn.t("dialogue.nothing_to_keep"))
        return
    if turn.state.provisional_next and not current.provisional and current.value is not None:
        answering.record(turn, sheet, q.key, AnswerChange("provisional", provisional=True))
    turn.state.provisional_next = False
    if q.definition.comparison and current.value is not None:
        answering.ask_comparison(turn, sheet, q, turn.t("dialogue.kept"))
    else:
        answering.advance(turn, sheet, turn.t("dialogue.kept"))


def _confirm(turn: Turn, sheet: Sheet, _: str) -> None:
    answering.confirm_outlier(turn, sheet, sheet.spec.question(turn.state.key or ""))


def _redo(turn: Turn, sheet: Sheet, _: str) -> None:
    turn.state.pending = None
    answering.ask(turn, sheet, turn.state.key or "", turn.t("dialogue.retype"))


def _say(turn: Turn, sheet: Sheet, text: str) -> None:
    turn.state.step = Step.VALUE
    answering.answer_value(turn, sheet, sheet.spec.question(turn.state.key or ""), text)


HANDLERS = {"skip": _skip, "back": _back, "prov": _provisional, "note": _note, "keep": _keep,
            "ok": _confirm, "redo": _redo, "say": _say}
