"""/api/v1/users: administration by administrators and the Secretariat only, problem+json
errors, ETag and If-Match, and deactivation refusing the user's token at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent
from workflow import user_admin

NEW = {
    "email": "Aigerim.Sadykova@mfa.example",
    "name": "Aigerim Sadykova",
    "affiliations": [{"role": "delegate", "participant": "KAZ"}],
}


@pytest.mark.parametrize("who", ["observer", "other_delegate", "coordinator"])
def test_delegates_and_coordinators_are_refused_every_user_route(roles, who):
    caller, target = getattr(roles, who), roles.other_delegate.user.id
    if who == "other_delegate":
        target = roles.coordinator.user.id
    for method, path, body in [
        ("GET", "/users", None),
        ("POST", "/users", NEW),
        ("GET", f"/users/{target}", None),
        ("PATCH", f"/users/{target}", {"name": "Someone"}),
        ("POST", f"/users/{target}/invitation", {}),
        ("POST", f"/users/{target}/deactivate", {}),
        ("POST", f"/users/{target}/reactivate", {}),
    ]:
        response = caller.send(method, path, body)
        assert response.status_code == 403, (method, path)
        assert response.mimetype == "application/problem+json"
        assert "administrators and the Secretariat" in response.get_json()["detail"]


def test_anonymous_is_401(roles):
    assert roles.anonymous.get("/users").status_code == 401


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_invite_read_change_deactivate_reactivate(roles, session, who):
    caller = getattr(roles, who)
    response = caller.post("/users", NEW)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    user_id = created["user"]["id"]
    assert response.headers["Location"] == f"/api/v1/users/{user_id}"
    assert created["user"]["email"] == "aigerim.sadykova@mfa.example"
    assert created["user"]["affiliations"] == [{"role": "delegate", "participant": "KAZ"}]
    url = created["invitation"]["url"]
    assert url.startswith("http://localhost/password/")
    assert created["user"]["invitation_expires_at"] == created["invitation"]["expires_at"]
    assert user_admin.find_link(session, url.rsplit("/", 1)[1]).user_id == user_id

    read = caller.get(f"/users/{user_id}")
    assert read.status_code == 200 and "url" not in str(read.get_json())  # shown once
    changed = caller.ok(
        "PATCH",
        f"/users/{user_id}",
        {
            "name": "Aigerim S.",
            "affiliations": [{"role": "observer_delegate", "participant": "JPN"}],
        },
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed["name"] == "Aigerim S."
    assert changed["affiliations"] == [{"role": "observer_delegate", "participant": "JPN"}]
    assert (
        caller.ok("POST", f"/users/{user_id}/deactivate", {"comment": "withdrawn"})["active"]
        is False
    )
    assert caller.ok("POST", f"/users/{user_id}/reactivate", {})["active"] is True
    again = caller.ok("POST", f"/users/{user_id}/invitation", {}, status=201)
    assert again["url"] != url
    listing = caller.ok("GET", "/users?participant=JPN&active=true")
    assert user_id in [u["id"] for u in listing["items"]]
    assert roles.coordinator.user.id not in [u["id"] for u in listing["items"]]
    actions = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == caller.user.id))
    )
    assert {
        "user_invited",
        "user_renamed",
        "user_roles_changed",
        "user_deactivated",
        "user_reactivated",
        "user_reinvited",
    } <= actions
    [withdrawn] = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "user_deactivated", AuditEvent.actor_id == caller.user.id
        )
    )
    assert withdrawn.comment == "withdrawn"


def test_a_deactivated_users_token_is_refused_at_once(roles):
    victim = roles.state_delegate
    assert victim.get("/me").status_code == 200
    roles.secretariat.ok("POST", f"/users/{victim.user.id}/deactivate", {})
    response = victim.get("/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    roles.secretariat.ok("POST", f"/users/{victim.user.id}/reactivate", {})
    assert victim.get("/me").status_code == 401  # revoked, not merely suspended


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(roles):
    admin = roles.admin
    user_id = roles.other_delegate.user.id
    etag = admin.get(f"/users/{user_id}").headers["ETag"]
    admin.ok("PATCH", f"/users/{user_id}", {"name": "First change"}, headers={"If-Match": etag})
    refused = admin.send(
        "PATCH", f"/users/{user_id}", {"name": "Second change"}, headers={"If-Match": etag}
    )
    assert refused.status_code == 412
    assert refused.get_json()["current_etag"] == refused.headers["ETag"]
    stale = admin.send("POST", f"/users/{user_id}/deactivate", {}, headers={"If-Match": etag})
    assert stale.status_code == 412
    now = admin.ok("GET", f"/users/{user_id}")
    assert now["active"] and now["name"] == "First change"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "detail"),
    [
        ("POST", "/users", {**NEW, "email": "nonsense"}, 422, "email"),
        ("POST", "/users", {**NEW, "colour": "blue"}, 422, "colour"),
        ("POST", "/users", {**NEW, "affiliations": [{"role": "emperor"}]}, 422, "role"),
        (
            "POST",
            "/users",
            {**NEW, "affiliations": [{"role": "delegate", "participant": "JPN"}]},
            422,
            "may not have delegates",
        ),
        ("POST", "/users", {**NEW, "name": ""}, 422, "name"),
        ("POST", "/users", {**NEW, "language": "fr"}, 422, "not a working language"),
        ("GET", "/users?role=emperor", None, 400, "role"),
        ("GET", "/users?active=perhaps", None, 400, "active"),
        ("GET", "/users/999999", None, 404, "no user 999999"),
        ("PATCH", "/users/999999", {"name": "X"}, 404, "no user 999999"),
    ],
)
def test_bad_requests_answer_problems(roles, method, path, body, status, detail):
    response = roles.admin.send(method, path, body)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]


def test_the_last_administrator_and_ones_own_account_are_protected(roles):
    admin = roles.admin
    refused = admin.send("POST", f"/users/{admin.user.id}/deactivate", {})
    assert (
        refused.status_code == 409 and "last active administrator" in refused.get_json()["detail"]
    )
    refused = admin.send(
        "PATCH", f"/users/{admin.user.id}", {"affiliations": [{"role": "secretariat"}]}
    )
    assert refused.status_code == 409
    grant = roles.secretariat.send(
        "PATCH",
        f"/users/{roles.secretariat.user.id}",
        {"affiliations": [{"role": "administrator"}]},
    )
    assert grant.status_code == 403
    own = roles.secretariat.send("POST", f"/users/{roles.secretariat.user.id}/deactivate", {})
    assert own.status_code == 409 and "your own account" in own.get_json()["detail"]


def test_a_duplicate_email_is_refused(roles):
    roles.admin.ok("POST", "/users", NEW, status=201)
    again = roles.admin.send("POST", "/users", NEW)
    assert again.status_code == 422 and "already exists" in again.get_json()["detail"]


def test_the_users_routes_are_described(roles):
    description = roles.anonymous.get("/openapi.json").get_json()
    paths = description["paths"]
    assert set(paths["/api/v1/users"]) == {"get", "post"}
    assert set(paths["/api/v1/users/{user_id}"]) == {"get", "patch"}
    patch = paths["/api/v1/users/{user_id}"]["patch"]
    assert "412" in patch["responses"] and any(p["name"] == "If-Match" for p in patch["parameters"])
    for action in ("deactivate", "reactivate", "invitation"):
        assert "post" in paths[f"/api/v1/users/{{user_id}}/{action}"]
    assert "403" in paths["/api/v1/users"]["get"]["responses"]
