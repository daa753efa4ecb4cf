"""Fields a definition declares for its documents (`[document.custom_fields.<name>]`):
checked and kept on the document as JSON values.

text: a string; date: `YYYY-MM-DD`; participant: a participant's code; money: an amount
kept as a string with two decimals ("1250000.00"); number: a whole number; area: a
priority area's code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Participant, PriorityArea
from workflow.errors import N_, InvalidInput
from workflow.spec import Definition, FieldSpec

TEXT_LIMIT = 2000
MONEY_LIMIT = Decimal("1e12")


def _refuse(spec: FieldSpec, reason: str, **values) -> InvalidInput:
    return InvalidInput(reason, field=spec.name, **values)


def _clean_one(session: Session, spec: FieldSpec, value: object) -> object:
    if spec.type == "text":
        if not isinstance(value, str) or len(value.strip()) > TEXT_LIMIT:
            raise _refuse(
                spec, N_("%(field)s: a text of at most %(limit)s characters"), limit=TEXT_LIMIT
            )
        return value.strip()
    if spec.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise _refuse(
                spec, N_("%(field)s: %(value)s is not a date (YYYY-MM-DD)"), value=repr(value)
            ) from None
    if spec.type == "number":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or not str(value).strip().isdigit()
        ):
            raise _refuse(spec, N_("%(field)s: not a whole number: %(value)s"), value=repr(value))
        return int(value)
    if spec.type == "money":
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise _refuse(
                spec, N_("%(field)s: not an amount: %(value)s"), value=repr(value)
            ) from None
        if not Decimal(0) <= amount < MONEY_LIMIT:
            raise _refuse(spec, N_("%(field)s: not an amount: %(value)s"), value=repr(value))
        return str(amount)
    model = Participant if spec.type == "participant" else PriorityArea
    code = str(value).strip().upper()
    if session.scalar(select(model.id).where(model.code == code)) is None:
        raise _refuse(spec, N_("%(field)s: unknown code %(value)s"), value=repr(value))
    return code


def clean(
    session: Session, definition: Definition, given: dict | None, current: dict | None = None
) -> dict:
    """`current` with `given` applied (a value of None or "" clears a field), every value
    checked; a field the definition does not declare, a bad value or a required field left
    empty is refused."""
    if given is not None and not isinstance(given, dict):
        raise InvalidInput(N_("fields must be given by name"))
    result = dict(current or {})
    for name, value in (given or {}).items():
        spec = definition.document.custom_field(name)
        if spec is None:
            raise InvalidInput(
                N_("a %(title)s has no field %(name)s"),
                title=definition.title().lower(),
                name=repr(name),
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            result.pop(name, None)
        else:
            result[name] = _clean_one(session, spec, value)
    for spec in definition.document.custom_fields:
        if spec.required and spec.name not in result:
            raise _refuse(spec, N_("%(field)s is required"))
    return result


def participant_id(session: Session, document, name: str) -> int | None:
    """The participant a field names (a built-in one, e.g. proposer, or a declared one)."""
    if name in ("proposer", "applicant"):
        return getattr(document, f"{name}_id")
    code = (document.custom_fields or {}).get(name)
    if code is None:
        return None
    return session.scalar(select(Participant.id).where(Participant.code == code))
