"""Visibility: the Python predicate and the SQL filter of each rule agree, for every role."""

from __future__ import annotations

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from models import AuditEvent, Body, Document, PositionKind, Round, RoundMode
from workflow import operations
from workflow.visibility import (
    can_see_document,
    can_see_event,
    can_see_round,
    documents_visible_to,
    events_visible_to,
    rounds_visible_to,
)


@pytest.fixture
def record(session, cast):
    """A shared paper with SWG and SOC rounds, a restricted one, and a project before the PRC
    (a body observers do not attend)."""
    shared = operations.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="Shared",
        title_ru="Документ",
        priority_area="MIL-1",
        texts=TEXTS,
    )
    operations.fire_trigger(session, cast.coordinator, shared.id, "submit")
    swg = operations.open_round(session, cast.secretariat, shared.id, mode=RoundMode.MEETING)
    operations.record_position(
        session, cast.coordinator, swg.id, participant="KAZ", kind=PositionKind.CONSENT
    )
    operations.close_round(session, cast.secretariat, swg.id)
    restricted = operations.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="Restricted",
        title_ru="Документ",
        priority_area="MIL-1",
        restricted=True,
        texts=TEXTS,
    )
    project = operations.create_document(
        session,
        cast.proposer,
        kind="project_proposal",
        title="Project",
        title_ru="Документ",
        proposer="CHN",
        budget="1000",
        texts=TEXTS,
    )
    operations.fire_trigger(session, cast.secretariat, project.id, "screen")
    operations.fire_trigger(session, cast.secretariat, project.id, "forward_to_prc")
    prc = operations.open_round(session, cast.secretariat, project.id, mode=RoundMode.MEETING)
    operations.record_position(
        session, cast.proposer, prc.id, participant="CHN", kind=PositionKind.CONSENT
    )
    assert not session.scalar(select(Body.observers_attend).where(Body.id == prc.body_id))
    return [shared, restricted, project]


@pytest.mark.parametrize("role", ["observer", "coordinator", "secretariat", "admin"])
def test_predicate_and_filter_agree(session, cast, record, role):
    user = cast.by_role(role)
    ids = [d.id for d in record]
    documents = session.scalars(select(Document).where(Document.id.in_(ids))).all()
    filtered = set(
        session.scalars(select(Document.id).where(Document.id.in_(ids), documents_visible_to(user)))
    )
    assert filtered == {d.id for d in documents if can_see_document(user, d)}

    rounds = session.scalars(select(Round).where(Round.document_id.in_(ids))).all()
    filtered = set(
        session.scalars(select(Round.id).where(Round.document_id.in_(ids), rounds_visible_to(user)))
    )
    assert filtered == {r.id for r in rounds if can_see_round(user, r)}

    by_id = {r.id: r for r in rounds}
    events = session.scalars(select(AuditEvent).where(AuditEvent.document_id.in_(ids))).all()
    filtered = set(
        session.scalars(
            select(AuditEvent.id).where(AuditEvent.document_id.in_(ids), events_visible_to(user))
        )
    )
    expected = {
        e.id
        for e in events
        if can_see_event(user, e, by_id.get((e.data or {}).get("round_id")))
        # the filter speaks of events; the document's own visibility is checked before
    }
    assert filtered == expected
    # The observer's history lacks the PRC round's opening and position; others' does not.
    assert (filtered < {e.id for e in events}) == (role == "observer")


def test_an_observer_sees_neither_restricted_papers_nor_unattended_rounds(session, cast, record):
    shared, restricted, project = record
    observer = cast.observer
    assert can_see_document(observer, shared) and not can_see_document(observer, restricted)
    prc_round = session.scalar(select(Round).where(Round.document_id == project.id))
    assert not can_see_round(observer, prc_round)
    assert can_see_round(cast.other, prc_round)
