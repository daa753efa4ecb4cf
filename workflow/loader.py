"""Reading workflow definitions: TOML files to `workflow.spec`, validated.

A mistake (an unknown key, state, role, guard, effect, mode or body, a transition
with no permission rule, a state nothing leaves or nothing reaches, a round
trigger the system may not fire) is a DefinitionError naming file, key and reason.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from pathlib import Path

from models.enums import RoundMode
from workflow import effects, guards, numbering
from workflow.errors import DefinitionError
from workflow.permissions import ROLES
from workflow.spec import (
    FIELD_TYPES,
    ActivityRules,
    DeadlineRule,
    Definition,
    DocumentRules,
    FieldSpec,
    RoundSpec,
    StatementKind,
    StateSpec,
    Titles,
    TransitionSpec,
    humanize,
)

DOCUMENT_FIELDS = (
    "priority_area",
    "proposer",
    "applicant",
    "target_body",
    "budget",
    "threshold",
    "catalogue_changes",  # structured changes to the Catalogue (workflow.catalogue)
)
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8})?$")  # en, ru, zh, zh_Hant

TOP_KEYS = {
    "kind",
    "version",
    "title",
    "symbol",
    "symbol_pattern",
    "initial",
    "description",
    "document",
    "states",
    "transitions",
    "pledges",
    "instruments",
    "statement_kinds",
}


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

    def titles(self, data: dict, path: str, fallback: str, *, required: bool = False) -> Titles:
        """`title = { en = "…", ru = "…" }`: a label per language (see check_languages)."""
        value = data.get("title", {})
        if not isinstance(value, dict):
            raise self.fail(path, 'must be a table of titles by language: { en = "…", ru = "…" }')
        for language, text in value.items():
            if not LANGUAGE.match(language):
                raise self.fail(f"{path}.{language}", "not a language code (en, ru, zh, …)")
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{path}.{language}", "must be a non-empty string")
        if required and not value:
            raise self.fail(path, "must give a title in at least one language")
        return Titles.of(value, fallback)

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


def load_definition(
    path: str | Path, bodies: set[str] | None = None, languages: tuple[str, ...] = ()
) -> Definition:
    """Read and validate one definition file; `bodies` (codes) is checked when given, and
    every title must be given in each of `languages` (the forum's working languages)."""
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
        titles=read.titles(raw, "title", humanize(kind), required=True),
        symbol=read.text(raw, "symbol", "symbol"),
        symbol_pattern=_read_symbol_pattern(read, raw),
        initial=initial,
        states=states,
        transitions=transitions,
        document=_read_document(read, raw.get("document", {})),
        pledges=_read_activity(read, raw, "pledges", states),
        instruments=_read_activity(read, raw, "instruments", states),
        description=read.text(raw, "description", "description", required=False),
        path=str(path),
        statement_kinds=_read_statement_kinds(read, raw.get("statement_kinds", [])),
    )
    _check_graph(read, definition)
    if bodies is not None:
        check_bodies(definition, bodies)
    if languages:
        check_languages(definition, languages)
    return definition


def _read_symbol_pattern(read: _Reader, raw: dict) -> str:
    pattern = raw.get("symbol_pattern", numbering.DOCUMENT_DEFAULT)
    reason = numbering.problem(pattern, numbering.DOCUMENT_FIELDS, "n")
    if reason:
        raise read.fail("symbol_pattern", reason)
    return pattern


def _read_statement_kinds(read: _Reader, raw: object) -> tuple[StatementKind, ...]:
    if not isinstance(raw, list):
        raise read.fail("statement_kinds", "must be an array of tables ([[statement_kinds]])")
    kinds: list[StatementKind] = []
    for index, data in enumerate(raw):
        key = f"statement_kinds[{index}]"
        read.table(data, key, {"code", "title", "rule", "attach"})
        code = read.text(data, "code", f"{key}.code")
        if not NAME.match(code):
            raise read.fail(f"{key}.code", "must be lower_snake_case")
        if any(k.code == code for k in kinds):
            raise read.fail(f"{key}.code", f"duplicate code {code!r}")
        attach = data.get("attach", "decision")
        if attach not in ("decision", "journal"):
            raise read.fail(f"{key}.attach", 'must be "decision" or "journal"')
        kinds.append(
            StatementKind(
                code=code,
                titles=read.titles(data, f"{key}.title", humanize(code), required=True),
                rule=read.text(data, "rule", f"{key}.rule", required=False),
                attach=attach,
            )
        )
    return tuple(kinds)


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
        titles = read.titles(data, f"{key}.title", humanize(name))
        states[name] = StateSpec(name=name, titles=titles, final=final, round=round_spec)
    return states


