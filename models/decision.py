"""Decisions of bodies, numbered per body and year, and the confirmations an ad referendum
decision awaits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.body import Body
from models.document import Document, Version
from models.enums import ConfirmationStatus, DecisionStatus
from models.participant import Participant
from models.round import Position, Round
from models.user import User


class Decision(Base):
    """The act of a body adopting or approving one version of a document."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("body_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[DecisionStatus] = mapped_column(enum_column(DecisionStatus, "decision_status"))
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))  # what was decided: "Approved", "Granted", …
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(60))
    # The statements, reservations and objections attached, as the round's outcome listed them.
    attached: Mapped[dict] = mapped_column(JSON, default=dict)
    confirmation_due_on: Mapped[date | None] = mapped_column(Date)  # ad referendum only
    settled_on: Mapped[date | None] = mapped_column(Date)  # when it became final or failed
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    body: Mapped[Body] = relationship()
    document: Mapped[Document] = relationship()
    version: Mapped[Version] = relationship()
    round: Mapped[Round | None] = relationship()
    entered_by: Mapped[User | None] = relationship()


class Confirmation(Base):
    """A state's consent given ad referendum, awaiting its capital's confirmation."""

    __tablename__ = "confirmation"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    status: Mapped[ConfirmationStatus] = mapped_column(
        enum_column(ConfirmationStatus, "confirmation_status"), default=ConfirmationStatus.PENDING
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    reference: Mapped[str] = mapped_column(String(200), default="")  # a note verbale, if any
    text: Mapped[str] = mapped_column(Text, default="")  # the reason of a withdrawal

    round: Mapped[Round] = relationship(back_populates="confirmations")
    participant: Mapped[Participant] = relationship()
    position: Mapped[Position] = relationship()
    answered_by: Mapped[User | None] = relationship()
