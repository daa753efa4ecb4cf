"""The decision record: dates of acts, numbered decisions, applicants and both roads to
observer status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import func, select

from models import (
    AuditEvent,
    CatalogueEdition,
    Decision,
    DecisionStatus,
    Document,
    Participant,
    ParticipantStatus,
    PositionKind,
    RoundMode,
)
from workflow import operations as ops
from workflow.errors import Conflict, InvalidInput, NotPermitted

TODAY = NOW.date()
MEASURE = {
    "op": "add_measure",
    "area": "HUM-1",
    "text_en": "Cooperation in the field of volunteerism.",
    "text_ru": "Сотрудничество в области волонтерства.",
}


def meeting_on(session, cast, document, day: date, *, on_consensus=None, consent_from=None):
    """A meeting of the body of the document's state, held on `day`, entered today."""
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    if consent_from:
        ops.record_position(
            session, consent_from, round_.id, participant="KAZ", kind=PositionKind.CONSENT
        )
    ops.close_round(session, cast.secretariat, round_.id, taken_on=day, on_consensus=on_consensus)
    return round_


def events(session, document, action):
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.document_id == document.id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def test_a_past_meeting_s_decision_dates_everything_derived_from_it(session, cast):
    """The 2021 Catalogue amendment entered in 2025: submitted in June 2021, agreed in the SWG
    in July, approved by the SOC in September, adopted by the MC on 12 October 2021."""
    amendment = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="Update of the Catalogue",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
        taken_on=date(2021, 6, 1),
    )
    assert amendment.symbol == "CICA/CA/1/21"  # the year of its submission, not of its entry
    assert (amendment.submitted_on, amendment.acted_on) == (date(2021, 6, 1), date(2021, 6, 1))
    ops.propose_changes(session, cast.secretariat, amendment.id, [MEASURE])
    ops.fire_trigger(session, cast.secretariat, amendment.id, "submit", taken_on="2021-06-02")

    swg = meeting_on(session, cast, amendment, date(2021, 7, 15))
    soc = meeting_on(session, cast, amendment, date(2021, 9, 20))
    mc = meeting_on(session, cast, amendment, date(2021, 10, 12))

    assert amendment.state == "adopted"
    assert [r.decided_on for r in (swg, soc, mc)] == [
        date(2021, 7, 15),
        date(2021, 9, 20),
        date(2021, 10, 12),
    ]
    assert amendment.acted_on == date(2021, 10, 12)
    decisions = session.scalars(
        select(Decision).where(Decision.document_id == amendment.id).order_by(Decision.id)
    ).all()
    assert [(d.symbol, d.taken_on) for d in decisions] == [
        ("SOC.DEC/1/21", date(2021, 9, 20)),
        ("MC.DEC/1/21", date(2021, 10, 12)),
    ]
    assert all(d.entered_at == NOW for d in decisions)  # entered today, by the Secretariat
    assert decisions[1].version_id == amendment.current_version.id
    edition = session.scalar(
        select(CatalogueEdition).where(CatalogueEdition.document_id == amendment.id)
    )
    assert edition.adopted_on == date(2021, 10, 12) and edition.decision_id == decisions[1].id

    closed = events(session, amendment, "round_closed")
    assert [e.data["taken_on"] for e in closed] == ["2021-07-15", "2021-09-20", "2021-10-12"]
    assert all(e.at == NOW and e.actor_id == cast.secretariat.id for e in closed)
    adoption = events(session, amendment, "transition")[-1]
    assert adoption.data["taken_on"] == "2021-10-12" and adoption.data["decision"] == "MC.DEC/1/21"


def test_a_grant_dates_the_status_history_by_the_act(session, cast):
    """Registered as an applicant on 10 January 2023, granted observer status by the SOC on
    15 June 2023 (the road Turkmenistan took in 2021)."""
    oman = ops.register_participant(
        session,
        cast.secretariat,
        code="omn",
        kind="state",
        name_en="Oman",
        name_ru="Оман",
        taken_on="2023-01-10",
    )
    assert oman.code == "OMN" and oman.status is ParticipantStatus.APPLICANT
    application = ops.create_document(
        session,
        cast.secretariat,
        kind="observer_application",
        title="Application of Oman",
        title_ru="Документ",
        applicant="OMN",
        texts=TEXTS,
        taken_on=date(2023, 1, 12),
    )
    for trigger in ("begin_check", "forward_to_soc"):
        ops.fire_trigger(
            session, cast.secretariat, application.id, trigger, taken_on=date(2023, 2, 1)
        )
    soc = meeting_on(session, cast, application, date(2023, 6, 15), on_consensus="soc_grant")

    assert application.state == "granted" and soc.on_consensus == "soc_grant"
    assert oman.status is ParticipantStatus.OBSERVER
    periods = [(p.status, p.since, p.until) for p in oman.status_history]
    assert periods == [
        (ParticipantStatus.APPLICANT, date(2023, 1, 10), date(2023, 6, 15)),
        (ParticipantStatus.OBSERVER, date(2023, 6, 15), None),
    ]
    decision = session.scalar(select(Decision).where(Decision.document_id == application.id))
    assert (
        decision.symbol == "SOC.DEC/1/23" and decision.title == "Observer status granted by the SOC"
    )


def test_the_other_road_goes_through_the_mc(session, cast, new_document):
    """Pre-approved by the SOC (12 Dec 2023), granted by the MC (26 Dec 2023)."""
    application = new_document("observer_application")
    ops.fire_trigger(session, cast.secretariat, application.id, "begin_check")
    ops.fire_trigger(session, cast.secretariat, application.id, "forward_to_soc")
    meeting_on(session, cast, application, TODAY)
    assert application.state == "mc_consideration"
    meeting_on(session, cast, application, TODAY)
    assert application.state == "granted"
    symbols = session.scalars(
        select(Decision.symbol).where(Decision.document_id == application.id).order_by(Decision.id)
    ).all()
    assert symbols == ["SOC.DEC/1/25", "MC.DEC/1/25"]


