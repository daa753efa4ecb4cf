"""Load an organisation profile (TOML) into the database.

Validation happens on the whole file before anything is written, and the
writing runs inside a savepoint: a profile either loads entirely or changes
nothing. Loading the same file twice changes nothing the second time. What a load
changes is audited: an event per participant whose status changed (through the
engine's own `set_status`), and one event listing the other changes.
"""

from __future__ import annotations

import contextlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Body,
    BodySeat,
    CoordinatorRole,
    Dimension,
    Forum,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    PriorityArea,
    PriorityAreaRole,
)
from workflow import audit
from workflow.change import Change, forum_change
from workflow.errors import DefinitionError
from workflow.participants import set_status

SECTIONS = {"forum", "participants", "bodies", "dimensions", "priority_areas"}
PARTICIPANT_KEYS = {"code", "kind", "status", "since", "name_en", "name_ru"}
BODY_KEYS = {"code", "name_en", "name_ru", "seats", "observers_attend"}
DIMENSION_KEYS = {"code", "name_en", "name_ru"}
AREA_KEYS = {"code", "dimension", "name_en", "name_ru", "coordinators", "co_coordinators", "note"}
FORUM_KEYS = {"code", "name_en", "name_ru", "timezone", "languages", "symbol_prefix"}
PROFILE_STATUSES = (ParticipantStatus.MEMBER, ParticipantStatus.OBSERVER, ParticipantStatus.PARTNER)


@dataclass
class LoadReport:
    forum: str
    participants: int
    bodies: int
    priority_areas: int
    changed: int


class _Checker:
    """Validation helpers that raise DefinitionError(file, key, reason)."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, reason: str) -> DefinitionError:
        return DefinitionError(self.file, key, reason)

    def keys(self, key: str, entry: object, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(entry, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", "unknown key")
        missing = sorted(required - set(entry))
        if missing:
            raise self.fail(f"{key}.{missing[0]}", "is required")
        for name in required & {"code", "name_en", "name_ru"}:
            if not isinstance(entry[name], str) or not entry[name].strip():
                raise self.fail(f"{key}.{name}", "must be a non-empty string")
        return entry

    def unique(self, section: str, entries: list[dict]) -> None:
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry["code"] in seen:
                raise self.fail(f"{section}[{index}].code", f"duplicate code {entry['code']!r}")
            seen.add(entry["code"])


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
    forum = check.keys("forum", data.get("forum"), FORUM_KEYS, FORUM_KEYS - {"symbol_prefix"})
    try:
        ZoneInfo(forum["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise check.fail("forum.timezone", f"unknown time zone {forum['timezone']!r}") from None

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
                raise check.fail(key, f"{code!r} is not a member state")
        return codes

    bodies = [
        check.keys(f"bodies[{i}]", b, BODY_KEYS, BODY_KEYS - {"observers_attend"})
        for i, b in enumerate(data.get("bodies", []))
    ]
    check.unique("bodies", bodies)
    for i, body in enumerate(bodies):
        if body["seats"] != "members":
            member_states(f"bodies[{i}].seats", body["seats"])

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
    return {
        "forum": forum,
        "participants": participants,
        "bodies": bodies,
        "dimensions": dimensions,
        "priority_areas": areas,
    }


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
        session, Forum, forum["code"], name_en=forum["name_en"], name_ru=forum["name_ru"],
        timezone=forum["timezone"], languages=list(forum["languages"]),
        symbol_prefix=forum.get("symbol_prefix", forum["code"]),
    )
    if c:
        changes.append(f"forum {forum['code']}")

    participants: dict[str, Participant] = {}
    status_changes = 0
    for entry in profile["participants"]:
        status = ParticipantStatus(entry["status"])
        row, c = _upsert(
            session, Participant, entry["code"], kind=ParticipantKind(entry["kind"]),
            name_en=entry["name_en"], name_ru=entry["name_ru"],
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
            session, Body, entry["code"], name_en=entry["name_en"], name_ru=entry["name_ru"],
            all_members_sit=all_members, observers_attend=entry.get("observers_attend", True),
        )
        wanted = [] if all_members else entry["seats"]
        if [s.participant.code for s in body.seats] != wanted:
            body.seats = [BodySeat(participant=participants[code]) for code in wanted]
            changes.append(f"seats of {entry['code']}: {', '.join(wanted) or 'all members'}")
        elif c:
            changes.append(f"body {entry['code']}")

    dimensions = {}
    for entry in profile["dimensions"]:
        dimensions[entry["code"]], c = _upsert(
            session, Dimension, entry["code"], name_en=entry["name_en"], name_ru=entry["name_ru"]
        )
        if c:
            changes.append(f"dimension {entry['code']}")
    session.flush()

    for entry in profile["priority_areas"]:
        area, c = _upsert(
            session, PriorityArea, entry["code"], dimension=dimensions[entry["dimension"]],
            name_en=entry["name_en"], name_ru=entry["name_ru"], note=entry.get("note", ""),
        )
        wanted = [(code, CoordinatorRole.COORDINATOR) for code in entry["coordinators"]] + [
            (code, CoordinatorRole.CO_COORDINATOR) for code in entry.get("co_coordinators", [])
        ]
        if [(r.participant.code, r.role) for r in area.roles] != wanted:
            area.roles = [
                PriorityAreaRole(participant=participants[code], role=role) for code, role in wanted
            ]
            changes.append(f"coordinators of {entry['code']}: {', '.join(c for c, _ in wanted)}")
        elif c:
            changes.append(f"priority area {entry['code']}")
    session.flush()
    if changes:
        change.record("profile_loaded", comment=file, data={"changes": changes})
    if not change.events:
        change.skip()
    return len(changes) + status_changes


def load_profile(session: Session, path: str | Path) -> LoadReport:
    """Validate and load a profile; all or nothing, idempotent."""
    profile = read_profile(path)
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
