"""What "sent" means: the sent version analysts see, the changes waiting for «Gửi lại», the history of changes.

After sending, `answers` keeps the sent values; a change is a pending row until «Gửi lại» publishes it with the
next receipt (storage/repositories/submissions.py). These texts keep every message in step with that model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from conversations.render import Sheet, clip, shown
from conversations.turn import Turn
from storage.models import AnswerLike, AnswerRevision, Receipt, Role, Submission, SubmissionStatus

HISTORY_LIMIT = 25


def local(turn: Turn, at: datetime) -> str:
    """`09:00 21/11/2026` in the person's time zone."""
    return turn.clock.local(at).strftime("%H:%M %d/%m/%Y")


def last_receipt(turn: Turn, sub: Submission) -> Receipt | None:
    """The receipt of the latest sending (its number and its time belong together)."""
    receipts = turn.uow.submissions.receipts(sub.id)
    return receipts[-1] if receipts else None


def sent_footer(turn: Turn, sub: Submission) -> str | None:
    """`Đã gửi lúc …, mã biên nhận …-01.` or, after sending again, the latest receipt with its own time."""
    if sub.status != SubmissionStatus.SUBMITTED or sub.submitted_at is None:
        return None
    receipts = turn.uow.submissions.receipts(sub.id)
    if len(receipts) <= 1:
        at = receipts[0].sent_at if receipts else sub.submitted_at
        return turn.t("dialogue.already_sent", at=local(turn, at), ref=receipts[0].reference if receipts
                      else sub.reference)
    last = receipts[-1]
    return turn.t("dialogue.sent_again", at=local(turn, last.sent_at), ref=last.reference,
                  first=local(turn, sub.submitted_at))


def name_of(turn: Turn, sheet: Sheet, key: str) -> str:
    """`Chỉ tiêu 2`, `Mục III`, `Câu 3` (the key when the form no longer has the question)."""
    q = next((q for q in sheet.spec.questions if q.key == key), None)
    if q is None:
        return key
    kind = ("question" if sheet.spec.definition.numbering == "Câu" else "section" if q.is_section
            else "indicator")
    text = turn.t(f"intake.name_{kind}", number=q.definition.number or key)
    return text[:1].upper() + text[1:]


def changed_keys(turn: Turn, sheet: Sheet) -> list[str]:
    """Questions whose pending change differs from what was sent, in the form's order."""
    if sheet.submission.status != SubmissionStatus.SUBMITTED:
        return []
    pending = turn.uow.submissions.pending(sheet.submission.id)
    if not pending:
        return []
    sent = turn.uow.submissions.sent_answers(sheet.submission.id)
    order = {q.key: i for i, q in enumerate(sheet.spec.questions)}
    return sorted((k for k, p in pending.items() if _content(p) != _content(sent.get(k))),
                  key=lambda k: order.get(k, len(order)))


def _content(a: AnswerLike | AnswerRevision | None) -> tuple[object, ...]:
    if a is None:
        return (None, None, False, False, None, None)
    return (a.raw_text if a.value is None else None, a.value, a.skipped, a.provisional, a.note, a.comparison)


def names(turn: Turn, sheet: Sheet, keys: Sequence[str]) -> str:
    """`chỉ tiêu 1, mục III` for a sentence."""
    return ", ".join(name_of(turn, sheet, k).lower() if turn.lang == "vi" else name_of(turn, sheet, k) for k in keys)


def value_text(turn: Turn, a: AnswerLike | AnswerRevision | None) -> str:
    """An answer as one short phrase: its value (with the provisional mark), `bỏ qua` or `chưa trả lời`."""
    if a is None or (a.value is None and not a.skipped):
        return turn.t("dialogue.unanswered")
    if a.skipped:
        return turn.t("dialogue.skipped")
    mark = turn.t("dialogue.provisional_mark") if a.provisional else ""
    return clip(shown(a, turn.lang) or "", 60) + mark


def change_texts(turn: Turn, old: AnswerLike | AnswerRevision | None,
                 new: AnswerLike | AnswerRevision) -> tuple[str, str, str]:
    """(what changed, old, new): the value, or the note or comparison when only that changed."""
    before, after = value_text(turn, old), value_text(turn, new)
    if before != after:
        return "", before, after
    for field, label in (("note", "dialogue.history_note"), ("comparison", "dialogue.history_comparison")):
        was, now = getattr(old, field, None) if old is not None else None, getattr(new, field)
        if was != now:
            return f" ({turn.t(label)})", clip(was or "—", 60), clip(now or "—", 60)
    return "", before, after


def pending_lines(turn: Turn, sheet: Sheet) -> list[str]:
    """For /xem: each change waiting for «Gửi lại», sent value → new value."""
    keys = changed_keys(turn, sheet)
    if not keys:
        return []
    sent = turn.uow.submissions.sent_answers(sheet.submission.id)
    pending = turn.uow.submissions.pending(sheet.submission.id)
    lines = [turn.t("dialogue.view_pending_title")]
    for k in keys:
        what, old, new = change_texts(turn, sent.get(k), pending[k])
        lines.append(turn.t("dialogue.view_pending_line", name=name_of(turn, sheet, k) + what, old=old, new=new))
    return lines


def history(turn: Turn, sid: str) -> None:
    """«Lịch sử sửa»: every change of one of the person's submissions — who, when, old → new — newest last."""
    from conversations.flows.sheets import sheet_of

    sub = turn.uow.submissions.by_id(int(sid)) if sid.isdigit() else None
    mine = {u.id for u in turn.units_with(Role.FOCAL)}
    if sub is None or sub.unit_id not in mine:
        turn.say(turn.t("dialogue.stale_button_plain"))
        return
    sheet = sheet_of(turn, sub)
    revisions = turn.uow.submissions.revisions(sub.id)
    people = turn.uow.people.people_by_id([r.changed_by for r in revisions if r.changed_by])
    before: dict[str, AnswerRevision] = {}
    lines = []
    for r in revisions:
        what, old, new = change_texts(turn, before.get(r.question_key), r)
        person = people.get(r.changed_by) if r.changed_by else None
        lines.append(turn.t("dialogue.history_line", at=local(turn, r.changed_at),
                            who=person.display_name if person else turn.t("dialogue.history_who_unknown"),
                            name=name_of(turn, sheet, r.question_key) + what, old=old, new=new,
                            mark=turn.t("dialogue.history_pending_mark") if r.pending else ""))
        before[r.question_key] = r
    if len(lines) > HISTORY_LIMIT:
        lines = [turn.t("dialogue.history_older", count=len(lines) - HISTORY_LIMIT), *lines[-HISTORY_LIMIT:]]
    turn.say("\n".join(lines) or turn.t("dialogue.history_none"), title=turn.t(
        "dialogue.history_title", form=sheet.spec.definition.short_title or sheet.spec.code,
        period=sheet.period.code, unit=sheet.unit.name))
