"""Convention instruments and project pledges: dated records against a document."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.document import Document
from models.enums import InstrumentKind
from models.participant import Participant
from models.user import User


class Instrument(Base):
    """A signature or an instrument of ratification, acceptance, approval or accession."""

    __tablename__ = "instrument"
    __table_args__ = (UniqueConstraint("document_id", "participant_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    kind: Mapped[InstrumentKind] = mapped_column(enum_column(InstrumentKind, "instrument_kind"))
    deposited_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)  # set once the convention is in force
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    participant: Mapped[Participant] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class Pledge(Base):
    """A contribution pledged to a project proposal of the Fund."""

    __tablename__ = "pledge"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    donor_name: Mapped[str] = mapped_column(String(200), default="")  # external donors
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    donor: Mapped[Participant | None] = relationship()
