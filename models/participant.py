"""Participants (states and organisations) and the history of their status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import ParticipantKind, ParticipantStatus


class Participant(Base):
    __tablename__ = "participant"
    __table_args__ = (CheckConstraint("length(code) between 2 and 12", name="code_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[ParticipantKind] = mapped_column(enum_column(ParticipantKind, "participant_kind"))
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status"), index=True
    )
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))

    status_history: Mapped[list[ParticipantStatusChange]] = relationship(
        back_populates="participant",
        order_by="ParticipantStatusChange.id",
        cascade="all, delete-orphan",
    )

    @property
    def is_member(self) -> bool:
        return self.status is ParticipantStatus.MEMBER

    def name(self, language: str = "en") -> str:
        return self.name_ru if language == "ru" else self.name_en

    def __repr__(self) -> str:
        return f"<Participant {self.code} {self.status}>"


class ParticipantStatusChange(Base):
    """One period of a participant's status; the open one has no `until`."""

    __tablename__ = "participant_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status")
    )
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="status_history")
