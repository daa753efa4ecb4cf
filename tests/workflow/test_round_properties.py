"""Property test: random sequences of round events checked against a reference model.

Hypothesis draws sequences of positions (five kinds, by delegates and by the
Secretariat on a state's behalf), changes of position, new versions, closes,
deadline extensions and expiries, and runs them through rounds of each mode on a
project proposal in PRC review (the one state whose round allows all three modes).
After every step the database must agree with `RoundModel`, a small independent
implementation of the consensus rules in the design notes:

- only an objection blocks; only the latest position of a state counts, and every
  change is kept;
- meeting: the chair's close gives consensus iff no objection stands;
- silence: the first objection breaks silence at once; the deadline without one is
  consensus; the deadline may be extended before it passes;
- written: consensus when the last elector answers without objecting, no consensus
  at the first objection, lapsed at the deadline;
- a closed round refuses positions with RoundClosed; a new version voids the open round;
- an outcome lists every statement, reservation and objection that stands;
- the consensus trigger moves the document on, the failure trigger sends it back.

Each example runs in a savepoint rolled back at its end; each operation runs in
its own savepoint, rolled back when it raises, as the request boundary would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import (
    AuditEvent,
    Document,
    DueAction,
    DueActionStatus,
    EntryChannel,
    OutcomeKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Position,
    PositionKind,
    Round,
    RoundMode,
    RoundStatus,
)
from workflow import clock, operations
from workflow.errors import (
    ConcordError,
    GuardFailed,
    InvalidInput,
    NotPermitted,
    RoundClosed,
)
from workflow.summaries import load_summary

KIND = "project_proposal"
ROUND_STATE = "prc_review"
AFTER_CONSENSUS = "approved"
AFTER_FAILURE = "returned"
PROPOSER = "KAZ"
DELEGATED = ("AFG", "AZE", "BHR", "CHN")  # states with a delegate of their own in the test
SECRETARIAT_PICKS = ("AFG", "AZE", "BHR", "CHN", "IND", "IRN", "KAZ", "RUS")
OBSERVER_STATE = "BLR"
START = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
DEADLINE_AFTER = timedelta(hours=48)
STEP = timedelta(minutes=1)  # the clock moves a little with every action

FAILURES = {OutcomeKind.NO_CONSENSUS, OutcomeKind.SILENCE_BROKEN, OutcomeKind.LAPSED}


# ------------------------------------------------------------------ the reference model


@dataclass(frozen=True)
class Entry:
    participant: str
    kind: PositionKind
    text: str
    amendment: str
    channel: EntryChannel
    reference: str
    entered_by: int


@dataclass
class RoundModel:
    mode: RoundMode
    electorate: frozenset[str]
    deadline: datetime | None
    outcome: OutcomeKind | None = None
    history: list[Entry] = field(default_factory=list)
    current: dict[str, Entry] = field(default_factory=dict)
    outcome_at_close: dict | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def accepts_positions(self, now: datetime) -> bool:
        return self.is_open and (self.deadline is None or now < self.deadline)

    def record(self, entry: Entry) -> None:
        self.history.append(entry)
        self.current[entry.participant] = entry
        objects = entry.kind == PositionKind.OBJECTION
        if self.mode is RoundMode.SILENCE and objects:
            self._close(OutcomeKind.SILENCE_BROKEN)
        elif self.mode is RoundMode.WRITTEN:
            if objects:
                self._close(OutcomeKind.NO_CONSENSUS)
            elif set(self.current) == self.electorate:  # nobody objects: checked above
                self._close(OutcomeKind.CONSENSUS)

    def close_by_chair(self) -> None:
        objections = [e for e in self.current.values() if e.kind == PositionKind.OBJECTION]
        self._close(OutcomeKind.NO_CONSENSUS if objections else OutcomeKind.CONSENSUS)

    def expire(self) -> None:
        # An objection would already have ended a silence round.
        self._close(OutcomeKind.CONSENSUS if self.mode is RoundMode.SILENCE else OutcomeKind.LAPSED)

    def void(self) -> None:
        self.outcome = OutcomeKind.VOID

    def _close(self, outcome: OutcomeKind) -> None:
        self.outcome = outcome
        self.outcome_at_close = self.listing()

    def listing(self) -> dict:
        """What the outcome must list: each standing statement, reservation and objection."""

        def of(kind):
            return sorted((e.participant, e.text) for e in self.current.values() if e.kind == kind)

        return {
            "statements": of(PositionKind.CONSENT_WITH_STATEMENT),
            "reservations": of(PositionKind.RESERVATION),
            "objections": sorted(
                (e.participant, e.text, e.amendment)
                for e in self.current.values()
                if e.kind == PositionKind.OBJECTION
            ),
            "consents": sorted(
                e.participant for e in self.current.values() if e.kind == PositionKind.CONSENT
            ),
            "stood_aside": sorted(
                e.participant for e in self.current.values() if e.kind == PositionKind.STAND_ASIDE
            ),
            "no_position": sorted(self.electorate - set(self.current)),
        }


# ------------------------------------------------------------------ actions


@dataclass(frozen=True)
class Record:
    by_secretariat: bool
    state: str
    kind: PositionKind
    with_text: bool = True
    with_amendment: bool = False
    with_reference: bool = True


@dataclass(frozen=True)
class Foreign:
    """A delegate tries to record another state's position."""

    delegate_of: str
    state: str


