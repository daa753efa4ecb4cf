"""A process definition as data: states, rounds, transitions and document rules.

Read from TOML by `workflow.loader`, kept by `workflow.registry`, turned into a
state machine by `workflow.machine` and drawn by `workflow.diagram`. Nothing here
knows about the database or the machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import RoundMode
from workflow import numbering


def humanize(name: str) -> str:
    """An internal name as a last-resort label: `swg_review` -> "Swg review"."""
    return name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Titles:
    """A label in each language it is given in, e.g. {"en": "Drafting", "ru": "Подготовка"}.

    A language missing falls back to English, then to any given, then to `fallback`.
    """

    pairs: tuple[tuple[str, str], ...] = ()
    fallback: str = ""

    @classmethod
    def of(cls, titles: dict[str, str], fallback: str = "") -> Titles:
        return cls(tuple(sorted(titles.items())), fallback)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(language for language, _ in self.pairs)

    def as_dict(self) -> dict[str, str]:
        return dict(self.pairs)

    def __call__(self, language: str = "en") -> str:
        given = dict(self.pairs)
        return given.get(language) or given.get("en") or next(iter(given.values()), self.fallback)


@dataclass(frozen=True)
class RoundSpec:
    body: str
    modes: tuple[RoundMode, ...]
    # What consensus may lead to; the first unless the Secretariat puts another question
    # to the body (an observer status granted by the SOC, or recommended to the MC).
    consensus_triggers: tuple[str, ...]
    on_failure: str
    # Who decides: "body" (the members seated in it), "all_except:<field>" (those but
    # the participant the document's field names), "group:<CODE>" (those in a profile group).
    electorate: str = "body"
    # A meeting round may be given a deadline when it opens: open past it, it lapses.
    meeting_deadline: bool = False

    @property
    def on_consensus(self) -> str:
        return self.consensus_triggers[0]

    @property
    def electorate_rule(self) -> tuple[str, str]:
        """("body", ""), ("all_except", field) or ("group", code)."""
        rule, _, argument = self.electorate.partition(":")
        return rule, argument


@dataclass(frozen=True)
class StateSpec:
    name: str
    titles: Titles
    final: bool = False
    round: RoundSpec | None = None

    def title(self, language: str = "en") -> str:
        return self.titles(language)


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    allowed: frozenset[str]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    titles: Titles = Titles()
    # Cannot be undone (withdraw, record a refusal): interfaces ask before firing it.
    irreversible: bool = False
    # A decision of the body whose round's consensus fires it: numbered, on the register.
    decision: bool = False

    def title(self, language: str = "en") -> str:
        return self.titles(language) or humanize(self.trigger)


FIELD_TYPES = ("text", "date", "participant", "money", "number", "area")


@dataclass(frozen=True)
class FieldSpec:
    """A field the definition declares for its documents (`[document.custom_fields.<name>]`):
    text, date (YYYY-MM-DD), participant (a code), money (an amount), number (a whole
    number) or area (a priority area's code)."""

    name: str
    type: str
    titles: Titles
    required: bool = False

    def title(self, language: str = "en") -> str:
        return self.titles(language) or humanize(self.name)


@dataclass(frozen=True)
class DeadlineRule:
    """`[document.deadline]`: when the day a date field names has passed and the document
    is still in one of `states`, the scheduler fires `on_expiry` once (a default outcome:
    a mandate not extended in time ends)."""

    field: str
    on_expiry: str
    states: frozenset[str]


@dataclass(frozen=True)
class DocumentRules:
    fields: frozenset[str]
    requires: frozenset[str]
    create: frozenset[str]
    revise: frozenset[str]
    target_bodies: tuple[str, ...] = ()
    custom_fields: tuple[FieldSpec, ...] = ()
    deadline: DeadlineRule | None = None

    def custom_field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.custom_fields if f.name == name), None)

    @property
    def participant_fields(self) -> frozenset[str]:
        """The fields that name a participant: the proposer, the applicant, and declared
        fields of type participant."""
        declared = {f.name for f in self.custom_fields if f.type == "participant"}
        return frozenset(self.fields & {"proposer", "applicant"}) | declared

    @property
    def is_application(self) -> bool:
        """A document about an applicant (observer status, membership): registered by its
        applicant's name."""
        return "applicant" in self.requires


