"""The demo of a profile that ships no demo data file: the Secretariat, an administrator,
delegates of a few of the profile's own members (coordinators of priority areas first), an
observer delegate where the profile has observers, and one document of each process,
created by someone its definition allows to create it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bootstrap.demo_accounts import DemoAccount
from bootstrap.demo_script import ScriptedDocument
from models import Body, Participant, ParticipantStatus, PriorityArea
from workflow import times
from workflow.registry import registry
from workflow.spec import Definition

DOMAIN = "concord.example"
DELEGATES = 4  # members with a demo delegate
BUDGET = "100000"
THRESHOLD = 3


def _participants(session: Session, status: ParticipantStatus) -> list[Participant]:
    return list(
        session.scalars(
            select(Participant).where(Participant.status == status).order_by(Participant.id)
        )
    )


def _areas(session: Session) -> list[PriorityArea]:
    return list(
        session.scalars(
            select(PriorityArea).where(PriorityArea.retired_in.is_(None)).order_by(PriorityArea.id)
        )
    )


def _delegated_members(session: Session) -> list[Participant]:
    """A few members: the chair's first, then those coordinating a priority area, then the
    others."""
    members = _participants(session, ParticipantStatus.MEMBER)
    chairs = [p for p in members if p.code in (times.forum(session).chair or [])]
    roles = [r for area in _areas(session) for r in area.roles]
    # Coordinators before co-coordinators: their delegates create the areas' papers.
    coordinating = [
        r.participant for r in sorted(roles, key=lambda r: r.role.value != "coordinator")
    ]
    chosen: list[Participant] = []
    for participant in [*chairs, *coordinating, *members]:
        if participant.status is ParticipantStatus.MEMBER and participant not in chosen:
            chosen.append(participant)
    return chosen[:DELEGATES]


def _account(participant: Participant, *, observer: bool = False) -> DemoAccount:
    code = participant.code.lower()
    return DemoAccount(
        key=code,
        email=f"{code}@{DOMAIN}",
        name=f"{'Observer' if observer else 'Delegate'} of {participant.name_en}",
        password=f"demo-{code}-1",
        delegate_of=() if observer else (participant.code,),
        observer_of=(participant.code,) if observer else (),
    )


def generic_accounts(session: Session) -> tuple[DemoAccount, ...]:
    accounts = [
        DemoAccount(
            "secretariat",
            f"secretariat@{DOMAIN}",
            "Demo Secretariat",
            "demo-secretariat-1",
            secretariat=True,
        ),
        DemoAccount("admin", f"admin@{DOMAIN}", "Demo Administrator", "demo-admin-1", admin=True),
    ]
    accounts += [_account(p) for p in _delegated_members(session)]
    observing = times.forum(session).statuses_for("observer_delegates")
    observers = [
        p for status in sorted(observing) for p in _participants(session, ParticipantStatus(status))
    ]
    if observers:
        accounts.append(_account(observers[0], observer=True))
    return tuple(accounts)


def _texts(definition: Definition, languages: list[str]) -> dict[str, str]:
    return {
        language: f"# {definition.title(language) or definition.title('en')}\n"
        for language in languages
    }


def _declared_values(
    session: Session, definition: Definition, members: list[str]
) -> dict[str, str] | None:
    """A value for each field the process declares: a member other than the demo's
    delegates where a participant is asked for (the state concerned is not the drafter),
    a date two months ahead, this year, an amount, the first area."""
    today = times.today(session)
    others = [
        p.code for p in _participants(session, ParticipantStatus.MEMBER) if p.code not in members
    ]
    values = {
        "participant": (others or members or [None])[-1],
        "date": (today + timedelta(days=60)).isoformat(),
        "money": BUDGET,
        "number": str(today.year + 1),
        "text": definition.title("en"),
        "area": _area_for(session, None),
    }
    declared = {spec.name: values[spec.type] for spec in definition.document.custom_fields}
    return declared if None not in declared.values() else None


def _area_for(session: Session, code: str | None) -> str | None:
    """A priority area the state coordinates (or co-coordinates); any area for no state."""
    areas = _areas(session)
    for area in areas:
        if code is None or any(r.participant.code == code for r in area.roles):
            return area.code
    return areas[0].code if areas else None


def _candidates(
    session: Session, definition: Definition, accounts: tuple[DemoAccount, ...]
) -> tuple[ScriptedDocument, ...]:
    """Ways to create one document of the process: by each account, with what its fields
    need; the first the engine accepts is the demo's."""
    rules = definition.document
    languages = times.forum(session).languages
    base = {
        "kind": definition.kind,
        "title": definition.title("en"),
        "title_ru": (definition.title("ru") or definition.title("en")) if "ru" in languages else "",
        "texts": _texts(definition, languages),
    }
    if "target_body" in rules.fields:
        existing = set(session.scalars(select(Body.code)))
        bodies = [code for code in rules.target_bodies if code in existing]
        if not bodies:
            return ()
        base["target_body"] = bodies[0]
    if "budget" in rules.fields:
        base["budget"] = BUDGET
    if "threshold" in rules.fields:
        base["threshold"] = THRESHOLD
    applicants = [None]
    if "applicant" in rules.fields:
        applicants = [
            p.code
            for status in (
                ParticipantStatus.APPLICANT,
                ParticipantStatus.OBSERVER,
                ParticipantStatus.PARTNER,
            )
            for p in _participants(session, status)
        ][:3]
    members = [a.delegate_of[0] for a in accounts if a.delegate_of]
    if rules.custom_fields:
        declared = _declared_values(session, definition, members)
        if declared is None:
            return ()
        base["fields"] = declared
    candidates = []
    for account in accounts:
        if account.admin or account.observer_of:
            continue
        state = account.delegate_of[0] if account.delegate_of else None
        for applicant in applicants:
            fields = dict(base)
            if applicant:
                fields["applicant"] = applicant
            if "priority_area" in rules.fields and (
                "priority_area" in rules.requires
                or (state and rules.create & {"coordinator", "co_coordinator"})
            ):
                fields["priority_area"] = _area_for(session, state)
            if "proposer" in rules.fields and (
                "proposer" in rules.requires or (state and "proposer" in rules.create)
            ):
                fields["proposer"] = state or (members[0] if members else None)
            if None in fields.values():
                continue
            candidates.append(ScriptedDocument(account.key, fields))
    return tuple(candidates)


def generic_documents(
    session: Session, accounts: tuple[DemoAccount, ...]
) -> tuple[tuple[ScriptedDocument, ...], ...]:
    """For each process, the ways to create its demo document (none: the process is left
    without one, e.g. it names a body the profile does not have)."""
    return tuple(
        _candidates(session, definition, accounts)
        for definition in sorted(registry(), key=lambda d: d.kind)
    )
