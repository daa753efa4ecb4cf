"""Choosing the interface's language: the switch (kept in a cookie), Accept-Language, the default;
the engine's refusals and the API's problems in the reader's language."""

from __future__ import annotations


def test_english_by_default_and_the_switch_offers_russian(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert 'href="?lang=ru"' in page and "Русский" in page


def test_the_switch_changes_the_page_and_a_cookie_keeps_it(client):
    response = client.get("/login?lang=ru")
    assert '<html lang="ru">' in response.get_data(as_text=True)
    assert "lang=ru" in response.headers["Set-Cookie"]
    later = client.get("/login").get_data(as_text=True)  # the cookie, no parameter
    assert '<html lang="ru">' in later
    assert "Время указано" in later


def test_a_language_outside_the_profile_is_ignored(client):
    response = client.get("/login?lang=xx")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_accept_language_chooses_when_nothing_else_does(client):
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in page.get_data(as_text=True)


def test_the_switch_beats_accept_language(client):
    page = client.get("/login?lang=en", headers={"Accept-Language": "ru"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_an_engine_refusal_is_shown_in_russian(client, world):
    """A second round while one is open: the engine's reason, translated, values filled in."""
    from web_helpers import sign_in

    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    client.get("/?lang=ru")
    response = client.post(
        f"/documents/{world.concept.id}/rounds/new",
        data={"mode": "meeting", "timezone": "Asia/Almaty"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"Этот шаг пока невозможен: раунд {world.silence.id} по " in page
    assert "ещё открыт" in page
    assert "is still open" not in page
