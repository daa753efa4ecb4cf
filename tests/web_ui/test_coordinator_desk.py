"""The coordinator's desk on the home page: documents of the user's states that wait for
their step, with what happened last; a withdraw-only document or another state's does not
wait; a document sent back for revision does."""

from __future__ import annotations

from web_helpers import sign_in

from workflow import desk, operations


def _desk_symbols(session, user) -> list[str]:
    return [item.document.symbol for item in desk.documents_awaiting(session, user)]


def test_a_draft_waits_for_its_coordinator_only(world, session):
    draft = operations.create_document(
        session,
        world.users["coordinator"],
        kind="concept_paper",
        title="Draft E",
        title_ru="Проект",
        priority_area="MIL-1",
        texts={"en": "Text."},
    )
    session.commit()
    assert draft.symbol in _desk_symbols(session, world.users["coordinator"])
    assert draft.symbol not in _desk_symbols(session, world.users["delegate_of_the_state"])
    assert _desk_symbols(session, world.users["secretariat"]) == []  # no state, no desk
    # The concept paper in silence offers its coordinator only Withdraw: it does not wait.
    assert world.concept.symbol not in _desk_symbols(session, world.users["coordinator"])


def test_the_home_page_shows_the_desk_with_the_last_step(client, world, session):
    draft = operations.create_document(
        session,
        world.users["coordinator"],
        kind="concept_paper",
        title="Draft E",
        title_ru="Проект",
        priority_area="MIL-1",
        texts={"en": "Text."},
    )
    session.commit()
    sign_in(client, world.users["coordinator"].email)
    page = client.get("/").get_data(as_text=True)
    desk_html = page[page.index('id="desk"') :]
    assert draft.symbol in desk_html and "Document created" in desk_html
    assert f"/documents/{draft.id}#actions" in desk_html and "Submit" in desk_html
    russian = client.get("/?lang=ru").get_data(as_text=True)
    assert "Мои документы" in russian


def test_a_text_sent_back_after_a_broken_silence_waits_for_a_new_version(world, session):
    operations.record_position(
        session,
        world.users["delegate_of_the_state"],
        world.silence.id,
        participant="CHN",
        kind="objection",
        text="Not agreed.",
    )
    session.commit()
    (item,) = [
        i
        for i in desk.documents_awaiting(session, world.users["coordinator"])
        if i.document.id == world.concept.id
    ]
    assert item.last_event.action in ("transition", "round_closed")


def test_the_draft_form_offers_the_areas_the_user_may_use(client, world):
    sign_in(client, world.users["coordinator"].email)  # Kazakhstan coordinates MIL-1
    page = client.get("/documents/new").get_data(as_text=True)
    mine = page[page.index('label="Coordinated by your state"') :]
    mine = mine[: mine.index("</optgroup>")]
    assert 'value="MIL-1"' in mine
    others = page[page.index('label="Other areas (for proposals)"') :]
    assert 'value="MIL-1"' not in others[: others.index("</optgroup>")]


def test_the_secretariat_sees_every_area_ungrouped(client, world):
    sign_in(client, world.users["secretariat"].email)
    page = client.get("/documents/new").get_data(as_text=True)
    assert "<optgroup" not in page and 'value="MIL-1"' in page and 'value="HUM-1"' in page
