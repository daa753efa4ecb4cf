"""The caller, participants, bodies, priority areas, workflows; routing errors as problems."""

from __future__ import annotations

import pytest


def test_me_describes_each_role(roles):
    assert roles.secretariat.ok("GET", "/me")["is_secretariat"] is True
    admin = roles.admin.ok("GET", "/me")
    assert admin["is_admin"] is True and admin["is_secretariat"] is False
    delegate = roles.state_delegate.ok("GET", "/me")
    assert delegate["represents"] == ["KAZ"] and delegate["affiliations"] == [
        {"role": "delegate", "participant": "KAZ"}
    ]
    observer = roles.observer.ok("GET", "/me")
    assert observer["represents"] == [] and observer["observes"] == ["JPN"]
    assert roles.anonymous.get("/me").status_code == 401


@pytest.mark.parametrize("path", ["/participants", "/bodies", "/priority-areas", "/workflows"])
def test_reference_lists_need_a_token_and_nothing_more(roles, path):
    assert roles.anonymous.get(path).status_code == 401
    for name, caller in roles.all().items():
        if name != "anonymous":
            assert caller.ok("GET", path)["items"], name


def test_participants_filter_and_status_history(roles):
    members = roles.observer.ok("GET", "/participants?status=member")["items"]
    assert len(members) == 28 and {p["status"] for p in members} == {"member"}
    organisations = roles.observer.ok("GET", "/participants?kind=organisation&status=partner")
    assert "UNODC" in {p["code"] for p in organisations["items"]}
    kaz = roles.observer.ok("GET", "/participants/kaz")
    assert kaz["name_en"] == "Kazakhstan" and kaz["status_history"][0]["status"] == "member"


@pytest.mark.parametrize(
    "query", ["status=king", "kind=", "status=member&status=observer", "kind=State"]
)
def test_bad_query_parameters_are_400(roles, query):
    response = roles.observer.get(f"/participants?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert response.get_json()["detail"]


def test_bodies_and_priority_areas(roles):
    bodies = {b["code"]: b for b in roles.observer.ok("GET", "/bodies")["items"]}
    assert set(bodies) == {"SWG", "SOC", "MC", "SUMMIT", "PRC"}
    assert bodies["PRC"]["observers_attend"] is False
    areas = {a["code"]: a for a in roles.observer.ok("GET", "/priority-areas")["items"]}
    assert len(areas) == 18
    assert areas["ECO-1"]["coordinators"] == ["RUS"] and "KAZ" in areas["ECO-1"]["co_coordinators"]
    assert areas["ECO-1"]["dimension"]["code"] == "ECO"


def test_workflows_with_states_triggers_and_diagram(roles):
    kinds = {w["kind"] for w in roles.observer.ok("GET", "/workflows")["items"]}
    assert kinds == {
        "concept_paper",
        "catalogue_amendment",
        "observer_application",
        "admission",
        "project_proposal",
        "outcome_document",
        "convention",
    }
    paper = roles.observer.ok("GET", "/workflows/concept_paper")
    states = {s["name"]: s for s in paper["states"]}
    assert states["swg_review"]["round"]["body"] == "SWG" and states["approved"]["final"]
    submit = next(t for t in paper["transitions"] if t["trigger"] == "submit")
    assert submit["sources"] == ["drafting"] and "coordinator" in submit["allowed"]
    assert paper["mermaid"].lstrip().startswith("---") or "stateDiagram" in paper["mermaid"]
    assert "swg_review" in paper["mermaid"]
    response = roles.observer.get("/workflows/no_such_kind")
    assert response.status_code == 404 and "concept_paper" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-thing", 404),
        ("GET", "/participants/NOPE", 404),
        ("GET", "/participants/a%00b", 404),
        ("GET", "/documents/0", 404),
        ("GET", "/documents/99999999999", 404),
        ("DELETE", "/me", 405),
        ("PUT", "/documents", 405),
    ],
)
def test_unknown_resources_and_methods_are_problems(client, roles, method, path, status):
    headers = {"Authorization": f"Bearer {roles.secretariat.token}"}
    response = client.open("/api/v1" + path, method=method, headers=headers)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_pages_outside_the_api_keep_their_own_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.content_type != "application/problem+json"
