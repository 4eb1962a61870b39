"""Answers that arrive together: several in one message, or a whole returned workbook.

Both go through the same steps as an answer typed at its question (`conversations/parsing`): each is
parsed and validated against its question of the unit's `Draft`, giving a `Reading` (accepted, refused,
what changes against the draft, what looks unusual). `save_reading` stores the accepted changes as
revisions, marked with their source file when they came from one.
"""

from .draft import Current, Draft, draft_of
from .items import Accepted, Change, Notice, Reading, Refused, Unusual
from .message import is_multi_answer, read_message, refs_of
from .save import save_reading

__all__ = [
    "Accepted", "Change", "Current", "Draft", "Notice", "Reading", "Refused", "Unusual", "draft_of",
    "is_multi_answer", "read_message", "refs_of", "save_reading",
]
