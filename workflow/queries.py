"""The read model: what pages and the API show, in a fixed number of queries whatever the size.

Each function loads what it returns with eager loading, so rendering never
triggers lazy loads in a loop, and applies the visibility rules
(workflow.visibility). The HTML pages and the JSON API render the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, exists, false, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    AuditEvent,
    Body,
    Document,
    Instrument,
    Participant,
    ParticipantStatus,
    Pledge,
    Position,
    PositionKind,
    PriorityArea,
    Round,
    RoundElector,
    RoundStatus,
    User,
    Version,
)
from workflow import clock
from workflow.registry import registry
from workflow.summaries import summary_options
from workflow.visibility import documents_visible_to, events_visible_to, rounds_visible_to

PAGE_SIZE = 50

def _round_page_options():
    return (
        joinedload(Round.document).joinedload(Document.priority_area),
        joinedload(Round.body),
        joinedload(Round.version),
    )


# ---------------------------------------------------------------- delegates' home


@dataclass
class AwaitedAnswer:
    round: Round
    state: Participant


def awaiting_answers(
    session: Session, user: User, *, every_state: bool = False
) -> list[AwaitedAnswer]:
    """Open rounds where a state has no position yet, soonest deadline first: the user's
    states', or with `every_state` (the Secretariat's view) every state's."""
    answered = exists().where(
        Position.round_id == Round.id,
        Position.participant_id == RoundElector.participant_id,
        Position.is_current.is_(True),
    )
    query = (
        select(Round, Participant)
        .join(RoundElector, RoundElector.round_id == Round.id)
        .join(Participant, Participant.id == RoundElector.participant_id)
        .where(Round.status == RoundStatus.OPEN, ~answered)
        .options(*_round_page_options())
        .order_by(
            Round.deadline_at.is_(None),
            Round.deadline_at,
            Round.opened_at,
            Round.id,
            Participant.code,
        )
    )
    if not every_state:
        state_ids = [p.id for p in user.represented_states]
        if not state_ids:
            return []
        query = query.where(RoundElector.participant_id.in_(state_ids))
    return [AwaitedAnswer(round=r, state=p) for r, p in session.execute(query)]


def answered_open_rounds(session: Session, user: User) -> list[Position]:
    """The user's states' current positions in rounds still open (they can still change)."""
    state_ids = [p.id for p in user.represented_states]
    if not state_ids:
        return []
    return list(
        session.scalars(
            select(Position)
            .join(Round, Round.id == Position.round_id)
            .where(
                Round.status == RoundStatus.OPEN,
                Position.participant_id.in_(state_ids),
                Position.is_current.is_(True),
            )
            .options(
                joinedload(Position.participant),
                joinedload(Position.round).options(*_round_page_options()),
            )
            .order_by(Round.deadline_at.is_(None), Round.deadline_at, Round.id)
        )
    )


def recent_outcomes(session: Session, user: User, limit: int = 10) -> list[Round]:
    return list(
        session.scalars(
            select(Round)
            .where(Round.status == RoundStatus.CLOSED, rounds_visible_to(user))
            .options(*_round_page_options())
            .order_by(Round.closed_at.desc(), Round.id.desc())
            .limit(limit)
        )
    )


# ---------------------------------------------------------------- document lists


@dataclass
class DocumentFilters:
    """What a list of documents may be narrowed by (codes as the forum writes them)."""

    kind: str = ""
    state: str = ""
    body: str = ""
    priority_area: str = ""
    proposer: str = ""
    applicant: str = ""
    restricted: bool | None = None
    q: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def active(self) -> bool:
        return any(
            (self.kind, self.state, self.body, self.priority_area, self.proposer, self.applicant)
        ) or bool(self.q) or self.restricted is not None


@dataclass
class DocumentListPage:
    documents: list[Document]
    next_deadline: dict[int, datetime | None]
    total: int
    page: int
    pages: int
    per_page: int


def _participant_ids(code: str):
    return select(Participant.id).where(Participant.code == code.strip().upper())


