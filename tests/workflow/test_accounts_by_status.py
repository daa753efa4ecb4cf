"""Who may hold an account follows the profile's [accounts]: CICA gives delegates to its
members and observer delegates to its observers; another forum may let partners in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Forum
from workflow import operations, user_admin
from workflow.accounts import DELEGATES, OBSERVER_DELEGATES, account_statuses
from workflow.errors import InvalidInput


def test_cica_gives_no_account_to_a_partner(session, make_user):
    assert {s.value for s in account_statuses(session, DELEGATES)} == {"member"}
    assert {s.value for s in account_statuses(session, OBSERVER_DELEGATES)} == {"observer"}
    with pytest.raises(InvalidInput, match="EEC may not have delegates"):
        make_user(session, delegate_of=["EEC"])
    with pytest.raises(InvalidInput, match="EEC may not have observer delegates"):
        make_user(session, observer_of=["EEC"])


def _let_partners(session, kind: str) -> None:
    forum = session.scalar(select(Forum))
    accounts = {key: list(value) for key, value in forum.accounts.items()}
    accounts[kind] = [*accounts[kind], "partner"]
    forum.accounts = accounts
    session.flush()


def test_a_profile_may_give_partners_observer_delegates(session, make_user):
    _let_partners(session, OBSERVER_DELEGATES)
    user = make_user(session, observer_of=["EEC"])
    assert [p.code for p in user.observed_participants] == ["EEC"]
    with pytest.raises(InvalidInput, match="may not have delegates"):
        make_user(session, delegate_of=["EEC"])


def test_a_partner_whose_delegates_speak_for_it_may_propose(session, make_user):
    officer = make_user(session, secretariat=True)
    with pytest.raises(InvalidInput, match="must be a participant with delegates"):
        operations.create_document(
            session, officer, kind="outcome_document", title="A", title_ru="А",
            texts={"en": "Text.", "ru": "Текст."}, proposer="EEC", target_body="MC",
        )
    _let_partners(session, DELEGATES)
    partner = make_user(session, delegate_of=["EEC"])
    document = operations.create_document(
        session, partner, kind="outcome_document", title="A", title_ru="А",
        texts={"en": "Text.", "ru": "Текст."}, proposer="EEC", target_body="MC",
    )
    assert document.proposer.code == "EEC"


def test_user_admin_follows_the_profile(session, make_user):
    admin = make_user(session, admin=True)
    user = make_user(session, delegate_of=["IND"])
    with pytest.raises(InvalidInput, match="EEC may not have observer delegates"):
        user_admin.set_affiliations(session, admin, user.id, [("observer_delegate", "EEC")])
    _let_partners(session, OBSERVER_DELEGATES)
    user_admin.set_affiliations(session, admin, user.id, [("observer_delegate", "EEC")])
    assert [p.code for p in user.observed_participants] == ["EEC"]
