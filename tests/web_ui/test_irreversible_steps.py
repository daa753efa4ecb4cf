"""Steps that cannot be undone ask first, naming the consequence; nothing happens until
confirmed, and a confirmation is no permission (whoever may not act is refused, not asked)."""

from __future__ import annotations

from sqlalchemy import func, select
from web_helpers import sign_in

from models import AuditEvent, Position


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


OBJECTION = {"participant": "CHN", "kind": "objection", "text": "Paragraph 3 is not agreed."}


def test_an_objection_in_a_silence_procedure_asks_first(client, world, session):
    sign_in(client, world.users["delegate_of_the_state"].email)
    url = f"/rounds/{world.silence.id}/position"
    before = _count(session, Position)
    asked = client.post(url, data=OBJECTION)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "ends at once for every state" in page and "Object and break the silence" in page
    # The form comes back whole, to be posted again with the confirmation.
    assert 'value="Paragraph 3 is not agreed."' in page and 'name="confirmed" value="yes"' in page
    assert _count(session, Position) == before and world.silence.is_open

    done = client.post(url, data={**OBJECTION, "confirmed": "yes"})
    assert done.status_code == 302
    assert not world.silence.is_open


def test_a_consent_in_a_silence_procedure_is_not_asked(client, world, session):
    sign_in(client, world.users["delegate_of_the_state"].email)
    done = client.post(
        f"/rounds/{world.silence.id}/position", data={"participant": "CHN", "kind": "consent"}
    )
    assert done.status_code == 302


def test_whoever_may_not_object_is_refused_not_asked(client, world, session):
    sign_in(client, world.users["delegate_of_another_state"].email)  # speaks for IND, not CHN
    refused = client.post(f"/rounds/{world.silence.id}/position", data=OBJECTION)
    assert refused.status_code == 403
    assert "Object and break the silence" not in refused.get_data(as_text=True)


def test_withdraw_asks_and_names_the_state_it_leads_to(client, world, session):
    sign_in(client, world.users["coordinator"].email)
    url = f"/documents/{world.concept.id}/fire"
    form = {"trigger": "withdraw", "lock_version": str(world.concept.lock_version)}
    events = _count(session, AuditEvent)
    asked = client.post(url, data=form)
    assert asked.status_code == 200
    assert "This step cannot be undone." in asked.get_data(as_text=True)
    assert world.concept.state != "withdrawn" and _count(session, AuditEvent) == events
    assert client.post(url, data={**form, "confirmed": "yes"}).status_code == 302
    assert world.concept.state == "withdrawn"


def test_whoever_may_not_withdraw_is_refused_not_asked(client, world):
    sign_in(client, world.users["delegate_of_another_state"].email)
    refused = client.post(
        f"/documents/{world.concept.id}/fire",
        data={"trigger": "withdraw", "lock_version": str(world.concept.lock_version)},
    )
    assert refused.status_code == 403


def test_closing_with_states_still_silent_says_how_many(client, world, session):
    sign_in(client, world.users["secretariat"].email)
    url = f"/rounds/{world.meeting.id}/close"
    electorate = len(world.meeting.electors)
    asked = client.post(url, data={"note": "agreed"})
    assert asked.status_code == 200
    assert f"{electorate} of {electorate} states have given no position" in asked.get_data(
        as_text=True
    )
    assert world.meeting.is_open
    assert client.post(url, data={"note": "agreed", "confirmed": "yes"}).status_code == 302
    assert not world.meeting.is_open


def test_a_new_version_that_voids_open_rounds_asks_first(client, world, session):
    sign_in(client, world.users["coordinator"].email)
    url = f"/documents/{world.concept.id}/versions/new"
    form = {
        "text_en": "# Paper\n\n1. Second thoughts.",
        "text_ru": "# Документ\n\n1. Второе.",
        "lock_version": str(world.concept.lock_version),
    }
    versions = len(world.concept.versions)
    asked = client.post(url, data=form)
    assert asked.status_code == 200
    assert "1 round is open on the current text (SOC). A new version voids it" in asked.get_data(
        as_text=True
    )
    assert len(world.concept.versions) == versions and world.silence.is_open
    done = client.post(url, data={**form, "confirmed": "yes"})
    assert done.status_code == 302
    assert len(world.concept.versions) == versions + 1 and not world.silence.is_open
