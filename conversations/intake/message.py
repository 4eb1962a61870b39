"""Several answers in one message: which message is one, and what it answers."""

from __future__ import annotations

import re

from conversations.forms import FormSpec, QuestionSpec
from conversations.parsing import Refusal
from conversations.parsing.multi import Piece, Ref, Split, split_answers

from .check import compare, parse_value
from .draft import Draft
from .items import Accepted, Notice, Reading, Refused

_NAME_CUT = re.compile(r"[,(;:]")


def refs_of(spec: FormSpec) -> list[Ref]:
    """How each question of a form may be named in a message: number, key, headings (label up to a comma)."""
    refs = []
    for q in spec.questions:
        d = q.definition
        names = {_NAME_CUT.split(x)[0].strip() for x in (d.label, d.short_label) if x}
        refs.append(Ref(q.key, d.number, tuple(sorted(n for n in names if n)), q.is_section))
    return refs


def _single_answer(text: str, q: QuestionSpec | None, draft: Draft) -> bool:
    """True when `text` parses as an answer to the current (non-text) question."""
    return q is not None and not q.is_section and not isinstance(parse_value(q, text, draft), Refusal)


def is_multi_answer(text: str, draft: Draft, current_key: str | None, split: Split | None = None) -> bool:
    """True when `text` is several answers rather than one answer to the current question.

    A message that parses as an answer to the current question is that answer. Otherwise it is many when
    it names two questions, or names one at its very start. At a free-text question (a section), bare
    `1.`/`2.` are its own list, so it is many only when it starts with a heading, a roman number or a
    number with a word (`III. …`, `Khó khăn: …`, `câu 12: …`) and names at least two questions.
    """
    q = draft.asked_question(current_key) if current_key else None
    if _single_answer(text, q, draft):
        return False
    split = split or split_answers(text, refs_of(draft.spec))
    if not split.pieces:
        return False
    if q is not None and q.is_section:
        return split.starts_with_reference and split.pieces[0].explicit and len(split.pieces) >= 2
    return len(split.pieces) >= 2 or split.starts_with_reference


def read_message(text: str, draft: Draft, current_key: str | None = None) -> Reading | None:
    """The answers of a multi-answer message checked against the draft, or None when it is not one."""
    split = split_answers(text, refs_of(draft.spec))
    if not is_multi_answer(text, draft, current_key, split):
        return None
    accepted, refused, notices = [], [], []
    last = {p.key: i for i, p in enumerate(split.pieces)}
    for i, piece in enumerate(split.pieces):
        if last[piece.key] != i:
            notices.append(Notice("intake.given_twice", (("name", draft.name(piece.key)),)))
            continue
        item = _check(piece, draft)
        (accepted if isinstance(item, Accepted) else refused).append(item)
    changes, unusual = compare(draft, accepted)
    return Reading(tuple(accepted), tuple(refused), changes, unusual, split.unplaced, tuple(notices))


def _check(piece: Piece, draft: Draft) -> Accepted | Refused:
    """One piece parsed at its question; a question this unit does not answer is refused."""
    q = draft.asked_question(piece.key)
    if q is None:
        return Refused(piece.key, piece.text, Refusal("intake.not_asked", (("name", draft.name(piece.key)),)))
    parsed = parse_value(q, piece.text, draft)
    if isinstance(parsed, Refusal):
        return Refused(piece.key, piece.text, parsed)
    value, provisional = parsed
    return Accepted(piece.key, piece.text, value, None if q.is_section else provisional)
