"""The working languages kept in step: a version that changes one language's text and not
another's is circulated only on the coordinator's confirmation, and the document says which
text is unchanged since which version until a later version brings them together."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Version
from workflow import operations as ops
from workflow.documents import texts_behind
from workflow.errors import TextsOutOfStep

EN1, RU1 = "Draft text.", "Проект текста."


@pytest.fixture
def paper(new_document):
    return new_document("concept_paper", texts={"en": EN1, "ru": RU1})


def _versions(session, paper) -> int:
    return len(session.scalars(select(Version).where(Version.document_id == paper.id)).all())


def test_a_version_changing_only_the_english_text_is_refused_without_confirmation(
    session, cast, paper
):
    with pytest.raises(TextsOutOfStep) as refused:
        ops.add_version(session, cast.coordinator, paper.id, texts={"en": "New.", "ru": RU1})
    assert refused.value.languages == ["ru"]
    assert refused.value.message.startswith("the %(languages)s text is unchanged")  # N_
    assert "RU text is unchanged" in str(refused.value)
    assert _versions(session, paper) == 1  # nothing of the refused version reaches the database
    assert len(paper.versions) == 1 and texts_behind(paper) == {}


def test_the_reverse_too_and_a_left_out_language_counts_as_unchanged(session, cast, paper):
    with pytest.raises(TextsOutOfStep) as refused:
        ops.add_version(session, cast.coordinator, paper.id, texts={"en": EN1, "ru": "Новый."})
    assert refused.value.languages == ["en"]
    with pytest.raises(TextsOutOfStep) as refused:
        ops.add_version(session, cast.coordinator, paper.id, texts={"en": "New."})
    assert refused.value.languages == ["ru"]


def test_confirmed_the_version_circulates_and_the_language_stays_behind_until_brought_in(
    session, cast, paper
):
    ops.add_version(
        session, cast.coordinator, paper.id, texts={"en": "New.", "ru": RU1},
        circulate_unchanged=True,
    )
    assert texts_behind(paper) == {"ru": 1}  # unchanged since the original
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "version_added")
    ).all()[-1]
    assert event.data["unchanged"] == ["ru"]

    # English moves again: the Russian text is still behind, so it needs the confirmation again.
    with pytest.raises(TextsOutOfStep):
        ops.add_version(session, cast.coordinator, paper.id, texts={"en": "Newer.", "ru": RU1})
    ops.add_version(
        session, cast.coordinator, paper.id, texts={"en": "Newer.", "ru": RU1},
        circulate_unchanged=True,
    )
    assert texts_behind(paper) == {"ru": 1}

    # The Russian text catches up alone: no confirmation, the languages are in step again.
    ops.add_version(session, cast.coordinator, paper.id, texts={"en": "Newer.", "ru": "Новее."})
    assert texts_behind(paper) == {}


def test_since_names_the_version_the_text_last_changed_in(session, cast, paper):
    ops.add_version(session, cast.coordinator, paper.id, texts={"en": "A.", "ru": "А."})  # Rev.1
    ops.add_version(
        session, cast.coordinator, paper.id, texts={"en": "B.", "ru": "А."},
        circulate_unchanged=True,
    )
    assert texts_behind(paper) == {"ru": 2}  # version 2 is Rev.1
    ops.add_version(session, cast.coordinator, paper.id, texts={"en": "C.", "ru": "В."})
    assert texts_behind(paper) == {}


def test_unchanged_texts_in_every_language_need_no_confirmation(session, cast, paper):
    ops.add_version(session, cast.coordinator, paper.id, texts={"en": EN1, "ru": RU1})
    assert texts_behind(paper) == {}
