"""Every page in Russian, as every role sees it: no English interface text is left."""

from __future__ import annotations

import pytest
from interface_text import english_left, visible_text
from test_authorisation import PAGES, _path
from web_helpers import sign_in

ROLES_SEEN = ("observer", "delegate_of_the_state", "coordinator", "secretariat")


@pytest.mark.parametrize("role", ROLES_SEEN)
def test_every_page_in_russian_shows_no_english_interface_text(client, world, role):
    assert sign_in(client, world.users[role].email).status_code == 302
    client.get("/?lang=ru")
    leaks = {}
    for template, expected in PAGES:
        path = _path(template, world)
        if expected[role] != 200 or path.split("?")[0].endswith((".csv", ".ics", ".pdf")):
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert '<html lang="ru">' in html, path
        if found := english_left(visible_text(html)):
            leaks[path] = found
    assert not leaks, leaks


def test_the_check_finds_english_left_on_a_page(client, world):
    """The check itself: the same pages in English are full of the catalogue's msgids."""
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    response = client.get("/secretariat/tracker?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert {"Pending decisions", "Download CSV"} <= set(english_left(visible_text(html)))


def test_the_sign_in_page_and_error_pages_in_russian(client, world):
    login = client.get("/login?lang=ru").get_data(as_text=True)
    assert "Вход" in login
    assert not english_left(visible_text(login))
    refused = client.post("/login", data={"email": "nobody@example.org", "password": "wrong-1"})
    assert refused.status_code == 401
    assert "Неверный адрес электронной почты или пароль." in refused.get_data(as_text=True)
    assert sign_in(client, world.users["observer"].email).status_code == 302
    missing = client.get("/documents/999999")
    assert missing.status_code == 404
    page = missing.get_data(as_text=True)
    assert "Не найдено" in page and "Такой страницы нет" in page
    assert not english_left(visible_text(page))
    forbidden = client.get("/secretariat/tracker")
    assert forbidden.status_code == 403
    assert "Эта страница предназначена для Секретариата." in forbidden.get_data(as_text=True)
