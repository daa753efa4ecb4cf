"""Workflow definitions: TOML files loaded, validated and turned into one machine each.

A definition is data (config/workflows/*.toml, schema in config/workflows/README.md).
Each becomes one `transitions.Machine`, built once, which operations trigger
against a light context wrapping the document row (workflow.context).
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from transitions import Machine

from models.enums import RoundMode
from workflow import effects, guards
from workflow.errors import DefinitionError, InvalidInput

ROLES = frozenset(
    {"coordinator", "co_coordinator", "proposer", "applicant", "donor", "secretariat", "system"}
)
DOCUMENT_FIELDS = ("priority_area", "proposer", "applicant", "target_body", "budget", "threshold")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

TOP_KEYS = {
    "kind",
    "version",
    "title",
    "symbol",
    "initial",
    "description",
    "document",
    "states",
    "transitions",
    "pledges",
    "instruments",
}


@dataclass(frozen=True)
class RoundSpec:
    body: str
    modes: tuple[RoundMode, ...]
    on_consensus: str
    on_failure: str


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


@dataclass(frozen=True)
class DocumentRules:
    fields: frozenset[str]
    requires: frozenset[str]
    create: frozenset[str]
    revise: frozenset[str]
    target_bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityRules:
    """Where and by whom pledges or instruments may be recorded."""

    states: frozenset[str]
    allowed: frozenset[str]
    on_threshold: str = ""  # instruments: trigger fired when the threshold is reached
    on_effective_date: str = ""  # instruments: trigger fired on the entry-into-force date
    days_to_effect: int = 30  # instruments: days from a deposit to its effect


@dataclass
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
    machine: Machine = field(init=False, repr=False)
    _diagram_lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)
    _graph_machine: Machine | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.machine = _build_machine(self, Machine)

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

    def round_spec(self, state: str) -> RoundSpec | None:
        spec = self.states.get(state)
        return spec.round if spec else None

    def mermaid(self, current_state: str | None = None) -> str:
        """A Mermaid stateDiagram of the process, the current state marked when given."""
        from transitions.extensions import GraphMachine

        with self._diagram_lock:
            if self._graph_machine is None:
                self._graph_machine = _build_machine(
                    self, GraphMachine, graph_engine="mermaid", title=self.title
                )
            model = _DiagramModel()
            self._graph_machine.add_model(model, initial=current_state or self.initial)
            try:
                text = model.get_graph().draw(None)
            finally:
                self._graph_machine.remove_model(model)
        if current_state is None:  # no document: mark nothing
            marked = f"Class {self.initial} s_active"
            text = text.replace(marked, f"Class {self.initial} s_default")
        return text


class _DiagramModel:
    pass


def _build_machine(definition: Definition, machine_class: type[Machine], **options) -> Machine:
    from workflow.context import check_transition, run_effects

    machine = machine_class(
        model=[],
        states=list(definition.states),
        initial=definition.initial,
        auto_transitions=False,
        send_event=True,
        **options,
    )
    for spec in definition.transitions:
        machine.add_transition(
            spec.trigger,
            list(spec.sources),
            spec.dest,
            conditions=[partial(check_transition, spec)],
            after=[partial(run_effects, spec)],
        )
    return machine


# ---------------------------------------------------------------- loading


class _Reader:
    """Typed access to one TOML file's values; every failure names file and key."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, reason: str) -> DefinitionError:
        return DefinitionError(self.file, key, reason)

    def table(self, data: object, key: str, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}" if key else unknown[0], "unknown key")
        return data

    def text(self, data: dict, key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(path, "must be a non-empty string" if required else "must be a string")
        return value

    def names(self, data: dict, key: str, path: str, *, required: bool = False) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "must be a string or a list of strings")
        if required and not value:
            raise self.fail(path, "must name at least one")
        return tuple(value)

    def roles(self, data: dict, key: str, path: str, *, required: bool) -> frozenset[str]:
        if required and key not in data:
            raise self.fail(path, "no permission rule: list who may do this")
        roles = self.names(data, key, path, required=required)
        for role in roles:
            if role not in ROLES:
                raise self.fail(path, f"unknown role {role!r} (known: {', '.join(sorted(ROLES))})")
        return frozenset(roles)


