"""The loaded definitions, by kind: one registry per process, configured at start.

`configure(folder)` loads and validates a folder now (the runtime does it from the
settings); `registry()` gives the process-wide one, loading the configured (or the
bundled) folder on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from config.settings import DEFAULT_WORKFLOWS
from workflow import machine
from workflow.errors import N_, InvalidInput
from workflow.loader import check_bodies, check_groups, check_languages, load_folder
from workflow.spec import Definition


class Registry:
    """The loaded definitions by kind; each one's machine is built when it is added."""

    def __init__(self, definitions: dict[str, Definition], path: str = ""):
        self._definitions = definitions
        self.path = path
        for definition in definitions.values():
            machine.machine_for(definition)  # a definition the machine refuses fails now

    def get(self, kind: str) -> Definition:
        try:
            return self._definitions[kind]
        except KeyError:
            known = ", ".join(sorted(self._definitions))
            raise InvalidInput(
                N_("unknown document kind %(kind)s (known: %(known)s)"),
                kind=repr(kind),
                known=known,
            ) from None

    def __contains__(self, kind: str) -> bool:
        return kind in self._definitions

    def __iter__(self) -> Iterator[Definition]:
        return iter(self._definitions.values())

    @property
    def kinds(self) -> list[str]:
        return list(self._definitions)

    def check_bodies(self, bodies: set[str]) -> None:
        for definition in self:
            check_bodies(definition, bodies)

    def check_groups(self, groups: set[str]) -> None:
        for definition in self:
            check_groups(definition, groups)

    def check_languages(self, languages: list[str]) -> None:
        for definition in self:
            check_languages(definition, languages)

    def states_holding_rounds(self, body_code: str | None = None) -> list[tuple[str, str]]:
        """(kind, state) of every state that holds a round (of `body_code`, when given)."""
        return [
            (definition.kind, state.name)
            for definition in self
            for state in definition.states.values()
            if state.round is not None and body_code in (None, state.round.body)
        ]


def load_registry(
    path: str | Path, bodies: set[str] | None = None, languages: tuple[str, ...] = ()
) -> Registry:
    """Load every *.toml under `path` (a folder); stop at the first invalid file."""
    return Registry(load_folder(path, bodies, languages), str(path))


_lock = threading.Lock()
_path: str | None = None
_registry: Registry | None = None


def configure(path: str | Path | None, languages: tuple[str, ...] = ()) -> Registry:
    """Use the definitions in `path` (None: the bundled folder); loads and validates now,
    each title in every one of `languages` (the forum's working languages) when given."""
    global _path, _registry
    folder = str(path or DEFAULT_WORKFLOWS)
    loaded = load_registry(folder, languages=languages)
    with _lock:
        _path, _registry = folder, loaded
    return loaded


def registry() -> Registry:
    """The process-wide registry, loaded on first use from the configured folder."""
    global _registry
    with _lock:
        if _registry is None:
            _registry = load_registry(_path or DEFAULT_WORKFLOWS)
        return _registry
