"""Creating documents and adding versions (the original, then Rev.1, Rev.2, …)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Body,
    Document,
    Forum,
    Participant,
    PriorityArea,
    User,
    Version,
    VersionText,
)
from workflow import audit, confirmations, custom_fields, due_actions, notes, numbering, times
from workflow.accounts import DELEGATES, account_statuses
from workflow.acts import act_date
from workflow.change import document_change, flush, new_document_change
from workflow.closing import void_open_rounds
from workflow.engine import definition_for, fire
from workflow.errors import N_, GuardFailed, InvalidInput, NotPermitted, TextsOutOfStep, named
from workflow.permissions import document_roles, require, roles_for
from workflow.registry import registry
from workflow.spec import Definition

TITLE_MAX = 300
BUDGET_LIMIT = Decimal(10) ** 12
THRESHOLD_LIMIT = 2**31 - 1


def version_symbol(document: Document, version: Version | None = None) -> str:
    """`FORUM/CP/3/25` for the original, `FORUM/CP/3/25/Rev.2` for the second revision."""
    version = version or document.current_version
    return document.symbol + (version.suffix if version else "")


def _texts_behind(versions: Iterable[tuple[int, dict[str, str]]]) -> dict[str, int]:
    """Which languages' texts a later version left behind, from the versions' numbers and
    texts in order: each such language and the number of the version its text last changed in.

    A version that changes some texts and not others leaves the unchanged ones behind (a
    language it leaves out keeps its earlier text); a later version that changes a text left
    behind brings it back in step, and one that changes only texts left behind does not
    put the others behind (it catches up with them).
    """
    known: dict[str, str] = {}  # each language's latest text
    changed_in: dict[str, int] = {}
    behind: set[str] = set()
    for number, texts in versions:
        changed = {language for language, body in texts.items() if known.get(language) != body}
        if changed and not changed <= behind:
            behind |= set(changed_in) - changed
        behind -= changed
        for language in changed:
            changed_in[language] = number
        known.update(texts)
    return {language: changed_in[language] for language in sorted(behind)}


def _history(document: Document) -> list[tuple[int, dict[str, str]]]:
    return [(v.number, {t.language: t.body for t in v.texts}) for v in document.versions]


def texts_behind(document: Document) -> dict[str, int]:
    """The languages out of step in the current version: each, with the number of the version
    its text is unchanged since (empty while every language's text moved together)."""
    return _texts_behind(_history(document))


def texts_left_behind(document: Document, texts: dict[str, str]) -> list[str]:
    """The languages a new version with `texts` would leave out of step."""
    number = (document.current_version.number + 1) if document.versions else 1
    return sorted(_texts_behind([*_history(document), (number, dict(texts))]))


def next_symbol(session: Session, forum: Forum, definition: Definition, day: date) -> str:
    """The definition's symbol pattern (`PREFIX/CODE/n/yy` by default) with the next number:
    per kind and year of `day` (the document's submission), or running on when the pattern
    shows no year.

    Callers hold the numbering lock (PostgreSQL, see `new_document_change`).
    """
    pattern = definition.symbol_pattern
    values = {"prefix": forum.symbol_prefix, "kind": definition.symbol}
    if numbering.shows_year(pattern):
        values |= numbering.year_values(day.year)
    taken = session.scalars(
        select(Document.symbol).where(
            Document.symbol.like(numbering.like_filter(pattern, values), escape="\\")
        )
    )
    number = numbering.highest(pattern, "n", values, list(taken)) + 1
    return numbering.render(pattern, **(numbering.year_values(day.year) | values), n=number)


def _by_code(session: Session, model, code: str, what: str):
    found = session.scalar(select(model).where(model.code == code.strip().upper()))
    if found is None:
        raise InvalidInput(N_("unknown %(what)s %(code)s"), what=what, code=repr(code))
    return found


def _speaking_participant(session: Session, code: str, what: str) -> Participant:
    """A participant whose delegates speak for it (the profile's `[accounts] delegates`)."""
    participant = _by_code(session, Participant, code, what)
    if participant.status not in account_statuses(session, DELEGATES):
        raise InvalidInput(
            N_("the %(what)s must be a participant with delegates; %(participant)s is not"),
            what=what,
            participant=named(participant),
        )
    return participant


def _new_version(
    document: Document, texts: dict[str, str], note: str, actor: User | None, forum: Forum
) -> Version:
    if not isinstance(texts, dict) or not texts:
        raise InvalidInput(N_("a version needs at least one language text"))
    version = Version(
        number=(document.current_version.number + 1) if document.versions else 1,
        note=(note or "").strip(),
        created_by=actor,
        created_at=times.now_utc(),
    )
    for language, body in sorted(texts.items()):
        if language not in forum.languages:
            raise InvalidInput(
                N_("%(language)s is not a working language (%(values)s)"),
                language=repr(language),
                values=", ".join(forum.languages),
            )
        if not isinstance(body, str) or not body.strip():
            raise InvalidInput(N_("the %(language)s text is empty"), language=language)
        if "\x00" in body:  # PostgreSQL refuses NUL characters in text
            raise InvalidInput(
                N_("the %(language)s text contains a NUL character"), language=language
            )
        version.texts.append(
            VersionText(language=language, body=body, arrived_at=version.created_at)
        )
    document.versions.append(version)
    return version


def _title(value: str | None, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        if what == "title":
            raise InvalidInput(N_("a title is required"))
        raise InvalidInput(
            N_("a %(what)s is required (Russian is a working language of the forum)"), what=what
        )
    if len(value) > TITLE_MAX:
        raise InvalidInput(
            N_("the %(what)s is longer than %(title_max)s characters"),
            what=what,
            title_max=TITLE_MAX,
        )
    if "\x00" in value:
        raise InvalidInput(N_("the %(what)s contains a NUL character"), what=what)
    return value


def create_document(
    session: Session,
    actor: User | None,
    *,
    kind: str,
    title: str,
    title_ru: str = "",
    priority_area: str | None = None,
    proposer: str | None = None,
    applicant: str | None = None,
    target_body: str | None = None,
    budget: Decimal | None = None,
    threshold: int | None = None,
    restricted: bool = False,
    texts: dict[str, str] | None = None,
    taken_on: date | str | None = None,
    fields: dict | None = None,
) -> Document:
    """A new document in its workflow's first state, titled in English and, where Russian is
    a working language of the forum, in Russian. `taken_on`: the day it was submitted or
    received, when the Secretariat registers it afterwards (its symbol's year follows).
    `fields`: the values of the fields its definition declares, by name."""
    if actor is None:
        raise NotPermitted(N_("documents are created by a user"))
    definition = registry().get(kind)
    title = _title(title, "title")
    title_ru = _title(title_ru, "Russian title", required="ru" in times.forum(session).languages)
    given = {
        name: value
        for name, value in (
            ("priority_area", priority_area),
            ("proposer", proposer),
            ("applicant", applicant),
            ("target_body", target_body),
            ("budget", budget),
            ("threshold", threshold),
        )
        if value not in (None, "")
    }
    for name in given:
        if name not in definition.document.fields:
            raise InvalidInput(
                N_("a %(title)s has no %(name)s"),
                title=definition.title().lower(),
                name=name.replace("_", " "),
            )
    for name in sorted(definition.document.requires - set(given)):
        raise InvalidInput(
            N_("a %(title)s needs a %(name)s"),
            title=definition.title().lower(),
            name=name.replace("_", " "),
        )

    area = (
        _by_code(session, PriorityArea, priority_area, "priority area") if priority_area else None
    )
    if area is not None and area.retired_in is not None:
        raise InvalidInput(
            N_("the priority area %(area)s left the Catalogue in its edition %(retired_in)s"),
            area=area.code,
            retired_in=area.retired_in,
        )
    proposing = _speaking_participant(session, proposer, "proposer") if proposer else None
    applying = _by_code(session, Participant, applicant, "applicant") if applicant else None
    body = None
    if target_body:
        body = _by_code(session, Body, target_body, "body")
        if body.code not in definition.document.target_bodies:
            allowed = ", ".join(definition.document.target_bodies)
            raise InvalidInput(N_("the target body must be one of %(allowed)s"), allowed=allowed)
    if budget is not None:
        try:
            budget = Decimal(str(budget)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise InvalidInput(N_("not an amount: %(budget)s"), budget=repr(budget)) from None
        if budget <= 0:
            raise InvalidInput(N_("the budget must be positive"))
        if budget >= BUDGET_LIMIT:  # the column holds 12 digits before the point
            raise InvalidInput(
                N_("the budget must be below %(budget_limit)s"),
                budget_limit=format(BUDGET_LIMIT, ","),
            )
    if threshold is not None and (
        not isinstance(threshold, int) or not 1 <= threshold <= THRESHOLD_LIMIT
    ):
        raise InvalidInput(N_("the threshold must be a whole number of instruments, at least 1"))

    declared = custom_fields.clean(session, definition, fields)
    roles = roles_for(actor, priority_area=area, proposer=proposing, applicant=applying)
    require(roles, definition.document.create, f"create a {definition.title().lower()}")

    submitted_on = act_date(session, actor, None, taken_on)
    with new_document_change(session, actor) as change:
        forum = times.forum(session)
        now = times.now_utc()
        document = Document(
            kind=definition.kind,
            definition_version=definition.version,
            symbol=next_symbol(session, forum, definition, submitted_on),
            title=title,
            title_ru=title_ru,
            state=definition.initial,
            priority_area=area,
            proposer=proposing,
            applicant=applying,
            target_body=body,
            restricted=bool(restricted),
            budget=budget,
            threshold=threshold,
            attributes={},
            custom_fields=declared,
            created_by=actor,
            created_at=now,
            updated_at=now,
            submitted_on=submitted_on,
        )
        session.add(document)
        if texts:
            _new_version(document, texts, "", actor, forum)
        flush(session)
        due_actions.align_document_deadline(session, document, definition.document.deadline)
        change.document = document
        change.act_on(submitted_on)
        change.record(
            "document_created",
            from_state=None,
            data={
                "kind": document.kind,
                "symbol": document.symbol,
                "title": title,
                "title_ru": title_ru,
                **({"fields": declared} if declared else {}),
            },
        )
    return document


def add_version(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    texts: dict[str, str],
    note: str = "",
    expected_lock_version: int | None = None,
    circulate_unchanged: bool = False,
) -> Version:
    """A new text; every open round on an earlier text becomes void.

    A version that changes one language's text and not another's (the languages out of
    step) is refused unless `circulate_unchanged` confirms it."""
    if actor is None:
        raise NotPermitted(N_("versions are added by a user"))
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        document = change.document
        _require_revisable(
            actor,
            document,
            f"revise {document.symbol}",
            N_("%(symbol)s is %(state)s: its text can no longer change"),
        )
        waiting = confirmations.awaiting(session, document.id)
        if waiting is not None:
            raise GuardFailed(
                "ad_referendum",
                N_(
                    "%(symbol)s was adopted ad referendum: its text cannot change while capitals' confirmations are awaited"
                ),
                symbol=document.symbol,
            )
        left_behind = texts_left_behind(document, texts) if isinstance(texts, dict) else []
        version = _new_version(document, texts, note, actor, times.forum(session))
        if left_behind and not circulate_unchanged:
            document.versions.remove(version)  # nothing of it stays in the session
            raise TextsOutOfStep(left_behind)
        flush(session)
        data = {"version": version.label, "languages": [t.language for t in version.texts]}
        if left_behind:
            data["unchanged"] = left_behind
        change.record(
            "version_added", version_number=version.number, comment=version.note, data=data
        )
        void_open_rounds(
            change,
            reason=notes.note(notes.SUPERSEDED, version=version.label),
            keep_version_id=version.id,
        )
    return version


def _require_revisable(actor: User, document: Document, what: str, when_final: str) -> Definition:
    """Those who may revise the document, before it reaches a final state; its definition."""
    definition = definition_for(document)
    require(document_roles(actor, document), definition.document.revise, what)
    if definition.states[document.state].final:
        raise GuardFailed("final", when_final, symbol=document.symbol, state=document.state)
    return definition


def set_fields(
    session: Session,
    actor: User | None,
    document_id: int,
    fields: dict,
    *,
    expected_lock_version: int | None = None,
) -> Document:
    """Change the values of the fields the document's definition declares (None or "" clears
    one); those who may revise it may, until it reaches a final state."""
    if actor is None:
        raise NotPermitted(N_("fields are changed by a user"))
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        document = change.document
        definition = _require_revisable(
            actor,
            document,
            f"change the fields of {document.symbol}",
            N_("%(symbol)s is %(state)s: its fields can no longer change"),
        )
        before = dict(document.custom_fields or {})
        after = custom_fields.clean(session, definition, fields, before)
        changed = sorted(
            name for name in set(before) | set(after) if before.get(name) != after.get(name)
        )
        if not changed:
            change.skip()
            return document
        document.custom_fields = after
        due_actions.align_document_deadline(session, document, definition.document.deadline)
        change.record(
            "fields_changed",
            data={"changed": {name: [before.get(name), after.get(name)] for name in changed}},
        )
    return document


def pass_document_deadline(
    session: Session, document_id: int, *, now: datetime | None = None
) -> Document | None:
    """For the scheduler: the day the definition's `[document.deadline]` field names has
    passed with the document still in one of the rule's states: fire `on_expiry` as the
    system. Does nothing (None) when that is no longer so."""
    now = now or times.now_utc()
    with document_change(session, None, document_id, actor_label=audit.SCHEDULER) as change:
        document = change.document
        rule = definition_for(document).document.deadline
        due_at = due_actions.document_deadline_due(session, document, rule)
        if due_at is None or now < due_at:
            change.skip()
            return None
        last_day = date.fromisoformat(document.custom_fields[rule.field])
        fire(
            change,
            rule.on_expiry,
            comment=notes.note(notes.DATE_PASSED, field=rule.field, date=last_day.isoformat()),
            as_system=True,
            now=now,
            # The day after the last; never before the document's latest act.
            taken_on=max(last_day + timedelta(days=1), document.acted_on or last_day),
        )
    return document
