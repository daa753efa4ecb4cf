"""User administration: who may, what each change audits, deactivation ending everything,
the last administrator, and the single-use invitation and reset links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AccountLink, AuditEvent, Notification
from workflow import audit, clock, sessions, tokens
from workflow import user_admin as admin
from workflow.accounts import check_sign_in
from workflow.errors import Conflict, InvalidInput, NotFound, NotPermitted

GOOD_PASSWORD = "amber kettle orbit lantern"
SITE = "https://concord.example.org"


def events(session, action):
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.document_id.is_(None))
            .order_by(AuditEvent.id)
        )
    )


def invite(session, actor, email="new.delegate@mfa.example", **kwargs):
    kwargs.setdefault("name", "New Delegate")
    kwargs.setdefault("affiliations", [("delegate", "KAZ")])
    return admin.invite_user(session, actor, email=email, public_url=SITE, **kwargs)


@pytest.mark.parametrize("who", ["coordinator", "proposer", "observer", "other"])
def test_delegates_and_coordinators_cannot_administer_users(session, cast, who):
    actor = getattr(cast, who)
    target = cast.other if who != "other" else cast.proposer
    attempts = [
        lambda: invite(session, actor),
        lambda: admin.reinvite_user(session, actor, target.id),
        lambda: admin.rename_user(session, actor, target.id, "Someone"),
        lambda: admin.set_affiliations(session, actor, target.id, [("secretariat", None)]),
        lambda: admin.deactivate_user(session, actor, target.id),
        lambda: admin.reactivate_user(session, actor, target.id),
        lambda: admin.list_users(session, actor),
        lambda: admin.get_user(session, actor, target.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermitted):
            attempt()
    assert events(session, "user_invited") == []
    assert target.active and target.name != "Someone"


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_the_secretariat_and_administrators_administer_users(session, cast, who):
    actor = getattr(cast, who)
    invited = invite(session, actor)
    user = invited.user
    assert [a.participant.code for a in user.affiliations] == ["KAZ"]
    admin.rename_user(session, actor, user.id, "Nurlan Bekov")
    admin.set_affiliations(session, actor, user.id, [("observer_delegate", "JPN")])
    admin.deactivate_user(session, actor, user.id)
    admin.reactivate_user(session, actor, user.id)
    assert user.name == "Nurlan Bekov"
    assert admin.describe(user) == ["observer_delegate:JPN"]
    assert user.active
    assert [u.id for u in admin.list_users(session, actor).items if u.id == user.id] == [user.id]


def test_each_change_is_audited_in_the_forums_chain(session, cast):
    actor = cast.secretariat
    user = invite(session, actor).user
    admin.reinvite_user(session, actor, user.id)
    admin.rename_user(session, actor, user.id, "Nurlan Bekov")
    admin.set_affiliations(session, actor, user.id, [("delegate", "KAZ"), ("alternate", "TUR")])
    admin.deactivate_user(session, actor, user.id)
    admin.reactivate_user(session, actor, user.id)
    expected = {
        "user_invited": {"email": user.email, "affiliations": ["delegate:KAZ"]},
        "user_reinvited": {"email": user.email},
        "user_renamed": {"from": "New Delegate", "to": "Nurlan Bekov"},
        "user_roles_changed": {"from": ["delegate:KAZ"], "to": ["delegate:KAZ", "alternate:TUR"]},
        "user_deactivated": {"sessions": 0, "tokens": 0, "links": 1},
        "user_reactivated": {"user": user.id},
    }
    for action, data in expected.items():
        [event] = events(session, action)
        assert event.actor_id == actor.id
        assert event.data["user"] == user.id
        for key, value in data.items():
            assert event.data[key] == value, (action, key)
        assert "secret" not in str(event.data) and "token" not in event.data
    assert audit.find_break(session) is None


def test_no_change_writes_no_event(session, cast):
    user = cast.other
    admin.rename_user(session, cast.secretariat, user.id, user.name)
    admin.set_affiliations(session, cast.secretariat, user.id, [("delegate", "IND")])
    admin.reactivate_user(session, cast.secretariat, user.id)
    for action in ("user_renamed", "user_roles_changed", "user_reactivated"):
        assert events(session, action) == []


def test_deactivation_ends_every_session_token_and_link_at_once(session, cast):
    user = cast.other
    begun = sessions.begin_session(session, user, address="10.0.0.1", user_agent="test")
    second = sessions.begin_session(session, user, address="10.0.0.2", user_agent="test")
    issued = tokens.create_token(session, user, name="script")
    link = admin.reinvite_user(session, cast.secretariat, user.id)
    assert sessions.current_session(session, begun.secret) is not None
    assert tokens.verify_token(session, issued.secret) is user

    ended = admin.deactivate_user(session, cast.secretariat, user.id)

    assert ended == {"sessions": 2, "tokens": 1, "links": 1}
    assert sessions.current_session(session, begun.secret) is None
    assert sessions.current_session(session, second.secret) is None
    assert tokens.verify_token(session, issued.secret) is None
    session.refresh(issued.token)
    session.refresh(begun.row)
    assert issued.token.revoked_at is not None and begun.row.ended_at is not None
    with pytest.raises(admin.LinkUnusable):
        admin.find_link(session, link.secret)
    assert not check_sign_in(user, "test-password-1")
    # Reactivated, the old sessions and tokens stay ended.
    admin.reactivate_user(session, cast.secretariat, user.id)
    assert sessions.current_session(session, begun.secret) is None
    assert tokens.verify_token(session, issued.secret) is None
    assert check_sign_in(user, "test-password-1")


def test_the_last_active_administrator_is_protected(session, cast):
    only = cast.admin
    for actor in (only, cast.secretariat):
        with pytest.raises(Conflict, match="last active administrator"):
            admin.deactivate_user(session, actor, only.id)
    with pytest.raises(Conflict, match="last active administrator"):
        admin.set_affiliations(session, only, only.id, [("secretariat", None)])
    assert only.active and only.is_admin
    second = invite(
        session, only, email="second.admin@cica.example", affiliations=[("administrator", None)]
    ).user
    with pytest.raises(Conflict, match="your own account"):
        admin.deactivate_user(session, only, only.id)
    admin.deactivate_user(session, second, only.id)
    assert not only.active
    # An inactive administrator does not count: `second` is now the last one.
    with pytest.raises(Conflict, match="last active administrator"):
        admin.set_affiliations(session, second, second.id, [("secretariat", None)])
    admin.reactivate_user(session, second, only.id)
    admin.set_affiliations(session, second, second.id, [("secretariat", None)])
    assert not second.is_admin and only.is_admin


def test_only_an_administrator_grants_withdraws_or_deactivates_the_administrator_role(
    session, cast
):
    with pytest.raises(NotPermitted):
        admin.set_affiliations(
            session, cast.secretariat, cast.secretariat.id, [("administrator", None)]
        )
    with pytest.raises(NotPermitted):
        invite(session, cast.secretariat, affiliations=[("administrator", None)])
    second = invite(
        session,
        cast.admin,
        email="second.admin@cica.example",
        affiliations=[("administrator", None)],
    ).user
    with pytest.raises(NotPermitted):
        admin.deactivate_user(session, cast.secretariat, second.id)
    with pytest.raises(NotPermitted):
        admin.set_affiliations(session, cast.secretariat, second.id, [])
    assert not cast.secretariat.is_admin and second.is_admin and second.active


@pytest.mark.parametrize(
    ("affiliations", "message"),
    [
        ([("delegate", "JPN")], "may not have delegates"),
        ([("observer_delegate", "KAZ")], "may not have observer delegates"),
        ([("delegate", "XXX")], "unknown participant"),
        ([("delegate", None)], "needs a participant"),
        ([("secretariat", "KAZ")], "names no participant"),
        ([("emperor", None)], "role: one of"),
    ],
)
def test_bad_affiliations_are_refused_and_nothing_is_written(session, cast, affiliations, message):
    with pytest.raises(InvalidInput, match=message):
        invite(session, cast.secretariat, affiliations=affiliations)
    with pytest.raises(InvalidInput, match=message):
        admin.set_affiliations(session, cast.secretariat, cast.other.id, affiliations)
    assert events(session, "user_invited") == [] and admin.describe(cast.other) == ["delegate:IND"]


def test_bad_invitations_are_refused(session, cast):
    with pytest.raises(InvalidInput, match="e-mail"):
        invite(session, cast.secretariat, email="not-an-address")
    with pytest.raises(InvalidInput, match="already exists"):
        invite(session, cast.secretariat, email=cast.other.email)
    with pytest.raises(InvalidInput, match="name"):
        invite(session, cast.secretariat, name="  ")
    with pytest.raises(NotFound):
        admin.rename_user(session, cast.secretariat, 999_999, "Nobody")
    assert events(session, "user_invited") == []


def test_an_invitation_link_is_single_use_and_sets_a_password_under_the_policy(session, cast):
    invited = invite(session, cast.secretariat)
    user = invited.user
    url = invited.link.url(SITE)
    assert url == f"{SITE}/password/{invited.link.secret}"
    stored = session.scalars(select(AccountLink).where(AccountLink.user_id == user.id)).all()
    assert [row.token_hash for row in stored] != [invited.link.secret]  # hashed, not kept
    assert invited.link.secret not in str([row.token_hash for row in stored])
    assert not check_sign_in(user, GOOD_PASSWORD)
    with pytest.raises(InvalidInput, match="at least 12"):
        admin.set_password_with_link(session, invited.link.secret, "short")
    admin.find_link(session, invited.link.secret)  # a refused password does not use it up
    admin.set_password_with_link(session, invited.link.secret, GOOD_PASSWORD)
    assert check_sign_in(user, GOOD_PASSWORD)
    [event] = events(session, "invitation_accepted")
    assert event.actor_id == user.id
    with pytest.raises(admin.LinkUnusable, match="already been used"):
        admin.set_password_with_link(session, invited.link.secret, "another long passphrase x")
    with pytest.raises(admin.LinkUnusable, match="not known"):
        admin.find_link(session, "nonsense")


def test_a_reinvitation_kills_the_earlier_link(session, cast):
    invited = invite(session, cast.secretariat)
    newer = admin.reinvite_user(session, cast.secretariat, invited.user.id)
    with pytest.raises(admin.LinkUnusable, match="newer link"):
        admin.find_link(session, invited.link.secret)
    assert admin.find_link(session, newer.secret).user is invited.user


def test_an_invitation_lasts_seven_days(session, cast):
    start = clock.now()
    invited = invite(session, cast.secretariat)
    with clock.frozen_at(start + timedelta(days=7) - timedelta(seconds=1)):
        admin.find_link(session, invited.link.secret)
    with (
        clock.frozen_at(start + timedelta(days=7)),
        pytest.raises(admin.LinkUnusable, match="expired"),
    ):
        admin.set_password_with_link(session, invited.link.secret, GOOD_PASSWORD)


def test_a_reset_link_lasts_30_minutes_is_single_use_and_ends_every_session(session, cast):
    user = cast.other
    live = sessions.begin_session(session, user, address="10.0.0.1", user_agent="test")
    start = clock.now()
    url = admin.request_password_reset(session, user.email.upper(), public_url=SITE)
    assert url and url.startswith(f"{SITE}/password/")
    secret = url.rsplit("/", 1)[1]
    with clock.frozen_at(start + timedelta(minutes=30)), pytest.raises(admin.LinkUnusable):
        admin.find_link(session, secret)
    with clock.frozen_at(start + timedelta(minutes=29)):
        admin.set_password_with_link(session, secret, GOOD_PASSWORD)
    assert check_sign_in(user, GOOD_PASSWORD)
    assert sessions.current_session(session, live.secret) is None
    [event] = events(session, "password_reset")
    assert event.actor_id == user.id
    with pytest.raises(admin.LinkUnusable):
        admin.set_password_with_link(session, secret, "yet another long passphrase")


def _queued_links(session) -> list[tuple[int, str]]:
    rows = session.scalars(select(Notification).where(Notification.kind == "password_reset"))
    return [(row.user_id, row.payload["url"]) for row in rows]


def test_a_reset_is_asked_for_any_email_and_given_only_to_an_active_account(session, cast):
    assert admin.request_password_reset(session, "nobody@nowhere.example", public_url=SITE) is None
    admin.deactivate_user(session, cast.secretariat, cast.proposer.id)
    assert admin.request_password_reset(session, cast.proposer.email, public_url=SITE) is None
    assert _queued_links(session) == []  # nothing queued for either
    first = admin.request_password_reset(session, cast.other.email, public_url=SITE)
    # The link goes by e-mail, through the outbox, in the same transaction.
    assert _queued_links(session) == [(cast.other.id, first)]
    second = admin.request_password_reset(session, cast.other.email, public_url=SITE)
    with pytest.raises(admin.LinkUnusable, match="newer link"):
        admin.find_link(session, first.rsplit("/", 1)[1])
    admin.find_link(session, second.rsplit("/", 1)[1])


def test_users_are_listed_by_participant_role_and_activity_a_page_at_a_time(session, cast):
    actor = cast.secretariat
    admin.deactivate_user(session, actor, cast.proposer.id)
    by_kaz = admin.list_users(session, actor, admin.UserFilters(participant="KAZ"))
    assert [u.id for u in by_kaz.items] == [cast.coordinator.id]
    observers = admin.list_users(session, actor, admin.UserFilters(role="observer_delegate"))
    assert [u.id for u in observers.items] == [cast.observer.id]
    inactive = admin.list_users(session, actor, admin.UserFilters(active=False))
    assert [u.id for u in inactive.items] == [cast.proposer.id]
    first = admin.list_users(session, actor, admin.UserFilters(per_page=3))
    second = admin.list_users(session, actor, admin.UserFilters(per_page=3, page=2))
    assert first.has_next and len(first.items) == 3
    assert not {u.id for u in first.items} & {u.id for u in second.items}
    with pytest.raises(InvalidInput):
        admin.list_users(session, actor, admin.UserFilters(role="emperor"))
