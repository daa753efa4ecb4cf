"""A process definition as data: states, rounds, transitions and document rules.

Read from TOML by `workflow.loader`, kept by `workflow.registry`, turned into a
state machine by `workflow.machine` and drawn by `workflow.diagram`. Nothing here
knows about the database or the machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import RoundMode


@dataclass(frozen=True)
class RoundSpec:
    body: str
    modes: tuple[RoundMode, ...]
    # What consensus may lead to; the first unless the Secretariat puts another question
    # to the body (an observer status granted by the SOC, or recommended to the MC).
    consensus_triggers: tuple[str, ...]
    on_failure: str

    @property
    def on_consensus(self) -> str:
        return self.consensus_triggers[0]


@dataclass(frozen=True)
class StateSpec:
    name: str
    title: str
    final: bool = False
    round: RoundSpec | None = None


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    allowed: frozenset[str]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    title: str = ""
    # Cannot be undone (withdraw, record a refusal): interfaces ask before firing it.
    irreversible: bool = False
    # A decision of the body whose round's consensus fires it: numbered, on the register.
    decision: bool = False


@dataclass(frozen=True)
class DocumentRules:
    fields: frozenset[str]
    requires: frozenset[str]
    create: frozenset[str]
    revise: frozenset[str]
    target_bodies: tuple[str, ...] = ()

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


# eq=False: a definition is hashed by identity, so caches (machines, diagrams) key on it.
@dataclass(frozen=True, eq=False)
class Definition:
    kind: str
    version: int
    title: str
    symbol: str
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    document: DocumentRules
    pledges: ActivityRules | None = None
    instruments: ActivityRules | None = None
    description: str = ""
    path: str = ""

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

    def state_title(self, state: str) -> str:
        spec = self.states.get(state)
        return spec.title if spec else state

    def trigger_title(self, state: str, trigger: str) -> str:
        titled = next((t.title for t in self.transitions_from(state, trigger) if t.title), "")
        return titled or trigger.replace("_", " ").capitalize()
