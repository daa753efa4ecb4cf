"""User administration (administrators and the Secretariat) and the single-use account links.

One function per change, each taking the acting user, checking permission and writing an
audit event in the forum's chain through the change frame: invite, re-invite, rename, set
the affiliations (delegations and roles), deactivate, reactivate. Only an administrator may
grant or withdraw the administrator role, or deactivate an administrator; the last active
administrator keeps the role and the account.

An invitation and a password reset are both a link with a random secret (only its SHA-256
hash is stored), valid 7 days and 30 minutes; a new link of the same purpose supersedes
the older ones, and using one ends it. Setting a password through a link ends every
session of the user. The e-mail that carries a link is queued by `queue_account_email`,
the one place where the notifications outbox plugs in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from models import (
    AccountLink,
    Affiliation,
    AffiliationRole,
    ApiToken,
    Participant,
    User,
)
from workflow import accounts, clock, outbox, sessions, times
from workflow.change import forum_change
from workflow.errors import N_, Conflict, InvalidInput, NotFound, NotPermitted
from workflow.queries import Page

log = logging.getLogger(__name__)

INVITATION = "invitation"
RESET = "reset"
PURPOSES = (INVITATION, RESET)
VALIDITY = {INVITATION: timedelta(days=7), RESET: timedelta(minutes=30)}
LINK_PATH = "/password/"  # the page that takes a link's secret (web.views.account_links)
MAX_SECRET_LENGTH = 100
MAX_NAME_LENGTH = 200


class LinkUnusable(NotFound):
    """The link is unknown, already used, superseded or expired."""


class LinkGone(LinkUnusable):
    """The link was real, but is used, superseded or expired, or its account inactive."""


@dataclass(frozen=True)
class IssuedLink:
    """A new link: `secret` exists only here (and in the e-mail or the screen it goes to)."""

    row: AccountLink
    secret: str
    emailed: bool = False  # queued for e-mail (else the caller shows or prints it)

    def url(self, public_url: str) -> str:
        return link_url(public_url, self.secret)


@dataclass(frozen=True)
class Invited:
    user: User
    link: IssuedLink


def link_url(public_url: str, secret: str) -> str:
    """The absolute link for `secret`, under the site's public address."""
    return (public_url or "").rstrip("/") + LINK_PATH + secret


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# ---------------------------------------------------------------- permissions


def may_administer(actor: User | None) -> bool:
    return actor is not None and actor.active and (actor.is_admin or actor.is_secretariat)


def require_user_admin(actor: User | None) -> None:
    if not may_administer(actor):
        raise NotPermitted(N_("only administrators and the Secretariat may administer users"))


def _require_admin_for_admins(actor: User) -> None:
    if not actor.is_admin:
        raise NotPermitted(
            N_("only an administrator may grant, withdraw or deactivate the administrator role")
        )


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("no user %(id)s"), id=user_id)
    return user


def _other_active_admins(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count(func.distinct(User.id)))
        .join(Affiliation, Affiliation.user_id == User.id)
        .where(
            User.active.is_(True),
            User.id != user.id,
            Affiliation.role == AffiliationRole.ADMINISTRATOR,
        )
    )


def _protect_last_admin(session: Session, user: User) -> None:
    if user.active and user.is_admin and _other_active_admins(session, user) == 0:
        raise Conflict(
            N_(
                "%(email)s is the last active administrator: make another user an "
                "administrator first"
            ),
            email=user.email,
        )


def describe(user: User) -> list[str]:
    """The user's affiliations as 'role' or 'role:CODE', for the audit trail and the CLI."""
    return [
        f"{a.role.value}:{a.participant.code}" if a.participant else a.role.value
        for a in user.affiliations
    ]


# ---------------------------------------------------------------- links


def _issue_link(session: Session, user: User, purpose: str) -> IssuedLink:
    """A new link for `user`; the older live links of the same purpose die."""
    now = clock.now()
    session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    secret = secrets.token_urlsafe(32)
    row = AccountLink(
        user=user,
        purpose=purpose,
        token_hash=_hash(secret),
        created_at=now,
        expires_at=now + VALIDITY[purpose],
    )
    session.add(row)
    session.flush()
    return IssuedLink(row=row, secret=secret)


