"""The user's own page: who they act for, their language and time zone, their password,
their sessions (listed, ended everywhere) and their API tokens (create, list, revoke)."""

from __future__ import annotations

import ua_parser
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from web import db, i18n
from web.account_forms import PasswordChangeForm, PreferencesForm, TokenForm
from web.auth import current_user_session, recheck_password
from web.forms import ActionForm
from web.problems import translate_error
from web.views import bp
from web.views.common import forum_zone_name, viewer_zone_name
from web.views.notifications import preference_choices
from workflow import accounts, notifications, outbox, sessions, tokens
from workflow.errors import InvalidInput


def _password_refused(user, field) -> int | None:
    """The status to answer when the password typed again in `field` is wrong (the reason
    goes on the field), else None."""
    wrong = recheck_password(user, field.data)
    if wrong is None:
        return None
    message, status = wrong
    field.errors = [message]
    return status


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


def _token_days() -> int:
    return current_app.extensions["concord.runtime"].settings.api_token_days


def _preferences_form(form: PreferencesForm | None = None) -> PreferencesForm:
    user = _user()
    if form is None:
        form = PreferencesForm(language=user.language or "", timezone=user.timezone or "")
    form.language.choices = [("", _("As the browser asks"))] + [
        (code, i18n.language_name(code)) for code in i18n.languages()
    ]
    return form


def _page(
    status=200,
    *,
    issued: tokens.IssuedToken | None = None,
    token_form: TokenForm | None = None,
    password_form: PasswordChangeForm | None = None,
    preferences_form: PreferencesForm | None = None,
):
    database = db.session()
    return (
        render_template(
            "account.html",
            tokens=tokens.list_tokens(database, current_user),
            is_expired=tokens.is_expired,
            form=token_form or TokenForm(formdata=None),
            token_days=_token_days(),
            password_form=password_form or PasswordChangeForm(formdata=None),
            preferences_form=_preferences_form(preferences_form),
            time_zones=sorted(accounts.time_zone_names()),
            revoke_form=ActionForm(),
            issued=issued,
            sessions=sessions.active_sessions(database, _user()),
            this_session=current_user_session(),
            viewer_zone=viewer_zone_name(),
            forum_zone=forum_zone_name(),
            notification_choices=preference_choices(),
            notification_form=ActionForm(),
        ),
        status,
    )


@bp.route("/account")
@login_required
def account():
    return _page()


@bp.route("/account/preferences", methods=["POST"])
@login_required
def preferences_save():
    form = _preferences_form(PreferencesForm())
    if not form.validate_on_submit():
        return _page(422, preferences_form=form)
    try:
        accounts.set_preferences(
            db.session(), _user(), language=form.language.data, timezone=form.timezone.data
        )
    except InvalidInput as error:
        db.session().rollback()
        form.timezone.errors = [translate_error(error)]
        return _page(422, preferences_form=form)
    response = redirect(url_for("views.account"))
    i18n.remember(response, _user().language)
    flash(_("Your language and time zone are saved."), "success")
    return response


@bp.route("/account/notifications", methods=["POST"])
@login_required
def notification_preferences_save():
    choices = {
        kind: request.form[f"kind-{kind}"]
        for kind in outbox.KINDS
        if f"kind-{kind}" in request.form
    }
    try:
        notifications.set_notification_preferences(db.session(), _user(), choices)
    except InvalidInput as error:
        db.session().rollback()
        flash(translate_error(error), "error")
        return _page(422)
    flash(_("Your notification choices are saved."), "success")
    return redirect(url_for("views.account") + "#notifications")


@bp.route("/account/password", methods=["POST"])
@login_required
def password_change():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(422, password_form=form)
    user = _user()
    refused = _password_refused(user, form.current_password)
    if refused:
        return _page(refused, password_form=form)
    try:
        accounts.set_password(
            db.session(), user, form.new_password.data, keep_session=current_user_session()
        )
    except InvalidInput as error:
        db.session().rollback()
        form.new_password.errors = [translate_error(error)]
        return _page(422, password_form=form)
    flash(_("Your password is changed; your other sessions have ended."), "success")
    return redirect(url_for("views.account"))


@bp.route("/account/sessions/end-all", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(422)
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
        return _page(422, token_form=form)
    user = _user()
    refused = _password_refused(user, form.password)
    if refused:
        return _page(refused, token_form=form)
    issued = tokens.create_token(
        db.session(), user, name=form.name.data or "", valid_days=_token_days()
    )
    # The secret is shown on this response only; the database keeps its hash.
    return _page(201, issued=issued)


@bp.route("/account/tokens/<id:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(422)
    token = tokens.revoke_token(db.session(), token_id, owner=current_user)
    flash(_("Token %(name)s revoked.", name=token.name or token.id), "success")
    return redirect(url_for("views.account"))
