"""The sign-in throttle under a burst of parallel requests against a running server.

A real threaded WSGI server on the test database, real HTTP requests sent at once: every
attempt is answered (no 500 from a lost lock) and no more passwords are checked than the
throttle allows.
"""

from __future__ import annotations

import dataclasses
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, select
from werkzeug.serving import make_server

from bootstrap.runtime import build_runtime
from models import LoginAttempt, User, UserSession
from web import create_app
from workflow import accounts
from workflow.accounts import create_user

PASSWORD = "burst-password-1"
BURST = 40


@pytest.fixture
def live(settings, engine, monkeypatch):
    """A running server, an account committed for it, and a count of password checks."""
    settings = dataclasses.replace(settings, trusted_proxies=1)
    runtime = build_runtime(settings)
    email = f"burst-{uuid.uuid4().hex[:8]}@test.example"
    with runtime.transaction() as session:
        create_user(session, email=email, name="Burst", password=PASSWORD)
    checks = Counter()
    lock = threading.Lock()
    check = accounts.check_password_hash

    def counted(hash_, password):
        with lock:
            checks["password"] += 1
        return check(hash_, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    app = create_app(runtime=runtime)
    app.config["WTF_CSRF_ENABLED"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", email, checks
    server.shutdown()
    thread.join()
    with runtime.transaction() as session:
        account = select(User.id).where(User.email == email).scalar_subquery()
        session.execute(delete(UserSession).where(UserSession.user_id == account))
        session.execute(delete(User).where(User.email == email))
        session.execute(delete(LoginAttempt).where(LoginAttempt.key.like("%burst-%")))
        session.execute(delete(LoginAttempt).where(LoginAttempt.key.like("ip:198.51.100.%")))
    runtime.dispose()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_login(base: str, email: str, password: str, address: str) -> int:
    body = urllib.parse.urlencode({"email": email, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/login", data=body, headers={"X-Forwarded-For": address}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(base: str, email: str, password: str, address: str, size: int) -> Counter:
    with ThreadPoolExecutor(max_workers=size) as pool:
        futures = [pool.submit(post_login, base, email, password, address) for _ in range(size)]
        return Counter(future.result() for future in futures)


def test_a_burst_of_wrong_passwords_gets_no_more_checks_than_allowed(live, settings):
    base, email, checks = live
    statuses = burst(base, email, "wrong-password-9", "198.51.100.1", BURST)
    assert sum(statuses.values()) == BURST
    assert statuses[500] == 0
    assert set(statuses) <= {401, 429}
    assert statuses[401] == checks["password"] <= settings.login_attempts
    assert statuses[429] == BURST - statuses[401]
    # Even the right password now waits for the window (from another address, too).
    assert post_login(base, email, PASSWORD, "198.51.100.2") == 429


def test_with_one_attempt_left_a_burst_gets_one_check(live, settings):
    base, email, checks = live
    for _ in range(settings.login_attempts - 1):
        assert post_login(base, email, "wrong-password-9", "198.51.100.3") == 401
    checks.clear()
    statuses = burst(base, email, "wrong-password-9", "198.51.100.4", BURST)
    assert checks["password"] == 1
    assert statuses == Counter({401: 1, 429: BURST - 1})


def test_behind_a_trusted_proxy_each_client_has_its_own_count(live, settings):
    """With trusted_proxies = 1 the throttle counts the forwarded address, not the proxy's."""
    base, email, _checks = live
    limit = settings.login_attempts * 4
    for number in range(limit):
        post_login(base, f"guess{number}-burst-@test.example", "wrong-9", "198.51.100.5")
    assert post_login(base, email, PASSWORD, "198.51.100.5") == 429
    assert post_login(base, email, PASSWORD, "198.51.100.6") == 302
