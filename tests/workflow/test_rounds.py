"""Rounds in the three modes, the rules for positions, extensions, expiry and voiding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_helpers import NOW, TEXTS, advance_clock
from sqlalchemy import event, select

from models import (
    DueAction,
    DueActionKind,
    DueActionStatus,
    EntryChannel,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    Position,
    PositionKind,
    RoundMode,
    RoundStatus,
)
from workflow import kinds, locking
from workflow import operations as ops
from workflow.errors import GuardFailed, InvalidInput, NotPermitted, RoundClosed
from workflow.summaries import closing_summary, load_summary, summary_read_for_closing

MEMBERS = 28
IN_TWO_WEEKS = NOW + timedelta(days=14)


def members(session) -> list[str]:
    return list(
        session.scalars(
            select(Participant.code)
            .where(Participant.status == ParticipantStatus.MEMBER)
            .order_by(Participant.code)
        )
    )


def due_actions(session, round_):
    return list(session.scalars(select(DueAction).where(DueAction.round_id == round_.id)))


@pytest.fixture
def swg_paper(in_state):
    return in_state("concept_paper", "swg_review")


@pytest.fixture
def soc_paper(in_state):
    return in_state("concept_paper", "soc_consideration")


@pytest.fixture
def meeting(session, cast, swg_paper):
    return ops.open_round(session, cast.secretariat, swg_paper.id, mode=RoundMode.MEETING)


@pytest.fixture
def silence(session, cast, soc_paper):
    return ops.open_round(
        session, cast.secretariat, soc_paper.id, mode=RoundMode.SILENCE, deadline=IN_TWO_WEEKS
    )


@pytest.fixture
def written(session, cast, in_state):
    document = in_state("project_proposal", "prc_review")
    return ops.open_round(
        session, cast.secretariat, document.id, mode=RoundMode.WRITTEN, deadline=IN_TWO_WEEKS
    )


def answer(session, cast, round_, code, kind=PositionKind.CONSENT, text=""):
    return ops.record_position(
        session,
        cast.secretariat,
        round_.id,
        participant=code,
        kind=kind,
        text=text,
        reference=f"NV/{code}/1",
    )


# ---------------------------------------------------------------- opening


@pytest.mark.parametrize("role", ["coordinator", "proposer", "admin", "observer", "system"])
def test_only_the_secretariat_opens_a_round(session, cast, swg_paper, role):
    with pytest.raises(NotPermitted):
        ops.open_round(session, cast.by_role(role), swg_paper.id, mode=RoundMode.MEETING)


def test_electorate_is_the_member_states_at_opening(session, meeting):
    codes = sorted(e.participant.code for e in meeting.electors)
    assert codes == members(session) and len(codes) == MEMBERS
    assert "JPN" not in codes and "UN" not in codes and "MAR" not in codes
    assert meeting.version.number == 1 and meeting.document_state == "swg_review"
    assert due_actions(session, meeting) == []


def test_a_state_without_a_round_refuses_one(session, cast, new_document):
    document = new_document("concept_paper")
    with pytest.raises(GuardFailed):
        ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)


def test_mode_must_be_allowed_in_the_state(session, cast, swg_paper):
    with pytest.raises(InvalidInput, match="meeting mode only"):
        ops.open_round(
            session, cast.secretariat, swg_paper.id, mode=RoundMode.SILENCE, deadline=IN_TWO_WEEKS
        )


@pytest.mark.parametrize(
    "mode, deadline, message",
    [
        (RoundMode.SILENCE, None, "needs a deadline"),
        (RoundMode.SILENCE, NOW - timedelta(minutes=1), "in the future"),
        (RoundMode.SILENCE, NOW, "in the future"),
        (RoundMode.MEETING, IN_TWO_WEEKS, "no deadline"),
    ],
)
def test_deadline_rules(session, cast, soc_paper, mode, deadline, message):
    with pytest.raises(InvalidInput, match=message):
        ops.open_round(session, cast.secretariat, soc_paper.id, mode=mode, deadline=deadline)


def test_a_naive_deadline_is_read_in_the_forum_zone(session, cast, soc_paper):
    round_ = ops.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode="silence",
        deadline=datetime(2025, 3, 24, 18, 0),
    )
    assert round_.deadline_at == datetime(2025, 3, 24, 13, 0, tzinfo=UTC)  # Astana is UTC+5
    assert round_.deadline_timezone == "Asia/Almaty"
    [action] = due_actions(session, round_)
    assert (action.kind, action.status, action.due_at) == (
        DueActionKind.SILENCE_EXPIRY,
        DueActionStatus.PENDING,
        round_.deadline_at,
    )


def test_a_deadline_in_a_named_zone(session, cast, soc_paper):
    evening = datetime(2025, 3, 24, 18, 0)
    with pytest.raises(InvalidInput, match="time zone"):
        ops.open_round(
            session,
            cast.secretariat,
            soc_paper.id,
            mode="silence",
            deadline=evening,
            timezone="Mars/Olympus",
        )
    round_ = ops.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode="silence",
        deadline=evening,
        timezone="Europe/Vienna",
    )
    assert round_.deadline_at == datetime(2025, 3, 24, 17, 0, tzinfo=UTC)
    assert round_.deadline_timezone == "Europe/Vienna"


def test_one_open_round_at_a_time(session, cast, meeting):
    with pytest.raises(GuardFailed, match="still open"):
        ops.open_round(session, cast.secretariat, meeting.document_id, mode=RoundMode.MEETING)


def test_the_applicant_is_never_in_the_electorate(session, cast, in_state, participant):
    document = in_state("admission", "soc_consideration")
    document.applicant.status = ParticipantStatus.MEMBER  # even if already seated somehow
    session.flush()
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    assert "MAR" not in {e.participant.code for e in round_.electors}


# ---------------------------------------------------------------- positions


def test_a_delegate_records_their_state_position(session, cast, meeting):
    position = ops.record_position(
        session, cast.other, meeting.id, participant="IND", kind=PositionKind.CONSENT
    )
    assert position.channel == EntryChannel.DELEGATE and position.entered_by is cast.other


def test_a_transaction_locks_a_round_once_until_it_ends(session, meeting):
    """A firing locks a round before it decides, then acts through an operation that locks
    it again: the second lock reads nothing. A rolled-back savepoint gave its locks back,
    and a new transaction holds none, however the last one ended: they lock again."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    def lock() -> int:
        seen.clear()
        event.listen(session.connection(), "before_cursor_execute", count)
        try:
            locked = locking.lock_round(session, meeting.id)
        finally:
            event.remove(session.connection(), "before_cursor_execute", count)
        assert locked.round.id == meeting.id
        return len(seen)

    session.info.pop(locking.HELD, None)
    assert lock() == 1
    assert lock() == 0
    savepoint = session.begin_nested()
    savepoint.rollback()
    assert lock() == 1
    session.commit()
    assert lock() == 1
    session.close()  # ended without a commit or a rollback: its locks went with it
    assert lock() == 1


