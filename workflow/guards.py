"""Guards by name: each returns None when the transition may happen, else the reason.

A name may carry one argument after a colon (`target_body:MC`). Guards are cheap
reads; they never change anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from models import Instrument, ParticipantKind, ParticipantStatus, Pledge
from models.document import revision_label
from workflow import catalogue, times
from workflow.errors import N_, InvalidInput, Text, named

if TYPE_CHECKING:
    from workflow.context import TransitionContext

Guard = Callable[["TransitionContext", str | None], str | None]
GUARDS: dict[str, Guard] = {}
NEEDS_ARGUMENT: set[str] = set()


def guard(name: str, *, argument: bool = False):
    def register(function: Guard) -> Guard:
        GUARDS[name] = function
        if argument:
            NEEDS_ARGUMENT.add(name)
        return function

    return register


def split(name: str) -> tuple[str, str | None]:
    base, _, argument = name.partition(":")
    return base, (argument or None)


def is_known(name: str) -> bool:
    base, argument = split(name)
    return base in GUARDS and (argument is not None) == (base in NEEDS_ARGUMENT)


def evaluate(ctx: TransitionContext, name: str) -> str | None:
    base, argument = split(name)
    return GUARDS[base](ctx, argument)


@guard("has_version")
def has_version(ctx, _arg):
    return (
        None
        if ctx.document.versions
        else Text(N_("the document has no text yet: add a version first"))
    )


@guard("revised")
def revised(ctx, _arg):
    """After a return for revision, a new version is needed before going on."""
    returned_at = (ctx.document.attributes or {}).get("revision_required_after")
    current = ctx.document.current_version
    if returned_at and (current is None or current.number <= returned_at):
        return Text(
            N_("the text was returned for revision after its %(value)s: add a new version first"),
            value=revision_label(returned_at),
        )
    return None


@guard("comment_given")
def comment_given(ctx, _arg):
    return None if ctx.comment.strip() else Text(N_("a comment giving the reason is required"))


@guard("target_body", argument=True)
def target_body(ctx, body):
    target = ctx.document.target_body
    if target is None or target.code != body:
        return Text(N_("the document is not addressed to the %(body)s"), body=body)
    return None


@guard("has_budget")
def has_budget(ctx, _arg):
    budget = ctx.document.budget
    return None if budget is not None and budget > 0 else Text(N_("the proposal has no budget"))


def pledged_total(session, document_id: int) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Pledge.amount), 0)).where(Pledge.document_id == document_id)
    )
    return Decimal(total)


@guard("pledges_cover_budget")
def pledges_cover_budget(ctx, _arg):
    budget = ctx.document.budget or Decimal(0)
    pledged = pledged_total(ctx.session, ctx.document.id)
    if pledged < budget:
        return Text(
            N_("pledges of %(pledged)s do not cover the budget of %(budget)s"),
            pledged=format(pledged, ",.2f"),
            budget=format(budget, ",.2f"),
        )
    return None


@guard("dated_params")
def dated_params(ctx, _arg):
    """Every parameter the transition declares is a date (YYYY-MM-DD), not in the future."""
    today = times.today(ctx.session)
    for name in ctx.candidate.params:
        value = ctx.value(name)
        if not value:
            return Text(
                N_("%(name)s is required (a date, YYYY-MM-DD)"), name=name.replace("_", " ")
            )
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            return Text(
                N_("%(name)s: %(value)s is not a date (YYYY-MM-DD)"),
                name=name.replace("_", " "),
                value=repr(value),
            )
        if day > today:
            return Text(N_("%(name)s cannot be in the future"), name=name.replace("_", " "))
    return None


@guard("applicant_is_state")
def applicant_is_state(ctx, _arg):
    applicant = ctx.document.applicant
    if applicant is None or applicant.kind is not ParticipantKind.STATE:
        return Text(N_("only a state can be admitted as a member"))
    return None


@guard("applicant_not_member")
def applicant_not_member(ctx, _arg):
    applicant = ctx.document.applicant
    if applicant is not None and applicant.status is ParticipantStatus.MEMBER:
        return Text(N_("%(applicant)s is already a member"), applicant=named(applicant))
    return None


@guard("applicant_not_observer_or_member")
def applicant_not_observer_or_member(ctx, _arg):
    applicant = ctx.document.applicant
    if applicant is not None and applicant.status in (
        ParticipantStatus.MEMBER,
        ParticipantStatus.OBSERVER,
    ):
        return Text(
            N_("%(applicant)s is already %(status)s"),
            applicant=named(applicant),
            status=applicant.status.value,
        )
    return None


def counting_instruments(session, document_id: int) -> list[Instrument]:
    """Instruments that count towards entry into force, in order of deposit."""
    rows = session.scalars(
        select(Instrument)
        .where(Instrument.document_id == document_id)
        .order_by(Instrument.deposited_on, Instrument.id)
    )
    return [i for i in rows if i.kind.counts_towards_entry_into_force]


@guard("threshold_reached")
def threshold_reached(ctx, _arg):
    threshold = ctx.document.threshold or 0
    count = len(counting_instruments(ctx.session, ctx.document.id))
    if threshold < 1 or count < threshold:
        return Text(
            N_("%(count)s of %(threshold)s instruments deposited"), count=count, threshold=threshold
        )
    return None


@guard("effective_date_reached")
def effective_date_reached(ctx, _arg):
    effective = (ctx.document.attributes or {}).get("entry_into_force_on")
    if not effective:
        return Text(N_("no date of entry into force is set"))
    today = ctx.now.astimezone(times.forum_zone(ctx.session)).date()
    if today < date.fromisoformat(effective):
        return Text(N_("entry into force is set for %(effective)s"), effective=effective)
    return None


@guard("catalogue_changes")
def catalogue_changes(ctx, _arg):
    """The amendment proposes changes, and each still applies to the Catalogue in force."""
    changes = (ctx.document.attributes or {}).get(catalogue.FIELD)
    if not changes:
        return Text(N_("the amendment proposes no change to the Catalogue yet"))
    try:
        catalogue.check_changes(ctx.session, changes)
    except InvalidInput as error:
        return Text(
            N_("its changes no longer apply to the Catalogue in force: %(error)s"), error=error
        )
    return None
