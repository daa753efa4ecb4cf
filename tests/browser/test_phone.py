"""At phone width (390 x 844): every page a delegate and the Secretariat use fits the
screen without the page scrolling sideways, and each row's primary action stays in view
(the answer grid scrolls inside its own box). Screenshots in tests/screenshots."""

from __future__ import annotations

import pytest
from browser_helpers import PHONE, fits_the_screen

pytestmark = pytest.mark.browser

CONCEPT_TITLE = "Expert workshop on information exchange about military exercises"


def test_a_delegates_pages_fit_a_phone(open_page):
    page = open_page("chn@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/")
    fits_the_screen(page, "home")
    row = page.locator("#awaiting tr", has_text=CONCEPT_TITLE)
    action = row.locator("text=Give position")
    box = action.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]  # the action is on screen
    action.click()
    fits_the_screen(page, "position-form")
    page.goto(page.base + "/documents")
    fits_the_screen(page, "documents")
    page.locator("a.symbol", has_text="CICA/CP").first.click()
    fits_the_screen(page, "document")
    document_url = page.url
    page.goto(document_url + "/diff?from=1&to=2")
    fits_the_screen(page, "diff")
    for path in ("/decisions", "/catalogue", "/account"):
        page.goto(page.base + path)
        fits_the_screen(page, path.strip("/"))


def test_the_secretariats_pages_fit_a_phone(open_page):
    page = open_page("secretariat@concord.example")
    page.set_viewport_size(PHONE)
    for path in ("/", "/secretariat/tracker", "/secretariat/grid"):
        page.goto(page.base + path)
        fits_the_screen(page, "secretariat" + path.replace("/", "-"))


def test_the_secretariat_declares_a_translation_on_a_phone(open_page):
    page = open_page("secretariat@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/documents")
    page.locator("a.symbol", has_text="CICA/CP").first.click()
    page.locator("#translation summary").click()
    fits_the_screen(page, "translation-form")
    page.select_option("#translation-language", "ru")
    page.fill("#translation-text", "# Перевод\n\n1. Текст, уточнённый службой переводов.")
    page.fill("#translation-note", "language service")
    page.locator("#translation button[type=submit]").click()
    assert "is recorded as a translation" in page.locator(".flash").first.inner_text()
    assert page.locator("text=declared a translation of this version by").count() == 1
    fits_the_screen(page, "document-after-translation")
