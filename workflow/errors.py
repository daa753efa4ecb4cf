"""The one family of domain errors. The interfaces (web, API, CLI) decide how each is shown."""

from __future__ import annotations


class ConcordError(Exception):
    """Base of every domain error; `str(error)` is a message for a person."""


class InvalidInput(ConcordError):
    """A value is missing, malformed or names something unknown."""


class NotFound(ConcordError):
    """What the request names does not exist (or is not shared with the caller)."""


class NotPermitted(ConcordError):
    """The acting user may not do this."""


class TriggerNotAllowed(ConcordError):
    """The trigger does not apply in the document's current state."""

    def __init__(self, trigger: str, state: str, allowed: list[str]):
        self.trigger, self.state, self.allowed = trigger, state, sorted(allowed)
        allowed_text = ", ".join(self.allowed) or "none"
        super().__init__(
            f"'{trigger}' is not possible in state '{state}'; possible here: {allowed_text}"
        )


class GuardFailed(ConcordError):
    """A condition of the transition is not met."""

    def __init__(self, guard: str, reason: str):
        self.guard, self.reason = guard, reason
        super().__init__(reason)


class Conflict(ConcordError):
    """The request conflicts with what the record holds (a code taken, a scheduler running)."""


class StaleChange(ConcordError):
    """The document changed since the caller read it, or a concurrent change won."""


class RoundClosed(ConcordError):
    """The round is no longer open."""

    def __init__(self, message: str = "round closed"):
        super().__init__(message)


class DefinitionError(ConcordError):
    """A workflow definition or profile file is invalid: file, key and reason."""

    def __init__(self, file: str, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}")
