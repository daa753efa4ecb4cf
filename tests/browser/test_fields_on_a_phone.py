"""On a phone (390 px wide), in English and in Russian: the OSCE Chairpersonship moves a
mandate's end date through the fields form and the document's deadline follows; no page
of the journey scrolls sideways."""

from __future__ import annotations

import pytest
from browser_helpers import screenshot
from test_accessibility import AXE, RUN_AXE

import migrations
from bootstrap.demo import create_demo, demo_for
from bootstrap.profile import load_profile
from bootstrap.runtime import build_runtime
from config.settings import PACKAGE_DIR, load_settings
from workflow.registry import configure

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OSCE = PACKAGE_DIR / "profiles" / "osce.toml"


@pytest.fixture(scope="module")
def live_runtime(tmp_path_factory):
    """The OSCE profile and its demo, its definitions in use, on a database of its own."""
    folder = tmp_path_factory.mktemp("osce-live")
    settings = load_settings(
        environ={},
        env="testing",
        database_url=f"sqlite:///{folder / 'concord.sqlite3'}",
        instance_path=str(folder / "instance"),
        secret_key="browser-test-secret",
        profile=str(OSCE),
    )
    runtime = build_runtime(settings)  # the OSCE definitions in use
    try:
        migrations.upgrade(runtime.engine)
        with runtime.transaction() as session:
            load_profile(session, OSCE)
            create_demo(session, demo_for(session, OSCE))
        yield runtime
    finally:
        runtime.dispose()
        configure(None)  # the bundled definitions again


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
