"""Load an organisation profile (TOML) into the database.

Validation happens on the whole file before anything is written, and the
writing runs inside a savepoint: a profile either loads entirely or changes
nothing. Loading the same file twice changes nothing the second time. What a load
changes is audited: an event per participant whose status changed (through the
engine's own `set_status`), and one event listing the other changes.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bootstrap import position_kinds
from models import (
    Body,
    BodySeat,
    CoordinatorRole,
    Dimension,
    Forum,
    GroupMember,
    Measure,
    Participant,
    ParticipantGroup,
    ParticipantKind,
    ParticipantStatus,
    PriorityArea,
    PriorityAreaRole,
)
from models.forum import DEFAULT_ACCOUNTS, DEFAULT_CURRENCY, DEFAULT_DECISION_SYMBOL
from workflow import audit, catalogue, kinds, numbering
from workflow.change import Change, forum_change
from workflow.errors import DefinitionError
from workflow.loader import LANGUAGE
from workflow.participants import set_status
from workflow.registry import registry
from workflow.vocabulary import VOCABULARY_WORDS

SECTIONS = {
    "forum", "vocabulary", "accounts", "participants", "bodies", "groups", "catalogue",
    "dimensions", "priority_areas", "measures",
}
GROUP_KEYS = {"code", "name_en", "name_ru", "members"}
SECTIONS |= position_kinds.SECTIONS  # the forum's kinds of position and entry channels
PARTICIPANT_KEYS = {"code", "kind", "status", "since", "name_en", "name_ru"}
BODY_KEYS = {
    "code", "name_en", "name_ru", "short_en", "short_ru", "seats", "observers_attend",
    "decision_symbol",
}
BODY_OPTIONAL = {"observers_attend", "decision_symbol", "short_en", "short_ru"}
DIMENSION_KEYS = {"code", "name_en", "name_ru"}
AREA_KEYS = {"code", "dimension", "name_en", "name_ru", "coordinators", "co_coordinators", "note"}
MEASURE_KEYS = {"code", "area", "text_en", "text_ru"}
CATALOGUE_KEYS = {"title", "adopted_on"}
FORUM_KEYS = {
    "code",
    "name_en",
    "name_ru",
    "timezone",
    "languages",
    "symbol_prefix",
    "decision_symbol",
    "confirmation_days",
    "interface_languages",
    "reminder_hours",
    "definitions",
    "chair",
    "currency",
}
FORUM_OPTIONAL = {
    "definitions",
    "chair",
    "currency",
    "symbol_prefix",
    "decision_symbol",
    "confirmation_days",
    "interface_languages",
    "reminder_hours",
}
# The words a profile may give, each in every interface language (workflow.vocabulary).
VOCABULARY_KEYS = set(VOCABULARY_WORDS)
ACCOUNT_KEYS = set(DEFAULT_ACCOUNTS)
PROFILE_STATUSES = (
    ParticipantStatus.MEMBER,
    ParticipantStatus.OBSERVER,
    ParticipantStatus.PARTNER,
    ParticipantStatus.APPLICANT,
)


@dataclass
class LoadReport:
    forum: str
    participants: int
    bodies: int
    priority_areas: int
    changed: int


class _Checker:
    """Validation helpers that raise DefinitionError(file, key, reason)."""

    def __init__(self, file: str, russian: bool = True):
        self.file = file
        # `name_ru` (and a measure's `text_ru`) are required where Russian is a working
        # language; elsewhere optional, the pages falling back to English.
        self.optional = set() if russian else {"name_ru", "text_ru"}

    def fail(self, key: str, reason: str) -> DefinitionError:
        return DefinitionError(self.file, key, reason)

    def keys(self, key: str, entry: object, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(entry, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", "unknown key")
        required = required - self.optional
        missing = sorted(required - set(entry))
        if missing:
            raise self.fail(f"{key}.{missing[0]}", "is required")
        for name in required & {"code", "name_en", "name_ru"}:
            if not isinstance(entry[name], str) or not entry[name].strip():
                raise self.fail(f"{key}.{name}", "must be a non-empty string")
        for name in self.optional & set(entry):
            if not isinstance(entry[name], str):
                raise self.fail(f"{key}.{name}", "must be a string")
        return entry

    def unique(self, section: str, entries: list[dict]) -> None:
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry["code"] in seen:
                raise self.fail(f"{section}[{index}].code", f"duplicate code {entry['code']!r}")
            seen.add(entry["code"])


def definitions_folder(path: str | Path) -> Path | None:
    """The folder of the profile's own process definitions (`definitions` in [forum],
    relative to the profile file), or None: the bundled ones."""
    try:
        with open(path, "rb") as handle:
            folder = tomllib.load(handle).get("forum", {}).get("definitions")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return Path(path).parent / folder if isinstance(folder, str) and folder else None


def working_languages(path: str | Path) -> tuple[str, ...]:
    """The profile's working languages, or none when the file cannot be read (its loading
    reports that)."""
    try:
        with open(path, "rb") as handle:
            languages = tomllib.load(handle).get("forum", {}).get("languages", [])
    except (OSError, tomllib.TOMLDecodeError):
        return ()
    return tuple(language for language in languages if isinstance(language, str))


def read_profile(path: str | Path) -> dict:
    """Parse and validate a profile file; raises DefinitionError naming file, key and reason."""
    file = str(path)
    check = _Checker(file)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise check.fail("-", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise check.fail("-", f"not valid TOML ({exc})") from None

    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise check.fail(unknown[0], "unknown section")
    check = _Checker(file, russian="ru" in _working_languages(check, data.get("forum")))
    forum = check.keys("forum", data.get("forum"), FORUM_KEYS, FORUM_KEYS - FORUM_OPTIONAL)
    days = forum.get("confirmation_days", 30)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise check.fail("forum.confirmation_days", "must be a whole number of days, 1 to 365")
    extra = forum.get("interface_languages", [])
    if not isinstance(extra, list) or not all(
        isinstance(code, str) and re.fullmatch(r"[a-z]{2,8}", code) for code in extra
    ):
        raise check.fail("forum.interface_languages", 'must be a list of language codes ("zh")')
    hours = forum.get("reminder_hours", [72, 24])
    if not isinstance(hours, list) or not all(
        isinstance(h, int) and not isinstance(h, bool) and 1 <= h <= 24 * 60 for h in hours
    ):
        raise check.fail("forum.reminder_hours", "must be a list of whole hours, 1 to 1440")
    for key, entry in [("forum", forum)]:
        _check_decision_symbol(check, key, entry)
    if "definitions" in forum:
        folder = forum["definitions"]
        if not isinstance(folder, str) or not (Path(file).parent / folder).is_dir():
            raise check.fail(
                "forum.definitions", "must name a folder of definitions, relative to the profile"
            )
    try:
        ZoneInfo(forum["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise check.fail("forum.timezone", f"unknown time zone {forum['timezone']!r}") from None

    currency = forum.get("currency", DEFAULT_CURRENCY)
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise check.fail("forum.currency", 'must be an ISO 4217 code ("EUR")')
    interface = [*forum["languages"], *[c for c in extra if c not in forum["languages"]]]
    vocabulary = _read_vocabulary(check, data.get("vocabulary", {}), interface)
    accounts = _read_accounts(check, data.get("accounts", {}))

    participants = [
        check.keys(f"participants[{i}]", p, PARTICIPANT_KEYS, PARTICIPANT_KEYS - {"since"})
        for i, p in enumerate(data.get("participants", []))
    ]
    check.unique("participants", participants)
    by_code = {p["code"]: p for p in participants}
    for i, p in enumerate(participants):
        if p["kind"] not in {k.value for k in ParticipantKind}:
            raise check.fail(f"participants[{i}].kind", f"unknown kind {p['kind']!r}")
        if p["status"] not in {s.value for s in PROFILE_STATUSES}:
            raise check.fail(f"participants[{i}].status", f"unknown status {p['status']!r}")
        if isinstance(p.get("since"), str):
            with contextlib.suppress(ValueError):
                p["since"] = date.fromisoformat(p["since"])
        if "since" in p and not isinstance(p["since"], date):
            raise check.fail(f"participants[{i}].since", "must be a date (YYYY-MM-DD)")

    def member_states(key: str, codes: object) -> list[str]:
        if not isinstance(codes, list):
            raise check.fail(key, "must be a list of participant codes")
        for code in codes:
            if code not in by_code:
                raise check.fail(key, f"unknown participant {code!r}")
            if by_code[code]["status"] != "member" or by_code[code]["kind"] != "state":
                raise check.fail(key, f"{code!r} is not a state of status member")
        return codes

    member_states("forum.chair", forum.get("chair", []))

    bodies = [
        check.keys(f"bodies[{i}]", b, BODY_KEYS, BODY_KEYS - BODY_OPTIONAL)
        for i, b in enumerate(data.get("bodies", []))
    ]
    check.unique("bodies", bodies)
    for i, body in enumerate(bodies):
        if body["seats"] != "members":
            member_states(f"bodies[{i}].seats", body["seats"])
        _check_decision_symbol(check, f"bodies[{i}]", body)

    groups = [
        check.keys(f"groups[{i}]", g, GROUP_KEYS, GROUP_KEYS)
        for i, g in enumerate(data.get("groups", []))
    ]
    check.unique("groups", groups)
    for i, group in enumerate(groups):
        members = group["members"]
        if not isinstance(members, list) or not members:
            raise check.fail(f"groups[{i}].members", "must be a non-empty list of participant codes")
        for code in members:
            if code not in by_code:
                raise check.fail(f"groups[{i}].members", f"unknown participant {code!r}")

    dimensions = [
        check.keys(f"dimensions[{i}]", d, DIMENSION_KEYS, DIMENSION_KEYS)
        for i, d in enumerate(data.get("dimensions", []))
    ]
    check.unique("dimensions", dimensions)
    dimension_codes = {d["code"] for d in dimensions}
    areas = [
        check.keys(f"priority_areas[{i}]", a, AREA_KEYS, AREA_KEYS - {"note", "co_coordinators"})
        for i, a in enumerate(data.get("priority_areas", []))
    ]
    check.unique("priority_areas", areas)
    for i, area in enumerate(areas):
        if area["dimension"] not in dimension_codes:
            raise check.fail(f"priority_areas[{i}].dimension", f"unknown dimension {area['dimension']!r}")
        member_states(f"priority_areas[{i}].coordinators", area["coordinators"])
        member_states(f"priority_areas[{i}].co_coordinators", area.get("co_coordinators", []))
    area_codes = {a["code"] for a in areas}
    measures = [
        check.keys(f"measures[{i}]", m, MEASURE_KEYS, MEASURE_KEYS)
        for i, m in enumerate(data.get("measures", []))
    ]
    check.unique("measures", measures)
    for i, measure in enumerate(measures):
        if measure["area"] not in area_codes:
            raise check.fail(f"measures[{i}].area", f"unknown priority area {measure['area']!r}")
        for key in ("text_en", "text_ru"):
            if key in check.optional:
                continue
            if not isinstance(measure[key], str) or not measure[key].strip():
                raise check.fail(f"measures[{i}].{key}", "must be a non-empty string")
    catalogue = check.keys("catalogue", data.get("catalogue", {}), CATALOGUE_KEYS, set())
    if "adopted_on" in catalogue and not isinstance(catalogue["adopted_on"], date):
        raise check.fail("catalogue.adopted_on", "must be a date (YYYY-MM-DD)")
    kinds_and_channels = position_kinds.read(
        file, data, [*forum["languages"], *forum.get("interface_languages", [])]
    )
    return {
        "forum": forum,
        "vocabulary": vocabulary,
        "accounts": accounts,
        "kinds_and_channels": kinds_and_channels,
        "participants": participants,
        "bodies": bodies,
        "groups": groups,
        "catalogue": catalogue,
        "dimensions": dimensions,
        "priority_areas": areas,
        "measures": measures,
    }


def _working_languages(check: _Checker, forum: object) -> list[str]:
    """The `[forum] languages` as given (Russian assumed until they are read)."""
    languages = forum.get("languages", ["ru"]) if isinstance(forum, dict) else ["ru"]
    if not isinstance(languages, list) or not languages or not all(
        isinstance(code, str) and LANGUAGE.fullmatch(code) for code in languages
    ):
        raise check.fail("forum.languages", 'must be a non-empty list of language codes ("en")')
    return languages


def _read_vocabulary(check: _Checker, data: object, languages: list[str]) -> dict:
    """`member = { en = "participating State", ru = "государство-участник" }`: a known word, given in
    every interface language."""
    if not isinstance(data, dict):
        raise check.fail("vocabulary", "must be a table")
    words: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if key not in VOCABULARY_KEYS:
            raise check.fail(
                f"vocabulary.{key}", f"unknown word (known: {', '.join(sorted(VOCABULARY_KEYS))})"
            )
        if not isinstance(value, dict):
            raise check.fail(f"vocabulary.{key}", 'must be a table such as { en = "..." }')
        for language in languages:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                raise check.fail(f"vocabulary.{key}.{language}", "is required: a non-empty string")
        unknown = sorted(set(value) - set(languages))
        if unknown:
            raise check.fail(f"vocabulary.{key}.{unknown[0]}", "not an interface language")
        words[key] = {language: value[language].strip() for language in languages}
    return words


def _read_accounts(check: _Checker, data: object) -> dict:
    """Which statuses have delegates who speak for them, and which observer delegates."""
    if not isinstance(data, dict):
        raise check.fail("accounts", "must be a table")
    unknown = sorted(set(data) - ACCOUNT_KEYS)
    if unknown:
        raise check.fail(f"accounts.{unknown[0]}", "unknown key")
    statuses = {s.value for s in PROFILE_STATUSES}
    accounts = {key: list(value) for key, value in DEFAULT_ACCOUNTS.items()}
    for key, value in data.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise check.fail(f"accounts.{key}", "must be a list of participant statuses")
        for status in value:
            if status not in statuses:
                raise check.fail(f"accounts.{key}", f"unknown status {status!r}")
        accounts[key] = list(dict.fromkeys(value))
    if "member" not in accounts["delegates"]:
        raise check.fail("accounts.delegates", "must include 'member'")
    both = sorted(set(accounts["delegates"]) & set(accounts["observer_delegates"]))
    if both:
        raise check.fail("accounts.observer_delegates", f"status {both[0]!r} is also in delegates")
    return accounts


def _check_decision_symbol(check: _Checker, key: str, entry: dict) -> None:
    """A decision number pattern: {body}, {number}, {yy}, {yyyy}; without a year the number
    runs on from year to year (workflow.numbering)."""
    if "decision_symbol" not in entry:
        return
    reason = numbering.problem(entry["decision_symbol"], numbering.DECISION_FIELDS, "number")
    if reason:
        raise check.fail(f"{key}.decision_symbol", reason)


def _upsert(session: Session, model, code: str, **values) -> tuple[object, bool]:
    row = session.scalar(select(model).where(model.code == code))
    if row is None:
        row = model(code=code, **values)
        session.add(row)
        return row, True
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return row, changed


def _write(change: Change, profile: dict, file: str) -> int:
    session = change.session
    changes: list[str] = []
    forum = profile["forum"]
    existing = session.scalar(select(Forum))
    if existing is not None and existing.code != forum["code"]:
        raise DefinitionError("-", "forum.code", f"this database holds forum {existing.code!r}")
    _, c = _upsert(
        session, Forum, forum["code"], name_en=forum["name_en"], name_ru=forum.get("name_ru", ""),
        timezone=forum["timezone"], languages=list(forum["languages"]),
        symbol_prefix=forum.get("symbol_prefix", forum["code"]),
        decision_symbol=forum.get("decision_symbol", DEFAULT_DECISION_SYMBOL),
        confirmation_days=forum.get("confirmation_days", 30),
        interface_languages=list(forum.get("interface_languages", [])) or None,
        reminder_hours=sorted(set(forum.get("reminder_hours", [72, 24])), reverse=True),
        vocabulary=profile["vocabulary"], chair=list(forum.get("chair", [])),
        currency=forum.get("currency", DEFAULT_CURRENCY), accounts=profile["accounts"],
        has_catalogue=keeps_catalogue(profile),
        **profile["kinds_and_channels"],
    )
    kinds.forget(session)
    if c:
        changes.append(f"forum {forum['code']}")

    participants: dict[str, Participant] = {}
    status_changes = 0
    for entry in profile["participants"]:
        status = ParticipantStatus(entry["status"])
        row, c = _upsert(
            session, Participant, entry["code"], kind=ParticipantKind(entry["kind"]),
            name_en=entry["name_en"], name_ru=entry.get("name_ru", ""),
        )
        if c:
            changes.append(f"participant {entry['code']}")
        if row.status != status:
            record = set_status(row, status, since=entry.get("since"), note="profile")
            change.record("participant_status_changed", comment=file, data=record)
            status_changes += 1
        participants[entry["code"]] = row

    for entry in profile["bodies"]:
        all_members = entry["seats"] == "members"
        body, c = _upsert(
            session, Body, entry["code"], name_en=entry["name_en"], name_ru=entry.get("name_ru", ""),
            short_en=entry.get("short_en", ""), short_ru=entry.get("short_ru", ""),
            all_members_sit=all_members, observers_attend=entry.get("observers_attend", True),
            decision_symbol=entry.get("decision_symbol"),
        )
        wanted = [] if all_members else entry["seats"]
        if [s.participant.code for s in body.seats] != wanted:
            body.seats = [BodySeat(participant=participants[code]) for code in wanted]
            changes.append(f"seats of {entry['code']}: {', '.join(wanted) or 'all members'}")
        elif c:
            changes.append(f"body {entry['code']}")

    for entry in profile["groups"]:
        group, c = _upsert(
            session, ParticipantGroup, entry["code"], name_en=entry["name_en"],
            name_ru=entry["name_ru"],
        )
        if [m.participant.code for m in group.members] != entry["members"]:
            group.members = [GroupMember(participant=participants[code]) for code in entry["members"]]
            changes.append(f"members of {entry['code']}: {', '.join(entry['members'])}")
        elif c:
            changes.append(f"group {entry['code']}")

    changes += _write_catalogue(session, profile, participants)
    if changes:
        change.record("profile_loaded", comment=file, data={"changes": changes})
    if not change.events:
        change.skip()
    return len(changes) + status_changes


def keeps_catalogue(profile: dict) -> bool:
    """A forum keeps a Catalogue when its profile describes one or gives its content."""
    return bool(profile["catalogue"] or profile["dimensions"] or profile["priority_areas"])


def _write_catalogue(session: Session, profile: dict, participants: dict) -> list[str]:
    """The profile's Catalogue is the first edition. Once an amendment has produced a later
    edition, the Catalogue's content is the amendments' and the profile keeps only the
    coordinators of the areas in force."""
    changes: list[str] = []
    latest = catalogue.in_force(session)
    amended = latest is not None and latest.number > 1
    dimensions = {d.code: d for d in session.scalars(select(Dimension))}
    if not amended:
        for entry in profile["dimensions"]:
            dimensions[entry["code"]], c = _upsert(
                session, Dimension, entry["code"], name_en=entry["name_en"],
                name_ru=entry.get("name_ru", ""),
            )
            if c:
                changes.append(f"dimension {entry['code']}")
        session.flush()

    for entry in profile["priority_areas"]:
        if amended:
            area = session.scalar(select(PriorityArea).where(PriorityArea.code == entry["code"]))
            if area is None or area.retired_in is not None:
                continue
        else:
            area, c = _upsert(
                session, PriorityArea, entry["code"], dimension=dimensions[entry["dimension"]],
                name_en=entry["name_en"], name_ru=entry.get("name_ru", ""), note=entry.get("note", ""),
            )
            if c:
                changes.append(f"priority area {entry['code']}")
        wanted = [(code, CoordinatorRole.COORDINATOR) for code in entry["coordinators"]] + [
            (code, CoordinatorRole.CO_COORDINATOR) for code in entry.get("co_coordinators", [])
        ]
        if [(r.participant.code, r.role) for r in area.roles] != wanted:
            area.roles = [
                PriorityAreaRole(participant=participants[code], role=role) for code, role in wanted
            ]
            changes.append(f"coordinators of {entry['code']}: {', '.join(c for c, _ in wanted)}")
    session.flush()

    if not amended:
        areas = {a.code: a for a in session.scalars(select(PriorityArea))}
        for entry in profile["measures"]:
            _, c = _upsert(
                session, Measure, entry["code"], priority_area=areas[entry["area"]],
                text_en=entry["text_en"], text_ru=entry.get("text_ru", ""), since=1,
            )
            if c:
                changes.append(f"measure {entry['code']}")
        session.flush()
        described = profile["catalogue"]
        if latest is None and keeps_catalogue(profile):
            catalogue.record_edition(
                session,
                1,
                adopted_on=described.get("adopted_on"),
                title=described.get("title", ""),
                changes={"profile": True},
            )
            changes.append("Catalogue edition 1")
        elif changes:
            latest.content = catalogue.snapshot(session)  # the profile's edition, as loaded now
    return changes


def load_profile(session: Session, path: str | Path) -> LoadReport:
    """Validate and load a profile; all or nothing, idempotent."""
    profile = read_profile(path)
    registry().check_languages(profile["forum"]["languages"])  # a label in each of them
    registry().check_groups({group["code"] for group in profile["groups"]})  # electorates
    try:
        with session.begin_nested(), forum_change(
            session, None, actor_label=audit.PROFILE
        ) as change:
            changed = _write(change, profile, Path(path).name)
    except DefinitionError as exc:
        raise DefinitionError(str(path), exc.key, exc.reason) from None
    return LoadReport(
        forum=profile["forum"]["code"],
        participants=len(profile["participants"]),
        bodies=len(profile["bodies"]),
        priority_areas=len(profile["priority_areas"]),
        changed=changed,
    )
