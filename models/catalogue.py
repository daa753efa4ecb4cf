"""The Catalogue of confidence-building measures: dimensions, priority areas, editions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
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


class CatalogueEdition(Base):
    """An edition of the Catalogue; each adopted amendment produces the next one."""

    __tablename__ = "catalogue_edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
