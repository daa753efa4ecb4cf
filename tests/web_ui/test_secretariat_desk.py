"""The Secretariat's exports and forms, and the text under decision on the position forms:
CSV with a byte-order mark and times in the forum's zone, grid cells that link and speak,
the current deadline on the extend form."""

from __future__ import annotations

import csv
import io

from web_helpers import sign_in


def test_the_tracker_csv_opens_right_in_a_spreadsheet(client, world):
    sign_in(client, world.users["secretariat"].email)
    body = client.get("/secretariat/tracker.csv").get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    header = rows[0]
    assert "deadline (Asia/Almaty)" in header and "hours_left" in header
    silence = next(row for row in rows if row[0] == world.concept.symbol)
    deadline = silence[header.index("deadline (Asia/Almaty)")]
    # The world's silence deadline is 8 Mar 2025 09:00 UTC: 14:00 in Almaty (UTC+5).
    assert deadline == "2025-03-08 14:00"
    assert silence[header.index("hours_left")] == "120.0"


def test_the_tracker_csv_follows_the_readers_language(client, world):
    sign_in(client, world.users["secretariat"].email)
    body = client.get("/secretariat/tracker.csv?lang=ru").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert "срок (Asia/Almaty)" in header


def test_every_grid_cell_links_to_the_states_row_and_says_what_it_shows(client, world):
    sign_in(client, world.users["secretariat"].email)
    page = client.get("/secretariat/grid").get_data(as_text=True)
    link = f'/documents/{world.concept.id}#round-{world.silence.id}-CHN"'
    assert link in page
    assert 'title="China: not yet answered"' in page
    assert '<span class="visually-hidden">not yet answered</span>' in page
    document = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert f'id="round-{world.silence.id}-CHN"' in document


def test_the_position_form_shows_the_text_under_decision(client, world):
    sign_in(client, world.users["delegate_of_the_state"].email)
    page = client.get(f"/rounds/{world.silence.id}/position").get_data(as_text=True)
    assert 'id="text-under-decision"' in page
    assert "First, amended." in page  # the version under decision, not the first


def test_the_extend_form_shows_the_current_deadline(client, world):
    sign_in(client, world.users["secretariat"].email)
    page = client.get(f"/rounds/{world.silence.id}/extend").get_data(as_text=True)
    assert "The current deadline is 8 Mar 2025, 14:00 (Asia/Almaty)." in page
