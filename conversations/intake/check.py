"""Checking one answer of many exactly as if it was typed at its question, and comparing it with the draft."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from conversations.forms import QuestionSpec
from conversations.parsing import Refusal, parse_answer, split_provisional
from conversations.parsing.problems import catalog
from storage.values import Value, format_value

from .draft import Current, Draft
from .items import Accepted, Change, Unusual


def parse_value(q: QuestionSpec, raw: str, draft: Draft) -> tuple[Value, bool] | Refusal:
    """The value of `raw` for `q` and whether it was marked provisional (as `answering.answer_value` does)."""
    body, provisional = (raw, False) if q.is_section else split_provisional(raw)
    parsed = parse_answer(body, q.answer, draft.today, draft.lang)
    if isinstance(parsed, Refusal):
        return parsed
    return parsed, provisional


def change_of(draft: Draft, a: Accepted) -> Change | None:
    """What saving `a` changes against the draft, or None when it changes nothing."""
    now = draft.current.get(a.key, Current())
    fields = []
    if a.value is not None and (now.value is None or now.value != a.value or now.skipped):
        fields.append("value")
    if a.value is not None and a.provisional is not None and a.provisional != now.provisional:
        fields.append("provisional")
    if a.note and a.note != now.note:
        fields.append("note")
    if a.comparison and a.comparison != now.comparison:
        fields.append("comparison")
    if not fields:
        return None
    if "value" not in fields and "provisional" not in fields:  # only a note or a comparison
        lines = [catalog().text("dialogue.note_line", draft.lang, note=a.note)] if "note" in fields else []
        if "comparison" in fields:
            lines.append(catalog().text("dialogue.comparison_line", draft.lang, text=a.comparison))
        return Change(a.key, None, "; ".join(lines), tuple(fields))
    before = _shown(now, draft.lang) if now.value is not None else None
    return Change(a.key, before, _shown(Current(a.value, provisional=bool(a.provisional)), draft.lang), tuple(fields))


def _shown(c: Current, lang: str) -> str:
    text = format_value(c.value, lang) if c.value is not None else catalog().text("intake.no_value", lang)
    return text + (catalog().text("intake.provisional_mark", lang) if c.provisional else "")


def unusual_of(draft: Draft, q: QuestionSpec, value: Value) -> Unusual | None:
    """The value's change against the previous period when it exceeds the form's outlier rule."""
    previous = draft.previous.get(q.key)
    if q.is_section or previous is None or value.number is None or not previous.number:
        return None
    limit = Decimal(str((q.definition.outlier or draft.spec.definition.outlier).max_change_pct))
    change = (value.number - previous.number) * 100 / abs(previous.number)
    return Unusual(q.key, value, previous, change) if abs(change) > limit else None


def compare(draft: Draft, accepted: Iterable[Accepted]) -> tuple[tuple[Change, ...], tuple[Unusual, ...]]:
    """The changes and unusual values among accepted answers."""
    changes, unusual = [], []
    for a in accepted:
        change = change_of(draft, a)
        if change is None:
            continue
        changes.append(change)
        q = draft.asked_question(a.key)
        if q is not None and a.value is not None and "value" in change.fields:
            odd = unusual_of(draft, q, a.value)
            if odd is not None:
                unusual.append(odd)
    return tuple(changes), tuple(unusual)
