"""Documents: create, read, list; versions; transitions; If-Match; request validation."""

from __future__ import annotations

import pytest
from api_helpers import AREA, TEXTS

PAPER = {
    "kind": "concept_paper",
    "title": "Water security",
    "title_ru": "Документ",
    "priority_area": AREA,
    "texts": TEXTS,
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("observer", 403),
        ("other_delegate", 403),
        ("state_delegate", 403),
        ("secretariat", 403),  # a concept paper is drafted by its coordinator state
        ("admin", 403),
        ("coordinator", 201),
    ],
)
def test_who_may_create_a_concept_paper(roles, role, status):
    response = getattr(roles, role).post("/documents", PAPER)
    assert response.status_code == status, response.get_json()
    if status == 201:
        created = response.get_json()
        assert response.headers["Location"] == f"/api/v1/documents/{created['id']}"
        assert (
            response.headers["ETag"] == roles.coordinator.get(created_path(created)).headers["ETag"]
        )
        assert created["state"] == "drafting" and created["current_version"] == 1
        assert created["versions"][0]["texts"] == TEXTS
        assert [e["action"] for e in created["history"]] == ["document_created"]
    else:
        assert response.content_type == "application/problem+json"


def created_path(document: dict) -> str:
    return f"/documents/{document['id']}"


def test_created_document_reads_the_same_for_every_role_that_may_see_it(roles, concept_paper):
    path = f"/documents/{concept_paper['id']}"
    for name, caller in roles.all().items():
        response = caller.get(path)
        if name == "anonymous":
            assert response.status_code == 401
            continue
        assert response.status_code == 200, name
        body = response.get_json()
        assert body["symbol"] == concept_paper["symbol"]
        assert response.headers["ETag"] == caller.get(path).headers["ETag"]  # stable
        expected = ["submit", "withdraw"] if name == "coordinator" else []
        assert body["permitted_triggers"] == expected, name


def test_a_restricted_document_is_hidden_from_observers(roles):
    created = roles.coordinator.ok("POST", "/documents", {**PAPER, "restricted": True}, status=201)
    assert roles.observer.get(f"/documents/{created['id']}").status_code == 404
    assert (
        roles.observer.post(f"/documents/{created['id']}/versions", {"texts": TEXTS}).status_code
        == 404
    )
    listed = roles.observer.ok("GET", "/documents")
    assert created["id"] not in {d["id"] for d in listed["items"]}
    assert roles.other_delegate.get(f"/documents/{created['id']}").status_code == 200
    assert roles.admin.ok("GET", "/documents?restricted=true")["total"] >= 1


def test_list_filters_and_pages(roles):
    for index in range(5):
        roles.coordinator.ok(
            "POST", "/documents", {**PAPER, "title": f"Paper number {index}"}, status=201
        )
    first = roles.observer.ok("GET", "/documents?kind=concept_paper&per_page=2")
    assert first["total"] == 5 and len(first["items"]) == 2 and first["page"] == 1
    third = roles.observer.ok("GET", "/documents?kind=concept_paper&per_page=2&page=3")
    assert len(third["items"]) == 1
    seen = {
        d["id"]
        for page in (1, 2, 3)
        for d in roles.observer.ok("GET", f"/documents?kind=concept_paper&per_page=2&page={page}")[
            "items"
        ]
    }
    assert len(seen) == 5
    assert roles.observer.ok("GET", "/documents?q=NUMBER 3")["total"] == 1
    assert (
        roles.observer.ok("GET", f"/documents?priority_area={AREA.lower()}&state=drafting")["total"]
        == 5
    )
    assert roles.observer.ok("GET", "/documents?state=approved")["total"] == 0
    assert roles.observer.ok("GET", "/documents?kind=convention")["items"] == []


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=x", "per_page=201", "per_page=1.0", "restricted=yes", "kind=Bad-Kind", "q="],
)
def test_bad_list_parameters_are_400(roles, query):
    response = roles.observer.get(f"/documents?{query}")
    assert response.status_code == 400, query
    assert response.get_json()["errors"]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({**PAPER, "title": ""}, 422, "title"),
        ({**PAPER, "title": 5}, 422, "title"),
        ({**PAPER, "colour": "red"}, 422, "colour"),
        ({**PAPER, "title": "a\u0000b"}, 422, "title"),
        ({**PAPER, "title": "x" * 301}, 422, "title"),
        ({**PAPER, "texts": {}}, 422, "texts"),
        ({**PAPER, "kind": "novel"}, 422, "unknown document kind"),
        ({**PAPER, "priority_area": "ZZZ-9"}, 422, "unknown priority area"),
        ({**PAPER, "texts": {"fr": "Texte"}}, 422, "working language"),
        ({k: v for k, v in PAPER.items() if k != "priority_area"}, 422, "priority area"),
        ([PAPER], 422, "object"),
    ],
)
def test_bodies_that_break_the_schema_or_the_rules_are_422(roles, body, status, fragment):
    response = roles.coordinator.post("/documents", body)
    assert response.status_code == status
    problem = response.get_json()
    assert fragment in (problem["detail"] + str(problem.get("errors", "")))


