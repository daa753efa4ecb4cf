"""Consensus rounds: opening, positions, closing by rule, extension, expiry.

Consensus is the absence of a standing objection. Meeting rounds are closed by
the secretariat (one the definition lets have a deadline lapses if still open at it); silence rounds end at the deadline or at the first objection;
written rounds end when the last state consents, at the first objection, or
lapse at the deadline. A closed round fires its definition's trigger as the system.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from models import (
    Body,
    BodySeat,
    GroupMember,
    OutcomeKind,
    Participant,
    ParticipantGroup,
    ParticipantKind,
    ParticipantStatus,
    Position,
    Round,
    RoundElector,
    RoundMode,
    RoundStatus,
    User,
)
from models.kinds import KindOfPosition
from workflow import audit, closing, confirmations, custom_fields, due_actions, kinds, notes, times
from workflow.acts import act_date
from workflow.change import Change, document_change, flush, round_change
from workflow.engine import definition_for, fire
from workflow.errors import (
    N_,
    DefinitionError,
    GuardFailed,
    InvalidInput,
    NotFound,
    NotPermitted,
    RoundClosed,
    abbreviated,
    named,
)
from workflow.permissions import require_secretariat
from workflow.summaries import closing_summary


def _body_label(session: Session, code: str) -> str:
    """The body of `code` as a message names it in each language (the code, if unknown)."""
    body = session.scalar(select(Body).where(Body.code == code))
    return abbreviated(body) if body is not None else code


def electorate(
    session: Session,
    body: Body,
    *,
    exclude_id: int | None = None,
    exclude_also: int | None = None,
    group: ParticipantGroup | None = None,
) -> list[Participant]:
    """Members seated in the body now (of `group` only, when given); never the
    document's applicant, nor `exclude_also` (the state concerned, under consensus minus one)."""
    query = select(Participant).where(
        Participant.status == ParticipantStatus.MEMBER, Participant.kind == ParticipantKind.STATE
    )
    if not body.all_members_sit:
        query = query.join(BodySeat, BodySeat.participant_id == Participant.id).where(
            BodySeat.body_id == body.id
        )
    if group is not None:
        query = query.join(GroupMember, GroupMember.participant_id == Participant.id).where(
            GroupMember.group_id == group.id
        )
    for excluded in (exclude_id, exclude_also):
        if excluded is not None:
            query = query.where(Participant.id != excluded)
    return list(session.scalars(query.order_by(Participant.code)))


def _round_electorate(session: Session, definition, spec, document, body) -> list[Participant]:
    """The electorate the definition's rule gives for this round (fixed at opening)."""
    rule, argument = spec.electorate_rule
    key = f"states.{document.state}.round.electorate"
    if rule == "group":
        group = session.scalar(select(ParticipantGroup).where(ParticipantGroup.code == argument))
        if group is None:
            raise DefinitionError(
                definition.path, key, f"unknown group {argument!r} in the loaded profile"
            )
        return electorate(session, body, exclude_id=document.applicant_id, group=group)
    if rule == "all_except":
        concerned = custom_fields.participant_id(session, document, argument)
        if concerned is None:
            raise GuardFailed(
                "electorate",
                N_("%(symbol)s names no state concerned (%(field)s): the round cannot open"),
                symbol=document.symbol,
                field=argument,
            )
        return electorate(session, body, exclude_id=document.applicant_id, exclude_also=concerned)
    return electorate(session, body, exclude_id=document.applicant_id)


def _deadline(session: Session, deadline: datetime, timezone: str | None) -> tuple[datetime, str]:
    zone_name = timezone or times.forum(session).timezone
    times.zone(zone_name)  # unknown zone -> InvalidInput
    moment = times.to_utc(deadline, zone_name)
    if moment <= times.now_utc():
        raise InvalidInput(N_("the deadline must be in the future"))
    return moment, zone_name


