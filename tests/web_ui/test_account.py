"""The user's page: API tokens created (after the password is re-entered), listed with
their expiry and last use, and revoked, only one's own; the password changed; the
language and time zone saved."""

from __future__ import annotations

import re
from datetime import timedelta

from web_helpers import NOW, TEST_PASSWORD, sign_in

from workflow import clock, sessions, tokens
from workflow.accounts import verify_password

NEW_PASSWORD = "quiet heron sails at dawn"


def test_a_user_creates_uses_and_revokes_a_token(client, world, session):
    user = world.users["delegate_of_the_state"]
    sign_in(client, user.email)
    created = client.post("/account/tokens", data={"name": "dashboard", "password": TEST_PASSWORD})
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


def test_a_token_needs_the_password_again(client, world, session):
    user = world.users["delegate_of_the_state"]
    sign_in(client, user.email)
    missing = client.post("/account/tokens", data={"name": "x"})
    wrong = client.post("/account/tokens", data={"name": "x", "password": "not-my-password"})
    assert missing.status_code == 422 and wrong.status_code == 422
    assert "The password is not right." in wrong.get_data(as_text=True)
    assert tokens.list_tokens(session, user) == []


def test_re_entering_the_password_is_throttled_like_a_sign_in(client, world, session, settings):
    user = world.users["delegate_of_the_state"]
    sign_in(client, user.email)
    for _ in range(settings.login_attempts):
        client.post("/account/tokens", data={"password": "guess-guess-guess"})
    refused = client.post("/account/tokens", data={"password": TEST_PASSWORD})
    assert refused.status_code == 429 and tokens.list_tokens(session, user) == []


def test_a_token_expires_after_the_configured_days_and_shows_it(client, world, session):
    user = world.users["coordinator"]
    sign_in(client, user.email)
    created = client.post("/account/tokens", data={"name": "feed", "password": TEST_PASSWORD})
    secret = re.search(r'id="token-secret">([^<]+)<', created.get_data(as_text=True)).group(1)
    token = tokens.list_tokens(session, user)[0]
    assert token.expires_at == NOW + timedelta(days=90)
    page = client.get("/account").get_data(as_text=True)
    assert "Expires" in page and "never" in page  # not used yet

    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    assert tokens.list_tokens(session, user)[0].last_used_at == NOW
    assert "never</td>" not in client.get("/account").get_data(as_text=True).split("tokens")[-1]

    clock.set_now(NOW + timedelta(days=90))
    expired = client.get("/api/v1/me", headers=auth)
    assert expired.status_code == 401
    assert expired.headers["Content-Type"].startswith("application/problem+json")
    assert "expired" in expired.get_json()["detail"]


def test_the_password_is_changed_with_the_current_one_and_ends_other_sessions(
    app, client, world, session
):
    user = world.users["observer"]
    sign_in(client, user.email)
    other = app.test_client()
    sign_in(other, user.email)
    change = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}

    wrong = client.post("/account/password", data={**change, "current_password": "nope-nope"})
    assert wrong.status_code == 422 and "The password is not right." in wrong.get_data(True)
    assert verify_password(user, TEST_PASSWORD)

    changed = client.post("/account/password", data={**change, "current_password": TEST_PASSWORD})
    assert changed.status_code == 302
    assert verify_password(user, NEW_PASSWORD) and not verify_password(user, TEST_PASSWORD)
    assert client.get("/account").status_code == 200  # this session goes on
    assert other.get("/account").status_code == 302  # the other one has ended
    assert len(sessions.active_sessions(session, user)) == 1


def test_a_weak_or_mismatched_new_password_is_refused_and_nothing_changes(client, world):
    user = world.users["observer"]
    sign_in(client, user.email)
    for new, confirm, message in (
        ("password1234", "password1234", "too common or too easy to guess"),
        ("short-one", "short-one", "at least 12 characters"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two new passwords differ."),
    ):
        answer = client.post(
            "/account/password",
            data={
                "current_password": TEST_PASSWORD,
                "new_password": new,
                "confirm_password": confirm,
            },
        )
        assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert verify_password(user, TEST_PASSWORD)


def test_language_and_time_zone_are_saved_and_used(client, world, session):
    user = world.users["delegate_of_another_state"]
    sign_in(client, user.email)
    saved = client.post(
        "/account/preferences", data={"language": "ru", "timezone": "Europe/Moscow"}
    )
    assert saved.status_code == 302
    assert (user.language, user.timezone) == ("ru", "Europe/Moscow")
    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="ru"' in page and "Europe/Moscow" in page
    assert "Язык и часовой пояс" in page

    client.post("/account/preferences", data={"language": "", "timezone": ""})
    assert (user.language, user.timezone) == (None, None)
    english = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in english


def test_a_bad_time_zone_is_a_form_error_and_nothing_is_saved(client, world, session):
    user = world.users["delegate_of_another_state"]
    before = user.timezone
    sign_in(client, user.email)
    for bad in ("Mars/Olympus", "Asia", "../etc/passwd"):
        answer = client.post("/account/preferences", data={"language": "en", "timezone": bad})
        assert answer.status_code == 422
        assert "is not a time zone name" in answer.get_data(as_text=True)
    assert user.timezone == before and user.language is None