def _revoke_links(session: Session, user: User) -> int:
    result = session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
        )
        .values(revoked_at=clock.now())
    )
    return result.rowcount or 0


def find_link(session: Session, secret: str | None, *, lock: bool = False) -> AccountLink:
    """The live link this secret opens; raises LinkUnusable (with why) otherwise. With
    `lock`, its row stays locked until the transaction ends, so it is used only once."""
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
        raise LinkUnusable(N_("this link is not known: ask for a new one"))
    query = (
        select(AccountLink)
        .options(selectinload(AccountLink.user))
        .where(AccountLink.token_hash == _hash(secret))
    )
    row = session.scalar(query.with_for_update(of=AccountLink) if lock else query)
    if row is None:
        raise LinkUnusable(N_("this link is not known: ask for a new one"))
    if row.used_at is not None:
        raise LinkGone(N_("this link has already been used: ask for a new one"))
    if row.revoked_at is not None:
        raise LinkGone(N_("a newer link replaced this one: use the newest or ask again"))
    if row.expires_at <= clock.now():
        raise LinkGone(N_("this link has expired: ask for a new one"))
    if not row.user.active:
        raise LinkGone(N_("this account is inactive"))
    return row


def set_password_with_link(session: Session, secret: str | None, password: str) -> User:
    """Choose a password through a live link (invitation or reset), under the policy: the
    link is used up and every session of the user ends."""
    row = find_link(session, secret, lock=True)
    user = row.user
    accounts.set_password(session, user, password)  # ends every session: no session kept
    row.used_at = clock.now()
    action = "invitation_accepted" if row.purpose == INVITATION else "password_reset"
    with forum_change(session, user) as change:
        change.record(action, data={"user": user.id, "email": user.email})
    return user


def queue_account_email(session: Session, user: User, purpose: str, url: str) -> bool:
    """Queue the e-mail carrying the link in the notifications outbox, in the same
    transaction; the scheduler sends it (or it waits there while no mail server is set)."""
    kind = outbox.INVITATION if purpose == INVITATION else outbox.PASSWORD_RESET
    outbox.queue_account_link(session, user, kind, url)
    return True


def request_password_reset(session: Session, email: str, *, public_url: str) -> str | None:
    """A reset link for the active account with this e-mail (queued for e-mail), or None when
    there is none. Callers answer the same either way: nothing tells which e-mails exist."""
    email = (email or "").strip().lower()
    if not email or len(email) > 254:
        return None
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        return None
    url = _issue_link(session, user, RESET).url(public_url)
    queue_account_email(session, user, RESET, url)
    return url


# ---------------------------------------------------------------- the changes


def _participant(session: Session, code: str | None) -> Participant:
    participant = session.scalar(
        select(Participant).where(Participant.code == (code or "").strip().upper())
    )
    if participant is None:
        raise InvalidInput(N_("unknown participant code %(code)s"), code=repr(code))
    return participant


ROLE_CHOICES = tuple(r.value for r in AffiliationRole)


def _affiliations(
    session: Session, wanted: Iterable[tuple[str, str | None]]
) -> list[tuple[AffiliationRole, Participant | None]]:
    """Checked (role, participant) pairs, duplicates dropped."""
    result: list[tuple[AffiliationRole, Participant | None]] = []
    seen = set()
    for role_name, code in wanted:
        try:
            role = AffiliationRole(role_name)
        except ValueError:
            raise InvalidInput(
                N_("role: one of %(values)s"), values=", ".join(ROLE_CHOICES)
            ) from None
        participant = None
        if role in (AffiliationRole.SECRETARIAT, AffiliationRole.ADMINISTRATOR):
            if code:
                raise InvalidInput(N_("the role %(role)s names no participant"), role=role.value)
        else:
            if not code:
                raise InvalidInput(N_("the role %(role)s needs a participant"), role=role.value)
            participant = _participant(session, code)
            observing = role is AffiliationRole.OBSERVER_DELEGATE
            kind = accounts.OBSERVER_DELEGATES if observing else accounts.DELEGATES
            if participant.status not in accounts.account_statuses(session, kind):
                message = (
                    N_("%(participant)s may not have observer delegates")
                    if observing
                    else N_("%(participant)s may not have delegates who speak for it")
                )
                raise InvalidInput(message, participant=participant.code)
        key = (role, participant.id if participant else None)
        if key not in seen:
            seen.add(key)
            result.append((role, participant))
    return result


