"""The nudges as neutral messages, in each person's language (texts in `locales/*/reminders.yaml`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conversations.duedates import due_of, due_words
from conversations.forms import QuestionSpec
from conversations.messages import Button, TextOut
from conversations.reminders import forwarding
from conversations.reminders.planner import Nudge
from conversations.reminders.rules import Kind
from conversations.reminders.snapshot import Progress, Snapshot
from storage.i18n import Catalog
from storage.models import Unit

TEXTS = Catalog.load(Path(__file__).resolve().parents[1] / "locales")
MAX_ITEMS = 12
MAX_DIGEST_LINES = 40


class Texts:
    """Sentences of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return TEXTS.text(f"reminders.{key}", self.lang, **params)

    def when(self, due: date, today: date) -> str:
        """`còn 3 ngày`, `hôm nay là hạn cuối` or `đã quá hạn 2 ngày`."""
        days = (due - today).days
        if days > 0:
            return self("when_left", days=days)
        return self("when_today") if days == 0 else self("when_late", days=-days)

    def status(self, progress: Progress) -> str:
        """`chưa bắt đầu` or `nháp, còn 3/7 câu`."""
        if progress.status == "new":
            return self("status_new")
        return self("status_draft", left=len(progress.left), total=progress.total)


def date_vn(day: date) -> str:
    """dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def due_text(nudge: Nudge, snap: Snapshot, t: Texts, unit: Unit | None = None, fmt: str = "%d/%m/%Y",
             compact: bool = False) -> str:
    """The unit's due date as the form names it, and the day it moved to when that was a day off."""
    unit = unit or nudge.unit
    parent = snap.units.get(unit.parent_id) if unit.parent_id else None
    return due_words(due_of(nudge.rnd.spec.definition, nudge.rnd.period, parent.kind if parent else None), t.lang,
                     fmt, compact)


def items(questions: tuple[QuestionSpec, ...]) -> str:
    """`1, 2, V` — the questions' numbers (keys where a question has none), cut after a dozen."""
    names = [q.definition.number or q.key for q in questions]
    return ", ".join(names[:MAX_ITEMS]) + (", …" if len(names) > MAX_ITEMS else "")


def render(nudge: Nudge, snap: Snapshot) -> TextOut:
    """The message a due nudge sends."""
    person = snap.person(nudge.person_id)
    t = Texts(person.language if person else "vi")
    name = person.display_name if person else ""
    kind = nudge.rule.kind
    if kind == Kind.DEADLINE:
        return _deadline(nudge, snap, t, name)
    if kind == Kind.PROVISIONAL:
        return _provisional(nudge, snap, t, name)
    if kind == Kind.ESCALATION:
        return _escalation(nudge, snap, t)
    if kind == forwarding.FORWARD:
        return forwarding.render(nudge, snap, t)
    return _digest(nudge, snap, t)


def _open(nudge: Nudge) -> str:
    return f"open:{nudge.unit.id}:{nudge.rnd.period.id}"


def _deadline(nudge: Nudge, snap: Snapshot, t: Texts, name: str) -> TextOut:
    """Form, period, due date, days left or late, what is missing, and a button to start or continue."""
    progress = snap.progress(nudge.rnd, nudge.unit)
    unit, period = nudge.unit.name, nudge.rnd.period.code
    if progress.status == "new":
        first, button = t("deadline_new", name=name, unit=unit, period=period, total=progress.total), "btn_start"
    elif progress.left:
        first = t("deadline_draft", name=name, unit=unit, left=len(progress.left), total=progress.total,
                  items=items(progress.left))
        button = "btn_continue"
    else:
        first, button = t("deadline_ready", name=name, unit=unit, total=progress.total), "btn_review"
    text = f"{first}\n{t('due_line', due=due_text(nudge, snap, t), when=t.when(nudge.due, snap.today))}"
    return TextOut(text, t("deadline_title", form=nudge.rnd.title, period=period),
                   ((Button(t(button), _open(nudge)),),))


def _provisional(nudge: Nudge, snap: Snapshot, t: Texts, name: str) -> TextOut:
    """Which answers are still provisional, and a button to update them."""
    progress = snap.progress(nudge.rnd, nudge.unit)
    period = nudge.rnd.period.code
    text = t("provisional_body", name=name, unit=nudge.unit.name, period=period,
             count=len(progress.provisional), items=items(progress.provisional))
    return TextOut(text, t("provisional_title", form=nudge.rnd.title, period=period),
                   ((Button(t("btn_update"), _open(nudge)),),))


