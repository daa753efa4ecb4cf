"""Proposing changes to the Catalogue: the operation behind a catalogue amendment's content.

The changes are checked against the edition in force (workflow.catalogue) when proposed;
the `catalogue_changes` guard checks them again on submission and adoption, and the
`amend_catalogue` effect applies them with the adopting decision.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import User
from workflow.catalogue import FIELD, check_changes
from workflow.change import document_change
from workflow.engine import definition_for
from workflow.errors import N_, InvalidInput, NotPermitted
from workflow.permissions import document_roles, require


def propose_changes(
    session: Session,
    actor: User | None,
    document_id: int,
    changes: list[dict],
    *,
    expected_lock_version: int | None = None,
) -> list[dict]:
    """Set what a catalogue amendment changes, while it is being drafted; checked now against
    the edition in force (a change naming what does not exist is refused)."""
    if actor is None:
        raise NotPermitted(N_("changes to the Catalogue are proposed by a user"))
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        document = change.document
        definition = definition_for(document)
        if FIELD not in definition.document.fields:
            raise InvalidInput(
                N_("a %(title)s proposes no changes to the Catalogue"),
                title=definition.title().lower(),
            )
        require(
            document_roles(actor, document),
            definition.document.revise,
            f"change what {document.symbol} proposes",
        )
        if document.state != definition.initial:
            raise InvalidInput(
                N_(
                    "%(symbol)s is %(state_title)s: its changes can be set only while it is drafted"
                ),
                symbol=document.symbol,
                state_title=definition.state_title(document.state),
            )
        checked = check_changes(session, changes)
        document.attributes = {**(document.attributes or {}), FIELD: checked}
        change.record("catalogue_changes_proposed", data={FIELD: checked})
    return checked
