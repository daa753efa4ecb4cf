"""The API's translations: the Secretariat adds or corrects one language's text of the
current version; the version, its open round and the positions given in it stay."""

from __future__ import annotations

from api_helpers import TEXTS

STATE = "KAZ"


def test_the_secretariat_declares_a_translation_and_the_round_stays(roles, swg_round):
    document_path = f"/documents/{swg_round['document_id']}"
    round_path = f"/rounds/{swg_round['id']}"
    roles.secretariat.ok(
        "POST",
        f"{round_path}/positions",
        {"participant": STATE, "kind": "consent", "reference": "NV/1"},
        status=201,
    )
    read = roles.secretariat.get(document_path).headers["ETag"]
    answer = roles.secretariat.send(
        "POST",
        f"{document_path}/translations",
        {"language": "ru", "text": "Исправленный перевод.", "note": "corrected"},
        headers={"If-Match": read},
    )
    assert answer.status_code == 200, answer.get_json()
    version = answer.get_json()
    assert version["number"] == 1 and version["texts"]["ru"] == "Исправленный перевод."
    assert version["texts"]["en"] == TEXTS["en"]
    assert version["arrivals"]["ru"]["declared_by"] is not None
    assert version["arrivals"]["en"]["declared_by"] is None
    assert answer.headers["ETag"]
    document = roles.observer.ok("GET", document_path)
    assert document["current_version"] == 1
    round_ = roles.secretariat.ok("GET", round_path)
    assert round_["status"] == "open"
    assert [p["participant"] for p in round_["positions"]] == [STATE]
    # The page read before the translation is stale now.
    stale = roles.secretariat.send(
        "POST",
        f"{document_path}/translations",
        {"language": "ru", "text": "Ещё."},
        headers={"If-Match": read},
    )
    assert stale.status_code == 412


def test_a_delegate_may_not_declare_a_translation(roles, concept_paper):
    path = f"/documents/{concept_paper['id']}/translations"
    refused = roles.coordinator.post(path, {"language": "ru", "text": "Перевод."})
    assert refused.status_code == 403
    assert "only the Secretariat may declare a translation" in refused.get_json()["detail"]
    versions = roles.coordinator.ok("GET", f"/documents/{concept_paper['id']}/versions")
    assert versions["items"][0]["texts"]["ru"] == TEXTS["ru"]


def test_bad_translations_answer_a_problem(roles, concept_paper):
    path = f"/documents/{concept_paper['id']}/translations"
    for body in (
        {"language": "fr", "text": "Texte."},
        {"language": "ru", "text": TEXTS["ru"]},
        {"language": "ru"},
        {"language": "ru", "text": ""},
    ):
        refused = roles.secretariat.post(path, body)
        assert refused.status_code == 422, body
        assert refused.content_type == "application/problem+json"
