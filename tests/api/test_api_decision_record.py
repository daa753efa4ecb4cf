"""The decision record through the API: dates of acts, the register, applicants, the Catalogue
and capitals' confirmations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from api_helpers import STATE, TEXTS

from workflow import clock

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen_at(NOW):
        yield


def application(roles, received_on="2025-01-15") -> dict:
    created = roles.secretariat.ok(
        "POST",
        "/documents",
        {
            "kind": "observer_application",
            "title": "EEC",
            "title_ru": "Документ",
            "applicant": "EEC",
            "texts": TEXTS,
            "taken_on": received_on,
        },
        status=201,
    )
    for trigger in ("begin_check", "forward_to_soc"):
        roles.secretariat.ok(
            "POST",
            f"/documents/{created['id']}/transitions",
            {"trigger": trigger, "taken_on": received_on},
        )
    return created


def test_a_past_meeting_s_decision_through_the_api(roles):
    created = application(roles)
    assert created["symbol"].endswith("/25") and created["submitted_on"] == "2025-01-15"
    opened = roles.secretariat.ok(
        "POST",
        f"/documents/{created['id']}/rounds",
        {"mode": "meeting", "on_consensus": "soc_grant"},
        status=201,
    )
    closed = roles.secretariat.ok(
        "POST", f"/rounds/{opened['id']}/close", {"note": "SOC", "taken_on": "2025-02-20"}
    )
    assert closed["decided_on"] == "2025-02-20" and closed["on_consensus"] == "soc_grant"
    document = roles.observer.ok("GET", f"/documents/{created['id']}")
    assert document["state"] == "granted" and document["acted_on"] == "2025-02-20"
    [decision] = document["decisions"]
    assert decision["symbol"] == "SOC.DEC/1/25" and decision["taken_on"] == "2025-02-20"
    closing = [e for e in document["history"] if e["action"] == "round_closed"][0]
    assert closing["taken_on"] == "2025-02-20" and closing["at"].startswith("2025-03-10")
    listed = roles.observer.ok("GET", "/decisions?body=SOC&year=2025")
    assert [d["symbol"] for d in listed["items"]] == ["SOC.DEC/1/25"]
    one = roles.observer.ok("GET", f"/decisions/{decision['id']}")
    assert one["document_title"] == "EEC" and one["status"] == "final"
    eec = roles.observer.ok("GET", "/participants/EEC")
    assert eec["status"] == "observer" and eec["status_history"][-1]["since"] == "2025-02-20"


@pytest.mark.parametrize(
    ("taken_on", "status", "words"),
    [
        ("2025-03-11", 422, "in the future"),
        ("2024-12-31", 422, "before the document's previous act"),
        ("20 February", 422, "taken_on"),
    ],
)
def test_a_bad_date_names_the_field_and_writes_nothing(roles, taken_on, status, words):
    created = application(roles)
    opened = roles.secretariat.ok(
        "POST", f"/documents/{created['id']}/rounds", {"mode": "meeting"}, status=201
    )
    refused = roles.secretariat.post(f"/rounds/{opened['id']}/close", {"taken_on": taken_on})
    assert refused.status_code == status
    assert words in refused.get_json()["detail"]
    assert roles.secretariat.ok("GET", f"/rounds/{opened['id']}")["status"] == "open"


def test_a_delegate_may_not_date_an_act(roles, concept_paper):
    refused = roles.coordinator.post(
        f"/documents/{concept_paper['id']}/transitions",
        {"trigger": "submit", "taken_on": "2025-03-01"},
    )
    assert refused.status_code == 403 and "only the Secretariat" in refused.get_json()["detail"]


def test_registering_an_applicant(roles):
    body = {"code": "OMN", "kind": "state", "name_en": "Oman", "name_ru": "Оман"}
    created = roles.secretariat.ok("POST", "/participants", body, status=201)
    assert (
        created["status"] == "applicant" and created["status_history"][0]["since"] == "2025-03-10"
    )
    again = roles.secretariat.post("/participants", body)
    assert again.status_code == 409 and "already registered" in again.get_json()["detail"]
    assert roles.state_delegate.post("/participants", {**body, "code": "YEM"}).status_code == 403
    bad = roles.secretariat.post("/participants", {**body, "code": "QQQ"})
    assert bad.status_code == 422 and "ISO 3166" in bad.get_json()["detail"]


def test_the_catalogue_resources(roles):
    catalogue = roles.observer.ok("GET", "/catalogue")
    assert catalogue["number"] == 1 and catalogue["adopted_on"] == "2021-10-12"
    assert len(catalogue["areas"]) == 18 and len(catalogue["dimensions"]) == 5
    assert roles.observer.ok("GET", "/catalogue/editions/1")["number"] == 1
    assert roles.observer.get("/catalogue/editions/7").status_code == 404
    compared = roles.observer.ok("GET", "/catalogue/compare?from=1&to=1")
    assert compared["differences"] == []
    assert roles.observer.get("/catalogue/compare?from=1").status_code == 400


def test_an_amendment_naming_an_unknown_area_is_refused(roles):
    amendment = roles.state_delegate.ok(
        "POST",
        "/documents",
        {
            "kind": "catalogue_amendment",
            "title": "A",
            "title_ru": "Документ",
            "proposer": STATE,
            "texts": TEXTS,
        },
        status=201,
    )
    change = {"op": "retire_area", "code": "ZZZ-1"}
    refused = roles.state_delegate.send(
        "PUT", f"/documents/{amendment['id']}/catalogue-changes", {"changes": [change]}
    )
    assert refused.status_code == 422 and "ZZZ-1" in refused.get_json()["detail"]


def test_capitals_confirm_through_the_api(roles, swg_round):
    roles.state_delegate.ok(
        "POST",
        f"/rounds/{swg_round['id']}/positions",
        {"participant": STATE, "kind": "consent_ad_referendum"},
        status=201,
    )
    closed = roles.secretariat.ok("POST", f"/rounds/{swg_round['id']}/close", {})
    assert closed["outcome"]["kind"] == "ad_referendum"
    assert closed["outcome"]["ad_referendum"] == [STATE]
    assert [c["status"] for c in closed["confirmations"]] == ["pending"]
    answered = roles.state_delegate.ok(
        "POST",
        f"/rounds/{swg_round['id']}/confirmations",
        {"participant": STATE, "confirm": True},
        status=201,
    )
    assert answered["outcome"]["kind"] == "consensus"
    assert [c["status"] for c in answered["confirmations"]] == ["confirmed"]
