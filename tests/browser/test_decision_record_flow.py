"""The Secretariat enters a decision taken at a past meeting, then reads the register and
compares two editions of the Catalogue: in a real browser."""

from __future__ import annotations

import re

import pytest
from browser_helpers import screenshot

pytestmark = pytest.mark.browser


def fire(page, trigger: str, taken_on: str) -> None:
    form = page.locator(f"form.trigger-form:has(button[data-trigger={trigger}])")
    form.locator("input[name=taken_on]").fill(taken_on)
    form.locator(f"button[data-trigger={trigger}]").click()
    page.wait_for_load_state()


def test_a_past_meeting_s_decision_the_register_and_the_catalogue(open_page):
    officer = open_page("secretariat@concord.example")

    # Oman's application, received on 1 March 2024, registered today.
    officer.goto(f"{officer.base}/secretariat/participants/new")
    officer.fill("input[name=code]", "OMN")
    officer.fill("input[name=name_en]", "Oman")
    officer.fill("input[name=name_ru]", "Оман")
    officer.fill("input[name=received_on]", "2024-03-01")
    officer.click("form.form-card button[type=submit]")
    assert "Oman is registered as an applicant." in officer.inner_text(".flash-success")
    officer.select_option("select[name=kind]", "observer_application")
    officer.fill("input[name=title]", "Application of Oman for observer status")
    officer.fill("input[name=title_ru]", "Заявка Омана на получение статуса наблюдателя")
    officer.fill("input[name=received_on]", "2024-03-01")
    officer.fill("textarea[name=text_en]", "Oman requests observer status.")
    officer.click("form.form-card button[type=submit]")
    officer.wait_for_url(re.compile(r"/documents/\d+$"))
    assert "1 Mar 2024" in officer.inner_text("dl.facts")

    fire(officer, "begin_check", "2024-03-05")
    fire(officer, "forward_to_soc", "2024-03-20")
    officer.click("text=Open a round in the SOC")
    officer.select_option("select[name=on_consensus]", "soc_grant")
    officer.select_option("select[name=mode]", "meeting")
    officer.click("text=Open the round")

    # The SOC granted the status at its meeting of 15 June 2024, entered now: its second
    # decision of 2024 (the demo has its approval of the volunteerism measure, November 2024).
    close = officer.locator("form.close-round")
    close.locator("input[name=taken_on]").fill("2024-06-15")
    close.locator("input[name=note]").fill("SOC, June 2024")
    close.locator("button[type=submit]").click()
    officer.click("form.confirm-form button[type=submit]")  # states still silent: it asks
    assert "Round closed: Consensus." in officer.inner_text(".flash-success")
    round_card = officer.locator("article.round").first
    assert "taken on 15 Jun 2024" in round_card.inner_text()
    decisions = officer.inner_text("#decisions")
    assert "SOC.DEC/2/24" in decisions and "15 Jun 2024" in decisions
    assert "Granted" in officer.inner_text(".doc-badges")
    screenshot(officer, "decision-entered-after-the-meeting")

    # The register, by body and year, and the decision's printable sheet.
    officer.click("nav.mainnav >> text=Decisions")
    officer.select_option("select[name=body]", "SOC")
    officer.fill("input[name=year]", "2024")
    officer.click("text=Show")
    row = officer.locator("#decisions tr", has_text="SOC.DEC/2/24")
    assert row.count() == 1 and "Observer status granted by the SOC" in row.inner_text()
    screenshot(officer, "decision-register")
    row.locator("a.symbol").click()
    assert "Observer status granted by the SOC" in officer.inner_text("h1")
    assert officer.locator("[data-print]").is_visible()
    screenshot(officer, "decision-sheet")

    # The Catalogue in force (the demo's 2024 update) against its first edition.
    officer.click("nav.mainnav >> text=Catalogue")
    assert "Edition 2" in officer.inner_text(".lead")
    assert "volunteerism" in officer.inner_text("#area-HUM-1")
    officer.click("text=Show the differences")
    difference = officer.locator("#differences tr", has_text="HUM-1.1")
    assert "Added" in difference.inner_text()
    screenshot(officer, "catalogue-editions-compared")
    assert not officer.errors, officer.errors
