"""The edges of every request: ids, body size, security headers, production's defaults."""

from __future__ import annotations

import dataclasses
import io

import pytest
from web_helpers import sign_in

from config.settings import load_settings
from web import create_app
from web.converters import IdConverter


@pytest.fixture
def signed_in(client, world):
    sign_in(client, world.users["secretariat"].email)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/documents/9999999999999999999",
        "/documents/9999999999999999999/diff",
        "/rounds/9999999999999999999/position",
        "/documents/2147483648",  # one beyond a 32-bit integer
        "/documents/0",
        "/documents/٤",  # an Arabic-Indic four
        "/rounds/４/position",  # a fullwidth four
        "/documents/-1",
        "/documents/+1",
    ],
)
def test_ids_beyond_the_database_or_not_in_ascii_digits_are_not_found(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 404
    assert "text/html" in response.content_type


@pytest.mark.parametrize(
    "path", ["/api/v1/documents/0/versions", "/api/v1/rounds/2147483648/positions"]
)
def test_a_post_to_an_id_out_of_range_is_not_found_rather_than_not_allowed(signed_in, path):
    # A path whose only routes differ by method must still answer 404, not 405.
    response = signed_in.post(path, json={})
    assert response.status_code == 404


def test_the_largest_id_is_still_looked_up(signed_in):
    assert signed_in.get("/documents/2147483647").status_code == 404  # missing, not an error
    assert signed_in.get("/documents/0002147483647/diff").status_code == 404


def test_every_route_takes_its_ids_through_the_id_converter(app):
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():  # noqa: SLF001 - werkzeug's own record
            numeric = "id" in name or name in ("number", "decision_id")
            assert isinstance(converter, IdConverter) or not numeric, (rule.rule, name)
            assert type(converter).__name__ != "IntegerConverter", rule.rule


def test_a_body_over_the_limit_is_refused_with_a_page_before_it_is_read(app, signed_in, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 2 * 1024 * 1024  # the default
    read = []

    class Body(io.BytesIO):
        """A body that records what is read of it."""

        def read(self, size=-1):
            read.append(size)
            return super().read(size)

    response = signed_in.post(
        f"/documents/{world.concept.id}/fire",
        input_stream=Body(b"trigger=submit"),
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"CONTENT_LENGTH": str(limit + 1)},
    )
    assert response.status_code == 413
    assert "text/html" in response.content_type
    assert "larger than this site accepts" in response.get_data(as_text=True)
    assert read == []  # refused from its length alone


def test_a_body_without_a_length_is_cut_off_at_the_limit(app, signed_in, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = signed_in.post(
        f"/documents/{world.concept.id}/fire",
        data=b"trigger=" + b"x" * (limit + 10),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn marks a chunked body
    )
    assert response.status_code == 413


def test_the_limit_page_speaks_russian(signed_in, world):
    response = signed_in.post(
        f"/documents/{world.concept.id}/fire?lang=ru",
        data={"trigger": "x" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "превышают допустимый объём" in response.get_data(as_text=True)


def test_the_limit_is_a_setting(settings, session):
    small = dataclasses.replace(settings, max_request_bytes=4096)
    app = create_app(small, session_factory=lambda: session)
    response = app.test_client().post("/login", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/login", "/static/concord.css", "/api/v1/openapi.json", "/nope"])
def test_every_response_says_nosniff(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_outside_production_no_hsts_and_cookies_not_secure_by_default(client, settings):
    assert settings.hsts_max_age_seconds == 0 and settings.session_cookie_secure is False
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_production_defaults_to_hsts_and_secure_cookies(tmp_path):
    production = load_settings(
        environ={
            "CONCORD_ENV": "production",
            "CONCORD_SECRET_KEY": "s" * 64,
            "CONCORD_AUDIT_KEY": "a" * 64,
            "CONCORD_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert production.session_cookie_secure is True
    assert production.hsts_max_age_seconds == 365 * 24 * 3600
    app = create_app(production)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/static/concord.css")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_may_turn_them_off_explicitly(tmp_path):
    production = load_settings(
        environ={
            "CONCORD_ENV": "production",
            "CONCORD_SECRET_KEY": "s" * 64,
            "CONCORD_AUDIT_KEY": "a" * 64,
            "CONCORD_INSTANCE_PATH": str(tmp_path),
            "CONCORD_SESSION_COOKIE_SECURE": "false",
            "CONCORD_HSTS_MAX_AGE_SECONDS": "0",
        }
    )
    assert production.session_cookie_secure is False and production.hsts_max_age_seconds == 0


def test_a_body_without_a_length_within_the_limit_is_read_whole(client, world):
    user = world.users["secretariat"]
    body = f"email={user.email}&password=test-password-1".encode()
    response = client.post(
        "/login",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 302  # signed in: the form arrived whole
