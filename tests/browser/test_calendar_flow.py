"""Deadlines into a calendar, in a real browser: one round's .ics downloaded from the
document page, and the private feed address created on the account page (on a phone too)."""

from __future__ import annotations

import urllib.request

import pytest
from browser_helpers import PHONE, fits_the_screen
from icalendar import Calendar

pytestmark = pytest.mark.browser

CONCEPT_TITLE = "Expert workshop on information exchange about military exercises"


def test_a_delegate_downloads_a_deadline_and_subscribes_to_the_feed(open_page, tmp_path):
    page = open_page("chn@concord.example")
    page.locator("#awaiting tr", has_text=CONCEPT_TITLE).locator("a").first.click()
    with page.expect_download() as waiting:
        page.click("text=Add to calendar (.ics)")
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".ics"
    (event,) = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    assert str(event["status"]) == "CONFIRMED" and "Deadline" in str(event["summary"])

    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/account/calendar")
    page.click("text=Create a feed address")
    address = page.inner_text("#feed-address").strip()
    fits_the_screen(page, "calendar-feed")
    # A calendar program reads it with no session at all.
    with urllib.request.urlopen(address) as answer:
        feed = Calendar.from_ical(answer.read())
    uids = [str(item["uid"]) for item in feed.walk("VEVENT")]
    assert str(event["uid"]) in uids
    assert page.errors == []
