"""A Russian-speaking delegate's journey in a real browser: sign in, switch to Russian, find
what awaits the state, object with grounds, read the history; no English interface text on
the way (the catalogue's English messages whose Russian differs), screenshots of each step."""

from __future__ import annotations

import re

import pytest
from browser_helpers import screenshot
from interface_text import english_left, visible_text
from sqlalchemy import select

from models import User

pytestmark = pytest.mark.browser

DELEGATE = "kaz@concord.example"  # Kazakhstan has not answered the silence procedure yet
TITLE_RU = "Семинар экспертов по обмену информацией о военных учениях"
GROUNDS = "Пункт 3 позволил бы приглашать наблюдателей без консенсуса."
RUSSIAN_INSTANT = re.compile(r"\d{1,2} [а-я]+ \d{4} г\., \d{2}:\d{2}")


def no_english(page, step: str, names: set[str]) -> None:
    """The page as it stands (the script's changes included) shows no English interface text;
    people's names are data, whatever words they use."""
    assert page.locator("html").get_attribute("lang") == "ru", step
    nodes = visible_text(page.content())
    for name in names:
        nodes = [node.replace(name, "") for node in nodes]
    left = english_left(nodes)
    assert not left, f"{step}: {left}"
    screenshot(page, f"ru-{step}")


@pytest.fixture
def names(live_runtime) -> set[str]:
    with live_runtime.transaction() as session:
        return set(session.scalars(select(User.name)))


def test_a_russian_speaking_delegate_objects_to_a_silence_procedure(open_page, names):
    page = open_page(DELEGATE)  # signed in, the interface in English
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("nav.langs >> text=Русский")
    page.wait_for_url(re.compile(r"lang=ru"))
    assert "Ожидает ответа моего государства" in page.inner_text("h1")
    awaiting = page.locator("#awaiting tr", has_text=TITLE_RU)
    assert awaiting.count() == 1
    assert awaiting.locator(".badge").inner_text().startswith("осталось ")
    assert RUSSIAN_INSTANT.search(awaiting.inner_text())
    no_english(page, "home", names)

    awaiting.locator("text=Заявить позицию").click()
    page.wait_for_load_state()
    assert "От имени" in page.inner_text("form.position-form")
    page.check("input[value=objection]")
    assert page.inner_text("label[for=text]") == "Основания возражения (обязательно)"
    no_english(page, "position-form", names)
    page.click("text=Зарегистрировать позицию")
    page.wait_for_load_state()
    assert "Необходимо изложить основания возражения." in page.inner_text(".has-error")
    no_english(page, "position-refused", names)

    page.fill("textarea[name=text]", GROUNDS)
    page.click("text=Зарегистрировать позицию")
    page.wait_for_load_state()
    assert "Возражение нарушает молчание" in page.inner_text("#consequence")
    no_english(page, "confirm-objection", names)
    page.click("form.confirm-form >> text=Возразить и нарушить молчание")
    page.wait_for_load_state()
    flash = page.inner_text(".flash-success")
    assert "зарегистрирована: Возражение." in flash
    assert "Раунд закрыт: Молчание нарушено." in flash
    round_card = page.locator("article.round").first
    assert "Молчание нарушено" in round_card.inner_text()
    assert "молчание нарушено: Казахстан" in round_card.inner_text()  # the note, translated
    assert GROUNDS in round_card.locator("tr[data-state=KAZ]").text_content()
    no_english(page, "document-after-objection", names)

    history = page.locator("#timeline")
    objection = history.locator("li", has_text="Позиция зарегистрирована").first
    assert "Возражение" in objection.inner_text() and "KAZ" in objection.inner_text()
    assert RUSSIAN_INSTANT.search(objection.inner_text())
    # The silence broken, the engine sent the paper back for revision: a step with its title.
    step = history.locator("li").first.inner_text()
    assert "Возвращено КСДЛ на доработку" in step
    assert "раунд" in step and "молчание нарушено" in step
    history.scroll_into_view_if_needed()
    screenshot(page, "ru-history")

    # The switch is kept: the next page is in Russian without asking again.
    page.click("nav.mainnav >> text=Документы")
    page.wait_for_load_state()
    no_english(page, "documents", names)
    assert not page.errors, page.errors
