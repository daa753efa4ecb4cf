"""Request and response schemas (pydantic v2): the API validates and documents with these.

Request bodies are strict (no coercion, no unknown keys): what the OpenAPI
description forbids, the API refuses. Every string that reaches the database has
its column's length and no NUL character (PostgreSQL refuses one).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from models import (
    ConfirmationStatus,
    DecisionStatus,
    InstrumentKind,
    OutcomeKind,
    ParticipantKind,
    ParticipantStatus,
    RoundMode,
    RoundStatus,
)

NO_NUL = r"^[^\x00]*$"
EARLIEST_YEAR, LATEST_YEAR = 1990, 2200


def _text(max_length: int, min_length: int = 0, description: str = "") -> Any:
    return Annotated[
        str,
        Field(
            min_length=min_length, max_length=max_length, pattern=NO_NUL, description=description
        ),
    ]


def _code(max_length: int, description: str) -> Any:
    return Annotated[
        str,
        Field(
            min_length=1,
            max_length=max_length,
            pattern=r"^[A-Za-z0-9_-]+$",
            description=description,
        ),
    ]


def _in_calendar(value: date | datetime) -> date | datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# The forum's own codes (its profile's [[position_kinds]] and [[entry_channels]]); the
# OpenAPI description lists the loaded forum's (web.api.openapi).
KindCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="a code of the forum's kinds of position, e.g. consent, objection",
    ),
]
ChannelCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="a code of the forum's entry channels, e.g. delegate, note_verbale",
    ),
]
ParticipantCode = _code(12, "a participant's code (ISO 3166 alpha-3 for a state)")
BodyCode = _code(20, "a body's code, as the forum's profile names it")
AreaCode = _code(20, "a priority area's code")
Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]
TimeZone = Annotated[
    str,
    Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$", description="an IANA time zone"
    ),
]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,8}$")]
LanguageTexts = Annotated[
    dict[Language, _text(200_000, 1)],
    Field(min_length=1, max_length=8, description="the text in each working language"),
]
Moment = Annotated[
    datetime,
    AfterValidator(_in_calendar),
    Field(
        description="RFC 3339; without an offset it is read in `timezone` (default: the forum's)"
    ),
]
Day = Annotated[date, AfterValidator(_in_calendar)]
Amount = Annotated[
    Decimal,
    Field(gt=0, max_digits=14, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"},
            ],
            "description": "an amount in the forum's currency (the profile's forum.currency), "
            "with at most 2 decimals, as a number or a string",
        }
    ),
]
ParamText = _text(20_000)
ParamValue = (
    ParamText
    | Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
    | bool
    | None
    | Annotated[list[ParamText], Field(max_length=100)]
    | Annotated[dict[ParamText, ParamText], Field(max_length=100)]
)


class Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# ---------------------------------------------------------------- requests


FieldValues = dict[Name, str | int | float | None]


class DocumentCreate(Request):
    kind: Name = Field(description="the workflow, see GET /workflows")
    title: _text(300, 1)
    title_ru: _text(300) = Field(
        default="", description="required where Russian is a working language of the forum"
    )
    priority_area: AreaCode | None = None
    proposer: ParticipantCode | None = None
    applicant: ParticipantCode | None = None
    target_body: BodyCode | None = None
    budget: Amount | None = None
    threshold: Annotated[int, Field(ge=1, le=1000)] | None = None
    restricted: bool = False
    texts: LanguageTexts | None = None
    fields: FieldValues | None = Field(
        default=None,
        description="values of the fields the definition declares (document.custom_fields), "
        "by name: text, date YYYY-MM-DD, participant or area code, amount, whole number",
    )
    taken_on: Day | None = Field(
        default=None,
        description="the day it was submitted or received (the Secretariat only; its symbol's "
        "year follows)",
    )


class FieldsChange(Request):
    fields: FieldValues = Field(description="the fields to change, by name; null clears one")


class VersionCreate(Request):
    texts: LanguageTexts
    note: _text(2000) = ""
    circulate_unchanged: bool = Field(
        default=False,
        description="confirms circulating a version that changes one language's text and "
        "leaves another's unchanged (the languages out of step); without it such a version "
        "is refused (422, texts-out-of-step)",
    )


class TranslationDeclare(Request):
    language: Language = Field(description="a working language of the forum")
    text: _text(200_000, 1) = Field(
        description="the text in that language, a translation of the current version's text"
    )
    note: _text(2000) = ""


class RoundOpen(Request):
    mode: RoundMode
    deadline: Moment | None = None
    timezone: TimeZone | None = None
    on_consensus: Name | None = Field(
        default=None,
        description="where the body may decide several things (see the workflow's "
        "consensus_choices), the one put to it",
    )


class TransitionCreate(Request):
    trigger: Name
    comment: _text(4000) = ""
    params: Annotated[dict[Name, ParamValue], Field(max_length=20)] | None = Field(
        default=None, description="the trigger's declared parameters (see the workflow)"
    )
    round: RoundOpen | None = Field(
        default=None, description="open the round of the state the trigger leads to, at once"
    )
    taken_on: Day | None = Field(
        default=None,
        description="the day the act took place, in the forum's calendar (the Secretariat only; "
        "default today; not in the future, not before the document's previous act)",
    )


class RoundClose(Request):
    note: _text(4000) = ""
    taken_on: Day | None = Field(
        default=None,
        description="the day of the meeting, in the forum's calendar (the Secretariat only; "
        "default today; not in the future, not before the document's previous act)",
    )
    on_consensus: Name | None = Field(
        default=None, description="what the meeting decided, where the body may decide several"
    )


class CatalogueChanges(Request):
    changes: Annotated[list[dict[Name, ParamValue]], Field(min_length=1, max_length=200)] = Field(
        description="add_area, rename_area, retire_area, add_measure, amend_measure, "
        "retire_measure (see the README)"
    )


class ParticipantRegister(Request):
    code: ParticipantCode
    kind: ParticipantKind
    name_en: _text(200, 1)
    name_ru: _text(200) = Field(
        default="", description="required where Russian is a working language of the forum"
    )
    taken_on: Day | None = Field(
        default=None, description="the day its application was received (default today)"
    )


class ConfirmationAnswer(Request):
    participant: ParticipantCode
    confirm: bool = Field(description="true: the capital confirms; false: it withdraws its consent")
    text: _text(20_000) = Field(default="", description="the reasons of a withdrawal")
    reference: _text(200) = Field(
        default="", description="the note verbale, when the Secretariat records for a state"
    )


class RoundExtend(Request):
    new_deadline: Moment
    reason: _text(4000, 1)
    timezone: TimeZone | None = None


class PositionCreate(Request):
    participant: ParticipantCode
    kind: KindCode
    text: _text(20_000) = Field(default="", description="statement, reservation or grounds")
    amendment: _text(20_000) = Field(default="", description="proposed text with an objection")
    reference: _text(200) = Field(
        default="", description="the note verbale, when the Secretariat records for a state"
    )
    statement_kind: Name | Literal[""] = Field(
        default="",
        description="the kind of statement the text is, of the definition's statement_kinds "
        "(e.g. interpretative); only with a text",
    )
    channel: ChannelCode | None = Field(
        default=None,
        description=(
            "how the position arrived, among the forum's channels of whoever records it "
            "(a delegate's, or the Secretariat's such as note_verbale); default: the first"
        ),
    )


class InstrumentCreate(Request):
    participant: ParticipantCode
    kind: InstrumentKind
    deposited_on: Day


class PledgeCreate(Request):
    amount: Amount
    donor: ParticipantCode | None = None
    donor_name: _text(200) = ""


AffiliationRole = Literal[
    "delegate",
    "head_of_delegation",
    "alternate",
    "observer_delegate",
    "secretariat",
    "administrator",
]


class AffiliationGiven(Request):
    role: AffiliationRole = Field(
        description="delegate, head_of_delegation and alternate of a participant whose "
        "delegates speak for it, observer_delegate of one that has observer delegates (the "
        "profile's [accounts]); secretariat and administrator with no participant"
    )
    participant: ParticipantCode | None = None


Affiliations = Annotated[list[AffiliationGiven], Field(max_length=50)]
Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+$")]


class UserInvite(Request):
    email: Email
    name: _text(200, 1)
    affiliations: Affiliations = Field(default_factory=list)
    language: Language | None = Field(
        default=None, description="the interface language chosen for the user; null: none"
    )


class UserAction(Request):
    comment: _text(2000) = Field(
        default="", description="why (a note verbale, a withdrawal): kept in the audit trail"
    )


class UserChange(Request):
    name: _text(200, 1) | None = Field(default=None, description="a new name")
    affiliations: Affiliations | None = Field(
        default=None,
        description="the user's delegations and roles, replacing the present ones "
        "(only an administrator grants or withdraws `administrator`)",
    )


# ---------------------------------------------------------------- queries


def _digits(value: Any) -> Any:
    """Query integers are plain decimal digits; anything else stays a string and fails."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value


