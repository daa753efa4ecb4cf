"""The API keeps the working languages in step: a version changing one language's text only
needs `circulate_unchanged`, and a document gives the texts left behind in `texts_behind`."""

from __future__ import annotations

from api_helpers import TEXTS


def test_a_version_leaving_the_russian_text_unchanged_needs_the_confirmation(roles, concept_paper):
    path = f"/documents/{concept_paper['id']}"
    assert roles.coordinator.ok("GET", path)["texts_behind"] == {}
    body = {"texts": {"en": "The amended text.", "ru": TEXTS["ru"]}}
    refused = roles.coordinator.post(f"{path}/versions", body)
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    problem = refused.get_json()
    assert problem["type"].endswith(":texts-out-of-step")
    assert problem["unchanged_languages"] == ["ru"]
    assert "RU text is unchanged" in problem["detail"]
    assert roles.coordinator.ok("GET", path)["current_version"] == 1  # nothing circulated

    in_russian = roles.coordinator.post(
        f"{path}/versions", body, headers={"Accept-Language": "ru"}
    ).get_json()
    assert in_russian["detail"].startswith("текст (RU) не изменён")

    roles.coordinator.ok(
        "POST", f"{path}/versions", {**body, "circulate_unchanged": True}, status=201
    )
    document = roles.observer.ok("GET", path)
    assert document["current_version"] == 2
    assert document["texts_behind"] == {"ru": "original"}

    roles.coordinator.ok(
        "POST", f"{path}/versions", {"texts": {"en": "Again.", "ru": TEXTS["ru"]},
        "circulate_unchanged": True}, status=201,
    )
    assert roles.observer.ok("GET", path)["texts_behind"] == {"ru": "original"}

    # A later version that brings the Russian text in: in step again.
    roles.coordinator.ok(
        "POST", f"{path}/versions", {"texts": {"en": "Again.", "ru": "Снова."}}, status=201
    )
    assert roles.observer.ok("GET", path)["texts_behind"] == {}


def test_the_confirmation_is_a_boolean(roles, concept_paper):
    response = roles.coordinator.post(
        f"/documents/{concept_paper['id']}/versions",
        {"texts": {"en": "Amended."}, "circulate_unchanged": "yes"},
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
