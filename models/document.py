"""Documents, their versions and language texts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.body import Body
from models.catalogue import PriorityArea
from models.participant import Participant
from models.user import User


def revision_label(number: int) -> str:
    """`original` for version 1, `Rev.n` for version n+1."""
    return f"Rev.{number - 1}" if number > 1 else "original"


class Document(Base):
    """A text moving through the workflow named by `kind` at `definition_version`."""

    __tablename__ = "document"
    __table_args__ = (
        # States come from the workflow definitions (data); the engine checks the
        # name against the definition, the database checks its shape.
        CheckConstraint("length(state) between 1 and 60", name="state_not_empty"),
        CheckConstraint("lock_version >= 1", name="lock_version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    definition_version: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))  # in English
    title_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    state: Mapped[str] = mapped_column(String(60), index=True)
    priority_area_id: Mapped[int | None] = mapped_column(ForeignKey("priority_area.id"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    target_body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id"), index=True)
    restricted: Mapped[bool] = mapped_column(default=False)  # shared with members only
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    threshold: Mapped[int | None] = mapped_column(Integer)  # instruments for entry into force
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The fields its definition declares (document.custom_fields), by name: JSON values.
    custom_fields: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Indexed: lists show the newest change first.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )
    # Dates of acts (the forum's calendar): when it was submitted or received, and its latest act.
    submitted_on: Mapped[date | None] = mapped_column(Date)
    acted_on: Mapped[date | None] = mapped_column(Date)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    priority_area: Mapped[PriorityArea | None] = relationship()
    proposer: Mapped[Participant | None] = relationship(foreign_keys=[proposer_id])
    applicant: Mapped[Participant | None] = relationship(foreign_keys=[applicant_id])
    target_body: Mapped[Body | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number", cascade="all, delete-orphan"
    )

    def title_in(self, language: str) -> str:
        """The title in `language`, or in English where there is none in it."""
        return (self.title_ru if language == "ru" else "") or self.title

    @property
    def current_version(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Document {self.symbol} {self.kind}:{self.state}>"


class Version(Base):
    """One text of a document; never changed once circulated.

    The first text is the original and carries the document's bare symbol; each later
    one is a revision: `/Rev.1`, `/Rev.2`, … (number 2 is Rev.1).
    """

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    texts: Mapped[list[VersionText]] = relationship(
        back_populates="version", order_by="VersionText.language", cascade="all, delete-orphan"
    )

    @property
    def revision(self) -> int:
        """0 for the original, n for Rev.n."""
        return self.number - 1

    @property
    def label(self) -> str:
        return revision_label(self.number)

    @property
    def suffix(self) -> str:
        """What the version adds to the document's symbol: nothing, or `/Rev.n`."""
        return f"/Rev.{self.revision}" if self.revision else ""

    def text(self, language: str) -> str | None:
        found = self.text_row(language)
        return found.body if found else None

    def text_row(self, language: str) -> VersionText | None:
        return next((t for t in self.texts if t.language == language), None)


class VersionText(Base):
    """One language's text of a version: circulated with it, or declared afterwards by the
    Secretariat as a translation of that version (`declared_by` set), which keeps the version
    and the rounds open on it."""

    __tablename__ = "version_text"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    # When this text arrived: with its version, or when the translation was declared.
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who declared it a translation of the version (None: it came with the version).
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)

    version: Mapped[Version] = relationship(back_populates="texts")
    declared_by: Mapped[User | None] = relationship()
