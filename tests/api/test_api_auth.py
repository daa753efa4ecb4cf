"""Bearer tokens: issued once, stored hashed, checked on every call, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import ApiToken
from workflow import clock
from workflow.errors import InvalidInput, NotFound
from workflow.tokens import (
    create_token,
    create_token_for_email,
    list_tokens,
    revoke_token,
    verify_token,
)


def test_a_token_is_stored_only_as_its_sha256(session, make_user):
    user = make_user(session)
    issued = create_token(session, user, name="ci")
    row = session.scalar(select(ApiToken).where(ApiToken.id == issued.token.id))
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in (row.token_hash, row.name)
    assert verify_token(session, issued.secret) == user


def test_verify_refuses_unknown_revoked_and_inactive(session, make_user):
    user = make_user(session)
    issued = create_token(session, user)
    assert verify_token(session, issued.secret + "x") is None
    assert verify_token(session, "") is None
    assert verify_token(session, "x" * 10_000) is None
    other = create_token(session, user)
    revoke_token(session, other.token.id)
    assert verify_token(session, other.secret) is None
    user.active = False
    assert verify_token(session, issued.secret) is None


def test_last_used_is_recorded_at_most_once_a_minute(session, make_user):
    issued = create_token(session, make_user(session))
    start = clock.now()
    with clock.frozen_at(start):
        verify_token(session, issued.secret)
    assert issued.token.last_used_at == start
    with clock.frozen_at(start + timedelta(seconds=30)):
        verify_token(session, issued.secret)
    assert issued.token.last_used_at == start
    with clock.frozen_at(start + timedelta(minutes=2)):
        verify_token(session, issued.secret)
    assert issued.token.last_used_at == start + timedelta(minutes=2)


def test_owner_can_revoke_only_their_own_and_revoking_twice_keeps_the_date(session, make_user):
    alice, bob = make_user(session), make_user(session)
    token = create_token(session, alice).token
    with pytest.raises(NotFound):
        revoke_token(session, token.id, owner=bob)
    revoked = revoke_token(session, token.id, owner=alice)
    first = revoked.revoked_at
    assert revoke_token(session, token.id).revoked_at == first
    with pytest.raises(NotFound):
        revoke_token(session, 987654)


def test_list_and_bad_input(session, make_user):
    alice = make_user(session)
    create_token(session, alice, name="one")
    create_token_for_email(session, alice.email.upper(), name="two")
    assert [t.name for t in list_tokens(session, alice)] == ["one", "two"]
    with pytest.raises(NotFound):
        create_token_for_email(session, "nobody@example.org")
    with pytest.raises(InvalidInput, match="at most 100"):
        create_token(session, alice, name="n" * 101)
    alice.active = False
    with pytest.raises(InvalidInput, match="inactive"):
        create_token(session, alice)


@pytest.mark.parametrize(
    ("header", "error"),
    [
        (None, None),
        ("Bearer", "invalid_request"),
        ("Basic dXNlcjpwYXNz", "invalid_request"),
        ("Bearer not-a-token", "invalid_token"),
    ],
)
def test_calls_without_a_valid_token_get_401_with_a_challenge(client, header, error):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer")
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)
    problem = response.get_json()
    assert problem["status"] == 401 and problem["title"] == "Unauthorized" and problem["detail"]


def test_a_revoked_token_stops_working_at_once(roles, session):
    assert roles.observer.get("/me").status_code == 200
    token_id = list_tokens(session, roles.observer.user)[0].id
    revoke_token(session, token_id)
    session.commit()
    assert roles.observer.get("/me").status_code == 401


def test_a_session_cookie_is_not_accepted(client, roles):
    """The API is exempt from CSRF, so a signed-in browser must not be able to act through it."""
    with client.session_transaction() as browser:
        browser["_user_id"] = str(roles.secretariat.user.id)
    assert client.get("/api/v1/me").status_code == 401


def test_the_description_needs_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"] == "3.1.0"
