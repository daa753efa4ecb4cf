"""The one family of domain errors. The web and the API map each to a status."""

from __future__ import annotations


class ConcordError(Exception):
    """Base of every domain error; `str(error)` is a message for a person."""

    http_status = 422


class InvalidInput(ConcordError):
    """A value is missing, malformed or names something unknown."""

    http_status = 422


class NotFound(ConcordError):
    http_status = 404


class NotPermitted(ConcordError):
    """The acting user may not do this."""

    http_status = 403


class TriggerNotAllowed(ConcordError):
    """The trigger does not apply in the document's current state."""

    http_status = 409

    def __init__(self, trigger: str, state: str, allowed: list[str]):
        self.trigger, self.state, self.allowed = trigger, state, sorted(allowed)
        allowed_text = ", ".join(self.allowed) or "none"
        super().__init__(
            f"'{trigger}' is not possible in state '{state}'; possible here: {allowed_text}"
        )


class GuardFailed(ConcordError):
    """A condition of the transition is not met."""

    http_status = 409

    def __init__(self, guard: str, reason: str):
        self.guard, self.reason = guard, reason
        super().__init__(reason)


class StaleChange(ConcordError):
    """The document changed since the caller read it, or a concurrent change won."""

    http_status = 409


class RoundClosed(ConcordError):
    """The round is no longer open."""

    http_status = 409

    def __init__(self, message: str = "round closed"):
        super().__init__(message)


class DefinitionError(ConcordError):
    """A workflow definition or profile file is invalid: file, key and reason."""

    def __init__(self, file: str, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}")
