"""Sign in and out. Failed sign-ins are throttled per e-mail address and per client address.

The throttle lives in memory, in the app object: right for one process (the
embedded `concord serve`). Behind several gunicorn workers each worker counts on
its own, so the effective limit is multiplied by the number of workers.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta
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
    """Failure timestamps per key in a sliding window."""

    def __init__(self, attempts: int, window_seconds: int):
        self.attempts = attempts
        self.window = timedelta(seconds=window_seconds)
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, email: str, address: str) -> timedelta | None:
        """None when a sign-in may be tried now, else how long to wait."""
        now = clock.now()
        with self._lock:
            waits = []
            for key, limit in self._limits(email, address):
                failures = self._recent(key, now)
                if len(failures) >= limit:
                    waits.append(failures[0] + self.window - now)
            return max(waits) if waits else None

    def failed(self, email: str, address: str) -> None:
        now = clock.now()
        with self._lock:
            for key, _limit in self._limits(email, address):
                self._recent(key, now).append(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(f"email:{email}", None)

    def _limits(self, email: str, address: str):
        yield f"email:{email}", self.attempts
        yield f"ip:{address}", self.attempts * IP_FACTOR


def throttle() -> LoginThrottle:
    found = current_app.extensions.get("concord.login_throttle")
    if found is None:
        settings = current_app.extensions["concord.runtime"].settings
        found = LoginThrottle(settings.login_attempts, settings.login_window_seconds)
        current_app.extensions["concord.login_throttle"] = found
    return found


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
