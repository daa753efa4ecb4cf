"""Writing the outbox: who is told of a change, written in the change's own transaction.

The change frame (workflow.change) calls `write_for_change` as it finishes, before its
flush: the rows commit or roll back with the change. Each audit event of the change
may tell someone something:

- a round opened: the active delegates of every state in its electorate, and observer
  delegates who asked for it (if the round is one observers may see);
- a position recorded on a state's behalf (a note verbale): that state's delegates;
- a silence broken: the electorate, the document's coordinators and the Secretariat;
- a round closed: the electorate and the coordinators, with the outcome and the texts;
- a deadline extended: the delegates of states that have not answered, and the coordinators;
- a document sent back for revision: its coordinators;
- a decision adopted: those who follow the document (its coordinators and the electorate
  of the round that adopted it).

Recipients are delegates (of the states concerned, or of the document's coordinating or
proposing state) and the Secretariat, who see every round (workflow.visibility), and
observers who asked, only of rounds they may see: no one learns of a round they may not see. Reminders are written at delivery time
(workflow.mail). All of a change's rows go in one multi-row INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from models import (
    Affiliation,
    AffiliationRole,
    Document,
    Notification,
    NotificationPreference,
    Participant,
    Position,
    PriorityAreaRole,
    Round,
    RoundElector,
    User,
)
from models.notification import CANCELLED, OFF, PENDING
from models.user import who_they_act_for
from workflow import due_actions, kinds, times, visibility
from workflow.errors import N_
from workflow.summaries import summary_read_for_closing

SPEAKING_ROLES = [r for r in AffiliationRole if r.speaks_for_participant]

# The kinds, with how a person names them (the account page's preferences).
ROUND_OPENED = "round_opened"
REMINDER = "reminder"
SILENCE_BROKEN = "silence_broken"
ROUND_CLOSED = "round_closed"
SENT_BACK = "sent_back"
DEADLINE_EXTENDED = "deadline_extended"
ON_BEHALF = "on_behalf"
DECISION_ADOPTED = "decision_adopted"
KINDS = {
    ROUND_OPENED: N_("A round opened"),
    REMINDER: N_("Reminders before a deadline"),
    SILENCE_BROKEN: N_("A silence broken"),
    ROUND_CLOSED: N_("A round closed"),
    DEADLINE_EXTENDED: N_("A deadline extended"),
    ON_BEHALF: N_("A position recorded on your state's behalf"),
    SENT_BACK: N_("A document sent back for revision"),
    DECISION_ADOPTED: N_("A decision adopted"),
}
# These cannot be turned off entirely: a daily digest at most.
ALWAYS_SENT = frozenset({REMINDER, ON_BEHALF})
# E-mails carrying an account's single-use link: sent at once, never in the app's list,
# and the link is wiped from the row once sent.
INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
ACCOUNT_KINDS = {
    INVITATION: N_("An invitation to choose a password"),
    PASSWORD_RESET: N_("A password reset link"),
}
ALL_KINDS = {**KINDS, **ACCOUNT_KINDS}

# Switched off by the benchmark's baseline only.
enabled = True


def delegates_of(session: Session, participant_ids: Iterable[int]) -> list[tuple[int, str | None]]:
    """(user id, language) of the active delegates of these participants."""
    ids = list(set(participant_ids))
    if not ids:
        return []
    return list(
        session.execute(
            select(User.id, User.language)
            .join(Affiliation, Affiliation.user_id == User.id)
            .where(
                User.active.is_(True),
                Affiliation.role.in_(SPEAKING_ROLES),
                Affiliation.participant_id.in_(ids),
            )
            .distinct()
        ).all()
    )


def secretariat(session: Session) -> list[tuple[int, str | None]]:
    return list(
        session.execute(
            select(User.id, User.language)
            .join(Affiliation, Affiliation.user_id == User.id)
            .where(User.active.is_(True), Affiliation.role == AffiliationRole.SECRETARIAT)
            .distinct()
        ).all()
    )


def observers_who_asked(session: Session) -> list[tuple[int, str | None]]:
    """Active observer delegates who chose, on their account page, to hear of rounds opened."""
    return list(
        session.execute(
            select(User.id, User.language)
            .join(Affiliation, Affiliation.user_id == User.id)
            .join(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(
                User.active.is_(True),
                Affiliation.role == AffiliationRole.OBSERVER_DELEGATE,
                NotificationPreference.kind == ROUND_OPENED,
                NotificationPreference.delivery != OFF,
            )
            .distinct()
        ).all()
    )


def coordinating_states(session: Session, document: Document) -> set[int]:
    """The document's coordinator and co-coordinator states, and its proposer."""
    states = set()
    if document.priority_area_id is not None:
        states.update(
            session.scalars(
                select(PriorityAreaRole.participant_id).where(
                    PriorityAreaRole.priority_area_id == document.priority_area_id
                )
            )
        )
    if document.proposer_id is not None:
        states.add(document.proposer_id)
    return states


