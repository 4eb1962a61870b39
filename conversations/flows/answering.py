"""Asking one question at a time: answer, skip, back, provisional, note, comparison, outlier check."""

from __future__ import annotations

from decimal import Decimal

from conversations.flows import review
from conversations.flows.sheets import editable_sheet
from conversations.forms import QuestionSpec
from conversations.jumps import jump_words
from conversations.parsing import AnswerSpec, Refusal, parse_answer, split_provisional
from conversations.parsing.yes_no import says_none
from conversations.render import Sheet, position, question_buttons, question_text, shown
from conversations.state import Mode, Step
from conversations.turn import Turn
from storage.models import AnswerLike, SubmissionStatus
from storage.repositories import AnswerChange
from storage.values import Shape, Value, fmt_percent, format_value

COMPARISON_SPEC = AnswerSpec(shape=Shape.TEXT, max_length=1000)
NOTE_SPEC = AnswerSpec(shape=Shape.TEXT, max_length=1000)


def ask(turn: Turn, sheet: Sheet, key: str, prefix: str | None = None) -> None:
    """Show question `key` (after an optional acknowledgement) and wait for its value."""
    turn.state.mode, turn.state.submission_id, turn.state.key = Mode.ANSWERING, sheet.submission.id, key
    turn.state.step, turn.state.pending = Step.VALUE, None
    q = sheet.spec.question(key)
    answers = turn.uow.submissions.answers(sheet.submission.id)
    body = question_text(turn, sheet, q, answers)
    current = answers.get(key)
    answered = current is not None and (current.value is not None or current.skipped)
    turn.say(f"{prefix}\n\n{body}" if prefix else body, title=position(turn, sheet, q),
             buttons=question_buttons(turn, q, answered))


def first_open_key(turn: Turn, sheet: Sheet) -> str | None:
    """The first asked question without an answer, or None when all are answered."""
    answers = turn.uow.submissions.answers(sheet.submission.id)
    for q in sheet.asked:
        a = answers.get(q.key)
        if a is None or (a.value is None and not a.skipped):
            return q.key
    return None


def start(turn: Turn, sheet: Sheet, intro: str | None = None) -> None:
    """Begin or resume a sheet: same question and step as before, else the first unanswered one."""
    if turn.state.submission_id == sheet.submission.id and turn.state.mode == Mode.ANSWERING and turn.state.key:
        resume(turn, sheet, intro)
        return
    key = first_open_key(turn, sheet)
    if key is None or sheet.submission.status == "submitted":
        review.show(turn, sheet, intro)
    else:
        turn.state.provisional_next = False
        ask(turn, sheet, key, intro)


def resume(turn: Turn, sheet: Sheet, intro: str | None = None) -> None:
    """Show again whatever the person was asked last."""
    step, key = turn.state.step, turn.state.key
    assert key is not None
    if step == Step.COMPARISON:
        ask_comparison(turn, sheet, sheet.spec.question(key), intro)
    elif step == Step.NOTE:
        ask_note(turn, sheet, sheet.spec.question(key), intro)
    elif step == Step.OUTLIER and turn.state.pending:
        ask_outlier(turn, sheet, sheet.spec.question(key), intro)
    else:
        ask(turn, sheet, key, intro)


def advance(turn: Turn, sheet: Sheet, ack: str) -> None:
    """Go to the next question (or back to the review when changing one answer)."""
    turn.state.provisional_next, turn.state.pending = False, None
    if turn.state.back_to_review:
        review.show(turn, sheet, ack)
        return
    i = sheet.index(turn.state.key or "")
    if i + 1 < len(sheet.asked):
        ask(turn, sheet, sheet.asked[i + 1].key, ack)
    else:
        review.show(turn, sheet, ack)


def on_text(turn: Turn, text: str) -> None:
    """Text typed while a question is on screen."""
    sheet = editable_sheet(turn, need_question=True)
    if sheet is None or turn.state.key is None:
        return
    q = sheet.spec.question(turn.state.key)
    step = turn.state.step
    if step == Step.COMPARISON:
        save_comparison(turn, sheet, q, text)
    elif step == Step.NOTE:
        save_note(turn, sheet, q, text)
    else:
        answer_value(turn, sheet, q, text)


def answer_value(turn: Turn, sheet: Sheet, q: QuestionSpec, text: str) -> None:
    """Parse a typed value; refuse clearly, ask to confirm an outlier, or save and move on."""
    body, typed_provisional = split_provisional(text) if not q.is_section else (text, False)
    parsed = parse_answer(body, q.answer, turn.today, turn.lang)
    if isinstance(parsed, Refusal):
        turn.state.pending = None
        ask(turn, sheet, q.key, turn.t("dialogue.refused", reason=parsed.render(turn.lang)))
        return
    provisional = typed_provisional or turn.state.provisional_next
    change = outlier_change(turn, sheet, q, parsed)
    if change is not None:
        turn.state.pending = {"raw": text, "value": parsed.to_json(), "provisional": provisional,
                              "change": str(change)}
        turn.state.step = Step.OUTLIER
        ask_outlier(turn, sheet, q)
        return
    save_value(turn, sheet, q, text, parsed, provisional)


def save_value(turn: Turn, sheet: Sheet, q: QuestionSpec, raw: str, value: Value, provisional: bool) -> None:
    """Store the value as a revision, then ask for the comparison or move on."""
    before = turn.uow.submissions.answer(sheet.submission.id, q.key)
    action = "official" if before is not None and before.provisional and not provisional else "answer"
    record(turn, sheet, q.key, AnswerChange(action, raw_text=raw, value=value, provisional=provisional))
    ack = turn.t("dialogue.saved", value=format_value(value, turn.lang)) + (
        turn.t("dialogue.provisional_mark") if provisional else "")
    if sheet.submission.status == SubmissionStatus.SUBMITTED:  # a change after sending waits for «Gửi lại»
        ack += turn.t("dialogue.saved_pending")
    turn.state.provisional_next = False
    if q.definition.comparison:
        ask_comparison(turn, sheet, q, ack)
    else:
        advance(turn, sheet, ack)


