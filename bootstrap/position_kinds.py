"""The profile's `[[position_kinds]]` and `[[entry_channels]]`: read and checked at load.

    [[position_kinds]]
    code = "veto"
    name = { en = "Veto", ru = "Вето" }
    blocks = true          # stands in the way of consensus (default false)
    requires_text = true   # the state must give its grounds or statement (default false)
    counts_as = "objection"  # optional: consent (default), statement, reservation,
                             # stand_aside, ad_referendum; objection for a blocking kind

    [[entry_channels]]
    code = "letter_of_the_chair"
    name = { en = "letter of the Chair", ru = "письмо Председателя" }
    entered_by = "secretariat"   # or "delegate"
    requires_reference = true

A profile that lists none has the six kinds and two channels of models.kinds, named by the
interface's catalogue; a built-in code may leave out its name for the same reason.
"""

from __future__ import annotations

import re

from models.kinds import (
    DEFAULT_ENTRY_CHANNELS,
    DEFAULT_POSITION_KINDS,
    ENTERED_BY,
    MEANINGS,
    Channel,
    KindOfPosition,
)
from workflow.errors import DefinitionError

SECTIONS = {"position_kinds", "entry_channels"}
KIND_KEYS = {"code", "name", "blocks", "requires_text", "counts_as"}
CHANNEL_KEYS = {"code", "name", "entered_by", "requires_reference"}
BUILT_IN_KINDS = {k.code for k in DEFAULT_POSITION_KINDS}
BUILT_IN_CHANNELS = {c.code for c in DEFAULT_ENTRY_CHANNELS}
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def read(file: str, data: dict, languages: list[str]) -> dict:
    """The profile's kinds and channels as the forum row keeps them (None: the defaults)."""
    kinds = data.get("position_kinds")
    channels = data.get("entry_channels")
    return {
        "position_kinds": None if kinds is None else [
            k.as_data() for k in _kinds(file, kinds, languages)
        ],
        "entry_channels": None if channels is None else [
            c.as_data() for c in _channels(file, channels, languages)
        ],
    }


def _fail(file: str, key: str, reason: str) -> DefinitionError:
    return DefinitionError(file, key, reason)


def _entries(file: str, section: str, entries: object, allowed: set[str]) -> list[dict]:
    if not isinstance(entries, list) or not entries:
        raise _fail(file, section, "must be a non-empty list of tables ([[" + section + "]])")
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        key = f"{section}[{index}]"
        if not isinstance(entry, dict):
            raise _fail(file, key, "must be a table")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise _fail(file, f"{key}.{unknown[0]}", "unknown key")
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise _fail(
                file, f"{key}.code", "is required: lower-case letters, digits and _, at most 40"
            )
        if code in seen:
            raise _fail(file, f"{key}.code", f"duplicate code {code!r}")
        seen.add(code)
        for flag in allowed & {"blocks", "requires_text", "requires_reference"}:
            if not isinstance(entry.get(flag, False), bool):
                raise _fail(file, f"{key}.{flag}", "must be true or false")
    return entries


def _names(file: str, key: str, entry: dict, languages: list[str], built_in: set[str]) -> dict:
    names = entry.get("name")
    if names is None and entry["code"] in built_in:
        return {}  # the catalogue names it in every interface language
    if not isinstance(names, dict):
        raise _fail(file, f"{key}.name", 'is required: a name per language, { en = "…", … }')
    for language in languages:
        value = names.get(language)
        if not isinstance(value, str) or not value.strip():
            raise _fail(file, f"{key}.name.{language}", "is required: a non-empty name")
    for language, value in names.items():
        if not isinstance(value, str) or not value.strip():
            raise _fail(file, f"{key}.name.{language}", "must be a non-empty string")
    return {language: value.strip() for language, value in names.items()}


def _kinds(file: str, entries: object, languages: list[str]) -> list[KindOfPosition]:
    kinds = []
    for index, entry in enumerate(_entries(file, "position_kinds", entries, KIND_KEYS)):
        key = f"position_kinds[{index}]"
        blocks = entry.get("blocks", False)
        meaning = entry.get("counts_as", "objection" if blocks else "consent")
        if meaning not in MEANINGS:
            raise _fail(file, f"{key}.counts_as", f"must be one of {', '.join(MEANINGS)}")
        if blocks != (meaning == "objection"):
            raise _fail(
                file,
                f"{key}.counts_as",
                "a kind that blocks counts as an objection, and only such a kind",
            )
        kinds.append(
            KindOfPosition(
                code=entry["code"],
                meaning=meaning,
                requires_text=entry.get("requires_text", False),
                names=_names(file, key, entry, languages, BUILT_IN_KINDS),
            )
        )
    if all(kind.blocks for kind in kinds):
        raise _fail(file, "position_kinds", "needs at least one kind that does not block")
    return kinds


def _channels(file: str, entries: object, languages: list[str]) -> list[Channel]:
    channels = []
    for index, entry in enumerate(_entries(file, "entry_channels", entries, CHANNEL_KEYS)):
        key = f"entry_channels[{index}]"
        entered_by = entry.get("entered_by")
        if entered_by not in ENTERED_BY:
            raise _fail(file, f"{key}.entered_by", f"must be one of {', '.join(ENTERED_BY)}")
        channels.append(
            Channel(
                code=entry["code"],
                entered_by=entered_by,
                requires_reference=entry.get("requires_reference", False),
                names=_names(file, key, entry, languages, BUILT_IN_CHANNELS),
            )
        )
    for who in ENTERED_BY:
        if not any(channel.entered_by == who for channel in channels):
            raise _fail(file, "entry_channels", f"needs a channel entered by the {who}")
    return channels
