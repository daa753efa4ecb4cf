"""Who may see which page. Decisions (who may act) stay with the engine's operations.

Member-state delegates, the Secretariat and administrators see every document.
Everyone else (observer delegates, accounts without an affiliation) sees what is
shared with observers: documents not marked restricted, and rounds of bodies that
observers attend.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models import Document, Round, User


def sees_everything(user: User) -> bool:
    return bool(user.represented_states) or user.is_secretariat or user.is_admin


def can_view_document(user: User, document: Document) -> bool:
    return sees_everything(user) or not document.restricted


def can_view_round(user: User, round_: Round) -> bool:
    if sees_everything(user):
        return True
    return not round_.document.restricted and round_.body.observers_attend


def require_document(document: Document | None) -> Document:
    """404 for a missing document and for one the viewer may not see (no existence leak)."""
    if document is None or not can_view_document(current_user, document):
        abort(404)
    return document


def require_round(round_: Round | None) -> Round:
    if round_ is None or not can_view_round(current_user, round_):
        abort(404)
    return round_


def require_secretariat_page() -> None:
    """Secretariat pages (tracker, grid, forms): others get 403 before any work."""
    if not current_user.is_secretariat:
        abort(403, "This page is for the Secretariat.")
