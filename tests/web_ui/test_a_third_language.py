"""A third interface language is a catalogue and the profile's `interface_languages`, no code:
offered once both are there, with English where its catalogue or the record has no text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import web.i18n
from models import Forum


@pytest.fixture
def chinese(session, monkeypatch):
    """The profile names Chinese; a compiled catalogue for it is there (as `pybabel compile`
    would leave it)."""
    forum = session.scalar(select(Forum))
    forum.interface_languages = ["zh"]
    session.flush()
    monkeypatch.setattr(web.i18n, "catalogued", lambda: frozenset({"en", "ru", "zh"}))
    return forum


def test_the_interface_offers_a_language_of_the_profile_with_a_catalogue(client, chinese):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="?lang=zh"' in page and "中文" in page
    chosen = client.get("/login?lang=zh").get_data(as_text=True)
    assert '<html lang="zh">' in chosen
    assert "Sign in" in chosen  # not translated yet: English
    assert chinese.languages == ["en", "ru"]  # the working languages stay as they were


def test_an_interface_language_without_a_catalogue_is_not_offered(client, session):
    forum = session.scalar(select(Forum))
    forum.interface_languages = ["zh"]
    session.flush()
    page = client.get("/login?lang=zh").get_data(as_text=True)
    assert '<html lang="en">' in page and 'href="?lang=zh"' not in page


def test_the_reader_languages_put_the_working_languages_first():
    forum = Forum(languages=["en", "ru"], interface_languages=["ru", "zh"])
    assert forum.reader_languages == ["en", "ru", "zh"]
    assert Forum(languages=["en"], interface_languages=None).reader_languages == ["en"]
