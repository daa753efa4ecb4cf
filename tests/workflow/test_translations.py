"""Translations that keep the version: the Secretariat adds or corrects one language's text
of the current version; the version, its open rounds and their positions stay, and the text
records when it arrived and who declared it. A change of substance stays a new version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import NOW, advance_clock
from sqlalchemy import select

from models import (
    AuditEvent,
    DueAction,
    DueActionStatus,
    OutcomeKind,
    Position,
    PositionKind,
    RoundMode,
    RoundStatus,
    Version,
)
from workflow import operations as ops
from workflow import queries
from workflow.documents import texts_behind
from workflow.errors import GuardFailed, InvalidInput, NotPermitted, StaleChange

IN_TWO_WEEKS = NOW + timedelta(days=14)


@pytest.fixture
def english_only(in_state):
    return in_state("concept_paper", "soc_consideration", texts={"en": "Draft text."})


@pytest.fixture
def silence(session, cast, english_only):
    round_ = ops.open_round(
        session, cast.secretariat, english_only.id, mode=RoundMode.SILENCE, deadline=IN_TWO_WEEKS
    )
    ops.record_position(
        session,
        cast.secretariat,
        round_.id,
        participant="IND",
        kind=PositionKind.CONSENT,
        reference="NV/IND/1",
    )
    return round_


def _positions(session, round_) -> list[tuple[str, str]]:
    rows = session.scalars(select(Position).where(Position.round_id == round_.id)).all()
    return sorted((p.participant.code, p.kind) for p in rows)


def test_a_translation_keeps_the_version_the_open_silence_round_and_its_positions(
    session, cast, english_only, silence
):
    before = _positions(session, silence)
    arrived = advance_clock(timedelta(days=2))
    text = ops.declare_translation(
        session,
        cast.secretariat,
        english_only.id,
        language="ru",
        text="Проект текста.",
        note="Russian text from the translation service",
    )
    session.refresh(silence)
    assert silence.status is RoundStatus.OPEN
    assert _positions(session, silence) == before
    deadline = session.scalars(select(DueAction).where(DueAction.round_id == silence.id)).all()
    assert deadline and all(d.status is DueActionStatus.PENDING for d in deadline)
    versions = session.scalars(select(Version).where(Version.document_id == english_only.id)).all()
    assert len(versions) == 1 and silence.version_id == versions[0].id
    assert versions[0].text("ru") == "Проект текста."
    assert text.arrived_at == arrived and text.declared_by == cast.secretariat
    english = versions[0].text_row("en")
    assert english.arrived_at == versions[0].created_at and english.declared_by is None
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "translation_declared")
    ).one()
    assert event.data == {"version": "original", "language": "ru", "corrected": False}
    assert event.version_number == 1
    assert event.comment == "Russian text from the translation service"


def test_a_correction_replaces_the_text_and_records_when_it_arrived(session, cast, new_document):
    paper = new_document("concept_paper", texts={"en": "Draft.", "ru": "Черновик с ошибкой."})
    later = advance_clock(timedelta(hours=5))
    ops.declare_translation(session, cast.secretariat, paper.id, language="ru", text="Проект.")
    version = paper.current_version
    assert version.number == 1 and version.text("ru") == "Проект."
    assert version.text_row("ru").arrived_at == later
    assert version.text_row("en").arrived_at == NOW
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "translation_declared")
    ).one()
    assert event.data["corrected"] is True
    assert texts_behind(paper) == {}


def test_a_translation_brings_a_language_left_behind_back_in_step(session, cast, new_document):
    paper = new_document("concept_paper", texts={"en": "Draft.", "ru": "Проект."})
    ops.add_version(
        session,
        cast.coordinator,
        paper.id,
        texts={"en": "New.", "ru": "Проект."},
        circulate_unchanged=True,
    )
    assert texts_behind(paper) == {"ru": 1}
    ops.declare_translation(session, cast.secretariat, paper.id, language="ru", text="Новый.")
    assert texts_behind(paper) == {}
    assert paper.current_version.number == 2


@pytest.mark.parametrize("role", ["coordinator", "proposer", "other", "observer", "admin"])
def test_only_the_secretariat_declares_a_translation(session, cast, english_only, role):
    with pytest.raises(NotPermitted) as refused:
        ops.declare_translation(
            session, cast.by_role(role), english_only.id, language="ru", text="Проект."
        )
    assert "only the Secretariat may declare a translation" in str(refused.value)
    assert english_only.current_version.text("ru") is None
    with pytest.raises(NotPermitted):
        ops.declare_translation(session, None, english_only.id, language="ru", text="Проект.")


def test_a_change_of_substance_stays_a_new_version_and_voids_the_round(
    session, cast, english_only, silence
):
    ops.declare_translation(session, cast.secretariat, english_only.id, language="ru", text="Т.")
    ops.add_version(
        session, cast.coordinator, english_only.id, texts={"en": "Changed.", "ru": "Изменено."}
    )
    session.refresh(silence)
    assert silence.status is RoundStatus.CLOSED and silence.outcome is OutcomeKind.VOID


def test_bad_translations_are_refused_with_a_reason(session, cast, english_only, new_document):
    secretariat = cast.secretariat
    with pytest.raises(InvalidInput, match="not a working language"):
        ops.declare_translation(session, secretariat, english_only.id, language="fr", text="x")
    with pytest.raises(InvalidInput, match="the ru text is empty"):
        ops.declare_translation(session, secretariat, english_only.id, language="ru", text="  ")
    with pytest.raises(InvalidInput, match="NUL"):
        ops.declare_translation(session, secretariat, english_only.id, language="ru", text="a\x00")
    with pytest.raises(InvalidInput, match="already this text"):
        ops.declare_translation(
            session, secretariat, english_only.id, language="en", text="Draft text."
        )
    # The only text cannot be replaced as "a translation": there is nothing it translates.
    with pytest.raises(GuardFailed, match="no text in another language") as refused:
        ops.declare_translation(session, secretariat, english_only.id, language="en", text="New.")
    assert refused.value.guard == "no_source"
    untexted = new_document("concept_paper", texts=None)
    with pytest.raises(GuardFailed, match="no text yet"):
        ops.declare_translation(session, secretariat, untexted.id, language="ru", text="Т.")


def test_a_stale_page_is_refused(session, cast, english_only):
    stale = english_only.lock_version
    ops.declare_translation(session, cast.secretariat, english_only.id, language="ru", text="Т.")
    with pytest.raises(StaleChange):
        ops.declare_translation(
            session,
            cast.secretariat,
            english_only.id,
            language="ru",
            text="Т2.",
            expected_lock_version=stale,
        )


def test_the_translation_is_found_by_search(session, cast, english_only):
    ops.declare_translation(
        session, cast.secretariat, english_only.id, language="ru", text="Синхронизация"
    )
    ops.declare_translation(
        session, cast.secretariat, english_only.id, language="ru", text="Согласование"
    )
    found = queries.list_documents(
        session, cast.secretariat, queries.DocumentFilters(q="Согласование")
    )
    assert [d.id for d in found.documents] == [english_only.id]
    replaced = queries.list_documents(
        session, cast.secretariat, queries.DocumentFilters(q="Синхронизация")
    )
    assert replaced.documents == []