@dataclass(frozen=True)
class ObserverTries:
    state: str  # the observer's own state (not an elector) or a member state


@dataclass(frozen=True)
class EveryoneAnswers:
    kind: PositionKind  # never an objection


@dataclass(frozen=True)
class NewVersion:
    pass


@dataclass(frozen=True)
class Close:
    by_secretariat: bool


@dataclass(frozen=True)
class Extend:
    hours: int  # relative to the current deadline


@dataclass(frozen=True)
class Tick:
    """Time passes (before the deadline) and the scheduler looks: nothing may fire."""

    minutes: int


@dataclass(frozen=True)
class Expire:
    minutes_late: int


# Consent ad referendum adds a confirmation period after the close: its own tests
# (test_ad_referendum.py) drive it; here the rounds' own rules are modelled.
kinds = st.sampled_from([k for k in PositionKind if k is not PositionKind.CONSENT_AD_REFERENDUM])
mostly = st.sampled_from([True, True, True, False])
records = st.one_of(
    st.builds(
        Record,
        by_secretariat=st.just(False),
        state=st.sampled_from(DELEGATED),
        kind=kinds,
        with_text=mostly,
        with_amendment=st.booleans(),
    ),
    st.builds(
        Record,
        by_secretariat=st.just(True),
        state=st.sampled_from(SECRETARIAT_PICKS),
        kind=kinds,
        with_text=mostly,
        with_amendment=st.sampled_from([False, False, True]),
        with_reference=mostly,
    ),
)
common_actions = [
    *[records] * 6,  # positions are most of what happens in a round
    st.builds(
        Foreign, delegate_of=st.sampled_from(DELEGATED), state=st.sampled_from(SECRETARIAT_PICKS)
    ),
    st.builds(ObserverTries, state=st.sampled_from((OBSERVER_STATE, "IND"))),
    st.just(NewVersion()),
    st.builds(Close, by_secretariat=mostly),
    st.builds(Extend, hours=st.integers(-3, 96)),
    st.builds(Tick, minutes=st.integers(1, 3000)),
    st.builds(Expire, minutes_late=st.integers(0, 600)),
]
# Only a written round needs every state to answer; elsewhere it would only cost time.
everyone_answers = st.builds(EveryoneAnswers, kind=kinds.filter(lambda k: not k.blocks))
ACTIONS = {
    RoundMode.MEETING: st.one_of(common_actions),
    RoundMode.SILENCE: st.one_of(common_actions),
    RoundMode.WRITTEN: st.one_of([*common_actions, everyone_answers]),
}


DECIDE = {
    RoundMode.MEETING: Close(by_secretariat=True),
    RoundMode.SILENCE: Expire(minutes_late=0),
    RoundMode.WRITTEN: Expire(minutes_late=0),
}

# ------------------------------------------------------------------ the harness


class Refused(Exception):
    """The operation raised a domain error (the savepoint was rolled back)."""

    def __init__(self, error: ConcordError):
        super().__init__(repr(error))
        self.error = error


