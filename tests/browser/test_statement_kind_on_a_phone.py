"""At phone width (375 x 812), under the OSCE profile: the position form offers the kind of
statement (an interpretative statement, Rules of Procedure IV.1(A)6) without the page
scrolling sideways, and a delegate records one through it."""

from __future__ import annotations

import pytest
from browser_helpers import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
COUNCIL_TITLE = "Agenda and modalities of the 2027 Human Dimension Conference"


@pytest.fixture(scope="module")
def live_runtime(osce_runtime):
    """The OSCE demo, served by the shared live server."""
    return osce_runtime


def _fits(page, name: str) -> None:
    screenshot(page, f"phone-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1"
        " && !e.closest('.grid-scroll')).map(e => `${e.tagName}.${e.className}`)"
    )
    assert overflowing == [], name


def test_a_delegate_makes_an_interpretative_statement_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", "che@concord.example")
        page.fill("input[name=password]", "demo-che-1")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/")
        page.goto(f"{live_server}/documents")
        page.locator("tr", has_text=COUNCIL_TITLE).locator("a.symbol").first.click()
        page.locator("text=Give the position of Switzerland").click()
        _fits(page, "statement-kind-form")
        options = page.locator("select[name=statement_kind] option").all_inner_texts()
        assert options[0] == "— none —"
        assert (
            "Interpretative statement, attached to the decision (Rules of Procedure, IV.1(A)6)"
            in options
        )
        page.locator("label.kind-consent_with_statement").click()
        page.fill("textarea[name=text]", "Switzerland reads paragraph 2 as it stands.")
        page.select_option("select[name=statement_kind]", "interpretative")
        _fits(page, "statement-kind-chosen")
        page.click("text=Record the position")
        flash = page.locator(".flash").first.inner_text()
        assert "(Interpretative statement, attached to the decision)" in flash
        row = page.locator("tr[data-state=CHE]").first
        assert "Interpretative statement, attached to the decision" in row.inner_text()
        _fits(page, "statement-kind-recorded")
    finally:
        context.close()
