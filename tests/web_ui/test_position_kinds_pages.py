"""Pages of a forum with its own kinds of position and channels: named from the profile in
the reader's language, checked by their meaning (a veto needs its grounds and asks before
it breaks a silence), the Secretariat choosing how it received a position."""

from __future__ import annotations

import pytest
from web_helpers import sign_in

from workflow import kinds, times

KINDS = [
    {"code": "agree", "meaning": "consent", "names": {"en": "Agree", "ru": "Согласие"}},
    {"code": "abstention", "meaning": "stand_aside",
     "names": {"en": "Abstention", "ru": "Воздержание"}},
    {"code": "veto", "meaning": "objection", "requires_text": True,
     "names": {"en": "Veto", "ru": "Вето"}},
]
CHANNELS = [
    {"code": "delegate", "entered_by": "delegate"},
    {"code": "note_verbale", "entered_by": "secretariat", "requires_reference": True},
    {"code": "letter_of_the_chair", "entered_by": "secretariat",
     "names": {"en": "letter of the Chair", "ru": "письмо Председателя"}},
]


@pytest.fixture
def forum_world(world, session):
    forum = times.forum(session)
    forum.position_kinds, forum.entry_channels = KINDS, CHANNELS
    session.commit()
    kinds.forget(session)
    return world


def test_the_form_offers_the_forum_s_kinds_in_the_reader_s_language(client, forum_world):
    sign_in(client, forum_world.users["delegate_of_another_state"].email)
    url = f"/rounds/{forum_world.meeting.id}/position"
    page = client.get(url).get_data(as_text=True)
    assert "Veto" in page and "Abstention" in page and "Agree" in page
    assert "Consent with an interpretative statement" not in page
    assert "Required with: Veto." in page
    assert 'data-blocks="true"' in page  # the veto shows the amendment field
    russian = client.get(url + "?lang=ru").get_data(as_text=True)
    assert "Вето" in russian and "Воздержание" in russian and "Обязателен для позиций: Вето." in russian


def test_a_veto_needs_its_grounds_then_is_shown_as_an_objection(client, forum_world):
    sign_in(client, forum_world.users["delegate_of_another_state"].email)
    url = f"/rounds/{forum_world.meeting.id}/position"
    refused = client.post(url, data={"participant": "IND", "kind": "veto"})
    assert refused.status_code == 422
    assert "The text of this position is required." in refused.get_data(as_text=True)
    done = client.post(url, data={"participant": "IND", "kind": "veto", "text": "No."})
    assert done.status_code == 302
    page = client.get(f"/documents/{forum_world.amendment.id}").get_data(as_text=True)
    assert 'class="badge pos-veto pos-objection">Veto' in page
    assert "row-objection" in page


def test_a_veto_in_a_silence_procedure_asks_first(client, forum_world):
    sign_in(client, forum_world.users["delegate_of_the_state"].email)
    asked = client.post(
        f"/rounds/{forum_world.silence.id}/position",
        data={"participant": "CHN", "kind": "veto", "text": "No."},
    )
    assert asked.status_code == 200 and "Object and break the silence" in asked.get_data(
        as_text=True
    )
    assert forum_world.silence.is_open


def test_a_kind_the_forum_does_not_have_is_refused(client, forum_world):
    sign_in(client, forum_world.users["delegate_of_another_state"].email)
    refused = client.post(
        f"/rounds/{forum_world.meeting.id}/position",
        data={"participant": "IND", "kind": "objection", "text": "No."},
    )
    assert refused.status_code == 422


def test_the_secretariat_records_a_letter_of_the_chair(client, forum_world, session):
    sign_in(client, forum_world.users["secretariat"].email)
    url = f"/rounds/{forum_world.meeting.id}/on-behalf"
    page = client.get(url).get_data(as_text=True)
    assert "Received by" in page and "letter of the Chair" in page
    assert "Record a position received on a state's behalf" in page
    assert "Reference of the note or letter" in page and "Note verbale reference" not in page
    refused = client.post(url, data={"participant": "IND", "kind": "agree", "channel": "note_verbale"})
    assert refused.status_code == 422
    assert "The note verbale reference is required." in refused.get_data(as_text=True)
    done = client.post(
        url, data={"participant": "IND", "kind": "abstention", "channel": "letter_of_the_chair"}
    )
    assert done.status_code == 302
    shown = client.get(f"/documents/{forum_world.amendment.id}").get_data(as_text=True)
    assert "letter of the Chair" in shown and "Abstention" in shown


def test_cica_s_page_still_speaks_of_the_note_verbale(client, world):
    sign_in(client, world.users["secretariat"].email)
    page = client.get(f"/rounds/{world.meeting.id}/on-behalf").get_data(as_text=True)
    assert "Record a position received by note verbale" in page
    assert "Note verbale reference" in page and "Received by" not in page