def _document_conditions(user: User, filters: DocumentFilters) -> list:
    conditions = [documents_visible_to(user)]
    if filters.restricted is not None:
        conditions.append(Document.restricted.is_(filters.restricted))
    if filters.kind:
        conditions.append(Document.kind == filters.kind)
    if filters.state:
        conditions.append(Document.state == filters.state)
    if filters.priority_area:
        areas = select(PriorityArea.id).where(
            PriorityArea.code == filters.priority_area.strip().upper()
        )
        conditions.append(Document.priority_area_id.in_(areas))
    if filters.proposer:
        conditions.append(Document.proposer_id.in_(_participant_ids(filters.proposer)))
    if filters.applicant:
        conditions.append(Document.applicant_id.in_(_participant_ids(filters.applicant)))
    if filters.body:
        body_ids = select(Body.id).where(Body.code == filters.body)
        pairs = registry().states_holding_rounds(filters.body)
        conditions.append(
            or_(
                Document.target_body_id.in_(body_ids),
                exists().where(Round.document_id == Document.id, Round.body_id.in_(body_ids)),
                tuple_(Document.kind, Document.state).in_(pairs) if pairs else false(),
            )
        )
    if filters.q:
        pattern = f"%{filters.q.strip().lower()}%"
        conditions.append(
            or_(func.lower(Document.title).like(pattern), func.lower(Document.symbol).like(pattern))
        )
    return conditions


