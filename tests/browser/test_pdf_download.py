"""The PDF download from a document page, in a real browser, read back with pypdf."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

CONCEPT_TITLE = "Expert workshop on information exchange about military exercises"


def test_a_delegate_downloads_the_document_as_a_pdf(open_page, tmp_path):
    page = open_page("chn@concord.example")
    page.goto(f"{page.base}/documents?lang=ru")
    page.locator("tr", has_text="CICA/CP").locator("a.symbol").first.click()
    with page.expect_download() as waiting:
        page.click("text=Скачать в PDF")
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert saved.suffix == ".pdf" and "CICA/CP/" in text
    assert "Распечатано из Concord" in text  # the reader's language, in Cyrillic
