"""A document's titles: Russian is a working language of the CICA profile, so a document
needs its Russian title beside the English one; nothing is created without it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Document
from workflow import operations
from workflow.errors import InvalidInput

TEXTS = {"en": "# Paper\n\nText.", "ru": "# Документ\n\nТекст."}


@pytest.mark.parametrize("title_ru", [None, "", "   "])
def test_a_document_without_its_russian_title_is_refused(session, cast, title_ru):
    before = session.scalar(select(func.count(Document.id)))
    with pytest.raises(InvalidInput, match="Russian title is required") as refused:
        operations.create_document(
            session,
            cast.by_role("coordinator"),
            kind="concept_paper",
            title="A concept paper",
            title_ru=title_ru,
            priority_area="MIL-1",
            texts=TEXTS,
        )
    assert refused.value.message.startswith("a %(what)s is required")  # translatable
    assert session.scalar(select(func.count(Document.id))) == before


def test_both_titles_are_kept_and_read_per_language(session, cast):
    document = operations.create_document(
        session,
        cast.by_role("coordinator"),
        kind="concept_paper",
        title="A concept paper",
        title_ru="Концептуальный документ",
        priority_area="MIL-1",
        texts=TEXTS,
    )
    assert document.title_in("en") == "A concept paper"
    assert document.title_in("ru") == "Концептуальный документ"
