"""Users, their affiliations (who they act for) and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, utcnow
from models.enums import AffiliationRole
from models.participant import Participant


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The user's own choices; None: the forum's time zone, the browser's language.
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Affiliation.id"
    )

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, role: AffiliationRole) -> bool:
        return any(a.role is role for a in self.affiliations)

    @property
    def is_secretariat(self) -> bool:
        return self.has_role(AffiliationRole.SECRETARIAT)

    @property
    def is_admin(self) -> bool:
        return self.has_role(AffiliationRole.ADMINISTRATOR)

    @property
    def represented_states(self) -> list[Participant]:
        """Participants whose position this user may record as their delegate."""
        return [
            a.participant
            for a in self.affiliations
            if a.role.speaks_for_participant and a.participant
        ]

    @property
    def observed_participants(self) -> list[Participant]:
        return [
            a.participant
            for a in self.affiliations
            if a.role is AffiliationRole.OBSERVER_DELEGATE and a.participant
        ]

    def speaks_for(self, participant: Participant) -> bool:
        return any(p.id == participant.id for p in self.represented_states)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Affiliation(Base):
    """A user's role: delegate (or head, alternate) of a participant, secretariat, administrator."""

    __tablename__ = "affiliation"
    __table_args__ = (UniqueConstraint("user_id", "role", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[AffiliationRole] = mapped_column(enum_column(AffiliationRole, "affiliation_role"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)

    user: Mapped[User] = relationship(back_populates="affiliations")
    participant: Mapped[Participant | None] = relationship()


def who_they_act_for(strategy=joinedload):
    """Loader option: a user's affiliations with their participants, loaded with the users
    (permission and visibility checks ask who a person acts for). `joinedload`, the
    default, for one user or a few (one query); `selectinload` for many users (a second
    query instead of a join that repeats every user's columns)."""
    return strategy(User.affiliations).joinedload(Affiliation.participant)


# Every request's sign-in loads its user so: `joinedload(ApiToken.user).options(WHO_THEY_ACT_FOR)`.
WHO_THEY_ACT_FOR = who_they_act_for()


class ApiToken(Base):
    """A bearer token; only its hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: never (older tokens)

    user: Mapped[User] = relationship()


class UserSession(Base):
    """A signed-in browser session, kept on the server so that ending it really ends it.

    The browser's cookie holds a random secret; only its SHA-256 hash is stored here.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Sign-in attempts per key ("email:…" or "ip:…") in the window that began at `window_start`.

    One row per key, counted by one upsert before any password is checked, so parallel
    attempts cannot slip past the limit; shared by every web worker.
    """

    __tablename__ = "login_attempt"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountLink(Base):
    """A single-use link that lets its holder choose a password: an invitation (valid 7 days)
    or a password reset (valid 30 minutes). The link carries a random secret; only its
    SHA-256 hash is stored. Used, superseded (a new link of the same purpose) or expired,
    it opens nothing."""

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "invitation" or "reset"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
