"""The light model a definition's machine is triggered against, and its callbacks.

The machine reads and writes `state`, which is the document row's column; guards
and effects get this context, never the machine.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from models import Decision, Document, Round, User
from workflow import decisions, effects, guards, times
from workflow.spec import Definition, TransitionSpec


class TransitionContext:
    def __init__(
        self,
        session: Session,
        actor: User | None,
        document: Document,
        definition: Definition,
        roles: frozenset[str],
        *,
        comment: str = "",
        params: dict[str, Any] | None = None,
        now: datetime | None = None,
        taken_on: date | None = None,
        round_: Round | None = None,
    ):
        self.session = session
        self.actor = actor
        self.document = document
        self.definition = definition
        self.roles = roles
        self.comment = comment
        self.params = dict(params or {})
        self.now = now or times.now_utc()  # what guards and effects take as "now"
        self.taken_on = taken_on or times.today(session)  # the date of the act (workflow.acts)
        self.round = round_  # the round whose outcome fires this transition, if any
        self.state_before = document.state
        self.decision: Decision | None = None  # recorded when the transition is a decision
        self.failures: list[tuple[str, str]] = []  # (guard name or "permission", reason)
        self.audit_data: dict[str, Any] = {}  # what effects did, for the audit event
        self.candidate: TransitionSpec | None = None  # the transition whose guards run
        self.taken: TransitionSpec | None = None

    @property
    def state(self) -> str:
        return self.document.state

    @state.setter
    def state(self, value: str) -> None:
        self.document.state = value

    def value(self, name: str) -> Any:
        """A trigger parameter, else what an earlier trigger stored on the document."""
        if name in self.params:
            return self.params[name]
        return (self.document.attributes or {}).get(name)


def check_transition(spec: TransitionSpec, event_data) -> bool:
    """The machine's condition: permission first, then each guard in order."""
    ctx: TransitionContext = event_data.model
    if not spec.allowed & ctx.roles:
        ctx.failures.append(("permission", ""))
        return False
    ctx.candidate = spec
    for name in spec.guards:
        reason = guards.evaluate(ctx, name)
        if reason:
            ctx.failures.append((name, reason))
            return False
    return True


def run_effects(spec: TransitionSpec, event_data) -> None:
    ctx: TransitionContext = event_data.model
    ctx.taken = spec
    if spec.decision:  # first, so that effects (a Catalogue edition) can name it
        ctx.audit_data.update(decisions.record_for_transition(ctx))
    for name in spec.effects:
        data = effects.EFFECTS[name](ctx)
        if data:
            ctx.audit_data.update(data)
