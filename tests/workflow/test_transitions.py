"""Every transition of every process, fired by every role: allowed or refused.

The table below is the specification, written by hand; a test checks that it
covers exactly the transitions the shipped definitions have.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from engine_helpers import ROLES

from models import Instrument, InstrumentKind
from workflow import operations
from workflow.errors import NotPermitted, TriggerNotAllowed
from workflow.registry import registry

SYS = {"system"}
SEC = {"secretariat"}
COORD = {"coordinator", "co_coordinator"}
PROP_SEC = {"proposer", "secretariat"}
APPL_SEC = {"applicant", "secretariat"}

# (kind, trigger, source, dest, roles allowed)
TABLE = [
    ("concept_paper", "submit", "drafting", "swg_review", COORD),
    ("concept_paper", "swg_agree", "swg_review", "soc_consideration", SYS),
    ("concept_paper", "swg_return", "swg_review", "drafting", SYS),
    ("concept_paper", "soc_approve", "soc_consideration", "approved", SYS),
    ("concept_paper", "soc_return", "soc_consideration", "drafting", SYS),
    ("concept_paper", "withdraw", "drafting", "withdrawn", COORD),
    ("concept_paper", "withdraw", "swg_review", "withdrawn", COORD),
    ("concept_paper", "withdraw", "soc_consideration", "withdrawn", COORD),
    ("catalogue_amendment", "submit", "proposed", "swg_review", PROP_SEC),
    ("catalogue_amendment", "swg_agree", "swg_review", "soc_consideration", SYS),
    ("catalogue_amendment", "swg_return", "swg_review", "proposed", SYS),
    ("catalogue_amendment", "soc_approve", "soc_consideration", "mc_consideration", SYS),
    ("catalogue_amendment", "soc_return", "soc_consideration", "proposed", SYS),
    ("catalogue_amendment", "mc_adopt", "mc_consideration", "adopted", SYS),
    ("catalogue_amendment", "mc_return", "mc_consideration", "proposed", SYS),
    ("catalogue_amendment", "withdraw", "proposed", "withdrawn", PROP_SEC),
    ("catalogue_amendment", "withdraw", "swg_review", "withdrawn", PROP_SEC),
    ("catalogue_amendment", "withdraw", "soc_consideration", "withdrawn", PROP_SEC),
    ("catalogue_amendment", "withdraw", "mc_consideration", "withdrawn", PROP_SEC),
    ("observer_application", "begin_check", "received", "secretariat_check", SEC),
    ("observer_application", "forward_to_soc", "secretariat_check", "soc_consideration", SEC),
    ("observer_application", "soc_recommend", "soc_consideration", "mc_consideration", SYS),
    ("observer_application", "soc_grant", "soc_consideration", "granted", SYS),
    ("observer_application", "soc_defer", "soc_consideration", "deferred", SYS),
    ("observer_application", "mc_grant", "mc_consideration", "granted", SYS),
    ("observer_application", "mc_defer", "mc_consideration", "deferred", SYS),
    ("observer_application", "reconsider", "deferred", "soc_consideration", SEC),
    ("observer_application", "record_not_agreed", "deferred", "not_agreed", SEC),
    ("observer_application", "withdraw", "received", "withdrawn", APPL_SEC),
    ("observer_application", "withdraw", "secretariat_check", "withdrawn", APPL_SEC),
    ("observer_application", "withdraw", "soc_consideration", "withdrawn", APPL_SEC),
    ("observer_application", "withdraw", "mc_consideration", "withdrawn", APPL_SEC),
    ("observer_application", "withdraw", "deferred", "withdrawn", APPL_SEC),
    ("admission", "record_signatures", "application", "founding_documents_signed", SEC),
    ("admission", "forward_to_soc", "founding_documents_signed", "soc_consideration", SEC),
    ("admission", "soc_recommend", "soc_consideration", "summit_consideration", SYS),
    ("admission", "soc_defer", "soc_consideration", "founding_documents_signed", SYS),
    ("admission", "summit_admit", "summit_consideration", "admitted", SYS),
    ("admission", "summit_defer", "summit_consideration", "founding_documents_signed", SYS),
    ("admission", "withdraw", "application", "withdrawn", APPL_SEC),
    ("admission", "withdraw", "founding_documents_signed", "withdrawn", APPL_SEC),
    ("admission", "withdraw", "soc_consideration", "withdrawn", APPL_SEC),
    ("admission", "withdraw", "summit_consideration", "withdrawn", APPL_SEC),
    ("project_proposal", "screen", "submitted", "secretariat_screening", SEC),
    ("project_proposal", "return_for_revision", "secretariat_screening", "returned", SEC),
    ("project_proposal", "resubmit", "returned", "submitted", PROP_SEC),
    ("project_proposal", "forward_to_prc", "secretariat_screening", "prc_review", SEC),
    ("project_proposal", "prc_approve", "prc_review", "approved", SYS),
    ("project_proposal", "prc_return", "prc_review", "returned", SYS),
    ("project_proposal", "record_not_approved", "returned", "not_approved", SEC),
    ("project_proposal", "open_funding", "approved", "funding", SEC),
    ("project_proposal", "start_implementation", "funding", "implementation", SEC),
    ("project_proposal", "complete", "implementation", "completed", SEC),
    ("project_proposal", "withdraw", "submitted", "withdrawn", PROP_SEC),
    ("project_proposal", "withdraw", "secretariat_screening", "withdrawn", PROP_SEC),
    ("project_proposal", "withdraw", "returned", "withdrawn", PROP_SEC),
    ("project_proposal", "withdraw", "prc_review", "withdrawn", PROP_SEC),
    ("project_proposal", "withdraw", "approved", "withdrawn", PROP_SEC),
    ("project_proposal", "withdraw", "funding", "withdrawn", PROP_SEC),
    ("outcome_document", "submit", "drafting", "swg_readings", PROP_SEC),
    ("outcome_document", "swg_agree", "swg_readings", "soc_consideration", SYS),
    ("outcome_document", "swg_return", "swg_readings", "drafting", SYS),
    ("outcome_document", "soc_recommend", "soc_consideration", "mc_consideration", SYS),
    ("outcome_document", "soc_recommend", "soc_consideration", "summit_consideration", SYS),
    ("outcome_document", "soc_return", "soc_consideration", "drafting", SYS),
    ("outcome_document", "mc_adopt", "mc_consideration", "adopted", SYS),
    ("outcome_document", "mc_return", "mc_consideration", "drafting", SYS),
    ("outcome_document", "summit_adopt", "summit_consideration", "adopted", SYS),
    ("outcome_document", "summit_return", "summit_consideration", "drafting", SYS),
    ("outcome_document", "publish", "adopted", "published", SEC),
    ("outcome_document", "withdraw", "drafting", "withdrawn", PROP_SEC),
    ("outcome_document", "withdraw", "swg_readings", "withdrawn", PROP_SEC),
    ("outcome_document", "withdraw", "soc_consideration", "withdrawn", PROP_SEC),
    ("outcome_document", "withdraw", "mc_consideration", "withdrawn", PROP_SEC),
    ("outcome_document", "withdraw", "summit_consideration", "withdrawn", PROP_SEC),
    ("convention", "reach_threshold", "open_for_signature", "entry_into_force_scheduled", SYS),
    ("convention", "enter_into_force", "entry_into_force_scheduled", "in_force", SYS),
]

PARAMS = {
    ("admission", "record_signatures"): {
        "declaration_signed_on": "2024-05-02",
        "almaty_act_signed_on": "2024-05-02",
    }
}


def _prepare(session, cast, kind, trigger, dest, document):
    """Make the row's guards hold, as earlier steps of the process would have."""
    if (kind, trigger) == ("project_proposal", "start_implementation"):
        operations.record_pledge(
            session, cast.secretariat, document.id, amount=Decimal("100000"), donor="CHN"
        )
    if (kind, trigger) == ("convention", "reach_threshold"):
        for index, code in enumerate(("KAZ", "CHN", "IND")):
            session.add(
                Instrument(
                    document=document,
                    participant=_state(session, code),
                    kind=InstrumentKind.RATIFICATION,
                    deposited_on=date(2024, 1, 10 + index),
                )
            )
    if (kind, trigger) == ("convention", "enter_into_force"):
        document.attributes = {"entry_into_force_on": "2025-01-01"}
    if (kind, trigger) in (("catalogue_amendment", "submit"), ("catalogue_amendment", "mc_adopt")):
        document.attributes = {"catalogue_changes": [{"op": "rename_area", "code": "ECO-4",
                               "name_en": "Tourism and travel", "name_ru": "Туризм и путешествия"}]}
    session.flush()


