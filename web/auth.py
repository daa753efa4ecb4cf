"""Sign in and out. Sign-ins are throttled per e-mail address and per client address
(workflow.throttle): each attempt is counted before its password is checked."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Affiliation, User
from web import db, login_manager
from web.forms import LoginForm
from workflow.accounts import check_sign_in
from workflow.throttle import LoginThrottle

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session().scalar(
        select(User)
        .where(User.id == int(user_id))
        .options(selectinload(User.affiliations).selectinload(Affiliation.participant))
    )
    return user if user is not None and user.active else None


def login_throttle() -> LoginThrottle:
    settings = current_app.extensions["concord.runtime"].settings
    return LoginThrottle(db.session(), settings.login_attempts, settings.login_window_seconds)


# A plain local path: one leading slash, then only the characters a URL path and query may
# hold (no backslash, no control character, no second slash that would name another host).
LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")


def safe_next(target: str | None) -> str:
    """Only a plain path on this site; anything else goes home."""
    if target and LOCAL_PATH.fullmatch(target) and not urlsplit(target).netloc:
        return target
    return url_for("views.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("views.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        address = request.remote_addr or "unknown"
        throttle = login_throttle()
        refusal = throttle.attempt(email, address)
        if refusal is not None:
            flash(
                "Too many sign-in attempts. Please try again in "
                f"{refusal.minutes} minute(s).",
                "error",
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(refusal.seconds)}
        user = db.session().scalar(select(User).where(User.email == email))
        if check_sign_in(user, form.password.data):
            throttle.succeeded(email, address)
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        flash("The e-mail address or the password is not right.", "error")
        status = 401
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
