"""The kinds of position a forum's states may take, and the channels a position arrives by.

A forum's profile declares them (`[[position_kinds]]`, `[[entry_channels]]`), each with its
meaning for consensus; a profile that declares none has the six kinds and two channels
below, whose names the interface's catalogue gives. The forum row keeps the declared lists
(JSON); `kinds_of(forum)` and `channels_of(forum)` read them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from models.enums import EntryChannel, PositionKind

# What a kind of position means for the engine; `objection` is the one that blocks.
MEANINGS = ("consent", "statement", "reservation", "stand_aside", "objection", "ad_referendum")
# Who enters a position by a channel: the state's own delegate, or the Secretariat for it.
ENTERED_BY = ("delegate", "secretariat")


@dataclass(frozen=True)
class KindOfPosition:
    code: str
    meaning: str  # one of MEANINGS
    requires_text: bool = False
    names: dict[str, str] = field(default_factory=dict)  # language -> name; none: the catalogue's

    @property
    def blocks(self) -> bool:
        """It stands in the way of consensus: it breaks a silence, ends a written procedure."""
        return self.meaning == "objection"

    @property
    def awaits_confirmation(self) -> bool:
        """A consent the capital confirms after the round (ad referendum)."""
        return self.meaning == "ad_referendum"

    def as_data(self) -> dict:
        return {
            "code": self.code,
            "meaning": self.meaning,
            "requires_text": self.requires_text,
            "names": dict(self.names),
        }


@dataclass(frozen=True)
class Channel:
    code: str
    entered_by: str  # one of ENTERED_BY
    requires_reference: bool = False  # the reference of the note, letter or message
    names: dict[str, str] = field(default_factory=dict)

    def as_data(self) -> dict:
        return {
            "code": self.code,
            "entered_by": self.entered_by,
            "requires_reference": self.requires_reference,
            "names": dict(self.names),
        }


DEFAULT_POSITION_KINDS = (
    KindOfPosition(PositionKind.CONSENT.value, "consent"),
    KindOfPosition(PositionKind.CONSENT_WITH_STATEMENT.value, "statement", requires_text=True),
    KindOfPosition(PositionKind.RESERVATION.value, "reservation", requires_text=True),
    KindOfPosition(PositionKind.STAND_ASIDE.value, "stand_aside"),
    KindOfPosition(PositionKind.OBJECTION.value, "objection", requires_text=True),
    KindOfPosition(PositionKind.CONSENT_AD_REFERENDUM.value, "ad_referendum"),
)
DEFAULT_ENTRY_CHANNELS = (
    Channel(EntryChannel.DELEGATE.value, "delegate"),
    Channel(EntryChannel.NOTE_VERBALE.value, "secretariat", requires_reference=True),
)


@dataclass(frozen=True)
class PositionKinds:
    """A forum's kinds of position, in the order its profile lists them."""

    kinds: tuple[KindOfPosition, ...]

    @cached_property
    def _by_code(self) -> dict[str, KindOfPosition]:
        return {k.code: k for k in reversed(self.kinds)}  # the first of a code, as listed

    def get(self, code: str | None) -> KindOfPosition | None:
        return self._by_code.get(code)  # a StrEnum member hashes and compares as its code

    @property
    def codes(self) -> list[str]:
        return [k.code for k in self.kinds]

    def with_meaning(self, meaning: str) -> list[str]:
        return [k.code for k in self.kinds if k.meaning == meaning]

    @property
    def blocking(self) -> list[str]:
        return self.with_meaning("objection")


@dataclass(frozen=True)
class Channels:
    channels: tuple[Channel, ...]

    @cached_property
    def _by_code(self) -> dict[str, Channel]:
        return {c.code: c for c in reversed(self.channels)}

    def get(self, code: str | None) -> Channel | None:
        return self._by_code.get(code)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.channels]

    def entered_by(self, who: str) -> list[Channel]:
        return [c for c in self.channels if c.entered_by == who]


def kinds_of(forum) -> PositionKinds:
    """The forum's kinds of position (the defaults when its profile declares none)."""
    stored = getattr(forum, "position_kinds", None)
    if not stored:
        return PositionKinds(DEFAULT_POSITION_KINDS)
    return PositionKinds(
        tuple(
            KindOfPosition(
                code=entry["code"],
                meaning=entry["meaning"],
                requires_text=bool(entry.get("requires_text")),
                names=dict(entry.get("names") or {}),
            )
            for entry in stored
        )
    )


def channels_of(forum) -> Channels:
    """The forum's channels (the defaults when its profile declares none)."""
    stored = getattr(forum, "entry_channels", None)
    if not stored:
        return Channels(DEFAULT_ENTRY_CHANNELS)
    return Channels(
        tuple(
            Channel(
                code=entry["code"],
                entered_by=entry["entered_by"],
                requires_reference=bool(entry.get("requires_reference")),
                names=dict(entry.get("names") or {}),
            )
            for entry in stored
        )
    )
