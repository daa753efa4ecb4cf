"""The documents page searches titles and texts in both languages (`?q=`)."""

from __future__ import annotations

from web_helpers import sign_in


def test_the_documents_page_finds_a_russian_word_in_a_text(client, world):
    sign_in(client, world.users["observer"].email)
    page = client.get("/documents?q=первого").get_data(as_text=True)  # «Первое.» in Russian
    assert "Measure B" in page and "Convention C" in page
    assert "Restricted paper" not in page  # not shared with observers
    assert "Paper A" not in page  # its current text (Rev.1) is in English only
    page = client.get("/documents?q=amended").get_data(as_text=True)  # Paper A's Rev.1 only
    assert "Paper A" in page and "Measure B" not in page
    page = client.get("/documents?q=%25").get_data(as_text=True)
    assert "Paper A" not in page and "Measure B" not in page
