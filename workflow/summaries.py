"""A round's summary, computed from its eagerly loaded electors and positions.

One summary serves the document page, the API and the audit event of the close:
each state's current position and its history, and the outcome's lists of
statements, reservations, objections, consents, states standing aside and states
that said nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import Confirmation, Participant, Position, Round, RoundElector
from models.kinds import PositionKinds, kinds_of
from workflow import times


@dataclass
class ElectorRow:
    state: Participant
    current: Position | None
    history: list[Position]  # oldest first, the current one last


@dataclass
class RoundSummary:
    round: Round
    rows: list[ElectorRow]  # the electorate, by name
    currents: list[Position]  # the positions that count, in the order they were recorded
    kinds: PositionKinds  # the forum's, which say what each position means

    def _of(self, meaning: str) -> list[Position]:
        codes = self.kinds.with_meaning(meaning)
        return [p for p in self.currents if p.kind in codes]

    @property
    def statements(self) -> list[Position]:
        return self._of("statement")

    @property
    def reservations(self) -> list[Position]:
        return self._of("reservation")

    @property
    def objections(self) -> list[Position]:
        """The positions that block consensus, whatever the forum calls them."""
        return self._of("objection")

    @property
    def blocked(self) -> bool:
        """Does a position that stands in the way of consensus count (an objection)?"""
        blocking = set(self.kinds.blocking)
        return any(p.kind in blocking for p in self.currents)

    @property
    def ad_referendum(self) -> list[Position]:
        """Consents subject to the capital's confirmation."""
        return self._of("ad_referendum")

    @property
    def answered(self) -> int:
        return len(self.currents)

    @property
    def silent(self) -> list[Participant]:
        """States of the electorate with no position, in the order they were seated."""
        answered = {p.participant_id for p in self.currents}
        return [
            e.participant
            for e in sorted(self.round.electors, key=lambda e: e.id)
            if e.participant_id not in answered
        ]

    def record(self) -> dict[str, list]:
        """The outcome as the audit event and the API give it: codes and texts."""

        def entry(position: Position) -> dict[str, str]:
            given = {
                "participant": position.participant.code,
                "text": position.text,
                "channel": position.channel,
            }
            if position.statement_kind:  # e.g. an interpretative statement (the definition's)
                given["statement_kind"] = position.statement_kind
            return given

        return {
            "statements": [entry(p) for p in self.statements],
            "reservations": [entry(p) for p in self.reservations],
            "objections": [{**entry(p), "amendment": p.amendment} for p in self.objections],
            "consents": [p.participant.code for p in self._of("consent")],
            "ad_referendum": [p.participant.code for p in self.ad_referendum],
            "stood_aside": [p.participant.code for p in self._of("stand_aside")],
            "no_position": [state.code for state in self.silent],
        }


def summarise(round_: Round, kinds: PositionKinds, *, history_loaded: bool = True) -> RoundSummary:
    """The summary of a round whose electors and positions are loaded (see `summary_options`);
    with `history_loaded=False`, of its current positions only (`summary_options(history=False)`):
    each state's history is then its current position alone."""
    history: dict[int, list[Position]] = defaultdict(list)
    positions = round_.positions if history_loaded else round_.current_positions
    for position in sorted(positions, key=lambda p: p.id):
        history[position.participant_id].append(position)
    rows = []
    for elector in sorted(round_.electors, key=lambda e: e.participant.name_en):
        entries = history.get(elector.participant_id, [])
        current = next((p for p in reversed(entries) if p.is_current), None)
        rows.append(ElectorRow(elector.participant, current, entries))
    currents = sorted((r.current for r in rows if r.current is not None), key=lambda p: p.id)
    return RoundSummary(round=round_, rows=rows, currents=currents, kinds=kinds)


def summary_options(*, history: bool = True, who_entered: bool = True):
    """Loader options for `summarise`: electors, positions (every one recorded, or with
    `history=False` the current ones only) with their states and, unless `who_entered`
    is False, who entered each (pages show it; an outcome does not), and any
    confirmations awaited ad referendum, in 3 queries."""
    positions = Round.positions if history else Round.current_positions
    with_positions = [joinedload(Position.participant)]
    if who_entered:
        with_positions.append(joinedload(Position.entered_by))
    return (
        selectinload(Round.electors).joinedload(RoundElector.participant),
        selectinload(positions).options(*with_positions),
        selectinload(Round.confirmations).joinedload(Confirmation.participant),
    )


# Built once (every close reads it; loader options are costly to build): a round's current
# positions, not their history, nor who entered them, and its body, which the close records.
_ROUND_FOR_ITS_OUTCOME = (
    select(Round)
    .where(Round.id == bindparam("round_id"))
    .options(joinedload(Round.body), *summary_options(history=False, who_entered=False))
)


def load_summary(session: Session, round_id: int) -> RoundSummary:
    """The outcome of a round read now (the engine's close, with the round locked)."""
    round_ = session.scalar(_ROUND_FOR_ITS_OUTCOME, {"round_id": round_id})
    return summarise(round_, kinds_of(times.forum(session)), history_loaded=False)


CLOSING_SUMMARIES = "concord.closing_round_summaries"


def closing_summary(session: Session, round_id: int) -> RoundSummary:
    """The summary of a round this transaction is closing, read once under the round's lock
    after its last position, and kept: it decides the outcome (an objection, consents ad
    referendum), then goes into the close's audit event and the decision taken on it (a
    closing round's positions no longer change)."""
    kept = session.info.setdefault(CLOSING_SUMMARIES, {})
    if round_id not in kept:
        kept[round_id] = load_summary(session, round_id)
    return kept[round_id]


def summary_read_for_closing(session: Session, round_id: int) -> RoundSummary | None:
    """The closing summary of the round, if this transaction has read it (never reads)."""
    return session.info.get(CLOSING_SUMMARIES, {}).get(round_id)


def _forget_closing(session: Session, *_args) -> None:
    session.info.pop(CLOSING_SUMMARIES, None)


def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # a released savepoint's close still stands
        _forget_closing(session)


# A new transaction reads afresh, however the last one ended (commit, rollback, close);
# what a rolled-back savepoint closed is open again.
event.listen(Session, "after_transaction_end", _transaction_ended)
event.listen(Session, "after_soft_rollback", _forget_closing)
