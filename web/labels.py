"""The words the interface uses for the engine's closed vocabularies, in one place."""

from __future__ import annotations

from models import EntryChannel, OutcomeKind, PositionKind, RoundMode

POSITION_LABELS = {
    PositionKind.CONSENT: "Consent",
    PositionKind.CONSENT_WITH_STATEMENT: "Consent with statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.STAND_ASIDE: "Stands aside",
    PositionKind.OBJECTION: "Objection",
}
# What a delegate chooses on the position form.
POSITION_CHOICES = {
    PositionKind.CONSENT: "Consent",
    PositionKind.CONSENT_WITH_STATEMENT: "Consent with an interpretative statement",
    PositionKind.RESERVATION: "Consent with a formal reservation",
    PositionKind.STAND_ASIDE: "Stand aside",
    PositionKind.OBJECTION: "Object",
}
# The text a position of this kind needs.
TEXT_LABELS = {
    PositionKind.CONSENT_WITH_STATEMENT: "Interpretative statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.OBJECTION: "Grounds of objection",
}
OUTCOME_LABELS = {
    OutcomeKind.CONSENSUS: "Consensus",
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