def electorate_ids(session: Session, round_id: int) -> list[int]:
    return list(
        session.scalars(
            select(RoundElector.participant_id).where(RoundElector.round_id == round_id)
        )
    )


def not_answered_ids(session: Session, round_id: int) -> list[int]:
    answered = select(Position.participant_id).where(
        Position.round_id == round_id, Position.is_current
    )
    return list(
        session.scalars(
            select(RoundElector.participant_id).where(
                RoundElector.round_id == round_id, RoundElector.participant_id.not_in(answered)
            )
        )
    )


def document_payload(document: Document) -> dict[str, Any]:
    return {"symbol": document.symbol, "title": document.title, "title_ru": document.title_ru}


def round_payload(round_: Round) -> dict[str, Any]:
    return {
        **document_payload(round_.document),
        "round_id": round_.id,
        "body": round_.body.code,
        "body_name": round_.body.name_en,
        "body_name_ru": round_.body.name_ru,
        "mode": round_.mode.value,
        "deadline": round_.deadline_at.isoformat() if round_.deadline_at else None,
    }


class Batch:
    """The rows of one change, one per person and kind of notice, inserted together."""

    def __init__(self, session: Session, actor: User | None):
        self.session = session
        self.actor_id = actor.id if actor is not None else None
        self.rows: list[dict[str, Any]] = []
        self._seen: set[tuple[int, str, int | None]] = set()
        self._languages: list[str] | None = None
        self.now = times.now_utc()

    def language(self, preferred: str | None) -> str:
        """The person's language if the forum works in it, else the forum's first."""
        if self._languages is None:
            self._languages = list(times.forum(self.session).languages) or ["en"]
        return preferred if preferred in self._languages else self._languages[0]

    def add(
        self,
        kind: str,
        people: Iterable[tuple[int, str | None]],
        *,
        document_id: int | None,
        round_id: int | None,
        payload: dict[str, Any],
        dedupe_prefix: str | None = None,
    ) -> int:
        """Add a row for each person (not the actor, not twice); returns how many."""
        added = 0
        for user_id, language in people:
            key = (user_id, kind, round_id or document_id)
            if user_id == self.actor_id or key in self._seen:
                continue
            self._seen.add(key)
            self.rows.append(
                {
                    "user_id": user_id,
                    "kind": kind,
                    "document_id": document_id,
                    "round_id": round_id,
                    "payload": payload,
                    "language": self.language(language),
                    "status": PENDING,
                    "attempts": 0,
                    "last_error": "",
                    "next_attempt_at": self.now,
                    "created_at": self.now,
                    "dedupe_key": f"{dedupe_prefix}{user_id}" if dedupe_prefix else None,
                }
            )
            added += 1
        return added

    def write(self) -> int:
        if self.rows:
            # Core, not the ORM's bulk path: one executemany of plain rows.
            self.session.connection().execute(insert(Notification.__table__), self.rows)
            # Wake the scheduler when this commits, as a new deadline does: it delivers
            # at once, not at its next sweep.
            due_actions.announce(self.session)
        return len(self.rows)


def _round(session: Session, data: dict) -> Round | None:
    round_id = (data or {}).get("round_id")
    return session.get(Round, round_id) if round_id is not None else None


def _only_who_sees(
    session: Session, round_: Round, people: list[tuple[int, str | None]]
) -> list[tuple[int, str | None]]:
    """Keep only people who may see the round (workflow.visibility)."""
    if not round_.document.restricted and round_.body.observers_attend:
        return people
    users = session.scalars(
        select(User)
        .where(User.id.in_([p[0] for p in people]))
        .options(who_they_act_for(selectinload))
    )
    allowed = {user.id for user in users if visibility.can_see_round(user, round_)}
    return [p for p in people if p[0] in allowed]


def cancel_reminders(session: Session, round_id: int | None) -> None:
    """A round that closed or was voided needs no reminder still waiting to be sent."""
    if round_id is None:
        return
    session.execute(
        update(Notification)
        .where(
            Notification.round_id == round_id,
            Notification.kind == REMINDER,
            Notification.status == PENDING,
        )
        .values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )


class _AskedOnce:
    """Who to tell, asked once per change: a round's close and the decision it carries go
    to much the same people, and nothing a change writes alters who they are. Answers
    are copied out, so a caller may add to what it gets."""

    def __init__(self, session: Session):
        self.session = session
        self.answers: dict[tuple, Any] = {}

    def _once(self, key: tuple, read):
        if key not in self.answers:
            self.answers[key] = read()
        return self.answers[key]

    def delegates_of(self, participant_ids: Iterable[int]) -> list[tuple[int, str | None]]:
        ids = frozenset(participant_ids)
        return list(self._once(("delegates", ids), lambda: delegates_of(self.session, ids)))

    def electorate_ids(self, round_id: int) -> list[int]:
        closing = summary_read_for_closing(self.session, round_id)
        if closing is not None:  # a closing round's electorate came with its summary
            return [elector.participant_id for elector in closing.round.electors]
        return list(
            self._once(("electorate", round_id), lambda: electorate_ids(self.session, round_id))
        )

    def coordinating_states(self, document: Document) -> set[int]:
        return set(
            self._once(
                ("coordinating", document.id), lambda: coordinating_states(self.session, document)
            )
        )


