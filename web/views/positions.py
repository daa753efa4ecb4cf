"""Recording a state's position: by its delegate, or by the Secretariat on its behalf."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from models import RoundMode
from web import db, position_kinds
from web.errors import describe_error
from web.forms import OnBehalfPositionForm, PositionForm
from web.labels import OUTCOME_LABELS
from web.language import current_language, local_name
from web.problems import status_of
from web.views import bp, confirm
from web.views.access import require_round, require_secretariat_page
from web.views.common import refused, statement_kinds
from web.views.documents import round_view
from workflow import operations, queries
from workflow.errors import ConcordError, InvalidInput
from workflow.rounds import STATEMENT_KIND_WITHOUT_TEXT
from workflow.spec import StatementKind


def _statement_kind_choices(kinds: dict[str, StatementKind]) -> list[tuple[str, str]]:
    """None first, then each kind in the reader's language with the rule providing for it."""
    language = current_language()
    return [("", gettext("— none —"))] + [
        (k.code, f"{k.title(language)} ({k.rule})" if k.rule else k.title(language))
        for k in kinds.values()
    ]


def _done_message(round_, state_name: str, kind: str, statement: StatementKind | None) -> str:
    if statement is None:
        message = gettext(
            "Position of %(state)s recorded: %(position)s.",
            state=state_name,
            position=position_kinds.position_name(kind),
        )
    else:
        message = gettext(
            "Position of %(state)s recorded: %(position)s (%(statement)s).",
            state=state_name,
            position=position_kinds.position_name(kind),
            statement=statement.title(current_language()),
        )
    if not round_.is_open:
        message += " " + gettext(
            "The round has closed: %(outcome)s.", outcome=OUTCOME_LABELS[round_.outcome]
        )
    return message


def _breaks_silence(round_, kind: str) -> bool:
    return position_kinds.blocks(kind) and round_.mode is RoundMode.SILENCE


def _concerns_statement_kind(error: ConcordError) -> bool:
    """Whether the engine refused the kind of statement (shown by its field, not flashed)."""
    return isinstance(error, InvalidInput) and (
        error.message == STATEMENT_KIND_WITHOUT_TEXT or "statement_kind" in error.params
    )


def _record(form, round_, view, template: str, *, reference: str = "", channel=None):
    status = 200
    kinds = statement_kinds(round_.document.kind)
    form.statement_kind.choices = _statement_kind_choices(kinds) if kinds else []
    if form.validate_on_submit():
        session = db.session()
        code = form.participant.data
        # Ask only whoever may record it; the engine refuses everyone else with its reason.
        may_record = current_user.is_secretariat or any(s.code == code for s in view.my_states)
        if may_record and _breaks_silence(round_, form.kind.data) and not confirm.is_confirmed():
            return confirm.ask(
                title=gettext("Break the silence on %(symbol)s?", symbol=round_.document.symbol),
                consequence=gettext(
                    "An objection breaks the silence: the procedure ends at once for every "
                    "state and the text is not adopted. It cannot be withdrawn afterwards."
                ),
                confirm_label=gettext("Object and break the silence"),
                back_url=request.full_path.rstrip("?"),
            )
        try:
            operations.record_position(
                session,
                current_user,
                round_.id,
                participant=code,
                kind=form.kind.data,
                text=form.text.data or "",
                amendment=(form.amendment.data or "")
                if position_kinds.blocks(form.kind.data)
                else "",
                reference=reference,
                statement_kind=form.statement_kind.data or "",
                channel=channel,
            )
        except ConcordError as error:
            if kinds and _concerns_statement_kind(error):  # else its field is not shown
                session.rollback()
                form.statement_kind.errors = [describe_error(error)]
                status = status_of(error)
            else:
                status = refused(error)
        else:
            state = next((r.state for r in view.summary.rows if r.state.code == code), None)
            session.refresh(round_)
            flash(
                _done_message(
                    round_,
                    local_name(state) if state else code,
                    form.kind.data,
                    kinds.get(form.statement_kind.data or ""),
                ),
                "success",
            )
            return redirect(
                url_for("views.document_show", document_id=round_.document_id)
                + f"#round-{round_.id}"
            )
    elif request.method == "POST":
        status = 422
    return render_template(
        template, form=form, round=round_, view=view, statement_kinds=kinds
    ), status


@bp.route("/rounds/<id:round_id>/position", methods=["GET", "POST"])
@login_required
def position_form(round_id: int):
    round_ = require_round(queries.load_round(db.session(), round_id))
    view = round_view(round_)
    if request.method == "GET" and not view.my_states:
        abort(403, gettext("None of the states you represent takes part in this round."))
    form = PositionForm()
    # Any code may be posted: the engine decides whether this user speaks for it.
    form.participant.validate_choice = False
    choices = [(s.code, local_name(s)) for s in view.my_states]
    form.participant.choices = (
        choices
        if len(choices) == 1
        else [("", gettext("— choose the state you act for —")), *choices]
    )
    if request.method == "GET":
        chosen = request.args.get("state", "")
        if len(choices) == 1:
            chosen = choices[0][0]
        form.participant.data = chosen if chosen in dict(choices) else ""
        current = next(
            (
                r.current
                for r in view.summary.rows
                if r.state.code == form.participant.data and r.current
            ),
            None,
        )
        if current is not None:
            form.kind.data = current.kind
            form.text.data = current.text
            form.amendment.data = current.amendment
            form.statement_kind.data = current.statement_kind
    return _record(form, round_, view, "rounds/position.html")


@bp.route("/rounds/<id:round_id>/on-behalf", methods=["GET", "POST"])
@login_required
def position_on_behalf(round_id: int):
    require_secretariat_page()
    round_ = require_round(queries.load_round(db.session(), round_id))
    view = round_view(round_)
    form = OnBehalfPositionForm()
    form.participant.validate_choice = False
    form.participant.choices = [("", gettext("— choose the state —"))] + [
        (r.state.code, local_name(r.state)) for r in view.summary.rows
    ]
    if request.method == "GET":
        form.participant.data = request.args.get("state", "")
    return _record(
        form,
        round_,
        view,
        "rounds/on_behalf.html",
        reference=(form.reference.data or ""),
        channel=form.channel.data or None,
    )
