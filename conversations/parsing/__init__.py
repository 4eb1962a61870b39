"""Answer parsers: turn what a focal person typed into a typed `Value`, or a polite `Refusal`.

Pure functions, no I/O: `parse_answer(text, spec)` is the entry point; `split_provisional` finds a
"provisional figure" marker before it; `normalise`, `fold` and `parse_number` are the building blocks.
"""

from .answers import parse_answer
from .numbers import parse_number
from .problems import Problem, Refusal
from .provisional import split_provisional
from .spec import AnswerSpec
from .text import echo, fold, normalise

__all__ = [
    "AnswerSpec",
    "Problem",
    "Refusal",
    "echo",
    "fold",
    "normalise",
    "parse_answer",
    "parse_number",
    "split_provisional",
]
