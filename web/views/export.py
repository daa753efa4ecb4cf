"""A document to read offline: its current version and what was decided on it, as a PDF
(WeasyPrint, with the system's fonts, so Cyrillic renders without a network)."""

from __future__ import annotations

import re

from flask import Response, abort, render_template
from flask_babel import gettext
from flask_login import current_user, login_required

from web import db
from web.views import bp
from web.views.access import require_document
from web.views.documents import round_view
from workflow import clock, queries, register


def _file_name(symbol: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", symbol).strip("-") + ".pdf"


@bp.route("/documents/<id:document_id>/document.pdf")
@login_required
def document_pdf(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    version = document.current_version
    if version is None:
        abort(404, gettext("This document has no text yet."))
    page = queries.document_page(session, document, current_user, rounds_page=1, history_page=1)
    outcomes = [
        round_view(r) for r in page.rounds.items if r.version_id == version.id and not r.is_open
    ]
    html = render_template(
        "documents/print.html",
        document=document,
        version=version,
        outcomes=outcomes,
        decisions=register.document_decisions(session, current_user, document.id),
        printed_at=clock.now(),
    )
    from weasyprint import HTML  # a heavy import, needed only here

    pdf = HTML(string=html).write_pdf()
    name = _file_name(document.symbol + version.suffix)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
