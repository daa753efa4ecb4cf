"""Participants' status: one function changes it, for the engine's effects and the profile.

Each change closes the open period of the status history and opens a new one; it
returns what it did, for the audit event of the change that called it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models import Participant, ParticipantStatus, ParticipantStatusChange
from workflow import times


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