def record(turn: Turn, sheet: Sheet, key: str, change: AnswerChange) -> AnswerLike:
    """Write one change to an answer with who and through which channel."""
    person_id = turn.person.id if turn.person else None
    return turn.uow.submissions.change(sheet.submission, key, change, person_id, turn.sender.channel)


def outlier_change(turn: Turn, sheet: Sheet, q: QuestionSpec, value: Value) -> Decimal | None:
    """The relative change against the unit's previous period when it exceeds the rule, else None."""
    if q.is_section or value.number is None:
        return None
    previous = turn.uow.submissions.previous_answer(sheet.unit.id, sheet.period, q.key)
    if previous is None or previous.value is None:
        return None
    old = Value.from_json(previous.value).number
    if old is None or old == 0:
        return None
    limit = Decimal(str((q.definition.outlier or sheet.spec.definition.outlier).max_change_pct))
    change = (value.number - old) * 100 / abs(old)
    return change if abs(change) > limit else None


def ask_outlier(turn: Turn, sheet: Sheet, q: QuestionSpec, intro: str | None = None) -> None:
    """Ask the person to confirm a value far from the previous period's."""
    pending = turn.state.pending or {}
    value = Value.from_json(pending["value"])
    previous = turn.uow.submissions.previous_answer(sheet.unit.id, sheet.period, q.key)
    before = Value.from_json(previous.value) if previous is not None and previous.value else None
    change = jump_words(value, before, turn.lang) if before is not None else \
        fmt_percent(Decimal(pending["change"]), turn.lang, 0, signed=True)
    text = turn.t("dialogue.outlier", value=format_value(value, turn.lang), change=change,
                  previous=shown(previous, turn.lang) or "")
    turn.say(f"{intro}\n\n{text}" if intro else text, title=position(turn, sheet, q), buttons=[
        [turn.button("dialogue.btn_confirm", f"ok:{q.key}"), turn.button("dialogue.btn_retype", f"redo:{q.key}")]])


def confirm_outlier(turn: Turn, sheet: Sheet, q: QuestionSpec) -> None:
    """The person confirmed the unusual value: save it."""
    pending = turn.state.pending
    if not pending:
        ask(turn, sheet, q.key)
        return
    turn.state.pending, turn.state.step = None, Step.VALUE
    save_value(turn, sheet, q, pending["raw"], Value.from_json(pending["value"]), bool(pending["provisional"]))


def ask_comparison(turn: Turn, sheet: Sheet, q: QuestionSpec, intro: str | None = None) -> None:
    """Ask for the optional international comparison of an indicator (Form 1)."""
    turn.state.step = Step.COMPARISON
    current = turn.uow.submissions.answer(sheet.submission.id, q.key)
    text = turn.t("dialogue.ask_comparison", number=q.definition.number or "")
    if current is not None and current.comparison:
        text += "\n" + turn.t("dialogue.current", value=current.comparison)
    buttons = [[turn.button("dialogue.btn_back", f"back:{q.key}"), turn.button("dialogue.btn_skip", f"skip:{q.key}")]]
    turn.say(f"{intro}\n\n{text}" if intro else text, title=position(turn, sheet, q), buttons=buttons)


def save_comparison(turn: Turn, sheet: Sheet, q: QuestionSpec, text: str) -> None:
    """Store the comparison text and move on (`không có`: there is none, an earlier one is removed)."""
    if says_none(text):
        current = turn.uow.submissions.answer(sheet.submission.id, q.key)
        number = q.definition.number or ""
        if current is not None and current.comparison:
            old = current.comparison
            record(turn, sheet, q.key, AnswerChange("comparison", raw_text=None, comparison=""))
            advance(turn, sheet, turn.t("dialogue.comparison_cleared", text=_short(old), number=number))
        else:
            advance(turn, sheet, turn.t("dialogue.comparison_none", number=number))
        return
    parsed = parse_answer(text, COMPARISON_SPEC)
    if isinstance(parsed, Refusal):
        ask_comparison(turn, sheet, q, turn.t("dialogue.refused", reason=parsed.render(turn.lang)))
        return
    record(turn, sheet, q.key, AnswerChange("comparison", comparison=parsed.text))
    advance(turn, sheet, turn.t("dialogue.comparison_saved"))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ask_note(turn: Turn, sheet: Sheet, q: QuestionSpec, intro: str | None = None) -> None:
    """Ask for a note on the current indicator."""
    turn.state.step = Step.NOTE
    text = turn.t("dialogue.ask_note", number=q.definition.number or "")
    turn.say(f"{intro}\n\n{text}" if intro else text, title=position(turn, sheet, q),
             buttons=[[turn.button("dialogue.btn_cancel_note", f"back:{q.key}")]])


def save_note(turn: Turn, sheet: Sheet, q: QuestionSpec, text: str) -> None:
    """Store the note and show the question again."""
    parsed = parse_answer(text, NOTE_SPEC)
    if isinstance(parsed, Refusal):
        ask_note(turn, sheet, q, turn.t("dialogue.refused", reason=parsed.render(turn.lang)))
        return
    record(turn, sheet, q.key, AnswerChange("note", note=parsed.text))
    ask(turn, sheet, q.key, turn.t("dialogue.note_saved"))
