"""ORM rows to response schemas, from the read model (workflow.queries), which applies the
visibility rules."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from models import AuditEvent, User
from models import Body as BodyRow
from models import CatalogueEdition as EditionRow
from models import Decision as DecisionRow
from models import Document as DocumentRow
from models import Instrument as InstrumentRow
from models import Participant as ParticipantRow
from models import Pledge as PledgeRow
from models import Position as PositionRow
from models import PriorityArea as PriorityAreaRow
from models import Round as RoundRow
from models import Version as VersionRow
from models.document import revision_label
from web import position_kinds
from web.api import schemas
from web.language import current_language
from workflow import documents, operations
from workflow.diagram import mermaid
from workflow.queries import document_page
from workflow.register import document_decisions
from workflow.registry import registry
from workflow.spec import Definition
from workflow.summaries import summarise


def _code(participant) -> str | None:
    return participant.code if participant is not None else None


def _names(row) -> dict[str, str]:
    """A participant's or a body's name in each language it is given in (English always)."""
    return {language: name for language, name in (("en", row.name_en), ("ru", row.name_ru)) if name}


def _state_titles(kind: str, state: str | None) -> dict[str, str] | None:
    if state is None:
        return None
    return registry().get(kind).state_titles(state) if kind in registry() else {"en": state}


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def me(user: User) -> schemas.Me:
    return schemas.Me(
        id=user.id,
        email=user.email,
        name=user.name,
        timezone=user.timezone,
        language=user.language,
        is_secretariat=user.is_secretariat,
        is_admin=user.is_admin,
        represents=[p.code for p in user.represented_states],
        observes=[p.code for p in user.observed_participants],
        affiliations=[
            schemas.Affiliation(role=a.role.value, participant=_code(a.participant))
            for a in user.affiliations
        ],
    )


def user(row: User, invitation_expires_at=None) -> schemas.User:
    return schemas.User(
        id=row.id,
        email=row.email,
        name=row.name,
        active=row.active,
        timezone=row.timezone,
        language=row.language,
        created_at=row.created_at,
        affiliations=[
            schemas.Affiliation(role=a.role.value, participant=_code(a.participant))
            for a in row.affiliations
        ],
        invitation_expires_at=invitation_expires_at,
    )


def participant(row: ParticipantRow) -> schemas.Participant:
    return schemas.Participant(
        code=row.code,
        kind=row.kind,
        status=row.status,
        name_en=row.name_en,
        name_ru=row.name_ru,
        status_history=[
            schemas.StatusPeriod(status=p.status, since=p.since, until=p.until, note=p.note)
            for p in row.status_history
        ],
    )


def body(row: BodyRow) -> schemas.Body:
    return schemas.Body(
        code=row.code,
        name_en=row.name_en,
        name_ru=row.name_ru,
        all_members_sit=row.all_members_sit,
        observers_attend=row.observers_attend,
        seats=[seat.participant.code for seat in row.seats],
    )


def priority_area(row: PriorityAreaRow) -> schemas.PriorityArea:
    return schemas.PriorityArea(
        code=row.code,
        name_en=row.name_en,
        name_ru=row.name_ru,
        note=row.note,
        dimension=schemas.Dimension(
            code=row.dimension.code, name_en=row.dimension.name_en, name_ru=row.dimension.name_ru
        ),
        coordinators=[p.code for p in row.coordinators],
        co_coordinators=[p.code for p in row.co_coordinators],
    )


def workflow_summary(definition: Definition) -> schemas.WorkflowSummary:
    return schemas.WorkflowSummary(
        kind=definition.kind,
        version=definition.version,
        title=definition.title(),
        titles={language: definition.title(language) for language in sorted(definition.languages)},
        description=definition.description,
        initial=definition.initial,
        final_states=definition.final_states,
    )


def _activity(rules) -> schemas.ActivityRules | None:
    if rules is None:
        return None
    return schemas.ActivityRules(states=sorted(rules.states), allowed=sorted(rules.allowed))


def workflow(definition: Definition) -> schemas.Workflow:
    rules = definition.document
    return schemas.Workflow(
        **workflow_summary(definition).model_dump(),
        states=[
            schemas.WorkflowState(
                name=s.name,
                title=s.title(),
                titles={lang: s.title(lang) for lang in sorted(definition.languages)},
                final=s.final,
                round=schemas.RoundRule(
                    body=s.round.body,
                    modes=list(s.round.modes),
                    on_consensus=s.round.on_consensus,
                    consensus_choices=list(s.round.consensus_triggers),
                    on_failure=s.round.on_failure,
                )
                if s.round
                else None,
            )
            for s in definition.states.values()
        ],
        transitions=[
            schemas.WorkflowTransition(
                trigger=t.trigger,
                title=t.title(),
                titles={lang: t.title(lang) for lang in sorted(definition.languages)},
                sources=list(t.sources),
                dest=t.dest,
                allowed=sorted(t.allowed),
                guards=list(t.guards),
                params=list(t.params),
                irreversible=t.irreversible,
                decision=t.decision,
            )
            for t in definition.transitions
        ],
        document=schemas.DocumentRules(
            fields=sorted(rules.fields),
            requires=sorted(rules.requires),
            create=sorted(rules.create),
            revise=sorted(rules.revise),
            target_bodies=list(rules.target_bodies),
        ),
        pledges=_activity(definition.pledges),
        instruments=_activity(definition.instruments),
        mermaid=mermaid(definition),
    )


def _state_title(row: DocumentRow) -> str:
    titles = _state_titles(row.kind, row.state) or {}
    return titles.get(current_language()) or titles.get("en", row.state)


def document_summary(row: DocumentRow) -> schemas.DocumentSummary:
    current = row.current_version
    return schemas.DocumentSummary(
        id=row.id,
        symbol=row.symbol,
        kind=row.kind,
        title=row.title,
        title_ru=row.title_ru,
        state=row.state,
        state_title=_state_title(row),
        state_titles=_state_titles(row.kind, row.state),
        priority_area=row.priority_area.code if row.priority_area else None,
        proposer=_code(row.proposer),
        applicant=_code(row.applicant),
        target_body=row.target_body.code if row.target_body else None,
        restricted=row.restricted,
        budget=_amount(row.budget),
        threshold=row.threshold,
        current_version=current.number if current else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        lock_version=row.lock_version,
    )


def version(row: VersionRow) -> schemas.Version:
    return schemas.Version(
        number=row.number,
        label=row.label,
        symbol=row.document.symbol + row.suffix,
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by.name if row.created_by else None,
        texts={t.language: t.body for t in row.texts},
        arrivals={
            t.language: schemas.TextArrival(
                arrived_at=t.arrived_at,
                declared_by=t.declared_by.name if t.declared_by else None,
            )
            for t in row.texts
        },
    )


def position(row: PositionRow) -> schemas.Position:
    return schemas.Position(
        id=row.id,
        participant=row.participant.code,
        participant_names=_names(row.participant),
        kind=row.kind,
        text=row.text,
        amendment=row.amendment,
        channel=row.channel,
        reference=row.reference,
        statement_kind=row.statement_kind or None,
        entered_by=row.entered_by.name if row.entered_by else None,
        recorded_at=row.recorded_at,
        is_current=row.is_current,
    )


def outcome(row: RoundRow) -> schemas.Outcome | None:
    """A closed round's outcome, from its loaded electors and current positions (no query)."""
    if row.is_open or row.outcome is None:
        return None
    return schemas.Outcome(
        round_id=row.id,
        body=row.body.code,
        kind=row.outcome,
        note=row.outcome_note,
        closed_at=row.closed_at,
        **summarise(row, position_kinds.forum_kinds(), history_loaded=False).record(),
    )


