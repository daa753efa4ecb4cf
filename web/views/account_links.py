"""Choosing a password through a single-use link (an invitation or a reset), and asking for
a reset link ("Forgot your password?"), which answers the same whatever the e-mail."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from web import db
from web.account_forms import ChoosePasswordForm
from web.auth import login_throttle
from web.links import public_url
from web.problems import translate_error
from web.user_forms import ForgotPasswordForm
from web.views import bp
from workflow import user_admin
from workflow.errors import InvalidInput


def _unusable(error: user_admin.LinkUnusable):
    status = 410 if isinstance(error, user_admin.LinkGone) else 404
    return render_template("auth/link_unusable.html", message=translate_error(error)), status


@bp.route("/password/<secret>", methods=["GET", "POST"])
def password_link(secret: str):
    session = db.session()
    try:
        link = user_admin.find_link(session, secret)
    except user_admin.LinkUnusable as error:
        return _unusable(error)
    form = ChoosePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            user_admin.set_password_with_link(session, secret, form.new_password.data)
        except user_admin.LinkUnusable as error:
            return _unusable(error)
        except InvalidInput as error:
            session.rollback()
            form.new_password.errors = [translate_error(error)]
            status = 422
        else:
            flash(gettext("Your password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    elif request.method == "POST":
        status = 422
    return (
        render_template(
            "auth/choose_password.html",
            form=form,
            user=link.user,
            invitation=link.purpose == user_admin.INVITATION,
        ),
        status,
        {"Referrer-Policy": "no-referrer"},  # the link's secret is in the address
    )


@bp.route("/password-reset", methods=["GET", "POST"])
def password_forgot():
    form = ForgotPasswordForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        # Counted like sign-in attempts (per e-mail asked for, and per client address), so
        # nobody floods an inbox or the log; the refusal is the same for any e-mail.
        refusal = login_throttle().attempt(f"reset:{email}", request.remote_addr or "unknown")
        if refusal is not None:
            flash(
                gettext(
                    "Too many attempts. Please try again in %(minutes)s minute(s).",
                    minutes=refusal.minutes,
                ),
                "error",
            )
            page = render_template("auth/forgot_password.html", form=form)
            return page, 429, {"Retry-After": str(refusal.seconds)}
        user_admin.request_password_reset(db.session(), email, public_url=public_url())
        # The same answer whether the account exists or not: nothing to enumerate.
        flash(
            gettext(
                "If an active account has this e-mail address, a link to choose a new "
                "password is on its way. It works once, for 30 minutes."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    if request.method == "POST":
        status = 422
    return render_template("auth/forgot_password.html", form=form), status