def _read_round(read: _Reader, data: object, key: str) -> RoundSpec:
    read.table(
        data,
        key,
        {"body", "modes", "on_consensus", "on_failure", "electorate", "meeting_deadline"},
    )
    meeting_deadline = data.get("meeting_deadline", False)
    if not isinstance(meeting_deadline, bool):
        raise read.fail(f"{key}.meeting_deadline", "must be true or false")
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
        consensus_triggers=read.names(data, "on_consensus", f"{key}.on_consensus", required=True),
        on_failure=read.text(data, "on_failure", f"{key}.on_failure"),
        electorate=_read_electorate(read, data, f"{key}.electorate"),
        meeting_deadline=meeting_deadline,
    )


def _read_electorate(read: _Reader, data: dict, key: str) -> str:
    value = data.get("electorate", "body")
    if not isinstance(value, str):
        raise read.fail(key, "must be a string")
    rule, colon, argument = value.partition(":")
    if value == "body" or (rule in ("all_except", "group") and argument.strip()):
        return value
    raise read.fail(
        key, 'must be "body", "all_except:<document field>" or "group:<group code>"'
    )


def _read_transitions(
    read: _Reader, raw: object, states: dict[str, StateSpec]
) -> tuple[TransitionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise read.fail("transitions", "must be a non-empty array of tables ([[transitions]])")
    specs = []
    allowed_keys = {
        "trigger",
        "source",
        "dest",
        "allowed",
        "guards",
        "effects",
        "params",
        "title",
        "irreversible",
        "decision",
    }
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
        irreversible, decision = data.get("irreversible", False), data.get("decision", False)
        for flag, value in (("irreversible", irreversible), ("decision", decision)):
            if not isinstance(value, bool):
                raise read.fail(f"{key}.{flag}", "must be true or false")
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
                titles=read.titles(data, f"{key}.title", ""),
                irreversible=irreversible,
                decision=decision,
            )
        )
    return tuple(specs)


def _read_custom_fields(read: _Reader, raw: object) -> tuple[FieldSpec, ...]:
    if not isinstance(raw, dict):
        raise read.fail("document.custom_fields", "must be a table of fields by name")
    specs = []
    for name, data in raw.items():
        key = f"document.custom_fields.{name}"
        if not NAME.match(name):
            raise read.fail(key, "a field name must be lower_snake_case, at most 60 characters")
        if name in DOCUMENT_FIELDS:
            raise read.fail(key, f"{name!r} is a built-in field: list it in document.fields")
        read.table(data, key, {"type", "title", "required"})
        kind = data.get("type")
        if kind not in FIELD_TYPES:
            raise read.fail(f"{key}.type", f"must be one of {', '.join(FIELD_TYPES)}")
        required = data.get("required", False)
        if not isinstance(required, bool):
            raise read.fail(f"{key}.required", "must be true or false")
        titles = read.titles(data, f"{key}.title", humanize(name), required=True)
        specs.append(FieldSpec(name=name, type=kind, titles=titles, required=required))
    return tuple(specs)


def _read_document(read: _Reader, raw: object) -> DocumentRules:
    keys = {"fields", "requires", "create", "revise", "target_bodies", "custom_fields", "deadline"}
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
        custom_fields=_read_custom_fields(read, raw.get("custom_fields", {})),
        deadline=_read_deadline(read, raw.get("deadline")),
    )


