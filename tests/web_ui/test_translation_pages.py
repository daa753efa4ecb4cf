"""The Secretariat's translation form on the document page: the text in a language added
or corrected as a translation of the current version keeps the version and its open
silence round; the page says when each language's text arrived; a delegate is refused."""

from __future__ import annotations

from web_helpers import sign_in

from models import Document, Round, RoundStatus

RU = "# Документ\n\n1. Первое, с поправкой."


def _post(client, document, **data):
    return client.post(
        f"/documents/{document.id}/translations",
        data={f"translation-{name}": value for name, value in data.items()},
    )


def test_the_secretariat_adds_the_russian_text_and_the_silence_round_stays(client, world, session):
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    page = client.get(f"/documents/{world.concept.id}?lang=en").get_data(as_text=True)
    assert "Add or correct a translation of Rev.1" in page
    assert f'action="/documents/{world.concept.id}/translations"' in page
    assert "Text arrived" in page
    versions = len(world.concept.versions)

    done = _post(client, world.concept, language="ru", text=RU, note="From the language service")
    assert done.status_code == 302, done.get_data(as_text=True)
    document = session.get(Document, world.concept.id)
    assert len(document.versions) == versions
    assert document.current_version.text("ru") == RU
    assert session.get(Round, world.silence.id).status is RoundStatus.OPEN
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "unchanged since" not in page
    assert "declared a translation of this version by" in page
    assert "Translation declared</strong>" in page and "· Русский" in page  # the record
    page = client.get(f"/documents/{world.concept.id}?lang=ru").get_data(as_text=True)
    assert "Текст поступил" in page and "Добавить или исправить перевод" in page


def test_the_correction_page_offers_the_text_as_it_stands(client, world):
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    page = client.get(f"/documents/{world.amendment.id}/translations?language=ru&lang=en").get_data(
        as_text=True
    )
    assert "A translation of" in page and "1. Первое." in page
    assert '<option selected value="ru">' in page


def test_a_refused_translation_keeps_what_was_typed(client, world):
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    client.get("/?lang=en")
    refused = _post(client, world.amendment, language="ru", text="# Документ\n\n1. Первое.")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "already this text" in page and "1. Первое." in page
    assert _post(client, world.amendment, language="ru", text="").status_code == 422


def test_a_delegate_has_no_translation_form_and_is_refused(client, world, session):
    assert sign_in(client, world.users["coordinator"].email).status_code == 302
    page = client.get(f"/documents/{world.concept.id}?lang=en").get_data(as_text=True)
    assert "Add or correct a translation" not in page and "Text arrived" in page
    assert client.get(f"/documents/{world.concept.id}/translations").status_code == 403
    refused = _post(client, world.concept, language="ru", text=RU)
    assert refused.status_code == 403
    assert session.get(Document, world.concept.id).current_version.text("ru") is None
