"""The Secretariat: the tracker of pending decisions, the answer grid, CSV, applications."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, pgettext
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from web import db, i18n, position_kinds
from web.csv_export import csv_response, spreadsheet_safe, zoned
from web.forms import application_form, working_texts
from web.labels import DUE_LABELS, MODE_LABELS
from web.language import current_language, local_name
from web.views import bp
from web.views.access import require_secretariat_page
from web.views.common import (
    forum_zone_name,
    open_work_filters,
    refused,
    status_word,
    working_languages,
)
from workflow import clock, operations, queries, register
from workflow.errors import ConcordError
from workflow.registry import registry


@bp.route("/secretariat/tracker")
@login_required
def tracker():
    require_secretariat_page()
    session = db.session()
    filters = open_work_filters(request.args)
    by = "body" if request.args.get("by") == "body" else "deadline"
    position_kinds.forum_kinds()  # read with the languages: the counts of objections need them
    tracked = queries.open_rounds_tracked(session, filters, by_body=by == "body")
    total, overdue = queries.open_round_counts(session, filters)
    groups = (
        [(code, list(items)) for code, items in groupby(tracked.items, lambda t: t.round.body.code)]
        if by == "body"
        else []
    )
    return render_template(
        "secretariat/tracker.html",
        tracked=tracked,
        total=total,
        overdue=overdue,
        groups=groups,
        by=by,
        filters=filters,
        bodies=queries.bodies(session),
        due_choices=DUE_LABELS,
        closed=queries.recently_closed(session),
        awaiting_round=queries.documents_awaiting_round(session),
        confirmations=register.awaiting_confirmations(session, current_user),
    )


CSV_BATCH = 500  # open rounds read per query while the CSV streams


def tracker_rows(filters: queries.OpenWorkFilters) -> Iterator[list]:
    """The tracker's rows for the CSV, read a batch of rounds at a time."""
    zone = ZoneInfo(forum_zone_name())
    yield [
        pgettext("CSV column", "symbol"),
        pgettext("CSV column", "title"),
        pgettext("CSV column", "body"),
        pgettext("CSV column", "procedure"),
        pgettext("CSV column", "deadline (%(zone)s)", zone=zone.key),
        pgettext("CSV column", "hours_left"),
        pgettext("CSV column", "electorate"),
        pgettext("CSV column", "answered"),
        pgettext("CSV column", "pending"),
        pgettext("CSV column", "objections"),
    ]
    session = db.session()
    language = current_language()
    page = 1
    while True:
        batch = queries.open_rounds_tracked(
            session, replace(filters, page=page, per_page=CSV_BATCH)
        )
        now = clock.now()
        for item in batch.items:
            round_ = item.round
            deadline = round_.deadline_at
            yield [
                round_.document.symbol,
                spreadsheet_safe(round_.document.title_in(language)),
                local_name(round_.body),
                MODE_LABELS[round_.mode],
                zoned(deadline, zone),
                round((deadline - now).total_seconds() / 3600, 1) if deadline else "",
                item.electorate,
                item.answered,
                item.pending,
                item.objections,
            ]
        if not batch.has_next:
            return
        session.expunge_all()  # what was written is not kept
        page += 1


@bp.route("/secretariat/tracker.csv")
@login_required
def tracker_csv():
    """Streamed: the worker holds one batch of rounds at a time, whatever their number."""
    require_secretariat_page()
    return csv_response(tracker_rows(open_work_filters(request.args)), "pending-decisions.csv")


GRID_ROUNDS = 20  # columns of the answer grid a page (every member is a row)

CELL_MARKS = {"answered": "✓", "objected": "✕", "pending": "•"}


def _cell_labels() -> dict[str, str]:
    return {
        "answered": gettext("answered"),
        "objected": gettext("objected"),
        "pending": gettext("not yet answered"),
    }


def grid_rows(grid: queries.Grid) -> list[tuple]:
    """(state, cells as HTML, pending count) per state; joined here, as 193 x 200 cells
    rendered one by one in the template take a second and a half. Each cell links to the
    state's row in the round's grid and says in words what its mark shows."""
    labels = _cell_labels()
    # What follows the state's name in a cell of each mark, escaped once for the grid.
    tails = {
        mark: (
            f'{escape(label)}"><span aria-hidden="true">{CELL_MARKS[mark]}</span>'
            f'<span class="visually-hidden">{escape(label)}</span></a></td>'
        )
        for mark, label in labels.items()
    }
    columns = [
        (t.round.id, url_for("views.document_show", document_id=t.round.document_id))
        for t in grid.rounds.items
    ]
    rows = []
    for state in grid.states:
        marks = [grid.cells.get((state.id, round_id)) for round_id, _ in columns]
        name = escape(local_name(state))
        cells = []
        for (round_id, page), mark in zip(columns, marks, strict=True):
            if mark is None:
                cells.append('<td class="cell"></td>')
                continue
            cells.append(
                f'<td class="cell {mark}"><a href="{page}#round-{round_id}-{state.code}" '
                f'title="{name}: {tails[mark]}'
            )
        rows.append((state, Markup("".join(cells)), marks.count("pending")))
    return rows


@bp.route("/secretariat/grid")
@login_required
def answer_grid():
    require_secretariat_page()
    session = db.session()
    filters = open_work_filters(request.args, per_page=GRID_ROUNDS)
    position_kinds.forum_kinds()  # read with the languages: the counts of objections need them
    grid = queries.answer_grid(session, filters)
    return render_template(
        "secretariat/grid.html",
        grid=grid,
        rows=grid_rows(grid),
        filters=filters,
        bodies=queries.bodies(session),
        due_choices=DUE_LABELS,
    )


@bp.route("/secretariat/applications/new", methods=["GET", "POST"])
@login_required
def application_new():
    require_secretariat_page()
    session = db.session()
    reg = registry()
    form = application_form(working_languages(), i18n.language_name)
    form.kind.choices = [
        (d.kind, d.title(current_language())) for d in reg if d.document.is_application
    ]
    form.applicant.choices = [("", gettext("— choose the applicant —"))] + [
        (p.code, f"{local_name(p)} ({status_word(p.status)})")
        for p in queries.applicants(session)
    ]
    if request.method == "GET" and request.args.get("applicant"):
        form.applicant.data = request.args["applicant"]  # just registered
    status = 200
    if form.validate_on_submit():
        texts = working_texts(form)
        try:
            document = operations.create_document(
                session,
                current_user,
                kind=form.kind.data,
                title=form.title.data,
                title_ru=form.title_ru.data if "title_ru" in form else "",
                applicant=form.applicant.data,
                texts=texts or None,
                taken_on=form.received_on.data,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext("Application registered as %(symbol)s.", symbol=document.symbol), "success"
            )
            return redirect(url_for("views.document_show", document_id=document.id))
    elif request.method == "POST":
        status = 422
    return render_template("secretariat/application_new.html", form=form), status
