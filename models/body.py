"""Bodies where decisions are taken, and who sits in each."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.participant import Participant


class Body(Base):
    __tablename__ = "body"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    # What people call it in each language (SOC, КСДЛ); its name where there is none.
    short_en: Mapped[str] = mapped_column(String(40), default="", server_default="")
    short_ru: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # True: every member sits and decides. False: only the listed seats.
    all_members_sit: Mapped[bool] = mapped_column(Boolean, default=True)
    observers_attend: Mapped[bool] = mapped_column(Boolean, default=True)
    decision_symbol: Mapped[str | None] = mapped_column(String(80))  # else the forum's pattern

    seats: Mapped[list[BodySeat]] = relationship(
        back_populates="body", cascade="all, delete-orphan", order_by="BodySeat.id"
    )

    def __repr__(self) -> str:
        return f"<Body {self.code}>"


class BodySeat(Base):
    __tablename__ = "body_seat"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)

    body: Mapped[Body] = relationship(back_populates="seats")
    participant: Mapped[Participant] = relationship()


class ParticipantGroup(Base):
    """A group of participants the profile lists (e.g. the Mediterranean partners): a round
    may be decided by the group's states seated in its body."""

    __tablename__ = "participant_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id"
    )

    def __repr__(self) -> str:
        return f"<ParticipantGroup {self.code}>"


class GroupMember(Base):
    __tablename__ = "group_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("participant_group.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)

    group: Mapped[ParticipantGroup] = relationship(back_populates="members")
    participant: Mapped[Participant] = relationship()
