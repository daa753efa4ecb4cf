"""The operations: the only code that changes the record.

Each takes the session and the acting user (None: the system or the scheduler),
checks permission and guards inside one change frame (workflow.change: lock,
check, act, audit, touch, flush); the caller's boundary commits.
"""

from workflow.amendments import propose_changes
from workflow.confirmations import answer as answer_confirmation
from workflow.confirmations import lapse as lapse_confirmations
from workflow.conventions import enter_into_force, record_instrument, record_pledge
from workflow.documents import (
    add_version,
    create_document,
    pass_document_deadline,
    set_fields,
    version_symbol,
)
from workflow.engine import fire_trigger, permitted_triggers
from workflow.participants import register as register_participant
from workflow.rounds import (
    close_round,
    expire_round,
    extend_deadline,
    open_round,
    record_position,
)
from workflow.translations import declare_translation

__all__ = [
    "add_version",
    "answer_confirmation",
    "lapse_confirmations",
    "propose_changes",
    "register_participant",
    "close_round",
    "create_document",
    "declare_translation",
    "enter_into_force",
    "expire_round",
    "extend_deadline",
    "fire_trigger",
    "open_round",
    "pass_document_deadline",
    "permitted_triggers",
    "record_instrument",
    "record_pledge",
    "record_position",
    "set_fields",
    "version_symbol",
]
