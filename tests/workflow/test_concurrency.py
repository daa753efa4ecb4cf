"""Races on PostgreSQL: threads with their own connections on committed data.

The `session` fixture's rolled-back transaction is invisible to other
connections, so these tests build a schema of their own (dropped afterwards),
commit their setup there, and let each thread commit or roll back on its own
connection, as concurrent requests and the scheduler would.

- Positions recorded while the chair closes the round (or the scheduler expires a
  silence round): each is in the outcome, or its call raised "round closed".
- Two triggers fired at once on one document: exactly one applies.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from races import Result, race, race_schema
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    Document,
    OutcomeKind,
    Position,
    PositionKind,
    Round,
    RoundMode,
    RoundStatus,
    User,
)
from workflow import audit, operations, times
from workflow.accounts import create_user
from workflow.errors import ConcordError, RoundClosed, StaleChange, TriggerNotAllowed

pytestmark = pytest.mark.postgres_only

REPEAT = 6
RECORDERS = ("AFG", "AZE", "BHR", "CHN", "IND", "IRN", "KAZ", "RUS")
KINDS = (
    PositionKind.CONSENT,
    PositionKind.CONSENT_WITH_STATEMENT,
    PositionKind.RESERVATION,
    PositionKind.STAND_ASIDE,
    PositionKind.OBJECTION,
)
PASSWORD = "race-password-1"


# ------------------------------------------------------------------ a schema of our own


@pytest.fixture(scope="module")
def race_engine(engine: Engine) -> Iterator[Engine]:
    with race_schema(engine, pool_size=12) as races:
        yield races


@pytest.fixture(scope="module")
def users(race_engine: Engine) -> dict[str, int]:
    """User ids: a delegate for each recording state, and two secretariat officers."""
    with Session(race_engine) as session:
        made = {
            code: create_user(
                session,
                email=f"delegate.{code.lower()}@race.example",
                name=f"Delegate of {code}",
                password=PASSWORD,
                delegate_of=[code],
            )
            for code in RECORDERS
        }
        for name in ("secretariat", "secretariat2"):
            made[name] = create_user(
                session,
                email=f"{name}@race.example",
                name=name,
                password=PASSWORD,
                secretariat=True,
            )
        session.commit()
        return {key: user.id for key, user in made.items()}


def committed(race_engine: Engine, work: Callable[[Session], object]):
    with Session(race_engine, expire_on_commit=False) as session:
        result = work(session)
        session.commit()
        return result


def proposal_in(race_engine: Engine, users: dict[str, int], state: str) -> int:
    """A committed project proposal in `secretariat_screening` or `prc_review`."""

    def build(session: Session) -> int:
        secretariat = session.get(User, users["secretariat"])
        document = operations.create_document(
            session,
            secretariat,
            kind="project_proposal",
            title="Maritime incident hotline",
            title_ru="Документ",
            proposer="KAZ",
            budget=25000,
            texts={"en": "Rev.1"},
        )
        operations.fire_trigger(session, secretariat, document.id, "screen")
        if state == "prc_review":
            operations.fire_trigger(session, secretariat, document.id, "forward_to_prc")
        return document.id

    return committed(race_engine, build)


def open_round(race_engine, users, document_id: int, mode: RoundMode) -> int:
    def build(session: Session) -> int:
        deadline = None if mode is RoundMode.MEETING else times.now_utc() + timedelta(hours=1)
        secretariat = session.get(User, users["secretariat"])
        return operations.open_round(
            session, secretariat, document_id, mode=mode, deadline=deadline
        ).id

    return committed(race_engine, build)


# ------------------------------------------------------------------ running threads together


def unexpected(results: dict[str, Result], allowed: tuple[type[ConcordError], ...]) -> list[str]:
    return [
        f"{r.name}: {r.error!r}"
        for r in results.values()
        if r.error is not None and not isinstance(r.error, allowed)
    ]


def recorder(users, round_id: int, code: str, kinds: list[PositionKind], pause: float):
    """A delegate who records one or more positions (a change of mind) in one transaction."""

    def job(session: Session):
        delegate = session.get(User, users[code])
        if pause:
            time.sleep(pause)
        last = None
        for kind in kinds:
            last = operations.record_position(
                session,
                delegate,
                round_id,
                participant=code,
                kind=kind,
                text=f"{kind.value} of {code}" if kind.requires_text else "",
            )
        return last.id

    return job


def round_events(session: Session, document_id: int, round_id: int) -> list[AuditEvent]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)
    )
    return [e for e in events if (e.data or {}).get("round_id") == round_id]


def assert_nothing_lost(race_engine, document_id, round_id, results, plans) -> Round:
    """Each recorder is in the outcome with its last position, or was refused 'round closed'."""
    problems = unexpected(results, (RoundClosed,))
    assert not problems, f"calls failed with something other than RoundClosed: {problems}"
    with Session(race_engine) as session:
        round_ = session.get(Round, round_id)
        assert round_.status is RoundStatus.CLOSED
        rows = session.scalars(select(Position).where(Position.round_id == round_id)).all()
        current = {p.participant.code: p for p in rows if p.is_current}
        accepted = {code for code in plans if results[code].error is None}
        for code in plans:
            error = results[code].error
            if error is not None:
                assert str(error).startswith("round closed"), f"{code}: {error}"
                assert code not in current, f"{code} was refused but its position is stored"
            else:
                assert code in current, f"{code}'s position was accepted, then lost"
                assert current[code].id == results[code].value
                assert current[code].kind == plans[code][-1]
        stored = {p.participant.code for p in rows}
        assert stored == accepted, "the stored positions are exactly the accepted ones"

        events = round_events(session, document_id, round_id)
        closing = [e for e in events if e.action == "round_closed"]
        assert len(closing) == 1, "the round closed once"
        recorded_after = [
            e for e in events if e.action == "position_recorded" and e.id > closing[0].id
        ]
        assert not recorded_after, "a position was recorded after the round closed"
        listed = closing[0].data
        assert sorted(s["participant"] for s in listed["statements"]) == sorted(
            c for c in accepted if plans[c][-1] is PositionKind.CONSENT_WITH_STATEMENT
        ), "every statement is in the outcome"
        assert sorted(s["participant"] for s in listed["reservations"]) == sorted(
            c for c in accepted if plans[c][-1] is PositionKind.RESERVATION
        ), "every reservation is in the outcome"
        assert sorted(s["participant"] for s in listed["objections"]) == sorted(
            c for c in accepted if plans[c][-1] is PositionKind.OBJECTION
        ), "every objection is in the outcome"
        session.expunge_all()
        return round_


def plans_for(rng: random.Random) -> dict[str, list[PositionKind]]:
    """Each recorder's positions: mostly one, sometimes a change of mind; objections are rare."""
    plans = {}
    for code in RECORDERS:
        weights = (5, 3, 3, 2, 1)
        kinds = rng.choices(KINDS, weights=weights, k=rng.choice((1, 1, 2)))
        plans[code] = kinds
    return plans


