"""API bearer tokens: created once and shown once, stored as a SHA-256 hash, revocable,
and expiring (90 days by default, the `api_token_days` setting).

Used by the CLI (`concord tokens ...`), the API (verify on every request) and the
user's page in the web interface (list and revoke their own tokens).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from models import ApiToken, User
from models.user import WHO_THEY_ACT_FOR
from workflow import clock
from workflow.errors import N_, InvalidInput, NotFound

TOKEN_PREFIX = "cnc_"
MAX_NAME_LENGTH = 100
# A token of a plausible shape is at most this long; longer input is not looked up.
MAX_TOKEN_LENGTH = 200
# `last_used_at` is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)
DEFAULT_VALID_DAYS = 90


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `secret` exists only here, the database keeps its hash."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, user: User, *, name: str = "", valid_days: int = DEFAULT_VALID_DAYS
) -> IssuedToken:
    """Issue a token for `user`, valid `valid_days` days; the returned secret is never stored
    nor shown again."""
    name = (name or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            N_("a token name has at most %(max_name_length)s characters"),
            max_name_length=MAX_NAME_LENGTH,
        )
    if not user.active:
        raise InvalidInput(
            N_("the account %(email)s is inactive: no token can be issued"), email=user.email
        )
    if valid_days < 1:
        raise InvalidInput(N_("a token is valid for at least one day"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def create_token_for_email(
    session: Session, email: str, *, name: str = "", valid_days: int = DEFAULT_VALID_DAYS
) -> IssuedToken:
    return create_token(session, user_by_email(session, email), name=name, valid_days=valid_days)


def is_expired(token: ApiToken) -> bool:
    return token.expires_at is not None and token.expires_at <= clock.now()


def user_by_email(session: Session, email: str) -> User:
    email = (email or "").strip().lower()
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise NotFound(N_("no user with e-mail %(email)s"), email=repr(email))
    return user


# Every API request runs it: built once. The user comes with who they act for, as every
# request's permission and visibility checks ask.
_TOKEN_WITH_USER = (
    select(ApiToken)
    .options(joinedload(ApiToken.user).options(WHO_THEY_ACT_FOR))
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def verify_token(session: Session, secret: str | None) -> User | None:
    """The active user a live token belongs to, else None. Records when it was last used."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH or not secret.isascii():
        return None
    token = session.scalars(_TOKEN_WITH_USER, {"token_hash": hash_token(secret)}).unique().first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if is_expired(token):
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user


def list_tokens(session: Session, user: User | None = None) -> list[ApiToken]:
    """Every token (or `user`'s), oldest first; revoked ones included."""
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(session.scalars(query))


def revoke_token(session: Session, token_id: int, *, owner: User | None = None) -> ApiToken:
    """Revoke a token; with `owner`, only one of theirs. Revoking twice keeps the first date."""
    token = session.get(ApiToken, token_id)
    # Someone else's token is "not found" for an owner: ids reveal nothing.
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound(N_("no API token %(token_id)s"), token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        session.flush()
    return token
