"""On a phone (390 px wide): a delegate's notifications, the e-mail choices and the
Secretariat's outbox fit the screen; the unread count goes when everything is marked read."""

from __future__ import annotations

import pytest
from browser_helpers import PHONE, fits_the_screen

pytestmark = pytest.mark.browser


def test_a_delegate_reads_notifications_on_a_phone(open_page):
    page = open_page("ind@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/notifications")
    assert page.locator("#unread-count").is_visible()
    assert page.locator(".notification").count() > 0
    fits_the_screen(page, "notifications")
    page.click("text=Mark all read")
    page.wait_for_url(f"{page.base}/notifications")
    assert page.locator("#unread-count").count() == 0
    page.goto(f"{page.base}/account#notifications")
    assert page.locator("#kind-reminder option[value=off]").count() == 0  # cannot be off
    section = page.locator("#notifications").bounding_box()
    assert section["x"] >= 0 and section["x"] + section["width"] <= PHONE["width"]  # the section fits
    assert page.errors == []


def test_the_outbox_on_a_phone(open_page):
    page = open_page("secretariat@concord.example")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/outbox")
    assert page.locator("#outbox tbody tr").count() > 0
    assert "ind@concord.example" in page.content()
    table = page.locator(".grid-scroll").bounding_box()  # the table scrolls inside its frame
    assert table["x"] >= 0 and table["x"] + table["width"] <= PHONE["width"]
    assert page.errors == []