def write_for_change(change) -> int:
    """Write the notifications of the change's audit events; returns how many rows."""
    if not enabled or not change.events:
        return 0
    session = change.session
    batch = Batch(session, change.actor)
    ask = _AskedOnce(session)
    for event in change.events:
        data = event.data or {}
        action = event.action
        if action == "round_opened":
            round_ = _round(session, data)
            if round_ is None:
                continue
            batch.add(
                ROUND_OPENED,
                ask.delegates_of(ask.electorate_ids(round_.id))
                + _only_who_sees(session, round_, observers_who_asked(session)),
                document_id=round_.document_id,
                round_id=round_.id,
                payload={**round_payload(round_), "timezone": round_.deadline_timezone},
            )
        elif action == "position_recorded" and data.get("channel") in _secretariat_channels(
            session
        ):
            round_ = _round(session, data)
            state = session.scalar(
                select(Participant).where(Participant.code == data.get("participant"))
            )
            if round_ is None or state is None:
                continue
            batch.add(
                ON_BEHALF,
                ask.delegates_of([state.id]),
                document_id=round_.document_id,
                round_id=round_.id,
                payload={
                    **round_payload(round_),
                    "participant": state.code,
                    "position": data.get("kind"),
                    "position_names": _kind_names(session, data.get("kind")),
                    "channel": data.get("channel"),
                    "channel_names": _channel_names(session, data.get("channel")),
                    "reference": data.get("reference", ""),
                    "text": event.comment,
                },
            )
        elif action == "round_voided":
            cancel_reminders(session, data.get("round_id"))
        elif action == "round_closed":
            round_ = _round(session, data)
            if round_ is None:
                continue
            cancel_reminders(session, round_.id)
            people = ask.delegates_of(
                [
                    *ask.electorate_ids(round_.id),
                    *ask.coordinating_states(round_.document),
                ],
            )
            payload = {
                **round_payload(round_),
                "outcome": data.get("outcome"),
                "note": event.comment,
                **{key: data.get(key, []) for key in ("statements", "reservations", "objections")},
            }
            if data.get("outcome") == "silence_broken":
                batch.add(
                    SILENCE_BROKEN,
                    _only_who_sees(session, round_, people + secretariat(session)),
                    document_id=round_.document_id,
                    round_id=round_.id,
                    payload=payload,
                )
            else:
                batch.add(
                    ROUND_CLOSED,
                    _only_who_sees(session, round_, people),
                    document_id=round_.document_id,
                    round_id=round_.id,
                    payload=payload,
                )
        elif action == "deadline_extended":
            round_ = _round(session, data)
            if round_ is None:
                continue
            people = ask.delegates_of(
                [
                    *not_answered_ids(session, round_.id),
                    *ask.coordinating_states(round_.document),
                ],
            )
            batch.add(
                DEADLINE_EXTENDED,
                _only_who_sees(session, round_, people),
                document_id=round_.document_id,
                round_id=round_.id,
                payload={
                    **round_payload(round_),
                    "from": data.get("from"),
                    "timezone": data.get("timezone"),
                    "reason": event.comment,
                },
            )
        elif action == "transition" and change.document is not None:
            document = change.document
            if "revision_required_after" in data:
                batch.add(
                    SENT_BACK,
                    ask.delegates_of(ask.coordinating_states(document)),
                    document_id=document.id,
                    round_id=change.round.id if change.round is not None else None,
                    payload={**document_payload(document), "state": document.state},
                )
            if data.get("decision") and data.get("decision_status") == "final":
                states = ask.coordinating_states(document)
                if change.round is not None:
                    states.update(ask.electorate_ids(change.round.id))
                batch.add(
                    DECISION_ADOPTED,
                    ask.delegates_of(states),
                    document_id=document.id,
                    round_id=change.round.id if change.round is not None else None,
                    payload={**document_payload(document), "decision": data["decision"]},
                )
    return batch.write()


def queue_account_link(session: Session, user: User, kind: str, url: str) -> None:
    """An e-mail carrying `user`'s single-use link, in the same transaction as the link."""
    batch = Batch(session, None)
    batch.add(
        kind, [(user.id, user.language)], document_id=None, round_id=None, payload={"url": url}
    )
    batch.write()


def _secretariat_channels(session: Session) -> list[str]:
    """The channels by which the Secretariat enters a position for a state (models.kinds)."""
    return [c.code for c in kinds.channels(session).entered_by("secretariat")]


def _kind_names(session: Session, code: str | None) -> dict[str, str]:
    """The profile's names of a kind of position; none for a built-in one (the catalogue's)."""
    kind = kinds.position_kinds(session).get(code)
    return dict(kind.names) if kind is not None else {}


def _channel_names(session: Session, code: str | None) -> dict[str, str]:
    """The profile's names of a channel; none for a built-in one (the note verbale)."""
    channel = kinds.channels(session).get(code)
    return dict(channel.names) if channel is not None else {}
