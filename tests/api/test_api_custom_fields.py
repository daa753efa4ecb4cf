"""The API takes and gives the fields a definition declares; a bad value is a 422 naming it."""

from __future__ import annotations

from api_helpers import TEXTS

BODY = {
    "kind": "mandate_extension",
    "title": "Extension of the mandate",
    "title_ru": "Продление мандата",
    "texts": TEXTS,
    "fields": {"state_concerned": "TJK", "mandate_end": "2025-06-30"},
}


def test_fields_are_given_on_creation_and_changed_by_patch(roles, with_mandates):
    created = roles.secretariat.ok("POST", "/documents", BODY, status=201)
    assert created["fields"] == {"state_concerned": "TJK", "mandate_end": "2025-06-30"}
    path = f"/documents/{created['id']}/fields"
    changed = roles.secretariat.ok("PATCH", path, {"fields": {"unified_budget": 900}})
    assert changed["fields"]["unified_budget"] == "900.00"
    assert changed["history"][-1]["action"] == "fields_changed"
    refused = roles.secretariat.send("PATCH", path, {"fields": {"mandate_end": "soon"}})
    assert refused.status_code == 422
    assert "mandate_end: 'soon' is not a date" in refused.get_json()["detail"]
    assert roles.coordinator.send("PATCH", path, {"fields": {"remarks": "x"}}).status_code == 403


def test_a_missing_required_field_is_422(roles, with_mandates):
    response = roles.secretariat.post(
        "/documents", {**BODY, "fields": {"mandate_end": "2025-06-30"}}
    )
    assert response.status_code == 422
    assert "state_concerned is required" in response.get_json()["detail"]
