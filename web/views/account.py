"""The user's own page: who they act for, their sessions (listed, ended everywhere) and
their API tokens (create, list, revoke)."""

from __future__ import annotations

import ua_parser
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from web import db
from web.auth import current_user_session
from web.forms import ActionForm, TokenForm
from web.views import bp
from workflow import sessions, tokens


@bp.app_template_filter("browser")
def browser(user_agent: str) -> str:
    """'Firefox 121 on Windows' from a User-Agent header, else the header itself."""
    parsed = ua_parser.parse(user_agent or "")
    if parsed.user_agent is None:
        return user_agent[:60] if user_agent else _("unknown browser")
    name = " ".join(filter(None, (parsed.user_agent.family, parsed.user_agent.major)))
    if parsed.os is None or parsed.os.family == "Other":
        return name
    return _("%(browser)s on %(system)s", browser=name, system=parsed.os.family)


def _user():
    return current_user._get_current_object()  # the model itself, not Flask-Login's proxy


def _page(issued: tokens.IssuedToken | None = None, form: TokenForm | None = None, status=200):
    database = db.session()
    return (
        render_template(
            "account.html",
            tokens=tokens.list_tokens(database, current_user),
            form=form or TokenForm(),
            revoke_form=ActionForm(),
            issued=issued,
            sessions=sessions.active_sessions(database, _user()),
            this_session=current_user_session(),
        ),
        status,
    )


@bp.route("/account")
@login_required
def account():
    return _page()


@bp.route("/account/sessions/end-all", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(status=422)
    sessions.end_sessions(db.session(), _user())
    logout_user()
    session.clear()
    flash(_("You are signed out everywhere: every session of your account has ended."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
def token_create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form=form, status=422)
    issued = tokens.create_token(db.session(), _user(), name=form.name.data or "")
    # The secret is shown on this response only; the database keeps its hash.
    return _page(issued=issued, status=201)


@bp.route("/account/tokens/<id:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(status=422)
    token = tokens.revoke_token(db.session(), token_id, owner=current_user)
    flash(_("Token %(name)s revoked.", name=token.name or token.id), "success")
    return redirect(url_for("views.account"))
