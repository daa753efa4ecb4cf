"""The seven processes end to end, with their real effects."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import func, select

from models import (
    CatalogueEdition,
    DueAction,
    DueActionKind,
    DueActionStatus,
    InstrumentKind,
    ParticipantStatus,
    RoundMode,
)
from workflow import operations as ops
from workflow.errors import GuardFailed, InvalidInput, NotPermitted


def agree(session, cast, document, mode=RoundMode.MEETING):
    """The body of the current state reaches consensus (meeting, closed by the secretariat)."""
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=mode)
    ops.close_round(session, cast.secretariat, round_.id)
    return round_


def test_concept_paper_from_drafting_to_approved(session, cast, new_document):
    paper = new_document("concept_paper")
    # The original carries the bare symbol; the first revision adds /Rev.1.
    assert paper.symbol == "CICA/CP/1/25" and ops.version_symbol(paper) == "CICA/CP/1/25"
    assert paper.current_version.label == "original"
    ops.add_version(session, cast.coordinator, paper.id, texts=TEXTS)
    assert ops.version_symbol(paper) == "CICA/CP/1/25/Rev.1"
    assert [v.label for v in paper.versions] == ["original", "Rev.1"]
    ops.fire_trigger(session, cast.co_coordinator, paper.id, "submit")
    agree(session, cast, paper)
    agree(session, cast, paper)
    assert paper.state == "approved"
    with pytest.raises(GuardFailed):
        ops.add_version(session, cast.coordinator, paper.id, texts=TEXTS)


def test_concept_paper_needs_its_coordinator(session, cast):
    with pytest.raises(NotPermitted):
        ops.create_document(
            session,
            cast.proposer,
            kind="concept_paper",
            title="x",
            title_ru="Документ",
            priority_area="MIL-1",
        )
    with pytest.raises(InvalidInput, match="priority area"):
        ops.create_document(
            session, cast.coordinator, kind="concept_paper", title="x", title_ru="Документ"
        )


def test_catalogue_amendment_adoption_makes_a_new_edition(session, cast, new_document):
    before = session.scalar(select(func.count()).select_from(CatalogueEdition))
    amendment = new_document("catalogue_amendment")
    changes = [
        {
            "op": "add_measure",
            "area": "HUM-1",
            "text_en": "Volunteerism.",
            "text_ru": "Волонтерство.",
        }
    ]
    ops.propose_changes(session, cast.proposer, amendment.id, changes)
    ops.fire_trigger(session, cast.proposer, amendment.id, "submit")
    for _ in range(3):
        agree(session, cast, amendment)
    assert amendment.state == "adopted"
    edition = session.scalar(
        select(CatalogueEdition).where(CatalogueEdition.document_id == amendment.id)
    )
    assert edition.number == before + 1
    assert edition.changes["changes"] == [{**changes[0], "code": "HUM-1.1"}]
    assert edition.changes["version"] == "original"
    assert "HUM-1.1" in [m["code"] for m in edition.content["measures"]]


def test_observer_application_granted_makes_an_observer(session, cast, new_document, participant):
    application = new_document("observer_application")
    ops.fire_trigger(session, cast.secretariat, application.id, "begin_check")
    ops.fire_trigger(session, cast.secretariat, application.id, "forward_to_soc")
    round_ = agree(session, cast, application)
    assert "MAR" not in {e.participant.code for e in round_.electors}
    agree(session, cast, application)
    assert application.state == "granted"
    morocco = participant("MAR")
    assert morocco.status is ParticipantStatus.OBSERVER
    assert morocco.status_history[-1].status is ParticipantStatus.OBSERVER
    assert morocco.status_history[-1].since == date(2025, 3, 10)


def test_observer_application_deferred_then_not_agreed(session, cast, in_state):
    application = in_state("observer_application", "deferred")
    with pytest.raises(GuardFailed, match="comment"):
        ops.fire_trigger(session, cast.secretariat, application.id, "record_not_agreed")
    ops.fire_trigger(
        session, cast.secretariat, application.id, "record_not_agreed", comment="MC, 26 Dec"
    )
    assert application.state == "not_agreed"


def test_admission_adds_the_state_to_later_electorates(session, cast, new_document, participant):
    admission = new_document("admission")
    with pytest.raises(GuardFailed, match="almaty act signed on"):
        ops.fire_trigger(
            session,
            cast.secretariat,
            admission.id,
            "record_signatures",
            params={"declaration_signed_on": "2024-05-02"},
        )
    with pytest.raises(GuardFailed, match="future"):
        ops.fire_trigger(
            session,
            cast.secretariat,
            admission.id,
            "record_signatures",
            params={"declaration_signed_on": "2024-05-02", "almaty_act_signed_on": "2026-01-01"},
        )
    ops.fire_trigger(
        session,
        cast.secretariat,
        admission.id,
        "record_signatures",
        params={"declaration_signed_on": "2024-05-02", "almaty_act_signed_on": "2024-05-03"},
    )
    assert admission.attributes["almaty_act_signed_on"] == "2024-05-03"
    ops.fire_trigger(session, cast.secretariat, admission.id, "forward_to_soc")
    agree(session, cast, admission)
    summit = agree(session, cast, admission)
    assert admission.state == "admitted"
    assert participant("MAR").status is ParticipantStatus.MEMBER
    assert "MAR" not in {e.participant.code for e in summit.electors}
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    later = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    assert "MAR" in {e.participant.code for e in later.electors}


def test_project_funding_needs_pledges_covering_the_budget(session, cast, new_document):
    project = new_document("project_proposal")
    ops.fire_trigger(session, cast.secretariat, project.id, "screen")
    ops.fire_trigger(session, cast.secretariat, project.id, "forward_to_prc")
    with pytest.raises(GuardFailed):  # pledges only once approved
        ops.record_pledge(session, cast.secretariat, project.id, amount=Decimal("1"), donor="KAZ")
    agree(session, cast, project)
    ops.fire_trigger(session, cast.secretariat, project.id, "open_funding")
    ops.record_pledge(session, cast.proposer, project.id, amount=Decimal("60000"), donor="CHN")
    with pytest.raises(NotPermitted):  # a delegate pledges only for their own state
        ops.record_pledge(session, cast.proposer, project.id, amount=Decimal("1"), donor="KAZ")
    with pytest.raises(GuardFailed, match="do not cover"):
        ops.fire_trigger(session, cast.secretariat, project.id, "start_implementation")
    ops.record_pledge(
        session, cast.secretariat, project.id, amount=Decimal("40000"), donor_name="UNODC"
    )
    ops.fire_trigger(session, cast.secretariat, project.id, "start_implementation")
    ops.fire_trigger(session, cast.secretariat, project.id, "complete")
    assert project.state == "completed"


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_pledge_amount_must_be_positive(session, cast, in_state, amount):
    project = in_state("project_proposal", "funding")
    with pytest.raises(InvalidInput):
        ops.record_pledge(session, cast.secretariat, project.id, amount=amount, donor="CHN")


def test_project_returned_needs_a_revision(session, cast, in_state):
    project = in_state("project_proposal", "secretariat_screening")
    ops.fire_trigger(
        session, cast.secretariat, project.id, "return_for_revision", comment="Budget unclear"
    )
    with pytest.raises(GuardFailed, match="new version"):
        ops.fire_trigger(session, cast.proposer, project.id, "resubmit")
    ops.add_version(session, cast.proposer, project.id, texts=TEXTS)
    ops.fire_trigger(session, cast.proposer, project.id, "resubmit")
    assert project.state == "submitted"


@pytest.mark.parametrize(
    "target, state", [("MC", "mc_consideration"), ("SUMMIT", "summit_consideration")]
)
def test_outcome_document_goes_to_its_target_body(session, cast, new_document, target, state):
    document = new_document("outcome_document", target_body=target)
    ops.fire_trigger(session, cast.proposer, document.id, "submit")
    agree(session, cast, document)
    agree(session, cast, document)
    assert document.state == state
    agree(session, cast, document)
    ops.fire_trigger(session, cast.secretariat, document.id, "publish")
    assert document.state == "published"


def test_outcome_document_target_must_be_mc_or_summit(session, cast):
    with pytest.raises(InvalidInput, match="MC, SUMMIT"):
        ops.create_document(
            session,
            cast.proposer,
            kind="outcome_document",
            title="x",
            title_ru="Документ",
            proposer="CHN",
            target_body="SOC",
        )


def deposit(session, cast, document, code, day, kind=InstrumentKind.RATIFICATION):
    return ops.record_instrument(
        session, cast.secretariat, document.id, participant=code, kind=kind, deposited_on=day
    )


def test_convention_enters_into_force_after_the_threshold(session, cast, new_document):
    convention = new_document("convention", threshold=3)
    deposit(session, cast, convention, "KAZ", date(2024, 1, 5), InstrumentKind.SIGNATURE)
    deposit(session, cast, convention, "KAZ", date(2024, 6, 1))
    deposit(session, cast, convention, "CHN", date(2024, 7, 1), InstrumentKind.ACCESSION)
    assert convention.state == "open_for_signature"
    deposit(session, cast, convention, "IND", date(2025, 3, 1), InstrumentKind.APPROVAL)
    assert convention.state == "entry_into_force_scheduled"
    assert convention.attributes["entry_into_force_on"] == "2025-03-31"
    [due] = session.scalars(select(DueAction).where(DueAction.document_id == convention.id))
    assert due.kind is DueActionKind.ENTRY_INTO_FORCE and due.status is DueActionStatus.PENDING
    assert due.due_at.isoformat() == "2025-03-30T19:00:00+00:00"  # 00:00 in Astana
    late = deposit(session, cast, convention, "PAK", date(2025, 3, 5))
    assert (
        ops.enter_into_force(session, convention.id, now=due.due_at - timedelta(seconds=1)) is None
    )
    assert ops.enter_into_force(session, convention.id, now=due.due_at) is convention
    assert convention.state == "in_force"
    assert late.effective_on == date(2025, 4, 4)
    assert ops.enter_into_force(session, convention.id, now=due.due_at) is None
    after = deposit(session, cast, convention, "RUS", date(2025, 3, 9), InstrumentKind.ACCEPTANCE)
    assert after.effective_on == date(2025, 4, 8)


def test_an_earlier_deposit_recorded_late_moves_entry_into_force(session, cast, new_document):
    convention = new_document("convention", threshold=2)
    deposit(session, cast, convention, "KAZ", date(2025, 1, 10))
    deposit(session, cast, convention, "CHN", date(2025, 2, 10))
    assert convention.attributes["entry_into_force_on"] == "2025-03-12"
    deposit(session, cast, convention, "IND", date(2025, 1, 20))
    assert convention.attributes["entry_into_force_on"] == "2025-02-19"
    pending = session.scalars(
        select(DueAction).where(
            DueAction.document_id == convention.id, DueAction.status == DueActionStatus.PENDING
        )
    ).all()
    assert [p.due_at.date() for p in pending] == [date(2025, 2, 18)]


@pytest.mark.parametrize(
    "code, kind, day, message",
    [
        ("KAZ", InstrumentKind.ACCESSION, date(2025, 1, 1), "already deposited"),
        ("JPN", InstrumentKind.RATIFICATION, date(2025, 1, 1), "not a member"),
        ("CHN", InstrumentKind.RATIFICATION, NOW.date() + timedelta(days=2), "future"),
    ],
)
def test_instrument_rules(session, cast, new_document, code, kind, day, message):
    convention = new_document("convention", threshold=14)
    deposit(session, cast, convention, "KAZ", date(2024, 6, 1))
    with pytest.raises(InvalidInput, match=message):
        deposit(session, cast, convention, code, day, kind)


def test_only_the_secretariat_records_instruments(session, cast, new_document):
    convention = new_document("convention", threshold=14)
    with pytest.raises(NotPermitted):
        ops.record_instrument(
            session,
            cast.coordinator,
            convention.id,
            participant="KAZ",
            kind=InstrumentKind.RATIFICATION,
            deposited_on=date(2024, 6, 1),
        )
