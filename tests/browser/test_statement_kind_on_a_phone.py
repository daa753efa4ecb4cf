"""At phone width (375 x 812), under the OSCE profile: the position form offers the kind of
statement (an interpretative statement, Rules of Procedure IV.1(A)6) without the page
scrolling sideways, and a delegate records one through it."""

from __future__ import annotations

import pytest
from browser_helpers import fits_the_screen

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
COUNCIL_TITLE = "Agenda and modalities of the 2027 Human Dimension Conference"


@pytest.fixture(scope="module")
def live_runtime(osce_runtime):
    """The OSCE demo, served by the shared live server."""
    return osce_runtime


def test_a_delegate_makes_an_interpretative_statement_on_a_phone(open_page):
    page = open_page("che@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/documents")
    page.locator("tr", has_text=COUNCIL_TITLE).locator("a.symbol").first.click()
    page.locator("text=Give the position of Switzerland").click()
    fits_the_screen(page, "statement-kind-form")
    options = page.locator("select[name=statement_kind] option").all_inner_texts()
    assert options[0] == "— none —"
    assert (
        "Interpretative statement, attached to the decision (Rules of Procedure, IV.1(A)6)"
        in options
    )
    page.locator("label.kind-consent_with_statement").click()
    page.fill("textarea[name=text]", "Switzerland reads paragraph 2 as it stands.")
    page.select_option("select[name=statement_kind]", "interpretative")
    fits_the_screen(page, "statement-kind-chosen")
    page.click("text=Record the position")
    flash = page.locator(".flash").first.inner_text()
    assert "(Interpretative statement, attached to the decision)" in flash
    row = page.locator("tr[data-state=CHE]").first
    assert "Interpretative statement, attached to the decision" in row.inner_text()
    fits_the_screen(page, "statement-kind-recorded")
    assert page.errors == []
