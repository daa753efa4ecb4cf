"""A demo document as scripted steps, played through the engine's operations by the demo
accounts named in each step, as those users would act in the interface."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from models import Document, InstrumentKind, Round, RoundMode, User
from workflow import operations, times
from workflow.errors import N_, InvalidInput

# What a document's creation may give (create_document's arguments, besides the actor).
DOCUMENT_KEYS = frozenset(
    {
        "kind",
        "title",
        "title_ru",
        "priority_area",
        "proposer",
        "applicant",
        "target_body",
        "budget",
        "threshold",
        "restricted",
        "texts",
        "taken_on",
        "fields",  # the definition's own fields; a date may be { days_from_now = N }
    }
)


@dataclass(frozen=True)
class Step:
    do: str
    by: str  # an account's key
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScriptedDocument:
    by: str  # the account's key that creates it
    fields: dict[str, Any]  # create_document's arguments
    steps: tuple[Step, ...] = ()


@dataclass
class Play:
    """One document's play: the document, the round last opened, the moment it began."""

    session: Session
    document: Document
    now: datetime
    round: Round | None = None

    def current_round(self) -> Round:
        if self.round is None:
            raise InvalidInput(N_("no round has been opened yet"))
        return self.round


def _deadline(play: Play, offset: dict | None) -> datetime | None:
    return play.now + timedelta(**offset) if offset else None


def _deposited(play: Play, value: date | dict) -> date:
    if isinstance(value, dict):
        return times.today(play.session) - timedelta(days=value["days_ago"])
    return value


def _relative_date(session: Session, value: Any) -> Any:
    """A field's value as given, or `{ days_from_now = N }` as the date N days from today:
    a demo made later still has its deadlines ahead."""
    if isinstance(value, dict) and set(value) == {"days_from_now"}:
        return (times.today(session) + timedelta(days=value["days_from_now"])).isoformat()
    return value


def _add_version(play: Play, actor: User, args: dict) -> None:
    operations.add_version(play.session, actor, play.document.id, **args)


def _fire(play: Play, actor: User, args: dict) -> None:
    args = dict(args)
    operations.fire_trigger(play.session, actor, play.document.id, args.pop("trigger"), **args)


def _open_round(play: Play, actor: User, args: dict) -> None:
    args = dict(args)
    try:
        mode = RoundMode(args.pop("mode"))
    except ValueError as error:
        raise InvalidInput(N_("unknown procedure %(mode)s"), mode=str(error)) from None
    deadline = _deadline(play, args.pop("deadline_in", None))
    play.round = operations.open_round(
        play.session, actor, play.document.id, mode=mode, deadline=deadline, **args
    )


def _position(play: Play, actor: User, args: dict) -> None:
    operations.record_position(play.session, actor, play.current_round().id, **args)


def _close_round(play: Play, actor: User, args: dict) -> None:
    operations.close_round(play.session, actor, play.current_round().id, **args)


def _instrument(play: Play, actor: User, args: dict) -> None:
    args = dict(args)
    deposited_on = _deposited(play, args.pop("deposited"))
    operations.record_instrument(
        play.session,
        actor,
        play.document.id,
        participant=args["participant"],
        kind=InstrumentKind(args["kind"]),
        deposited_on=deposited_on,
    )


def _propose_changes(play: Play, actor: User, args: dict) -> None:
    operations.propose_changes(play.session, actor, play.document.id, list(args["changes"]))


def _translation(play: Play, actor: User, args: dict) -> None:
    operations.declare_translation(play.session, actor, play.document.id, **args)


# Each step: what it does, its required and optional keys (besides `do` and `by`).
STEPS: dict[str, tuple[Callable[[Play, User, dict], None], frozenset, frozenset]] = {
    "add_version": (_add_version, frozenset({"texts"}), frozenset({"note", "circulate_unchanged"})),
    "fire": (_fire, frozenset({"trigger"}), frozenset({"comment", "params", "taken_on"})),
    "open_round": (
        _open_round,
        frozenset({"mode"}),
        frozenset({"deadline_in", "timezone", "on_consensus"}),
    ),
    "position": (
        _position,
        frozenset({"participant", "kind"}),
        frozenset({"text", "amendment", "reference", "statement_kind"}),
    ),
    "close_round": (_close_round, frozenset(), frozenset({"note", "taken_on", "on_consensus"})),
    "instrument": (_instrument, frozenset({"participant", "kind", "deposited"}), frozenset()),
    "propose_changes": (_propose_changes, frozenset({"changes"}), frozenset()),
    "translation": (_translation, frozenset({"language", "text"}), frozenset({"note"})),
}


def play_document(
    session: Session,
    users: dict[str, User],
    scripted: ScriptedDocument,
    on_step: Callable[[int], None] | None = None,
) -> Document:
    """Create the document and take it through its steps; `on_step(i)` before each step
    (the caller names the step in its errors)."""
    arguments = dict(scripted.fields)
    if "fields" in arguments:
        arguments["fields"] = {
            name: _relative_date(session, value) for name, value in arguments["fields"].items()
        }
    document = operations.create_document(session, users[scripted.by], **arguments)
    play = Play(session, document, times.now_utc())
    for index, step in enumerate(scripted.steps):
        if on_step is not None:
            on_step(index)
        STEPS[step.do][0](play, users[step.by], step.args)
    return document