def _flag(value: Any) -> Any:
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


QueryInt = Annotated[int, BeforeValidator(_digits), Field(strict=True)]
QueryFlag = Annotated[bool, BeforeValidator(_flag), Field(strict=True)]


class DocumentQuery(BaseModel):
    kind: Name | None = None
    state: Name | None = None
    body: BodyCode | None = None
    priority_area: AreaCode | None = None
    proposer: ParticipantCode | None = None
    applicant: ParticipantCode | None = None
    restricted: QueryFlag | None = None
    q: (
        _text(
            200,
            1,
            "words to find in the titles or the current texts, in any working language"
            " (stemmed: 'observers' finds 'observer'), or part of the symbol; best match first",
        )
        | None
    ) = None
    page: Annotated[QueryInt, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[QueryInt, Field(ge=1, le=200)] = 50


Page = Annotated[QueryInt, Field(ge=1, le=100_000)]
PerPage = Annotated[QueryInt, Field(ge=1, le=200)]


class PendingQuery(BaseModel):
    body: BodyCode | None = None
    state: ParticipantCode | None = Field(
        default=None, description="only the positions awaited from this state"
    )
    due: Literal["overdue", "week", "session"] | None = Field(
        default=None,
        description="overdue; falling due within seven days; or meetings (no deadline)",
    )
    page: Page = 1
    per_page: PerPage = 50


class PageQuery(BaseModel):
    page: Page = 1
    per_page: PerPage = 20


class DecisionQuery(BaseModel):
    body: BodyCode | None = None
    year: Annotated[QueryInt, Field(ge=1900, le=2999)] | None = None
    page: Annotated[QueryInt, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[QueryInt, Field(ge=1, le=200)] = 50


class EditionsCompared(BaseModel):
    old: Annotated[QueryInt, Field(ge=1, le=100_000)] = Field(alias="from")
    new: Annotated[QueryInt, Field(ge=1, le=100_000)] = Field(alias="to")


class UserQuery(BaseModel):
    participant: ParticipantCode | None = Field(
        default=None, description="only the delegates and observer delegates of this participant"
    )
    role: AffiliationRole | None = None
    active: QueryFlag | None = Field(
        default=None, description="true: only active; false: only inactive"
    )
    page: Page = 1
    per_page: PerPage = 50


class ParticipantQuery(BaseModel):
    status: ParticipantStatus | None = None
    kind: ParticipantKind | None = None


# ---------------------------------------------------------------- responses


class Affiliation(BaseModel):
    role: str
    participant: str | None


class User(BaseModel):
    id: int
    email: str
    name: str
    active: bool
    timezone: str | None
    language: str | None
    created_at: datetime
    affiliations: list[Affiliation]
    invitation_expires_at: datetime | None = Field(
        description="until when the user's unused invitation link is valid; null: none waits"
    )


class UserPage(BaseModel):
    items: list[User]
    page: int
    per_page: int
    next: str | None = Field(description="the next page's URL; null on the last page")


class Invitation(BaseModel):
    """A single-use link to choose a password: shown here once, stored only as a hash."""

    url: str
    expires_at: datetime


class InvitedUser(BaseModel):
    user: User
    invitation: Invitation


class Me(BaseModel):
    id: int
    email: str
    name: str
    timezone: str | None = Field(description="the user's chosen time zone; null: the forum's")
    language: str | None = Field(description="the user's chosen interface language; null: none")
    is_secretariat: bool
    is_admin: bool
    represents: list[str] = Field(description="states whose position this user may record")
    observes: list[str]
    affiliations: list[Affiliation]


def _labels(what: str):
    return Field(description=f"{what} in each working language, by language code (en, ru, …)")


class StatusPeriod(BaseModel):
    status: ParticipantStatus
    since: date | None
    until: date | None
    note: str


class Participant(BaseModel):
    code: str
    kind: ParticipantKind
    status: ParticipantStatus
    name_en: str
    name_ru: str
    status_history: list[StatusPeriod]


class ParticipantList(BaseModel):
    items: list[Participant]


class Body(BaseModel):
    code: str
    name_en: str
    name_ru: str
    all_members_sit: bool
    observers_attend: bool
    seats: list[str] = Field(description="participants that sit, when not all members do")


class BodyList(BaseModel):
    items: list[Body]


class Dimension(BaseModel):
    code: str
    name_en: str
    name_ru: str


class PriorityArea(BaseModel):
    code: str
    name_en: str
    name_ru: str
    note: str
    dimension: Dimension
    coordinators: list[str]
    co_coordinators: list[str]


class PriorityAreaList(BaseModel):
    items: list[PriorityArea]


class RoundRule(BaseModel):
    body: str
    modes: list[RoundMode]
    on_consensus: str  # what consensus fires unless another question is put to the body
    consensus_choices: list[str]
    on_failure: str


class WorkflowState(BaseModel):
    name: str
    title: str
    titles: dict[str, str] = _labels("the state's title")
    final: bool
    round: RoundRule | None


class WorkflowTransition(BaseModel):
    trigger: str
    title: str
    titles: dict[str, str] = _labels("the step's title")
    sources: list[str]
    dest: str
    allowed: list[str]
    guards: list[str]
    params: list[str]
    irreversible: bool
    decision: bool  # a decision of the body: numbered on its register


class DocumentRules(BaseModel):
    fields: list[str]
    requires: list[str]
    create: list[str]
    revise: list[str]
    target_bodies: list[str]


class ActivityRules(BaseModel):
    states: list[str]
    allowed: list[str]


class WorkflowSummary(BaseModel):
    kind: str
    version: int
    title: str
    titles: dict[str, str] = _labels("the process's title")
    description: str
    initial: str
    final_states: list[str]


class Workflow(WorkflowSummary):
    states: list[WorkflowState]
    transitions: list[WorkflowTransition]
    document: DocumentRules
    pledges: ActivityRules | None
    instruments: ActivityRules | None
    mermaid: str = Field(description="the process as a Mermaid state diagram")


class WorkflowList(BaseModel):
    items: list[WorkflowSummary]


class DocumentSummary(BaseModel):
    id: int
    symbol: str
    kind: str
    title: str
    title_ru: str
    state: str
    state_title: str = Field(description="the state's title in the request's language")
    state_titles: dict[str, str] = _labels("the state's title")
    priority_area: str | None
    proposer: str | None
    applicant: str | None
    target_body: str | None
    restricted: bool
    budget: str | None = Field(
        description="a decimal amount as a string, in the forum's currency (forum.currency)"
    )
    threshold: int | None
    current_version: int | None
    created_at: datetime
    updated_at: datetime
    lock_version: int = Field(
        description="moves with every change of the document itself (not with positions)"
    )


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    page: int
    per_page: int
    total: int


class TextArrival(BaseModel):
    arrived_at: datetime
    declared_by: str | None


class Version(BaseModel):
    number: int  # 1 for the original, n + 1 for Rev.n
    label: str  # "original", "Rev.1", …
    symbol: str  # the document's symbol, with /Rev.n for a revision
    note: str
    created_at: datetime
    created_by: str | None
    texts: dict[str, str]
    arrivals: dict[str, TextArrival] = Field(
        description="for each language's text: when it arrived, and who declared it a "
        "translation of this version (null: it came with the version)"
    )


class Position(BaseModel):
    id: int
    participant: str
    participant_names: dict[str, str] = _labels("the participant's name")
    kind: KindCode
    text: str
    amendment: str
    channel: str = Field(description="delegate, or note_verbale when the Secretariat entered it")
    reference: str
    statement_kind: str | None = Field(
        default=None, description="the kind of statement its text is (the definition's)"
    )
    entered_by: str | None
    recorded_at: datetime
    is_current: bool


class Entry(BaseModel):
    participant: str
    text: str
    channel: str


class ObjectionEntry(Entry):
    amendment: str


class Outcome(BaseModel):
    round_id: int
    body: str
    kind: OutcomeKind
    note: str
    closed_at: datetime | None
    statements: list[Entry] = Field(description="interpretative statements attached")
    reservations: list[Entry]
    objections: list[ObjectionEntry]
    consents: list[str]
    ad_referendum: list[str] = Field(description="consents subject to the capital's confirmation")
    stood_aside: list[str]
    no_position: list[str] = Field(description="states of the electorate that did not answer")


class Confirmation(BaseModel):
    participant: str
    status: ConfirmationStatus
    due_at: datetime
    answered_at: datetime | None
    text: str
    reference: str


class Round(BaseModel):
    id: int
    document_id: int
    version: int
    body: str
    body_names: dict[str, str] = _labels("the body's name")
    document_state: str
    document_state_titles: dict[str, str] = _labels("the title of the state it decides in")
    mode: RoundMode
    status: RoundStatus
    opened_at: datetime
    deadline_at: datetime | None
    deadline_timezone: str | None
    closed_at: datetime | None = Field(description="when the close was entered")
    decided_on: date | None = Field(description="the day of the closing act")
    on_consensus: str | None = Field(description="what consensus fires in this round")
    outcome: Outcome | None
    confirmations: list[Confirmation] = Field(
        description="consents given ad referendum and their capitals' answers"
    )
    electorate: list[str]
    awaiting: list[str] = Field(description="states of the electorate without a position")
    positions: list[Position] = Field(
        description=(
            "the position that counts for each state that answered, in the order recorded; "
            "every position ever recorded, changes included: GET /rounds/{id}/positions"
        )
    )


class PositionPage(BaseModel):
    """Every position recorded in a round, changed ones too, newest first, a page at a time."""

    items: list[Position]
    page: int
    per_page: int
    next: str | None = Field(description="the next page's URL; null on the last page")


class RoundList(BaseModel):
    items: list[Round]
    page: int
    per_page: int
    next: str | None = Field(description="the next page's URL; null on the last page")


class Instrument(BaseModel):
    id: int
    participant: str
    kind: InstrumentKind
    deposited_on: date
    effective_on: date | None
    recorded_at: datetime


class InstrumentList(BaseModel):
    items: list[Instrument]


class Pledge(BaseModel):
    id: int
    donor: str | None
    donor_name: str
    amount: str
    recorded_at: datetime


class PledgeList(BaseModel):
    items: list[Pledge]


class HistoryEvent(BaseModel):
    id: int
    at: datetime = Field(description="when it was entered")
    taken_on: date | None = Field(description="the day of the act it records, if one")
    actor: str
    action: str
    from_state: str | None
    from_state_titles: dict[str, str] | None = _labels("the state left")
    to_state: str | None
    to_state_titles: dict[str, str] | None = _labels("the state reached")
    version_number: int | None
    comment: str
    data: dict[str, Any]


class HistoryPage(BaseModel):
    """A document's history, newest first, a page at a time."""

    items: list[HistoryEvent]
    page: int
    per_page: int
    next: str | None = Field(description="the next page's URL; null on the last page")


class DecisionSummary(BaseModel):
    id: int
    symbol: str
    body: str
    status: DecisionStatus
    taken_on: date
    title: str
    document_id: int
    document_symbol: str
    version: str = Field(description="the symbol of the version adopted")


class Decision(DecisionSummary):
    document_title: str
    trigger: str
    round_id: int | None
    attached: dict[str, Any] = Field(description="statements, reservations, objections")
    confirmation_due_on: date | None
    settled_on: date | None
    entered_at: datetime
    entered_by: str | None


class DecisionPage(BaseModel):
    items: list[DecisionSummary]
    page: int
    per_page: int
    total: int


class Document(DocumentSummary):
    definition_version: int
    proposer_names: dict[str, str] | None = _labels("the proposer's name")
    applicant_names: dict[str, str] | None = _labels("the applicant's name")
    target_body_names: dict[str, str] | None = _labels("the target body's name")
    submitted_on: date | None = Field(description="the day it was submitted or received")
    acted_on: date | None = Field(description="the day of its latest act")
    decisions: list[DecisionSummary]
    attributes: dict[str, Any]
    fields: dict[str, Any] = Field(
        description="the values of the fields its definition declares, by name"
    )
    permitted_triggers: list[str] = Field(description="what the caller may fire now")
    versions: list[Version]
    texts_behind: dict[str, str] = Field(
        description="the languages whose text a later version left unchanged, each with the "
        "version it is unchanged since (e.g. {\"ru\": \"Rev.1\"}); empty while the languages "
        "are in step"
    )
    rounds: list[Round] = Field(
        description="the newest rounds, newest first; every round: /documents/{id}/rounds"
    )
    outcome: Outcome | None = Field(description="how the latest closed round ended")
    instruments: list[Instrument]
    pledges: list[Pledge]
    history: list[HistoryEvent] = Field(
        description="the latest events, oldest first; the whole history: /documents/{id}/history"
    )


class VersionList(BaseModel):
    items: list[Version]


class CatalogueChangeList(BaseModel):
    changes: list[dict[str, Any]]


class Measure(BaseModel):
    code: str
    area: str
    text_en: str
    text_ru: str


class CatalogueEditionSummary(BaseModel):
    number: int
    title: str
    adopted_on: date | None
    decision: str | None = Field(description="the symbol of the decision that adopted it")
    document_id: int | None


class CatalogueEdition(CatalogueEditionSummary):
    dimensions: list[Dimension]
    areas: list[dict[str, Any]]
    measures: list[Measure]
    changes: list[dict[str, Any]] = Field(description="what its amendment changed")


class Catalogue(CatalogueEdition):
    editions: list[CatalogueEditionSummary]


class EditionDifference(BaseModel):
    what: str
    code: str
    change: str
    before: str | None = None
    after: str | None = None


class EditionComparison(BaseModel):
    old: int
    new: int
    differences: list[EditionDifference]


class PendingDecision(BaseModel):
    participant: str = Field(description="the state whose position is awaited")
    round_id: int
    document_id: int
    symbol: str
    title: str
    body: str
    mode: RoundMode
    version: int
    deadline_at: datetime | None


class PendingDecisionList(BaseModel):
    """One page, soonest deadline first; the list is not counted: follow `next` while given."""

    items: list[PendingDecision]
    page: int
    per_page: int
    next: str | None = Field(description="the next page's URL; null on the last page")


class Problem(BaseModel):
    """RFC 9457 problem details, with Concord's extensions."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    allowed_triggers: list[str] | None = Field(
        default=None, description="with a refused trigger: the triggers possible in this state"
    )
    trigger: str | None = None
    state: str | None = None
    guard: str | None = Field(default=None, description="with a failed guard: its name")
    errors: list[dict[str, str]] | None = Field(
        default=None, description="with an invalid request: each field and what is wrong"
    )
