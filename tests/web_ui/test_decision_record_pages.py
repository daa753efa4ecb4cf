"""The decision record in the web interface: past meetings, the register, decision sheets,
the Catalogue and its editions, applicants and capitals' confirmations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from web_helpers import NOW, VOLUNTEERISM, sign_in

from models import AuditEvent, Decision, Participant, ParticipantStatus, PositionKind, RoundMode
from workflow import operations


def as_secretariat(client, world):
    sign_in(client, world.users["secretariat"].email)


def test_a_past_meeting_entered_through_the_page(client, world, session):
    """An application received on 1 February, before the SOC on 20 February; the Secretariat
    enters both on 3 March."""
    officer = world.users["secretariat"]
    application = operations.create_document(
        session,
        officer,
        kind="observer_application",
        title="SCO",
        title_ru="Документ",
        applicant="SCO",
        texts={"en": "Letter."},
        taken_on="2025-02-01",
    )
    for trigger in ("begin_check", "forward_to_soc"):
        operations.fire_trigger(session, officer, application.id, trigger, taken_on="2025-02-05")
    meeting = operations.open_round(session, officer, application.id, mode=RoundMode.MEETING)
    session.commit()
    as_secretariat(client, world)
    too_early = client.post(
        f"/rounds/{meeting.id}/close", data={"taken_on": "2025-01-20", "confirmed": "yes"}
    )
    assert too_early.status_code == 422 and "previous act" in too_early.get_data(as_text=True)
    response = client.post(
        f"/rounds/{meeting.id}/close",
        data={
            "note": "SOC, 40th meeting",
            "taken_on": "2025-02-20",
            "on_consensus": "soc_grant",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    assert meeting.decided_on.isoformat() == "2025-02-20" and application.state == "granted"
    page = client.get(f"/documents/{application.id}").get_data(as_text=True)
    assert "taken on 20 Feb 2025" in page and "entered 3 Mar 2025" in page
    assert "SOC.DEC/1/25" in page


def test_a_meeting_in_the_future_is_refused_and_nothing_written(client, world, session):
    as_secretariat(client, world)
    before = session.scalar(select(func.count(AuditEvent.id)))
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    response = client.post(
        f"/rounds/{world.meeting.id}/close", data={"taken_on": tomorrow, "confirmed": "yes"}
    )
    assert response.status_code == 422
    assert "taken_on" in response.get_data(as_text=True) and "future" in response.get_data(
        as_text=True
    )
    assert world.meeting.is_open
    assert session.scalar(select(func.count(AuditEvent.id))) == before


def approve_the_concept_paper(session, world, *, taken_on=None):
    """The world's concept paper is under silence in the SOC: end it by objection-free expiry."""
    officer = world.users["secretariat"]
    paper = world.concept
    operations.fire_trigger(session, world.users["coordinator"], paper.id, "withdraw")
    fresh = operations.create_document(
        session,
        world.users["coordinator"],
        kind="concept_paper",
        title="Paper E",
        title_ru="Документ",
        priority_area="MIL-1",
        texts={"en": "# Paper\n\nText.", "ru": "# Документ\n\nТекст."},
    )
    operations.fire_trigger(session, world.users["coordinator"], fresh.id, "submit")
    for _ in range(2):
        round_ = operations.open_round(session, officer, fresh.id, mode=RoundMode.MEETING)
        operations.record_position(
            session,
            world.users["delegate_of_the_state"],
            round_.id,
            participant="CHN",
            kind=PositionKind.CONSENT_WITH_STATEMENT,
            text="China reads the paper as voluntary.",
        )
        operations.close_round(session, officer, round_.id, taken_on=taken_on)
    session.commit()
    return fresh, session.scalar(select(Decision).where(Decision.document_id == fresh.id))


def test_the_register_the_sheet_and_the_csv(client, world, session):
    paper, decision = approve_the_concept_paper(session, world)
    assert decision.symbol == "SOC.DEC/1/25"
    sign_in(client, world.users["observer"].email)
    register = client.get("/decisions?body=SOC&year=2025").get_data(as_text=True)
    assert "SOC.DEC/1/25" in register and paper.symbol in register
    sheet = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Approval by the SOC" in sheet and "China reads the paper as voluntary." in sheet
    assert 'lang="ru"' in sheet and "Документ" in sheet and "data-print" in sheet
    csv = client.get("/decisions.csv").get_data(as_text=True)
    # A byte-order mark, so that spreadsheets read the file as UTF-8.
    assert csv.startswith("\ufeffsymbol,body,taken_on")
    assert "SOC.DEC/1/25,SOC,2025-03-03" in csv
    assert "entered (Asia/Almaty)" in csv.splitlines()[0]
    assert client.get("/decisions?body=SWG").get_data(as_text=True).count("SOC.DEC") == 0


