"""The words the interface uses for the engine's closed vocabularies, in one place."""

from __future__ import annotations

from models import (
    ConfirmationStatus,
    DecisionStatus,
    EntryChannel,
    OutcomeKind,
    PositionKind,
    RoundMode,
)

POSITION_LABELS = {
    PositionKind.CONSENT: "Consent",
    PositionKind.CONSENT_WITH_STATEMENT: "Consent with statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.STAND_ASIDE: "Stands aside",
    PositionKind.OBJECTION: "Objection",
    PositionKind.CONSENT_AD_REFERENDUM: "Consent ad referendum",
}
# What a delegate chooses on the position form.
POSITION_CHOICES = {
    PositionKind.CONSENT: "Consent",
    PositionKind.CONSENT_WITH_STATEMENT: "Consent with an interpretative statement",
    PositionKind.RESERVATION: "Consent with a formal reservation",
    PositionKind.STAND_ASIDE: "Stand aside",
    PositionKind.OBJECTION: "Object",
    PositionKind.CONSENT_AD_REFERENDUM: "Consent ad referendum (subject to confirmation by the capital)",
}
# The text a position of this kind needs.
TEXT_LABELS = {
    PositionKind.CONSENT_WITH_STATEMENT: "Interpretative statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.OBJECTION: "Grounds of objection",
}
OUTCOME_LABELS = {
    OutcomeKind.CONSENSUS: "Consensus",
    OutcomeKind.AD_REFERENDUM: "Adopted ad referendum",
    OutcomeKind.NO_CONSENSUS: "No consensus",
    OutcomeKind.SILENCE_BROKEN: "Silence broken",
    OutcomeKind.LAPSED: "Lapsed",
    OutcomeKind.VOID: "Void (text revised)",
}
MODE_LABELS = {
    RoundMode.MEETING: "In session",
    RoundMode.SILENCE: "Silence procedure",
    RoundMode.WRITTEN: "Written procedure",
}
# The deadline filter of lists of open rounds (workflow.queries.DUE_CHOICES).
DUE_LABELS = {
    "overdue": "Overdue",
    "week": "Due within seven days",
    "session": "In session (meetings)",
}
CHANNEL_LABELS = {
    EntryChannel.DELEGATE: "delegate",
    EntryChannel.NOTE_VERBALE: "note verbale",
}
# The form's message when that text is missing.
TEXT_REQUIRED = {
    PositionKind.CONSENT_WITH_STATEMENT: "An interpretative statement is required.",
    PositionKind.RESERVATION: "The text of the reservation is required.",
    PositionKind.OBJECTION: "The grounds of the objection are required.",
}
DECISION_STATUS_LABELS = {
    DecisionStatus.FINAL: "Final",
    DecisionStatus.AD_REFERENDUM: "Ad referendum: awaiting confirmations",
    DecisionStatus.FAILED: "Failed: a consent was withdrawn",
}
CONFIRMATION_LABELS = {
    ConfirmationStatus.PENDING: "Awaited",
    ConfirmationStatus.CONFIRMED: "Confirmed",
    ConfirmationStatus.WITHDRAWN: "Withdrawn",
    ConfirmationStatus.LAPSED: "Stands (period lapsed)",
}
CATALOGUE_CHANGE_LABELS = {
    "add_area": "Add a priority area",
    "rename_area": "Rename a priority area",
    "retire_area": "Retire a priority area",
    "add_measure": "Add a measure",
    "amend_measure": "Amend a measure",
    "retire_measure": "Retire a measure",
}
