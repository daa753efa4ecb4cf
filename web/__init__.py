"""The Flask application factory."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from bootstrap.runtime import Runtime, build_runtime
from config.settings import Settings
from web import db, security

csrf = CSRFProtect()
login_manager = LoginManager()


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    session_factory=None,
    run_scheduler: bool = False,
) -> Flask:
    """Build the app. `session_factory` lets tests hand in a session bound to their transaction."""
    runtime = runtime or build_runtime(settings)
    settings = runtime.settings
    app = Flask(__name__, instance_path=str(settings.instance_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        TESTING=settings.env == "testing",
    )
    app.extensions["concord.runtime"] = runtime
    if settings.trusted_proxies:
        # The client's address and scheme as the proxies saw them (the throttle counts per
        # address); only as many hops as are trusted, so a client cannot forge its own.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    security.init_app(app, settings)  # first: an oversized body is refused before CSRF reads it
    db.init_app(app, session_factory or runtime.sessions)
    csrf.init_app(app)
    login_manager.init_app(app)

    from web import api, auth, converters, errors, i18n, views

    converters.init_app(app)  # before any route is declared
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens, not cookies

    if run_scheduler:
        from workflow import scheduler

        scheduler.start_in_process(runtime)
    return app