class Run:
    """One example: a document in PRC review, its current round, and the model of that round."""

    def __init__(self, session, people, mode: RoundMode, members: frozenset[str]):
        self.session, self.people, self.mode, self.members = session, people, mode, members
        self.texts = 0
        self.document_state = ROUND_STATE
        self.versions = 1
        secretariat = people["secretariat"]
        document = self.attempt(
            lambda: operations.create_document(
                session,
                secretariat,
                kind=KIND,
                title="Early warning network",
                title_ru="Документ",
                proposer=PROPOSER,
                budget=50000,
                texts={"en": "Rev.1 text"},
            )
        )
        self.document_id = document.id
        for trigger in ("screen", "forward_to_prc"):
            self.attempt(
                lambda t=trigger: operations.fire_trigger(session, secretariat, self.document_id, t)
            )
        self.rounds: list[tuple[int, RoundModel]] = []
        self.open_new_round()

    # -- plumbing

    def attempt(self, call):
        savepoint = self.session.begin_nested()
        try:
            result = call()
        except ConcordError as error:
            savepoint.rollback()
            raise Refused(error) from error
        savepoint.commit()
        return result

    def expect(self, call, refusals: set[type[ConcordError]], what: str):
        """Run `call`; it must succeed when `refusals` is empty, else raise one of them."""
        try:
            result = self.attempt(call)
        except Refused as refused:
            assert refusals, f"{what}: refused unexpectedly: {refused.error!r}"
            assert isinstance(refused.error, tuple(refusals)), (
                f"{what}: expected one of {sorted(r.__name__ for r in refusals)}, "
                f"got {refused.error!r}"
            )
            return None
        assert not refusals, (
            f"{what}: succeeded, expected one of {sorted(r.__name__ for r in refusals)}"
        )
        return result

    def tick(self, delta: timedelta = STEP) -> None:
        clock.set_now(clock.now() + delta)

    @property
    def round_id(self) -> int:
        return self.rounds[-1][0]

    @property
    def model(self) -> RoundModel:
        return self.rounds[-1][1]

    def next_text(self, label: str) -> str:
        self.texts += 1
        return f"{label} no. {self.texts}"

    # -- opening

    def open_new_round(self) -> None:
        deadline = None if self.mode is RoundMode.MEETING else clock.now() + DEADLINE_AFTER
        round_ = self.attempt(
            lambda: operations.open_round(
                self.session,
                self.people["secretariat"],
                self.document_id,
                mode=self.mode,
                deadline=deadline,
            )
        )
        electorate = frozenset(e.participant.code for e in round_.electors)
        assert electorate == self.members, "the electorate is every member state, fixed at opening"
        self.rounds.append((round_.id, RoundModel(self.mode, electorate, deadline)))

    # -- the actions

    def apply(self, action) -> None:
        self.tick()
        handler = getattr(self, f"do_{type(action).__name__}")
        handler(action)
        self.check()

    def do_Record(self, action: Record) -> None:
        self.record(action)

    def record(self, action: Record) -> None:
        model, now = self.model, clock.now()
        actor = self.people["secretariat"] if action.by_secretariat else self.people[action.state]
        text = self.next_text(action.kind.value) if action.with_text else ""
        amendment = self.next_text("amendment") if action.with_amendment else ""
        reference = self.next_text("NV") if action.by_secretariat and action.with_reference else ""
        invalid = (
            (action.kind.requires_text and not text)
            or (amendment and action.kind != PositionKind.OBJECTION)
            or (action.by_secretariat and not reference)
        )
        refusals = set()
        if invalid:
            refusals.add(InvalidInput)
        if not model.accepts_positions(now):
            refusals.add(RoundClosed)
        position = self.expect(
            lambda: operations.record_position(
                self.session,
                actor,
                self.round_id,
                participant=action.state,
                kind=action.kind,
                text=text,
                amendment=amendment,
                reference=reference,
            ),
            refusals,
            f"{action}",
        )
        if position is not None:
            model.record(
                Entry(
                    participant=action.state,
                    kind=action.kind,
                    text=text,
                    amendment=amendment,
                    channel=EntryChannel.NOTE_VERBALE
                    if action.by_secretariat
                    else EntryChannel.DELEGATE,
                    reference=reference,
                    entered_by=actor.id,
                )
            )
            self.follow_outcome()

    def do_Foreign(self, action: Foreign) -> None:
        if action.state == action.delegate_of:
            return self.record(Record(False, action.state, PositionKind.CONSENT))
        refusals = {NotPermitted} if self.model.accepts_positions(clock.now()) else {RoundClosed}
        self.expect(
            lambda: operations.record_position(
                self.session,
                self.people[action.delegate_of],
                self.round_id,
                participant=action.state,
                kind=PositionKind.OBJECTION,
                text="objection for someone else",
            ),
            refusals,
            f"{action}",
        )

    def do_ObserverTries(self, action: ObserverTries) -> None:
        refusals = {NotPermitted} if self.model.accepts_positions(clock.now()) else {RoundClosed}
        self.expect(
            lambda: operations.record_position(
                self.session,
                self.people["observer"],
                self.round_id,
                participant=action.state,
                kind=PositionKind.OBJECTION,
                text="an observer objects",
            ),
            refusals,
            f"{action}",
        )

    def do_EveryoneAnswers(self, action: EveryoneAnswers) -> None:
        silent = sorted(self.model.electorate - set(self.model.current))
        for code in silent or sorted(self.model.electorate)[:1]:
            self.record(Record(True, code, action.kind))
            if not self.model.is_open:
                break

    def do_NewVersion(self, action: NewVersion) -> None:
        self.expect(
            lambda: operations.add_version(
                self.session,
                self.people["secretariat"],
                self.document_id,
                texts={"en": self.next_text("text")},
            ),
            set(),
            "add_version",
        )
        self.versions += 1
        voided = self.model.is_open
        if voided:
            self.model.void()
        self.check()
        if voided and self.document_state == ROUND_STATE:
            self.open_new_round()

    def do_Close(self, action: Close) -> None:
        model = self.model
        if not action.by_secretariat:
            refusals = {NotPermitted}
        elif not model.is_open:
            refusals = {RoundClosed}
        elif model.mode is not RoundMode.MEETING:
            refusals = {InvalidInput}
        else:
            refusals = set()
        actor = self.people["secretariat" if action.by_secretariat else DELEGATED[0]]
        closed = self.expect(
            lambda: operations.close_round(self.session, actor, self.round_id, note="chair"),
            refusals,
            f"{action}",
        )
        if closed is not None:
            model.close_by_chair()
            self.follow_outcome()

    def do_Extend(self, action: Extend) -> None:
        model, now = self.model, clock.now()
        base = model.deadline or now
        new_deadline = base + timedelta(hours=action.hours)
        refusals = set()
        if not model.is_open:
            refusals.add(RoundClosed)
        if model.deadline is None:
            refusals.add(InvalidInput)
        else:
            if now >= model.deadline:
                refusals.add(GuardFailed)
            if new_deadline <= model.deadline or new_deadline <= now:
                refusals.add(InvalidInput)
        extended = self.expect(
            lambda: operations.extend_deadline(
                self.session,
                self.people["secretariat"],
                self.round_id,
                new_deadline=new_deadline,
                reason="delegations asked for more time",
            ),
            refusals,
            f"{action}",
        )
        if extended is not None:
            model.deadline = new_deadline

    def do_Tick(self, action: Tick) -> None:
        deadline = self.model.deadline
        target = clock.now() + timedelta(minutes=action.minutes)
        if deadline is not None and self.model.is_open:
            target = min(target, deadline - STEP)
        if target > clock.now():
            clock.set_now(target)
        # Usually before the deadline; the step before may have reached it already.
        self.scheduler_looks()

    def do_Expire(self, action: Expire) -> None:
        model = self.model
        if model.deadline is not None:
            clock.set_now(max(clock.now(), model.deadline + timedelta(minutes=action.minutes_late)))
        self.scheduler_looks()

    def scheduler_looks(self) -> None:
        """expire_round fires once, exactly when an open round's deadline has come."""
        model, now = self.model, clock.now()
        expected_to_fire = model.is_open and model.deadline is not None and now >= model.deadline
        fired = self.expect(
            lambda: operations.expire_round(self.session, self.round_id, now=now),
            set(),
            "expire_round",
        )
        assert (fired is not None) == expected_to_fire, (
            f"expire_round at {now:%Y-%m-%d %H:%M} returned {fired!r}; the model expected it to "
            f"{'fire' if expected_to_fire else 'do nothing'}"
        )
        if fired is not None:
            model.expire()
            self.follow_outcome()
        again = self.expect(
            lambda: operations.expire_round(self.session, self.round_id, now=now),
            set(),
            "expire_round again",
        )
        assert again is None, "expire_round fired twice"

    def follow_outcome(self) -> None:
        outcome = self.model.outcome
        if outcome is OutcomeKind.CONSENSUS:
            self.document_state = AFTER_CONSENSUS
        elif outcome in FAILURES:
            self.document_state = AFTER_FAILURE

    # -- the checks

    def check(self) -> None:
        session = self.session
        session.expire_all()
        for round_id, model in self.rounds:
            round_ = session.get(Round, round_id)
            assert round_.outcome == model.outcome, f"round {round_id} outcome"
            assert round_.status is (RoundStatus.OPEN if model.is_open else RoundStatus.CLOSED)
            if model.deadline is not None:
                assert round_.deadline_at == model.deadline, "the deadline"
            self.check_positions(round_id, model)
            self.check_due_actions(round_id, model)
            if model.outcome_at_close is not None:
                self.check_outcome_listing(round_, model)
        document = session.get(Document, self.document_id)
        assert document.state == self.document_state, "the document's state after the outcome"
        assert len(document.versions) == self.versions

    def check_positions(self, round_id: int, model: RoundModel) -> None:
        rows = self.session.scalars(
            select(Position).where(Position.round_id == round_id).order_by(Position.id)
        ).all()
        stored = [
            Entry(
                p.participant.code,
                p.kind,
                p.text,
                p.amendment,
                p.channel,
                p.reference,
                p.entered_by_id,
            )
            for p in rows
        ]
        assert stored == model.history, "every accepted position and change is kept, in order"
        current = {p.participant.code: stored[i] for i, p in enumerate(rows) if p.is_current}
        assert current == model.current, "only the latest position of each state counts"

    def check_due_actions(self, round_id: int, model: RoundModel) -> None:
        pending = self.session.scalars(
            select(DueAction).where(
                DueAction.round_id == round_id, DueAction.status == DueActionStatus.PENDING
            )
        ).all()
        if model.is_open and model.deadline is not None:
            assert [a.due_at for a in pending] == [model.deadline], "one pending deadline row"
        else:
            assert pending == [], "no deadline may remain pending for a closed or meeting round"

    def check_outcome_listing(self, round_: Round, model: RoundModel) -> None:
        expected = model.outcome_at_close
        listed = load_summary(self.session, round_.id).record()
        assert _listing(listed) == expected, "the round's summary lists every standing position"
        events = [
            e
            for e in self.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.document_id == self.document_id,
                    AuditEvent.action == "round_closed",
                )
            )
            if e.data.get("round_id") == round_.id
        ]
        assert len(events) == 1, "one round_closed event per round"
        assert events[0].data["outcome"] == model.outcome.value
        assert _listing(events[0].data) == expected, "the audited outcome lists them too"

    def check_audit_totals(self) -> None:
        events = self.session.scalars(
            select(AuditEvent).where(AuditEvent.document_id == self.document_id)
        ).all()
        recorded = [e for e in events if e.action == "position_recorded"]
        assert len(recorded) == sum(len(m.history) for _, m in self.rounds)
        voided = [e for e in events if e.action == "round_voided"]
        assert len(voided) == sum(m.outcome is OutcomeKind.VOID for _, m in self.rounds)
        closes = [e for e in events if e.action == "round_closed"]
        decided = [m for _, m in self.rounds if m.outcome not in (None, OutcomeKind.VOID)]
        assert len(closes) == len(decided)
        system_moves = [
            e for e in events if e.action == "transition" and e.from_state == ROUND_STATE
        ]
        assert len(system_moves) == len(decided), "each outcome fires exactly one trigger"


