"""The read model: what pages and the API show, in a fixed number of queries whatever the size.

Each function loads what it returns with eager loading, so rendering never
triggers lazy loads in a loop, and applies the visibility rules
(workflow.visibility). The HTML pages and the JSON API render the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import bindparam, case, exists, false, func, or_, select, tuple_
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
    PriorityArea,
    Round,
    RoundElector,
    RoundStatus,
    User,
    Version,
)
from workflow import clock, kinds
from workflow.accounts import DELEGATES, account_statuses
from workflow.registry import registry
from workflow.search import search
from workflow.summaries import summary_options
from workflow.visibility import documents_visible_to, events_visible_to, rounds_visible_to

PAGE_SIZE = 50
T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list, without counting the whole list: `has_next` says whether more follow
    (one row past the page is asked for), so its cost is the page's, not the list's."""

    items: list[T]
    page: int
    per_page: int
    has_next: bool


def _page(rows: list, page: int, per_page: int) -> Page:
    return Page(rows[:per_page], page, per_page, len(rows) > per_page)


def _window(query, page: int, per_page: int):
    return query.limit(per_page + 1).offset((page - 1) * per_page)


# What lists of open work may be narrowed to by deadline: overdue, falling due within
# seven days, or meetings (in session, no deadline).
DUE_CHOICES = ("overdue", "week", "session")


@dataclass
class OpenWorkFilters:
    """What lists of open rounds may be narrowed by: a body's code, a member's code
    (whose answer is awaited), the deadline (`DUE_CHOICES`); and the page."""

    body: str = ""
    state: str = ""
    due: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE


def _open_round_conditions(filters: OpenWorkFilters) -> list:
    conditions = [Round.status == RoundStatus.OPEN]
    if filters.body:
        conditions.append(Round.body_id.in_(select(Body.id).where(Body.code == filters.body)))
    now = clock.now()
    if filters.due == "overdue":
        conditions.append(Round.deadline_at <= now)
    elif filters.due == "week":
        conditions.append(Round.deadline_at <= now + timedelta(days=7))
    elif filters.due == "session":
        conditions.append(Round.deadline_at.is_(None))
    return conditions


# Open work in the order it falls due, meetings (no deadline) last; an index serves it.
OPEN_ORDER = (Round.deadline_at.asc().nulls_last(), Round.opened_at, Round.id)


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


# Conditions on `Position.is_current` are written bare (not `IS TRUE`), so that PostgreSQL
# recognises the partial index `uq_position_current` (WHERE is_current) for them.


def awaiting_answers(
    session: Session,
    user: User,
    filters: OpenWorkFilters | None = None,
    *,
    every_state: bool = False,
) -> Page[AwaitedAnswer]:
    """Open rounds where a state has no position yet, soonest deadline first, a page at a
    time: the user's states', or with `every_state` (the Secretariat's view) every state's."""
    filters = filters or OpenWorkFilters()
    answered = exists().where(
        Position.round_id == Round.id,
        Position.participant_id == RoundElector.participant_id,
        Position.is_current,
    )
    query = (
        select(Round, Participant)
        .join(RoundElector, RoundElector.round_id == Round.id)
        .join(Participant, Participant.id == RoundElector.participant_id)
        .where(*_open_round_conditions(filters), ~answered)
        .options(*_round_page_options())
        .order_by(*OPEN_ORDER, Participant.code)
    )
    if filters.state:
        query = query.where(Participant.code == filters.state.strip().upper())
    if not every_state:
        state_ids = [p.id for p in user.represented_states]
        if not state_ids:
            return Page([], filters.page, filters.per_page, False)
        query = query.where(RoundElector.participant_id.in_(state_ids))
    rows = session.execute(_window(query, filters.page, filters.per_page)).all()
    return _page([AwaitedAnswer(round=r, state=p) for r, p in rows], filters.page, filters.per_page)


def answered_open_rounds(session: Session, user: User, page: int = 1) -> Page[Position]:
    """The user's states' current positions in rounds still open (they can still change)."""
    state_ids = [p.id for p in user.represented_states]
    if not state_ids:
        return Page([], page, PAGE_SIZE, False)
    query = (
        select(Position)
        .join(Round, Round.id == Position.round_id)
        .where(
            Round.status == RoundStatus.OPEN,
            Position.participant_id.in_(state_ids),
            Position.is_current,
        )
        .options(
            joinedload(Position.participant),
            joinedload(Position.round).options(*_round_page_options()),
        )
        .order_by(*OPEN_ORDER, Position.id)
    )
    return _page(list(session.scalars(_window(query, page, PAGE_SIZE))), page, PAGE_SIZE)


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
        return (
            any(
                (
                    self.kind,
                    self.state,
                    self.body,
                    self.priority_area,
                    self.proposer,
                    self.applicant,
                )
            )
            or bool(self.q)
            or self.restricted is not None
        )


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
    return conditions


