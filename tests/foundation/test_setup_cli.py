"""The `concord` command as a user runs it: a real process, a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bootstrap.demo_file import demo_file, load_demo_file
from config.settings import DEFAULT_PROFILE

DEMO_ACCOUNTS = load_demo_file(demo_file(DEFAULT_PROFILE))[0]
SMALL_FORUM = Path(__file__).parents[1] / "data" / "profiles" / "small_forum.toml"


@pytest.fixture
def run(tmp_path):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")},
        "CONCORD_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def concord(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from cli import main; main()", *args],
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return concord


@pytest.fixture
def initialised(run):
    result = run("init", "--demo")
    assert result.returncode == 0, result.stderr
    return run


def test_init_demo_prints_the_demo_accounts(run):
    result = run("init", "--demo")
    assert result.returncode == 0, result.stderr
    for account in DEMO_ACCOUNTS:
        assert account.email in result.stdout and account.password in result.stdout
    again = run("init", "--demo")  # idempotent
    assert again.returncode == 0, again.stderr


def test_init_demo_on_another_profile_gives_accounts_of_its_own_participants(run, tmp_path):
    result = run("init", "--demo", "--profile", str(SMALL_FORUM))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The Secretariat, an administrator, delegates of its members (its coordinator first),
    # an observer delegate: none of CICA's codes.
    for email in ("secretariat@", "admin@", "fin@", "nor@", "isl@", "dnk@", "est@"):
        assert f"{email}concord.example" in out
    assert "observer delegate of EST" in out and "delegate of NOR" in out
    assert "kaz@" not in out and "KAZ" not in out and "CHN" not in out
    listing = run("users", "list").stdout
    assert "delegate:NOR" in listing and "observer_delegate:EST" in listing
    again = run("init", "--demo", "--profile", str(SMALL_FORUM))  # idempotent
    assert again.returncode == 0, again.stderr


def test_users_create_and_list(initialised):
    result = initialised(
        "users", "create", "--email", "new.delegate@example.org", "--name", "New Delegate",
        "--password", "a-good-pass-9", "--delegate-of", "MNG", "--delegate-of", "kaz",
    )
    assert result.returncode == 0, result.stderr
    listing = initialised("users", "list").stdout
    line = next(line for line in listing.splitlines() if "new.delegate@example.org" in line)
    assert "delegate:MNG" in line and "delegate:KAZ" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "kaz@concord.example", "--password", "a-good-pass-9"], "already exists"),
        (["--email", "x@example.org", "--password", "a-good-pass-9", "--delegate-of", "XYZ"], "unknown participant code 'XYZ'"),
        (["--email", "x@example.org", "--password", "a-good-pass-9", "--delegate-of", "JPN"], "JPN may not have delegates"),
        (["--email", "x@example.org", "--password", "short-pass1"], "at least 12 characters"),
        (["--email", "x@example.org", "--password", "password1234"], "too common or too easy"),
        (["--email", "x@example.org"], "Missing option '--password'"),
        (["--email", "not-an-email", "--password", "a-good-pass-9"], "not an e-mail address"),
    ],
)
def test_bad_user_input_fails_with_one_line_and_writes_nothing(initialised, args, message):
    before = initialised("users", "list").stdout
    result = initialised("users", "create", "--name", "Someone", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert initialised("users", "list").stdout == before


def test_profile_load_of_a_broken_file_fails_cleanly(initialised, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[forum]\ncode = "CICA"\n')
    result = initialised("profile", "load", str(broken))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "broken.toml: forum.languages: is required" in result.stderr


def test_bad_settings_fail_with_one_line(run):
    result = run("users", "list", "--help")  # help needs no settings
    assert result.returncode == 0
    bad = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "db", "upgrade"],
        env={**os.environ, "CONCORD_TIMEZONE": "Nowhere/Town"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: setting 'timezone': unknown time zone 'Nowhere/Town'"


def test_participants_register_and_list(initialised):
    officer = "secretariat@concord.example"
    args = ("participants", "register", "--code", "omn", "--name-en", "Oman", "--name-ru", "Оман")
    result = initialised(*args, "--received-on", "2025-02-01", "--as", officer)
    assert result.returncode == 0, result.stderr
    listed = initialised("participants", "list", "--status", "applicant").stdout
    assert "OMN          applicant  2025-02-01  Oman" in listed and "MAR" in listed
    again = initialised(*args, "--as", officer)
    assert again.returncode == 1
    assert again.stderr.strip() == "error: code: a participant OMN is already registered"
    refused = initialised(*args, "--as", "kaz@concord.example")
    assert refused.returncode == 1 and "not an active Secretariat officer" in refused.stderr
