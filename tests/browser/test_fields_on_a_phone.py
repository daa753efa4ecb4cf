"""On a phone (390 px wide), in English and in Russian: the OSCE Chairpersonship moves a
mandate's end date through the fields form and the document's deadline follows; no page
of the journey scrolls sideways."""

from __future__ import annotations

import pytest
from browser_helpers import PHONE, fits_the_screen
from test_accessibility import AXE, RUN_AXE

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def live_runtime(osce_runtime):
    """The OSCE demo, served by the shared live server."""
    return osce_runtime


def violations(page) -> list[str]:
    """Serious or critical WCAG 2.1 AA violations axe-core finds on the page."""
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


def test_the_chair_moves_a_mandate_s_end_on_a_phone(open_page):
    page = open_page("che@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/documents?kind=mandate_extension")
    page.locator("a.symbol").first.click()
    document_url = page.url
    page.click("#edit-fields")
    fits_the_screen(page, "fields-form")
    assert violations(page) == []
    page.fill("#field__mandate_extension__mandate_end", "2099-06-30")
    page.click("main form button[type=submit]")
    page.wait_for_url(document_url)
    assert "are changed" in page.locator(".flash").first.inner_text()
    assert "1 Jul 2099, 00:00" in page.locator(".default-outcome").inner_text()
    fits_the_screen(page, "fields-document")

    page.goto(f"{document_url}/fields?lang=ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("label[for=field__mandate_extension__mandate_end]").inner_text() == (
        "Мандат истекает (обязательно)"
    )
    page.fill("#field__mandate_extension__mandate_end", "")
    page.click("main form button[type=submit]")
    error = page.locator("#field__mandate_extension__mandate_end-error").inner_text()
    assert error == "поле «Мандат истекает» обязательно", error  # the label quoted, in Russian
    fits_the_screen(page, "ru-fields-form-error")
    assert violations(page) == []