def _read_deadline(read: _Reader, raw: object) -> DeadlineRule | None:
    if raw is None:
        return None
    data = read.table(raw, "document.deadline", {"field", "on_expiry", "states"})
    return DeadlineRule(
        field=read.text(data, "field", "document.deadline.field"),
        on_expiry=read.text(data, "on_expiry", "document.deadline.on_expiry"),
        states=frozenset(read.names(data, "states", "document.deadline.states", required=True)),
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
            for trigger in state.round.consensus_triggers:
                needs_system_trigger(trigger, state.name, f"{key}.on_consensus")
            needs_system_trigger(state.round.on_failure, state.name, f"{key}.on_failure")
        if not state.final and not definition.transitions_from(state.name):
            raise read.fail(f"states.{state.name}", "no transition leaves this non-final state")
    for index, spec in enumerate(definition.transitions):
        if spec.decision:
            for source in spec.sources:
                round_spec = definition.round_spec(source)
                if round_spec is None or spec.trigger not in round_spec.consensus_triggers:
                    raise read.fail(
                        f"transitions[{index}] ({spec.trigger}).decision",
                        f"a decision is what a body's consensus fires: {spec.trigger!r} is not "
                        f"the consensus of the round held in {source!r}",
                    )
    for state in definition.states.values():
        rule, field = state.round.electorate_rule if state.round else ("body", "")
        if rule == "all_except" and field not in definition.document.participant_fields - {
            "applicant"
        }:
            raise read.fail(
                f"states.{state.name}.round.electorate",
                f"{field!r} is not a document field naming a participant (proposer in "
                "document.fields, or a custom field of type participant)",
            )
    deadline = definition.document.deadline
    if deadline is not None:
        field = definition.document.custom_field(deadline.field)
        if field is None or field.type != "date":
            raise read.fail(
                "document.deadline.field", f"{deadline.field!r} is not a declared field of type date"
            )
        for state in sorted(deadline.states):
            if state not in definition.states or definition.states[state].final:
                raise read.fail("document.deadline.states", f"{state!r} is not a non-final state")
            needs_system_trigger(deadline.on_expiry, state, "document.deadline.on_expiry")
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


def check_groups(definition: Definition, groups: set[str]) -> None:
    """Every group a round's electorate names must exist in the loaded profile."""
    for state in definition.states.values():
        rule, code = state.round.electorate_rule if state.round else ("body", "")
        if rule == "group" and code not in groups:
            raise DefinitionError(
                definition.path,
                f"states.{state.name}.round.electorate",
                f"unknown group {code!r} (the profile's [[groups]])",
            )


def check_languages(definition: Definition, languages: tuple[str, ...] | list[str]) -> None:
    """The definition, each state and each transition has a title in every working language."""
    labelled = [("title", definition.titles)]
    labelled += [(f"states.{s.name}.title", s.titles) for s in definition.states.values()]
    labelled += [
        (f"transitions[{index}] ({t.trigger}).title", t.titles)
        for index, t in enumerate(definition.transitions)
    ]
    labelled += [
        (f"document.custom_fields.{f.name}.title", f.titles)
        for f in definition.document.custom_fields
    ]
    labelled += [
        (f"statement_kinds[{index}].title", k.titles)
        for index, k in enumerate(definition.statement_kinds)
    ]
    for key, titles in labelled:
        for language in languages:
            if language not in titles.languages:
                raise DefinitionError(
                    definition.path,
                    key,
                    f"no title in {language!r}, a working language of the forum",
                )


def load_folder(
    path: str | Path, bodies: set[str] | None = None, languages: tuple[str, ...] = ()
) -> dict[str, Definition]:
    """Every *.toml under `path` by kind; stops at the first invalid file."""
    folder = Path(path)
    if not folder.is_dir():
        raise DefinitionError(str(folder), "(folder)", "no such folder of workflow definitions")
    definitions: dict[str, Definition] = {}
    for file in sorted(folder.glob("*.toml")):
        definition = load_definition(file, bodies, languages)
        if definition.kind in definitions:
            first = definitions[definition.kind].path
            raise DefinitionError(
                str(file), "kind", f"{definition.kind!r} already defined in {first}"
            )
        definitions[definition.kind] = definition
    if not definitions:
        raise DefinitionError(str(folder), "(folder)", "no workflow definition (*.toml) found")
    return definitions
