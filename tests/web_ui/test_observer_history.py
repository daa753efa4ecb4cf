"""Observers never see a round of a body they do not attend: not in the history either."""

from __future__ import annotations

import pytest
from web_helpers import NOW, sign_in

from models import PositionKind, RoundMode
from workflow import clock, operations
from workflow.tokens import create_token

GROUNDS = "Grounds meant for the PRC only"


@pytest.fixture
def prc_round(session, make_user):
    clock.set_now(NOW)
    kaz = make_user(session, delegate_of=["KAZ"])
    chn = make_user(session, delegate_of=["CHN"])
    officer = make_user(session, secretariat=True)
    project = operations.create_document(
        session,
        kaz,
        kind="project_proposal",
        title="Fund project",
        title_ru="Документ",
        proposer="KAZ",
        budget=1000,
        texts={"en": "# Project"},
    )
    operations.fire_trigger(session, officer, project.id, "screen")
    operations.fire_trigger(session, officer, project.id, "forward_to_prc")
    round_ = operations.open_round(session, officer, project.id, mode=RoundMode.MEETING)
    operations.record_position(
        session, chn, round_.id, participant="CHN", kind=PositionKind.OBJECTION, text=GROUNDS
    )
    return project, make_user(session, observer_of=["JPN"]), kaz


def test_the_document_page_hides_prc_positions_from_observers(client, prc_round):
    project, observer, member = prc_round
    sign_in(client, observer.email)
    page = client.get(f"/documents/{project.id}").get_data(as_text=True)
    assert GROUNDS not in page
    client.post("/logout")
    sign_in(client, member.email)
    assert GROUNDS in client.get(f"/documents/{project.id}").get_data(as_text=True)


def test_the_api_history_hides_prc_positions_from_observers(client, session, prc_round):
    project, observer, member = prc_round
    for user, sees in ((observer, False), (member, True)):
        token = create_token(session, user).secret
        document = client.get(
            f"/api/v1/documents/{project.id}", headers={"Authorization": f"Bearer {token}"}
        ).get_json()
        actions = [e["action"] for e in document["history"]]
        assert ("position_recorded" in actions) is sees
        assert ("round_opened" in actions) is sees
        assert (GROUNDS in str(document["history"])) is sees
