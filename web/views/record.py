"""The decision record: the register and decision sheets, the Catalogue and its editions,
registering applicants, capitals' confirmations and an amendment's changes to the Catalogue."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, pgettext
from flask_login import current_user, login_required
from sqlalchemy import select

from models import Body
from web import db
from web.csv_export import csv_response, spreadsheet_safe, zoned
from web.forms import CatalogueChangeForm, ConfirmationForm, ParticipantForm
from web.labels import CATALOGUE_CHANGE_LABELS, DECISION_STATUS_LABELS
from web.language import local_name
from web.views import bp
from web.views.access import require_document, require_round, require_secretariat_page
from web.views.common import forum_zone_name, refused, statement_kinds, working_languages
from workflow import catalogue, operations, queries, register
from workflow.catalogue import FIELD as CHANGES
from workflow.errors import N_, ConcordError, InvalidInput
from workflow.visibility import can_see_decision


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else None


def _decision_filters() -> register.DecisionFilters:
    return register.DecisionFilters(
        body=request.args.get("body", "")[:20],
        year=_int_arg("year"),
        page=_int_arg("page") or 1,
    )


# ---------------------------------------------------------------- the register


@bp.route("/decisions")
@login_required
def decision_register():
    session = db.session()
    filters = _decision_filters()
    return render_template(
        "record/decisions.html",
        listing=register.list_decisions(session, current_user, filters),
        filters=filters,
        index=register.register_years(session, current_user),
        bodies=list(session.scalars(select(Body).order_by(Body.id))),
        status_labels=DECISION_STATUS_LABELS,
    )


@bp.route("/decisions.csv")
@login_required
def decision_register_csv():
    session = db.session()
    decisions = register.all_decisions(session, current_user, _decision_filters())

    zone = ZoneInfo(forum_zone_name())

    def rows():
        yield [  # in the reader's language
            pgettext("CSV column", "symbol"),
            pgettext("CSV column", "body"),
            pgettext("CSV column", "taken_on"),
            pgettext("CSV column", "title"),
            pgettext("CSV column", "document"),
            pgettext("CSV column", "version"),
            pgettext("CSV column", "status"),
            pgettext("CSV column", "entered (%(zone)s)", zone=zone.key),
        ]
        for decision in decisions:
            yield [
                decision.symbol,
                decision.body.code,
                decision.taken_on.isoformat(),
                spreadsheet_safe(decision.title),
                decision.document.symbol,
                decision.document.symbol + decision.version.suffix,
                decision.status.value,
                zoned(decision.entered_at, zone),
            ]

    return csv_response(rows(), "decisions.csv")


@bp.route("/decisions/<id:decision_id>")
@login_required
def decision_sheet(decision_id: int):
    decision = register.load_decision(db.session(), decision_id)
    if decision is None or not can_see_decision(current_user, decision):
        abort(404)
    return render_template(
        "record/decision.html",
        decision=decision,
        status_labels=DECISION_STATUS_LABELS,
        statement_kinds=statement_kinds(decision.document.kind),
    )


# ---------------------------------------------------------------- the Catalogue


@bp.route("/catalogue")
@login_required
def catalogue_page():
    session = db.session()
    current = catalogue.in_force(session)
    if current is None:
        abort(404, gettext("The forum has no Catalogue."))
    return render_template(
        "record/catalogue.html",
        edition=current,
        editions=catalogue.editions(session),
        symbols=register.decision_symbols(session),
        in_force=True,
    )


@bp.route("/catalogue/editions/<id:number>")
@login_required
def catalogue_edition(number: int):
    session = db.session()
    found = catalogue.edition(session, number)
    if found is None:
        abort(404, gettext("There is no such edition of the Catalogue."))
    current = catalogue.in_force(session)
    return render_template(
        "record/catalogue.html",
        edition=found,
        editions=catalogue.editions(session),
        symbols=register.decision_symbols(session),
        in_force=found.number == current.number,
    )


@bp.route("/catalogue/compare")
@login_required
def catalogue_compare():
    session = db.session()
    old_number, new_number = _int_arg("from"), _int_arg("to")
    if old_number is None or new_number is None:
        abort(422, gettext("Choose two editions of the Catalogue by their numbers."))
    old, new = catalogue.edition(session, old_number), catalogue.edition(session, new_number)
    if old is None or new is None:
        abort(404, gettext("There is no such edition of the Catalogue."))
    return render_template(
        "record/catalogue_compare.html",
        old=old,
        new=new,
        editions=catalogue.editions(session),
        differences=catalogue.compare(old.content, new.content),
    )


# ---------------------------------------------------------------- an amendment's changes


def _change_from(form: CatalogueChangeForm) -> dict:
    """The fields the chosen operation takes, as the engine reads them."""
    fields = {
        "add_area": ("code", "dimension", "name_en", "name_ru", "coordinators"),
        "rename_area": ("code", "name_en", "name_ru"),
        "retire_area": ("code",),
        "add_measure": ("area", "text_en", "text_ru"),
        "amend_measure": ("code", "text_en", "text_ru"),
        "retire_measure": ("code",),
    }[form.op.data]
    change = {"op": form.op.data}
    for name in fields:
        value = (getattr(form, name).data or "").strip()
        if name == "coordinators":
            change[name] = [c.strip() for c in value.split(",") if c.strip()]
            change["co_coordinators"] = []
        elif value:
            change[name] = value
    return change


@bp.route("/documents/<id:document_id>/catalogue-changes", methods=["GET", "POST"])
@login_required
def catalogue_changes(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    changes = list((document.attributes or {}).get(CHANGES, []))
    form = CatalogueChangeForm()
    form.op.choices = list(CATALOGUE_CHANGE_LABELS.items())
    status = 200
    if request.method == "POST":
        removing = request.form.get("remove", "")
        if removing.isascii() and removing.isdigit() and int(removing) < len(changes):
            wanted = changes[: int(removing)] + changes[int(removing) + 1 :]
        elif form.validate_on_submit():
            wanted = [*changes, _change_from(form)]
        else:
            wanted = None
            status = 422
        if wanted is not None:
            try:
                if wanted:
                    operations.propose_changes(session, current_user, document.id, wanted)
                else:
                    raise InvalidInput(N_("an amendment keeps at least one change"))
            except ConcordError as error:
                status = refused(error)
            else:
                flash(gettext("The changes the amendment proposes are saved."), "success")
                return redirect(url_for("views.catalogue_changes", document_id=document.id))
    return render_template(
        "record/catalogue_changes.html",
        document=document,
        changes=changes,
        form=form,
        labels=CATALOGUE_CHANGE_LABELS,
        catalogue=catalogue.snapshot(session),
    ), status


# ---------------------------------------------------------------- participants


@bp.route("/secretariat/participants/new", methods=["GET", "POST"])
@login_required
def participant_new():
    require_secretariat_page()
    form = ParticipantForm()
    if "ru" not in working_languages():
        del form.name_ru
    status = 200
    if form.validate_on_submit():
        try:
            participant = operations.register_participant(
                db.session(),
                current_user,
                code=form.code.data,
                kind=form.kind.data,
                name_en=form.name_en.data,
                name_ru=form.name_ru.data if "name_ru" in form else "",
                taken_on=form.received_on.data,
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext("%(name)s is registered as an applicant.", name=local_name(participant)),
                "success",
            )
            return redirect(url_for("views.application_new", applicant=participant.code))
    elif request.method == "POST":
        status = 422
    return render_template("record/participant_new.html", form=form), status


# ---------------------------------------------------------------- confirmations


@bp.route("/rounds/<id:round_id>/confirm", methods=["GET", "POST"])
@login_required
def confirmation_form(round_id: int):
    session = db.session()
    round_ = require_round(queries.load_round(session, round_id))
    pending = [c for c in round_.confirmations if c.status.value == "pending"]
    mine = [c for c in pending if current_user.speaks_for(c.participant)]
    answerable = pending if current_user.is_secretariat else mine
    if not answerable:
        abort(403, gettext("No confirmation awaited in this round is yours to give."))
    form = ConfirmationForm()
    chosen = request.values.get("participant") or answerable[0].participant.code
    status = 200
    if form.validate_on_submit():
        try:
            operations.answer_confirmation(
                session,
                current_user,
                round_.id,
                participant=form.participant.data,
                confirm=form.answer.data == "confirm",
                text=form.text.data or "",
                reference=form.reference.data or "",
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(gettext("The capital's answer is on the record."), "success")
            return redirect(
                url_for("views.document_show", document_id=round_.document_id)
                + f"#round-{round_.id}"
            )
    elif request.method == "POST":
        status = 422
    form.participant.data = chosen
    return render_template(
        "record/confirm.html", round=round_, answerable=answerable, chosen=chosen, form=form
    ), status
