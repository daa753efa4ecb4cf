"""The user's page: API tokens created, listed and revoked; only one's own."""

from __future__ import annotations

import re

from web_helpers import sign_in

from workflow import tokens


def test_a_user_creates_uses_and_revokes_a_token(client, world, session):
    user = world.users["delegate_of_the_state"]
    sign_in(client, user.email)
    created = client.post("/account/tokens", data={"name": "dashboard"})
    assert created.status_code == 201
    secret = re.search(r'id="token-secret">([^<]+)<', created.get_data(as_text=True)).group(1)
    assert tokens.verify_token(session, secret).id == user.id
    assert secret not in client.get("/account").get_data(as_text=True)  # shown once

    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200 and api.get_json()["email"] == user.email

    token = tokens.list_tokens(session, user)[0]
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert tokens.verify_token(session, secret) is None
    assert "revoked" in client.get("/account").get_data(as_text=True)


def test_nobody_revokes_someone_elses_token(client, world, session):
    owner = world.users["coordinator"]
    issued = tokens.create_token(session, owner, name="theirs")
    sign_in(client, world.users["delegate_of_the_state"].email)
    assert client.post(f"/account/tokens/{issued.token.id}/revoke").status_code == 404
    assert tokens.verify_token(session, issued.secret).id == owner.id


def test_the_account_page_needs_a_sign_in(client, world):
    assert client.get("/account").status_code == 302
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302
