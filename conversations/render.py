"""How questions, summaries and receipts read (texts come from the catalog; values via Babel)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from conversations.forms import FormSpec, QuestionSpec
from conversations.messages import Button
from conversations.turn import Turn
from storage.models import AnswerLike, AnswerRevision, Period, Submission, Unit
from storage.values import Value, format_value

SUMMARY_TEXT_LIMIT = 160


def scopes_of(unit: Unit) -> list[str]:
    """Unit codes from the unit up to the root (targets of the nearest scope win)."""
    return [c for c in reversed(unit.path.strip("/").split("/")) if c]


def shown(answer: AnswerLike | AnswerRevision | None, lang: str) -> str | None:
    """The answer's value as a person reads it, or None when unanswered/skipped."""
    if answer is None or answer.value is None:
        return None
    return format_value(Value.from_json(answer.value), lang)


@dataclass(frozen=True)
class Sheet:
    """A submission with what is needed to show it: form, period, unit and the questions asked."""

    submission: Submission
    spec: FormSpec
    period: Period
    unit: Unit
    asked: list[QuestionSpec]

    def index(self, key: str) -> int:
        """Position of question `key` among the asked ones."""
        return next(i for i, q in enumerate(self.asked) if q.key == key)


def position(turn: Turn, sheet: Sheet, q: QuestionSpec) -> str:
    """`Chỉ tiêu 2 · câu 2/8`, `Mục III · câu 7/8` or `Câu 3/13` (the step among the questions this unit answers)."""
    step, total = sheet.index(q.key) + 1, len(sheet.asked)
    numbering = sheet.spec.definition.numbering
    if q.is_section and numbering != "Câu":
        return turn.t("dialogue.position_section", number=q.definition.number or "", step=step, total=total)
    if numbering != "Câu":
        return turn.t("dialogue.position_indicator", label=numbering, number=q.definition.number or step,
                      count=len(sheet.spec.indicators()), step=step, total=total)
    return turn.t("dialogue.position_plain", label=numbering, step=step, total=total)


def target_line(turn: Turn, sheet: Sheet, q: QuestionSpec) -> str | None:
    """This year's target, or that none is set yet with the latest known one."""
    if q.is_section:
        return None
    scopes = scopes_of(sheet.unit)
    year = sheet.period.year
    target = q.target_for(year, scopes)
    if target:
        return turn.t("dialogue.target", year=year, target=target.shown)
    if not q.targets:
        return None
    before, after = q.nearest_targets(year, scopes)
    details = [turn.t("dialogue.target_was", year=t.year, target=t.shown) for t in (before,) if t]
    details += [turn.t("dialogue.target_goal", year=t.year, target=t.shown) for t in (after,) if t]
    if details:
        return turn.t("dialogue.no_target_details", year=year, details="; ".join(details))
    return turn.t("dialogue.no_target", year=year)


def question_text(turn: Turn, sheet: Sheet, q: QuestionSpec, answers: Mapping[str, AnswerLike]) -> str:
    """The body of a question message."""
    d = q.definition
    lines = [d.label]
    if d.unit_of_measure:
        lines.append(turn.t("dialogue.unit_of_measure", unit=d.unit_of_measure))
    if (tl := target_line(turn, sheet, q)) is not None:
        lines.append(tl)
    previous = None if q.is_section else turn.uow.submissions.previous_answer(sheet.unit.id, sheet.period, q.key)
    if previous is not None:
        lines.append(turn.t("dialogue.previous", value=shown(previous, turn.lang)))
    current = answers.get(q.key)
    if current is not None and (current.value or current.skipped):
        value = shown(current, turn.lang) or turn.t("dialogue.skipped")
        mark = turn.t("dialogue.provisional_mark") if current.provisional else ""
        lines.append(turn.t("dialogue.current", value=_clip(value) + mark))
    if current is not None and current.note:
        lines.append(turn.t("dialogue.note_line", note=_clip(current.note)))
    if d.help:
        lines.append(d.help)
    if d.example:
        lines.append(turn.t("dialogue.example", example=d.example))
    if turn.state.provisional_next:
        lines.append(turn.t("dialogue.provisional_armed"))
    return "\n".join(lines)


def question_buttons(turn: Turn, q: QuestionSpec, answered: bool) -> list[list[Button]]:
    """Buttons under a question: quick answers, provisional, note, back, skip, keep (at most six).

    Pausing needs no button: every answer is saved at once, the person can simply stop (or type /huy).
    """
    k = q.key
    rows: list[list[Button]] = []
    yes_no = q.definition.shape.value == "yes_no"
    if yes_no:
        rows.append([turn.button("dialogue.btn_yes", f"say:{k}:có"), turn.button("dialogue.btn_no", f"say:{k}:không")])
    if not q.is_section:
        prov_key = "dialogue.btn_unprovisional" if turn.state.provisional_next else "dialogue.btn_provisional"
        extra = [] if yes_no else [turn.button(prov_key, f"prov:{k}")]  # a yes/no is never an estimate
        rows.append([*extra, turn.button("dialogue.btn_note", f"note:{k}")])
    nav = [turn.button("dialogue.btn_back", f"back:{k}")]
    if q.definition.optional:
        nav.append(turn.button("dialogue.btn_skip", f"skip:{k}"))
    if answered:
        nav.append(turn.button("dialogue.btn_keep", f"keep:{k}"))
    rows.append(nav)
    return rows


def _clip(text: str, limit: int = SUMMARY_TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


clip = _clip


def summary_lines(turn: Turn, sheet: Sheet, answers: Mapping[str, AnswerLike]) -> list[str]:
    """One line per asked question: number, short name, value, marks."""
    lines = []
    for q in sheet.asked:
        d = q.definition
        a = answers.get(q.key)
        name = d.short_label or d.label
        if a is None or (a.value is None and not a.skipped):
            value = turn.t("dialogue.unanswered")
        elif a.skipped:
            value = turn.t("dialogue.skipped")
        else:
            value = _clip(shown(a, turn.lang) or "")
        mark = turn.t("dialogue.provisional_mark") if a is not None and a.provisional else ""
        lines.append(f"{d.number or '•'}. {name}: {value}{mark}")
        if a is not None and a.comparison:
            lines.append("   " + turn.t("dialogue.comparison_line", text=_clip(a.comparison, 80)))
        if a is not None and a.note:
            lines.append("   " + turn.t("dialogue.note_line", note=_clip(a.note, 80)))
    return lines


def missing_required(sheet: Sheet, answers: Mapping[str, AnswerLike]) -> list[QuestionSpec]:
    """Required questions without an answer."""
    return [q for q in sheet.asked if not q.definition.optional
            and (q.key not in answers or answers[q.key].value is None)]


def date_vn(day: object) -> str:
    """dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