# ------------------------------------------------------------------ the races


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_positions_racing_the_chairs_close_are_kept_or_refused(race_engine, users, attempt):
    rng = random.Random(attempt)
    document_id = proposal_in(race_engine, users, "prc_review")
    round_id = open_round(race_engine, users, document_id, RoundMode.MEETING)
    plans = plans_for(rng)
    jobs = {
        code: recorder(users, round_id, code, kinds, rng.uniform(0, 0.01))
        for code, kinds in plans.items()
    }
    close_pause = rng.uniform(0, 0.02)

    def chair(session: Session):
        time.sleep(close_pause)
        secretariat = session.get(User, users["secretariat"])
        return operations.close_round(session, secretariat, round_id, note="closed by the chair")

    results = race(race_engine, {**jobs, "chair": chair})
    assert results["chair"].error is None, f"the close failed: {results['chair'].error!r}"
    round_ = assert_nothing_lost(race_engine, document_id, round_id, results, plans)
    objected = any(
        results[c].error is None and plans[c][-1] is PositionKind.OBJECTION for c in plans
    )
    expected = OutcomeKind.NO_CONSENSUS if objected else OutcomeKind.CONSENSUS
    assert round_.outcome is expected, "consensus iff no accepted objection stands"


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_positions_racing_the_silence_deadline_are_kept_or_refused(race_engine, users, attempt):
    rng = random.Random(100 + attempt)
    document_id = proposal_in(race_engine, users, "prc_review")
    round_id = open_round(race_engine, users, document_id, RoundMode.SILENCE)
    plans = plans_for(rng)
    if attempt % 2 == 0:  # an objector races the deadline
        plans[rng.choice(RECORDERS)] = [PositionKind.OBJECTION]
    jobs = {
        code: recorder(users, round_id, code, kinds, rng.uniform(0, 0.01))
        for code, kinds in plans.items()
    }
    expire_pause = rng.uniform(0, 0.02)

    def scheduler(session: Session):
        time.sleep(expire_pause)
        deadline = session.scalar(select(Round.deadline_at).where(Round.id == round_id))
        return operations.expire_round(session, round_id, now=deadline + timedelta(seconds=1))

    results = race(race_engine, {**jobs, "scheduler": scheduler})
    assert results["scheduler"].error is None, f"expiry failed: {results['scheduler'].error!r}"
    round_ = assert_nothing_lost(race_engine, document_id, round_id, results, plans)
    objectors = [
        c for c in plans if results[c].error is None and PositionKind.OBJECTION in plans[c]
    ]
    if objectors:
        assert round_.outcome is OutcomeKind.SILENCE_BROKEN
        assert len(objectors) == 1, f"silence was broken once, yet {objectors} all got in"
        assert results["scheduler"].value is None, "the deadline fired on a broken silence"
    else:
        assert round_.outcome is OutcomeKind.CONSENSUS
        assert results["scheduler"].value is not None, "the deadline did not fire"