def _name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH or "\x00" in name:
        raise InvalidInput(N_("name: a name of 1 to 200 characters is required"))
    return name


def invite_user(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    affiliations: Sequence[tuple[str, str | None]] = (),
    language: str | None = None,
    public_url: str = "",
) -> Invited:
    """Create an account with its affiliations and an invitation link (valid 7 days) to
    choose a password; until then the account has no password anyone knows."""
    require_user_admin(actor)
    name = _name(name)
    language = (language or "").strip() or None
    if language is not None and language not in times.forum(session).languages:
        raise InvalidInput(
            N_("%(language)s is not a working language of the forum"), language=language
        )
    pairs = _affiliations(session, affiliations)
    if any(role is AffiliationRole.ADMINISTRATOR for role, _ in pairs):
        _require_admin_for_admins(actor)
    with forum_change(session, actor) as change:
        user = accounts.create_user(
            session,
            email=email,
            name=name,
            password=secrets.token_urlsafe(32),  # unknown to anyone: the link sets one
            language=language,
            password_policy=False,
        )
        for role, participant in pairs:
            user.affiliations.append(Affiliation(role=role, participant=participant))
        session.flush()
        link = _issue_link(session, user, INVITATION)
        change.record(
            "user_invited",
            data={
                "user": user.id,
                "email": user.email,
                "name": user.name,
                "affiliations": describe(user),
                "expires_at": link.row.expires_at.isoformat(),
            },
        )
    emailed = queue_account_email(session, user, INVITATION, link.url(public_url))
    return Invited(user=user, link=dataclasses.replace(link, emailed=emailed))


def reinvite_user(
    session: Session, actor: User, user_id: int, *, public_url: str = "", comment: str = ""
) -> IssuedLink:
    """A new invitation link for the user (valid 7 days); the earlier ones open nothing."""
    require_user_admin(actor)
    with forum_change(session, actor) as change:
        user = _user(session, user_id)
        if not user.active:
            raise Conflict(
                N_("%(email)s is inactive: reactivate the account first"), email=user.email
            )
        if user.is_admin:
            _require_admin_for_admins(actor)
        link = _issue_link(session, user, INVITATION)
        change.record(
            "user_reinvited",
            comment=comment,
            data={
                "user": user.id,
                "email": user.email,
                "expires_at": link.row.expires_at.isoformat(),
            },
        )
    emailed = queue_account_email(session, user, INVITATION, link.url(public_url))
    return dataclasses.replace(link, emailed=emailed)


def rename_user(session: Session, actor: User, user_id: int, name: str) -> User:
    require_user_admin(actor)
    name = _name(name)
    with forum_change(session, actor) as change:
        user = _user(session, user_id)
        if user.name == name:
            change.skip()
            return user
        previous, user.name = user.name, name
        session.flush()
        change.record(
            "user_renamed",
            data={"user": user.id, "email": user.email, "from": previous, "to": name},
        )
    return user


def set_affiliations(
    session: Session,
    actor: User,
    user_id: int,
    affiliations: Sequence[tuple[str, str | None]],
) -> User:
    """Replace the user's delegations and roles by `affiliations`, (role, participant code)
    pairs: delegate, head_of_delegation and alternate of a participant whose delegates speak
    for it, observer_delegate of one that has observer delegates (the profile's
    `[accounts]`), secretariat and administrator with no participant."""
    require_user_admin(actor)
    pairs = _affiliations(session, affiliations)
    with forum_change(session, actor) as change:
        user = _user(session, user_id)
        before = describe(user)
        keep_admin = any(role is AffiliationRole.ADMINISTRATOR for role, _ in pairs)
        if keep_admin != user.is_admin:
            if not keep_admin:
                _protect_last_admin(session, user)
            _require_admin_for_admins(actor)
        wanted = {(role, participant.id if participant else None) for role, participant in pairs}
        for affiliation in list(user.affiliations):
            if (affiliation.role, affiliation.participant_id) not in wanted:
                user.affiliations.remove(affiliation)
        session.flush()
        present = {(a.role, a.participant_id) for a in user.affiliations}
        for role, participant in pairs:
            if (role, participant.id if participant else None) not in present:
                user.affiliations.append(Affiliation(role=role, participant=participant))
        session.flush()
        after = describe(user)
        if sorted(after) == sorted(before):
            change.skip()
            return user
        change.record(
            "user_roles_changed",
            data={"user": user.id, "email": user.email, "from": before, "to": after},
        )
    return user


