"""The record as the Secretariat files it: the decision register, and what awaits capitals.

Read-side queries, shared by pages, the API and the CSV export; each applies the
visibility rules (workflow.visibility).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    Body,
    Confirmation,
    ConfirmationStatus,
    Decision,
    OutcomeKind,
    Round,
    User,
    Version,
)
from workflow.visibility import decisions_visible_to, rounds_visible_to

PAGE_SIZE = 50


@dataclass
class DecisionFilters:
    body: str = ""
    year: int | None = None
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass
class DecisionPage:
    decisions: list[Decision]
    total: int
    page: int
    pages: int
    per_page: int


def _decision_options():
    return (
        joinedload(Decision.body),
        joinedload(Decision.document),
        joinedload(Decision.version),
        joinedload(Decision.entered_by),
    )


def _conditions(user: User, filters: DecisionFilters) -> list:
    conditions = [decisions_visible_to(user)]
    if filters.body:
        bodies = select(Body.id).where(Body.code == filters.body.strip().upper())
        conditions.append(Decision.body_id.in_(bodies))
    if filters.year:
        conditions.append(Decision.year == filters.year)
    return conditions


def list_decisions(session: Session, user: User, filters: DecisionFilters) -> DecisionPage:
    """The register: decisions by body and year, in the order they were numbered."""
    conditions = _conditions(user, filters)
    total = session.scalar(select(func.count(Decision.id)).where(*conditions)) or 0
    page = max(filters.page, 1)
    decisions = list(
        session.scalars(
            select(Decision)
            .join(Body, Body.id == Decision.body_id)
            .where(*conditions)
            .options(*_decision_options())
            .order_by(Decision.year.desc(), Body.code, Decision.number.desc())
            .limit(filters.per_page)
            .offset((page - 1) * filters.per_page)
        )
    )
    pages = max(1, -(-total // filters.per_page))
    return DecisionPage(decisions, total, page, pages, filters.per_page)


def all_decisions(session: Session, user: User, filters: DecisionFilters):
    """Every decision the filters select, streamed in the register's order (for CSV)."""
    return session.scalars(
        select(Decision)
        .join(Body, Body.id == Decision.body_id)
        .where(*_conditions(user, filters))
        .options(*_decision_options())
        .order_by(Decision.year.desc(), Body.code, Decision.number.desc())
        .execution_options(yield_per=500)
    )


def load_decision(session: Session, decision_id: int) -> Decision | None:
    return session.scalar(
        select(Decision)
        .where(Decision.id == decision_id)
        .options(
            *_decision_options(),
            joinedload(Decision.round),
            joinedload(Decision.version).selectinload(Version.texts),
        )
    )


def register_years(session: Session, user: User) -> list[tuple[str, int]]:
    """(body code, year) pairs that have decisions, newest first: the register's index."""
    return list(
        session.execute(
            select(Body.code, Decision.year)
            .join(Body, Body.id == Decision.body_id)
            .where(decisions_visible_to(user))
            .group_by(Body.code, Decision.year)
            .order_by(Decision.year.desc(), Body.code)
        )
    )


def document_decisions(session: Session, user: User, document_id: int) -> list[Decision]:
    return list(
        session.scalars(
            select(Decision)
            .where(Decision.document_id == document_id, decisions_visible_to(user))
            .options(*_decision_options())
            .order_by(Decision.taken_on, Decision.id)
        )
    )


@dataclass
class AwaitedConfirmations:
    round: Round
    pending: list[Confirmation]
    decision: Decision | None


def awaiting_confirmations(session: Session, user: User) -> list[AwaitedConfirmations]:
    """Rounds adopted ad referendum whose capitals have not all answered, soonest due first."""
    rounds = list(
        session.scalars(
            select(Round)
            .where(Round.outcome == OutcomeKind.AD_REFERENDUM, rounds_visible_to(user))
            .options(joinedload(Round.document), joinedload(Round.body), joinedload(Round.version))
            .order_by(Round.closed_at, Round.id)
        )
    )
    if not rounds:
        return []
    ids = [r.id for r in rounds]
    pending = list(
        session.scalars(
            select(Confirmation)
            .where(
                Confirmation.round_id.in_(ids), Confirmation.status == ConfirmationStatus.PENDING
            )
            .options(joinedload(Confirmation.participant))
            .order_by(Confirmation.due_at, Confirmation.id)
        )
    )
    decisions = {
        d.round_id: d for d in session.scalars(select(Decision).where(Decision.round_id.in_(ids)))
    }
    result = [
        AwaitedConfirmations(r, [c for c in pending if c.round_id == r.id], decisions.get(r.id))
        for r in rounds
    ]
    return sorted(
        result, key=lambda a: min((c.due_at for c in a.pending), default=a.round.closed_at)
    )


def round_confirmations(session: Session, round_ids: list[int]) -> dict[int, list[Confirmation]]:
    """Every confirmation of these rounds (one query), by round."""
    by_round: dict[int, list[Confirmation]] = {i: [] for i in round_ids}
    if round_ids:
        for confirmation in session.scalars(
            select(Confirmation)
            .where(Confirmation.round_id.in_(round_ids))
            .options(selectinload(Confirmation.participant))
            .order_by(Confirmation.id)
        ):
            by_round[confirmation.round_id].append(confirmation)
    return by_round


def decision_symbols(session: Session) -> dict[int, str]:
    """Decision id -> symbol, for naming the decision that adopted each Catalogue edition."""
    return dict(session.execute(select(Decision.id, Decision.symbol)).all())
