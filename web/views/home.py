"""The home page: what awaits the user's states, the documents waiting for their step,
then recent outcomes."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from web import db, position_kinds
from web.labels import DUE_LABELS
from web.views import bp
from web.views.common import open_work_filters, page_number
from workflow import desk, queries

SHORT = 8  # rows of the Secretariat's lists on the home page; the tracker has the rest


@bp.route("/")
@login_required
def home():
    session = db.session()
    user = current_user
    filters = open_work_filters(request.args)
    context = {
        "filters": filters,
        "awaiting": queries.awaiting_answers(session, user, filters),
        "answered": queries.answered_open_rounds(
            session, user, page_number(request.args.get("answered_page"))
        ),
        "outcomes": queries.recent_outcomes(session, user, limit=SHORT),
        "tracked": [],
        "awaiting_round": [],
        "bodies": queries.bodies(session) if user.represented_states else [],
        "desk": desk.documents_awaiting(session, user),
        "due_choices": DUE_LABELS,
    }
    if user.is_secretariat:
        position_kinds.forum_kinds()  # read with the languages: the counts of objections need them
        context["tracked"] = queries.open_rounds_tracked(
            session, queries.OpenWorkFilters(per_page=SHORT)
        ).items
        context["awaiting_round"] = queries.documents_awaiting_round(session, limit=SHORT)
    return render_template("home.html", **context)
