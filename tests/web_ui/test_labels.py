"""Pages and buttons show the definitions' titles, in the reader's language, not internal names."""

from __future__ import annotations

import html

import pytest
from web_helpers import sign_in

import web.views.documents
import web.views.filters


@pytest.fixture
def russian(monkeypatch):
    """The reader's language as the interface would choose it: Russian."""
    for module in (web.views.documents, web.views.filters):
        monkeypatch.setattr(module, "current_language", lambda: "ru")


def _page(client, world, who: str) -> str:
    sign_in(client, world.users[who].email)
    response = client.get(f"/documents/{world.concept.id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_document_page_shows_titles_not_internal_names(client, world):
    page = _page(client, world, "coordinator")
    assert "SOC consideration" in page and "Concept paper" in page
    assert 'state "SOC consideration" as soc_consideration' in page  # the diagram
    assert ">soc_consideration<" not in page


def test_the_document_page_in_russian(client, world, russian):
    page = _page(client, world, "coordinator")
    assert "Рассмотрение в КСДЛ" in page and "Концептуальная записка" in page
    assert "state &#34;Рассмотрение в КСДЛ&#34; as soc_consideration" in page or (
        'state "Рассмотрение в КСДЛ" as soc_consideration' in page
    )
    assert "Отозвать" in page  # the coordinator's button


def test_the_document_list_offers_states_and_kinds_by_their_titles(client, world, russian):
    sign_in(client, world.users["coordinator"].email)
    page = client.get("/documents").get_data(as_text=True)
    assert ">Рассмотрение в СРГ</option>" in page and ">Концептуальная записка</option>" in page
