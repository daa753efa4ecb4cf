"""Decisions of bodies: numbered per body and year, with the version adopted and what was
attached to it.

A transition the definition marks `decision = true` is a body's decision: when its
round's consensus fires it, a decision is recorded in the same change, numbered with
the forum's pattern (a body may have its own), e.g. `SOC.DEC/3/24`; a pattern without
the year numbers on from year to year (`PC.DEC/1530`). A round closed
with consents given ad referendum records the decision at once, provisionally; it
becomes final when the confirmations are in or their period lapses
(workflow.confirmations).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Body, Decision, DecisionStatus, Document, Round, User
from workflow import locking, numbering, times
from workflow.summaries import closing_summary

if TYPE_CHECKING:
    from workflow.context import TransitionContext


def decision_symbol(pattern: str, body: Body, year: int, number: int) -> str:
    """`{body}.DEC/{number}/{yy}` → `SOC.DEC/3/24` ({yyyy} gives the four-digit year)."""
    return numbering.render(pattern, body=body.code, number=number, **numbering.year_values(year))


def _next_number(session: Session, body: Body, year: int, pattern: str) -> int:
    """Per body and year when the pattern shows the year (`SOC.DEC/3/24`), else one running
    counter per body (`PC.DEC/1530`)."""
    if not numbering.shows_year(pattern):
        locking.serialize(session, f"decision-number:{body.id}")
        last = session.scalar(select(func.max(Decision.number)).where(Decision.body_id == body.id))
        return (last or 0) + 1
    locking.serialize(session, f"decision-number:{body.id}:{year}")
    last = session.scalar(
        select(func.max(Decision.number)).where(Decision.body_id == body.id, Decision.year == year)
    )
    return (last or 0) + 1


def for_round(session: Session, round_id: int) -> Decision | None:
    return session.scalar(select(Decision).where(Decision.round_id == round_id))


def record(
    session: Session,
    round_: Round | None,
    *,
    body: Body | None = None,
    document: Document | None = None,
    trigger: str,
    title: str,
    taken_on: date,
    entered_by: User | None,
    status: DecisionStatus = DecisionStatus.FINAL,
    confirmation_due_on: date | None = None,
) -> Decision:
    """Number and record the decision `round_`'s body took on `taken_on` (without a round —
    a system step fired by hand — `body` and `document` say whose and on what)."""
    body = round_.body if round_ is not None else body
    document = round_.document if round_ is not None else document
    version = round_.version if round_ is not None else document.current_version
    year = taken_on.year
    pattern = body.decision_symbol or times.forum(session).decision_symbol
    number = _next_number(session, body, year, pattern)
    summary = closing_summary(session, round_.id).record() if round_ is not None else {}
    decision = Decision(
        body=body,
        year=year,
        number=number,
        symbol=decision_symbol(pattern, body, year, number),
        status=status,
        taken_on=taken_on,
        title=title,
        document_id=document.id,
        version_id=version.id,
        round_id=round_.id if round_ is not None else None,
        trigger=trigger,
        attached={
            key: summary.get(key, [])
            for key in ("statements", "reservations", "objections", "stood_aside")
        },
        confirmation_due_on=confirmation_due_on,
        settled_on=taken_on if status is DecisionStatus.FINAL else None,
        entered_at=times.now_utc(),
        entered_by_id=entered_by.id if entered_by is not None else None,
    )
    session.add(decision)
    session.flush()
    return decision


def _round_body(ctx: TransitionContext) -> Body | None:
    """The body whose round the definition gives the state the transition leaves."""
    body_code = ctx.definition.round_spec(ctx.state_before).body
    return ctx.session.scalar(select(Body).where(Body.code == body_code))


def record_for_transition(ctx: TransitionContext) -> dict:
    """The engine's step for a decision transition: record it, or make final the one a round
    adopted ad referendum."""
    round_ = ctx.round
    decision = for_round(ctx.session, round_.id) if round_ is not None else None
    if decision is None:
        title = ctx.taken.titles() or ctx.definition.state_title(ctx.taken.dest)
        decision = record(
            ctx.session,
            round_,
            body=_round_body(ctx) if round_ is None else None,  # else the round's own
            document=ctx.document,
            trigger=ctx.taken.trigger,
            title=title,
            taken_on=ctx.taken_on,
            entered_by=ctx.actor,
        )
    else:
        decision.status = DecisionStatus.FINAL
        decision.settled_on = ctx.taken_on
    ctx.decision = decision
    return {"decision": decision.symbol, "decision_status": decision.status.value}
