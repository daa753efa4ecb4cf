"""The operations: the only code that changes a document.

Each takes the session and the acting user (None: the system or the scheduler),
checks permission and guards, locks the document, writes one audit event per
change and flushes; the caller's boundary commits.
"""

from workflow.conventions import enter_into_force, record_instrument, record_pledge
from workflow.documents import add_version, create_document, version_symbol
from workflow.engine import fire_trigger, permitted_triggers
from workflow.rounds import (
    Outcome,
    close_round,
    current_positions,
    expire_round,
    extend_deadline,
    open_round,
    record_position,
    round_outcome,
)

__all__ = [
    "Outcome",
    "add_version",
    "close_round",
    "create_document",
    "current_positions",
    "enter_into_force",
    "expire_round",
    "extend_deadline",
    "fire_trigger",
    "open_round",
    "permitted_triggers",
    "record_instrument",
    "record_pledge",
    "record_position",
    "round_outcome",
    "version_symbol",
]