def _listing(data: dict) -> dict:
    return {
        "statements": sorted((s["participant"], s["text"]) for s in data["statements"]),
        "reservations": sorted((s["participant"], s["text"]) for s in data["reservations"]),
        "objections": sorted(
            (s["participant"], s["text"], s["amendment"]) for s in data["objections"]
        ),
        "consents": sorted(data["consents"]),
        "stood_aside": sorted(data["stood_aside"]),
        "no_position": sorted(data["no_position"]),
    }


# ------------------------------------------------------------------ the tests


@pytest.fixture
def people(session, make_user):
    users = {code: make_user(session, delegate_of=[code]) for code in DELEGATED}
    users["secretariat"] = make_user(session, secretariat=True)
    users["observer"] = make_user(session, observer_of=[OBSERVER_STATE])
    session.flush()
    return users


@pytest.fixture
def member_states(session) -> frozenset[str]:
    codes = session.scalars(
        select(Participant.code).where(
            Participant.status == ParticipantStatus.MEMBER,
            Participant.kind == ParticipantKind.STATE,
        )
    ).all()
    assert len(codes) == 28, "the CICA profile has 28 member states"
    return frozenset(codes)


@pytest.mark.parametrize("mode", list(RoundMode), ids=lambda m: m.value)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_rounds_follow_the_consensus_rules(session, people, member_states, mode, data):
    steps = data.draw(st.lists(ACTIONS[mode], min_size=1, max_size=25), label="steps")
    example = session.begin_nested()
    clock.set_now(START)
    try:
        run = Run(session, people, mode, member_states)
        run.check()
        for step in steps:
            run.apply(step)
        run.apply(DECIDE[mode])  # every example ends with the round decided, if still open
        run.check_audit_totals()
        for _, model in run.rounds:
            event(f"outcome: {model.outcome.value if model.outcome else 'still open'}")
    finally:
        clock.set_now(None)
        example.rollback()
