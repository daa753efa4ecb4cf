"""The outbox: who is told of what, written in the change's own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import NOW
from sqlalchemy import event, select

from models import Notification, PositionKind, RoundMode
from workflow import operations as ops
from workflow import outbox
from workflow.errors import InvalidInput


def notices(session, kind=None):
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(session.scalars(query))


def recipients(session, kind):
    return {n.user_id for n in notices(session, kind)}


@pytest.fixture
def soc_paper(in_state):
    return in_state("concept_paper", "soc_consideration")


def test_a_round_opened_tells_every_active_delegate_of_the_electorate(
    session, cast, soc_paper, make_user
):
    inactive = make_user(session, delegate_of=["IND"])
    inactive.active = False
    cast.other.language = "ru"
    session.flush()
    ops.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode=RoundMode.SILENCE,
        deadline=NOW + timedelta(days=10),
        timezone="UTC",
    )
    told = recipients(session, outbox.ROUND_OPENED)
    delegates = {cast.coordinator.id, cast.co_coordinator.id, cast.proposer.id, cast.other.id}
    assert told == delegates  # not the Secretariat, the observer, the applicant or the inactive
    row = next(n for n in notices(session) if n.user_id == cast.other.id)
    assert row.language == "ru" and row.status == "pending"
    assert row.payload["symbol"] == soc_paper.symbol and row.payload["deadline"]
    assert row.round_id is not None and row.document_id == soc_paper.id


def test_a_refused_change_writes_no_notification(session, cast, soc_paper):
    with pytest.raises(InvalidInput):
        ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.SILENCE)
    assert notices(session) == []


def test_a_rolled_back_change_writes_none(session, cast, soc_paper):
    savepoint = session.begin_nested()
    ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    assert notices(session)
    savepoint.rollback()
    assert notices(session) == []


def test_the_rows_of_a_change_go_in_one_insert(session, cast, soc_paper):
    inserts = []

    def count(_conn, _cursor, statement, _params, _context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATION"):
            inserts.append(executemany)

    event.listen(session.connection(), "before_cursor_execute", count)
    try:
        ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    finally:
        event.remove(session.connection(), "before_cursor_execute", count)
    assert len(notices(session)) == 4
    assert len(inserts) == 1


def test_silence_broken_tells_electorate_coordinators_and_secretariat(session, cast, soc_paper):
    round_ = ops.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode=RoundMode.SILENCE,
        deadline=NOW + timedelta(days=10),
        timezone="UTC",
    )
    ops.record_position(
        session,
        cast.other,
        round_.id,
        participant="IND",
        kind=PositionKind.OBJECTION,
        text="Paragraph 3 is unacceptable",
    )
    told = recipients(session, outbox.SILENCE_BROKEN)
    assert cast.secretariat.id in told and cast.coordinator.id in told
    assert cast.other.id not in told  # the one who broke it did it
    row = notices(session, outbox.SILENCE_BROKEN)[0]
    assert row.payload["objections"][0]["participant"] == "IND"
    assert row.payload["objections"][0]["text"] == "Paragraph 3 is unacceptable"
    assert recipients(session, outbox.ROUND_CLOSED) == set()


def test_a_position_on_behalf_tells_that_state_only(session, cast, soc_paper):
    round_ = ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    ops.record_position(
        session,
        cast.secretariat,
        round_.id,
        participant="IND",
        kind=PositionKind.CONSENT,
        reference="NV/1",
    )
    assert recipients(session, outbox.ON_BEHALF) == {cast.other.id}
    ops.record_position(
        session, cast.proposer, round_.id, participant="CHN", kind=PositionKind.CONSENT
    )
    assert recipients(session, outbox.ON_BEHALF) == {cast.other.id}  # a delegate's own: none


def test_an_extension_tells_the_states_that_have_not_answered(session, cast, soc_paper):
    round_ = ops.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode=RoundMode.SILENCE,
        deadline=NOW + timedelta(days=10),
        timezone="UTC",
    )
    ops.record_position(
        session, cast.other, round_.id, participant="IND", kind=PositionKind.CONSENT
    )
    ops.extend_deadline(
        session,
        cast.secretariat,
        round_.id,
        new_deadline=NOW + timedelta(days=20),
        reason="Holidays",
        timezone="UTC",
    )
    told = recipients(session, outbox.DEADLINE_EXTENDED)
    assert cast.other.id not in told and cast.proposer.id in told
    assert notices(session, outbox.DEADLINE_EXTENDED)[0].payload["reason"] == "Holidays"


def test_a_meeting_without_consensus_sends_back_and_closes(session, cast, in_state):
    paper = in_state("concept_paper", "swg_review")
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    ops.record_position(
        session, cast.other, round_.id, participant="IND", kind=PositionKind.OBJECTION, text="No"
    )
    ops.close_round(session, cast.secretariat, round_.id)
    assert recipients(session, outbox.SENT_BACK) == {cast.coordinator.id, cast.co_coordinator.id}
    closed = notices(session, outbox.ROUND_CLOSED)
    assert {n.payload["outcome"] for n in closed} == {"no_consensus"}


def test_a_decision_adopted_tells_those_who_follow(session, cast, soc_paper):
    round_ = ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    ops.close_round(session, cast.secretariat, round_.id)
    adopted = notices(session, outbox.DECISION_ADOPTED)
    assert {n.user_id for n in adopted} >= {cast.coordinator.id, cast.other.id}
    assert adopted[0].payload["decision"]


def test_notifications_off_write_nothing(session, cast, soc_paper, monkeypatch):
    monkeypatch.setattr(outbox, "enabled", False)
    ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    assert notices(session) == []


def test_observers_hear_of_rounds_opened_only_if_they_asked_and_may_see_them(
    session, cast, soc_paper, in_state
):
    from workflow import notifications

    ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    assert cast.observer.id not in recipients(session, outbox.ROUND_OPENED)  # did not ask
    assert (
        notifications.preferences(session, cast.observer.id, observer=True)["round_opened"] == "off"
    )

    notifications.set_notification_preferences(session, cast.observer, {"round_opened": "digest"})
    shared = in_state("concept_paper", "soc_consideration")
    ops.open_round(session, cast.secretariat, shared.id, mode=RoundMode.MEETING)
    assert cast.observer.id in {
        n.user_id for n in notices(session, outbox.ROUND_OPENED) if n.document_id == shared.id
    }

    restricted = in_state("concept_paper", "soc_consideration")
    restricted.restricted = True  # shared with member states only
    session.flush()
    ops.open_round(session, cast.secretariat, restricted.id, mode=RoundMode.MEETING)
    told = {
        n.user_id for n in notices(session, outbox.ROUND_OPENED) if n.document_id == restricted.id
    }
    assert cast.observer.id not in told and cast.other.id in told


def _events(session, action):
    from models import AuditEvent

    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def test_choosing_not_to_be_told_stays_on_the_record(session, cast):
    from workflow import notifications

    notifications.set_notification_preferences(
        session, cast.observer, {"round_opened": "off", "decision_adopted": "digest"}
    )
    notifications.set_notification_preferences(session, cast.observer, {"round_opened": "off"})
    [event] = _events(session, "notification_preferences_changed")  # the repeat changed nothing
    assert event.actor_id == cast.observer.id
    assert event.data == {
        "user": cast.observer.id, "deliveries": {"round_opened": "off", "decision_adopted": "digest"}
    }
    with pytest.raises(InvalidInput):  # one bad choice: none of the others is written
        notifications.set_notification_preferences(
            session, cast.observer, {"round_closed": "off", "reminder": "off"}
        )
    assert notifications.preferences(session, cast.observer.id, observer=True)["round_closed"] != "off"
    assert len(_events(session, "notification_preferences_changed")) == 1


def test_a_language_or_time_zone_chosen_stays_on_the_record(session, cast):
    from workflow.accounts import set_preferences

    set_preferences(session, cast.observer, language="ru", timezone="Europe/Moscow")
    set_preferences(session, cast.observer, language="ru", timezone="Europe/Moscow")
    [event] = _events(session, "preferences_changed")
    assert event.data == {"user": cast.observer.id, "language": "ru", "timezone": "Europe/Moscow"}
