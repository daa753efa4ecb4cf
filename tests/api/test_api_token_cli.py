"""`concord tokens ...` as an operator runs it: a real process and a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bootstrap.runtime import build_runtime
from config.settings import load_settings
from workflow.tokens import verify_token


@pytest.fixture
def concord(tmp_path):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")},
        "CONCORD_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from cli import main; main()", *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("init", "--demo").returncode == 0
    run.instance = tmp_path / "instance"
    return run


def _user_for(instance, secret: str):
    runtime = build_runtime(load_settings(environ={"CONCORD_INSTANCE_PATH": str(instance)}))
    try:
        with runtime.transaction() as session:
            user = verify_token(session, secret)
            return user.email if user else None
    finally:
        runtime.dispose()


def test_create_prints_the_token_once_list_shows_it_revoke_ends_it(concord):
    created = concord(
        "tokens", "create", "--email", "KAZ@concord.example", "--name", "mail gateway"
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("cnc_") and "\n" not in secret  # stdout is the token alone
    assert "not shown again" in created.stderr
    assert _user_for(concord.instance, secret) == "kaz@concord.example"

    listing = concord("tokens", "list", "--email", "kaz@concord.example")
    assert listing.returncode == 0
    assert "mail gateway" in listing.stdout and "never used" not in listing.stdout  # verified above
    assert secret not in listing.stdout
    token_id = listing.stdout.split()[0]

    revoked = concord("tokens", "revoke", token_id)
    assert revoked.returncode == 0 and f"Revoked token {token_id}" in revoked.stdout
    assert _user_for(concord.instance, secret) is None
    again = concord("tokens", "revoke", token_id)
    assert again.returncode == 0 and "already revoked" in again.stdout
    assert "revoked" in concord("tokens", "list").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--email", "nobody@example.org"], "no user with e-mail 'nobody@example.org'"),
        (["create", "--email", "kaz@concord.example", "--name", "x" * 101], "at most 100"),
        (["create"], "Missing option '--email'"),
        (["create", "--email", "kaz@concord.example", "--days", "0"], "Invalid value for '--days'"),
        (["revoke", "4242"], "no API token 4242"),
        (["revoke", "abc"], "is not a valid integer"),
        (["list", "--email", "nobody@example.org"], "no user with e-mail"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(concord, args, message):
    result = concord("tokens", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert concord("tokens", "list").stdout.strip() == "No API tokens."


def test_a_token_expires_after_the_days_given_and_list_shows_when(concord):
    default = concord("tokens", "create", "--email", "kaz@concord.example", "--name", "default")
    short = concord("tokens", "create", "--email", "kaz@concord.example", "--days", "7")
    assert default.returncode == 0 and short.returncode == 0, short.stderr
    assert "valid until" in short.stderr
    today = datetime.now(UTC)
    listing = concord("tokens", "list").stdout.splitlines()
    assert f"expires {today + timedelta(days=90):%Y-%m-%d}" in listing[0]
    assert f"expires {today + timedelta(days=7):%Y-%m-%d}" in listing[1]
    assert all("never used" in line for line in listing)