def test_a_closing_round_is_read_once_until_the_transaction_ends(session, meeting):
    """The summary a close decides on is read once and kept for the transaction: a
    released savepoint keeps it, a rolled-back one does not (what it closed is open
    again), and a new transaction reads afresh however the last one ended."""
    read = closing_summary(session, meeting.id)
    assert closing_summary(session, meeting.id) is read
    savepoint = session.begin_nested()
    savepoint.commit()
    assert summary_read_for_closing(session, meeting.id) is read
    savepoint = session.begin_nested()
    savepoint.rollback()
    assert summary_read_for_closing(session, meeting.id) is None
    closing_summary(session, meeting.id)
    session.commit()
    assert summary_read_for_closing(session, meeting.id) is None
    closing_summary(session, meeting.id)
    session.close()  # ended without a commit or a rollback
    assert summary_read_for_closing(session, meeting.id) is None


def test_a_position_takes_at_most_six_statements(session, cast, meeting):
    """Lock (document, round, chain head), look up (state, seat, current position), then
    the writes: previous position, new position, audit event, chain head."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    def record(kind):
        seen.clear()
        # As in a request's new session: neither the forum nor its kinds read yet.
        session.info.pop("forum", None)
        kinds.forget(session)
        session.info.pop(locking.HELD, None)  # nor a lock held
        event.listen(session.connection(), "before_cursor_execute", count)
        try:
            ops.record_position(session, cast.other, meeting.id, participant="IND", kind=kind)
        finally:
            event.remove(session.connection(), "before_cursor_execute", count)
        return len(seen)

    assert record(PositionKind.CONSENT) <= 5, seen  # a first position replaces nothing
    assert any(s.startswith("INSERT INTO position") for s in seen)  # the count is of this
    assert record(PositionKind.STAND_ASIDE) <= 6, seen
    current = session.scalars(
        select(Position).where(Position.round_id == meeting.id, Position.is_current)
    ).all()
    assert [p.kind for p in current] == [PositionKind.STAND_ASIDE]


@pytest.mark.parametrize("role", ["coordinator", "proposer", "admin", "observer", "applicant"])
def test_nobody_else_speaks_for_a_state(session, cast, meeting, role):
    with pytest.raises(NotPermitted):
        ops.record_position(
            session, cast.by_role(role), meeting.id, participant="IND", kind=PositionKind.CONSENT
        )


def test_the_system_records_no_position(session, meeting):
    with pytest.raises(NotPermitted):
        ops.record_position(session, None, meeting.id, participant="IND", kind="consent")


def test_the_secretariat_needs_the_note_verbale(session, cast, meeting):
    with pytest.raises(InvalidInput, match="note verbale"):
        ops.record_position(
            session, cast.secretariat, meeting.id, participant="IND", kind="consent"
        )
    position = ops.record_position(
        session,
        cast.secretariat,
        meeting.id,
        participant="IND",
        kind="consent",
        reference="NV 12/2025",
    )
    assert position.channel == EntryChannel.NOTE_VERBALE and position.reference == "NV 12/2025"


def test_a_state_outside_the_electorate_has_no_position(session, cast, meeting, make_user):
    with pytest.raises(NotPermitted, match="electorate"):
        ops.record_position(
            session, cast.secretariat, meeting.id, participant="JPN", kind="consent", reference="x"
        )


@pytest.mark.parametrize(
    "kind, text, amendment, ok",
    [
        (PositionKind.CONSENT, "", "", True),
        (PositionKind.STAND_ASIDE, "", "", True),
        (PositionKind.CONSENT_WITH_STATEMENT, "", "", False),
        (PositionKind.CONSENT_WITH_STATEMENT, "Our understanding is...", "", True),
        (PositionKind.RESERVATION, "  ", "", False),
        (PositionKind.RESERVATION, "Paragraph 3 does not bind us", "", True),
        (PositionKind.OBJECTION, "", "", False),
        (PositionKind.OBJECTION, "Grounds", "Replace paragraph 2 with...", True),
        (PositionKind.CONSENT, "", "An amendment", False),
        ("vote_yes", "", "", False),
    ],
)
def test_texts_each_kind_requires(session, cast, meeting, kind, text, amendment, ok):
    def record():
        return ops.record_position(
            session,
            cast.other,
            meeting.id,
            participant="IND",
            kind=kind,
            text=text,
            amendment=amendment,
        )

    if ok:
        assert record().kind == kind
    else:
        with pytest.raises(InvalidInput):
            record()


def test_a_change_keeps_history_and_only_the_latest_counts(session, cast, meeting):
    first = ops.record_position(
        session, cast.other, meeting.id, participant="IND", kind="objection", text="No."
    )
    second = ops.record_position(session, cast.other, meeting.id, participant="IND", kind="consent")
    rows = session.scalars(select(Position).where(Position.round_id == meeting.id)).all()
    assert [(p.id, p.is_current) for p in rows] == [(first.id, False), (second.id, True)]
    ops.close_round(session, cast.secretariat, meeting.id)
    assert meeting.outcome is OutcomeKind.CONSENSUS


# ---------------------------------------------------------------- meeting mode


def test_meeting_consensus_carries_statements_and_reservations(session, cast, meeting, swg_paper):
    answer(session, cast, meeting, "IND", PositionKind.RESERVATION, "Reservation on para 4")
    answer(session, cast, meeting, "CHN", PositionKind.CONSENT_WITH_STATEMENT, "Statement")
    answer(session, cast, meeting, "KAZ", PositionKind.STAND_ASIDE)
    ops.close_round(session, cast.secretariat, meeting.id, note="SWG, 12 March")
    assert (meeting.status, meeting.outcome) == (RoundStatus.CLOSED, OutcomeKind.CONSENSUS)
    assert swg_paper.state == "soc_consideration"
    outcome = load_summary(session, meeting.id).record()
    assert [r["participant"] for r in outcome["reservations"]] == ["IND"]
    assert [s["text"] for s in outcome["statements"]] == ["Statement"]
    assert outcome["stood_aside"] == ["KAZ"] and len(outcome["no_position"]) == MEMBERS - 3


def test_meeting_objection_means_no_consensus_and_revision(session, cast, meeting, swg_paper):
    answer(session, cast, meeting, "IND", PositionKind.OBJECTION, "Not acceptable")
    ops.close_round(session, cast.secretariat, meeting.id)
    assert meeting.outcome is OutcomeKind.NO_CONSENSUS
    assert swg_paper.state == "drafting"
    with pytest.raises(GuardFailed, match="new version"):
        ops.fire_trigger(session, cast.coordinator, swg_paper.id, "submit")
    ops.add_version(session, cast.coordinator, swg_paper.id, texts=TEXTS)
    ops.fire_trigger(session, cast.coordinator, swg_paper.id, "submit")
    assert swg_paper.state == "swg_review"


@pytest.mark.parametrize("role", ["coordinator", "admin", "system"])
def test_only_the_secretariat_closes(session, cast, meeting, role):
    with pytest.raises(NotPermitted):
        ops.close_round(session, cast.by_role(role), meeting.id)


def test_a_closed_round_takes_nothing_more(session, cast, meeting):
    ops.close_round(session, cast.secretariat, meeting.id)
    with pytest.raises(RoundClosed, match="round closed"):
        ops.record_position(session, cast.other, meeting.id, participant="IND", kind="consent")
    with pytest.raises(RoundClosed):
        ops.close_round(session, cast.secretariat, meeting.id)


# ---------------------------------------------------------------- silence procedure


def test_silence_broken_by_one_objection(session, cast, silence, soc_paper):
    answer(session, cast, silence, "CHN")
    ops.record_position(
        session,
        cast.other,
        silence.id,
        participant="IND",
        kind="objection",
        text="Grounds",
        amendment="New para 2",
    )
    assert silence.outcome is OutcomeKind.SILENCE_BROKEN
    assert soc_paper.state == "drafting"
    assert [a.status for a in due_actions(session, silence)] == [DueActionStatus.CANCELLED]
    assert load_summary(session, silence.id).record()["objections"][0]["amendment"] == "New para 2"


def test_silence_ends_in_consensus_at_the_deadline(session, cast, silence, soc_paper):
    answer(session, cast, silence, "IND", PositionKind.RESERVATION, "Reserved")
    assert ops.expire_round(session, silence.id, now=IN_TWO_WEEKS - timedelta(seconds=1)) is None
    assert ops.expire_round(session, silence.id, now=IN_TWO_WEEKS) is silence
    assert silence.outcome is OutcomeKind.CONSENSUS and soc_paper.state == "approved"
    assert ops.expire_round(session, silence.id, now=IN_TWO_WEEKS) is None  # idempotent


def test_no_objection_is_taken_once_the_deadline_passed(session, cast, silence):
    advance_clock(timedelta(days=14))
    with pytest.raises(RoundClosed, match="deadline"):
        ops.record_position(
            session, cast.other, silence.id, participant="IND", kind="objection", text="Late"
        )


def test_extending_a_silence_procedure(session, cast, silence):
    later = IN_TWO_WEEKS + timedelta(days=7)
    with pytest.raises(InvalidInput, match="reason"):
        ops.extend_deadline(session, cast.secretariat, silence.id, new_deadline=later, reason=" ")
    with pytest.raises(InvalidInput, match="later"):
        ops.extend_deadline(
            session,
            cast.secretariat,
            silence.id,
            new_deadline=IN_TWO_WEEKS - timedelta(days=1),
            reason="x",
        )
    with pytest.raises(NotPermitted):
        ops.extend_deadline(session, cast.coordinator, silence.id, new_deadline=later, reason="x")
    ops.extend_deadline(
        session, cast.secretariat, silence.id, new_deadline=later, reason="Holidays"
    )
    assert silence.deadline_at == later
    [action] = due_actions(session, silence)
    assert action.due_at == later and action.status is DueActionStatus.PENDING
    assert ops.expire_round(session, silence.id, now=IN_TWO_WEEKS) is None


def test_no_extension_after_the_deadline(session, cast, silence):
    advance_clock(timedelta(days=15))
    with pytest.raises(GuardFailed, match="passed"):
        ops.extend_deadline(
            session, cast.secretariat, silence.id, new_deadline=NOW + timedelta(days=20), reason="x"
        )


def test_silence_is_not_closed_by_hand(session, cast, silence):
    with pytest.raises(InvalidInput):
        ops.close_round(session, cast.secretariat, silence.id)


# ---------------------------------------------------------------- written procedure


def test_written_consensus_when_the_last_state_answers(session, cast, written):
    codes = members(session)
    for code in codes[:-1]:
        answer(
            session,
            cast,
            written,
            code,
            PositionKind.STAND_ASIDE if code == "IND" else PositionKind.CONSENT,
        )
    assert written.is_open
    answer(session, cast, written, codes[-1])
    assert written.outcome is OutcomeKind.CONSENSUS
    assert written.document.state == "approved"
    assert [a.status for a in due_actions(session, written)] == [DueActionStatus.CANCELLED]


def test_written_no_consensus_at_the_first_objection(session, cast, written):
    answer(session, cast, written, "CHN")
    answer(session, cast, written, "IND", PositionKind.OBJECTION, "Budget too high")
    assert written.outcome is OutcomeKind.NO_CONSENSUS
    assert written.document.state == "returned"


def test_written_lapses_at_the_deadline(session, cast, written):
    [action] = due_actions(session, written)
    assert action.kind is DueActionKind.WRITTEN_LAPSE
    answer(session, cast, written, "CHN")
    assert ops.expire_round(session, written.id, now=IN_TWO_WEEKS) is written
    assert written.outcome is OutcomeKind.LAPSED and written.document.state == "returned"


# ---------------------------------------------------------------- voiding


def test_a_new_version_voids_open_rounds(session, cast, silence, soc_paper):
    answer(session, cast, silence, "CHN")
    version = ops.add_version(session, cast.coordinator, soc_paper.id, texts=TEXTS, note="Rev")
    assert version.number == 2
    assert (silence.status, silence.outcome) == (RoundStatus.CLOSED, OutcomeKind.VOID)
    assert [a.status for a in due_actions(session, silence)] == [DueActionStatus.CANCELLED]
    assert soc_paper.state == "soc_consideration"
    again = ops.open_round(session, cast.secretariat, soc_paper.id, mode=RoundMode.MEETING)
    assert again.version.number == 2


def test_withdrawing_voids_the_open_round(session, cast, meeting, swg_paper):
    ops.fire_trigger(
        session, cast.coordinator, swg_paper.id, "withdraw", comment="No longer needed"
    )
    assert swg_paper.state == "withdrawn" and meeting.outcome is OutcomeKind.VOID


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "A\x00B"}, "NUL character"),
        ({"texts": {"en": "text\x00"}}, "NUL character"),
        ({"budget": 10**15}, "the budget must be below"),
        ({"threshold": 10**11}, "the threshold must be a whole number"),
    ],
)
def test_values_the_database_cannot_hold_are_refused_first(session, make_user, fields, message):
    officer = make_user(session, secretariat=True)
    values = {
        "kind": "project_proposal",
        "title": "Hotline",
        "title_ru": "Документ",
        "proposer": "KAZ",
        "budget": 100,
    }
    if "threshold" in fields:
        values = {
            "kind": "convention",
            "title": "Convention",
            "title_ru": "Документ",
            "threshold": 14,
        }
    values |= fields
    with pytest.raises(InvalidInput, match=message):
        ops.create_document(session, officer, texts=values.pop("texts", {"en": "x"}), **values)