def round_(row: RoundRow) -> schemas.Round:
    """A round loaded with its current positions (`summary_options(history=False)`)."""
    answered = {p.participant_id for p in row.current_positions}
    return schemas.Round(
        id=row.id,
        document_id=row.document_id,
        version=row.version.number,
        body=row.body.code,
        body_names=_names(row.body),
        document_state=row.document_state,
        document_state_titles=_state_titles(row.document.kind, row.document_state),
        mode=row.mode,
        status=row.status,
        opened_at=row.opened_at,
        deadline_at=row.deadline_at,
        deadline_timezone=row.deadline_timezone,
        closed_at=row.closed_at,
        decided_on=row.decided_on,
        on_consensus=row.on_consensus,
        outcome=outcome(row),
        confirmations=[
            schemas.Confirmation(
                participant=c.participant.code,
                status=c.status,
                due_at=c.due_at,
                answered_at=c.answered_at,
                text=c.text,
                reference=c.reference,
            )
            for c in row.confirmations
        ],
        electorate=[e.participant.code for e in row.electors],
        awaiting=[
            e.participant.code
            for e in row.electors
            if row.is_open and e.participant_id not in answered
        ],
        positions=[position(p) for p in row.current_positions],
    )


def instrument(row: InstrumentRow) -> schemas.Instrument:
    return schemas.Instrument(
        id=row.id,
        participant=row.participant.code,
        kind=row.kind,
        deposited_on=row.deposited_on,
        effective_on=row.effective_on,
        recorded_at=row.recorded_at,
    )


