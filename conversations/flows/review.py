"""The summary before sending, sending with a receipt, and changing one answer."""

from __future__ import annotations

from conversations.chain.sending import after_sending
from conversations.duedates import due_of, due_words
from conversations.flows.changes import changed_keys, names, sent_footer
from conversations.flows.sheets import current_sheet, due_for, editable_sheet, is_locked
from conversations.render import Sheet, missing_required, summary_lines
from conversations.state import Mode
from conversations.turn import Turn
from storage.models import Receipt, SubmissionStatus


def show(turn: Turn, sheet: Sheet, intro: str | None = None) -> None:
    """The compact summary with Send / Change one answer / Keep as draft."""
    turn.state.mode, turn.state.submission_id, turn.state.key = Mode.REVIEW, sheet.submission.id, None
    turn.state.back_to_review, turn.state.pending = False, None
    answers = turn.uow.submissions.answers(sheet.submission.id)
    lines = summary_lines(turn, sheet, answers)
    missing = missing_required(sheet, answers)
    if missing:
        lines.append(turn.t("dialogue.missing", items=", ".join(q.definition.number or q.key for q in missing)))
    sub = sheet.submission
    footer = sent_footer(turn, sub)
    if footer:
        lines.append(footer)
        changed = changed_keys(turn, sheet)
        if changed:
            lines.append(turn.t("dialogue.pending_changes", items=names(turn, sheet, changed)))
    title = turn.t("dialogue.review_title", form=sheet.spec.definition.short_title or sheet.spec.code,
                   period=sheet.period.code, unit=sheet.unit.name)
    body = "\n".join(lines)
    send_key = "dialogue.btn_resend" if sub.status == SubmissionStatus.SUBMITTED else "dialogue.btn_send"
    sid = sub.id
    buttons = [[turn.button(send_key, f"send:{sid}")],
               [turn.button("dialogue.btn_change", f"edit:{sid}"), turn.button("dialogue.btn_draft", f"draft:{sid}")]]
    turn.say(f"{intro}\n\n{body}" if intro else body, title=title, buttons=buttons)


def _local(turn: Turn, at: object) -> str:
    return turn.clock.local(at).strftime("%H:%M %d/%m/%Y")  # type: ignore[arg-type]


def on_review_button(turn: Turn, action: str, sid: str) -> None:
    """send / edit / draft / pick pressed under a summary."""
    sheet = current_sheet(turn)
    if sheet is None or str(sheet.submission.id) != sid.split(":")[0]:
        turn.say(turn.t("dialogue.stale_review"))
        return
    if action == "draft":
        turn.state.leave()
        if sheet.submission.status != SubmissionStatus.SUBMITTED:
            turn.say(turn.t("dialogue.draft_kept", period=sheet.period.code))
            return
        changed = changed_keys(turn, sheet)  # the sent version stays what analysts see
        ref = sheet.submission.reference
        turn.say(turn.t("dialogue.draft_kept_sent", period=sheet.period.code, items=names(turn, sheet, changed),
                        ref=ref) if changed else turn.t("dialogue.draft_kept_unchanged", period=sheet.period.code,
                                                        ref=ref))
        return
    if is_locked(turn, sheet):
        turn.state.leave()
        turn.say(turn.t("dialogue.locked", period=sheet.period.code))
        return
    if action == "send":
        send(turn, sheet)
    elif action == "edit":
        pick(turn, sheet)


def send(turn: Turn, sheet: Sheet) -> None:
    """Mark the submission sent and give a receipt; refused while required answers are missing."""
    answers = turn.uow.submissions.answers(sheet.submission.id)
    missing = missing_required(sheet, answers)
    if missing:
        show(turn, sheet, turn.t("dialogue.cannot_send", items=", ".join(q.definition.number or q.key
                                                                            for q in missing)))
        return
    sub = sheet.submission
    turn.uow.submissions.publish(sub)  # sending again: the pending changes become what analysts see
    due = due_for(turn, sheet.unit, sheet.period)
    on_time = turn.today <= due
    count = len(turn.uow.submissions.receipts(sub.id)) + 1
    reference = f"{sheet.spec.code}-{sheet.period.code.replace('-', '')}-{sheet.unit.code}-{count:02d}"
    provisional = [q for q in sheet.asked if q.key in answers and answers[q.key].provisional]
    person_id = turn.person.id if turn.person else None
    turn.uow.submissions.add_receipt(Receipt(
        submission_id=sub.id, reference=reference, sent_at=turn.now, sent_by=person_id, on_time=on_time,
        provisional_keys=",".join(q.key for q in provisional)))
    if sub.status != SubmissionStatus.SUBMITTED:
        sub.submitted_at, sub.on_time = turn.now, on_time
    sub.status, sub.reference, sub.submitted_by = SubmissionStatus.SUBMITTED, reference, person_id
    turn.state.leave()
    after_sending(turn, sheet, reference)  # requests for correction answered; a forwarded roll-up changed
    lines = [turn.t("dialogue.receipt", ref=reference, at=_local(turn, turn.now)),
             turn.t("dialogue.on_time" if on_time else "dialogue.late", due=due_words(
                 due_of(sheet.spec.definition, sheet.period, turn.uow.units.collector_kind(sheet.unit)), turn.lang))]
    if provisional:
        names = ", ".join(q.definition.number or q.key for q in provisional)
        lines.append(turn.t("dialogue.still_provisional", label=sheet.spec.definition.numbering, items=names))
    turn.say("\n".join(lines), title=turn.t("dialogue.receipt_title"))


def pick(turn: Turn, sheet: Sheet) -> None:
    """Offer every asked question as a button to change one answer."""
    turn.state.mode = Mode.PICKING
    rows = [[turn.button("dialogue.btn_pick", f"pick:{q.key}", number=q.definition.number or str(i + 1),
                         name=_short(q.definition.short_label or q.definition.label))]
            for i, q in enumerate(sheet.asked)]
    rows.append([turn.button("dialogue.btn_back_review", f"review:{sheet.submission.id}")])
    turn.say(turn.t("dialogue.pick_prompt"), buttons=rows)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def on_pick(turn: Turn, key: str) -> None:
    """The person chose which answer to change."""
    from conversations.flows import answering

    sheet = editable_sheet(turn)
    if sheet is None:
        return
    keys = [q.key for q in sheet.asked]
    if key not in keys:
        pick(turn, sheet)
        return
    turn.state.back_to_review, turn.state.provisional_next = True, False
    answering.ask(turn, sheet, key)
    turn.state.back_to_review = True


def pick_by_text(turn: Turn, text: str) -> None:
    """A number typed instead of pressing a button in the change list (e.g. `2` or `III`)."""
    sheet = current_sheet(turn, lock=False)
    if sheet is None:
        turn.state.leave()
        turn.say(turn.t("dialogue.lost_place"))
        return
    wanted = text.strip().upper().rstrip(".")
    for q in sheet.asked:
        if (q.definition.number or "").upper() == wanted:
            on_pick(turn, q.key)
            return
    pick(turn, sheet)
