"""The pages' side of visibility (workflow.visibility): 404 for what the viewer may not see,
403 for Secretariat pages."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext
from flask_login import current_user

from models import Document, Round
from workflow.visibility import can_see_document, can_see_round


def require_document(document: Document | None) -> Document:
    """404 for a missing document and for one the viewer may not see (no existence leak)."""
    if document is None or not can_see_document(current_user, document):
        abort(404)
    return document


def require_round(round_: Round | None) -> Round:
    if round_ is None or not can_see_round(current_user, round_):
        abort(404)
    return round_


def require_secretariat_page() -> None:
    """Secretariat pages (tracker, grid, forms): others get 403 before any work."""
    if not current_user.is_secretariat:
        abort(403, gettext("This page is for the Secretariat."))