def pledge(row: PledgeRow) -> schemas.Pledge:
    return schemas.Pledge(
        id=row.id,
        donor=_code(row.donor),
        donor_name=row.donor_name,
        amount=_amount(row.amount),
        recorded_at=row.recorded_at,
    )


def history_event(row: AuditEvent, kind: str) -> schemas.HistoryEvent:
    return schemas.HistoryEvent(
        id=row.id,
        at=row.at,
        taken_on=(row.data or {}).get("taken_on"),
        actor=row.actor_label,
        action=row.action,
        from_state=row.from_state,
        from_state_titles=_state_titles(kind, row.from_state),
        to_state=row.to_state,
        to_state_titles=_state_titles(kind, row.to_state),
        version_number=row.version_number,
        comment=row.comment,
        data=row.data or {},
    )


def document(session: Session, row: DocumentRow, user: User) -> schemas.Document:
    page = document_page(session, row, user, position_history=False)
    rounds = [round_(r) for r in page.rounds.items]  # the newest, first
    latest_outcome = next((r.outcome for r in rounds if r.outcome is not None), None)
    return schemas.Document(
        **document_summary(row).model_dump(),
        definition_version=row.definition_version,
        proposer_names=_names(row.proposer) if row.proposer else None,
        applicant_names=_names(row.applicant) if row.applicant else None,
        target_body_names=_names(row.target_body) if row.target_body else None,
        submitted_on=row.submitted_on,
        acted_on=row.acted_on,
        decisions=[decision_summary(d) for d in document_decisions(session, user, row.id)],
        attributes=row.attributes or {},
        fields=row.custom_fields or {},
        permitted_triggers=operations.permitted_triggers(session, user, row),
        versions=[version(v) for v in row.versions],
        texts_behind={
            language: revision_label(number)
            for language, number in documents.texts_behind(row).items()
        },
        rounds=rounds,
        outcome=latest_outcome,
        instruments=[instrument(i) for i in page.instruments],
        pledges=[pledge(p) for p in page.pledges],
        history=[history_event(e, row.kind) for e in sorted(page.events.items, key=lambda e: e.id)],
    )


def decision_summary(row: DecisionRow) -> schemas.DecisionSummary:
    return schemas.DecisionSummary(
        id=row.id,
        symbol=row.symbol,
        body=row.body.code,
        status=row.status,
        taken_on=row.taken_on,
        title=row.title,
        document_id=row.document_id,
        document_symbol=row.document.symbol,
        version=row.document.symbol + row.version.suffix,
    )


def decision(row: DecisionRow) -> schemas.Decision:
    return schemas.Decision(
        **decision_summary(row).model_dump(),
        document_title=row.document.title,
        trigger=row.trigger,
        round_id=row.round_id,
        attached=row.attached or {},
        confirmation_due_on=row.confirmation_due_on,
        settled_on=row.settled_on,
        entered_at=row.entered_at,
        entered_by=row.entered_by.name if row.entered_by else None,
    )


def edition_summary(
    row: EditionRow, decisions_by_id: dict[int, str]
) -> schemas.CatalogueEditionSummary:
    return schemas.CatalogueEditionSummary(
        number=row.number,
        title=row.title,
        adopted_on=row.adopted_on,
        decision=decisions_by_id.get(row.decision_id) if row.decision_id else None,
        document_id=row.document_id,
    )


def edition(row: EditionRow, decisions_by_id: dict[int, str]) -> schemas.CatalogueEdition:
    content = row.content or {}
    return schemas.CatalogueEdition(
        **edition_summary(row, decisions_by_id).model_dump(),
        dimensions=[schemas.Dimension(**d) for d in content.get("dimensions", [])],
        areas=content.get("areas", []),
        measures=[schemas.Measure(**m) for m in content.get("measures", [])],
        changes=(row.changes or {}).get("changes", []),
    )
