"""On a phone (390 px wide), in English and in Russian: the OSCE Chairpersonship moves a
mandate's end date through the fields form and the document's deadline follows; no page
of the journey scrolls sideways."""

from __future__ import annotations

import pytest
from browser_helpers import screenshot
from test_accessibility import AXE, RUN_AXE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live_runtime(osce_runtime):
    """The OSCE demo, served by the shared live server."""
    return osce_runtime


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def violations(page) -> list[str]:
    """Serious or critical WCAG 2.1 AA violations axe-core finds on the page."""
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


def test_the_chair_moves_a_mandate_s_end_on_a_phone(open_page):
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/login")
    page.fill("input[name=email]", "che@concord.example")
    page.fill("input[name=password]", "demo-che-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    page.goto(f"{page.base}/documents?kind=mandate_extension")
    page.locator("a.symbol").first.click()
    document_url = page.url
    page.click("#edit-fields")
    assert fits(page), "the fields form scrolls sideways"
    assert violations(page) == []
    screenshot(page, "fields-form-phone")
    page.fill("#field__mandate_extension__mandate_end", "2099-06-30")
    page.click("main form button[type=submit]")
    page.wait_for_url(document_url)
    assert "are changed" in page.locator(".flash").first.inner_text()
    assert "1 Jul 2099, 00:00" in page.locator(".default-outcome").inner_text()
    assert fits(page), "the document page scrolls sideways"

    page.goto(f"{document_url}/fields?lang=ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("label[for=field__mandate_extension__mandate_end]").inner_text() == (
        "Мандат истекает (обязательно)"
    )
    page.fill("#field__mandate_extension__mandate_end", "")
    page.click("main form button[type=submit]")
    error = page.locator("#field__mandate_extension__mandate_end-error").inner_text()
    assert "Мандат истекает" in error and "required" not in error
    assert fits(page), "the Russian form with its error scrolls sideways"
    assert violations(page) == []
    screenshot(page, "ru-fields-form-error-phone")
