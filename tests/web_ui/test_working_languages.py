"""A forum whose working languages are English and French (tests/data/profiles/lake_forum.toml,
its own process in tests/data/workflows_fr/): every form and page where a person enters or
reads a document's text, title or a name works in those languages, with no Russian asked
for or shown; names given in English only load. CICA's pages keep English and Russian."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from isolated_db import isolated_runtime
from pypdf import PdfReader
from sqlalchemy import select
from web_helpers import sign_in

from bootstrap.profile import read_profile
from models import Body, Document, Forum, Participant, RoundMode, User
from web import create_app
from workflow import operations
from workflow.accounts import create_user
from workflow.errors import DefinitionError, InvalidInput
from workflow.registry import configure
from workflow.tokens import create_token

DATA = Path(__file__).parents[1] / "data"
LAKE = DATA / "profiles" / "lake_forum.toml"
SMALL_FORUM = DATA / "profiles" / "small_forum.toml"
PASSWORD = "a-long-test-password-9"
EN = "# Resolution\n\n1. The ports shall cooperate."
FR = "# Résolution\n\n1. Les ports coopèrent sur les propositions communes."


@pytest.fixture
def lake(engine, tmp_path):
    """The Lake Forum on a database of its own, its definitions in force, and a client."""
    configure(DATA / "workflows_fr", ("en", "fr"))
    try:
        with isolated_runtime(engine, tmp_path, profile=LAKE) as runtime:
            with runtime.transaction() as session:
                create_user(
                    session, email="officer@lkf.example", name="Officer", password=PASSWORD,
                    secretariat=True,
                )
                create_user(
                    session, email="fra@lkf.example", name="Delegate", password=PASSWORD,
                    delegate_of=("FRA",),
                )
            app = create_app(runtime=runtime)
            app.config["WTF_CSRF_ENABLED"] = False
            yield runtime, app.test_client()
    finally:
        configure(None)


def _officer(client):
    assert sign_in(client, "officer@lkf.example", PASSWORD).status_code == 302


def _officer_row(session) -> User:
    return session.scalar(select(User).where(User.email == "officer@lkf.example"))


def _document(runtime, title="Ports", texts=None) -> int:
    with runtime.transaction() as session:
        officer = _officer_row(session)
        return operations.create_document(
            session, officer, kind="resolution", title=title, texts=texts or {"en": EN, "fr": FR}
        ).id


def test_the_profile_loads_without_russian_names(lake):
    runtime, _client = lake
    with runtime.sessions() as session:
        assert session.scalar(select(Forum)).name_ru == ""
        assert session.scalar(select(Participant).where(Participant.code == "FRA")).name_ru == ""
        assert session.scalar(select(Body)).name_ru == ""


def test_a_russian_name_stays_required_where_russian_is_a_working_language(tmp_path):
    text = SMALL_FORUM.read_text(encoding="utf-8").replace('name_ru = "Норвегия"\n', "", 1)
    broken = tmp_path / "small.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as refused:
        read_profile(broken)
    assert "participants[0].name_ru" in str(refused.value) and "is required" in str(refused.value)
    french = text.replace('languages = ["en", "ru"]', 'languages = ["en", "fr"]')
    (tmp_path / "small_fr.toml").write_text(french, encoding="utf-8")
    with pytest.raises(DefinitionError) as no_french_words:
        read_profile(tmp_path / "small_fr.toml")  # its vocabulary gives no French words
    assert "vocabulary" in str(no_french_words.value)
    bad = text.replace('languages = ["en", "ru"]', 'languages = "en"')
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(DefinitionError, match="forum.languages"):
        read_profile(tmp_path / "bad.toml")


def test_the_new_document_form_asks_for_english_and_french_and_no_russian(lake):
    runtime, client = lake
    _officer(client)
    page = client.get("/documents/new").get_data(as_text=True)
    assert 'name="text_en"' in page and 'name="text_fr"' in page
    assert "Français text (Markdown)" in page
    assert 'name="title_ru"' not in page and 'name="text_ru"' not in page
    assert "Title in Russian" not in page
    done = client.post("/documents/new", data={
        "kind": "resolution", "title": "Ports", "text_en": EN, "text_fr": FR,
    })
    assert done.status_code == 302, done.get_data(as_text=True)
    with runtime.sessions() as session:
        document = session.scalar(select(Document).where(Document.title == "Ports"))
        assert document.title_ru == ""
        assert document.current_version.text("fr") == FR


def test_a_new_version_in_french(lake):
    runtime, client = lake
    document_id = _document(runtime)
    _officer(client)
    form = client.get(f"/documents/{document_id}/versions/new").get_data(as_text=True)
    assert 'name="text_fr"' in form and "Les ports coopèrent" in form
    assert 'name="text_ru"' not in form
    revised = FR.replace("coopèrent", "coopèrent étroitement")
    done = client.post(f"/documents/{document_id}/versions/new", data={
        "lock_version": "", "text_en": EN + " Closely.", "text_fr": revised, "note": "fr",
    })
    assert done.status_code == 302, done.get_data(as_text=True)
    with runtime.sessions() as session:
        document = session.get(Document, document_id)
        assert len(document.versions) == 2
        assert document.current_version.text("fr") == revised
    empty = client.post(f"/documents/{document_id}/versions/new", data={
        "text_en": "", "text_fr": "",
    })
    assert empty.status_code == 422
    assert "Give the text in at least one language." in empty.get_data(as_text=True)


def test_the_document_page_and_the_diff_read_english_and_french(lake):
    runtime, client = lake
    document_id = _document(runtime)
    with runtime.transaction() as session:
        officer = _officer_row(session)
        operations.add_version(session, officer, document_id, texts={
            "en": EN, "fr": FR.replace("communes", "nouvelles"),
        }, circulate_unchanged=True)
    _officer(client)
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert '<p class="lang">English</p>' in page and '<p class="lang">Français</p>' in page
    assert page.index('<p class="lang">English</p>') < page.index('<p class="lang">Français</p>')
    assert "Русский" not in page.split("<main", 1)[-1]
    assert '<option value="fr">Français</option>' in page
    pdf = client.get(f"/documents/{document_id}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    printed = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "FRANÇAIS" in printed.upper() and "propositions nouvelles" in printed
    diff = client.get(f"/documents/{document_id}/diff").get_data(as_text=True)
    assert 'id="diff-fr"' in diff and "<h2>Français</h2>" in diff
    assert '<del class="diff-del"><span class="visually-hidden">[deleted: </span>communes' in diff
    assert 'id="diff-en"' in diff and diff.index('id="diff-en"') < diff.index('id="diff-fr"')
    only = client.get(f"/documents/{document_id}/diff?lang=fr")
    assert only.status_code == 200 and 'id="diff-fr"' in only.get_data(as_text=True)
    refused = client.get(f"/documents/{document_id}/diff?lang=ru")
    assert refused.status_code == 422
    assert "Choose one of the forum&#39;s working languages." in refused.get_data(as_text=True)


def test_the_secretariat_translates_into_french(lake):
    runtime, client = lake
    document_id = _document(runtime, texts={"en": EN})
    _officer(client)
    form = client.get(f"/documents/{document_id}/translations").get_data(as_text=True)
    assert '<option value="fr">Français</option>' in form and 'value="ru"' not in form
    done = client.post(f"/documents/{document_id}/translations", data={
        "translation-language": "fr", "translation-text": FR, "translation-note": "Service",
    })
    assert done.status_code == 302, done.get_data(as_text=True)
    with runtime.sessions() as session:
        document = session.get(Document, document_id)
        assert len(document.versions) == 1 and document.current_version.text("fr") == FR
    refused = client.post(f"/documents/{document_id}/translations", data={
        "translation-language": "ru", "translation-text": "Текст.",
    })
    assert refused.status_code == 422


def test_the_position_form_shows_the_french_text_under_decision(lake):
    runtime, client = lake
    document_id = _document(runtime)
    with runtime.transaction() as session:
        officer = _officer_row(session)
        operations.fire_trigger(session, officer, document_id, "circulate")
        round_id = operations.open_round(session, officer, document_id, mode=RoundMode.MEETING).id
    assert sign_in(client, "fra@lkf.example", PASSWORD).status_code == 302
    page = client.get(f"/rounds/{round_id}/position").get_data(as_text=True)
    assert '<p class="lang">Français</p>' in page and "Les ports coopèrent" in page


def test_search_finds_a_french_text_by_a_french_word(lake):
    runtime, client = lake
    _document(runtime, title="Harbours")
    _officer(client)
    page = client.get("/documents?q=propositions").get_data(as_text=True)
    assert "Harbours" in page


def test_registration_forms_ask_no_russian(lake):
    runtime, client = lake
    _officer(client)
    form = client.get("/secretariat/participants/new").get_data(as_text=True)
    assert 'name="name_en"' in form and 'name="name_ru"' not in form
    done = client.post("/secretariat/participants/new", data={
        "kind": "state", "code": "LUX", "name_en": "Luxembourg",
    })
    assert done.status_code == 302, done.get_data(as_text=True)
    with runtime.sessions() as session:
        luxembourg = session.scalar(select(Participant).where(Participant.code == "LUX"))
        assert (luxembourg.name_en, luxembourg.name_ru) == ("Luxembourg", "")
    application = client.get("/secretariat/applications/new").get_data(as_text=True)
    assert 'name="text_fr"' in application and 'name="text_ru"' not in application
    assert "Letter of application, Français (Markdown)" in application
    assert 'name="title_ru"' not in application


def test_cica_forms_keep_english_and_russian(client, session, make_user):
    officer = make_user(session, secretariat=True)
    sign_in(client, officer.email)
    page = client.get("/documents/new?lang=en").get_data(as_text=True)
    assert 'name="title_ru"' in page and 'name="text_ru"' in page and "text_fr" not in page
    application = client.get("/secretariat/applications/new").get_data(as_text=True)
    assert "Letter of application, Russian (Markdown)" in application
    assert 'name="title_ru"' in application
    assert 'name="name_ru"' in client.get("/secretariat/participants/new").get_data(as_text=True)


def test_cica_still_needs_a_russian_name_for_a_new_participant(client, session, make_user):
    officer = make_user(session, secretariat=True)
    with pytest.raises(InvalidInput, match="name_ru"):
        operations.register_participant(
            session, officer, code="OMN", kind="state", name_en="Oman"
        )
    sign_in(client, officer.email)
    refused = client.post("/secretariat/participants/new?lang=en", data={
        "kind": "state", "code": "OMN", "name_en": "Oman",
    })
    assert refused.status_code == 422


def test_the_api_registers_a_participant_with_an_english_name_only(lake):
    runtime, client = lake
    with runtime.transaction() as session:
        officer = _officer_row(session)
        secret = create_token(session, officer).secret
    headers = {"Authorization": f"Bearer {secret}"}
    done = client.post(
        "/api/v1/participants", json={"code": "LUX", "kind": "state", "name_en": "Luxembourg"},
        headers=headers,
    )
    assert done.status_code == 201, done.get_data(as_text=True)
    france = client.get("/api/v1/participants/FRA", headers=headers).get_json()
    assert france["name_en"] == "France" and france["name_ru"] == ""
    document_id = _document(runtime)
    with runtime.transaction() as session:
        officer = _officer_row(session)
        operations.fire_trigger(session, officer, document_id, "circulate")
        round_id = operations.open_round(session, officer, document_id, mode=RoundMode.MEETING).id
    round_ = client.get(f"/api/v1/rounds/{round_id}", headers=headers).get_json()
    assert round_["body_names"] == {"en": "Council of the Lake"}  # no empty Russian name
    assert round_["document_state_titles"]["fr"] == "Lecture au Conseil"
