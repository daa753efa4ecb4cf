"""The data model: one module per aggregate, all on one metadata."""

from models import search  # noqa: F401  (the full-text index follows every flush)
from models.audit import AuditChainHead, AuditEvent, AuditHead
from models.base import Base, utcnow
from models.body import Body, BodySeat, GroupMember, ParticipantGroup
from models.calendar import CalendarFeed
from models.catalogue import CatalogueEdition, Dimension, Measure, PriorityArea, PriorityAreaRole
from models.deadline import DueAction
from models.decision import Confirmation, Decision
from models.document import Document, Version, VersionText
from models.enums import (
    AffiliationRole,
    ConfirmationStatus,
    CoordinatorRole,
    DecisionStatus,
    DueActionKind,
    DueActionStatus,
    EntryChannel,
    InstrumentKind,
    OutcomeKind,
    ParticipantKind,
    ParticipantStatus,
    PositionKind,
    RoundMode,
    RoundStatus,
)
from models.forum import Forum
from models.instrument import Instrument, Pledge
from models.notification import Notification, NotificationPreference
from models.participant import Participant, ParticipantStatusChange
from models.round import Position, Round, RoundElector
from models.user import AccountLink, Affiliation, ApiToken, LoginAttempt, User, UserSession

__all__ = [
    "AccountLink",
    "AffiliationRole",
    "Affiliation",
    "ApiToken",
    "AuditEvent",
    "AuditChainHead",
    "AuditHead",
    "Base",
    "Body",
    "BodySeat",
    "GroupMember",
    "ParticipantGroup",
    "CalendarFeed",
    "CatalogueEdition",
    "Confirmation",
    "ConfirmationStatus",
    "Decision",
    "DecisionStatus",
    "CoordinatorRole",
    "Dimension",
    "Document",
    "DueAction",
    "DueActionKind",
    "DueActionStatus",
    "EntryChannel",
    "Forum",
    "Instrument",
    "InstrumentKind",
    "LoginAttempt",
    "Measure",
    "Notification",
    "NotificationPreference",
    "OutcomeKind",
    "Participant",
    "ParticipantKind",
    "ParticipantStatus",
    "ParticipantStatusChange",
    "Pledge",
    "Position",
    "PositionKind",
    "PriorityArea",
    "PriorityAreaRole",
    "Round",
    "RoundElector",
    "RoundMode",
    "RoundStatus",
    "User",
    "UserSession",
    "Version",
    "VersionText",
    "utcnow",
]
