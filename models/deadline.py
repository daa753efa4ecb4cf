"""Due actions: every deadline is a row, written with the change that creates it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.document import Document
from models.enums import DueActionKind, DueActionStatus
from models.round import Round


class DueAction(Base):
    __tablename__ = "due_action"
    __table_args__ = (Index("ix_due_action_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DueActionKind] = mapped_column(enum_column(DueActionKind, "due_action_kind"))
    status: Mapped[DueActionStatus] = mapped_column(
        enum_column(DueActionStatus, "due_action_status"), default=DueActionStatus.PENDING
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship()
    round: Mapped[Round | None] = relationship()