def open_round(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    mode: RoundMode,
    deadline: datetime | None = None,
    timezone: str | None = None,
    expected_lock_version: int | None = None,
    on_consensus: str | None = None,
) -> Round:
    """Open the round of the document's current state. `on_consensus`: where the definition
    offers the body several decisions, the one put to it (default: the first)."""
    require_secretariat(actor, "open a round")
    try:
        mode = RoundMode(mode)
    except ValueError:
        raise InvalidInput(N_("unknown mode %(mode)s"), mode=repr(mode)) from None
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        document = change.document
        definition = definition_for(document)
        spec = definition.round_spec(document.state)
        if spec is None:
            raise GuardFailed(
                "round",
                N_("%(symbol)s is %(state)s: no body decides on it now"),
                symbol=document.symbol,
                state=document.state,
            )
        if mode not in spec.modes:
            modes = ", ".join(m.value for m in spec.modes)
            raise InvalidInput(
                N_("the %(body)s decides on this in %(modes)s mode only"),
                body=_body_label(session, spec.body),
                modes=modes,
            )
        already = session.scalar(
            select(Round.id).where(
                Round.document_id == document.id, Round.status == RoundStatus.OPEN
            )
        )
        if already is not None:
            raise GuardFailed(
                "round",
                N_("round %(already)s on %(symbol)s is still open"),
                already=already,
                symbol=document.symbol,
            )
        waiting = confirmations.awaiting(session, document.id)
        if waiting is not None:
            raise GuardFailed(
                "round",
                N_("round %(waiting)s on %(symbol)s awaits capitals' confirmations"),
                waiting=waiting.id,
                symbol=document.symbol,
            )
        question = on_consensus or spec.on_consensus
        if question not in spec.consensus_triggers:
            raise InvalidInput(
                N_("on_consensus: the %(body)s may decide here %(values)s, not %(question)s"),
                body=_body_label(session, spec.body),
                values=" or ".join(spec.consensus_triggers),
                question=repr(question),
            )
        version = document.current_version
        if version is None:
            raise GuardFailed(
                "has_version", N_("%(symbol)s has no text to decide on"), symbol=document.symbol
            )
        body = session.scalar(select(Body).where(Body.code == spec.body))
        if body is None:
            raise DefinitionError(
                definition.path,
                f"states.{document.state}.round.body",
                f"unknown body {spec.body!r} in the loaded profile",
            )
        deadline_at = zone_name = None
        if mode is RoundMode.MEETING:
            if deadline is not None and not spec.meeting_deadline:
                raise InvalidInput(N_("a meeting round has no deadline: the chair closes it"))
            if deadline is not None:
                deadline_at, zone_name = _deadline(session, deadline, timezone)
        elif deadline is None:
            raise InvalidInput(N_("a %(mode)s procedure needs a deadline"), mode=mode.value)
        else:
            deadline_at, zone_name = _deadline(session, deadline, timezone)
        states = _round_electorate(session, definition, spec, document, body)
        if not states:
            raise GuardFailed(
                "electorate", N_("no member sits in the %(body)s"), body=abbreviated(body)
            )

        round_ = Round(
            document=document,
            version=version,
            body=body,
            document_state=document.state,
            mode=mode,
            status=RoundStatus.OPEN,
            opened_at=times.now_utc(),
            opened_by=actor,
            deadline_at=deadline_at,
            deadline_timezone=zone_name,
            electors=[RoundElector(participant=state) for state in states],
            on_consensus=question,
        )
        session.add(round_)
        flush(session)
        due_actions.schedule_round_deadline(session, round_)
        change.record(
            "round_opened",
            version_number=version.number,
            data={
                "round_id": round_.id,
                "body": body.code,
                "mode": mode.value,
                "deadline": deadline_at.isoformat() if deadline_at else None,
                "timezone": zone_name,
                "electorate": [state.code for state in states],
                "on_consensus": question,
            },
        )
    return round_


def _conclude(
    change: Change,
    round_: Round,
    outcome: OutcomeKind,
    *,
    note: str = "",
    decided_on: date | None = None,
) -> None:
    """Close the round with `outcome` (an act of its body on `decided_on`, default today),
    then fire its state's trigger for that outcome."""
    decided_on = decided_on or times.today(change.session)
    subject_to_capitals = (
        closing_summary(change.session, round_.id).ad_referendum
        if outcome is OutcomeKind.CONSENSUS
        else []
    )
    if subject_to_capitals:
        closing.close(change, round_, OutcomeKind.AD_REFERENDUM, note=note, decided_on=decided_on)
        confirmations.begin(change, round_, subject_to_capitals, decided_on)
        return  # the document waits for the capitals' confirmations
    closing.close(change, round_, outcome, note=note, decided_on=decided_on)
    document = change.document
    spec = definition_for(document).round_spec(round_.document_state)
    if spec is None or document.state != round_.document_state:
        return  # defensive: the document moved on without voiding this round
    trigger = (
        confirmations.consensus_trigger(round_)
        if outcome is OutcomeKind.CONSENSUS
        else spec.on_failure
    )
    fire(
        change,
        trigger,
        comment=notes.note(
            notes.ROUND_CONCLUDED,
            body=round_.body.code,
            round=str(round_.id),
            outcome=outcome.value.replace("_", " "),
        ),
        as_system=True,
    )


