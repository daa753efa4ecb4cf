"""`concord users ...`: user administration from the command line, run against the test
session through the real entry point (errors: a non-zero exit and one line)."""

from __future__ import annotations

import dataclasses
import sys
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from cli import main
from cli import users as users_commands
from config.settings import LOCAL_URL
from models import AuditEvent
from workflow import sessions, tokens
from workflow import user_admin as admin
from workflow.accounts import check_sign_in


@pytest.fixture
def concord(session, settings, monkeypatch, capsys):
    @contextmanager
    def test_session():
        yield session

    monkeypatch.setattr(users_commands, "open_session", test_session)
    holder = SimpleNamespace(
        settings=dataclasses.replace(settings, public_url="https://concord.example.org")
    )
    monkeypatch.setattr(users_commands, "runtime", lambda: holder)

    def run(*args: str):
        monkeypatch.setattr(sys, "argv", ["concord", *args])
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code or 0
        captured = capsys.readouterr()
        return SimpleNamespace(code=code, out=captured.out, err=captured.err)

    run.runtime = holder
    return run


def test_invite_prints_a_working_single_use_link(concord, session, cast):
    result = concord(
        "users", "invite", "--email", "Aigerim.Sadykova@mfa.example", "--name", "Aigerim Sadykova",
        "--delegate-of", "KAZ", "--head-of", "KAZ", "--as", cast.secretariat.email,
    )  # fmt: skip
    assert result.code == 0, result.err
    url = result.out.strip()
    assert url.startswith("https://concord.example.org/password/") and "\n" not in url
    assert "valid until" in result.err
    user = admin.find_link(session, url.rsplit("/", 1)[1]).user
    assert user.email == "aigerim.sadykova@mfa.example"
    assert sorted(admin.describe(user)) == ["delegate:KAZ", "head_of_delegation:KAZ"]

    again = concord("users", "reinvite", user.email, "--as", cast.admin.email)
    assert again.code == 0 and again.out.strip() != url
    with pytest.raises(admin.LinkUnusable):
        admin.find_link(session, url.rsplit("/", 1)[1])


def test_a_link_without_public_url_points_at_the_local_server(concord, cast):
    concord.runtime.settings = dataclasses.replace(concord.runtime.settings, public_url="")
    result = concord("users", "reinvite", cast.other.email, "--as", cast.admin.email)
    assert result.out.startswith(LOCAL_URL + "/password/")


def test_rename_roles_deactivate_reactivate_and_list(concord, session, cast):
    user, by = cast.other, cast.admin.email
    assert concord("users", "rename", user.email, "Ravi Kumar", "--as", by).code == 0
    result = concord(
        "users", "roles", user.email, "--alternate-of", "IND", "--secretariat", "--as", by
    )
    assert result.code == 0 and "alternate:IND, secretariat" in result.out
    live = sessions.begin_session(session, user, address="10.0.0.1", user_agent="cli test")
    issued = tokens.create_token(session, user)
    result = concord("users", "deactivate", user.email, "--as", by)
    assert result.code == 0
    assert "1 session(s) ended, 1 token(s) revoked" in result.out
    assert sessions.current_session(session, live.secret) is None
    assert tokens.verify_token(session, issued.secret) is None
    listing = concord("users", "list", "--inactive")
    assert user.email in listing.out and "(inactive)" in listing.out
    assert cast.coordinator.email not in listing.out
    assert concord("users", "reactivate", user.email, "--as", by).code == 0
    assert user.email in concord("users", "list", "--participant", "IND").out
    assert user.email in concord("users", "list", "--role", "secretariat", "--active").out
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == cast.admin.id)
    ).all()
    assert {"user_renamed", "user_roles_changed", "user_deactivated", "user_reactivated"} <= set(
        actions
    )


def test_reset_link_prints_a_30_minute_link(concord, session, cast):
    result = concord("users", "reset-link", cast.other.email)
    assert result.code == 0
    admin.set_password_with_link(
        session, result.out.strip().rsplit("/", 1)[1], "amber kettle orbit lantern"
    )
    assert check_sign_in(cast.other, "amber kettle orbit lantern")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invite", "--email", "x@mfa.example", "--name", "X", "--as", "coordinator"], "is not an active administrator"),
        (["invite", "--email", "nonsense", "--name", "X", "--as", "secretariat"], "not an e-mail address"),
        (["invite", "--email", "x@mfa.example", "--name", "X", "--delegate-of", "JPN", "--as", "secretariat"], "may not have delegates"),
        (["invite", "--email", "x@mfa.example", "--name", "X", "--admin", "--as", "secretariat"], "only an administrator"),
        (["invite", "--email", "x@mfa.example", "--name", "X"], "Missing option '--as'"),
        (["rename", "nobody@mfa.example", "Nobody", "--as", "admin"], "no user with e-mail"),
        (["rename", "other", " ", "--as", "admin"], "a name of 1 to 200 characters"),
        (["roles", "admin", "--secretariat", "--as", "admin"], "last active administrator"),
        (["deactivate", "admin", "--as", "admin"], "last active administrator"),
        (["deactivate", "other", "--as", "proposer"], "is not an active administrator"),
        (["list", "--role", "emperor"], "Invalid value for '--role'"),
        (["reset-link", "nobody@mfa.example"], "no active user"),
    ],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_one_line(concord, cast, args, message):
    emails = {name: getattr(cast, name).email for name in ("admin", "secretariat", "coordinator", "proposer", "other")}  # fmt: skip
    result = concord("users", *[emails.get(arg, arg) for arg in args])
    assert result.code != 0
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert message in lines[-1]  # the one line that says what is wrong
    if "Missing" not in message and "Invalid" not in message:  # not click's usage reminder
        assert len(lines) == 1 and lines[0].startswith("error: ")


def test_with_a_mail_server_the_link_goes_by_e_mail_not_on_screen(concord, cast):
    concord.runtime.settings = dataclasses.replace(concord.runtime.settings, smtp_host="mail")
    result = concord("users", "reinvite", cast.other.email, "--as", cast.admin.email)
    assert result.code == 0 and "sent by e-mail" in result.out and "/password/" not in result.out


def test_without_a_mail_server_the_link_is_printed_though_queued(concord, cast):
    result = concord("users", "reinvite", cast.other.email, "--as", cast.admin.email)
    assert result.code == 0 and "/password/" in result.out
