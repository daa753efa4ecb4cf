"""Sign in and out. Sign-ins are throttled per e-mail address and per client address
(workflow.throttle): each attempt is counted before its password is checked.

Each sign-in begins a session kept on the server (workflow.sessions); the signed cookie
holds its secret, and every request checks that the session is still live, so signing
out (or out everywhere, or a password change) ends it even for a copy of the cookie."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from models import User, UserSession
from web import db, login_manager
from web.forms import LoginForm
from workflow import sessions
from workflow.accounts import check_sign_in, verify_password
from workflow.throttle import LoginThrottle

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


SESSION_KEY = "sid"  # the key of the server-side session's secret in the signed cookie


def current_user_session() -> UserSession | None:
    """This request's live server-side session, if any (looked up once per request)."""
    if "user_session" not in g:
        g.user_session = sessions.current_session(db.session(), session.get(SESSION_KEY))
    return g.user_session


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, only while their session is live on the server."""
    live = current_user_session()
    if live is None or str(live.user_id) != user_id:
        return None
    return live.user


def login_throttle() -> LoginThrottle:
    settings = current_app.extensions["concord.runtime"].settings
    return LoginThrottle(db.session(), settings.login_attempts, settings.login_window_seconds)


def recheck_password(user: User, password: str) -> tuple[str, int] | None:
    """The password re-entered before what a stolen session must not do alone (a new API
    token, a new password), counted by the sign-in throttle like a sign-in. None when it is
    right, else the message to show and the status to answer with."""
    address = request.remote_addr or "unknown"
    throttle = login_throttle()
    refusal = throttle.attempt(user.email, address)
    if refusal is not None:
        return gettext(
            "Too many attempts. Please try again in %(minutes)s minute(s).",
            minutes=refusal.minutes,
        ), 429
    if not verify_password(user, password or ""):
        return gettext("The password is not right."), 422
    throttle.succeeded(user.email, address)
    return None


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
                gettext(
                    "Too many sign-in attempts. Please try again in %(minutes)s minute(s).",
                    minutes=refusal.minutes,
                ),
                "error",
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(refusal.seconds)}
        user = db.session().scalar(select(User).where(User.email == email))
        if check_sign_in(user, form.password.data):
            throttle.succeeded(email, address)
            session.clear()  # a fresh session on sign-in: no fixation
            begun = sessions.begin_session(
                db.session(),
                user,
                address=request.remote_addr or "",
                user_agent=request.user_agent.string,
            )
            session[SESSION_KEY] = begun.secret
            g.user_session = begun.row
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        flash(gettext("The e-mail address or the password is not right."), "error")
        status = 401
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end_session(db.session(), session.get(SESSION_KEY))
    logout_user()
    session.clear()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("auth.login"))
