"""A database out of reach answers 503 with Retry-After, never 500; a restart leaves no dead
connection behind for the next request; nothing is retried once part of it ran."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from bootstrap.runtime import Runtime, build_runtime
from models.db import make_engine, make_session_factory
from web import create_app
from web import db as web_db

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/concord.sqlite3",
    "postgresql": "postgresql+psycopg://concord@127.0.0.1:1/concord",  # nothing listens on port 1
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable(request, settings):
    app = create_app(dataclasses.replace(settings, database_url=UNREACHABLE[request.param]))
    app.config["WTF_CSRF_ENABLED"] = False  # the forms' own views meet the outage
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: errors go to the handlers
    yield app.test_client()
    app.extensions["concord.runtime"].dispose()


def test_a_page_answers_503_with_a_friendly_page(unreachable):
    response = unreachable.get("/login")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "text/html" in response.content_type
    page = response.get_data(as_text=True)
    assert "The database cannot be reached at the moment" in page
    assert "Traceback" not in page


def test_an_error_page_that_meets_the_outage_becomes_the_503_page(settings):
    app = create_app(dataclasses.replace(settings, database_url=UNREACHABLE["sqlite"]))
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["sid"] = "1", "a-secret"
    response = client.post("/login", data={})  # no CSRF token: a 400 page, which reads the user
    assert response.status_code == 503
    assert "The database cannot be reached" in response.get_data(as_text=True)


def test_a_signed_in_visitor_and_a_form_get_the_same(unreachable):
    with unreachable.session_transaction() as cookie:
        cookie["_user_id"], cookie["sid"] = "1", "a-secret"  # looked up in the database
    assert unreachable.get("/").status_code == 503
    response = unreachable.post("/login", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 503


def test_the_page_speaks_the_visitors_language(unreachable):
    response = unreachable.get("/login", headers={"Accept-Language": "ru"})
    assert response.status_code == 503
    assert "База данных сейчас недоступна" in response.get_data(as_text=True)


def test_the_api_answers_a_503_problem(unreachable):
    response = unreachable.get("/api/v1/me", headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    problem = response.get_json()
    assert problem["type"] == "urn:concord:problem:database-unavailable"
    assert problem["title"] == "Service Unavailable"
    russian = unreachable.get(
        "/api/v1/me", headers={"Authorization": "Bearer x", "Accept-Language": "ru"}
    ).get_json()
    assert russian["title"] == "Сервис недоступен"


def test_a_bug_in_sql_is_still_a_500(settings, engine):
    app = create_app(settings)

    @app.route("/broken")
    def broken():
        web_db.session().execute(text("select * from no_such_table"))
        return "never"

    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    app.extensions["concord.runtime"].dispose()


# ---------------------------------------------------------------- PostgreSQL restarts


def _backend_pids(runtime: Runtime, count: int) -> list[int]:
    """Fill the pool with `count` connections and name their server processes."""
    connections = [runtime.engine.connect() for _ in range(count)]
    try:
        return [c.execute(text("select pg_backend_pid()")).scalar_one() for c in connections]
    finally:
        for connection in connections:
            connection.close()  # back to the pool, alive


def _terminate(engine, pids: list[int]) -> None:
    with engine.connect() as admin:
        admin.execute(
            text("select pg_terminate_backend(pid) from unnest(:pids) as pid"), {"pids": pids}
        )
        admin.commit()


def _app_with_pool(settings, **engine_options):
    runtime = build_runtime(settings)
    runtime.engine.dispose()
    pool = make_engine(settings.sqlalchemy_url, pool_size=3, **engine_options)
    runtime = Runtime(settings, pool, make_session_factory(pool))
    return create_app(runtime=runtime), runtime


@pytest.mark.postgres_only
def test_after_the_pools_backends_are_killed_the_next_requests_succeed(settings, engine):
    app, runtime = _app_with_pool(settings)
    client = app.test_client()
    assert client.get("/login").status_code == 200
    _terminate(engine, _backend_pids(runtime, 3))
    assert [client.get("/login").status_code for _ in range(4)] == [200] * 4
    runtime.dispose()


@pytest.mark.postgres_only
def test_without_the_ping_a_dead_connection_would_fail_the_request_as_503_not_500(settings, engine):
    """The control: what the ping saves a request from; even then the answer is a 503."""
    app, runtime = _app_with_pool(settings, pool_pre_ping=False)
    client = app.test_client()
    assert client.get("/login").status_code == 200
    _terminate(engine, _backend_pids(runtime, 1))
    response = client.get("/login")
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert client.get("/login").status_code == 200  # the dead connection was discarded
    runtime.dispose()


@pytest.mark.postgres_only
def test_a_request_cut_off_mid_transaction_is_not_retried_and_leaves_nothing(settings, engine):
    with engine.connect() as setup:
        setup.execute(text("create table outage_probe (n integer)"))
        setup.commit()
    try:
        app, runtime = _app_with_pool(settings)
        app.config["WTF_CSRF_ENABLED"] = False
        calls = []

        @app.route("/probe", methods=["POST"])
        def probe():
            calls.append(1)
            session = web_db.session()
            session.execute(text("insert into outage_probe values (1)"))
            pid = session.execute(text("select pg_backend_pid()")).scalar_one()
            _terminate(engine, [pid])  # the server goes away in the middle of the request
            session.execute(text("insert into outage_probe values (2)"))
            return "written"

        @app.route("/probe-commit", methods=["POST"])
        def probe_commit():
            session = web_db.session()
            session.execute(text("insert into outage_probe values (3)"))
            pid = session.execute(text("select pg_backend_pid()")).scalar_one()
            _terminate(engine, [pid])  # the server goes away before the request commits
            return "written"

        app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production
        client = app.test_client()
        response = client.post("/probe-commit")
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        response = client.post("/probe")
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert calls == [1]  # run once, never again behind the client's back
        with engine.connect() as check:
            assert check.execute(text("select count(*) from outage_probe")).scalar_one() == 0
        assert client.get("/login").status_code == 200
        runtime.dispose()
    finally:
        with engine.connect() as cleanup:
            cleanup.execute(text("drop table outage_probe"))
            cleanup.commit()
