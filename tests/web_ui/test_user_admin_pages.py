"""The user administration pages, the page that sets a password from a link, and "forgot
your password?": who may, what each form does, deactivation ending a live session, the
single-use links, and the same answer for any e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from web_helpers import sign_in

from models import AuditEvent, Notification, User
from workflow import clock, tokens
from workflow import user_admin as admin
from workflow.accounts import check_sign_in

GOOD_PASSWORD = "amber kettle orbit lantern"


@pytest.fixture
def people(session, make_user):
    found = {
        "secretariat": make_user(session, secretariat=True),
        "administrator": make_user(session, admin=True),
        "coordinator": make_user(session, delegate_of=["KAZ"]),
        "delegate": make_user(session, delegate_of=["IND"]),
        "observer": make_user(session, observer_of=["JPN"]),
    }
    session.commit()  # a savepoint: a refused request rolls back only its own work
    return found


def secret_of(page: str) -> str:
    start = page.index("/password/") + len("/password/")
    return page[start:].split("<", 1)[0].strip()


@pytest.mark.parametrize("who", ["coordinator", "delegate", "observer"])
def test_delegates_and_coordinators_get_403_and_no_menu_entry(client, people, who):
    sign_in(client, people[who].email)
    target = people["delegate" if who != "delegate" else "coordinator"]
    assert 'href="/users"' not in client.get("/").get_data(as_text=True)
    for path in ("/users", "/users/invite", f"/users/{target.id}"):
        assert client.get(path).status_code == 403
    for path in ("name", "roles", "invitation", "deactivate", "reactivate"):
        assert client.post(f"/users/{target.id}/{path}", data={"name": "X"}).status_code == 403
    assert (
        client.post("/users/invite", data={"email": "x@mfa.example", "name": "X"}).status_code
        == 403
    )
    assert target.active and target.name != "X"


@pytest.mark.parametrize("who", ["secretariat", "administrator"])
def test_the_list_filters_and_pages(client, people, who, session):
    sign_in(client, people[who].email)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/users"' in home
    page = client.get("/users").get_data(as_text=True)
    for person in people.values():
        assert person.email in page
    by_kaz = client.get("/users?participant=KAZ").get_data(as_text=True)
    assert people["coordinator"].email in by_kaz and people["delegate"].email not in by_kaz
    observers = client.get("/users?role=observer_delegate").get_data(as_text=True)
    assert people["observer"].email in observers and people["delegate"].email not in observers
    admin.deactivate_user(session, people["administrator"], people["delegate"].id)
    inactive = client.get("/users?active=no").get_data(as_text=True)
    assert people["delegate"].email in inactive and people["observer"].email not in inactive
    ignored = client.get("/users?role=emperor&participant=XXX&active=perhaps&page=x")
    assert ignored.status_code == 200


def test_the_list_comes_a_page_at_a_time(client, people, session, make_user, monkeypatch):
    monkeypatch.setattr("web.views.users.PER_PAGE", 2)
    sign_in(client, people["secretariat"].email)
    first = client.get("/users").get_data(as_text=True)
    assert 'rel="next"' in first and first.count('href="/users/') == 2 + 1  # + invite
    second = client.get("/users?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second


def test_invite_shows_the_link_once_and_it_sets_the_password(app, client, people, session):
    sign_in(client, people["secretariat"].email)
    form = client.get("/users/invite").get_data(as_text=True)
    assert 'name="delegate_of"' in form and 'value="KAZ"' in form and 'name="observer_of"' in form
    created = client.post(
        "/users/invite",
        data={
            "email": "aigerim.sadykova@mfa.example",
            "name": "Aigerim Sadykova",
            "delegate_of": ["KAZ"],
            "head_of": ["KAZ"],
            "language": "ru",
        },
    )
    assert created.status_code == 201
    page = created.get_data(as_text=True)
    assert 'id="invitation-link"' in page and "http://localhost/password/" in page
    secret = secret_of(page)
    user = session.scalar(select(User).where(User.email == "aigerim.sadykova@mfa.example"))
    assert sorted(admin.describe(user)) == ["delegate:KAZ", "head_of_delegation:KAZ"]
    assert user.language == "ru"
    again = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert secret not in again and 'id="pending-invitation"' in again  # shown once

    newcomer = app.test_client()
    choose = newcomer.get(f"/password/{secret}")
    assert choose.status_code == 200 and "Aigerim Sadykova" in choose.get_data(as_text=True)
    weak = newcomer.post(
        f"/password/{secret}", data={"new_password": "password12", "confirm_password": "password12"}
    )
    assert weak.status_code == 422 and "at least 12 characters" in weak.get_data(as_text=True)
    done = newcomer.post(
        f"/password/{secret}",
        data={"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD},
    )
    assert done.status_code == 302 and "/login" in done.headers["Location"]
    assert sign_in(newcomer, user.email, GOOD_PASSWORD).status_code == 302
    used = app.test_client().get(f"/password/{secret}")
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_unknown_and_expired_links_answer_a_clear_page(app, client, people, session):
    assert client.get("/password/nonsense").status_code == 404
    assert "not known" in client.get("/password/nonsense").get_data(as_text=True)
    start = clock.now()
    link = admin.reinvite_user(session, people["secretariat"], people["delegate"].id)
    clock.set_now(start + timedelta(days=7, seconds=1))
    expired = client.post(
        f"/password/{link.secret}",
        data={"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD},
    )
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    assert not check_sign_in(people["delegate"], GOOD_PASSWORD)


def test_the_user_page_renames_changes_roles_and_audits(client, people, session):
    officer, target = people["secretariat"], people["delegate"]
    sign_in(client, officer.email)
    page = client.get(f"/users/{target.id}").get_data(as_text=True)
    assert (
        'id="roles"' in page
        and '<option selected value="IND"' in page
        or 'value="IND" selected' in page
    )
    assert client.post(f"/users/{target.id}/name", data={"name": "Ravi Kumar"}).status_code == 302
    saved = client.post(
        f"/users/{target.id}/roles", data={"alternate_of": ["IND"], "observer_of": ["JPN"]}
    )
    assert saved.status_code == 302
    assert target.name == "Ravi Kumar"
    assert admin.describe(target) == ["alternate:IND", "observer_delegate:JPN"]
    refused = client.post(f"/users/{target.id}/roles", data={"admin": "y"})
    assert refused.status_code == 403 and "only an administrator" in refused.get_data(as_text=True)
    bad = client.post(f"/users/{target.id}/roles", data={"delegate_of": ["JPN"]})
    assert bad.status_code == 422 and "may not have delegates" in bad.get_data(as_text=True)
    empty = client.post(f"/users/{target.id}/name", data={"name": ""})
    assert empty.status_code == 422
    actions = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == officer.id))
    )
    assert {"user_renamed", "user_roles_changed"} <= actions


def test_deactivation_ends_a_live_session_and_token_at_once(app, client, people, session):
    victim = people["delegate"]
    victims_browser = app.test_client()
    sign_in(victims_browser, victim.email)
    assert victims_browser.get("/account").status_code == 200
    issued = tokens.create_token(session, victim)
    assert (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {issued.secret}"})
        .status_code
        == 200
    )

    sign_in(client, people["administrator"].email)
    done = client.post(f"/users/{victim.id}/deactivate")
    assert done.status_code == 302

    assert victims_browser.get("/account").status_code == 302  # to the sign-in page
    assert (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {issued.secret}"})
        .status_code
        == 401
    )
    assert "inactive" in client.get(f"/users/{victim.id}").get_data(as_text=True)
    assert client.post(f"/users/{victim.id}/reactivate").status_code == 302
    assert victim.active
    assert victims_browser.get("/account").status_code == 302  # the old session stays ended


def test_the_last_administrator_cannot_be_deactivated_from_the_page(client, people):
    only = people["administrator"]
    sign_in(client, people["secretariat"].email)
    refused = client.post(f"/users/{only.id}/deactivate")
    assert refused.status_code == 409
    assert "last active administrator" in refused.get_data(as_text=True)
    assert only.active


def test_a_reinvitation_from_the_page_shows_a_new_link_and_kills_the_old(client, people, session):
    target = people["observer"]
    old = admin.reinvite_user(session, people["secretariat"], target.id)
    sign_in(client, people["secretariat"].email)
    response = client.post(f"/users/{target.id}/invitation")
    assert response.status_code == 201
    new_secret = secret_of(response.get_data(as_text=True))
    assert new_secret != old.secret
    with pytest.raises(admin.LinkGone):
        admin.find_link(session, old.secret)
    admin.find_link(session, new_secret)


def test_forgot_password_answers_the_same_for_any_email(app, client, people, session):
    assert 'href="/password-reset"' in client.get("/login").get_data(as_text=True)
    answers = []
    for email in (people["delegate"].email, "nobody@nowhere.example"):
        response = app.test_client().post(
            "/password-reset", data={"email": email}, follow_redirects=True
        )
        answers.append((response.status_code, response.get_data(as_text=True)))
    assert answers[0][0] == answers[1][0] == 200
    assert "If an active account has this e-mail address" in answers[0][1]
    assert answers[0][1].replace(people["delegate"].email, "") == answers[1][1].replace(
        "nobody@nowhere.example", ""
    )
    # The link waits in the outbox, for the delegate only, to go by e-mail.
    (queued,) = session.scalars(select(Notification).where(Notification.kind == "password_reset"))
    assert queued.user_id == people["delegate"].id
    secret = queued.payload["url"].rsplit("/", 1)[1]

    signed_in = app.test_client()
    sign_in(signed_in, people["delegate"].email)
    done = client.post(
        f"/password/{secret}",
        data={"new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    assert signed_in.get("/account").status_code == 302  # every session ended
    assert check_sign_in(people["delegate"], GOOD_PASSWORD)
    assert client.get(f"/password/{secret}").status_code == 410


def test_the_forms_need_their_csrf_token(app, client, people):
    sign_in(client, people["administrator"].email)
    app.config["WTF_CSRF_ENABLED"] = True
    target = people["delegate"]
    assert client.post(f"/users/{target.id}/deactivate").status_code in (400, 422)
    assert client.post(
        "/users/invite", data={"email": "x@mfa.example", "name": "X"}
    ).status_code in (
        400,
        422,
    )
    assert client.post("/password-reset", data={"email": target.email}).status_code in (400, 422)
    assert target.active


def test_the_pages_in_russian(client, people):
    sign_in(client, people["secretariat"].email)
    client.get("/?lang=ru")
    page = client.get("/users").get_data(as_text=True)
    assert "Пользователи" in page and "Пригласить" in page
    invite = client.get("/users/invite").get_data(as_text=True)
    assert "Делегат" in invite
    forgot = client.get("/password-reset").get_data(as_text=True)
    assert "Забыли пароль?" in forgot


def test_reset_requests_are_throttled_alike_for_any_email(app, people, settings):
    for email in (people["delegate"].email, "nobody@nowhere.example"):
        browser = app.test_client()
        for _ in range(settings.login_attempts):
            assert browser.post("/password-reset", data={"email": email}).status_code == 302
        refused = browser.post("/password-reset", data={"email": email})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
