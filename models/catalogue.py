"""The Catalogue of confidence-building measures: dimensions, priority areas, editions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import CoordinatorRole
from models.participant import Participant


class Dimension(Base):
    __tablename__ = "dimension"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))

    priority_areas: Mapped[list[PriorityArea]] = relationship(
        back_populates="dimension", order_by="PriorityArea.code"
    )


class PriorityArea(Base):
    __tablename__ = "priority_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimension.id"), index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    # The Catalogue edition that retired it; None while it is in force.
    retired_in: Mapped[int | None] = mapped_column(Integer)

    dimension: Mapped[Dimension] = relationship(back_populates="priority_areas")
    roles: Mapped[list[PriorityAreaRole]] = relationship(
        back_populates="priority_area", cascade="all, delete-orphan", order_by="PriorityAreaRole.id"
    )

    def participants_with(self, role: CoordinatorRole) -> list[Participant]:
        return [r.participant for r in self.roles if r.role is role]

    @property
    def coordinators(self) -> list[Participant]:
        return self.participants_with(CoordinatorRole.COORDINATOR)

    @property
    def co_coordinators(self) -> list[Participant]:
        return self.participants_with(CoordinatorRole.CO_COORDINATOR)


class PriorityAreaRole(Base):
    __tablename__ = "priority_area_role"
    __table_args__ = (UniqueConstraint("priority_area_id", "participant_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_area_id: Mapped[int] = mapped_column(ForeignKey("priority_area.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    role: Mapped[CoordinatorRole] = mapped_column(enum_column(CoordinatorRole, "coordinator_role"))

    priority_area: Mapped[PriorityArea] = relationship(back_populates="roles")
    participant: Mapped[Participant] = relationship()


class Measure(Base):
    """A confidence-building measure of a priority area, in the working languages."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    priority_area_id: Mapped[int] = mapped_column(ForeignKey("priority_area.id"), index=True)
    text_en: Mapped[str] = mapped_column(Text)
    text_ru: Mapped[str] = mapped_column(Text)
    since: Mapped[int] = mapped_column(Integer)  # the edition that added it
    retired_in: Mapped[int | None] = mapped_column(Integer)

    priority_area: Mapped[PriorityArea] = relationship()


class CatalogueEdition(Base):
    """An edition of the Catalogue: the first from the profile, each later one produced by an
    adopted amendment. `content` is the whole Catalogue as that edition left it."""

    __tablename__ = "catalogue_edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    adopted_on: Mapped[date | None] = mapped_column(Date)  # the date of the adopting act
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # entered
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # what its amendment changed
    content: Mapped[dict] = mapped_column(JSON, default=dict)
