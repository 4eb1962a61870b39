"""Repositories: intention-revealing queries over the models, used inside a unit of work."""

from storage.repositories.chain import ChainRepository
from storage.repositories.forms import FormRepository, PeriodRepository
from storage.repositories.ops import DialogueRepository, InboxRepository, OutboxRepository, ReminderRepository
from storage.repositories.people import InviteRepository, PeopleRepository
from storage.repositories.submissions import AnswerChange, AnswerSource, SubmissionRepository
from storage.repositories.units import UnitRepository
from storage.repositories.web import WebRepository

__all__ = [
    "AnswerChange", "AnswerSource", "ChainRepository", "DialogueRepository", "FormRepository", "InboxRepository", "InviteRepository", "OutboxRepository",
    "PeopleRepository", "PeriodRepository", "ReminderRepository", "SubmissionRepository", "UnitRepository",
    "WebRepository",
]
