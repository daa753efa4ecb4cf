"""The new-version form warns before the languages fall out of step and asks for a
confirmation; the document page says which text is unchanged since which version."""

from __future__ import annotations

from web_helpers import sign_in

from models import Document

RU = "# Документ\n\n1. Первое."  # the concept paper's Russian text, left behind by Rev.1
THIRD = "# Paper\n\n1. Third reading."


def _post(client, document, **data):
    # Confirmed up front: voiding the open rounds is asked about elsewhere.
    return client.post(f"/documents/{document.id}/versions/new", data={**data, "confirmed": "yes"})


def test_the_page_says_which_text_is_unchanged_since_when(client, world):
    assert sign_in(client, world.users["observer"].email).status_code == 302
    page = client.get(f"/documents/{world.concept.id}?lang=en").get_data(as_text=True)
    assert "Russian text unchanged since the original" in page
    page = client.get(f"/documents/{world.concept.id}?lang=ru").get_data(as_text=True)
    assert "Текст на русском языке не изменялся с первоначальной редакции" in page
    # A document whose languages moved together says nothing of the kind.
    page = client.get(f"/documents/{world.amendment.id}?lang=en").get_data(as_text=True)
    assert "unchanged since" not in page


def test_a_version_changing_one_language_only_is_held_until_confirmed(client, world, session):
    assert sign_in(client, world.users["coordinator"].email).status_code == 302
    client.get("/?lang=en")
    versions = len(world.concept.versions)
    held = _post(client, world.concept, text_en=THIRD, text_ru=RU)
    assert held.status_code == 422
    page = held.get_data(as_text=True)
    assert "Russian text would be circulated unchanged" in page
    assert "Circulate with the Russian text unchanged" in page
    assert 'name="circulate_unchanged"' in page
    assert len(session.get(Document, world.concept.id).versions) == versions

    done = _post(client, world.concept, text_en=THIRD, text_ru=RU, circulate_unchanged="y")
    assert done.status_code == 302
    assert len(session.get(Document, world.concept.id).versions) == versions + 1
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "Russian text unchanged since the original" in page

    # The Russian text brought in: in step again, no confirmation asked.
    done = _post(client, world.concept, text_en=THIRD, text_ru="# Документ\n\n1. Третье.")
    assert done.status_code == 302
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "unchanged since" not in page


def test_the_warning_in_russian(client, world):
    assert sign_in(client, world.users["coordinator"].email).status_code == 302
    client.get("/?lang=ru")
    held = _post(client, world.restricted, text_en="Changed.", text_ru="")
    assert held.status_code == 422
    page = held.get_data(as_text=True)
    assert "Текст на русском языке будет разослан без изменений" in page
    assert "Разослать, оставив без изменений текст на русском языке" in page