def test_malformed_json_is_400_and_other_media_415(roles):
    headers = {"Content-Type": "application/json"}
    response = roles.coordinator.post("/documents", data='{"kind": ', headers=headers)
    assert response.status_code == 400 and "not valid JSON" in response.get_json()["detail"]
    assert roles.coordinator.post("/documents", data="", headers=headers).status_code == 400
    form = roles.coordinator.post("/documents", data={"kind": "concept_paper"})
    assert form.status_code == 415


def test_a_new_version_voids_open_rounds_and_moves_the_etag(roles, swg_round):
    document_id = swg_round["document_id"]
    before = roles.coordinator.get(f"/documents/{document_id}").headers["ETag"]
    response = roles.coordinator.post(
        f"/documents/{document_id}/versions",
        {"texts": TEXTS, "note": "Rev.2"},
        headers={"If-Match": before},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["label"] == "Rev.1"  # the second text is the first revision
    assert response.headers["Location"].endswith(f"/documents/{document_id}/versions/2")
    assert roles.coordinator.get(f"/documents/{document_id}").headers["ETag"] != before
    assert roles.observer.ok("GET", f"/documents/{document_id}/versions/2")["note"] == "Rev.2"
    assert roles.observer.get(f"/documents/{document_id}/versions/3").status_code == 404
    voided = roles.observer.ok("GET", f"/rounds/{swg_round['id']}")
    assert voided["status"] == "closed" and voided["outcome"]["kind"] == "void"
    versions = roles.observer.ok("GET", f"/documents/{document_id}/versions")["items"]
    assert [v["number"] for v in versions] == [1, 2]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("observer", 403),
        ("other_delegate", 403),
        ("state_delegate", 403),
        ("secretariat", 403),
        ("admin", 403),
        ("coordinator", 201),
    ],
)
def test_who_may_add_a_version(roles, concept_paper, role, status):
    response = getattr(roles, role).post(
        f"/documents/{concept_paper['id']}/versions", {"texts": TEXTS}
    )
    assert response.status_code == status


def test_if_match_for_an_older_version_is_412_and_changes_nothing(roles, concept_paper):
    document_id = concept_paper["id"]
    stale = roles.coordinator.get(f"/documents/{document_id}").headers["ETag"]  # read before
    roles.coordinator.ok("POST", f"/documents/{document_id}/versions", {"texts": TEXTS}, status=201)
    current = roles.coordinator.get(f"/documents/{document_id}").headers["ETag"]
    for path, body in (
        (f"/documents/{document_id}/versions", {"texts": TEXTS}),
        (f"/documents/{document_id}/transitions", {"trigger": "submit"}),
    ):
        response = roles.coordinator.post(path, body, headers={"If-Match": stale})
        assert response.status_code == 412
        problem = response.get_json()
        assert problem["current_etag"] == current and response.headers["ETag"] == current
    after = roles.coordinator.ok("GET", f"/documents/{document_id}")
    assert after["state"] == "drafting" and after["current_version"] == 2
    weak = roles.coordinator.post(
        f"/documents/{document_id}/transitions",
        {"trigger": "submit"},
        headers={"If-Match": f"W/{current}"},
    )
    assert weak.status_code == 412  # If-Match compares strongly
    fired = roles.coordinator.post(
        f"/documents/{document_id}/transitions",
        {"trigger": "submit"},
        headers={"If-Match": current},
    )
    assert fired.status_code == 200 and fired.get_json()["state"] == "swg_review"


