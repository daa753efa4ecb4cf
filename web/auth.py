"""Sign in and out. Failed sign-ins are throttled per e-mail address and per client address.

Failures are rows in the database (`login_failure`), so every gunicorn worker
counts the same failures.
"""

from __future__ import annotations

from datetime import timedelta
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
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from models import Affiliation, LoginFailure, User
from web import db, login_manager
from web.forms import LoginForm
from workflow import clock
from workflow.accounts import verify_password

bp = Blueprint("auth", __name__)

# One client address may fail more often than one account: colleagues share an office.
IP_FACTOR = 4

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


class LoginThrottle:
    """Failures per key within a sliding window, counted in the database."""

    def __init__(self, session: Session, attempts: int, window_seconds: int):
        self.session = session
        self.attempts = attempts
        self.window = timedelta(seconds=window_seconds)

    def retry_after(self, email: str, address: str) -> timedelta | None:
        """None when a sign-in may be tried now, else how long to wait."""
        now = clock.now()
        waits = []
        for key, limit in self._limits(email, address):
            count, oldest = self.session.execute(
                select(func.count(), func.min(LoginFailure.at)).where(
                    LoginFailure.key == key, LoginFailure.at > now - self.window
                )
            ).one()
            if count >= limit:
                waits.append(oldest + self.window - now)
        return max(waits) if waits else None

    def failed(self, email: str, address: str) -> None:
        """Record the failure and commit it: the 401 reply must not roll it back."""
        now = clock.now()
        keys = [key for key, _limit in self._limits(email, address)]
        self.session.execute(
            delete(LoginFailure).where(
                LoginFailure.key.in_(keys), LoginFailure.at <= now - self.window
            )
        )
        self.session.add_all(LoginFailure(key=key, at=now) for key in keys)
        self.session.commit()

    def succeeded(self, email: str) -> None:
        self.session.execute(delete(LoginFailure).where(LoginFailure.key == f"email:{email}"))

    def _limits(self, email: str, address: str):
        yield f"email:{email}", self.attempts
        yield f"ip:{address}", self.attempts * IP_FACTOR


def throttle() -> LoginThrottle:
    settings = current_app.extensions["concord.runtime"].settings
    return LoginThrottle(db.session(), settings.login_attempts, settings.login_window_seconds)


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes home."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
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
        wait = throttle().retry_after(email, address)
        if wait is not None:
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            flash(
                f"Too many failed sign-ins. Please wait {minutes} minute(s) and try again.",
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = db.session().scalar(select(User).where(User.email == email))
        if user is not None and user.active and verify_password(user, form.password.data):
            throttle().succeeded(email)
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        throttle().failed(email, address)
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
