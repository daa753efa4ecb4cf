"""ETags: each changes when, and only when, the representation it tags changes;
If-Match refuses a change made on a representation that is no longer current."""

from __future__ import annotations

import re

from api_helpers import OTHER_STATE, STATE

STRONG_TAG = re.compile(r'^"[0-9a-f]{32}"$')


def tag(caller, path: str) -> str:
    response = caller.get(path)
    assert response.status_code == 200, response.get_json()
    assert STRONG_TAG.match(response.headers["ETag"]), response.headers["ETag"]
    return response.headers["ETag"]


def record(caller, round_id: int, participant: str, headers: dict | None = None):
    return caller.post(
        f"/rounds/{round_id}/positions",
        {"participant": participant, "kind": "consent"},
        headers=headers,
    )


def test_a_recorded_position_moves_the_tags_of_its_round_and_document(roles, swg_round):
    round_path, document_path = (
        f"/rounds/{swg_round['id']}",
        f"/documents/{swg_round['document_id']}",
    )
    round_before = tag(roles.secretariat, round_path)
    document_before = tag(roles.secretariat, document_path)
    assert tag(roles.secretariat, round_path) == round_before  # read again: the same tag

    answered = record(roles.state_delegate, swg_round["id"], STATE)
    assert answered.status_code == 201

    round_after = tag(roles.secretariat, round_path)
    assert round_after != round_before
    assert tag(roles.secretariat, document_path) != document_before
    # The reply carries the tag of the round it returns, the same a read gives.
    assert tag(roles.state_delegate, round_path) == answered.headers["ETag"]


def test_a_tag_stays_while_its_representation_does(roles, swg_round, concept_paper):
    """Changes elsewhere, even in the same document, leave a round's tag as it was."""
    closed = roles.secretariat.ok("POST", f"/rounds/{swg_round['id']}/close", {})
    assert closed["status"] == "closed"
    round_path = f"/rounds/{swg_round['id']}"
    before = tag(roles.secretariat, round_path)
    other = roles.coordinator.ok(
        "POST", "/documents", {**_paper(concept_paper), "title": "Another paper"}, status=201
    )
    roles.coordinator.ok("POST", f"/documents/{other['id']}/transitions", {"trigger": "submit"})
    # The same document moves on: the SOC opens its own round on it, a state answers there.
    document_path = f"/documents/{swg_round['document_id']}"
    document_before = tag(roles.secretariat, document_path)
    soc = roles.secretariat.ok("POST", f"{document_path}/rounds", {"mode": "meeting"}, status=201)
    assert record(roles.state_delegate, soc["id"], STATE).status_code == 201
    assert tag(roles.secretariat, document_path) != document_before
    assert tag(roles.secretariat, round_path) == before


def test_if_match_refuses_a_position_on_a_round_that_changed(roles, swg_round):
    round_path = f"/rounds/{swg_round['id']}"
    read = tag(roles.state_delegate, round_path)
    assert record(roles.other_delegate, swg_round["id"], OTHER_STATE).status_code == 201

    refused = record(roles.state_delegate, swg_round["id"], STATE, {"If-Match": read})
    assert refused.status_code == 412
    current = tag(roles.state_delegate, round_path)
    assert refused.get_json()["current_etag"] == current == refused.headers["ETag"]
    positions = roles.secretariat.ok("GET", round_path)["positions"]
    assert [p["participant"] for p in positions] == [OTHER_STATE]  # nothing written

    accepted = record(roles.state_delegate, swg_round["id"], STATE, {"If-Match": current})
    assert accepted.status_code == 201
    # Weak tags never match, and a tag of another representation does not either.
    for stale in (f"W/{accepted.headers['ETag']}", current):
        assert (
            record(roles.state_delegate, swg_round["id"], STATE, {"If-Match": stale}).status_code
            == 412
        )


def test_if_match_on_a_document_is_checked_against_its_representation(roles, swg_round):
    document_path = f"/documents/{swg_round['document_id']}"
    read = tag(roles.coordinator, document_path)
    assert record(roles.state_delegate, swg_round["id"], STATE).status_code == 201
    # A position moved the document's representation (its round and history): stale.
    refused = roles.coordinator.post(
        f"{document_path}/versions", {"texts": {"en": "Rev.1"}}, headers={"If-Match": read}
    )
    assert refused.status_code == 412
    assert refused.get_json()["current_etag"] == tag(roles.coordinator, document_path)


def _paper(concept_paper: dict) -> dict:
    return {
        "kind": "concept_paper",
        "title": concept_paper["title"],
        "title_ru": "Документ",
        "priority_area": "ENV-1",
        "texts": {"en": "A text.", "ru": "Текст."},
    }