def test_registering_an_applicant_and_its_application(client, world, session):
    as_secretariat(client, world)
    data = {
        "kind": "state",
        "code": "omn",
        "name_en": "Oman",
        "name_ru": "Оман",
        "received_on": "2025-02-01",
    }
    response = client.post("/secretariat/participants/new", data=data)
    assert response.status_code == 302 and "applicant=OMN" in response.headers["Location"]
    oman = session.scalar(select(Participant).where(Participant.code == "OMN"))
    assert oman.status is ParticipantStatus.APPLICANT
    assert oman.status_history[0].since.isoformat() == "2025-02-01"
    again = client.post("/secretariat/participants/new", data=data)
    assert again.status_code == 409 and "already registered" in again.get_data(as_text=True)
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<option selected value="OMN">' in form or 'value="OMN" selected' in form


def test_an_amendment_s_changes_are_edited_on_their_page(client, world, session):
    amendment = operations.create_document(
        session,
        world.users["secretariat"],
        kind="catalogue_amendment",
        title="New measures",
        title_ru="Документ",
        proposer="TUR",
        texts={"en": "Text.", "ru": "Текст."},
    )
    session.commit()
    as_secretariat(client, world)
    path = f"/documents/{amendment.id}/catalogue-changes"
    bad = client.post(
        path, data={"op": "add_measure", "area": "ZZZ-1", "text_en": "x", "text_ru": "х"}
    )
    assert bad.status_code == 422 and "no priority area ZZZ-1" in bad.get_data(as_text=True)
    good = client.post(
        path,
        data={
            "op": "add_measure",
            "area": "HUM-1",
            "text_en": VOLUNTEERISM["text_en"],
            "text_ru": VOLUNTEERISM["text_ru"],
        },
    )
    assert good.status_code == 302
    assert amendment.attributes["catalogue_changes"][0]["code"] == "HUM-1.1"
    assert "HUM-1.1" in client.get(f"/documents/{amendment.id}").get_data(as_text=True)


def test_the_catalogue_its_editions_and_their_comparison(client, world, session):
    officer = world.users["secretariat"]
    amendment = operations.create_document(
        session,
        officer,
        kind="catalogue_amendment",
        title="Volunteerism",
        title_ru="Документ",
        proposer="TUR",
        texts={"en": "Text."},
    )
    operations.propose_changes(session, officer, amendment.id, [VOLUNTEERISM])
    operations.fire_trigger(session, officer, amendment.id, "submit")
    for _ in range(3):
        round_ = operations.open_round(session, officer, amendment.id, mode=RoundMode.MEETING)
        operations.close_round(session, officer, round_.id)
    session.commit()
    sign_in(client, world.users["observer"].email)
    current = client.get("/catalogue").get_data(as_text=True)
    assert "Edition 2" in current and "HUM-1.1" in current and VOLUNTEERISM["text_ru"] in current
    assert "MC.DEC/1/25" in current
    first = client.get("/catalogue/editions/1").get_data(as_text=True)
    assert "HUM-1.1" not in first and "Superseded" in first
    compared = client.get("/catalogue/compare?from=1&to=2").get_data(as_text=True)
    assert "HUM-1.1" in compared and "Added" in compared
    assert client.get("/catalogue/compare?from=1").status_code == 422


def test_a_capital_confirms_through_the_page(client, world, session):
    officer = world.users["secretariat"]
    china = world.users["delegate_of_the_state"]
    round_ = world.meeting
    operations.record_position(
        session, china, round_.id, participant="CHN", kind=PositionKind.CONSENT_AD_REFERENDUM
    )
    operations.close_round(session, officer, round_.id)
    session.commit()
    sign_in(client, china.email)
    page = client.get(f"/documents/{world.amendment.id}").get_data(as_text=True)
    assert "Adopted ad referendum" in page and "Record a capital" in page
    form = client.get(f"/rounds/{round_.id}/confirm")
    assert form.status_code == 200
    missing = client.post(
        f"/rounds/{round_.id}/confirm", data={"participant": "CHN", "answer": "withdraw"}
    )
    assert missing.status_code == 422
    done = client.post(
        f"/rounds/{round_.id}/confirm", data={"participant": "CHN", "answer": "confirm"}
    )
    assert done.status_code == 302
    assert world.amendment.state == "soc_consideration"  # the SWG agreed, now final
