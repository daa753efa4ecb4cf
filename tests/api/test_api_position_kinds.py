"""The API speaks the forum's kinds of position and channels: its OpenAPI description lists
them, and a position of another kind is refused."""

from __future__ import annotations

import pytest
from api_helpers import OTHER_STATE, STATE

from workflow import kinds, times

KINDS = [
    {"code": "agree", "meaning": "consent", "names": {"en": "Agree", "ru": "Согласие"}},
    {"code": "veto", "meaning": "objection", "requires_text": True,
     "names": {"en": "Veto", "ru": "Вето"}},
]
CHANNELS = [
    {"code": "delegate", "entered_by": "delegate"},
    {"code": "letter_of_the_chair", "entered_by": "secretariat",
     "names": {"en": "letter of the Chair", "ru": "письмо Председателя"}},
]


@pytest.fixture
def own_kinds(session):
    forum = times.forum(session)
    forum.position_kinds, forum.entry_channels = KINDS, CHANNELS
    session.commit()  # a savepoint: a refused request rolls back to here
    kinds.forget(session)


def test_the_description_lists_the_forum_s_codes(client, own_kinds):
    components = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert components["PositionCreate"]["properties"]["kind"]["enum"] == ["agree", "veto"]
    assert components["Position"]["properties"]["kind"]["enum"] == ["agree", "veto"]
    channel = components["PositionCreate"]["properties"]["channel"]
    assert channel["anyOf"][0]["enum"] == ["delegate", "letter_of_the_chair"]


def test_cica_s_description_lists_its_six_kinds(client):
    components = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert components["PositionCreate"]["properties"]["kind"]["enum"] == [
        "consent", "consent_with_statement", "reservation", "stand_aside", "objection",
        "consent_ad_referendum",
    ]


def test_positions_of_the_forum_s_kinds(roles, swg_round, own_kinds):
    path = f"/rounds/{swg_round['id']}/positions"
    refused = roles.other_delegate.post(path, {"participant": OTHER_STATE, "kind": "objection"})
    assert refused.status_code == 422 and "unknown kind of position" in refused.get_json()["detail"]
    no_grounds = roles.other_delegate.post(path, {"participant": OTHER_STATE, "kind": "veto"})
    assert no_grounds.status_code == 422
    round_ = roles.secretariat.ok(
        "POST", path, {"participant": STATE, "kind": "agree", "channel": "letter_of_the_chair"},
        status=201,
    )
    [position] = round_["positions"]
    assert (position["kind"], position["channel"], position["reference"]) == (
        "agree", "letter_of_the_chair", ""
    )
