"""Fixtures for the engine's tests: a frozen clock, users by role, documents in any state."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import select

from models import Affiliation, AffiliationRole, Participant, ParticipantKind, ParticipantStatus
from workflow import clock, operations
from workflow.registry import configure


@pytest.fixture(autouse=True)
def _definitions():
    configure(None)  # the shipped definitions
    yield


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.set_now(NOW)
    yield NOW
    clock.set_now(None)


@pytest.fixture
def participant(session):
    def get(code: str) -> Participant:
        return session.scalar(select(Participant).where(Participant.code == code))

    return get


@pytest.fixture
def applicant_state(session):
    """A state applying to the forum (not in the profile): Morocco."""

    def make(code: str = "MAR", name: str = "Morocco") -> Participant:
        found = session.scalar(select(Participant).where(Participant.code == code))
        if found:
            return found
        state = Participant(
            code=code,
            kind=ParticipantKind.STATE,
            status=ParticipantStatus.APPLICANT,
            name_en=name,
            name_ru=name,
        )
        session.add(state)
        session.flush()
        return state

    return make


@dataclass
class Cast:
    """Users by role for one document's tests."""

    secretariat: object
    admin: object
    coordinator: object  # delegate of KAZ, coordinator of MIL-1 (and NCT-5)
    co_coordinator: object  # delegate of TUR, co-coordinator of MIL-1
    proposer: object  # delegate of CHN
    other: object  # delegate of IND: a member with no role on the document
    applicant: object  # delegate of MAR (the applicant)
    observer: object  # observer delegate of JPN

    def by_role(self, role: str):
        return None if role == "system" else getattr(self, role)


@pytest.fixture
def cast(session, make_user, applicant_state) -> Cast:
    morocco = applicant_state()
    applicant = make_user(session)
    applicant.affiliations.append(Affiliation(role=AffiliationRole.DELEGATE, participant=morocco))
    session.flush()
    return Cast(
        secretariat=make_user(session, secretariat=True),
        admin=make_user(session, admin=True),
        coordinator=make_user(session, delegate_of=["KAZ"]),
        co_coordinator=make_user(session, delegate_of=["TUR"]),
        proposer=make_user(session, delegate_of=["CHN"]),
        other=make_user(session, delegate_of=["IND"]),
        applicant=applicant,
        observer=make_user(session, observer_of=["JPN"]),
    )


CREATE_ARGS = {
    "concept_paper": {"priority_area": "MIL-1", "proposer": "KAZ"},
    "catalogue_amendment": {"proposer": "CHN"},
    "observer_application": {"applicant": "MAR"},
    "admission": {"applicant": "MAR"},
    "project_proposal": {"proposer": "CHN", "budget": "100000"},
    "outcome_document": {"proposer": "CHN", "target_body": "MC"},
    "convention": {"threshold": 3},
}
CREATOR = {
    "concept_paper": "coordinator",
    "catalogue_amendment": "proposer",
    "observer_application": "secretariat",
    "admission": "secretariat",
    "project_proposal": "proposer",
    "outcome_document": "proposer",
    "convention": "secretariat",
}


@pytest.fixture
def new_document(session, cast):
    def make(kind: str, *, texts=TEXTS, **overrides):
        args = {**CREATE_ARGS[kind], **overrides}
        creator = cast.by_role(CREATOR[kind])
        return operations.create_document(
            session, creator, kind=kind, title=f"A {kind}", title_ru="Документ", texts=texts, **args
        )

    return make


@pytest.fixture
def in_state(session, new_document):
    """A document of `kind` put straight into `state` (for transition tables)."""

    def make(kind: str, state: str, **overrides):
        document = new_document(kind, **overrides)
        document.state = state
        session.flush()
        return document

    return make
