"""Rounds: open, read, positions (also on a state's behalf), close, extend; pending decisions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from api_helpers import OTHER_STATE, STATE, TEXTS

from workflow import clock

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen_at(NOW):
        yield


def submitted(roles, concept_paper) -> int:
    roles.coordinator.ok(
        "POST", f"/documents/{concept_paper['id']}/transitions", {"trigger": "submit"}
    )
    return concept_paper["id"]


def at_soc(roles, swg_round) -> int:
    """Agree in the SWG: the paper reaches the SOC, which may decide under silence."""
    roles.secretariat.ok("POST", f"/rounds/{swg_round['id']}/close", {})
    return swg_round["document_id"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("observer", 403),
        ("other_delegate", 403),
        ("state_delegate", 403),
        ("coordinator", 403),
        ("admin", 403),
        ("secretariat", 201),
    ],
)
def test_only_the_secretariat_opens_a_round(roles, concept_paper, role, status):
    document_id = submitted(roles, concept_paper)
    response = getattr(roles, role).post(f"/documents/{document_id}/rounds", {"mode": "meeting"})
    assert response.status_code == status
    if status == 201:
        opened = response.get_json()
        assert response.headers["Location"] == f"/api/v1/rounds/{opened['id']}"
        assert opened["body"] == "SWG" and len(opened["electorate"]) == 28
        assert opened["awaiting"] == opened["electorate"] and opened["version"] == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"mode": "silence"}, 422),  # the SWG meets; it has no silence procedure
        ({"mode": "meeting", "deadline": "2025-04-01T12:00:00+05:00"}, 422),
        ({"mode": "vote"}, 422),
        ({}, 422),
    ],
)
def test_round_opening_rules(roles, concept_paper, body, status):
    document_id = submitted(roles, concept_paper)
    assert roles.secretariat.post(f"/documents/{document_id}/rounds", body).status_code == status


def test_no_round_outside_a_round_state_and_one_at_a_time(roles, concept_paper):
    drafting = roles.secretariat.post(
        f"/documents/{concept_paper['id']}/rounds", {"mode": "meeting"}
    )
    assert drafting.status_code == 409 and drafting.get_json()["guard"] == "round"
    submitted(roles, concept_paper)
    roles.secretariat.ok(
        "POST", f"/documents/{concept_paper['id']}/rounds", {"mode": "meeting"}, status=201
    )
    again = roles.secretariat.post(f"/documents/{concept_paper['id']}/rounds", {"mode": "meeting"})
    assert again.status_code == 409 and "still open" in again.get_json()["detail"]


@pytest.mark.parametrize(
    ("role", "participant", "extra", "status"),
    [
        ("anonymous", STATE, {}, 401),
        ("observer", STATE, {}, 403),
        ("other_delegate", STATE, {}, 403),
        ("coordinator", STATE, {}, 403),
        ("admin", STATE, {}, 403),
        ("secretariat", STATE, {}, 422),  # on a state's behalf: the note verbale is required
        ("state_delegate", STATE, {}, 201),
        ("other_delegate", OTHER_STATE, {}, 201),
        ("secretariat", STATE, {"reference": "NV/2025/117"}, 201),
    ],
)
def test_who_may_record_a_states_position(roles, swg_round, role, participant, extra, status):
    response = getattr(roles, role).post(
        f"/rounds/{swg_round['id']}/positions",
        {"participant": participant, "kind": "consent", **extra},
    )
    assert response.status_code == status, response.get_json()
    if status == 201:
        round_ = response.get_json()
        [position] = round_["positions"]
        assert position["participant"] == participant and participant not in round_["awaiting"]
        expected = "note_verbale" if role == "secretariat" else "delegate"
        assert position["channel"] == expected and position["reference"] == extra.get(
            "reference", ""
        )


def test_a_changed_position_keeps_the_earlier_one(roles, swg_round):
    path = f"/rounds/{swg_round['id']}/positions"
    roles.state_delegate.ok(
        "POST", path, {"participant": STATE, "kind": "objection", "text": "Para 2"}, status=201
    )
    changed = roles.state_delegate.ok(
        "POST",
        path,
        {"participant": STATE, "kind": "consent_with_statement", "text": "On para 2"},
        status=201,
    )
    # The round carries the position that counts; the earlier one is in its history.
    assert [(p["kind"], p["is_current"]) for p in changed["positions"]] == [
        ("consent_with_statement", True)
    ]
    history = roles.observer.ok("GET", path)["items"]  # newest first
    assert [(p["kind"], p["is_current"]) for p in history] == [
        ("consent_with_statement", True),
        ("objection", False),
    ]
    closed = roles.secretariat.ok("POST", f"/rounds/{swg_round['id']}/close", {"note": "SWG 12th"})
    assert closed["outcome"]["kind"] == "consensus"
    assert closed["outcome"]["statements"] == [
        {"participant": STATE, "text": "On para 2", "channel": "delegate"}
    ]
    document = roles.observer.ok("GET", f"/documents/{swg_round['document_id']}")
    assert (
        document["state"] == "soc_consideration"
        and document["outcome"]["round_id"] == swg_round["id"]
    )


def test_a_rounds_answer_does_not_grow_with_changes_and_its_history_pages(roles, swg_round):
    path = f"/rounds/{swg_round['id']}/positions"
    kinds = ("consent", "stand_aside")
    sizes = []
    for i in range(6):
        reply = roles.state_delegate.post(path, {"participant": STATE, "kind": kinds[i % 2]})
        assert reply.status_code == 201
        sizes.append(len(reply.get_data()))
        assert [p["participant"] for p in reply.get_json()["positions"]] == [STATE]
    assert max(sizes) - min(sizes) < 40  # a kind's name and an id's digits, no history

    first = roles.observer.ok("GET", f"{path}?per_page=4")
    assert [p["kind"] for p in first["items"]] == ["stand_aside", "consent"] * 2
    assert first["page"] == 1 and first["next"].endswith("page=2")
    second = roles.observer.ok("GET", first["next"].split("/api/v1", 1)[1])
    assert len(second["items"]) == 2 and second["next"] is None
    assert [p["is_current"] for p in first["items"] + second["items"]] == [True] + [False] * 5
    assert roles.observer.get(f"/rounds/{swg_round['id'] + 1000}/positions").status_code == 404
    assert roles.observer.get(f"{path}?per_page=0").status_code == 400


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"participant": STATE, "kind": "objection"}, "grounds"),
        ({"participant": STATE, "kind": "reservation", "text": " "}, "reservation"),
        ({"participant": STATE, "kind": "consent", "amendment": "x"}, "amendment"),
        ({"participant": "ZZZ", "kind": "consent"}, "unknown participant"),
        ({"participant": STATE, "kind": "veto"}, "kind"),
    ],
)
def test_position_input_errors_are_422(roles, swg_round, body, fragment):
    response = roles.state_delegate.post(f"/rounds/{swg_round['id']}/positions", body)
    assert response.status_code == 422
    problem = response.get_json()
    assert fragment in problem["detail"] + str(problem.get("errors", ""))


def test_an_observer_state_is_not_in_the_electorate(roles, swg_round):
    response = roles.secretariat.post(
        f"/rounds/{swg_round['id']}/positions",
        {"participant": "JPN", "kind": "consent", "reference": "NV/1"},
    )
    assert response.status_code == 403 and "electorate" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("observer", 403),
        ("state_delegate", 403),
        ("coordinator", 403),
        ("admin", 403),
        ("secretariat", 200),
    ],
)
def test_only_the_secretariat_closes_a_meeting_round(roles, swg_round, role, status):
    response = getattr(roles, role).post(f"/rounds/{swg_round['id']}/close", {})
    assert response.status_code == status


def test_an_objection_at_the_close_sends_the_paper_back(roles, swg_round):
    roles.state_delegate.ok(
        "POST",
        f"/rounds/{swg_round['id']}/positions",
        {"participant": STATE, "kind": "objection", "text": "Para 3", "amendment": "Delete para 3"},
        status=201,
    )
    closed = roles.secretariat.ok("POST", f"/rounds/{swg_round['id']}/close", {})
    assert closed["outcome"]["kind"] == "no_consensus"
    assert closed["outcome"]["objections"][0]["amendment"] == "Delete para 3"
    assert (
        roles.coordinator.ok("GET", f"/documents/{swg_round['document_id']}")["state"] == "drafting"
    )
    late = roles.state_delegate.post(
        f"/rounds/{swg_round['id']}/positions", {"participant": STATE, "kind": "consent"}
    )
    assert late.status_code == 409 and late.get_json()["type"].endswith("round-closed")
    again = roles.secretariat.post(f"/rounds/{swg_round['id']}/close", {})
    assert again.status_code == 409


def test_silence_procedure_extended_then_broken(roles, swg_round):
    document_id = at_soc(roles, swg_round)
    deadline = "2025-03-20T18:00:00"
    silence = roles.secretariat.ok(
        "POST",
        f"/documents/{document_id}/rounds",
        {"mode": "silence", "deadline": deadline, "timezone": "Asia/Almaty"},
        status=201,
    )
    assert (
        silence["deadline_at"] == "2025-03-20T13:00:00Z"
        and silence["deadline_timezone"] == "Asia/Almaty"
    )
    by_hand = roles.secretariat.post(f"/rounds/{silence['id']}/close", {})
    assert by_hand.status_code == 422  # a silence procedure ends by its rules
    path = f"/rounds/{silence['id']}/extend"
    assert (
        roles.state_delegate.post(
            path, {"new_deadline": "2025-03-27T18:00:00", "reason": "x"}
        ).status_code
        == 403
    )
    assert roles.secretariat.post(path, {"new_deadline": "2025-03-27T18:00:00"}).status_code == 422
    earlier = roles.secretariat.post(path, {"new_deadline": "2025-03-15T18:00:00", "reason": "x"})
    assert earlier.status_code == 422
    extended = roles.secretariat.ok(
        "POST", path, {"new_deadline": "2025-03-27T18:00:00", "reason": "Nowruz"}
    )
    assert extended["deadline_at"] == "2025-03-27T13:00:00Z"
    broken = roles.other_delegate.ok(
        "POST",
        f"/rounds/{silence['id']}/positions",
        {"participant": OTHER_STATE, "kind": "objection", "text": "Not yet"},
        status=201,
    )
    assert broken["status"] == "closed" and broken["outcome"]["kind"] == "silence_broken"
    assert roles.coordinator.ok("GET", f"/documents/{document_id}")["state"] == "drafting"


def test_meeting_rounds_cannot_be_extended(roles, swg_round):
    response = roles.secretariat.post(
        f"/rounds/{swg_round['id']}/extend", {"new_deadline": "2025-04-01T12:00:00Z", "reason": "x"}
    )
    assert response.status_code == 422


def test_round_reads_and_visibility(roles, swg_round):
    for name, caller in roles.all().items():
        expected = 401 if name == "anonymous" else 200
        assert caller.get(f"/rounds/{swg_round['id']}").status_code == expected
    assert roles.observer.get("/rounds/987654").status_code == 404
    listed = roles.observer.ok("GET", f"/documents/{swg_round['document_id']}/rounds")["items"]
    assert [r["id"] for r in listed] == [swg_round["id"]]


def test_project_rounds_are_not_shown_to_observers(roles):
    """The PRC sits without observers: its rounds are hidden from them."""
    project = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "project_proposal",
            "title": "P",
            "title_ru": "Документ",
            "proposer": STATE,
            "budget": 10,
            "texts": TEXTS,
        },
        status=201,
    )
    for trigger in ("screen", "forward_to_prc"):
        roles.secretariat.ok(
            "POST", f"/documents/{project['id']}/transitions", {"trigger": trigger}
        )
    written = roles.secretariat.ok(
        "POST",
        f"/documents/{project['id']}/rounds",
        {"mode": "written", "deadline": "2025-04-01T12:00:00Z"},
        status=201,
    )
    assert roles.observer.get(f"/rounds/{written['id']}").status_code == 404
    assert roles.observer.get(f"/rounds/{written['id']}/positions").status_code == 404
    assert roles.observer.ok("GET", f"/documents/{project['id']}")["rounds"] == []
    assert roles.state_delegate.get(f"/rounds/{written['id']}").status_code == 200
    assert roles.state_delegate.get(f"/rounds/{written['id']}/positions").status_code == 200


def test_pending_decisions_by_role(roles, swg_round):
    assert roles.anonymous.get("/decisions/pending").status_code == 401
    assert roles.observer.get("/decisions/pending").status_code == 403
    assert roles.admin.get("/decisions/pending").status_code == 403
    mine = roles.state_delegate.ok("GET", "/decisions/pending")["items"]
    assert [(d["participant"], d["round_id"]) for d in mine] == [(STATE, swg_round["id"])]
    assert mine[0]["symbol"] and mine[0]["body"] == "SWG" and mine[0]["version"] == 1
    everyone = roles.secretariat.ok("GET", "/decisions/pending")["items"]
    assert len(everyone) == 28
    roles.state_delegate.ok(
        "POST",
        f"/rounds/{swg_round['id']}/positions",
        {"participant": STATE, "kind": "stand_aside"},
        status=201,
    )
    assert roles.state_delegate.ok("GET", "/decisions/pending")["items"] == []
    assert len(roles.secretariat.ok("GET", "/decisions/pending")["items"]) == 27
    assert len(roles.other_delegate.ok("GET", "/decisions/pending")["items"]) == 1


def test_if_match_guards_round_changes_too(roles, concept_paper, swg_round):
    path = f"/rounds/{swg_round['id']}"
    stale = roles.secretariat.get(path).headers["ETag"]
    roles.secretariat.ok(  # the round moves on: a position by note verbale
        "POST",
        f"{path}/positions",
        {"participant": OTHER_STATE, "kind": "consent", "reference": "NV/1"},
        status=201,
    )
    refused = roles.state_delegate.post(
        f"{path}/positions", {"participant": STATE, "kind": "consent"}, headers={"If-Match": stale}
    )
    assert refused.status_code == 412
    assert (
        roles.secretariat.post(f"{path}/close", {}, headers={"If-Match": stale}).status_code == 412
    )
    after = roles.secretariat.get(path)
    assert after.get_json()["status"] == "open"
    assert [p["participant"] for p in after.get_json()["positions"]] == [OTHER_STATE]
    current = after.headers["ETag"]
    assert (
        roles.secretariat.post(f"{path}/close", {}, headers={"If-Match": current}).status_code
        == 200
    )


def test_pending_decisions_come_a_page_at_a_time_with_filters(roles, swg_round):
    first = roles.secretariat.ok("GET", "/decisions/pending?per_page=10")
    assert len(first["items"]) == 10 and first["page"] == 1 and first["per_page"] == 10
    assert first["next"].endswith("page=2")
    seen = list(first["items"])
    url = first["next"]
    while url:
        page = roles.secretariat.ok("GET", url[url.index("/decisions") :])
        seen += page["items"]
        url = page["next"]
    assert len(seen) == 28 and len({d["participant"] for d in seen}) == 28
    only = roles.secretariat.ok("GET", f"/decisions/pending?state={STATE}")
    assert [d["participant"] for d in only["items"]] == [STATE] and only["next"] is None
    assert roles.secretariat.ok("GET", "/decisions/pending?body=SOC")["items"] == []
    assert len(roles.secretariat.ok("GET", "/decisions/pending?body=SWG")["items"]) == 28
    # a meeting has no deadline: it is "in session", never overdue
    assert roles.secretariat.ok("GET", "/decisions/pending?due=overdue")["items"] == []
    assert len(roles.secretariat.ok("GET", "/decisions/pending?due=session")["items"]) == 28
    assert roles.secretariat.get("/decisions/pending?due=soon").status_code == 400
    assert roles.secretariat.get("/decisions/pending?per_page=201").status_code == 400


def test_a_documents_rounds_and_history_come_a_page_at_a_time(roles, concept_paper, swg_round):
    document_id = concept_paper["id"]
    rounds = roles.state_delegate.ok("GET", f"/documents/{document_id}/rounds?per_page=1")
    assert [r["id"] for r in rounds["items"]] == [swg_round["id"]] and rounds["next"] is None
    history = roles.state_delegate.ok("GET", f"/documents/{document_id}/history?per_page=2")
    assert len(history["items"]) == 2 and history["next"].endswith("page=2")
    newest_first = [e["id"] for e in history["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    rest = roles.state_delegate.ok("GET", f"/documents/{document_id}/history?per_page=2&page=2")
    assert max(e["id"] for e in rest["items"]) < min(newest_first)
    assert roles.state_delegate.get(f"/documents/{document_id}/history?page=0").status_code == 400


def test_the_deadline_filter_offers_the_same_choices_everywhere():
    from typing import get_args

    from web.api.schemas import PendingQuery
    from web.labels import DUE_LABELS
    from workflow.queries import DUE_CHOICES

    offered = get_args(get_args(PendingQuery.model_fields["due"].annotation)[0])
    assert set(offered) == set(DUE_CHOICES) == set(DUE_LABELS)
