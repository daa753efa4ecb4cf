"""A person's notifications in the app, their e-mail preferences and unsubscribing.

Preferences are per person and kind: immediately (the default), in a daily digest
(08:00 in the person's time zone) or off. A reminder and a position recorded on a
state's behalf cannot be off: a digest at most.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import Notification, NotificationPreference, User
from models.notification import CANCELLED, DELIVERIES, DIGEST, IMMEDIATELY, OFF
from workflow import outbox, times
from workflow.change import forum_change
from workflow.errors import N_, InvalidInput, NotFound, NotPermitted

UNSUBSCRIBE_SALT = "concord-unsubscribe"
ALL_KINDS = "*"  # a digest's link: every kind
DIGEST_HOUR = 8


# ---------------------------------------------------------------- preferences


def effective(kind: str, delivery: str | None) -> str:
    delivery = delivery or IMMEDIATELY
    if delivery == OFF and kind in outbox.ALWAYS_SENT:
        return DIGEST
    return delivery


def preferences(session: Session, user_id: int, *, observer: bool = False) -> dict[str, str]:
    """Every kind's delivery for this person. An observer hears of rounds opened only by
    asking: nothing chosen is off for them."""
    chosen = dict(
        session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    if observer and outbox.ROUND_OPENED not in chosen:
        chosen[outbox.ROUND_OPENED] = OFF
    return {kind: effective(kind, chosen.get(kind)) for kind in outbox.KINDS}


def delivery_for(session: Session, user_id: int, kind: str) -> str:
    chosen = session.scalar(
        select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return effective(kind, chosen)


def set_notification_preferences(
    session: Session, actor: User | None, choices: dict[str, str]
) -> None:
    """Save the acting person's choices (kind -> immediately | digest | off)."""
    if actor is None or not actor.active:
        raise NotPermitted(N_("sign in to change your notifications"))
    for kind, delivery in choices.items():
        if kind not in outbox.KINDS:
            raise InvalidInput(N_("unknown kind of notification %(kind)s"), kind=repr(kind))
        if delivery not in DELIVERIES:
            raise InvalidInput(N_("unknown delivery %(delivery)s"), delivery=repr(delivery))
        if delivery == OFF and kind in outbox.ALWAYS_SENT:
            raise InvalidInput(
                N_(
                    "reminders and positions recorded on your state's behalf cannot be "
                    "turned off: a daily digest at most"
                )
            )
    changed = {}
    for kind, delivery in choices.items():
        row = session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == actor.id, NotificationPreference.kind == kind
            )
        )
        if row is None:
            session.add(NotificationPreference(user_id=actor.id, kind=kind, delivery=delivery))
        elif row.delivery == delivery:
            continue
        else:
            row.delivery = delivery
        changed[kind] = delivery
    session.flush()
    if changed:  # who chose not to be told, and when, stays on the record
        with forum_change(session, actor) as change:
            change.record(
                "notification_preferences_changed", data={"user": actor.id, "deliveries": changed}
            )


def digest_moment(created_at: datetime, zone: ZoneInfo) -> datetime:
    """The first 08:00 in `zone` after `created_at`: when a digest with it is sent."""
    local = created_at.astimezone(zone)
    day = local.date()
    moment = datetime.combine(day, time(DIGEST_HOUR), tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(day + timedelta(days=1), time(DIGEST_HOUR), tzinfo=zone)
    return moment.astimezone(UTC)


# ---------------------------------------------------------------- unsubscribing


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps([user_id, kind])


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str]:
    try:
        user_id, kind = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvalidInput(N_("this unsubscribe link is not valid")) from None
    if kind != ALL_KINDS and kind not in outbox.KINDS:
        raise InvalidInput(N_("this unsubscribe link is not valid"))
    return int(user_id), kind


def unsubscribe(session: Session, secret: str, token: str) -> tuple[User, list[str]]:
    """Follow a signed link: the kind (or every kind) off, or a digest where it cannot be off.
    Returns the person and the kinds changed."""
    user_id, kind = read_unsubscribe_token(secret, token)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("this unsubscribe link is not valid"))
    kinds = list(outbox.KINDS) if kind == ALL_KINDS else [kind]
    set_notification_preferences(
        session, user, {k: DIGEST if k in outbox.ALWAYS_SENT else OFF for k in kinds}
    )
    return user, kinds


# ---------------------------------------------------------------- in the app


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.read_at.is_(None),
                Notification.status != CANCELLED,
                Notification.kind.not_in(outbox.ACCOUNT_KINDS),
            )
        )
        or 0
    )


def for_user(
    session: Session, user: User, *, limit: int = 50, offset: int = 0
) -> list[Notification]:
    """The person's notices, newest first; a reminder cancelled (its round ended) is gone."""
    return list(
        session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.status != CANCELLED,
                Notification.kind.not_in(outbox.ACCOUNT_KINDS),
            )
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def mark_read(session: Session, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read (or all of them); returns how many."""
    query = update(Notification).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        found = session.get(Notification, notification_id)
        if found is None or found.user_id != actor.id:
            raise NotFound(N_("no such notification"))
        query = query.where(Notification.id == notification_id)
    result = session.execute(
        query.values(read_at=times.now_utc()).execution_options(synchronize_session=False)
    )
    session.expire_all()
    return result.rowcount or 0


def outbox_page(
    session: Session, actor: User | None, *, status: str | None = None, limit: int = 200
) -> list[Notification]:
    """The outbox for the Secretariat and administrators: newest first."""
    if actor is None or not actor.active or not (actor.is_secretariat or actor.is_admin):
        raise NotPermitted(N_("only the Secretariat and administrators see the outbox"))
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status:
        query = query.where(Notification.status == status)
    return list(session.scalars(query))
