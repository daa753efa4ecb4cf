"""The Secretariat: the tracker of pending decisions, the answer grid, CSV, applications."""

from __future__ import annotations

import csv
import io
from itertools import groupby

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from web import db
from web.forms import ApplicationForm
from web.labels import MODE_LABELS
from web.language import current_language
from web.views import bp
from web.views.access import require_secretariat_page
from web.views.common import refused
from web.views.filters import time_left
from workflow import operations, queries, register
from workflow.errors import ConcordError
from workflow.registry import registry


def spreadsheet_safe(text: str) -> str:
    """A leading =, +, -, @ would run as a formula when the CSV is opened in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/secretariat/tracker")
@login_required
def tracker():
    require_secretariat_page()
    session = db.session()
    tracked = queries.open_rounds_tracked(session)
    overdue = [t for t in tracked if t.overdue]
    ordered = overdue + [t for t in tracked if not t.overdue]
    by = request.args.get("by", "deadline")
    groups = []
    if by == "body":
        keyed = sorted(ordered, key=lambda t: t.round.body.code)
        groups = [
            (code, list(items)) for code, items in groupby(keyed, lambda t: t.round.body.code)
        ]
    return render_template(
        "secretariat/tracker.html",
        tracked=ordered,
        overdue=len(overdue),
        groups=groups,
        by=by,
        closed=queries.recently_closed(session),
        awaiting_round=queries.documents_awaiting_round(session),
        confirmations=register.awaiting_confirmations(session, current_user),
    )


@bp.route("/secretariat/tracker.csv")
@login_required
def tracker_csv():
    require_secretariat_page()
    tracked = queries.open_rounds_tracked(db.session())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "symbol",
            "title",
            "body",
            "procedure",
            "deadline_utc",
            "time_left",
            "electorate",
            "answered",
            "pending",
            "objections",
        ]
    )
    for item in sorted(tracked, key=lambda t: (not t.overdue,)):
        round_ = item.round
        writer.writerow(
            [
                round_.document.symbol,
                spreadsheet_safe(round_.document.title),
                round_.body.code,
                MODE_LABELS[round_.mode],
                round_.deadline_at.isoformat() if round_.deadline_at else "",
                time_left(round_.deadline_at)[1] if round_.deadline_at else "",
                item.electorate,
                item.answered,
                item.pending,
                item.objections,
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=pending-decisions.csv"},
    )


CELLS = {
    "answered": '<td class="cell answered">✓</td>',
    "objected": '<td class="cell objected">✕</td>',
    "pending": '<td class="cell pending">•</td>',
    None: '<td class="cell"></td>',
}


def grid_rows(grid: queries.Grid) -> list[tuple]:
    """(state, cells as HTML, pending count) per state; joined here, as 193 x 200 cells
    rendered one by one in the template take a second and a half."""
    round_ids = [t.round.id for t in grid.rounds]
    rows = []
    for state in grid.states:
        marks = [grid.cells.get((state.id, round_id)) for round_id in round_ids]
        cells = Markup("".join(CELLS[mark] for mark in marks))
        rows.append((state, cells, marks.count("pending")))
    return rows


@bp.route("/secretariat/grid")
@login_required
def answer_grid():
    require_secretariat_page()
    grid = queries.answer_grid(db.session())
    return render_template("secretariat/grid.html", grid=grid, rows=grid_rows(grid))


@bp.route("/secretariat/applications/new", methods=["GET", "POST"])
@login_required
def application_new():
    require_secretariat_page()
    session = db.session()
    reg = registry()
    form = ApplicationForm()
    form.kind.choices = [
        (d.kind, d.title(current_language())) for d in reg if d.document.is_application
    ]
    form.applicant.choices = [("", "— choose the applicant —")] + [
        (p.code, f"{p.name_en} ({p.status.value})") for p in queries.applicants(session)
    ]
    if request.method == "GET" and request.args.get("applicant"):
        form.applicant.data = request.args["applicant"]  # just registered
    status = 200
    if form.validate_on_submit():
        texts = {
            language: text
            for language, text in (("en", form.text_en.data), ("ru", form.text_ru.data))
            if text and text.strip()
        }
        try:
            document = operations.create_document(
                session,
                current_user,
                kind=form.kind.data,
                title=form.title.data,
                applicant=form.applicant.data,
                texts=texts or None,
                taken_on=form.received_on.data,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(f"Application registered as {document.symbol}.", "success")
            return redirect(url_for("views.document_show", document_id=document.id))
    elif request.method == "POST":
        status = 422
    return render_template("secretariat/application_new.html", form=form), status