def list_documents(session: Session, user: User, filters: DocumentFilters) -> DocumentListPage:
    """One page of the documents the user may see, newest change first."""
    conditions = _document_conditions(user, filters)
    per_page = filters.per_page
    total = session.scalar(select(func.count(Document.id)).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = max(filters.page, 1)  # a page past the last one is empty
    documents = list(
        session.scalars(
            select(Document)
            .where(*conditions)
            .options(
                joinedload(Document.priority_area),
                joinedload(Document.proposer),
                joinedload(Document.applicant),
                joinedload(Document.target_body),
                selectinload(Document.versions),
            )
            .order_by(Document.updated_at.desc(), Document.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    deadlines: dict[int, datetime | None] = {}
    if documents:
        rows = session.execute(
            select(Round.document_id, func.min(Round.deadline_at))
            .where(
                Round.document_id.in_([d.id for d in documents]), Round.status == RoundStatus.OPEN
            )
            .group_by(Round.document_id)
        ).all()
        for document_id, deadline in rows:
            deadlines[document_id] = _aware(deadline)
    return DocumentListPage(documents, deadlines, total, page, pages, per_page)


def _aware(moment: datetime | None) -> datetime | None:
    """Aggregates bypass the column type: SQLite gives naive UTC back."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def filter_choices(session: Session, language: str = "en") -> dict:
    """What the filter bar offers (kinds and states from the definitions, in `language`)."""
    reg = registry()
    kinds = [(d.kind, d.title(language)) for d in reg]
    states = sorted({(s.name, s.title(language)) for d in reg for s in d.states.values()})
    return {
        "kinds": kinds,
        "states": states,
        "bodies": list(session.scalars(select(Body).order_by(Body.id))),
        "areas": list(session.scalars(select(PriorityArea).order_by(PriorityArea.code))),
    }


# ---------------------------------------------------------------- one document


@dataclass
class DocumentPage:
    document: Document
    rounds: list[Round]
    events: list[AuditEvent]
    instruments: list[Instrument]
    pledges: list[Pledge]
    actors: dict[int, User] = field(default_factory=dict)


def load_document(session: Session, document_id: int) -> Document | None:
    return session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .options(
            joinedload(Document.priority_area).selectinload(PriorityArea.roles),
            joinedload(Document.proposer),
            joinedload(Document.applicant),
            joinedload(Document.target_body),
            selectinload(Document.versions).options(
                selectinload(Version.texts), joinedload(Version.created_by)
            ),
        )
    )


def document_page(session: Session, document: Document, user: User) -> DocumentPage:
    """The rounds (with electors and positions), history, instruments and pledges the user may
    see of a document the user may see."""
    rounds = list(
        session.scalars(
            select(Round)
            .where(Round.document_id == document.id, rounds_visible_to(user))
            .options(
                joinedload(Round.body),
                joinedload(Round.version),
                joinedload(Round.closed_by),
                *summary_options(),
            )
            .order_by(Round.opened_at.desc(), Round.id.desc())
        ).unique()
    )
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.document_id == document.id, events_visible_to(user))
            .order_by(AuditEvent.id.desc())
        )
    )
    instruments = list(
        session.scalars(
            select(Instrument)
            .where(Instrument.document_id == document.id)
            .options(joinedload(Instrument.participant))
            .order_by(Instrument.deposited_on, Instrument.id)
        )
    )
    pledges = list(
        session.scalars(
            select(Pledge)
            .where(Pledge.document_id == document.id)
            .options(joinedload(Pledge.donor))
            .order_by(Pledge.id)
        )
    )
    return DocumentPage(document, rounds, events, instruments, pledges)


def load_round(session: Session, round_id: int) -> Round | None:
    return session.scalar(
        select(Round)
        .where(Round.id == round_id)
        .options(
            joinedload(Round.document),
            joinedload(Round.body),
            joinedload(Round.version),
            *summary_options(),
        )
    )


def member_states(session: Session) -> list[Participant]:
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.status == ParticipantStatus.MEMBER)
            .order_by(Participant.name_en)
        )
    )


def applicants(session: Session) -> list[Participant]:
    """Participants that may apply (anyone not already a member)."""
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.status != ParticipantStatus.MEMBER)
            .order_by(Participant.name_en)
        )
    )


# ---------------------------------------------------------------- the secretariat


@dataclass
class TrackedRound:
    round: Round
    electorate: int
    answered: int
    objections: int

    @property
    def pending(self) -> int:
        return self.electorate - self.answered

    @property
    def overdue(self) -> bool:
        deadline = self.round.deadline_at
        return deadline is not None and deadline <= clock.now()


def open_rounds_tracked(session: Session) -> list[TrackedRound]:
    """Every open round with its counts, overdue first, then by deadline; meetings last."""
    electorate = (
        select(RoundElector.round_id, func.count().label("n"))
        .group_by(RoundElector.round_id)
        .subquery()
    )
    answers = (
        select(
            Position.round_id,
            func.count().label("n"),
            func.sum(case((Position.kind == PositionKind.OBJECTION, 1), else_=0)).label("obj"),
        )
        .where(Position.is_current.is_(True))
        .group_by(Position.round_id)
        .subquery()
    )
    rows = session.execute(
        select(Round, electorate.c.n, answers.c.n, answers.c.obj)
        .outerjoin(electorate, electorate.c.round_id == Round.id)
        .outerjoin(answers, answers.c.round_id == Round.id)
        .where(Round.status == RoundStatus.OPEN)
        .options(*_round_page_options())
        .order_by(Round.deadline_at.is_(None), Round.deadline_at, Round.opened_at, Round.id)
    ).all()
    return [TrackedRound(r, e or 0, a or 0, int(o or 0)) for r, e, a, o in rows]


def recently_closed(session: Session, days: int = 14, limit: int = 50) -> list[Round]:
    since = clock.now() - timedelta(days=days)
    return list(
        session.scalars(
            select(Round)
            .where(Round.status == RoundStatus.CLOSED, Round.closed_at >= since)
            .options(*_round_page_options())
            .order_by(Round.closed_at.desc(), Round.id.desc())
            .limit(limit)
        )
    )


def documents_awaiting_round(session: Session) -> list[Document]:
    """Documents in a state that holds a round, with no round open: the Secretariat's cue."""
    pairs = registry().states_holding_rounds()
    if not pairs:
        return []
    open_round = exists().where(Round.document_id == Document.id, Round.status == RoundStatus.OPEN)
    return list(
        session.scalars(
            select(Document)
            .where(tuple_(Document.kind, Document.state).in_(pairs), ~open_round)
            .options(joinedload(Document.priority_area))
            .order_by(Document.updated_at, Document.id)
        )
    )


@dataclass
class Grid:
    rounds: list[TrackedRound]
    states: list[Participant]
    cells: dict[tuple[int, int], str]  # (participant id, round id) -> answered|objected|pending


def answer_grid(session: Session) -> Grid:
    """States against open rounds: who answered, who objected, who has not answered."""
    rounds = open_rounds_tracked(session)
    electors = session.execute(
        select(RoundElector.participant_id, RoundElector.round_id)
        .join(Round, Round.id == RoundElector.round_id)
        .where(Round.status == RoundStatus.OPEN)
    ).all()
    positions = session.execute(
        select(Position.participant_id, Position.round_id, Position.kind)
        .join(Round, Round.id == Position.round_id)
        .where(Round.status == RoundStatus.OPEN, Position.is_current.is_(True))
    ).all()
    cells = {(p, r): "pending" for p, r in electors}
    for participant_id, round_id, kind in positions:
        cells[(participant_id, round_id)] = (
            "objected" if kind is PositionKind.OBJECTION else "answered"
        )
    state_ids = {p for p, _r in electors}
    states = (
        list(
            session.scalars(
                select(Participant)
                .where(Participant.id.in_(state_ids))
                .order_by(Participant.name_en)
            )
        )
        if state_ids
        else []
    )
    return Grid(rounds, states, cells)
