"""Sessions kept on the server: signing out ends the session even for a copy of its cookie;
"sign out everywhere" ends them all; an idle session ends by itself."""

from __future__ import annotations

from datetime import timedelta

from web_helpers import NOW, sign_in

from workflow import clock, sessions, tokens

COOKIE = "session"


def copy_cookie(source, target) -> None:
    target.set_cookie(COOKIE, source.get_cookie(COOKIE).value)


def test_a_copied_cookie_opens_nothing_after_sign_out(app, client, world, session):
    user = world.users["delegate_of_the_state"]
    sign_in(client, user.email)
    thief = app.test_client()
    copy_cookie(client, thief)
    assert thief.get("/account").status_code == 200  # the copy works while the session lives

    assert client.post("/logout").status_code == 302

    assert thief.get("/account").status_code == 302
    created = thief.post("/account/tokens", data={"name": "stolen"})
    assert created.status_code == 302 and "/login" in created.headers["Location"]
    assert tokens.list_tokens(session, user) == []
    assert client.get("/account").status_code == 302


def test_the_account_page_lists_sessions_and_signs_out_everywhere(app, client, world, session):
    user = world.users["coordinator"]
    sign_in(client, user.email)
    laptop = app.test_client()
    laptop.post(
        "/login",
        data={"email": user.email, "password": "test-password-1"},
        headers={
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
        },
    )
    page = client.get("/account").get_data(as_text=True)
    assert page.count("<tr", page.index('id="session-list"')) >= 3  # header row + two sessions
    assert "Firefox 121 on Linux" in page
    assert "this session" in page
    assert len(sessions.active_sessions(session, user)) == 2

    ended = client.post("/account/sessions/end-all")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert laptop.get("/account").status_code == 302
    assert client.get("/account").status_code == 302
    assert sessions.active_sessions(session, user) == []


def test_an_idle_session_ends_by_itself(client, world):
    sign_in(client, world.users["observer"].email)
    assert client.get("/account").status_code == 200
    clock.set_now(NOW + sessions.IDLE_LIMIT + timedelta(minutes=1))
    assert client.get("/account").status_code == 302


def test_a_deactivated_account_is_signed_out(client, world, session):
    user = world.users["observer"]
    sign_in(client, user.email)
    user.active = False
    session.flush()
    assert client.get("/account").status_code == 302


def test_ending_a_users_sessions_keeps_the_one_asked_for(client, world, session):
    user = world.users["secretariat"]
    kept = sessions.begin_session(session, user, address="10.0.0.1", user_agent="curl/8")
    sessions.begin_session(session, user, address="10.0.0.2", user_agent="curl/8")
    assert sessions.end_sessions(session, user, keep=kept.row) == 1
    assert [row.id for row in sessions.active_sessions(session, user)] == [kept.row.id]
    assert sessions.current_session(session, kept.secret).id == kept.row.id
