"""The words the interface uses for the engine's closed vocabularies, in one place.

Each is a lazy translation: it is put into the reader's language when it is shown.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from models import (
    AffiliationRole,
    ConfirmationStatus,
    DecisionStatus,
    EntryChannel,
    InstrumentKind,
    OutcomeKind,
    PositionKind,
    RoundMode,
)

POSITION_LABELS = {
    PositionKind.CONSENT: lazy_gettext("Consent"),
    PositionKind.CONSENT_WITH_STATEMENT: lazy_gettext("Consent with statement"),
    PositionKind.RESERVATION: lazy_gettext("Reservation"),
    PositionKind.STAND_ASIDE: lazy_gettext("Stands aside"),
    PositionKind.OBJECTION: lazy_gettext("Objection"),
    PositionKind.CONSENT_AD_REFERENDUM: lazy_gettext("Consent ad referendum"),
}
# What a delegate chooses on the position form.
POSITION_CHOICES = {
    PositionKind.CONSENT: lazy_gettext("Consent"),
    PositionKind.CONSENT_WITH_STATEMENT: lazy_gettext("Consent with an interpretative statement"),
    PositionKind.RESERVATION: lazy_gettext("Consent with a formal reservation"),
    PositionKind.STAND_ASIDE: lazy_gettext("Stand aside"),
    PositionKind.OBJECTION: lazy_gettext("Object"),
    PositionKind.CONSENT_AD_REFERENDUM: lazy_gettext(
        "Consent ad referendum (subject to confirmation by the capital)"
    ),
}
# The text a position of this kind needs.
TEXT_LABELS = {
    PositionKind.CONSENT_WITH_STATEMENT: lazy_gettext("Interpretative statement"),
    PositionKind.RESERVATION: lazy_gettext("Reservation"),
    PositionKind.OBJECTION: lazy_gettext("Grounds of objection"),
}
OUTCOME_LABELS = {
    OutcomeKind.CONSENSUS: lazy_gettext("Consensus"),
    OutcomeKind.AD_REFERENDUM: lazy_gettext("Adopted ad referendum"),
    OutcomeKind.NO_CONSENSUS: lazy_gettext("No consensus"),
    OutcomeKind.SILENCE_BROKEN: lazy_gettext("Silence broken"),
    OutcomeKind.LAPSED: lazy_gettext("Lapsed"),
    OutcomeKind.VOID: lazy_gettext("Void (text revised)"),
}
MODE_LABELS = {
    RoundMode.MEETING: lazy_gettext("In session"),
    RoundMode.SILENCE: lazy_gettext("Silence procedure"),
    RoundMode.WRITTEN: lazy_gettext("Written procedure"),
}
# The deadline filter of lists of open rounds (workflow.queries.DUE_CHOICES).
DUE_LABELS = {
    "overdue": lazy_gettext("Overdue"),
    "week": lazy_gettext("Due within seven days"),
    "session": lazy_gettext("In session (meetings)"),
}
CHANNEL_LABELS = {
    EntryChannel.DELEGATE: lazy_gettext("delegate"),
    EntryChannel.NOTE_VERBALE: lazy_gettext("note verbale"),
}
# The form's message when the Secretariat gives no reference for a channel that needs one.
REFERENCE_REQUIRED = {
    EntryChannel.NOTE_VERBALE: lazy_gettext("The note verbale reference is required."),
}
# The label of the text field once a kind of position is chosen (the page's script sets it).
TEXT_FIELD_LABELS = {
    PositionKind.CONSENT: lazy_gettext("Comment (optional)"),
    PositionKind.CONSENT_WITH_STATEMENT: lazy_gettext("Interpretative statement (required)"),
    PositionKind.RESERVATION: lazy_gettext("Text of the reservation (required)"),
    PositionKind.STAND_ASIDE: lazy_gettext("Comment (optional)"),
    PositionKind.OBJECTION: lazy_gettext("Grounds of the objection (required)"),
    PositionKind.CONSENT_AD_REFERENDUM: lazy_gettext("Comment (optional)"),
}
# The form's message when that text is missing.
TEXT_REQUIRED = {
    PositionKind.CONSENT_WITH_STATEMENT: lazy_gettext("An interpretative statement is required."),
    PositionKind.RESERVATION: lazy_gettext("The text of the reservation is required."),
    PositionKind.OBJECTION: lazy_gettext("The grounds of the objection are required."),
}
DECISION_STATUS_LABELS = {
    DecisionStatus.FINAL: lazy_gettext("Final"),
    DecisionStatus.AD_REFERENDUM: lazy_gettext("Ad referendum: awaiting confirmations"),
    DecisionStatus.FAILED: lazy_gettext("Failed: a consent was withdrawn"),
}
CONFIRMATION_LABELS = {
    ConfirmationStatus.PENDING: lazy_gettext("Awaited"),
    ConfirmationStatus.CONFIRMED: lazy_gettext("Confirmed"),
    ConfirmationStatus.WITHDRAWN: lazy_gettext("Withdrawn"),
    ConfirmationStatus.LAPSED: lazy_gettext("Stands (period lapsed)"),
}
CATALOGUE_CHANGE_LABELS = {
    "add_area": lazy_gettext("Add a priority area"),
    "rename_area": lazy_gettext("Rename a priority area"),
    "retire_area": lazy_gettext("Retire a priority area"),
    "add_measure": lazy_gettext("Add a measure"),
    "amend_measure": lazy_gettext("Amend a measure"),
    "retire_measure": lazy_gettext("Retire a measure"),
}
INSTRUMENT_LABELS = {
    InstrumentKind.SIGNATURE: lazy_gettext("Signature"),
    InstrumentKind.RATIFICATION: lazy_gettext("Ratification"),
    InstrumentKind.ACCEPTANCE: lazy_gettext("Acceptance"),
    InstrumentKind.APPROVAL: lazy_gettext("Approval"),
    InstrumentKind.ACCESSION: lazy_gettext("Accession"),
}
ROLE_LABELS = {
    AffiliationRole.HEAD_OF_DELEGATION: lazy_gettext("Head of delegation"),
    AffiliationRole.DELEGATE: lazy_gettext("Delegate"),
    AffiliationRole.ALTERNATE: lazy_gettext("Alternate"),
    AffiliationRole.OBSERVER_DELEGATE: lazy_gettext("Observer delegate"),
    AffiliationRole.SECRETARIAT: lazy_gettext("Secretariat"),
    AffiliationRole.ADMINISTRATOR: lazy_gettext("Administrator"),
}
# Who acted, in the record of actions, when no person did.
ACTOR_LABELS = {
    "system": lazy_gettext("system"),
    "scheduler": lazy_gettext("scheduler"),
}
# The record of actions: what each kind of entry did (a step shows its own title instead).
ACTION_LABELS = {
    "document_created": lazy_gettext("Document created"),
    "version_added": lazy_gettext("Version added"),
    "translation_declared": lazy_gettext("Translation declared"),
    "fields_changed": lazy_gettext("Fields changed"),
    "transition": lazy_gettext("Step taken"),
    "round_opened": lazy_gettext("Round opened"),
    "position_recorded": lazy_gettext("Position recorded"),
    "deadline_extended": lazy_gettext("Deadline extended"),
    "round_closed": lazy_gettext("Round closed"),
    "round_voided": lazy_gettext("Round void"),
    "confirmations_awaited": lazy_gettext("Confirmations awaited"),
    "consent_confirmed": lazy_gettext("Consent confirmed"),
    "consent_withdrawn": lazy_gettext("Consent withdrawn"),
    "ad_referendum_settled": lazy_gettext("Ad referendum decision settled"),
    "instrument_recorded": lazy_gettext("Instrument recorded"),
    "entry_into_force_rescheduled": lazy_gettext("Entry into force rescheduled"),
    "pledge_recorded": lazy_gettext("Pledge recorded"),
    "participant_registered": lazy_gettext("Participant registered"),
    "catalogue_changes_proposed": lazy_gettext("Changes to the Catalogue proposed"),
}
# The fields and step parameters a definition names, as a form calls them.
FIELD_LABELS = {
    "applicant": lazy_gettext("applicant"),
    "priority_area": lazy_gettext("priority area"),
    "proposer": lazy_gettext("proposing state"),
    "budget": lazy_gettext("budget"),
    "target_body": lazy_gettext("body that adopts it"),
    "threshold": lazy_gettext("instruments needed for entry into force"),
    "catalogue_changes": lazy_gettext("changes to the Catalogue"),
    "declaration_signed_on": lazy_gettext("Declaration signed on"),
    "almaty_act_signed_on": lazy_gettext("Founding act signed on"),
}
# Two editions of the Catalogue compared: what became of an area or a measure.
COMPARISON_LABELS = {
    "added": lazy_gettext("Added"),
    "amended": lazy_gettext("Amended"),
    "renamed": lazy_gettext("Renamed"),
    "retired": lazy_gettext("Retired"),
}
