"""Pages say the forum's own words (the profile's [vocabulary]) and its currency: CICA's
"member states" and "bodies of the Conference", another forum's words in its place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from web_helpers import sign_in

from bootstrap.profile import load_profile
from models import Base, Document, Forum, Participant
from models.db import make_engine
from web import create_app
from workflow import operations
from workflow.accounts import create_user

SMALL_FORUM = Path(__file__).parents[1] / "data" / "profiles" / "small_forum.toml"
PASSWORD = "a-long-test-password-9"


def test_cica_pages_read_as_cica_says(client):
    page = client.get("/login").get_data(as_text=True)
    assert "bodies of the Conference" in page and "member states" in page
    russian = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "органы Совещания" in russian and "государства-члены" in russian
    assert "Chairmanship: Azerbaijan." in page  # the profile's chair, in its word
    assert "Председательство: Азербайджан." in russian


def test_a_word_the_profile_leaves_out_is_the_neutral_one(session, client):
    forum = session.scalar(select(Forum))
    forum.vocabulary = {k: v for k, v in forum.vocabulary.items() if k != "bodies"}
    session.flush()
    page = client.get("/login").get_data(as_text=True)
    assert "before the bodies." in page and "bodies of the Conference" not in page


def test_the_budget_is_in_the_forum_s_currency(session, client, make_user):
    proposer = make_user(session, delegate_of=["CHN"])
    document = operations.create_document(
        session, proposer, kind="project_proposal", title="Wells", title_ru="Колодцы",
        texts={"en": "Text.", "ru": "Текст."}, proposer="CHN", budget="1250",
    )
    sign_in(client, proposer.email)
    assert "$1,250.00" in client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Budget (USD)" in client.get("/documents/new").get_data(as_text=True)
    session.scalar(select(Forum)).currency = "EUR"
    session.flush()
    assert "€1,250.00" in client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Budget (EUR)" in client.get("/documents/new").get_data(as_text=True)


def test_another_forum_s_pages_say_its_words(settings, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'small.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, SMALL_FORUM)
        create_user(
            session, email="admin@bsf.example", name="Admin", password=PASSWORD, admin=True
        )
        session.commit()
    app = create_app(settings, session_factory=lambda: Session(engine))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "coastal states" in page and "councils of the Forum" in page
    assert "member states" not in page and "Conference" not in page
    russian = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "прибрежные государства" in russian and "советы Форума" in russian
    assert "Presidency: Finland." in page and "Президентство: Финляндия." in russian
    sign_in(client, "admin@bsf.example", PASSWORD)
    assert "Times are shown in Europe/Vienna." in client.get("/").get_data(as_text=True)
    invite = client.get("/users/invite").get_data(as_text=True)
    assert "IMO" in invite  # the partner may have observer delegates here
    with Session(engine) as session:
        assert session.scalar(select(Participant.status).where(Participant.code == "IMO")).value == "partner"
    engine.dispose()


def test_the_new_document_form_offers_the_forum_s_working_languages(session, client, make_user):
    proposer = make_user(session, delegate_of=["CHN"])
    sign_in(client, proposer.email)
    page = client.get("/documents/new").get_data(as_text=True)
    assert 'name="text_en"' in page and 'name="text_ru"' in page and "text_fr" not in page
    forum = session.scalar(select(Forum))
    forum.languages = ["en", "fr"]
    session.flush()
    page = client.get("/documents/new").get_data(as_text=True)
    assert 'name="text_fr"' in page and "Français text (Markdown)" in page
    assert 'name="text_ru"' not in page
    response = client.post("/documents/new", data={
        "kind": "outcome_document", "title": "Ports", "proposer": "CHN", "target_body": "MC",
        "text_en": "English.", "text_fr": "Français.",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    document = session.scalar(select(Document).where(Document.title == "Ports"))
    assert document.current_version.text("fr") == "Français."
