"""The main flows in a real browser: Debian's Chromium against a live server."""

from __future__ import annotations

import re

import pytest
from browser_helpers import screenshot

pytestmark = pytest.mark.browser

CONCEPT_TITLE = "Expert workshop on information exchange about military exercises"


def sign_out(page) -> None:
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r"/login$"))


def test_objection_breaks_silence_and_the_tracker_shows_it(open_page):
    delegate = open_page("chn@concord.example")
    awaiting = delegate.locator("#awaiting tr", has_text=CONCEPT_TITLE)
    assert awaiting.count() == 1
    assert "left" in awaiting.locator(".badge").inner_text()
    screenshot(delegate, "home-delegate")

    awaiting.locator("text=Give position").click()
    assert "Acting for China" in delegate.inner_text("form.position-form")
    assert delegate.locator(".amendment-field").is_hidden()
    delegate.check("input[value=objection]")
    assert delegate.locator(".amendment-field").is_visible()
    assert delegate.inner_text("label[for=text]") == "Grounds of the objection (required)"
    delegate.click("text=Record the position")
    # No grounds: refused, with the reason next to the field.
    assert "The grounds of the objection are required." in delegate.inner_text(".has-error")
    delegate.fill(
        "textarea[name=text]", "Paragraph 3 would let observers attend without consensus."
    )
    delegate.fill("textarea[name=amendment]", "Observers may be invited by consensus only.")
    screenshot(delegate, "position-form")
    delegate.click("text=Record the position")
    # Irreversible: the page asks first and names the consequence.
    assert "ends at once for every state" in delegate.inner_text("#consequence")
    screenshot(delegate, "confirm-objection")
    delegate.click("form.confirm-form >> text=Object and break the silence")
    flash = delegate.inner_text(".flash-success")
    assert "Position of China recorded: Objection." in flash
    assert "Silence broken" in flash
    round_card = delegate.locator("article.round").first
    assert "Silence broken" in round_card.inner_text()
    china = round_card.locator("tr[data-state=CHN]")
    assert "Objection" in china.text_content()
    assert "without consensus" in china.text_content()
    screenshot(delegate, "document-after-objection")
    assert not delegate.errors, delegate.errors

    officer = open_page("secretariat@concord.example")
    officer.click("nav.mainnav >> text=Tracker")
    closed = officer.locator("#closed tr", has_text=CONCEPT_TITLE).filter(has_text="SOC")
    assert closed.count() == 1
    assert "Silence broken" in closed.inner_text()
    assert "silence broken by China" in closed.inner_text()
    screenshot(officer, "tracker")
    officer.click("text=Who has answered")
    assert officer.locator("table.answer-grid").count() == 1
    screenshot(officer, "answer-grid")


def _fire(page, trigger: str) -> None:
    page.click(f"button[data-trigger={trigger}]")


