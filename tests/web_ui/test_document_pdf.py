"""A document's current version and its outcome as a PDF to read offline, Cyrillic included."""

from __future__ import annotations

import io

from pypdf import PdfReader
from web_helpers import sign_in

from workflow import operations


def _text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_current_version_downloads_as_a_pdf(client, world):
    sign_in(client, world.users["observer"].email)
    response = client.get(f"/documents/{world.concept.id}/document.pdf")
    assert 'filename="CICA-CP-1-25-Rev.1.pdf"' in response.headers["Content-Disposition"]
    text = _text(response)
    assert "CICA/CP/1/25/Rev.1" in text and "Paper A" in text
    assert "First, amended." in text
    assert "Документ" in text  # the Russian title, in Cyrillic


def test_the_pdf_carries_the_outcome_and_its_statements(client, world, session):
    users = world.users
    operations.record_position(
        session,
        users["delegate_of_the_state"],
        world.silence.id,
        participant="CHN",
        kind="reservation",
        text="China reads paragraph 1 as voluntary.",
    )
    session.commit()
    sign_in(client, users["coordinator"].email)
    text = _text(client.get(f"/documents/{world.concept.id}/document.pdf?lang=ru"))
    # The round is still open: no outcome yet, so the reservation is not in the file.
    assert "voluntary" not in text
    operations.expire_round(session, world.silence.id, now=world.silence.deadline_at)
    session.commit()
    text = _text(client.get(f"/documents/{world.concept.id}/document.pdf?lang=ru"))
    assert "Оговорки" in text and "China reads paragraph 1 as voluntary." in text


def test_a_document_the_reader_may_not_see_has_no_pdf(client, world):
    sign_in(client, world.users["observer"].email)
    assert client.get(f"/documents/{world.restricted.id}/document.pdf").status_code == 404
    assert client.get("/documents/999999/document.pdf").status_code == 404
