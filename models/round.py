"""Consensus rounds, their fixed electorate and the positions states record."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.body import Body
from models.document import Document, Version
from models.enums import OutcomeKind, RoundMode, RoundStatus
from models.participant import Participant
from models.user import User

if TYPE_CHECKING:
    from models.decision import Confirmation


class Round(Base):
    """One attempt of one body to reach consensus on one version."""

    __tablename__ = "consensus_round"
    __table_args__ = (
        CheckConstraint(
            "(status = 'open' AND outcome IS NULL) OR (status = 'closed' AND outcome IS NOT NULL)",
            name="outcome_iff_closed",
        ),
        CheckConstraint(
            "mode = 'meeting' OR deadline_at IS NOT NULL", name="deadline_unless_meeting"
        ),
        # Open work in the order it falls due (workflow.queries.OPEN_ORDER), whatever the
        # number of closed rounds: lists of open rounds walk it and stop at their page's end.
        Index(
            "ix_consensus_round_open_order",
            "deadline_at",
            "opened_at",
            "id",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    document_state: Mapped[str] = mapped_column(String(60))  # the state that holds the round
    mode: Mapped[RoundMode] = mapped_column(enum_column(RoundMode, "round_mode"))
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus, "round_status"), default=RoundStatus.OPEN, index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deadline_timezone: Mapped[str | None] = mapped_column(String(64))
    # How many times the deadline moved: calendars' SEQUENCE, so clients replace the event.
    deadline_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it was entered
    decided_on: Mapped[date | None] = mapped_column(Date)  # the date of the closing act
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    outcome: Mapped[OutcomeKind | None] = mapped_column(enum_column(OutcomeKind, "outcome_kind"))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    # The trigger consensus fires, chosen at opening where the definition offers several
    # (an observer status granted by the SOC, or recommended to the MC).
    on_consensus: Mapped[str | None] = mapped_column(String(60))

    document: Mapped[Document] = relationship()
    version: Mapped[Version] = relationship()
    body: Mapped[Body] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    electors: Mapped[list[RoundElector]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundElector.id"
    )
    positions: Mapped[list[Position]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Position.id"
    )
    # The position that counts for each state that answered, in the order they were recorded.
    current_positions: Mapped[list[Position]] = relationship(
        primaryjoin="and_(Position.round_id == Round.id, Position.is_current)",
        order_by="Position.id",
        viewonly=True,
    )
    # Consents given ad referendum and their capitals' answers (models.decision).
    confirmations: Mapped[list[Confirmation]] = relationship(
        back_populates="round", order_by="Confirmation.id", viewonly=True
    )

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN


class RoundElector(Base):
    """A member entitled to a position in a round, fixed when it opens."""

    __tablename__ = "round_elector"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)

    round: Mapped[Round] = relationship(back_populates="electors")
    participant: Mapped[Participant] = relationship()


class Position(Base):
    """A state's answer in a round; a change adds a row and un-marks the previous one."""

    __tablename__ = "position"
    __table_args__ = (
        # At most one position counts per state and round.
        Index(
            "uq_position_current",
            "round_id",
            "participant_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        # The kind and the channel are the forum's codes (models.kinds): the engine checks
        # that each exists and that a text or a reference is given where it is needed.
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a code of the forum's kinds of position
    text: Mapped[str] = mapped_column(Text, default="")  # statement, reservation or grounds
    amendment: Mapped[str] = mapped_column(Text, default="")  # proposed text with an objection
    channel: Mapped[str] = mapped_column(String(40))  # a code of the forum's entry channels
    reference: Mapped[str] = mapped_column(String(200), default="")  # e.g. the note verbale's
    # The kind of statement its text is, of the definition's [[statement_kinds]] (or "").
    statement_kind: Mapped[str] = mapped_column(String(60), default="", server_default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)

    round: Mapped[Round] = relationship(back_populates="positions")
    participant: Mapped[Participant] = relationship()
    entered_by: Mapped[User | None] = relationship()
