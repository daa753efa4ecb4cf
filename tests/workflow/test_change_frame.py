"""The one frame every operation runs in: lock, check, act, audit, touch, flush."""

from __future__ import annotations

import pytest
from engine_helpers import TEXTS
from sqlalchemy import func, select

from models import AuditEvent
from workflow import operations
from workflow.change import document_change


@pytest.fixture
def paper(session, cast):
    return operations.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="P",
        title_ru="Документ",
        priority_area="MIL-1",
        texts=TEXTS,
    )


def _events(session) -> int:
    return session.scalar(select(func.count(AuditEvent.id)))


def test_a_change_that_writes_no_audit_event_is_refused(session, paper):
    with pytest.raises(RuntimeError, match="every change writes an audit event"):  # noqa: SIM117
        with document_change(session, None, paper.id) as change:
            change.document.title = "Changed behind the record's back"


def test_a_change_records_touches_and_flushes(session, paper):
    before, events = paper.lock_version, _events(session)
    with document_change(session, None, paper.id) as change:
        change.record("note_added", comment="A note")
    assert paper.lock_version == before + 1
    assert _events(session) == events + 1


def test_a_skipped_change_writes_and_touches_nothing(session, paper):
    before, events = paper.lock_version, _events(session)
    with document_change(session, None, paper.id) as change:
        change.skip()
    assert (paper.lock_version, _events(session)) == (before, events)
    with pytest.raises(RuntimeError, match="skipped"):  # noqa: SIM117
        with document_change(session, None, paper.id) as change:
            change.record("note_added")
            change.skip()


def test_an_error_inside_the_frame_finishes_nothing(session, paper):
    before, events = paper.lock_version, _events(session)
    with pytest.raises(ValueError):  # noqa: SIM117
        with document_change(session, None, paper.id):
            raise ValueError("refused")
    assert (paper.lock_version, _events(session)) == (before, events)
