"""The one family of domain errors. The interfaces (web, API, CLI) decide how each is shown.

A message is English, marked with `N_` so the catalogues can translate it, with its
values apart (`%(name)s` placeholders): the web translates the message, then fills
the values in. `str(error)` is the English message, for the CLI and the logs.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation (extracted by pybabel); the web translates it when shown."""
    return message


class Text(str):
    """An English message with its values filled in (what `str` shows), that still carries the
    message and the values apart so that an interface can translate it: a guard's reason."""

    message: str
    params: dict[str, Any]

    def __new__(cls, message: str, **params: Any) -> Text:
        text = super().__new__(cls, message % params if params else message)
        text.message, text.params = message, params
        return text


class Label(str):
    """A message's value that reads differently in each language (a state's or a body's
    name): English as the string, each language's in `names`, for the interface to put the
    reader's in."""

    names: dict[str, str]

    def __new__(cls, names: dict[str, str], default: str = "") -> Label:
        label = super().__new__(cls, names.get("en") or default or next(iter(names.values()), ""))
        label.names = names
        return label

    def reading(self, language: str) -> str:
        return self.names.get(language) or str(self)


def named(thing, prefix: str = "name_") -> Label:
    """A participant's (or area's) names in every language its record holds (`name_<lang>`)."""
    return Label(
        {
            column.name.removeprefix(prefix): value
            for column in thing.__table__.columns
            if column.name.startswith(prefix) and (value := getattr(thing, column.name))
        },
        default=getattr(thing, "code", ""),
    )


def abbreviated(body) -> Label:
    """A body as people name it in each language: its short name (SOC, КСДЛ), else its name."""
    names = named(body)
    shorts = named(body, "short_")
    return Label(
        {language: shorts.names.get(language) or name for language, name in names.names.items()},
        default=body.code,
    )


class ConcordError(Exception):
    """Base of every domain error; `str(error)` is a message for a person."""

    def __init__(self, message: str = "", **params: Any):
        self.message, self.params = message, params
        super().__init__(message % params if params else message)


class InvalidInput(ConcordError):
    """A value is missing, malformed or names something unknown."""


class TextsOutOfStep(InvalidInput):
    """A new version changes one working language's text and leaves another's as it was:
    circulated only when the coordinator confirms it (`languages`: those left unchanged)."""

    def __init__(self, languages: list[str]):
        self.languages = sorted(languages)
        super().__init__(
            N_(
                "the %(languages)s text is unchanged while the text in another language changed: "
                "confirm that the new version is to be circulated so"
            ),
            languages=", ".join(code.upper() for code in self.languages),
        )


class NotFound(ConcordError):
    """What the request names does not exist (or is not shared with the caller)."""


class NotPermitted(ConcordError):
    """The acting user may not do this."""


class TriggerNotAllowed(ConcordError):
    """The trigger does not apply in the document's current state."""

    def __init__(self, trigger: str, state: str, allowed: list[str]):
        self.trigger, self.state, self.allowed = trigger, state, sorted(allowed)
        super().__init__(
            N_("'%(trigger)s' is not possible in state '%(state)s'; possible here: %(allowed)s"),
            trigger=trigger,
            state=state,
            allowed=", ".join(self.allowed) or "—",
        )


class GuardFailed(ConcordError):
    """A condition of the transition is not met."""

    def __init__(self, guard: str, reason: str, **params: Any):
        self.guard = guard
        if isinstance(reason, Text) and not params:
            reason, params = reason.message, reason.params
        super().__init__(reason, **params)
        self.reason = str(self)


class Conflict(ConcordError):
    """The request conflicts with what the record holds (a code taken, a scheduler running)."""


class StaleChange(ConcordError):
    """The document changed since the caller read it, or a concurrent change won."""


class RoundClosed(ConcordError):
    """The round is no longer open."""

    def __init__(self, message: str = N_("round closed"), **params: Any):
        super().__init__(message, **params)


class DefinitionError(ConcordError):
    """A workflow definition or profile file is invalid: file, key and reason."""

    def __init__(self, file: str, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}")
