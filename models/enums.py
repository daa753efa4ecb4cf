"""The closed vocabularies of the domain."""

from enum import StrEnum


class ParticipantKind(StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"


class ParticipantStatus(StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"
    PARTNER = "partner"
    APPLICANT = "applicant"
    FORMER = "former"


class AffiliationRole(StrEnum):
    HEAD_OF_DELEGATION = "head_of_delegation"
    DELEGATE = "delegate"
    ALTERNATE = "alternate"
    OBSERVER_DELEGATE = "observer_delegate"
    SECRETARIAT = "secretariat"
    ADMINISTRATOR = "administrator"

    @property
    def speaks_for_participant(self) -> bool:
        """Roles that may record their participant's position."""
        return self in (self.HEAD_OF_DELEGATION, self.DELEGATE, self.ALTERNATE)


class CoordinatorRole(StrEnum):
    COORDINATOR = "coordinator"
    CO_COORDINATOR = "co_coordinator"


class RoundMode(StrEnum):
    MEETING = "meeting"
    SILENCE = "silence"
    WRITTEN = "written"


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class OutcomeKind(StrEnum):
    CONSENSUS = "consensus"
    AD_REFERENDUM = "ad_referendum"  # consensus awaiting capitals' confirmations
    NO_CONSENSUS = "no_consensus"
    SILENCE_BROKEN = "silence_broken"
    LAPSED = "lapsed"
    VOID = "void"


class PositionKind(StrEnum):
    """The built-in kinds of position, a profile's default (models.kinds); the engine reads a
    forum's own kinds and their meaning from its profile, never these properties."""

    CONSENT = "consent"
    CONSENT_WITH_STATEMENT = "consent_with_statement"
    RESERVATION = "reservation"
    STAND_ASIDE = "stand_aside"
    OBJECTION = "objection"
    CONSENT_AD_REFERENDUM = "consent_ad_referendum"  # subject to confirmation by the capital

    @property
    def requires_text(self) -> bool:
        return self in (self.CONSENT_WITH_STATEMENT, self.RESERVATION, self.OBJECTION)

    @property
    def blocks(self) -> bool:
        return self is self.OBJECTION


class EntryChannel(StrEnum):
    """How a position reached the record: the built-in channels, a profile's default."""

    DELEGATE = "delegate"
    NOTE_VERBALE = "note_verbale"  # entered by the secretariat on the state's behalf


class InstrumentKind(StrEnum):
    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"

    @property
    def counts_towards_entry_into_force(self) -> bool:
        return self is not self.SIGNATURE


class DueActionKind(StrEnum):
    SILENCE_EXPIRY = "silence_expiry"
    WRITTEN_LAPSE = "written_lapse"
    ENTRY_INTO_FORCE = "entry_into_force"
    CONFIRMATION_LAPSE = "confirmation_lapse"  # an ad referendum decision becomes final
    MEETING_LAPSE = "meeting_lapse"  # a meeting round given a deadline is still open at it
    DOCUMENT_DEADLINE = "document_deadline"  # a date field passed: the default outcome fires


class DueActionStatus(StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"
    FAILED = "failed"


class DecisionStatus(StrEnum):
    FINAL = "final"
    AD_REFERENDUM = "ad_referendum"  # adopted subject to confirmations still awaited
    FAILED = "failed"  # a consent given ad referendum was withdrawn


class ConfirmationStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # the period ended with no withdrawal: the consent stands