TRIGGER_RACES = {
    # name: (trigger of thread A, trigger of thread B, pass the version both read)
    "same trigger, optimistic": ("forward_to_prc", "forward_to_prc", True),
    "same trigger, blind": ("forward_to_prc", "forward_to_prc", False),
    "rival triggers, optimistic": ("forward_to_prc", "return_for_revision", True),
    "rival triggers, blind": ("forward_to_prc", "return_for_revision", False),
}


@pytest.mark.parametrize("attempt", range(REPEAT))
@pytest.mark.parametrize("case", list(TRIGGER_RACES))
def test_two_triggers_at_once_never_both_apply(race_engine, users, case, attempt):
    first, second, optimistic = TRIGGER_RACES[case]
    document_id = proposal_in(race_engine, users, "secretariat_screening")
    with Session(race_engine) as session:
        read_version = session.get(Document, document_id).lock_version
    rng = random.Random(attempt)

    def firing(user_key: str, trigger: str):
        pause = rng.uniform(0, 0.005)

        def job(session: Session):
            actor = session.get(User, users[user_key])
            time.sleep(pause)
            return operations.fire_trigger(
                session,
                actor,
                document_id,
                trigger,
                comment="needs a clearer budget",
                expected_lock_version=read_version if optimistic else None,
            ).state

        return job

    results = race(
        race_engine,
        {"a": firing("secretariat", first), "b": firing("secretariat2", second)},
    )
    problems = unexpected(results, (StaleChange, TriggerNotAllowed))
    assert not problems, f"the loser must get StaleChange or TriggerNotAllowed: {problems}"
    winners = [r for r in results.values() if r.error is None]
    assert len(winners) == 1, f"exactly one trigger applies; got {[r.name for r in winners]}"
    with Session(race_engine) as session:
        document = session.get(Document, document_id)
        assert document.state == winners[0].value
        moves = session.scalars(
            select(AuditEvent).where(
                AuditEvent.document_id == document_id,
                AuditEvent.action == "transition",
                AuditEvent.from_state == "secretariat_screening",
            )
        ).all()
        assert len(moves) == 1, "exactly one audit event for the race"
        assert moves[0].to_state == document.state


def test_audit_chain_holds_after_the_races(race_engine, users):
    """Run last in this module: every concurrent writer kept the hash chain intact."""
    proposal_in(race_engine, users, "prc_review")
    with Session(race_engine) as session:
        assert session.scalar(select(AuditEvent.id).limit(1)) is not None
        assert audit.find_break(session) is None


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_the_last_written_answer_racing_the_lapse_is_kept_or_refused(race_engine, users, attempt):
    """Every state but one has answered; its answer and the lapse race: one of them wins."""
    rng = random.Random(200 + attempt)
    document_id = proposal_in(race_engine, users, "prc_review")
    round_id = open_round(race_engine, users, document_id, RoundMode.WRITTEN)
    last = rng.choice(RECORDERS)

    def everyone_else(session: Session) -> None:
        secretariat = session.get(User, users["secretariat"])
        for elector in session.get(Round, round_id).electors:
            if elector.participant.code != last:
                operations.record_position(
                    session,
                    secretariat,
                    round_id,
                    participant=elector.participant.code,
                    kind=PositionKind.CONSENT,
                    reference=f"NV/{attempt}/{elector.participant.code}",
                )

    committed(race_engine, everyone_else)
    plans = {last: [PositionKind.CONSENT]}
    jobs = {last: recorder(users, round_id, last, plans[last], rng.uniform(0, 0.01))}
    lapse_pause = rng.uniform(0, 0.01)

    def scheduler(session: Session):
        time.sleep(lapse_pause)
        deadline = session.scalar(select(Round.deadline_at).where(Round.id == round_id))
        return operations.expire_round(session, round_id, now=deadline + timedelta(seconds=1))

    results = race(race_engine, {**jobs, "scheduler": scheduler})
    assert results["scheduler"].error is None, f"the lapse failed: {results['scheduler'].error!r}"
    assert not unexpected(results, (RoundClosed,)), unexpected(results, (RoundClosed,))
    with Session(race_engine) as session:
        round_ = session.get(Round, round_id)
        current = {p.participant.code for p in round_.positions if p.is_current}
        closing = [
            e for e in round_events(session, document_id, round_id) if e.action == "round_closed"
        ]
        assert len(closing) == 1, "the round closed once"
        assert (last in current) is (results[last].error is None), "kept iff accepted"
    if results[last].error is None:
        assert round_.outcome is OutcomeKind.CONSENSUS, "the last answer completed the round"
        assert results["scheduler"].value is None, "the lapse fired on a completed round"
    else:
        assert round_.outcome is OutcomeKind.LAPSED
        assert results["scheduler"].value is not None
