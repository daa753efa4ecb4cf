"""At phone width (390 x 844): every page a delegate and the Secretariat use fits the
screen without the page scrolling sideways, and each row's primary action stays in view
(the answer grid scrolls inside its own box). Screenshots in tests/screenshots."""

from __future__ import annotations

import pytest
from browser_helpers import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CONCEPT_TITLE = "Expert workshop on information exchange about military exercises"
# Elements reaching past the right edge, outside boxes that scroll on purpose.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.grid-scroll'))
  .slice(0, 5).map(e => `${e.tagName}.${e.className}`)"""


def _fits(page, name: str) -> None:
    screenshot(page, f"phone-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert page.evaluate(OVERFLOWING) == [], name


def test_a_delegates_pages_fit_a_phone(open_page):
    page = open_page("chn@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/")
    _fits(page, "home")
    row = page.locator("#awaiting tr", has_text=CONCEPT_TITLE)
    action = row.locator("text=Give position")
    box = action.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]  # the action is on screen
    action.click()
    _fits(page, "position-form")
    page.goto(page.base + "/documents")
    _fits(page, "documents")
    page.locator("a.symbol", has_text="CICA/CP").first.click()
    _fits(page, "document")
    document_url = page.url
    page.goto(document_url + "/diff?from=1&to=2")
    _fits(page, "diff")
    for path in ("/decisions", "/catalogue", "/account"):
        page.goto(page.base + path)
        _fits(page, path.strip("/"))


def test_the_secretariats_pages_fit_a_phone(open_page):
    page = open_page("secretariat@concord.example")
    page.set_viewport_size(PHONE)
    for path in ("/", "/secretariat/tracker", "/secretariat/grid"):
        page.goto(page.base + path)
        _fits(page, "secretariat" + path.replace("/", "-"))


def test_the_secretariat_declares_a_translation_on_a_phone(open_page):
    page = open_page("secretariat@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/documents")
    page.locator("a.symbol", has_text="CICA/CP").first.click()
    page.locator("#translation summary").click()
    _fits(page, "translation-form")
    page.select_option("#translation-language", "ru")
    page.fill("#translation-text", "# Перевод\n\n1. Текст, уточнённый службой переводов.")
    page.fill("#translation-note", "language service")
    page.locator("#translation button[type=submit]").click()
    assert "is recorded as a translation" in page.locator(".flash").first.inner_text()
    assert page.locator("text=declared a translation of this version by").count() == 1
    _fits(page, "document-after-translation")