def load_definition(path: str | Path, bodies: set[str] | None = None) -> Definition:
    """Read and validate one definition file; `bodies` (codes) is checked when given."""
    path = Path(path)
    read = _Reader(str(path))
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise read.fail("(file)", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise read.fail("(file)", f"cannot be read: {exc.strerror}") from None
    read.table(raw, "", TOP_KEYS)

    kind = read.text(raw, "kind", "kind")
    if not NAME.match(kind):
        raise read.fail("kind", "must be lower_snake_case")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise read.fail("version", "must be a positive integer")
    states = _read_states(read, raw.get("states"))
    initial = read.text(raw, "initial", "initial")
    if initial not in states:
        raise read.fail("initial", f"unknown state {initial!r}")
    transitions = _read_transitions(read, raw.get("transitions"), states)

    definition = Definition(
        kind=kind,
        version=version,
        title=read.text(raw, "title", "title"),
        symbol=read.text(raw, "symbol", "symbol"),
        initial=initial,
        states=states,
        transitions=transitions,
        document=_read_document(read, raw.get("document", {})),
        pledges=_read_activity(read, raw, "pledges", states),
        instruments=_read_activity(read, raw, "instruments", states),
        description=read.text(raw, "description", "description", required=False),
        path=str(path),
    )
    _check_graph(read, definition)
    if bodies is not None:
        check_bodies(definition, bodies)
    return definition


def _read_states(read: _Reader, raw: object) -> dict[str, StateSpec]:
    if not isinstance(raw, dict) or not raw:
        raise read.fail("states", "must be a table of states")
    states = {}
    for name, data in raw.items():
        key = f"states.{name}"
        if not NAME.match(name):
            raise read.fail(key, "a state name must be lower_snake_case, at most 60 characters")
        read.table(data, key, {"title", "final", "round", "description"})
        final = data.get("final", False)
        if not isinstance(final, bool):
            raise read.fail(f"{key}.final", "must be true or false")
        round_spec = None
        if "round" in data:
            round_spec = _read_round(read, data["round"], f"{key}.round")
            if final:
                raise read.fail(f"{key}.round", "a final state cannot hold a round")
        title = data.get("title", name.replace("_", " ").capitalize())
        states[name] = StateSpec(name=name, title=title, final=final, round=round_spec)
    return states


def _read_round(read: _Reader, data: object, key: str) -> RoundSpec:
    read.table(data, key, {"body", "modes", "on_consensus", "on_failure"})
    modes = read.names(data, "modes", f"{key}.modes", required=True)
    try:
        parsed = tuple(RoundMode(m) for m in modes)
    except ValueError:
        raise read.fail(
            f"{key}.modes", f"modes must be among {[m.value for m in RoundMode]}"
        ) from None
    return RoundSpec(
        body=read.text(data, "body", f"{key}.body"),
        modes=parsed,
        on_consensus=read.text(data, "on_consensus", f"{key}.on_consensus"),
        on_failure=read.text(data, "on_failure", f"{key}.on_failure"),
    )


def _read_transitions(
    read: _Reader, raw: object, states: dict[str, StateSpec]
) -> tuple[TransitionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise read.fail("transitions", "must be a non-empty array of tables ([[transitions]])")
    specs = []
    allowed_keys = {"trigger", "source", "dest", "allowed", "guards", "effects", "params", "title"}
    for index, data in enumerate(raw):
        key = f"transitions[{index}]"
        read.table(data, key, allowed_keys)
        trigger = read.text(data, "trigger", f"{key}.trigger")
        key = f"transitions[{index}] ({trigger})"
        if not NAME.match(trigger):
            raise read.fail(f"{key}.trigger", "must be lower_snake_case")
        sources = read.names(data, "source", f"{key}.source", required=True)
        dest = read.text(data, "dest", f"{key}.dest")
        for state in (*sources, dest):
            if state not in states:
                raise read.fail(f"{key}", f"unknown state {state!r}")
        for state in sources:
            if states[state].final:
                raise read.fail(f"{key}.source", f"{state!r} is final: nothing leaves it")
        spec_guards = read.names(data, "guards", f"{key}.guards")
        for name in spec_guards:
            if not guards.is_known(name):
                raise read.fail(f"{key}.guards", f"unknown guard {name!r}")
        spec_effects = read.names(data, "effects", f"{key}.effects")
        for name in spec_effects:
            if name not in effects.EFFECTS:
                raise read.fail(f"{key}.effects", f"unknown effect {name!r}")
        specs.append(
            TransitionSpec(
                trigger=trigger,
                sources=sources,
                dest=dest,
                allowed=read.roles(data, "allowed", f"{key}.allowed", required=True),
                guards=spec_guards,
                effects=spec_effects,
                params=read.names(data, "params", f"{key}.params"),
                title=read.text(data, "title", f"{key}.title", required=False),
            )
        )
    return tuple(specs)


def _read_document(read: _Reader, raw: object) -> DocumentRules:
    keys = {"fields", "requires", "create", "revise", "target_bodies"}
    read.table(raw, "document", keys)
    fields = read.names(raw, "fields", "document.fields")
    requires = read.names(raw, "requires", "document.requires")
    for name in (*fields, *requires):
        if name not in DOCUMENT_FIELDS:
            raise read.fail("document.fields", f"unknown field {name!r}")
    if not set(requires) <= set(fields):
        raise read.fail("document.requires", "every required field must also be in fields")
    return DocumentRules(
        fields=frozenset(fields),
        requires=frozenset(requires),
        create=read.roles(raw, "create", "document.create", required=True),
        revise=read.roles(raw, "revise", "document.revise", required=True),
        target_bodies=read.names(raw, "target_bodies", "document.target_bodies"),
    )


def _read_activity(
    read: _Reader, raw: dict, section: str, states: dict[str, StateSpec]
) -> ActivityRules | None:
    if section not in raw:
        return None
    instrument_keys = {"on_threshold", "on_effective_date", "days_to_effect"}
    data = read.table(raw[section], section, {"states", "allowed", *instrument_keys})
    if section == "pledges" and (instrument_keys & set(data)):
        raise read.fail(section, f"{', '.join(sorted(instrument_keys))} belong to [instruments]")
    days = data.get("days_to_effect", 30)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise read.fail(f"{section}.days_to_effect", "must be a whole number of days")
    in_states = read.names(data, "states", f"{section}.states", required=True)
    for state in in_states:
        if state not in states:
            raise read.fail(f"{section}.states", f"unknown state {state!r}")
    return ActivityRules(
        states=frozenset(in_states),
        allowed=read.roles(data, "allowed", f"{section}.allowed", required=True),
        on_threshold=read.text(data, "on_threshold", f"{section}.on_threshold", required=False),
        on_effective_date=read.text(
            data, "on_effective_date", f"{section}.on_effective_date", required=False
        ),
        days_to_effect=days,
    )


def _check_graph(read: _Reader, definition: Definition) -> None:
    """System triggers exist where rounds and instruments need them; everything is reachable."""

    def needs_system_trigger(trigger: str, state: str | None, key: str) -> None:
        candidates = [
            t
            for t in definition.transitions
            if t.trigger == trigger and (state is None or state in t.sources)
        ]
        if not candidates:
            where = f" from {state!r}" if state else ""
            raise read.fail(key, f"trigger {trigger!r} has no transition{where}")
        if not all("system" in t.allowed for t in candidates):
            raise read.fail(key, f"trigger {trigger!r} must allow 'system'")

    for state in definition.states.values():
        if state.round:
            key = f"states.{state.name}.round"
            needs_system_trigger(state.round.on_consensus, state.name, f"{key}.on_consensus")
            needs_system_trigger(state.round.on_failure, state.name, f"{key}.on_failure")
        if not state.final and not definition.transitions_from(state.name):
            raise read.fail(f"states.{state.name}", "no transition leaves this non-final state")
    instruments = definition.instruments
    if instruments:
        for name in ("on_threshold", "on_effective_date"):
            trigger = getattr(instruments, name)
            if trigger:
                needs_system_trigger(trigger, None, f"instruments.{name}")
    if not definition.final_states:
        raise read.fail("states", "at least one state must be final")

    reached, queue = {definition.initial}, deque([definition.initial])
    while queue:
        for spec in definition.transitions_from(queue.popleft()):
            if spec.dest not in reached:
                reached.add(spec.dest)
                queue.append(spec.dest)
    for name in definition.states:
        if name not in reached:
            raise read.fail(f"states.{name}", f"unreachable from {definition.initial!r}")


def check_bodies(definition: Definition, bodies: set[str]) -> None:
    """Every body the definition names must exist in the loaded profile."""
    for state in definition.states.values():
        if state.round and state.round.body not in bodies:
            raise DefinitionError(
                definition.path,
                f"states.{state.name}.round.body",
                f"unknown body {state.round.body!r}",
            )
    for body in definition.document.target_bodies:
        if body not in bodies:
            raise DefinitionError(
                definition.path, "document.target_bodies", f"unknown body {body!r}"
            )
    for spec in definition.transitions:
        for name in spec.guards:
            base, argument = guards.split(name)
            if base == "target_body" and argument not in bodies:
                raise DefinitionError(
                    definition.path,
                    f"transitions ({spec.trigger}).guards",
                    f"unknown body {argument!r}",
                )


# ---------------------------------------------------------------- the registry


class Registry:
    """The loaded definitions by kind."""

    def __init__(self, definitions: dict[str, Definition], path: str = ""):
        self._definitions = definitions
        self.path = path

    def get(self, kind: str) -> Definition:
        try:
            return self._definitions[kind]
        except KeyError:
            known = ", ".join(sorted(self._definitions))
            raise InvalidInput(f"unknown document kind {kind!r} (known: {known})") from None

    def __contains__(self, kind: str) -> bool:
        return kind in self._definitions

    def __iter__(self):
        return iter(self._definitions.values())

    @property
    def kinds(self) -> list[str]:
        return list(self._definitions)

    def check_bodies(self, bodies: set[str]) -> None:
        for definition in self:
            check_bodies(definition, bodies)


def load_registry(path: str | Path, bodies: set[str] | None = None) -> Registry:
    """Load every *.toml under `path` (a folder); stop at the first invalid file."""
    folder = Path(path)
    if not folder.is_dir():
        raise DefinitionError(str(folder), "(folder)", "no such folder of workflow definitions")
    definitions: dict[str, Definition] = {}
    for file in sorted(folder.glob("*.toml")):
        definition = load_definition(file, bodies)
        if definition.kind in definitions:
            first = definitions[definition.kind].path
            raise DefinitionError(
                str(file), "kind", f"{definition.kind!r} already defined in {first}"
            )
        definitions[definition.kind] = definition
    if not definitions:
        raise DefinitionError(str(folder), "(folder)", "no workflow definition (*.toml) found")
    return Registry(definitions, str(folder))


_lock = threading.Lock()
_path: str | None = None
_registry: Registry | None = None


def configure(path: str | Path | None) -> Registry:
    """Use the definitions in `path` (None: the default folder); loads and validates now."""
    global _path, _registry
    from config.settings import DEFAULT_WORKFLOWS

    loaded = load_registry(path or DEFAULT_WORKFLOWS)
    with _lock:
        _path, _registry = str(path or DEFAULT_WORKFLOWS), loaded
    return loaded


def registry() -> Registry:
    """The process-wide registry, loaded on first use from the configured folder."""
    global _registry
    with _lock:
        if _registry is None:
            from config.settings import DEFAULT_WORKFLOWS

            _registry = load_registry(_path or DEFAULT_WORKFLOWS)
        return _registry