# The state, its seat in the round's electorate and its current position (built once).
_STATE_SEAT_AND_POSITION = (
    select(Participant, RoundElector.id, Position)
    .outerjoin(
        RoundElector,
        and_(
            RoundElector.participant_id == Participant.id,
            RoundElector.round_id == bindparam("round_id"),
        ),
    )
    .outerjoin(
        Position,
        and_(
            Position.participant_id == Participant.id,
            Position.round_id == bindparam("round_id"),
            Position.is_current,
        ),
    )
    .where(Participant.code == bindparam("code"))
    .execution_options(populate_existing=True)
)


def record_position(
    session: Session,
    actor: User | None,
    round_id: int,
    *,
    participant: str,
    kind: str,
    text: str = "",
    amendment: str = "",
    reference: str = "",
    statement_kind: str = "",
    channel: str | None = None,
) -> Position:
    """`kind`: a code of the forum's kinds of position. `channel`: how it arrived, among the
    forum's channels of whoever records it (the delegate's, the Secretariat's); its first
    one if not given. `statement_kind`: the kind of statement its text is, of the
    definition's [[statement_kinds]] (e.g. interpretative); only with a text."""
    if actor is None or not actor.active:
        raise NotPermitted(N_("a position is recorded by a delegate, or by the Secretariat"))
    text, amendment, reference = (
        (text or "").strip(),
        (amendment or "").strip(),
        (reference or "").strip(),
    )
    statement_kind = (statement_kind or "").strip()

    with round_change(session, actor, round_id, touches_document=False) as change:
        # Checked once the lock has read the forum's kinds with the document (no query).
        kind = _position_kind(session, kind, text, amendment, statement_kind)
        round_ = change.round
        if not round_.is_open:
            raise RoundClosed()
        if statement_kind:
            definition = definition_for(round_.document)
            if definition.statement_kind(statement_kind) is None:
                known = ", ".join(k.code for k in definition.statement_kinds) or "—"
                raise InvalidInput(
                    N_("unknown kind of statement %(statement_kind)s (known: %(known)s)"),
                    statement_kind=repr(statement_kind),
                    known=known,
                )
        now = times.now_utc()
        if round_.deadline_at is not None and now >= round_.deadline_at:
            raise RoundClosed(
                N_("round closed: its deadline passed at %(deadline_at)s UTC"),
                deadline_at=format(round_.deadline_at, "%Y-%m-%d %H:%M"),
            )
        # The state, its seat in the electorate and its current position, in one query; no
        # row lock on the position: every writer of this round holds its document's lock.
        found = session.execute(
            _STATE_SEAT_AND_POSITION,
            {"round_id": round_.id, "code": participant.strip().upper()},
        ).first()
        if found is None:
            raise InvalidInput(
                N_("unknown participant %(participant)s"), participant=repr(participant)
            )
        state, elector, previous = found
        if elector is None:
            raise NotPermitted(
                N_("%(state)s is not in the electorate of this round"), state=named(state)
            )
        if actor.speaks_for(state):
            channel = kinds.entry_channel(session, "delegate", channel)
        elif actor.is_secretariat:
            channel = kinds.entry_channel(session, "secretariat", channel)
            if channel.requires_reference and not reference:
                if channel.code == "note_verbale":
                    raise InvalidInput(
                        N_(
                            "recording %(state)s's position on its behalf needs the reference of its note verbale"
                        ),
                        state=named(state),
                    )
                raise InvalidInput(
                    N_("recording %(state)s's position by %(channel)s needs its reference"),
                    state=named(state),
                    channel=channel.code.replace("_", " "),
                )
        else:
            raise NotPermitted(
                N_("only delegates of %(state)s may record its position"), state=named(state)
            )

        position = _write_position(
            session,
            round_,
            previous,
            participant_id=state.id,
            kind=kind.code,
            text=text,
            amendment=amendment,
            channel=channel.code,
            reference=reference,
            statement_kind=statement_kind,
            entered_by_id=actor.id,
            recorded_at=now,
        )
        change.record(
            "position_recorded",
            version_number=round_.version.number,
            comment=text,
            data={
                "round_id": round_.id,
                "position_id": position.id,
                "participant": state.code,
                "kind": kind.code,
                "channel": channel.code,
                "reference": reference,
                "amendment": amendment,
                "replaces": previous.kind if previous is not None else None,
                **({"statement_kind": statement_kind} if statement_kind else {}),
            },
        )

        if kind.blocks and round_.mode is RoundMode.SILENCE:
            _conclude(
                change,
                round_,
                OutcomeKind.SILENCE_BROKEN,
                note=notes.note(notes.SILENCE_BROKEN, state=state.code),
            )
        elif round_.mode is RoundMode.WRITTEN:
            if kind.blocks:
                _conclude(
                    change,
                    round_,
                    OutcomeKind.NO_CONSENSUS,
                    note=notes.note(notes.OBJECTION, state=state.code),
                )
            elif _everyone_consents(session, round_):
                _conclude(
                    change,
                    round_,
                    OutcomeKind.CONSENSUS,
                    note=notes.note(notes.EVERY_STATE_ANSWERED),
                )
    return position


