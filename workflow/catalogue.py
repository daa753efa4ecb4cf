"""The Catalogue of confidence-building measures as data: editions, priority areas, measures.

The first edition comes from the organisation profile; each later one is produced by an
adopted catalogue amendment, in the same change as the decision that adopts it. An
amendment carries structured changes, checked against the edition in force when they
are proposed and again when they are adopted:

    {"op": "add_area", "code": "HUM-2", "dimension": "HUM", "name_en": …, "name_ru": …,
     "coordinators": ["AAA"], "co_coordinators": []}
    {"op": "rename_area", "code": "ECO-4", "name_en": …, "name_ru": …}
    {"op": "retire_area", "code": "ECO-4"}
    {"op": "add_measure", "area": "HUM-1", "text_en": …, "text_ru": …}   (code given or numbered)
    {"op": "amend_measure", "code": "HUM-1.2", "text_en": …, "text_ru": …}
    {"op": "retire_measure", "code": "HUM-1.2"}

Each edition keeps the whole Catalogue as it left it (`content`), so any edition can be
shown and any two compared.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import (
    CatalogueEdition,
    CoordinatorRole,
    Decision,
    Dimension,
    Measure,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    PriorityArea,
    PriorityAreaRole,
)
from workflow import locking, times
from workflow.errors import N_, InvalidInput

FIELD = "catalogue_changes"
CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,29}$")
TEXT_LIMIT = 20_000
OPERATIONS = {
    "add_area": ({"code", "dimension", "name_en", "name_ru"}, {"coordinators", "co_coordinators"}),
    "rename_area": ({"code", "name_en", "name_ru"}, set()),
    "retire_area": ({"code"}, set()),
    "add_measure": ({"area", "text_en", "text_ru"}, {"code"}),
    "amend_measure": ({"code"}, {"text_en", "text_ru"}),
    "retire_measure": ({"code"}, set()),
}


# ---------------------------------------------------------------- the Catalogue in force


def in_force(session: Session) -> CatalogueEdition | None:
    return session.scalar(select(CatalogueEdition).order_by(CatalogueEdition.number.desc()))


def edition(session: Session, number: int) -> CatalogueEdition | None:
    return session.scalar(select(CatalogueEdition).where(CatalogueEdition.number == number))


def editions(session: Session) -> list[CatalogueEdition]:
    return list(session.scalars(select(CatalogueEdition).order_by(CatalogueEdition.number)))


def snapshot(session: Session) -> dict[str, list[dict[str, Any]]]:
    """The Catalogue as the tables hold it now (retired areas and measures left out)."""
    areas = list(
        session.scalars(
            select(PriorityArea)
            .where(PriorityArea.retired_in.is_(None))
            .options(
                selectinload(PriorityArea.dimension),
                selectinload(PriorityArea.roles).selectinload(PriorityAreaRole.participant),
            )
            .order_by(PriorityArea.code)
        )
    )
    measures = session.scalars(
        select(Measure)
        .where(Measure.retired_in.is_(None))
        .options(selectinload(Measure.priority_area))
        .order_by(Measure.code)
    )
    return {
        "dimensions": [
            {"code": d.code, "name_en": d.name_en, "name_ru": d.name_ru}
            for d in session.scalars(select(Dimension).order_by(Dimension.id))
        ],
        "areas": [
            {
                "code": a.code,
                "dimension": a.dimension.code,
                "name_en": a.name_en,
                "name_ru": a.name_ru,
                "coordinators": [p.code for p in a.coordinators],
                "co_coordinators": [p.code for p in a.co_coordinators],
            }
            for a in areas
        ],
        "measures": [
            {
                "code": m.code,
                "area": m.priority_area.code,
                "text_en": m.text_en,
                "text_ru": m.text_ru,
            }
            for m in measures
        ],
    }


def next_edition_number(session: Session) -> int:
    """The number the next edition takes (editions are numbered one at a time)."""
    locking.serialize(session, "catalogue_edition")
    return (session.scalar(select(func.max(CatalogueEdition.number))) or 0) + 1


def record_edition(
    session: Session,
    number: int,
    *,
    adopted_on: date | None,
    title: str = "",
    document_id: int | None = None,
    decision: Decision | None = None,
    changes: dict | None = None,
) -> CatalogueEdition:
    """Edition `number`: the Catalogue as it stands now, and what changed to make it."""
    session.flush()
    new = CatalogueEdition(
        number=number,
        title=title,
        adopted_on=adopted_on,
        adopted_at=times.now_utc(),
        document_id=document_id,
        decision_id=decision.id if decision is not None else None,
        changes=changes or {},
        content=snapshot(session),
    )
    session.add(new)
    session.flush()
    return new


# ---------------------------------------------------------------- changes


def _text(change: dict, key: str, where: str, *, limit: int = TEXT_LIMIT) -> str:
    value = change.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(
            N_("%(where)s.%(key)s: a non-empty text is required"), where=where, key=key
        )
    if len(value) > limit or "\x00" in value:
        raise InvalidInput(
            N_("%(where)s.%(key)s: too long, or contains a NUL character"), where=where, key=key
        )
    return value.strip()


def _code(change: dict, key: str, where: str) -> str:
    value = change.get(key)
    if not isinstance(value, str) or not CODE.match(value.strip().upper()):
        raise InvalidInput(
            N_("%(where)s.%(key)s: a code of capital letters, digits, '.' and '-'"),
            where=where,
            key=key,
        )
    return value.strip().upper()


def _member_states(session: Session, change: dict, key: str, where: str) -> list[str]:
    codes = change.get(key, [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise InvalidInput(
            N_("%(where)s.%(key)s: a list of members' codes"), where=where, key=key
        )
    codes = [c.strip().upper() for c in codes]
    found = {
        p.code
        for p in session.scalars(
            select(Participant).where(
                Participant.code.in_(codes),
                Participant.kind == ParticipantKind.STATE,
                Participant.status == ParticipantStatus.MEMBER,
            )
        )
    }
    for code in codes:
        if code not in found:
            raise InvalidInput(
                N_("%(where)s.%(key)s: %(code)s is not a member"),
                where=where,
                key=key,
                code=repr(code),
            )
    return codes


class _Catalogue:
    """The Catalogue in force as codes, updated change by change while checking a list."""

    def __init__(self, session: Session):
        content = snapshot(session)
        self.dimensions = {d["code"] for d in content["dimensions"]}
        self.areas = {a["code"] for a in content["areas"]}
        self.measures = {m["code"]: m["area"] for m in content["measures"]}
        self.retired_areas = set(
            session.scalars(select(PriorityArea.code).where(PriorityArea.retired_in.is_not(None)))
        )
        self.all_measures = set(session.scalars(select(Measure.code)))

    def next_measure_code(self, area: str) -> str:
        taken = [c for c in self.all_measures if c.startswith(f"{area}.")]
        numbers = [int(c.rsplit(".", 1)[1]) for c in taken if c.rsplit(".", 1)[1].isdigit()]
        return f"{area}.{max(numbers, default=0) + 1}"


def check_changes(session: Session, changes: object) -> list[dict[str, Any]]:
    """The changes, normalised, if each applies to the Catalogue in force (in order);
    InvalidInput naming the first that does not."""
    if not isinstance(changes, list) or not changes:
        raise InvalidInput(
            N_("%(field)s: a non-empty list of changes to the Catalogue"), field=FIELD
        )
    catalogue = _Catalogue(session)
    checked = []
    for index, change in enumerate(changes):
        where = f"{FIELD}[{index}]"
        if not isinstance(change, dict) or change.get("op") not in OPERATIONS:
            raise InvalidInput(
                N_("%(where)s.op: one of %(values)s"), where=where, values=", ".join(OPERATIONS)
            )
        op = change["op"]
        required, optional = OPERATIONS[op]
        unknown = sorted(set(change) - required - optional - {"op"})
        if unknown:
            raise InvalidInput(
                N_("%(where)s.%(unknown)s: not part of a %(op)s change"),
                where=where,
                unknown=unknown[0],
                op=op,
            )
        checked.append(_check_one(session, catalogue, op, change, where))
    return checked


def _check_one(session, catalogue: _Catalogue, op: str, change: dict, where: str) -> dict:
    out: dict[str, Any] = {"op": op}
    if op == "add_area":
        code = _code(change, "code", where)
        if code in catalogue.areas or code in catalogue.retired_areas:
            raise InvalidInput(
                N_("%(where)s.code: the priority area %(code)s exists already"),
                where=where,
                code=code,
            )
        dimension = _code(change, "dimension", where)
        if dimension not in catalogue.dimensions:
            raise InvalidInput(
                N_("%(where)s.dimension: no dimension %(dimension)s"),
                where=where,
                dimension=repr(dimension),
            )
        out.update(code=code, dimension=dimension)
        for key in ("name_en", "name_ru"):
            out[key] = _text(change, key, where, limit=200)
        for key in ("coordinators", "co_coordinators"):
            out[key] = _member_states(session, change, key, where)
        catalogue.areas.add(code)
    elif op in ("rename_area", "retire_area"):
        code = _code(change, "code", where)
        if code not in catalogue.areas:
            raise InvalidInput(
                N_("%(where)s.code: no priority area %(code)s in the Catalogue in force"),
                where=where,
                code=code,
            )
        out["code"] = code
        if op == "rename_area":
            for key in ("name_en", "name_ru"):
                out[key] = _text(change, key, where, limit=200)
        else:
            if any(area == code for area in catalogue.measures.values()):
                raise InvalidInput(
                    N_("%(where)s.code: %(code)s still has measures: retire or move them first"),
                    where=where,
                    code=code,
                )
            catalogue.areas.discard(code)
    elif op == "add_measure":
        area = _code(change, "area", where)
        if area not in catalogue.areas:
            raise InvalidInput(
                N_("%(where)s.area: no priority area %(area)s in the Catalogue in force"),
                where=where,
                area=area,
            )
        code = (
            _code(change, "code", where) if "code" in change else catalogue.next_measure_code(area)
        )
        if code in catalogue.all_measures:
            raise InvalidInput(
                N_("%(where)s.code: the measure %(code)s exists already"), where=where, code=code
            )
        out.update(code=code, area=area)
        for key in ("text_en", "text_ru"):
            out[key] = _text(change, key, where)
        catalogue.measures[code] = area
        catalogue.all_measures.add(code)
    else:  # amend_measure, retire_measure
        code = _code(change, "code", where)
        if code not in catalogue.measures:
            raise InvalidInput(
                N_("%(where)s.code: no measure %(code)s in the Catalogue in force"),
                where=where,
                code=code,
            )
        out["code"] = code
        if op == "amend_measure":
            texts = {k: _text(change, k, where) for k in ("text_en", "text_ru") if k in change}
            if not texts:
                raise InvalidInput(N_("%(where)s: give text_en, text_ru or both"), where=where)
            out.update(texts)
        else:
            del catalogue.measures[code]
    return out


def apply_changes(session: Session, changes: list[dict], edition_number: int) -> None:
    """Apply checked changes to the tables; the edition that records them is `edition_number`."""
    for change in changes:
        op = change["op"]
        if op == "add_area":
            dimension = session.scalar(
                select(Dimension).where(Dimension.code == change["dimension"])
            )
            states = change["coordinators"] + change["co_coordinators"]
            by_code = {
                p.code: p
                for p in session.scalars(select(Participant).where(Participant.code.in_(states)))
            }
            roles = [
                PriorityAreaRole(participant=by_code[c], role=CoordinatorRole.COORDINATOR)
                for c in change["coordinators"]
            ] + [
                PriorityAreaRole(participant=by_code[c], role=CoordinatorRole.CO_COORDINATOR)
                for c in change["co_coordinators"]
            ]
            session.add(
                PriorityArea(
                    code=change["code"],
                    dimension=dimension,
                    name_en=change["name_en"],
                    name_ru=change["name_ru"],
                    note="",
                    roles=roles,
                )
            )
        elif op in ("rename_area", "retire_area"):
            area = session.scalar(select(PriorityArea).where(PriorityArea.code == change["code"]))
            if op == "rename_area":
                area.name_en, area.name_ru = change["name_en"], change["name_ru"]
            else:
                area.retired_in = edition_number
        elif op == "add_measure":
            area = session.scalar(select(PriorityArea).where(PriorityArea.code == change["area"]))
            session.add(
                Measure(
                    code=change["code"],
                    priority_area=area,
                    text_en=change["text_en"],
                    text_ru=change["text_ru"],
                    since=edition_number,
                )
            )
        else:
            measure = session.scalar(select(Measure).where(Measure.code == change["code"]))
            if op == "amend_measure":
                measure.text_en = change.get("text_en", measure.text_en)
                measure.text_ru = change.get("text_ru", measure.text_ru)
            else:
                measure.retired_in = edition_number
    session.flush()


# ---------------------------------------------------------------- comparing editions


def compare(old: dict, new: dict) -> list[dict[str, str]]:
    """What changed between two editions' contents: one entry per area or measure."""
    rows = []
    old_areas = {a["code"]: a for a in old.get("areas", [])}
    new_areas = {a["code"]: a for a in new.get("areas", [])}
    for code in sorted(old_areas.keys() | new_areas.keys()):
        before, after = old_areas.get(code), new_areas.get(code)
        if before is None:
            rows.append(
                {"what": "area", "code": code, "change": "added", "after": after["name_en"]}
            )
        elif after is None:
            rows.append(
                {"what": "area", "code": code, "change": "retired", "before": before["name_en"]}
            )
        elif (before["name_en"], before["name_ru"]) != (after["name_en"], after["name_ru"]):
            rows.append(
                {
                    "what": "area",
                    "code": code,
                    "change": "renamed",
                    "before": before["name_en"],
                    "after": after["name_en"],
                }
            )
    old_measures = {m["code"]: m for m in old.get("measures", [])}
    new_measures = {m["code"]: m for m in new.get("measures", [])}
    for code in sorted(old_measures.keys() | new_measures.keys()):
        before, after = old_measures.get(code), new_measures.get(code)
        if before is None:
            rows.append(
                {"what": "measure", "code": code, "change": "added", "after": after["text_en"]}
            )
        elif after is None:
            rows.append(
                {"what": "measure", "code": code, "change": "retired", "before": before["text_en"]}
            )
        elif (before["text_en"], before["text_ru"]) != (after["text_en"], after["text_ru"]):
            rows.append(
                {
                    "what": "measure",
                    "code": code,
                    "change": "amended",
                    "before": before["text_en"],
                    "after": after["text_en"],
                }
            )
    return rows
