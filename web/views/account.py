"""The user's own page: who they act for, and their API tokens (create, list, revoke)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from web import db
from web.forms import ActionForm, TokenForm
from web.views import bp
from workflow import tokens


def _page(issued: tokens.IssuedToken | None = None, form: TokenForm | None = None, status=200):
    session = db.session()
    return (
        render_template(
            "account.html",
            tokens=tokens.list_tokens(session, current_user),
            form=form or TokenForm(),
            revoke_form=ActionForm(),
            issued=issued,
        ),
        status,
    )


@bp.route("/account")
@login_required
def account():
    return _page()


@bp.route("/account/tokens", methods=["POST"])
@login_required
def token_create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form=form, status=422)
    user = current_user._get_current_object()  # the model itself, not Flask-Login's proxy
    issued = tokens.create_token(db.session(), user, name=form.name.data or "")
    # The secret is shown on this response only; the database keeps its hash.
    return _page(issued=issued, status=201)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(status=422)
    token = tokens.revoke_token(db.session(), token_id, owner=current_user)
    flash(f"Token {token.name or token.id} revoked.", "success")
    return redirect(url_for("views.account"))
