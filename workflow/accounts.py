"""User accounts and affiliations: creation with validation, the password policy and
password changes, the user's own language and time zone."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Iterable
from zoneinfo import available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from models import (
    Affiliation,
    AffiliationRole,
    Participant,
    ParticipantStatus,
    User,
    UserSession,
)
from models.forum import DEFAULT_ACCOUNTS
from workflow import sessions, times
from workflow.change import forum_change
from workflow.errors import N_, InvalidInput

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# The password policy (OWASP ASVS 4.0 level 2, V2.1): a length range, any characters, no
# composition rules, and a check against common and easily guessed passwords.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# zxcvbn's dictionaries hold the most common passwords, words and names; it scores 0-4 and
# refuses inputs longer than 72 characters, so a longer password is judged by its prefix.
GUESSABLE_BELOW_SCORE = 3
ZXCVBN_MAX_LENGTH = 72


def check_password_policy(password: str | None, *, user_inputs: Iterable[str] = ()) -> None:
    """Raise InvalidInput unless `password` may be chosen: 12 to 128 characters of any kind,
    not a common or easily guessed password, nor built from the user's own name or e-mail
    (`user_inputs`). Every place where a person chooses a password calls this."""
    if not password:
        raise InvalidInput(N_("a password is required"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("a password needs at least %(minimum)s characters"), minimum=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("a password has at most %(maximum)s characters"), maximum=MAX_PASSWORD_LENGTH
        )
    words = ["concord", "cica"]
    for value in user_inputs:  # "Nurlan Bekova", "nurlan.bekova@mfa.example"
        value = (value or "").lower()
        words.extend(part for part in re.split(r"[\W_]+", value) if len(part) > 2)
        words.extend(re.sub(r"[\W_]+", "", whole) for whole in (value, value.split("@")[0]))
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)["score"] < GUESSABLE_BELOW_SCORE:
        raise InvalidInput(
            N_(
                "this password is too common or too easy to guess; choose another "
                "(a few unrelated words make a good one)"
            )
        )


def set_password(
    session: Session, user: User, password: str, *, keep_session: UserSession | None = None
) -> None:
    """Give `user` a password they chose, under the policy, and end their other sessions
    (every one but `keep_session`, the one the change was made in)."""
    check_password_policy(password, user_inputs=(user.email, user.name))
    user.password_hash = generate_password_hash(password)
    sessions.end_sessions(session, user, keep=keep_session)
    session.flush()


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names (from the system's database or the tzdata package)."""
    return frozenset(available_timezones())


def set_preferences(
    session: Session, user: User, *, language: str | None, timezone: str | None
) -> None:
    """The user's interface language (one of the forum's working languages) and time zone
    (an IANA name); None for either means no choice: the browser's language, the forum's zone."""
    language = (language or "").strip() or None
    timezone = (timezone or "").strip() or None
    forum = times.forum(session)
    if language is not None and language not in forum.languages:
        raise InvalidInput(
            N_("%(language)s is not a working language of the forum"), language=language
        )
    if timezone is not None and timezone not in time_zone_names():
        raise InvalidInput(
            N_("%(zone)s is not a time zone name (for example Europe/Moscow or America/New_York)"),
            zone=timezone,
        )
    if (user.language, user.timezone) == (language, timezone):
        return
    user.language, user.timezone = language, timezone
    session.flush()
    with forum_change(session, user) as change:
        change.record(
            "preferences_changed",
            data={"user": user.id, "language": language, "timezone": timezone},
        )


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
    password_policy: bool = True,
) -> User:
    """Create a user with affiliations; raises InvalidInput and writes nothing on bad input.
    `password_policy=False` only for the demo accounts, whose passwords are published."""
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(N_("not an e-mail address: %(email)s"), email=repr(email))
    if not (name or "").strip():
        raise InvalidInput(N_("a name is required"))
    if password_policy:
        check_password_policy(password, user_inputs=(email, name))
    elif not password:
        raise InvalidInput(N_("a password is required"))
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(N_("a user with e-mail %(email)s already exists"), email=email)
    affiliations = []
    for code in delegate_of:
        participant = _participant(session, code)
        if participant.status not in account_statuses(session, DELEGATES):
            raise InvalidInput(
                N_("%(participant)s may not have delegates who speak for it: use --observer-of"),
                participant=participant.code,
            )
        affiliations.append(Affiliation(role=AffiliationRole.DELEGATE, participant=participant))
    for code in observer_of:
        participant = _participant(session, code)
        if participant.status not in account_statuses(session, OBSERVER_DELEGATES):
            raise InvalidInput(
                N_("%(participant)s may not have observer delegates"), participant=participant.code
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


DELEGATES = "delegates"  # speak for their participant (delegate, head of delegation, alternate)
OBSERVER_DELEGATES = "observer_delegates"


def account_statuses(session: Session, kind: str) -> frozenset[ParticipantStatus]:
    """The participant statuses whose people may hold accounts of `kind` (the profile's
    `[accounts]`): DELEGATES or OBSERVER_DELEGATES."""
    forum = times.loaded_forum(session)
    names = forum.statuses_for(kind) if forum is not None else DEFAULT_ACCOUNTS[kind]
    return frozenset(ParticipantStatus(name) for name in names)
