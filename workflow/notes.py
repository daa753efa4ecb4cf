"""The notes the engine itself writes into the record (a round's outcome note, the comment of a
step it takes): English in the record, marked so that the interface can show them translated.

Each note is a `Text` made from one of NOTES; `read` finds which note a stored text is and its
values, so a page can put it in the reader's language. A person's comment matches none.
"""

from __future__ import annotations

import re
from functools import cache

from workflow.errors import N_, Text

ROUND_CONCLUDED = N_("%(body)s round %(round)s: %(outcome)s")
SILENCE_BROKEN = N_("silence broken by %(state)s")
OBJECTION = N_("objection by %(state)s")
EVERY_STATE_ANSWERED = N_("every state answered")
DEADLINE_REACHED = N_("the deadline was reached")
CONSENT_WITHDRAWN = N_("consent withdrawn by %(state)s")
EVERY_STATE_CONFIRMED = N_("every state confirmed")
CONFIRMATION_LAPSED = N_("the confirmation period lapsed")
SUPERSEDED = N_("superseded by %(version)s")
DOCUMENT_LEFT = N_("%(trigger)s: the document left %(state)s")
THRESHOLD_REACHED = N_("threshold reached")
IN_FORCE_ON = N_("in force on %(date)s")
OBSERVER_STATUS_GRANTED = N_("observer status granted: %(symbol)s")
ADMITTED = N_("admitted as a member: %(symbol)s")
REGISTERED_APPLICANT = N_("registered as an applicant")
DATE_PASSED = N_("%(field)s passed: %(date)s")

NOTES = (
    ROUND_CONCLUDED,
    SILENCE_BROKEN,
    OBJECTION,
    EVERY_STATE_ANSWERED,
    DEADLINE_REACHED,
    CONSENT_WITHDRAWN,
    EVERY_STATE_CONFIRMED,
    CONFIRMATION_LAPSED,
    SUPERSEDED,
    DOCUMENT_LEFT,
    THRESHOLD_REACHED,
    IN_FORCE_ON,
    OBSERVER_STATUS_GRANTED,
    ADMITTED,
    REGISTERED_APPLICANT,
    DATE_PASSED,
)


def note(message: str, **params: str) -> Text:
    return Text(message, **params)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    def pattern(message: str) -> re.Pattern:
        parts = re.split(r"%\((\w+)\)s", message)
        regex = "".join(
            f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        )
        return re.compile(f"^{regex}$")

    return tuple((message, pattern(message)) for message in NOTES)


def read(text: str | None) -> tuple[str, dict[str, str]] | None:
    """(message, values) of a note the engine wrote, None for anything else."""
    for message, pattern in _patterns():
        if text and (found := pattern.match(text)):
            return message, found.groupdict()
    return None