def _state(session, code):
    from sqlalchemy import select

    from models import Participant

    return session.scalar(select(Participant).where(Participant.code == code))


def _rows():
    for kind, trigger, source, dest, allowed in TABLE:
        for role in ROLES:
            yield pytest.param(
                kind,
                trigger,
                source,
                dest,
                role,
                role in allowed,
                id=f"{kind}.{trigger}.{source}->{dest}.{role}",
            )


def test_table_covers_every_transition():
    shipped = {
        (d.kind, t.trigger, source, t.dest, frozenset(t.allowed))
        for d in registry()
        for t in d.transitions
        for source in t.sources
    }
    table = {(k, t, s, d, frozenset(a)) for k, t, s, d, a in TABLE}
    assert table == shipped


@pytest.mark.parametrize("kind, trigger, source, dest, role, allowed", list(_rows()))
def test_transition_by_role(session, cast, in_state, kind, trigger, source, dest, role, allowed):
    summit = kind == "outcome_document" and dest == "summit_consideration"
    overrides = {"target_body": "SUMMIT"} if summit else {}
    document = in_state(kind, source, **overrides)
    _prepare(session, cast, kind, trigger, dest, document)
    actor = cast.by_role(role)
    params = PARAMS.get((kind, trigger))
    if allowed:
        operations.fire_trigger(
            session, actor, document.id, trigger, comment="reason", params=params
        )
        assert document.state == dest
    else:
        with pytest.raises(NotPermitted):
            operations.fire_trigger(
                session, actor, document.id, trigger, comment="reason", params=params
            )
        assert document.state == source


def _wrong_states():
    for definition in registry():
        for trigger in definition.triggers:
            sources = {s for t in definition.transitions if t.trigger == trigger for s in t.sources}
            wrong = next(s for s in definition.states if s not in sources)
            yield pytest.param(definition.kind, trigger, wrong, id=f"{definition.kind}.{trigger}")


@pytest.mark.parametrize("kind, trigger, state", list(_wrong_states()))
def test_trigger_refused_in_other_states(session, cast, in_state, kind, trigger, state):
    document = in_state(kind, state)
    with pytest.raises(TriggerNotAllowed) as refused:
        operations.fire_trigger(session, cast.secretariat, document.id, trigger, comment="reason")
    assert refused.value.trigger == trigger
    assert refused.value.allowed == operations.permitted_triggers(
        session, cast.secretariat, document
    )
    assert document.state == state
