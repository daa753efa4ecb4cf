"""The draft form asks for the fields a definition declares, and the document page shows them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from web_helpers import sign_in

from models import Decision, Document, PositionKind, Round, RoundMode
from workflow import operations, times

FORM = {
    "kind": "mandate_extension",
    "title": "Extension of the mandate",
    "title_ru": "Продление мандата",
    "text_en": "The Council decides to extend the mandate.",
    "text_ru": "Совет постановляет продлить мандат.",
    "field__mandate_extension__state_concerned": "TJK",
    "field__mandate_extension__mandate_end": "2025-06-30",
    "field__mandate_extension__unified_budget": "1250000",
}


def test_the_draft_form_takes_the_declared_fields(with_mandates, session, make_user, client):
    officer = make_user(session, secretariat=True)
    session.commit()
    sign_in(client, officer.email)
    form = client.get("/documents/new").get_data(as_text=True)
    assert 'name="field__mandate_extension__mandate_end"' in form and 'type="date"' in form
    assert "End of the mandate (required)" in form

    response = client.post("/documents/new", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    document = session.scalar(select(Document).where(Document.kind == "mandate_extension"))
    assert document.custom_fields == {
        "state_concerned": "TJK",
        "mandate_end": "2025-06-30",
        "unified_budget": "1250000.00",
    }
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "End of the mandate" in page and "Host state" in page and "Tajikistan" in page

    russian = client.get(f"/documents/{document.id}", headers={"Accept-Language": "ru"})
    assert "Окончание мандата" in russian.get_data(as_text=True)


def test_a_bad_declared_value_is_refused_with_its_reason(with_mandates, session, make_user, client):
    officer = make_user(session, secretariat=True)
    session.commit()
    sign_in(client, officer.email)
    bad = {**FORM, "field__mandate_extension__mandate_end": "end of June"}
    response = client.post("/documents/new", data=bad)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "is not a date" in text
    assert 'value="end of June"' in text  # what was typed stays in the form
    assert session.scalar(select(Document).where(Document.kind == "mandate_extension")) is None


def test_a_meeting_is_given_a_deadline_where_the_definition_allows(
    with_mandates, session, make_user, client
):
    officer = make_user(session, secretariat=True)
    session.commit()
    sign_in(client, officer.email)
    client.post("/documents/new", data=FORM)
    document = session.scalar(select(Document).where(Document.kind == "mandate_extension"))
    operations.fire_trigger(session, officer, document.id, "submit")
    session.commit()
    deadline = (times.now_utc() + timedelta(days=7)).replace(second=0, microsecond=0)
    response = client.post(
        f"/documents/{document.id}/rounds/new",
        data={
            "mode": "meeting",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "timezone": "UTC",
            "lock_version": str(document.lock_version),
            "on_consensus": "extend",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    round_ = session.scalar(select(Round).where(Round.document_id == document.id))
    assert round_.mode is RoundMode.MEETING
    assert round_.deadline_at == deadline


def test_a_statement_shows_its_kind_and_rule(with_mandates, session, make_user, client):
    officer = make_user(session, secretariat=True)
    china = make_user(session, delegate_of=["CHN"])
    session.commit()
    sign_in(client, officer.email)
    client.post("/documents/new", data=FORM)
    document = session.scalar(select(Document).where(Document.kind == "mandate_extension"))
    operations.fire_trigger(session, officer, document.id, "submit")
    round_ = operations.open_round(session, officer, document.id, mode=RoundMode.MEETING)
    operations.record_position(
        session,
        china,
        round_.id,
        participant="CHN",
        kind=PositionKind.CONSENT_WITH_STATEMENT,
        text="China reads paragraph 2 as follows.",
        statement_kind="interpretative",
    )
    operations.close_round(session, officer, round_.id)
    session.commit()
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "(Interpretative statement, Rules of Procedure, IV.1(A)6)" in page
    decision = session.scalar(select(Decision).where(Decision.round_id == round_.id))
    sheet = client.get(f"/decisions/{decision.id}", headers={"Accept-Language": "ru"})
    assert "(Интерпретирующее заявление, Rules of Procedure, IV.1(A)6)" in sheet.get_data(
        as_text=True
    )


def test_a_process_without_kinds_of_statement_offers_none(world, app, client):
    sign_in(client, world.users["delegate_of_another_state"].email)
    url = f"/rounds/{world.meeting.id}/position"
    form = client.get(url).get_data(as_text=True)
    assert 'name="kind"' in form
    assert 'name="statement_kind"' not in form and "Kind of statement" not in form
    secretariat = app.test_client()
    sign_in(secretariat, world.users["secretariat"].email)
    on_behalf = secretariat.get(f"/rounds/{world.meeting.id}/on-behalf").get_data(as_text=True)
    assert 'name="participant"' in on_behalf and 'name="statement_kind"' not in on_behalf
    # One posted all the same is the engine's to refuse: the page says why, nothing is kept.
    refused = client.post(
        url, data={"participant": "IND", "kind": "consent", "text": "Yes.", "statement_kind": "x"}
    )
    assert refused.status_code == 422
    assert "unknown kind of statement" in refused.get_data(as_text=True)
    assert not [p for p in world.meeting.positions if p.participant.code == "IND"]
