"""The home page: what awaits the user's states, then recent outcomes."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from web import db
from web.views import bp
from workflow import queries


@bp.route("/")
@login_required
def home():
    session = db.session()
    user = current_user
    context = {
        "awaiting": queries.awaiting_answers(session, user),
        "answered": queries.answered_open_rounds(session, user),
        "outcomes": queries.recent_outcomes(session, user, limit=8),
        "tracked": [],
        "awaiting_round": [],
    }
    if user.is_secretariat:
        context["tracked"] = queries.open_rounds_tracked(session)[:8]
        context["awaiting_round"] = queries.documents_awaiting_round(session)[:8]
    return render_template("home.html", **context)