def _escalation(nudge: Nudge, snap: Snapshot, t: Texts) -> TextOut:
    """To the collector's analyst: which unit is late, how far it got, and who its focal persons are."""
    progress = snap.progress(nudge.rnd, nudge.unit)
    focals = _focals(nudge.unit.id, snap, t)
    text = t("escalation_body", unit=nudge.unit.name, form=nudge.rnd.title, period=nudge.rnd.period.code,
             due=due_text(nudge, snap, t), days=(snap.today - nudge.due).days, status=t.status(progress), focals=focals)
    return TextOut(text, t("escalation_title", unit=nudge.unit.name, period=nudge.rnd.period.code),
                   ((Button(t("btn_summary"), _summary(nudge)),),))


def _summary(nudge: Nudge) -> str:
    """`/tonghop 2026-Q4 CL`: the summary of the nudge's own form and period."""
    return f"cmd:tonghop {nudge.rnd.period.code} {nudge.rnd.period.form_code}"


def _focals(unit_id: int, snap: Snapshot, t: Texts) -> str:
    """`Lê Thị B (0912…)`, marked when the bot cannot reach them; or that nobody is registered."""
    people = snap.focal.get(unit_id, [])
    snap.load_people(people)
    shown = []
    for pid in people:
        person = snap.person(pid)
        if person is None:
            continue
        label = f"{person.display_name} ({person.phone})" if person.phone else person.display_name
        shown.append(label if snap.identity(pid) else t("focal_unreachable", name=label))
    return ", ".join(shown) or t("no_focal")


def _digest(nudge: Nudge, snap: Snapshot, t: Texts) -> TextOut:
    """To an analyst: the late units of their subtree, most overdue first, and a button for the summary."""
    lines = [t("digest_intro", today=date_vn(snap.today), late=len(nudge.late), owing=nudge.owing,
               scope=nudge.unit.name)]
    for unit, due in nudge.late[:MAX_DIGEST_LINES]:
        status = t.status(snap.progress(nudge.rnd, unit))
        status += "" if snap.focal.get(unit.id) else f", {t('no_focal')}"
        lines.append(t("digest_line", unit=unit.name, due=due_text(nudge, snap, t, unit, "%d/%m", compact=True), days=(snap.today - due).days,
                       status=status))
    if len(nudge.late) > MAX_DIGEST_LINES:
        lines.append(t("digest_more", count=len(nudge.late) - MAX_DIGEST_LINES))
    return TextOut("\n".join(lines), t("digest_title", form=nudge.rnd.title, period=nudge.rnd.period.code),
                   ((Button(t("btn_summary"), _summary(nudge)),),))


def bundle(replies: list[TextOut], lang: str) -> TextOut:
    """Several nudges to one person in one pass as one message: numbered parts, each with its buttons.

    A button repeated by several parts (`Xem tổng hợp`) is shown once; the others carry their part's number.
    """
    if len(replies) == 1:
        return replies[0]
    t = Texts(lang)
    parts, rows, seen = [], [], set()
    for i, reply in enumerate(replies, 1):
        parts.append(f"{i}. {reply.title}\n{reply.text}" if reply.title else f"{i}. {reply.text}")
        for row in reply.buttons:
            kept = tuple(Button(f"{i}. {b.label}", b.data) for b in row if b.data not in seen)
            seen.update(b.data for b in row)
            if kept:
                rows.append(kept)
    return TextOut("\n\n".join(parts), t("bundle_title", count=len(replies)), tuple(rows))


def zns_fields(nudge: Nudge, person_name: str) -> dict[str, str] | None:
    """Parameters of the ZNS template a Zalo reminder falls back to outside the reply window.

    The OA administrator registers a template with exactly these parameters (see the README):
    `ten` (person), `don_vi` (unit), `bieu_mau` (form), `ky` (period), `han` (due date dd/mm/yyyy).
    Only deadline and provisional reminders to focal persons use it; digests and escalations do not.
    """
    if nudge.rule.kind not in (Kind.DEADLINE, Kind.PROVISIONAL):
        return None
    return {"ten": person_name or "Anh/Chị", "don_vi": nudge.unit.name, "bieu_mau": nudge.rnd.title,
            "ky": nudge.rnd.period.code, "han": date_vn(nudge.due)}
