"""Calendar feeds: each user's private feed of the deadlines awaiting their states, read by
calendar programs without a session; one round's deadline as a download. Events keep their
UID, carry a SEQUENCE that grows when the deadline moves, and are cancelled when a round is
voided; the address is renewable and revocable and shown once."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import delete
from web_helpers import NOW, sign_in

from models import RoundElector
from workflow import calendar, clock, operations


def _issue_address(client, user) -> str:
    sign_in(client, user.email)
    page = client.post("/account/calendar", data={"action": "issue"})
    assert page.status_code == 200
    return re.search(r'id="feed-address">([^<]+)<', page.get_data(as_text=True)).group(1)


def _read(app, address: str):
    """The feed as a calendar program reads it: a fresh client, no session."""
    response = app.test_client().get(address.replace("http://localhost", ""))
    return response


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response.content_type.startswith("text/calendar")
    parsed = Calendar.from_ical(response.data)  # reads back what was written
    return {str(event["uid"]): event for event in parsed.walk("VEVENT")}


def _uid(round_) -> str:
    return f"concord-cica-round-{round_.id}"


def test_a_delegate_subscribes_and_reads_the_deadlines_awaiting_the_state(app, client, world):
    delegate = world.users["delegate_of_the_state"]
    address = _issue_address(client, delegate)
    events = _events(_read(app, address))

    event = events[_uid(world.silence)]
    assert event.decoded("dtstart") == world.silence.deadline_at
    assert int(event["sequence"]) == 0 and str(event["status"]) == "CONFIRMED"
    assert world.concept.symbol in str(event["summary"])
    assert f"/documents/{world.concept.id}#round-{world.silence.id}" in str(event["url"])
    # A meeting round has no deadline, so no event.
    assert _uid(world.meeting) not in events
    # The address is shown once.
    assert address not in client.get("/account/calendar").get_data(as_text=True)


def test_the_feed_speaks_its_owners_language(app, client, world, session):
    delegate = world.users["delegate_of_the_state"]
    delegate.language = "ru"
    session.commit()
    event = _events(_read(app, _issue_address(client, delegate)))[_uid(world.silence)]
    assert str(event["summary"]).startswith("Срок")
    assert "Документ" in str(event["description"])  # the Russian title


def test_a_moved_deadline_keeps_the_uid_and_raises_the_sequence(app, client, world, session):
    address = _issue_address(client, world.users["delegate_of_the_state"])
    later = world.silence.deadline_at + timedelta(days=3)
    operations.extend_deadline(
        session, world.users["secretariat"], world.silence.id, new_deadline=later, reason="Holiday"
    )
    session.commit()
    event = _events(_read(app, address))[_uid(world.silence)]
    assert event.decoded("dtstart") == later
    assert int(event["sequence"]) == 1 and str(event["status"]) == "CONFIRMED"


def test_a_voided_round_is_a_cancelled_event(app, client, world, session):
    address = _issue_address(client, world.users["delegate_of_the_state"])
    coordinator = world.users["coordinator"]
    operations.add_version(
        session, coordinator, world.concept.id, texts={"en": "# Paper\n\n2.", "ru": "# Документ\n\n2."}
    )
    session.commit()
    event = _events(_read(app, address))[_uid(world.silence)]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1  # calendar programs replace the confirmed one


def test_rounds_not_awaiting_the_users_states_are_left_out(app, client, world, session):
    chn = world.users["delegate_of_the_state"]
    secretariat = world.users["secretariat"]
    session.execute(
        delete(RoundElector).where(
            RoundElector.round_id == world.silence.id,
            RoundElector.participant_id == chn.represented_states[0].id,
        )
    )
    session.commit()
    assert world.silence not in calendar.rounds_for(session, chn)
    assert world.silence in calendar.rounds_for(session, secretariat)  # the Secretariat sees all


def test_renewing_stops_the_old_address_and_ending_stops_the_feed(app, client, world, session):
    delegate = world.users["delegate_of_the_state"]
    first = _issue_address(client, delegate)
    second = re.search(
        r'id="feed-address">([^<]+)<',
        client.post("/account/calendar", data={"action": "renew"}).get_data(as_text=True),
    ).group(1)
    assert first != second
    assert _read(app, first).status_code == 404
    assert _read(app, second).status_code == 200

    assert client.post("/account/calendar", data={"action": "revoke"}).status_code == 302
    assert _read(app, second).status_code == 404


def test_an_inactive_users_feed_is_closed(app, client, world, session):
    delegate = world.users["delegate_of_the_state"]
    address = _issue_address(client, delegate)
    delegate.active = False
    session.commit()
    assert _read(app, address).status_code == 404


def test_a_made_up_or_oversized_address_finds_nothing(app, world):
    reader = app.test_client()
    assert reader.get("/calendar/cal_not-a-feed.ics").status_code == 404
    assert reader.get("/calendar/" + "x" * 500 + ".ics").status_code == 404


def test_the_feed_records_when_it_was_last_read(app, client, world, session):
    delegate = world.users["delegate_of_the_state"]
    address = _issue_address(client, delegate)
    assert calendar.feed_of(session, delegate).last_read_at is None
    clock.set_now(NOW + timedelta(hours=1))
    _read(app, address)
    assert calendar.feed_of(session, delegate).last_read_at == NOW + timedelta(hours=1)


def test_one_rounds_deadline_downloads_as_a_file(client, world):
    assert client.get(f"/rounds/{world.silence.id}/deadline.ics").status_code == 302  # sign in
    sign_in(client, world.users["observer"].email)
    download = client.get(f"/rounds/{world.silence.id}/deadline.ics")
    assert "attachment" in download.headers["Content-Disposition"]
    assert list(_events(download)) == [_uid(world.silence)]
    # A meeting round has no deadline to download.
    assert client.get(f"/rounds/{world.meeting.id}/deadline.ics").status_code == 404


def test_a_round_the_viewer_may_not_see_has_no_download(client, world, session):
    world.concept.restricted = True  # observers no longer see it, nor its rounds
    session.commit()
    sign_in(client, world.users["observer"].email)
    assert client.get(f"/rounds/{world.silence.id}/deadline.ics").status_code == 404
    assert client.get("/rounds/999999/deadline.ics").status_code == 404