# A position is written as plain SQL rather than through the session's unit of work: it
# is the most frequent write, and nothing it touches is held as a changed object.
_positions = Position.__table__
_INSERT_POSITION = insert(_positions).returning(_positions.c.id)
_RETIRE_POSITION = (
    update(_positions).where(_positions.c.id == bindparam("id_")).values(is_current=False)
)


def _write_position(
    session: Session, round_: Round, previous: Position | None, **values
) -> Position:
    """Un-mark the state's previous position (the partial unique index allows one current
    row per state and round), insert the new one; returns it, in the session."""
    if previous is not None:
        session.execute(_RETIRE_POSITION, {"id_": previous.id})
        set_committed_value(previous, "is_current", False)
    values.update(round_id=round_.id, is_current=True)
    position = Position(id=session.execute(_INSERT_POSITION, values).scalar_one(), **values)
    make_transient_to_detached(position)  # as if loaded: persistent, with nothing to flush
    session.add(position)
    # Written beside the ORM: collections read since the lock would miss it.
    session.expire(round_, ["positions", "current_positions"])
    return position


# The refusal of a kind of statement without a text (the web shows it by the kind's field).
STATEMENT_KIND_WITHOUT_TEXT = N_("a kind of statement goes with the statement's text")


def _position_kind(
    session: Session, code: str, text: str, amendment: str, statement_kind: str
) -> KindOfPosition:
    """The forum's kind of position `code`, checked against what comes with it."""
    kind = kinds.position_kinds(session).get(str(code or ""))
    if kind is None:
        raise InvalidInput(N_("unknown kind of position %(kind)s"), kind=repr(code))
    if kind.requires_text and not text:
        raise InvalidInput(
            N_(
                "%(kind)s needs its text (the statement, the reservation or the grounds of the objection)"
            ),
            kind=kind.code.replace("_", " "),
        )
    if amendment and not kind.blocks:
        raise InvalidInput(N_("a proposed amendment goes with an objection"))
    if statement_kind and not text:
        raise InvalidInput(STATEMENT_KIND_WITHOUT_TEXT)
    return kind


# Built once: it runs after every position in a written round.
_EVERYONE_CONSENTS = select(
    select(func.count())
    .where(
        Position.round_id == bindparam("round_id"),
        Position.is_current,
        Position.kind.not_in(bindparam("blocking", expanding=True)),
    )
    .scalar_subquery()
    == select(func.count()).where(RoundElector.round_id == bindparam("round_id")).scalar_subquery()
)


def _everyone_consents(session: Session, round_: Round) -> bool:
    return bool(
        session.scalar(
            _EVERYONE_CONSENTS, {"round_id": round_.id, "blocking": kinds.blocking(session)}
        )
    )