@dataclass(frozen=True)
class ActivityRules:
    """Where and by whom pledges or instruments may be recorded."""

    states: frozenset[str]
    allowed: frozenset[str]
    on_threshold: str = ""  # instruments: trigger fired when the threshold is reached
    on_effective_date: str = ""  # instruments: trigger fired on the entry-into-force date
    days_to_effect: int = 30  # instruments: days from a deposit to its effect


@dataclass(frozen=True)
class StatementKind:
    """`[[statement_kinds]]`: a kind of statement a position's text may be (an interpretative
    statement), with the rule that provides for it and where it is attached."""

    code: str
    titles: Titles
    rule: str = ""
    attach: str = "decision"  # "decision" or "journal"

    def title(self, language: str = "en") -> str:
        return self.titles(language) or humanize(self.code)


# eq=False: a definition is hashed by identity, so caches (machines, diagrams) key on it.
@dataclass(frozen=True, eq=False)
class Definition:
    kind: str
    version: int
    titles: Titles
    symbol: str
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    document: DocumentRules
    pledges: ActivityRules | None = None
    instruments: ActivityRules | None = None
    description: str = ""
    path: str = ""
    statement_kinds: tuple[StatementKind, ...] = ()
    # How its documents are numbered (workflow.numbering): {prefix}, {kind} (the `symbol`
    # code), {n}, {yy}, {yyyy}; without a year the number runs on across years.
    symbol_pattern: str = numbering.DOCUMENT_DEFAULT

    def title(self, language: str = "en") -> str:
        return self.titles(language)

    def statement_kind(self, code: str) -> StatementKind | None:
        return next((k for k in self.statement_kinds if k.code == code), None)

    @property
    def triggers(self) -> list[str]:
        return sorted({t.trigger for t in self.transitions})

    @property
    def final_states(self) -> list[str]:
        return [s.name for s in self.states.values() if s.final]

    @property
    def bodies(self) -> set[str]:
        named = {s.round.body for s in self.states.values() if s.round}
        return named | set(self.document.target_bodies)

    def transitions_from(self, state: str, trigger: str | None = None) -> list[TransitionSpec]:
        return [
            t
            for t in self.transitions
            if state in t.sources and (trigger is None or t.trigger == trigger)
        ]

    def triggers_for(self, state: str, roles: frozenset[str]) -> list[str]:
        """The triggers leaving `state` that one of `roles` may fire (guards not evaluated)."""
        return sorted({t.trigger for t in self.transitions_from(state) if t.allowed & roles})

    def round_spec(self, state: str) -> RoundSpec | None:
        spec = self.states.get(state)
        return spec.round if spec else None

    def state_title(self, state: str, language: str = "en") -> str:
        spec = self.states.get(state)
        return spec.title(language) if spec else humanize(state)

    def state_titles(self, state: str) -> dict[str, str]:
        """The state's label in every language the definition gives."""
        spec = self.states.get(state)
        if spec is None:
            return {"en": humanize(state)}
        return {language: spec.title(language) for language in sorted(self.languages)}

    def trigger_title(self, state: str, trigger: str, language: str = "en") -> str:
        spec = self.transitions_from(state, trigger) or [
            t for t in self.transitions if t.trigger == trigger
        ]
        return spec[0].title(language) if spec else humanize(trigger)

    @property
    def languages(self) -> frozenset[str]:
        """The languages the definition's labels are given in (English at least)."""
        labelled = [self.titles, *(s.titles for s in self.states.values())]
        labelled += [t.titles for t in self.transitions]
        labelled += [f.titles for f in self.document.custom_fields]
        labelled += [k.titles for k in self.statement_kinds]
        return frozenset({"en"}).union(*(t.languages for t in labelled))
