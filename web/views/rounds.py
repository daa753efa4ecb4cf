"""The Secretariat's round actions: open, close a meeting round, extend a deadline, instruments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from models import RoundMode
from web import db
from web.forms import CloseRoundForm, ExtendDeadlineForm, InstrumentForm, OpenRoundForm
from web.labels import INSTRUMENT_LABELS, MODE_LABELS, OUTCOME_LABELS
from web.language import current_language, local_name
from web.views import bp, confirm
from web.views.access import require_document, require_round, require_secretariat_page
from web.views.common import lock_version, refused, viewer_zone_name
from web.views.documents import round_view
from web.views.filters import body_short
from workflow import operations, queries
from workflow.errors import ConcordError, InvalidInput
from workflow.registry import registry


def _back_to(round_or_document_id: int, anchor: str = ""):
    url = url_for("views.document_show", document_id=round_or_document_id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@bp.route("/documents/<id:document_id>/rounds/new", methods=["GET", "POST"])
@login_required
def round_open(document_id: int):
    require_secretariat_page()
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    spec = registry().get(document.kind).round_spec(document.state)
    if spec is None:
        abort(409, gettext("The document's current state does not hold a decision round."))
    form = OpenRoundForm()
    form.mode.choices = [(m.value, MODE_LABELS[m]) for m in spec.modes]
    definition = registry().get(document.kind)
    form.on_consensus.choices = [
        (t, definition.trigger_title(document.state, t, current_language()))
        for t in spec.consensus_triggers
    ]
    if request.method == "GET":
        form.lock_version.data = str(document.lock_version)
        form.timezone.data = viewer_zone_name()
        form.mode.data = spec.modes[0].value
    status = 200
    if form.validate_on_submit():
        try:
            round_ = operations.open_round(
                session,
                current_user,
                document.id,
                mode=RoundMode(form.mode.data),
                # In session only where the definition lets a meeting have a deadline.
                deadline=(
                    form.deadline.data
                    if form.mode.data != "meeting" or spec.meeting_deadline
                    else None
                ),
                timezone=form.timezone.data,
                expected_lock_version=lock_version(form.lock_version.data),
                on_consensus=form.on_consensus.data or None,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext(
                    "%(procedure)s opened in the %(body)s on %(symbol)s.",
                    procedure=MODE_LABELS[round_.mode],
                    body=body_short(spec.body),
                    symbol=document.symbol,
                ),
                "success",
            )
            return _back_to(document.id, f"round-{round_.id}")
    elif request.method == "POST":
        status = 422
    return render_template("rounds/open.html", form=form, document=document, spec=spec), status


@bp.route("/rounds/<id:round_id>/close", methods=["POST"])
@login_required
def round_close(round_id: int):
    require_secretariat_page()
    round_ = require_round(queries.load_round(db.session(), round_id))
    form = CloseRoundForm()
    form.on_consensus.validate_choice = False  # the engine checks it against the definition
    if not form.validate_on_submit():
        raise InvalidInput("; ".join(e for errors in form.errors.values() for e in errors))
    summary = round_view(round_).summary
    silent = len(summary.rows) - summary.answered
    if silent and not confirm.is_confirmed():
        return confirm.ask(
            title=gettext("Close the round on %(symbol)s?", symbol=round_.document.symbol),
            consequence=ngettext(
                "%(num)d of %(total)d states has given no position. Closing the round records "
                "the outcome now; it can no longer answer.",
                "%(num)d of %(total)d states have given no position. Closing the round records "
                "the outcome now; they can no longer answer.",
                silent,
                total=len(summary.rows),
            ),
            confirm_label=gettext("Close the round"),
            back_url=url_for("views.document_show", document_id=round_.document_id)
            + f"#round-{round_.id}",
        )
    operations.close_round(
        db.session(),
        current_user,
        round_.id,
        note=form.note.data or "",
        taken_on=form.taken_on.data,
        on_consensus=form.on_consensus.data or None,
    )
    flash(gettext("Round closed: %(outcome)s.", outcome=OUTCOME_LABELS[round_.outcome]), "success")
    return _back_to(round_.document_id, f"round-{round_.id}")


@bp.route("/rounds/<id:round_id>/extend", methods=["GET", "POST"])
@login_required
def round_extend(round_id: int):
    require_secretariat_page()
    session = db.session()
    round_ = require_round(queries.load_round(session, round_id))
    form = ExtendDeadlineForm()
    if request.method == "GET":
        form.timezone.data = round_.deadline_timezone or viewer_zone_name()
    status = 200
    if form.validate_on_submit():
        try:
            operations.extend_deadline(
                session,
                current_user,
                round_.id,
                new_deadline=form.new_deadline.data,
                reason=form.reason.data,
                timezone=form.timezone.data,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(gettext("Deadline extended; the new deadline is on the record."), "success")
            return _back_to(round_.document_id, f"round-{round_.id}")
    elif request.method == "POST":
        status = 422
    return render_template("rounds/extend.html", form=form, round=round_), status


@bp.route("/documents/<id:document_id>/instruments/new", methods=["GET", "POST"])
@login_required
def instrument_new(document_id: int):
    require_secretariat_page()
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    if registry().get(document.kind).instruments is None:
        abort(404, gettext("Instruments are recorded for conventions only."))
    form = InstrumentForm()
    form.participant.choices = [("", gettext("— choose the state —"))] + [
        (p.code, local_name(p)) for p in queries.member_states(session)
    ]
    status = 200
    if form.validate_on_submit():
        try:
            instrument = operations.record_instrument(
                session,
                current_user,
                document.id,
                participant=form.participant.data,
                kind=form.kind.data,
                deposited_on=form.deposited_on.data,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext(
                    "%(instrument)s by %(state)s recorded.",
                    instrument=INSTRUMENT_LABELS[instrument.kind],
                    state=local_name(instrument.participant),
                ),
                "success",
            )
            return _back_to(document.id, "instruments")
    elif request.method == "POST":
        status = 422
    return render_template("rounds/instrument.html", form=form, document=document), status
