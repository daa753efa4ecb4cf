"""Reminders before a deadline, with the injectable clock: only states that have not
answered, none when the deadline was nearer than the offset at opening, moved by an
extension, cancelled by an answer, a close or a void."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import NOW
from sqlalchemy import select

from models import Notification, PositionKind, RoundMode
from workflow import clock, outbox, reminders
from workflow import operations as ops

MINUTE = timedelta(minutes=1)


def reminded(session, **where):
    query = select(Notification).where(Notification.kind == outbox.REMINDER)
    for key, value in where.items():
        query = query.where(getattr(Notification, key) == value)
    return list(session.scalars(query.order_by(Notification.id)))


@pytest.fixture
def soc_paper(in_state):
    return in_state("concept_paper", "soc_consideration")


def open_silence(session, cast, document, days: float = 10):
    return ops.open_round(
        session,
        cast.secretariat,
        document.id,
        mode=RoundMode.SILENCE,
        deadline=NOW + timedelta(days=days),
        timezone="UTC",
    )


def test_reminders_go_at_72_and_24_hours_to_states_that_have_not_answered(session, cast, soc_paper):
    round_ = open_silence(session, cast, soc_paper)
    ops.record_position(
        session, cast.other, round_.id, participant="IND", kind=PositionKind.CONSENT
    )
    at_72 = round_.deadline_at - timedelta(hours=72)
    assert reminders.write_due(session, at_72 - MINUTE) == 0
    written = reminders.write_due(session, at_72)
    people = {n.user_id for n in reminded(session)}
    assert cast.other.id not in people  # India answered
    assert {cast.coordinator.id, cast.co_coordinator.id, cast.proposer.id} <= people
    assert written == len(people)
    assert {n.payload["hours"] for n in reminded(session)} == {72}
    assert reminders.write_due(session, at_72 + timedelta(hours=1)) == 0  # once
    at_24 = round_.deadline_at - timedelta(hours=24)
    assert reminders.write_due(session, at_24 - MINUTE) == 0
    assert reminders.write_due(session, at_24) == written
    assert reminders.write_due(session, round_.deadline_at) == 0  # the deadline itself: none


def test_no_reminder_when_the_deadline_was_nearer_than_the_offset_at_opening(
    session, cast, soc_paper
):
    round_ = open_silence(session, cast, soc_paper, days=2)  # 48 hours: no 72-hour reminder
    assert reminders.write_due(session, NOW) == 0
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=24) - MINUTE) == 0
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=24)) > 0
    assert {n.payload["hours"] for n in reminded(session)} == {24}


def test_no_reminder_at_the_moment_of_opening(session, cast, soc_paper):
    open_silence(session, cast, soc_paper, days=1)  # exactly 24 hours: the opening says it
    assert reminders.write_due(session, NOW) == 0
    assert reminders.write_due(session, NOW + timedelta(hours=1)) == 0


def test_a_late_scheduler_sends_only_the_nearest_reminder(session, cast, soc_paper):
    round_ = open_silence(session, cast, soc_paper)
    reminders.write_due(session, round_.deadline_at - timedelta(hours=12))
    assert {n.payload["hours"] for n in reminded(session)} == {24}


def test_an_extension_moves_the_reminders(session, cast, soc_paper):
    round_ = open_silence(session, cast, soc_paper)
    old_72 = round_.deadline_at - timedelta(hours=72)
    clock.set_now(NOW + timedelta(days=1))
    ops.extend_deadline(
        session,
        cast.secretariat,
        round_.id,
        new_deadline=NOW + timedelta(days=20),
        reason="Holidays",
        timezone="UTC",
    )
    assert reminders.write_due(session, old_72) == 0  # nothing at the old moment
    new_72 = round_.deadline_at - timedelta(hours=72)
    assert reminders.write_due(session, new_72) > 0
    assert {n.payload["deadline"] for n in reminded(session)} == {round_.deadline_at.isoformat()}


def test_a_reminder_waiting_is_not_sent_once_the_state_answers_or_the_deadline_moves(
    session, cast, soc_paper
):
    round_ = open_silence(session, cast, soc_paper)
    at_72 = round_.deadline_at - timedelta(hours=72)
    reminders.write_due(session, at_72)
    india = reminded(session, user_id=cast.other.id)[0]
    china = reminded(session, user_id=cast.proposer.id)[0]
    assert reminders.still_due(session, india, at_72)
    clock.set_now(at_72)
    ops.record_position(
        session, cast.other, round_.id, participant="IND", kind=PositionKind.CONSENT
    )
    assert not reminders.still_due(session, india, at_72)  # answered: cancelled for India
    assert reminders.still_due(session, china, at_72)
    ops.extend_deadline(
        session,
        cast.secretariat,
        round_.id,
        new_deadline=NOW + timedelta(days=20),
        reason="More time",
        timezone="UTC",
    )
    assert not reminders.still_due(session, china, at_72)  # for the old deadline


def test_a_void_round_cancels_its_reminders(session, cast, soc_paper):
    round_ = open_silence(session, cast, soc_paper)
    at_72 = round_.deadline_at - timedelta(hours=72)
    reminders.write_due(session, at_72)
    assert {n.status for n in reminded(session)} == {"pending"}
    clock.set_now(at_72)
    ops.fire_trigger(session, cast.coordinator, soc_paper.id, "withdraw")  # voids the round
    session.expire_all()
    assert {n.status for n in reminded(session)} == {"cancelled"}
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=24)) == 0


def test_a_closed_round_cancels_its_reminders(session, cast, soc_paper):
    round_ = open_silence(session, cast, soc_paper)
    at_72 = round_.deadline_at - timedelta(hours=72)
    reminders.write_due(session, at_72)
    clock.set_now(at_72)
    ops.record_position(
        session, cast.other, round_.id, participant="IND", kind=PositionKind.OBJECTION, text="No"
    )  # the silence is broken: the round closes
    session.expire_all()
    assert {n.status for n in reminded(session)} == {"cancelled"}


def test_the_profile_sets_the_offsets(session, cast, soc_paper):
    from workflow import times

    times.forum(session).reminder_hours = [48]
    session.flush()
    round_ = open_silence(session, cast, soc_paper)
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=72)) == 0
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=48)) > 0
    assert reminders.write_due(session, round_.deadline_at - timedelta(hours=24)) == 0


def test_a_cancelled_reminder_leaves_the_persons_notifications(session, cast, soc_paper):
    from workflow import notifications

    round_ = open_silence(session, cast, soc_paper)
    reminders.write_due(session, round_.deadline_at - timedelta(hours=72))
    before = notifications.unread_count(session, cast.proposer)
    assert any(n.kind == outbox.REMINDER for n in notifications.for_user(session, cast.proposer))
    clock.set_now(round_.deadline_at - timedelta(hours=72))
    ops.fire_trigger(session, cast.coordinator, soc_paper.id, "withdraw")
    session.expire_all()
    assert notifications.unread_count(session, cast.proposer) == before - 1
    assert all(n.kind != outbox.REMINDER for n in notifications.for_user(session, cast.proposer))
