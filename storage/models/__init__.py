"""SQLAlchemy 2 models of chitieu-bot (typed, portable across SQLite and PostgreSQL)."""

from storage.models.audit import AuditEntry
from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.chain import CollectorRound, CorrectionRequest, CorrectionStatus, Forwarding
from storage.models.data import (
    ANSWER_FIELDS,
    Answer,
    AnswerLike,
    AnswerRevision,
    PendingAnswer,
    Receipt,
    Submission,
    SubmissionStatus,
)
from storage.models.forms import Form, Period, Question, Target
from storage.models.ops import (
    ChannelToken,
    DialogueState,
    Download,
    InboxEvent,
    OutboxMessage,
    OutboxStatus,
    ReminderLog,
)
from storage.models.org import (
    LOCAL_CHANNELS,
    Identity,
    Invite,
    InviteAttempt,
    Person,
    Role,
    RoleGrant,
    Unit,
    UnitKind,
)
from storage.models.web import WebSession, WebSignIn, WebSignInFailure

__all__ = [
    "ANSWER_FIELDS", "Answer", "AnswerLike", "AnswerRevision", "PendingAnswer", "AuditEntry", "Base", "ChannelToken", "CollectorRound", "CorrectionRequest", "CorrectionStatus",
    "Forwarding", "DialogueState", "Download", "Form", "Identity",
    "InboxEvent", "Invite", "LOCAL_CHANNELS", "InviteAttempt", "OutboxMessage", "OutboxStatus", "Period", "Person", "Question",
    "Receipt", "ReminderLog", "Role", "RoleGrant", "Submission", "SubmissionStatus", "Target", "UTCDateTime",
    "Unit", "UnitKind", "utcnow",
    "WebSession", "WebSignIn", "WebSignInFailure",
]
