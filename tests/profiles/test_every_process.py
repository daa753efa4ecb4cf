"""The core is general: every process of every bundled profile, and of a fictitious forum
defined only in test data, runs from its first state to a final one through the engine's
operations alone, with no code of its own.

The walk takes the way a forum would take when everyone agrees: a document is created by
whoever its definition lets create it, each step is taken by whoever may take it, each
round ends in consensus (a meeting closed by the chair, a silence procedure passing its
deadline, a written procedure answered by every State), pledges and instruments are
recorded where the definition keeps them, and the scheduler fires what falls due. Every
decision a consensus takes is numbered on the register."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from isolated_db import isolated_runtime
from sqlalchemy import select
from sqlalchemy.orm import Session

from bootstrap.profile import working_languages
from bootstrap.runtime import Runtime
from config.settings import DEFAULT_PROFILE, DEFAULT_WORKFLOWS, PACKAGE_DIR
from models import (
    Decision,
    Document,
    DueAction,
    DueActionStatus,
    Forum,
    InstrumentKind,
    Participant,
    ParticipantStatus,
    PositionKind,
    PriorityArea,
    RoundMode,
    User,
)
from workflow import clock, times
from workflow import operations as ops
from workflow.accounts import create_user
from workflow.errors import ConcordError
from workflow.firing import fire_due
from workflow.registry import configure, load_registry, registry
from workflow.spec import Definition

DATA = Path(__file__).parents[1] / "data"
PROFILES = {
    "cica": (DEFAULT_PROFILE, None),
    "osce": (PACKAGE_DIR / "profiles" / "osce.toml", PACKAGE_DIR / "profiles" / "osce"),
    "lake": (DATA / "profiles" / "lake_forum.toml", DATA / "workflows_fr"),
}
STEPS = 40  # a walk longer than this is going round in circles


@dataclass
class WalkedForum:
    runtime: Runtime
    name: str


@pytest.fixture(scope="module")
def forum(request, engine, tmp_path_factory) -> Iterator[WalkedForum]:
    """The profile committed on a database of its own, a delegate for each member and the
    Secretariat; its definitions in use."""
    profile, definitions = PROFILES[request.param]
    configure(definitions, working_languages(profile))
    try:
        with isolated_runtime(engine, tmp_path_factory.mktemp(request.param), profile=profile) as rt:
            with rt.sessions() as session:
                create_user(session, email="secretariat@walk.test", name="Secretariat",
                            password="walk-password-1", secretariat=True)
                members = session.scalars(
                    select(Participant).where(Participant.status == ParticipantStatus.MEMBER)
                )
                for member in members:
                    create_user(session, email=f"{member.code.lower()}@walk.test",
                                name=f"Delegate of {member.code}", password="walk-password-1",
                                delegate_of=[member.code])
                session.commit()
            yield WalkedForum(rt, request.param)
    finally:
        configure(None)


def kinds(name: str) -> list[str]:
    _profile, definitions = PROFILES[name]
    return sorted(d.kind for d in load_registry(definitions or DEFAULT_WORKFLOWS))


CASES = [(name, kind) for name in sorted(PROFILES) for kind in kinds(name)]


class Walk:
    def __init__(self, session: Session, definition: Definition):
        self.session = session
        self.definition = definition
        self.forum = session.scalar(select(Forum))
        self.secretariat = session.scalar(select(User).where(User.email == "secretariat@walk.test"))
        delegates = session.scalars(select(User).where(User.email != "secretariat@walk.test"))
        self.delegates = {u.represented_states[0].code: u for u in delegates}
        chair = [self.delegates[c] for c in self.forum.chair or [] if c in self.delegates]
        self.people = [self.secretariat, *chair, *self.delegates.values()]
        self.taken: list[str] = []

    def attempt(self, act) -> object | None:
        """`act()` in a savepoint: its result, or None (undone) when the engine refuses."""
        savepoint = self.session.begin_nested()
        try:
            result = act()
        except ConcordError:
            savepoint.rollback()
            return None
        savepoint.commit()
        return result

    # ---------------------------------------------------------------- creating
    def field_values(self) -> dict:
        today = times.today(self.session)
        members = list(self.delegates)
        values = {"participant": members[-1], "date": (today + timedelta(days=90)).isoformat(),
                  "money": "1000", "number": str(today.year + 1), "text": "Walk", "area": None}
        area = self.session.scalar(select(PriorityArea.code).order_by(PriorityArea.id))
        values["area"] = area
        return {f.name: values[f.type] for f in self.definition.document.custom_fields}

    def create(self) -> Document:
        rules = self.definition.document
        languages = self.forum.languages
        base = {"kind": self.definition.kind, "title": "Walk", "title_ru": "Обход",
                "texts": {language: f"Text ({language})." for language in languages}}
        if rules.custom_fields:
            base["fields"] = self.field_values()
        if "budget" in rules.fields:
            base["budget"] = "1000"
        if "threshold" in rules.fields:
            base["threshold"] = 2
        applicants = [None]
        if "applicant" in rules.fields:  # applicants first, then observers, partners
            applicants = list(self.session.scalars(
                select(Participant.code)
                .where(Participant.status != ParticipantStatus.MEMBER)
                .order_by(Participant.status != ParticipantStatus.APPLICANT, Participant.id)
            ))
        areas = [None]
        if "priority_area" in rules.fields:
            areas = [a.code for a in self.session.scalars(select(PriorityArea))]
        bodies = list(rules.target_bodies) or [None]
        for person in self.people:
            state = person.represented_states[0].code if person.represented_states else None
            for applicant in applicants:
                for area in areas:
                    for body in bodies:
                        fields = dict(base)
                        for key, value in (("applicant", applicant), ("priority_area", area),
                                           ("target_body", body)):
                            if value is not None:
                                fields[key] = value
                        if "proposer" in rules.fields and state:
                            fields["proposer"] = state
                        made = self.attempt(
                            lambda p=person, f=fields: ops.create_document(self.session, p, **f)
                        )
                        if made is not None:
                            return made
        raise AssertionError(f"nobody could create a {self.definition.kind}")

    # ---------------------------------------------------------------- stepping
    def through_round(self, document: Document) -> None:
        spec = self.definition.round_spec(document.state)
        mode = RoundMode.MEETING if RoundMode.MEETING in spec.modes else spec.modes[0]
        now = clock.now()
        deadline = None if mode is RoundMode.MEETING else now + timedelta(days=2)
        round_ = ops.open_round(self.session, self.secretariat, document.id, mode=mode,
                                deadline=deadline)
        if mode is RoundMode.WRITTEN:
            for elector in list(round_.electors):
                code = elector.participant.code
                ops.record_position(self.session, self.delegates[code], round_.id,
                                    participant=code, kind=PositionKind.CONSENT)
        elif mode is RoundMode.MEETING:
            ops.close_round(self.session, self.secretariat, round_.id)
        self.fire_what_falls_due(document)

    def fire_what_falls_due(self, document: Document) -> None:
        pending = self.session.scalars(
            select(DueAction).where(DueAction.document_id == document.id,
                                    DueAction.status == DueActionStatus.PENDING)
            .order_by(DueAction.due_at)
        ).all()
        for action in pending:
            if action.kind.value == "document_deadline":
                continue  # a default outcome: the walk decides in time
            clock.set_now(max(clock.now(), action.due_at))
            fire_due(self.session, action.id, now=clock.now())

    def support(self, document: Document) -> None:
        """What a process waits for outside its steps: the changes an amendment proposes,
        pledges, instruments."""
        if "catalogue_changes" in self.definition.document.fields and not (
            document.attributes or {}
        ).get("catalogue_changes"):
            area = self.session.scalar(select(PriorityArea.code).order_by(PriorityArea.id))
            change = {"op": "add_measure", "area": area, "text_en": "A measure.",
                      "text_ru": "Мера."}
            self.attempt(lambda: ops.propose_changes(
                self.session, self.secretariat, document.id, [change]))
        if self.definition.pledges and document.state in self.definition.pledges.states:
            self.attempt(lambda: ops.record_pledge(self.session, self.secretariat, document.id,
                                                   amount=document.budget, donor=None,
                                                   donor_name="A donor"))
        instruments = self.definition.instruments
        if instruments and document.state in instruments.states:
            yesterday = times.today(self.session) - timedelta(days=1)
            for code in list(self.delegates)[: (document.threshold or 1)]:
                self.attempt(lambda c=code: ops.record_instrument(
                    self.session, self.secretariat, document.id, participant=c,
                    kind=InstrumentKind.RATIFICATION, deposited_on=yesterday))
        self.fire_what_falls_due(document)

    def step(self, document: Document) -> bool:
        """Take one step a person may take from here (withdrawals last); False when none."""
        transitions = [t for t in self.definition.transitions_from(document.state)
                       if t.allowed - {"system"}]
        transitions.sort(key=lambda t: t.irreversible)
        yesterday = (times.today(self.session) - timedelta(days=1)).isoformat()
        for transition in transitions:
            params = {name: yesterday for name in transition.params} or None
            for person in self.people:
                done = self.attempt(lambda p=person, t=transition, a=params: ops.fire_trigger(
                    self.session, p, document.id, t.trigger, params=a))
                if done is not None:
                    self.taken.append(transition.trigger)
                    return True
        return False

    def run(self) -> Document:
        document = self.create()
        if not document.versions:
            ops.add_version(self.session, self.secretariat, document.id,
                            texts={lang: "Text." for lang in self.forum.languages})
        for _ in range(STEPS):
            if document.state in self.definition.final_states:
                return document
            before = document.state
            if self.definition.round_spec(document.state):
                self.through_round(document)
                continue
            self.support(document)
            if document.state == before and not self.step(document):
                raise AssertionError(f"stuck in {before}")
        raise AssertionError(f"no final state after {STEPS} steps: {document.state}")


@pytest.mark.parametrize(
    ("forum", "kind"), CASES, ids=[f"{p}-{k}" for p, k in CASES], indirect=["forum"]
)
def test_every_process_runs_to_a_final_state(forum, kind):
    with forum.runtime.sessions() as session:
        try:
            walk = Walk(session, registry().get(kind))
            document = walk.run()
            assert document.state in walk.definition.final_states
            decisions = session.scalars(
                select(Decision).where(Decision.document_id == document.id)
            ).all()
            # Reached by a body's decision: it is on the register, numbered.
            if any(t.decision and t.dest == document.state for t in walk.definition.transitions):
                assert decisions and all(d.symbol for d in decisions)
        finally:
            session.rollback()
            clock.set_now(None)
