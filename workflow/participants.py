"""Participants: registering an applicant, and the one function that changes a status.

`set_status` serves the engine's effects (a grant, an admission) and the profile loader:
it closes the open period of the status history and opens a new one from the date of the
act, and returns what it did for the audit event of the change that called it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Participant, ParticipantKind, ParticipantStatus, ParticipantStatusChange, User
from workflow import notes, times
from workflow.acts import act_date
from workflow.change import forum_change
from workflow.errors import N_, Conflict, InvalidInput
from workflow.permissions import require_secretariat


def set_status(
    participant: Participant, status: ParticipantStatus, *, since: date | None, note: str
) -> dict[str, Any]:
    """Give `participant` the status `status` from `since`; returns the audit record."""
    previous = participant.status
    for period in participant.status_history:
        if period.until is None:
            period.until = since
    participant.status_history.append(
        ParticipantStatusChange(status=status, since=since, note=note, recorded_at=times.now_utc())
    )
    participant.status = status
    return {
        "participant": participant.code,
        "status_from": previous.value if previous is not None else None,
        "status_to": status.value,
        "since": since.isoformat() if since else None,
    }


def register(
    session: Session,
    actor: User | None,
    *,
    code: str,
    kind: ParticipantKind | str,
    name_en: str,
    name_ru: str = "",
    taken_on: date | str | None = None,
) -> Participant:
    """Register a state or an organisation applying to the forum (the Secretariat): it enters
    as an applicant, in no electorate, from the day its application was received."""
    require_secretariat(actor, "register a participant")
    try:
        kind = ParticipantKind(kind)
    except ValueError:
        raise InvalidInput(
            N_("kind: one of %(values)s"), values=", ".join(k.value for k in ParticipantKind)
        ) from None
    code = (code or "").strip().upper()
    if kind is ParticipantKind.STATE:
        if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.countries.get(alpha_3=code) is None:
            raise InvalidInput(
                N_("code: %(code)s is not an ISO 3166 alpha-3 country code"), code=repr(code)
            )
    elif not re.fullmatch(r"[A-Z][A-Z0-9]{1,11}", code):
        raise InvalidInput(N_("code: %(code)s: 2 to 12 capital letters or digits"), code=repr(code))
    names = {}
    russian = "ru" in times.forum(session).languages  # else the Russian name may be left out
    for key, value in (("name_en", name_en), ("name_ru", name_ru)):
        value = (value or "").strip()
        if key == "name_ru" and not value and not russian:
            names[key] = ""
            continue
        if not value or len(value) > 200 or "\x00" in value:
            raise InvalidInput(N_("%(key)s: a name of 1 to 200 characters is required"), key=key)
        names[key] = value
    since = act_date(session, actor, None, taken_on)
    with forum_change(session, actor) as change:
        if session.scalar(select(Participant.id).where(Participant.code == code)) is not None:
            raise Conflict(N_("code: a participant %(code)s is already registered"), code=code)
        participant = Participant(code=code, kind=kind, **names)
        record = set_status(
            participant,
            ParticipantStatus.APPLICANT,
            since=since,
            note=notes.note(notes.REGISTERED_APPLICANT),
        )
        session.add(participant)
        session.flush()
        change.act_on(since)
        change.record("participant_registered", data={"kind": kind.value, **names, **record})
    return participant
