"""Each of the seven processes taken from start to end through the API alone.

Trigger names come from config/workflows/*.toml. Rounds are opened and closed by
the Secretariat; delegates record their states' positions; the only step not
taken through the API is the entry into force of a convention, which the deadline
scheduler fires (as the system) when its date comes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import AREA, STATE, TEXTS

from workflow import clock, firing

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen_at(NOW):
        yield


def fire(caller, document_id: int, trigger: str, **extra) -> dict:
    return caller.ok("POST", f"/documents/{document_id}/transitions", {"trigger": trigger, **extra})


def agree(roles, document_id: int, *, mode: str = "meeting", consent_from=None) -> dict:
    """The body of the document's current state reaches consensus; returns the closed round."""
    opened = roles.secretariat.ok(
        "POST", f"/documents/{document_id}/rounds", {"mode": mode}, status=201
    )
    assert opened["status"] == "open" and opened["mode"] == mode
    (consent_from or roles.state_delegate).ok(
        "POST",
        f"/rounds/{opened['id']}/positions",
        {"participant": STATE, "kind": "consent"},
        status=201,
    )
    closed = roles.secretariat.ok("POST", f"/rounds/{opened['id']}/close", {"note": "agreed"})
    assert closed["outcome"]["kind"] == "consensus"
    return closed


def state_of(caller, document_id: int) -> str:
    return caller.ok("GET", f"/documents/{document_id}")["state"]


def test_concept_paper(roles):
    paper = roles.coordinator.ok(
        "POST",
        "/documents",
        {
            "kind": "concept_paper",
            "title": "Water",
            "title_ru": "Документ",
            "priority_area": AREA,
            "texts": TEXTS,
        },
        status=201,
    )
    assert paper["state"] == "drafting" and paper["permitted_triggers"] == ["submit", "withdraw"]
    fire(roles.coordinator, paper["id"], "submit")
    agree(roles, paper["id"])
    assert state_of(roles.coordinator, paper["id"]) == "soc_consideration"
    agree(roles, paper["id"])
    final = roles.coordinator.ok("GET", f"/documents/{paper['id']}")
    assert final["state"] == "approved" and final["permitted_triggers"] == []
    assert final["outcome"]["body"] == "SOC" and final["outcome"]["kind"] == "consensus"
    assert [r["body"] for r in final["rounds"]] == ["SOC", "SWG"]


def test_catalogue_amendment(roles):
    amendment = roles.state_delegate.ok(
        "POST",
        "/documents",
        {
            "kind": "catalogue_amendment",
            "title": "A new CBM",
            "title_ru": "Документ",
            "proposer": STATE,
            "texts": TEXTS,
        },
        status=201,
    )
    changes = [
        {
            "op": "add_measure",
            "area": "HUM-1",
            "text_en": "Volunteerism.",
            "text_ru": "Волонтерство.",
        }
    ]
    proposed = roles.state_delegate.ok(
        "PUT", f"/documents/{amendment['id']}/catalogue-changes", {"changes": changes}
    )
    assert proposed["changes"][0]["code"] == "HUM-1.1"  # numbered in its area
    fire(roles.state_delegate, amendment["id"], "submit")
    for body in ("SWG", "SOC", "MC"):
        assert agree(roles, amendment["id"])["body"] == body
    final = roles.observer.ok("GET", f"/documents/{amendment['id']}")
    assert final["state"] == "adopted"
    assert any("catalogue_edition" in event["data"] for event in final["history"])
    catalogue = roles.observer.ok("GET", "/catalogue")
    assert "HUM-1.1" in [m["code"] for m in catalogue["measures"]]


def test_observer_application(roles):
    application = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "observer_application",
            "title": "EEC",
            "title_ru": "Документ",
            "applicant": "EEC",
            "texts": TEXTS,
        },
        status=201,
    )
    fire(roles.secretariat, application["id"], "begin_check")
    fire(roles.secretariat, application["id"], "forward_to_soc")
    agree(roles, application["id"], mode="meeting")
    agree(roles, application["id"])
    assert state_of(roles.secretariat, application["id"]) == "granted"
    eec = roles.observer.ok("GET", "/participants/EEC")
    assert eec["status"] == "observer" and eec["status_history"][-1]["status"] == "observer"