def deactivate_user(
    session: Session, actor: User, user_id: int, *, comment: str = ""
) -> dict[str, Any]:
    """Deactivate the account: in the same transaction every session ends, every API token
    and every unused link is revoked. Returns what was ended."""
    require_user_admin(actor)
    with forum_change(session, actor) as change:
        user = _user(session, user_id)
        if not user.active:
            change.skip()
            return {"sessions": 0, "tokens": 0, "links": 0}
        _protect_last_admin(session, user)
        if user.id == actor.id:
            raise Conflict(N_("you cannot deactivate your own account"))
        if user.is_admin:
            _require_admin_for_admins(actor)
        user.active = False
        ended = {
            "sessions": sessions.end_sessions(session, user),
            "tokens": _revoke_tokens(session, user),
            "links": _revoke_links(session, user),
        }
        session.flush()
        change.record(
            "user_deactivated",
            comment=comment,
            data={"user": user.id, "email": user.email, **ended},
        )
    return ended


def _revoke_tokens(session: Session, user: User) -> int:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return result.rowcount or 0


def reactivate_user(session: Session, actor: User, user_id: int, *, comment: str = "") -> User:
    """Reactivate the account; its old sessions and tokens stay ended (it signs in anew)."""
    require_user_admin(actor)
    with forum_change(session, actor) as change:
        user = _user(session, user_id)
        if user.active:
            change.skip()
            return user
        if user.is_admin:
            _require_admin_for_admins(actor)
        user.active = True
        session.flush()
        change.record(
            "user_reactivated", comment=comment, data={"user": user.id, "email": user.email}
        )
    return user


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class UserFilters:
    participant: str | None = None  # a participant's code: its delegates and observers
    role: str | None = None  # an AffiliationRole value
    active: bool | None = None
    page: int = 1
    per_page: int = 50


def list_users(session: Session, actor: User, filters: UserFilters = UserFilters()) -> Page[User]:
    """Users by e-mail, a page at a time, narrowed by participant, role and activity."""
    require_user_admin(actor)
    return find_users(session, filters)


def find_users(session: Session, filters: UserFilters = UserFilters()) -> Page[User]:
    """`list_users` for the operator's console (`concord users list`), who needs no account."""
    query = select(User).options(
        selectinload(User.affiliations).selectinload(Affiliation.participant)
    )
    if filters.participant:
        participant = _participant(session, filters.participant)
        query = query.where(User.affiliations.any(Affiliation.participant_id == participant.id))
    if filters.role:
        try:
            role = AffiliationRole(filters.role)
        except ValueError:
            raise InvalidInput(
                N_("role: one of %(values)s"), values=", ".join(ROLE_CHOICES)
            ) from None
        query = query.where(User.affiliations.any(Affiliation.role == role))
    if filters.active is not None:
        query = query.where(User.active.is_(filters.active))
    page, per_page = max(filters.page, 1), min(max(filters.per_page, 1), 200)
    rows = list(
        session.scalars(
            query.order_by(User.email).limit(per_page + 1).offset((page - 1) * per_page)
        )
    )
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def get_user(session: Session, actor: User, user_id: int) -> User:
    require_user_admin(actor)
    return _user(session, user_id)


def user_by_email(session: Session, actor: User, email: str) -> User:
    require_user_admin(actor)
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(N_("no user with e-mail %(email)s"), email=repr(email))
    return user


def pending_invitation(session: Session, user: User) -> AccountLink | None:
    """The user's live invitation, if one waits to be used."""
    return session.scalar(
        select(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == INVITATION,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
            AccountLink.expires_at > clock.now(),
        )
        .order_by(AccountLink.id.desc())
        .limit(1)
    )


def acting_administrator(session: Session, email: str) -> User:
    """The active administrator or Secretariat officer with this e-mail, for commands that act
    as one (`concord users ... --as EMAIL`)."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if not may_administer(user):
        raise NotPermitted(
            N_("%(email)s is not an active administrator or Secretariat officer"),
            email=repr(email),
        )
    return user
