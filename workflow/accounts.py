"""User accounts and affiliations: creation with validation, password checks."""

from __future__ import annotations

import functools
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from models import Affiliation, AffiliationRole, Participant, ParticipantStatus, User
from workflow import times
from workflow.errors import N_, InvalidInput

MIN_PASSWORD_LENGTH = 10
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_password_strength(password: str | None) -> None:
    if not password:
        raise InvalidInput(N_("a password is required"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("password too weak: at least %(min_password_length)s characters"),
            min_password_length=MIN_PASSWORD_LENGTH,
        )
    if password.isalpha() or password.isdigit() or len(set(password)) < 5:
        raise InvalidInput(N_("password too weak: mix letters with digits or symbols"))


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def check_sign_in(user: User | None, password: str) -> bool:
    """True for an active user's own password. An unknown or inactive account costs one
    hash check too, so the time of the answer tells nothing about which e-mails exist."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return verify_password(user, password) and user.active


def _participant(session: Session, code: str) -> Participant:
    participant = session.scalar(select(Participant).where(Participant.code == code.upper()))
    if participant is None:
        raise InvalidInput(N_("unknown participant code %(code)s"), code=repr(code))
    return participant


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    delegate_of: tuple[str, ...] | list[str] = (),
    observer_of: tuple[str, ...] | list[str] = (),
    secretariat: bool = False,
    admin: bool = False,
    timezone: str | None = None,
    language: str | None = None,
) -> User:
    """Create a user with affiliations; raises InvalidInput and writes nothing on bad input."""
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(N_("not an e-mail address: %(email)s"), email=repr(email))
    if not (name or "").strip():
        raise InvalidInput(N_("a name is required"))
    check_password_strength(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(N_("a user with e-mail %(email)s already exists"), email=email)
    affiliations = []
    for code in delegate_of:
        participant = _participant(session, code)
        if participant.status is not ParticipantStatus.MEMBER:
            raise InvalidInput(
                N_("%(participant)s is not a member state: use --observer-of"),
                participant=participant.code,
            )
        affiliations.append(Affiliation(role=AffiliationRole.DELEGATE, participant=participant))
    for code in observer_of:
        participant = _participant(session, code)
        if participant.status is not ParticipantStatus.OBSERVER:
            raise InvalidInput(
                N_("%(participant)s is not an observer"), participant=participant.code
            )
        affiliations.append(
            Affiliation(role=AffiliationRole.OBSERVER_DELEGATE, participant=participant)
        )
    if secretariat:
        affiliations.append(Affiliation(role=AffiliationRole.SECRETARIAT))
    if admin:
        affiliations.append(Affiliation(role=AffiliationRole.ADMINISTRATOR))
    user = User(
        email=email,
        name=name.strip(),
        password_hash=generate_password_hash(password),
        language=language,
        affiliations=affiliations,
    )
    user.timezone = timezone or times.forum(session).timezone
    session.add(user)
    session.flush()
    return user


def secretariat_user(session: Session, email: str) -> User:
    """The active Secretariat officer with this e-mail, for commands that act as one."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active or not user.is_secretariat:
        raise InvalidInput(N_("%(email)s is not an active Secretariat officer"), email=repr(email))
    return user
