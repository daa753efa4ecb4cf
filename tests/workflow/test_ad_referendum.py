"""Ad referendum: consent subject to the capital's confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import select

from models import (
    Confirmation,
    ConfirmationStatus,
    Decision,
    DecisionStatus,
    DueAction,
    DueActionKind,
    DueActionStatus,
    OutcomeKind,
    PositionKind,
    RoundMode,
)
from workflow import clock, firing
from workflow import operations as ops
from workflow.errors import GuardFailed, InvalidInput, NotPermitted, RoundClosed

CONFIRMATION_DAYS = 30  # the CICA profile's


@pytest.fixture
def adopted_ad_referendum(session, cast, new_document):
    """A concept paper approved by the SOC on 10 March 2025, China consenting ad referendum."""
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    swg = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    ops.close_round(session, cast.secretariat, swg.id)
    soc = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    ops.record_position(
        session, cast.proposer, soc.id, participant="CHN", kind=PositionKind.CONSENT_AD_REFERENDUM
    )
    ops.record_position(
        session, cast.other, soc.id, participant="IND", kind=PositionKind.CONSENT_AD_REFERENDUM
    )
    ops.close_round(session, cast.secretariat, soc.id)
    return paper, soc


def confirmations(session, round_):
    return session.scalars(select(Confirmation).where(Confirmation.round_id == round_.id)).all()


def decision_of(session, paper):
    return session.scalar(select(Decision).where(Decision.document_id == paper.id))


def test_a_round_with_ad_referendum_consents_is_adopted_provisionally(
    session, adopted_ad_referendum
):
    paper, soc = adopted_ad_referendum
    assert soc.outcome is OutcomeKind.AD_REFERENDUM
    assert paper.state == "soc_consideration"  # it waits for the capitals
    decision = decision_of(session, paper)
    assert decision.status is DecisionStatus.AD_REFERENDUM and decision.symbol == "SOC.DEC/1/25"
    assert decision.confirmation_due_on == NOW.date() + timedelta(days=CONFIRMATION_DAYS)
    assert sorted(c.participant.code for c in confirmations(session, soc)) == ["CHN", "IND"]
    lapse = session.scalar(select(DueAction).where(DueAction.round_id == soc.id))
    assert lapse.kind is DueActionKind.CONFIRMATION_LAPSE and lapse.status is DueActionStatus.PENDING


def test_when_every_capital_confirms_the_decision_is_final(session, cast, adopted_ad_referendum):
    paper, soc = adopted_ad_referendum
    ops.answer_confirmation(session, cast.proposer, soc.id, participant="CHN", confirm=True)
    assert paper.state == "soc_consideration"
    ops.answer_confirmation(
        session, cast.secretariat, soc.id, participant="IND", confirm=True, reference="NV/2025/9"
    )
    assert paper.state == "approved" and soc.outcome is OutcomeKind.CONSENSUS
    decision = decision_of(session, paper)
    assert decision.status is DecisionStatus.FINAL and decision.symbol == "SOC.DEC/1/25"
    lapse = session.scalar(select(DueAction).where(DueAction.round_id == soc.id))
    assert lapse.status is DueActionStatus.CANCELLED


def test_a_withdrawal_counts_as_an_objection_and_the_decision_fails(
    session, cast, adopted_ad_referendum
):
    paper, soc = adopted_ad_referendum
    with pytest.raises(InvalidInput, match="reasons"):
        ops.answer_confirmation(session, cast.other, soc.id, participant="IND", confirm=False)
    ops.answer_confirmation(
        session, cast.other, soc.id, participant="IND", confirm=False, text="Not confirmed."
    )
    assert soc.outcome is OutcomeKind.NO_CONSENSUS and paper.state == "drafting"
    assert decision_of(session, paper).status is DecisionStatus.FAILED
    with pytest.raises(RoundClosed):
        ops.answer_confirmation(session, cast.proposer, soc.id, participant="CHN", confirm=True)


def test_only_the_state_or_the_secretariat_with_a_note_answers(
    session, cast, adopted_ad_referendum
):
    _paper, soc = adopted_ad_referendum
    with pytest.raises(NotPermitted):
        ops.answer_confirmation(session, cast.coordinator, soc.id, participant="CHN", confirm=True)
    with pytest.raises(InvalidInput, match="note verbale"):
        ops.answer_confirmation(session, cast.secretariat, soc.id, participant="CHN", confirm=True)


def test_the_period_lapses_once_and_the_decision_becomes_final(
    session, cast, adopted_ad_referendum
):
    paper, soc = adopted_ad_referendum
    lapse = session.scalar(select(DueAction).where(DueAction.round_id == soc.id))
    due_on = NOW.date() + timedelta(days=CONFIRMATION_DAYS)
    assert firing.fire_due(session, lapse.id, now=lapse.due_at - timedelta(seconds=1)) is (
        firing.Outcome.NOT_DUE
    )
    clock.set_now(lapse.due_at)
    assert firing.fire_due(session, lapse.id, now=lapse.due_at) is firing.Outcome.FIRED
    assert firing.fire_due(session, lapse.id, now=lapse.due_at) is firing.Outcome.NOT_PENDING
    assert paper.state == "approved"
    decision = decision_of(session, paper)
    assert (decision.status, decision.settled_on) == (DecisionStatus.FINAL, due_on)
    assert {c.status for c in confirmations(session, soc)} == {ConfirmationStatus.LAPSED}
    with pytest.raises(RoundClosed):
        ops.answer_confirmation(session, cast.proposer, soc.id, participant="CHN", confirm=False,
                                text="too late")


def test_nothing_new_while_capitals_are_consulted(session, cast, adopted_ad_referendum):
    paper, _soc = adopted_ad_referendum
    with pytest.raises(GuardFailed, match="confirmations"):
        ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    with pytest.raises(GuardFailed, match="ad referendum"):
        ops.add_version(session, cast.coordinator, paper.id, texts=TEXTS)


def test_withdrawing_the_document_voids_the_provisional_decision(
    session, cast, adopted_ad_referendum
):
    paper, soc = adopted_ad_referendum
    ops.fire_trigger(session, cast.coordinator, paper.id, "withdraw")
    assert soc.outcome is OutcomeKind.VOID
    assert decision_of(session, paper).status is DecisionStatus.FAILED
    lapse = session.scalar(select(DueAction).where(DueAction.round_id == soc.id))
    assert lapse.status is DueActionStatus.CANCELLED