def close_round(
    session: Session,
    actor: User | None,
    round_id: int,
    *,
    note: str = "",
    taken_on: date | str | None = None,
    on_consensus: str | None = None,
) -> Round:
    """The chair's close of a meeting round: consensus unless an objection stands.
    `taken_on`: the day of the meeting, when it is entered afterwards. `on_consensus`: what
    the meeting decided where the definition offers several (a grant, or a recommendation)."""
    require_secretariat(actor, "close a round")
    with round_change(session, actor, round_id) as change:
        round_ = change.round
        if not round_.is_open:
            raise RoundClosed()
        decided_on = act_date(session, actor, change.document, taken_on)
        if on_consensus is not None:
            spec = definition_for(change.document).round_spec(round_.document_state)
            if on_consensus not in spec.consensus_triggers:
                raise InvalidInput(
                    N_(
                        "on_consensus: the %(body)s may decide here %(values)s, not %(on_consensus)s"
                    ),
                    body=abbreviated(round_.body),
                    values=" or ".join(spec.consensus_triggers),
                    on_consensus=repr(on_consensus),
                )
            round_.on_consensus = on_consensus
        if round_.mode is not RoundMode.MEETING:
            raise InvalidInput(
                N_("a %(mode)s procedure ends by its rules (deadline or objection), not by hand"),
                mode=round_.mode.value,
            )
        if round_.deadline_at is not None and times.now_utc() >= round_.deadline_at:
            raise GuardFailed(
                "deadline",
                N_("round closed: its deadline passed at %(deadline_at)s UTC"),
                deadline_at=format(round_.deadline_at, "%Y-%m-%d %H:%M"),
            )
        objected = closing_summary(session, round_.id).blocked
        outcome = OutcomeKind.NO_CONSENSUS if objected else OutcomeKind.CONSENSUS
        _conclude(change, round_, outcome, note=(note or "").strip(), decided_on=decided_on)
    return round_


def extend_deadline(
    session: Session,
    actor: User | None,
    round_id: int,
    *,
    new_deadline: datetime,
    reason: str,
    timezone: str | None = None,
) -> Round:
    require_secretariat(actor, "extend a deadline")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(N_("an extension needs a reason"))
    with round_change(session, actor, round_id) as change:
        round_ = change.round
        if not round_.is_open:
            raise RoundClosed()
        if round_.deadline_at is None:
            raise InvalidInput(N_("a meeting round has no deadline to extend"))
        if times.now_utc() >= round_.deadline_at:
            raise GuardFailed(
                "deadline", N_("the deadline has passed: it can no longer be extended")
            )
        moment, zone_name = _deadline(session, new_deadline, timezone or round_.deadline_timezone)
        if moment <= round_.deadline_at:
            raise InvalidInput(N_("the new deadline must be later than the current one"))
        previous = round_.deadline_at
        round_.deadline_at, round_.deadline_timezone = moment, zone_name
        round_.deadline_revision += 1
        due_actions.move_for_round(session, round_, moment)
        change.record(
            "deadline_extended",
            version_number=round_.version.number,
            comment=reason,
            data={
                "round_id": round_.id,
                "from": previous.isoformat(),
                "to": moment.isoformat(),
                "timezone": zone_name,
            },
        )
    return round_


def expire_round(session: Session, round_id: int, *, now: datetime | None = None) -> Round | None:
    """For the scheduler: end a round whose deadline passed (silence, written, or a meeting
    given one). Idempotent."""
    now = now or times.now_utc()
    if now.tzinfo is None:
        raise ValueError("expire_round needs an aware datetime")
    try:
        with round_change(session, None, round_id, actor_label=audit.SCHEDULER) as change:
            round_ = change.round
            if not round_.is_open or round_.deadline_at is None or now < round_.deadline_at:
                change.skip()
                return None
            if round_.mode is RoundMode.SILENCE:
                objected = closing_summary(session, round_.id).blocked
                outcome = OutcomeKind.SILENCE_BROKEN if objected else OutcomeKind.CONSENSUS
            else:  # written, or a meeting given a deadline: still open at it, it lapses
                outcome = OutcomeKind.LAPSED
            # The act is the deadline's, whenever the scheduler gets to it.
            deadline_day = round_.deadline_at.astimezone(times.forum_zone(session)).date()
            _conclude(
                change,
                round_,
                outcome,
                note=notes.note(notes.DEADLINE_REACHED),
                decided_on=deadline_day,
            )
    except NotFound:
        return None
    return round_
