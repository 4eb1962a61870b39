"""Where a person is in the dialogue; saved after every message so a restart resumes at the same step."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


class Mode:
    """Dialogue modes."""

    IDLE = "idle"
    CHOOSING = "choosing"  # picking a unit/form/period
    CONFIRMING = "confirming"  # a second invite typed in a registered chat waits for Có / Không
    ANSWERING = "answering"  # a question is on screen (see `step`)
    REVIEW = "review"  # the summary with Send / Change / Keep as draft
    PICKING = "picking"  # choosing which answer to change
    ASKING_BACK = "asking_back"  # an analyst types what a unit should correct (`/yeucausua UNIT`)


class Step:
    """What the current question waits for."""

    VALUE = "value"
    COMPARISON = "comparison"
    NOTE = "note"
    OUTLIER = "outlier"


@dataclass
class State:
    """Serialisable dialogue state (JSON in `dialogue_states`)."""

    mode: str = Mode.IDLE
    submission_id: int | None = None
    key: str | None = None
    step: str = Step.VALUE
    provisional_next: bool = False
    pending: dict[str, Any] | None = None  # an outlier value waiting for confirmation
    back_to_review: bool = False
    choices: list[list[int]] = field(default_factory=list)  # [unit_id, period_id] offered by /nop
    view: str | None = None  # what /xem or the choice list is for
    keyboard: list[list[str]] = field(default_factory=list)  # [label, data] of the buttons last shown

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the database."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> State:
        """Rebuild from the database, ignoring keys an older or newer version wrote."""
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def leave(self) -> None:
        """Back to idle, keeping nothing of the dialogue (answers are in the database)."""
        self.__init__()  # type: ignore[misc]