def test_a_system_trigger_cannot_be_fired_by_hand(roles, swg_round):
    for caller in (roles.coordinator, roles.secretariat):
        response = caller.post(
            f"/documents/{swg_round['document_id']}/transitions", {"trigger": "swg_agree"}
        )
        assert response.status_code == 403


def test_a_refused_trigger_says_which_are_allowed(roles, concept_paper):
    response = roles.coordinator.post(
        f"/documents/{concept_paper['id']}/transitions", {"trigger": "publish"}
    )
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["allowed_triggers"] == ["submit", "withdraw"]
    assert problem["trigger"] == "publish" and problem["state"] == "drafting"
    assert problem["type"].endswith("trigger-not-allowed")


def test_a_failed_guard_is_409_with_its_name(roles):
    paper = roles.coordinator.ok(
        "POST", "/documents", {k: v for k, v in PAPER.items() if k != "texts"}, status=201
    )
    response = roles.coordinator.post(
        f"/documents/{paper['id']}/transitions", {"trigger": "submit"}
    )
    assert response.status_code == 409
    assert response.get_json()["guard"] == "has_version"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("observer", 403),
        ("other_delegate", 403),
        ("state_delegate", 403),
        ("secretariat", 403),
        ("admin", 403),
        ("coordinator", 200),
    ],
)
def test_who_may_fire_submit(roles, concept_paper, role, status):
    response = getattr(roles, role).post(
        f"/documents/{concept_paper['id']}/transitions", {"trigger": "submit"}
    )
    assert response.status_code == status


def test_unknown_trigger_parameters_are_422(roles, concept_paper):
    response = roles.coordinator.post(
        f"/documents/{concept_paper['id']}/transitions",
        {"trigger": "submit", "params": {"colour": "red"}},
    )
    assert response.status_code == 422 and "colour" in response.get_json()["detail"]


def test_a_transition_can_open_the_next_round_in_the_same_change(roles, concept_paper, session):
    document_id = concept_paper["id"]
    refused = roles.coordinator.post(
        f"/documents/{document_id}/transitions", {"trigger": "submit", "round": {"mode": "meeting"}}
    )
    assert refused.status_code == 403  # only the Secretariat opens rounds: nothing happened
    assert roles.coordinator.ok("GET", f"/documents/{document_id}")["state"] == "drafting"
    outcome_doc = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "outcome_document",
            "title": "Statement",
            "title_ru": "Документ",
            "target_body": "MC",
            "texts": TEXTS,
        },
        status=201,
    )
    moved = roles.secretariat.ok(
        "POST",
        f"/documents/{outcome_doc['id']}/transitions",
        {"trigger": "submit", "round": {"mode": "meeting"}},
    )
    assert moved["state"] == "swg_readings"
    assert moved["rounds"][0]["status"] == "open" and moved["rounds"][0]["body"] == "SWG"


def test_search_finds_words_of_either_language_best_first_and_only_what_is_shared(roles):
    texts = {"en": "Observers attend the exercise.", "ru": "Наблюдатели посещают семинар."}
    in_text = roles.coordinator.ok(
        "POST", "/documents", {**PAPER, "title": "Exercises", "texts": texts}, status=201
    )
    in_title = roles.coordinator.ok(
        "POST",
        "/documents",
        {**PAPER, "title": "Observer seminar", "title_ru": "Семинар наблюдателей"},
        status=201,
    )
    roles.coordinator.ok(
        "POST", "/documents", {**PAPER, "texts": texts, "restricted": True}, status=201
    )
    for q in ("observers", "семинара", "наблюдатель"):
        listed = roles.observer.ok("GET", f"/documents?q={q}")
        assert [d["id"] for d in listed["items"]] == [in_title["id"], in_text["id"]], q
        assert listed["total"] == 2
    assert roles.other_delegate.ok("GET", "/documents?q=observers")["total"] == 3
    symbol = in_text["symbol"]
    assert [d["id"] for d in roles.observer.ok("GET", f"/documents?q={symbol}")["items"]] == [
        in_text["id"]
    ]
    assert roles.observer.ok("GET", "/documents?q=%25")["total"] == 0
    assert roles.observer.ok("GET", "/documents?q=_")["total"] == 0