def test_concept_paper_from_drafting_to_approved_by_consensus(open_page):
    coordinator = open_page("kaz@concord.example")
    coordinator.click("nav.mainnav >> text=Documents")
    coordinator.click("text=New draft")
    coordinator.select_option("select[name=kind]", "concept_paper")
    coordinator.fill("input[name=title]", "Seminar on early warning of natural disasters")
    coordinator.fill("input[name=title_ru]", "Семинар по раннему предупреждению стихийных бедствий")
    coordinator.select_option("select[name=priority_area]", "MIL-1")
    coordinator.fill("textarea[name=text_en]", "# Seminar\n\n1. The seminar shall meet in Astana.")
    coordinator.fill("textarea[name=text_ru]", "# Семинар\n\n1. Семинар пройдёт в Астане.")
    screenshot(coordinator, "new-document")
    coordinator.click("text=Create the draft")
    assert "created as a draft" in coordinator.inner_text(".flash-success")
    document_url = coordinator.url
    assert coordinator.inner_text(".doc-badges .state") == "Drafting"
    # English and Russian side by side.
    assert coordinator.locator(".texts.two article[lang=ru] h1").inner_text() == "Семинар"

    coordinator.click("text=Add a version")
    coordinator.fill(
        "textarea[name=text_en]",
        "# Seminar\n\n1. The seminar shall meet in Astana in June.\n2. Experts attend.",
    )
    coordinator.fill("input[name=note]", "Month and experts added")
    coordinator.click("text=Circulate the new version")
    # Only the English text changed: the form warns and asks for the confirmation.
    assert "Russian text would be circulated unchanged" in coordinator.inner_text("#out-of-step")
    coordinator.check("text=Circulate with the Russian text unchanged")
    coordinator.click("text=Circulate the new version")
    assert "Rev.1" in coordinator.inner_text(".flash-success")
    assert "Russian text unchanged since the original" in coordinator.inner_text("#text")
    coordinator.click("text=Show the differences")
    english = coordinator.locator("#diff-en")
    assert english.locator(".diff-changed ins", has_text="in June").count() == 1
    assert english.locator(".diff-inserted", has_text="Experts attend.").count() == 1
    screenshot(coordinator, "diff")
    coordinator.goto(document_url)
    _fire(coordinator, "submit")
    assert coordinator.inner_text(".doc-badges .state") == "SWG review"

    officer = open_page("secretariat@concord.example")
    for body, expected_next in (("SWG", "SOC consideration"), ("SOC", "Approved")):
        officer.goto(document_url)
        officer.click(f"text=Open a round in the {body}")
        officer.select_option("select[name=mode]", "meeting")
        officer.click("text=Open the round")
        assert "opened" in officer.inner_text(".flash-success")
        coordinator.goto(document_url)
        coordinator.click("text=Give the position of Kazakhstan")
        coordinator.check("input[value=consent_with_statement]")
        coordinator.fill("textarea[name=text]", f"Kazakhstan welcomes the {body} text.")
        coordinator.click("text=Record the position")
        assert "Consent with statement" in coordinator.inner_text(".flash-success")
        officer.goto(document_url)
        officer.click("text=Close the round and record the outcome")
        assert "have given no position" in officer.inner_text("#consequence")
        officer.click("form.confirm-form button[type=submit]")
        assert "Consensus" in officer.inner_text(".flash-success")
        assert officer.inner_text(".doc-badges .state") == expected_next
    screenshot(officer, "document-approved")
    latest = officer.locator("article.round").first
    assert "Consensus" in latest.inner_text()
    assert "Kazakhstan welcomes the SOC text." in latest.locator(".outcome-texts").inner_text()
    # The diagram is drawn in the page, by the vendored script.
    officer.wait_for_selector("pre.mermaid svg")
    timeline = officer.inner_text("#timeline")
    assert "Document created" in timeline and "Round closed" in timeline.replace("round", "Round")
    assert not officer.errors, officer.errors


def test_observer_finds_no_position_controls_and_is_refused(open_page):
    observer = open_page("jpn@concord.example")
    screenshot(observer, "home-observer")
    observer.click("nav.mainnav >> text=Documents")
    screenshot(observer, "documents")
    row = observer.locator("#documents tr", has_text="Economic Cooperation Organization")
    row.locator("a.symbol").click()
    assert observer.locator("article.round").count() >= 1
    assert observer.locator("text=Give the position").count() == 0
    assert observer.locator("text=Record a note verbale").count() == 0
    assert observer.locator("form.trigger-form").count() == 0
    assert "No step of the process is yours" in observer.inner_text("#actions")
    screenshot(observer, "document-observer")

    round_id = observer.locator("article.round").first.get_attribute("id").split("-")[1]
    response = observer.request.get(f"{observer.base}/rounds/{round_id}/position")
    assert response.status == 403
    token = observer.locator("input[name=csrf_token]").first.get_attribute("value")
    response = observer.request.post(
        f"{observer.base}/rounds/{round_id}/position",
        form={"csrf_token": token, "participant": "KAZ", "kind": "consent"},
    )
    assert response.status == 403
    assert "only delegates of Kazakhstan" in response.text()
