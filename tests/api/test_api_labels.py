"""Labels in both working languages where the API gives a state, a body or a participant."""

from __future__ import annotations

from api_helpers import STATE


def test_a_document_gives_its_state_s_titles_in_both_languages(roles, swg_round):
    document = roles.coordinator.ok("GET", f"/documents/{swg_round['document_id']}")
    assert document["state"] == "swg_review"
    assert document["state_title"] == "SWG review"
    assert document["state_titles"] == {"en": "SWG review", "ru": "Рассмотрение в СРГ"}
    submitted = next(e for e in document["history"] if e["to_state"] == "swg_review")
    assert submitted["from_state_titles"] == {"en": "Drafting", "ru": "Подготовка проекта"}
    assert submitted["to_state_titles"]["ru"] == "Рассмотрение в СРГ"
    listed = roles.coordinator.ok("GET", "/documents")["items"]
    assert listed[0]["state_titles"]["ru"] == "Рассмотрение в СРГ"


def test_a_round_names_its_body_state_and_participants_in_both_languages(roles, swg_round):
    round_ = roles.state_delegate.ok(
        "POST",
        f"/rounds/{swg_round['id']}/positions",
        {"participant": STATE, "kind": "consent"},
        status=201,
    )
    assert round_["body_names"] == {
        "en": "Special Working Group",
        "ru": "Специальная рабочая группа",
    }
    assert round_["document_state_titles"] == {"en": "SWG review", "ru": "Рассмотрение в СРГ"}
    [position] = round_["positions"]
    assert position["participant_names"] == {"en": "Kazakhstan", "ru": "Казахстан"}


def test_a_workflow_gives_its_titles_in_both_languages(roles):
    workflow = roles.coordinator.ok("GET", "/workflows/concept_paper")
    assert workflow["titles"] == {"en": "Concept paper", "ru": "Концептуальная записка"}
    drafting = next(s for s in workflow["states"] if s["name"] == "drafting")
    assert drafting["titles"]["ru"] == "Подготовка проекта"
    submit = next(t for t in workflow["transitions"] if t["trigger"] == "submit")
    assert submit["titles"] == {"en": "Submit to the SWG", "ru": "Представить в СРГ"}


def test_a_document_names_its_proposer_and_body_in_both_languages(roles):
    document = roles.state_delegate.ok(  # a delegate of Kazakhstan
        "POST",
        "/documents",
        {"kind": "outcome_document", "title": "Declaration", "title_ru": "Декларация",
         "proposer": STATE, "target_body": "MC"},
        status=201,
    )
    assert document["proposer_names"] == {"en": "Kazakhstan", "ru": "Казахстан"}
    assert document["target_body_names"]["ru"] == "Совет министров иностранных дел"
    assert document["applicant_names"] is None


def test_an_engine_refusal_names_the_state_in_the_request_s_language(roles, swg_round):
    refused = roles.other_delegate.post(
        f"/rounds/{swg_round['id']}/positions",
        {"participant": STATE, "kind": "consent"},
        headers={"Accept-Language": "ru"},
    )
    assert refused.status_code == 403
    assert "государства Казахстан" in refused.get_json()["detail"]
    english = roles.other_delegate.post(
        f"/rounds/{swg_round['id']}/positions", {"participant": STATE, "kind": "consent"}
    )
    assert "only delegates of Kazakhstan" in english.get_json()["detail"]
