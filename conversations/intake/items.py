"""What reading answers in bulk gives: accepted and refused answers, changes, unusual values, notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from conversations.jumps import jump_words
from conversations.parsing import Refusal
from conversations.parsing.multi import Unplaced
from conversations.parsing.problems import catalog
from conversations.parsing.text import echo
from storage.repositories import AnswerSource
from storage.values import Value, format_value

from .draft import Draft


@dataclass(frozen=True)
class Accepted:
    """An answer that passed its question's parser; `value` None when only a note or comparison was given."""

    key: str
    raw: str
    value: Value | None
    provisional: bool | None = None
    note: str | None = None
    comparison: str | None = None
    where: str | None = None  # the cell, e.g. "C7"


@dataclass(frozen=True)
class Refused:
    """An answer its parser (or the file's reader) refused: nothing of it is saved."""

    key: str | None
    raw: str
    reason: Refusal
    where: str | None = None


@dataclass(frozen=True)
class Change:
    """What an accepted answer changes against the draft: `before` None when the question was unanswered."""

    key: str
    before: str | None
    after: str
    fields: tuple[str, ...]  # value, provisional, note, comparison


@dataclass(frozen=True)
class Unusual:
    """A value far from the unit's previous period (the dialogue would ask to confirm it)."""

    key: str
    value: Value
    previous: Value
    change: Decimal


@dataclass(frozen=True)
class Notice:
    """Something about the reading as a whole (an older form version mapped, a question left out…)."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str) -> str:
        """The sentence in `lang`."""
        return catalog().text(self.key, lang, **dict(self.params))


@dataclass(frozen=True)
class Reading:
    """The answers read from one message or one file, checked against a draft; nothing saved yet."""

    accepted: tuple[Accepted, ...] = ()
    refused: tuple[Refused, ...] = ()
    changes: tuple[Change, ...] = ()
    unusual: tuple[Unusual, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    notices: tuple[Notice, ...] = ()
    source: AnswerSource | None = None
    extra: dict[str, str] = field(default_factory=dict)  # e.g. {"kind": "unit"|"annex", "from_version": "2"}

    @property
    def changed_keys(self) -> list[str]:
        """Keys whose answer changes when the reading is saved."""
        return [c.key for c in self.changes]

    def review_lines(self, draft: Draft) -> list[str]:
        """The reading as review lines: what changes, what was refused and why, what looks unusual."""
        t, lang = catalog().text, draft.lang
        lines = [t("intake.counts", lang, accepted=len(self.accepted), changed=len(self.changes),
                   same=len(self.accepted) - len(self.changes), refused=len(self.refused))]
        lines += [t("intake.change_new" if c.before is None else "intake.change", lang, name=_title(draft, c.key),
                    after=c.after, before=c.before or "") for c in self.changes]
        lines += [refusal_line(draft, r) for r in self.refused]
        lines += [t("intake.unusual", lang, name=_title(draft, u.key), value=format_value(u.value, lang),
                    change=jump_words(u.value, u.previous, lang), previous=format_value(u.previous, lang))
                  for u in self.unusual]
        lines += [t("intake.unplaced_unknown" if u.reference else "intake.unplaced", lang,
                    reference=u.reference or "", text=echo(u.text, 60)) for u in self.unplaced]
        lines += [n.render(lang) for n in self.notices]
        return lines


def _title(draft: Draft, key: str) -> str:
    q = next((q for q in draft.spec.questions if q.key == key), None)
    if q is None:
        return key
    return f"{q.definition.number or '•'}. {q.definition.short_label or q.definition.label}"


def refusal_line(draft: Draft, r: Refused) -> str:
    """`Ô C7 (chỉ tiêu 2): 150.000/120.500 — Tử số … lớn hơn mẫu số …` (or without the cell for a message)."""
    t, lang = catalog().text, draft.lang
    name = draft.name(r.key) if r.key else ""
    raw = echo(r.raw, 40) if r.raw.strip() else t("intake.blank", lang)
    if r.where:
        return t("intake.refused_cell", lang, cell=r.where, name=name, raw=raw, reason=r.reason.render(lang))
    return t("intake.refused", lang, name=name[:1].upper() + name[1:], raw=raw, reason=r.reason.render(lang))
