"""Bodies as people name them in the reader's language (SOC, КСДЛ), never by an internal code
shown to a Russian reader: tables, filters, buttons, flash messages, history notes and the
engine's refusals."""

from __future__ import annotations

import html

from web_helpers import sign_in

from models import Body
from workflow.errors import abbreviated


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def test_the_profile_gives_each_body_its_short_names(session):
    soc = session.query(Body).filter_by(code="SOC").one()
    assert (soc.short_en, soc.short_ru) == ("SOC", "КСДЛ")
    label = abbreviated(soc)
    assert str(label) == "SOC" and label.reading("ru") == "КСДЛ"
    prc = session.query(Body).filter_by(code="PRC").one()
    assert abbreviated(prc).reading("ru") == "Комитет по рассмотрению проектов Фонда СВМДА"


def test_the_tracker_and_the_button_name_the_body_in_russian(client, world):
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    tracker = _get(client, "/secretariat/tracker?lang=ru")
    assert "<td>КСДЛ</td>" in tracker and "<td>SOC</td>" not in tracker
    assert ">СРГ</option>" in tracker
    page = _get(client, f"/documents/{world.application.id}?lang=ru")
    assert "Открыть раунд в органе КСДЛ" in page
    english = _get(client, f"/documents/{world.application.id}?lang=en")
    assert "Open a round in the SOC" in english


def test_the_history_note_of_a_round_names_the_body_in_russian(client, world, session):
    from workflow import operations

    operations.close_round(session, world.users["secretariat"], world.meeting.id)
    session.commit()
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    page = _get(client, f"/documents/{world.amendment.id}?lang=ru")
    assert "СРГ, раунд" in page and "SWG, раунд" not in page
