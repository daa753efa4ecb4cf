"""A notice names the document and the body in the recipient's language where the record
holds that name, else in English: a forum that does not work in Russian keeps no Russian
names, and a recipient reading French (no catalogue) reads English."""

from __future__ import annotations

from models import Notification
from workflow import mail, outbox

PAYLOAD = {
    "symbol": "LKF/RES/1/25",
    "title": "Ports",
    "title_ru": "",
    "body": "CNL",
    "body_name": "Council of the Lake",
    "body_name_ru": "",
}


def _compose(language: str, **payload) -> mail.Item:
    notice = Notification(kind=outbox.ROUND_OPENED, payload={**PAYLOAD, **payload})
    return mail.compose(notice, mail.Recipient(None, language, "Europe/Paris"), "https://x")


def test_a_name_the_record_lacks_in_russian_is_given_in_english():
    item = _compose("ru")
    assert "Council of the Lake" in item.subject
    assert item.lines[0] == "LKF/RES/1/25 — Ports"
    assert any("Council of the Lake" in line for line in item.lines)


def test_a_russian_name_is_used_where_there_is_one():
    item = _compose("ru", title_ru="Порты", body_name_ru="Совет Озера")
    assert "Совет Озера" in item.subject and item.lines[0] == "LKF/RES/1/25 — Порты"


def test_a_language_without_a_catalogue_reads_english():
    item = _compose("fr")
    assert item.subject == _compose("en").subject
    assert "Council of the Lake" in item.subject
