"""Typed words that act as a button: the keyboard of the current step is the one source of what they mean.

After every turn the buttons of the last message that had buttons are kept in the state (`State.keyboard`).
When the person types instead of pressing, the text is first matched, folded (no diacritics, any case, stray
spaces and punctuation, with or without a slash), against those buttons: their labels, the usual words for
their action (`quay lai`, `bo qua`, `gui`…), the number a numbered choice starts with (`2`, `III`), and yes/no
words where a button confirms or declines (`ừ`, `vâng`, `đúng rồi` confirm an unusual value). Only the whole
text is matched: an answer that merely contains such a word is still an answer.
"""

from __future__ import annotations

import re

from conversations.messages import Reply, TextOut
from conversations.parsing import fold, normalise
from conversations.parsing.yes_no import answer_meaning
from conversations.state import Mode, State

# The words people type for a button's action, folded; the label itself always matches too.
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "back": ("quay lai", "lui", "lui lai", "tro lai", "tro ve", "quay ve", "back"),
    "skip": ("bo qua", "bo qua cau nay", "skip"),
    "keep": ("giu nguyen", "giu", "giu nhu cu", "giu cau tra loi", "khong doi", "keep"),
    "prov": ("tam uoc tinh", "so lieu tam", "danh dau tam uoc tinh"),
    "note": ("ghi chu", "them ghi chu", "note"),
    "send": ("gui", "gui di", "gui luon", "gui ngay", "gui bao cao", "gui lai", "send"),
    "edit": ("sua", "sua mot cau", "sua cau", "sua lai", "chinh sua", "edit"),
    "draft": ("luu nhap", "luu", "luu ban nhap", "de sau", "draft"),
    "ok": ("dung giu gia tri nay", "giu gia tri nay", "dong y", "xac nhan"),
    "redo": ("nhap lai", "go lai", "sua gia tri"),
    "review": ("ve ban tom tat", "ban tom tat", "tom tat", "quay lai"),
}
# Navigation words understood at a question even when their button is not shown: the handler explains why
# (a required question cannot be skipped, nothing to keep yet) instead of saving the word as the answer.
QUESTION_ACTIONS = ("back", "skip", "keep")
# Buttons that say yes / no, so that any yes or no word chooses them.
# (Not the Có/Không of a yes/no question: there the word is the answer and is parsed, raw text kept.)
_YES_DATA = re.compile(r"^(ok:|inv:yes)")
_NO_DATA = re.compile(r"^(redo:|inv:no)")
_NUMBERED = re.compile(r"^\s*((?:[0-9]{1,2}|[IVX]{1,5})(?:\.[0-9a-z]{1,2})*)\.\s")
_NOT_WORD = re.compile(r"[^\w]+")
_CODE = re.compile(r"\(([^()]{1,12})\)\s*$")  # `Chỉ tiêu Chiến lược báo chí (CL)`


def words(text: str) -> str:
    """`  ⬅ Quay lại! ` -> `quay lai`: folded, slashes, emoji and punctuation gone, spaces collapsed."""
    folded = fold(normalise(text)).replace("_", " ")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def place(state: State) -> tuple[object, ...]:
    """Where the person is: the step whose keyboard is on screen."""
    return state.mode, state.submission_id, state.key, state.step, state.back_to_review


def remember(state: State, replies: list[Reply], before: tuple[object, ...]) -> None:
    """Keep the buttons of the last reply that had any as the current step's keyboard.

    When the step did not change (`/xem` or `/han` looked up in the middle of the review), the step's buttons
    stay: a reply without buttons keeps them, other buttons are added to them. A new step, or idle, replaces them.
    """
    shown = [r for r in replies if isinstance(r, TextOut) and r.buttons]
    new = [[b.label, b.data] for row in shown[-1].buttons for b in row] if shown else []
    if place(state) != before or state.mode == Mode.IDLE:
        state.keyboard = new
        return
    old_data = {data for _label, data in state.keyboard}
    if any(data in old_data for _label, data in new):  # the same step shown again (a refusal, a toggle)
        state.keyboard = new
    else:
        state.keyboard = [*state.keyboard, *new]


def _number(label: str) -> str | None:
    match = _NUMBERED.match(label)
    return words(match.group(1)) if match else None


def match(state: State, text: str) -> str | None:
    """The data of the button `text` stands for on the current keyboard, or None (then it is an answer)."""
    typed = words(text)
    if not typed or len(typed) > 60:
        return None
    keyboard = [(label, data) for label, data in state.keyboard]
    for label, data in keyboard:  # the label itself, or the number a numbered choice starts with
        if typed == words(label) or typed == _number(label):
            return data
    for _label, data in keyboard:  # the usual words for the button's action
        if typed in ACTION_WORDS.get(data.partition(":")[0], ()):
            return data
    meaning = answer_meaning(text)
    if meaning is not None:
        wanted = _YES_DATA if meaning else _NO_DATA
        for _label, data in keyboard:
            if wanted.match(data):
                return data
    if state.mode == Mode.ANSWERING and state.key:
        for action in QUESTION_ACTIONS:
            if typed in ACTION_WORDS[action]:
                return f"{action}:{state.key}"
        # the review's words typed at a question: «gửi» shows the summary first (sending is pressed there),
        # «lưu nháp» keeps the draft, «sửa» lists the answers; never saved as the answer
        for action, data in (("send", "review"), ("draft", "draft"), ("edit", "edit")):
            if typed in ACTION_WORDS[action] and state.submission_id:
                return f"{data}:{state.submission_id}"
    return None


def choice(state: State, text: str) -> str | None:
    """Outside any dialogue step: a choice typed by the code its label ends with (`CL` for `… (CL)`), or by
    words found in one label only (`chien luoc`, at least two words). Called only when the text is neither
    a button's word nor a command, so an answer or a command is never taken for a choice."""
    typed = words(text)
    if not typed or len(typed) > 60:
        return None
    for label, data in state.keyboard:
        code = _CODE.search(label)
        if code and typed == words(code.group(1)):
            return data
    if len(typed.split()) < 2:
        return None
    hits = [data for label, data in state.keyboard if f" {typed} " in f" {words(label)} "]
    return hits[0] if len(hits) == 1 else None