def test_only_the_roads_the_definition_offers(session, cast, new_document):
    application = new_document("observer_application")
    ops.fire_trigger(session, cast.secretariat, application.id, "begin_check")
    ops.fire_trigger(session, cast.secretariat, application.id, "forward_to_soc")
    with pytest.raises(InvalidInput, match="on_consensus"):
        ops.open_round(
            session,
            cast.secretariat,
            application.id,
            mode=RoundMode.MEETING,
            on_consensus="mc_grant",
        )


def test_decisions_are_numbered_per_body_and_year(session, cast):
    def approved(day):
        """A catalogue amendment submitted a month before `day`, approved by the SOC on it."""
        amendment = ops.create_document(
            session,
            cast.secretariat,
            kind="catalogue_amendment",
            title="A",
            title_ru="Документ",
            proposer="CHN",
            texts=TEXTS,
            taken_on=day - timedelta(days=30),
        )
        ops.propose_changes(session, cast.secretariat, amendment.id, [MEASURE])
        ops.fire_trigger(session, cast.secretariat, amendment.id, "submit", taken_on=day)
        meeting_on(session, cast, amendment, day)
        meeting_on(session, cast, amendment, day)
        return session.scalar(select(Decision.symbol).where(Decision.document_id == amendment.id))

    first, second = approved(date(2024, 12, 3)), approved(date(2024, 12, 20))
    assert (first, second) == ("SOC.DEC/1/24", "SOC.DEC/2/24")
    assert approved(TODAY) == "SOC.DEC/1/25"


@pytest.mark.parametrize(
    ("taken_on", "error", "message"),
    [
        (TODAY + timedelta(days=1), InvalidInput, "taken_on: .* is in the future"),
        (date(2021, 1, 1), InvalidInput, "taken_on: .* before the document's previous act"),
        ("12 October 2021", InvalidInput, "taken_on: .* is not a date"),
    ],
)
def test_a_bad_date_of_act_is_refused_and_nothing_written(
    session, cast, new_document, taken_on, error, message
):
    paper = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
        taken_on=date(2024, 5, 1),
    )
    ops.propose_changes(session, cast.secretariat, paper.id, [MEASURE])
    ops.fire_trigger(session, cast.secretariat, paper.id, "submit", taken_on=date(2024, 5, 2))
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    before = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(error, match=message):
        ops.close_round(session, cast.secretariat, round_.id, taken_on=taken_on)
    assert round_.is_open and paper.state == "swg_review"
    assert session.scalar(select(func.count(AuditEvent.id))) == before


def test_only_the_secretariat_records_an_act_of_another_day(session, cast, new_document):
    paper = new_document("concept_paper")
    with pytest.raises(NotPermitted, match="only the Secretariat"):
        ops.fire_trigger(
            session, cast.coordinator, paper.id, "submit", taken_on=TODAY - timedelta(days=3)
        )
    assert paper.state == "drafting"
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit", taken_on=TODAY)  # today: fine


def test_registering_a_participant_refuses_a_taken_code_and_a_bad_one(session, cast):
    with pytest.raises(Conflict, match="MAR is already registered"):
        ops.register_participant(
            session, cast.secretariat, code="MAR", kind="state", name_en="M", name_ru="М"
        )
    with pytest.raises(InvalidInput, match="ISO 3166"):
        ops.register_participant(
            session, cast.secretariat, code="XQZ", kind="state", name_en="X", name_ru="Х"
        )
    with pytest.raises(NotPermitted):
        ops.register_participant(
            session, cast.coordinator, code="OMN", kind="state", name_en="Oman", name_ru="Оман"
        )
    organisation = ops.register_participant(
        session, cast.secretariat, code="CSTO", kind="organisation", name_en="CSTO", name_ru="ОДКБ"
    )
    assert organisation.status is ParticipantStatus.APPLICANT
    registered = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participant_registered")
    ).all()
    assert registered[-1].data["participant"] == "CSTO"


def test_an_applicant_is_in_no_electorate(session, cast, new_document):
    oman = ops.register_participant(
        session, cast.secretariat, code="OMN", kind="state", name_en="Oman", name_ru="Оман"
    )
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    assert oman.id not in {e.participant_id for e in round_.electors}
    with pytest.raises(NotPermitted, match="not in the electorate"):
        ops.record_position(
            session,
            cast.secretariat,
            round_.id,
            participant="OMN",
            kind=PositionKind.CONSENT,
            reference="NV/1",
        )


def test_the_original_and_its_revisions_keep_their_symbols_in_the_decision(session, cast):
    paper = ops.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="P",
        title_ru="Документ",
        priority_area="MIL-1",
        texts=TEXTS,
    )
    ops.add_version(session, cast.coordinator, paper.id, texts=TEXTS)
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    meeting_on(session, cast, paper, TODAY)
    meeting_on(session, cast, paper, TODAY)
    decision = session.scalar(select(Decision).where(Decision.document_id == paper.id))
    assert decision.status is DecisionStatus.FINAL
    assert ops.version_symbol(paper, decision.version) == f"{paper.symbol}/Rev.1"
    assert session.get(Document, paper.id).acted_on == TODAY
    assert session.scalar(select(Participant.status).where(Participant.code == "KAZ")) is (
        ParticipantStatus.MEMBER
    )