def list_documents(session: Session, user: User, filters: DocumentFilters) -> DocumentListPage:
    """One page of the documents the user may see: newest change first, or, when searching
    (`filters.q`, see workflow.search), the best match first."""
    conditions = _document_conditions(user, filters)
    found = search(session, filters.q)

    def searched(query):
        if found is None:
            return query.where(*conditions)
        if found.hits is not None:
            query = query.outerjoin(found.hits, found.hits.c.document_id == Document.id)
        return query.where(*conditions, found.condition)

    per_page = filters.per_page
    total = session.scalar(searched(select(func.count(Document.id)).select_from(Document))) or 0
    pages = max(1, -(-total // per_page))
    page = max(filters.page, 1)  # a page past the last one is empty
    relevance = found.order if found is not None else ()
    documents = list(
        session.scalars(
            searched(select(Document))
            .options(
                joinedload(Document.priority_area),
                joinedload(Document.proposer),
                joinedload(Document.applicant),
                joinedload(Document.target_body),
                selectinload(Document.versions),
            )
            .order_by(*relevance, Document.updated_at.desc(), Document.id.desc())
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


def bodies(session: Session) -> list[Body]:
    return list(session.scalars(select(Body).order_by(Body.id)))


def filter_choices(session: Session, language: str = "en") -> dict:
    """What the filter bar offers (kinds and states from the definitions, in `language`)."""
    reg = registry()
    kinds = [(d.kind, d.title(language)) for d in reg]
    states = sorted({(s.name, s.title(language)) for d in reg for s in d.states.values()})
    return {
        "kinds": kinds,
        "states": states,
        "bodies": bodies(session),
        "areas": list(session.scalars(select(PriorityArea).order_by(PriorityArea.code))),
    }


# ---------------------------------------------------------------- one document


ROUNDS_PER_PAGE = 3  # a document's rounds, newest first, each with its electorate's positions
HISTORY_PER_PAGE = 50  # a document's history events, newest first


@dataclass
class DocumentPage:
    document: Document
    rounds: Page[Round]
    events: Page[AuditEvent]
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


def document_page(
    session: Session,
    document: Document,
    user: User,
    *,
    rounds_page: int = 1,
    history_page: int = 1,
    rounds_per_page: int = ROUNDS_PER_PAGE,
    history_per_page: int = HISTORY_PER_PAGE,
    position_history: bool = True,
) -> DocumentPage:
    """A page of the rounds (with electors and positions: every one recorded, or the current
    ones only without `position_history`) and a page of the history the user may see of a
    document the user may see, newest first; its instruments and pledges."""
    rounds = _window(
        select(Round)
        .where(Round.document_id == document.id, rounds_visible_to(user))
        .options(
            joinedload(Round.body),
            joinedload(Round.version),
            joinedload(Round.closed_by),
            *summary_options(history=position_history),
        )
        .order_by(Round.opened_at.desc(), Round.id.desc()),
        rounds_page,
        rounds_per_page,
    )
    events = document_history(session, document, user, history_page, history_per_page)
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
    return DocumentPage(
        document,
        _page(list(session.scalars(rounds).unique()), rounds_page, rounds_per_page),
        events,
        instruments,
        pledges,
    )


def document_history(
    session: Session,
    document: Document,
    user: User,
    page: int = 1,
    per_page: int = HISTORY_PER_PAGE,
) -> Page[AuditEvent]:
    """A page of the history the user may see of a document the user may see, newest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.document_id == document.id, events_visible_to(user))
        .order_by(AuditEvent.id.desc())
    )
    return _page(list(session.scalars(_window(query, page, per_page))), page, per_page)


# Built once for each kind of read (the API reads a round after each of its changes).
_ROUND_WITH_ITS_POSITIONS = {
    history: select(Round)
    .where(Round.id == bindparam("round_id"))
    .options(
        joinedload(Round.document),
        joinedload(Round.body),
        joinedload(Round.version),
        *summary_options(history=history),
    )
    for history in (True, False)
}


def load_round(session: Session, round_id: int, *, position_history: bool = True) -> Round | None:
    """The round with its electors and positions (every one recorded, or the current ones
    only without `position_history`)."""
    return session.scalar(_ROUND_WITH_ITS_POSITIONS[position_history], {"round_id": round_id})


def positions_page(
    session: Session, round_: Round, page: int = 1, per_page: int = PAGE_SIZE
) -> Page[Position]:
    """A page of every position recorded in a round (changed ones too), newest first."""
    query = (
        select(Position)
        .where(Position.round_id == round_.id)
        .options(joinedload(Position.participant), joinedload(Position.entered_by))
        .order_by(Position.id.desc())
    )
    return _page(list(session.scalars(_window(query, page, per_page))), page, per_page)


def member_states(session: Session) -> list[Participant]:
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.status == ParticipantStatus.MEMBER)
            .order_by(Participant.name_en)
        )
    )


def speaking_participants(session: Session) -> list[Participant]:
    """Participants whose delegates speak for them (the profile's `[accounts] delegates`):
    those who may propose."""
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.status.in_(account_statuses(session, DELEGATES)))
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


def open_rounds_tracked(
    session: Session, filters: OpenWorkFilters | None = None, *, by_body: bool = False
) -> Page[TrackedRound]:
    """A page of open rounds with their counts, by deadline (overdue first, meetings last),
    or by body then deadline. The counts are taken for the page's rounds only, so neither
    closed history nor the other open rounds add to the cost."""
    filters = filters or OpenWorkFilters()
    query = select(Round).where(*_open_round_conditions(filters)).options(*_round_page_options())
    if by_body:
        query = query.join(Body, Body.id == Round.body_id).order_by(Body.code, *OPEN_ORDER)
    else:
        query = query.order_by(*OPEN_ORDER)
    page = _page(
        list(session.scalars(_window(query, filters.page, filters.per_page))),
        filters.page,
        filters.per_page,
    )
    ids = [r.id for r in page.items]
    electorate = (
        dict(
            session.execute(
                select(RoundElector.round_id, func.count())
                .where(RoundElector.round_id.in_(ids))
                .group_by(RoundElector.round_id)
            ).all()
        )
        if ids
        else {}
    )
    answers = (
        {
            round_id: (n, objections)
            for round_id, n, objections in session.execute(
                select(
                    Position.round_id,
                    func.count(),
                    func.sum(case((Position.kind.in_(kinds.blocking(session)), 1), else_=0)),
                )
                .where(Position.round_id.in_(ids), Position.is_current)
                .group_by(Position.round_id)
            )
        }
        if ids
        else {}
    )
    items = []
    for round_ in page.items:
        answered, objections = answers.get(round_.id, (0, 0))
        items.append(
            TrackedRound(round_, electorate.get(round_.id, 0), answered, int(objections or 0))
        )
    return Page(items, page.page, page.per_page, page.has_next)


def open_round_counts(session: Session, filters: OpenWorkFilters) -> tuple[int, int]:
    """How many open rounds the filters leave, and how many of them are overdue (the open
    rounds only: an index on the status reaches them)."""
    total, overdue = session.execute(
        select(
            func.count(Round.id),
            func.sum(case((Round.deadline_at <= clock.now(), 1), else_=0)),
        ).where(*_open_round_conditions(filters))
    ).one()
    return total or 0, int(overdue or 0)


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


def documents_awaiting_round(session: Session, limit: int = PAGE_SIZE) -> list[Document]:
    """Documents in a state that holds a round, with no round open, the longest waiting
    first (at most `limit`): the Secretariat's cue."""
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
            .limit(limit)
        )
    )


@dataclass
class Grid:
    rounds: Page[TrackedRound]
    states: list[Participant]
    cells: dict[tuple[int, int], str]  # (participant id, round id) -> answered|objected|pending


def answer_grid(session: Session, filters: OpenWorkFilters | None = None) -> Grid:
    """States against a page of open rounds: who answered, who objected, who has not."""
    rounds = open_rounds_tracked(session, filters)
    ids = [t.round.id for t in rounds.items]
    if not ids:
        return Grid(rounds, [], {})
    electors = session.execute(
        select(RoundElector.participant_id, RoundElector.round_id).where(
            RoundElector.round_id.in_(ids)
        )
    ).all()
    positions = session.execute(
        select(Position.participant_id, Position.round_id, Position.kind).where(
            Position.round_id.in_(ids), Position.is_current
        )
    ).all()
    cells = {(p, r): "pending" for p, r in electors}
    blocking = kinds.blocking(session)
    for participant_id, round_id, kind in positions:
        cells[(participant_id, round_id)] = (
            "objected" if kind in blocking else "answered"
        )
    state_ids = {p for p, _r in electors}
    states = list(
        session.scalars(
            select(Participant).where(Participant.id.in_(state_ids)).order_by(Participant.name_en)
        )
    )
    return Grid(rounds, states, cells)