def test_admission(roles):
    admission = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "admission",
            "title": "Admission of Malaysia",
            "title_ru": "Документ",
            "applicant": "MYS",
            "texts": TEXTS,
        },
        status=201,
    )
    dates = {"declaration_signed_on": "2024-05-02", "almaty_act_signed_on": "2024-05-03"}
    fire(roles.secretariat, admission["id"], "record_signatures", params=dates)
    fire(roles.secretariat, admission["id"], "forward_to_soc")
    agree(roles, admission["id"])
    summit = agree(roles, admission["id"])
    assert summit["body"] == "SUMMIT" and "MYS" not in summit["electorate"]
    assert state_of(roles.secretariat, admission["id"]) == "admitted"
    assert roles.admin.ok("GET", "/participants/MYS")["status"] == "member"


def test_project_proposal(roles):
    project = roles.state_delegate.ok(
        "POST",
        "/documents",
        {
            "kind": "project_proposal",
            "title": "Training centre",
            "title_ru": "Документ",
            "proposer": STATE,
            "budget": "100000.00",
            "texts": TEXTS,
        },
        status=201,
    )
    assert project["budget"] == "100000.00"
    fire(roles.secretariat, project["id"], "screen")
    fire(roles.secretariat, project["id"], "forward_to_prc")
    agree(roles, project["id"])
    fire(roles.secretariat, project["id"], "open_funding")
    roles.state_delegate.ok(
        "POST", f"/documents/{project['id']}/pledges", {"amount": 60000, "donor": STATE}, status=201
    )
    refused = roles.secretariat.post(
        f"/documents/{project['id']}/transitions", {"trigger": "start_implementation"}
    )
    assert refused.status_code == 409 and refused.get_json()["guard"] == "pledges_cover_budget"
    roles.secretariat.ok(
        "POST",
        f"/documents/{project['id']}/pledges",
        {"amount": "40000", "donor_name": "UNODC"},
        status=201,
    )
    fire(roles.secretariat, project["id"], "start_implementation")
    fire(roles.secretariat, project["id"], "complete")
    final = roles.secretariat.ok("GET", f"/documents/{project['id']}")
    assert final["state"] == "completed"
    assert [p["amount"] for p in final["pledges"]] == ["60000.00", "40000.00"]


@pytest.mark.parametrize(("target", "last_body"), [("MC", "MC"), ("SUMMIT", "SUMMIT")])
def test_outcome_document(roles, target, last_body):
    document = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "outcome_document",
            "title": "Declaration",
            "title_ru": "Документ",
            "target_body": target,
            "texts": TEXTS,
        },
        status=201,
    )
    fire(roles.secretariat, document["id"], "submit")
    bodies = [agree(roles, document["id"])["body"] for _ in range(3)]
    assert bodies == ["SWG", "SOC", last_body]
    fire(roles.secretariat, document["id"], "publish")
    assert state_of(roles.secretariat, document["id"]) == "published"


def test_convention(roles, session):
    convention = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "convention",
            "title": "Privileges and immunities",
            "title_ru": "Документ",
            "threshold": 3,
            "texts": TEXTS,
        },
        status=201,
    )
    path = f"/documents/{convention['id']}/instruments"
    deposits = [
        ("KAZ", "signature", "2024-01-05"),
        ("KAZ", "ratification", "2024-06-01"),
        ("CHN", "accession", "2024-07-01"),
        ("IND", "approval", "2025-03-01"),
    ]
    for code, kind, day in deposits:
        roles.secretariat.ok(
            "POST", path, {"participant": code, "kind": kind, "deposited_on": day}, status=201
        )
    scheduled = roles.secretariat.ok("GET", f"/documents/{convention['id']}")
    assert scheduled["state"] == "entry_into_force_scheduled"
    assert scheduled["attributes"]["entry_into_force_on"] == "2025-03-31"

    # The scheduler (the system) fires the entry into force when its date comes.
    later = NOW + timedelta(days=30)
    for due_id in firing.overdue_ids(session, later):
        firing.fire_due(session, due_id, now=later)
    session.commit()
    final = roles.observer.ok("GET", f"/documents/{convention['id']}")
    assert final["state"] == "in_force"
    assert [i["effective_on"] for i in final["instruments"] if i["kind"] != "signature"] == [
        "2025-03-31",
        "2025-03-31",
        "2025-03-31",
    ]
