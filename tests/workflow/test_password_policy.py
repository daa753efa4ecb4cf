"""The password policy (OWASP ASVS level 2): 12 to 128 characters of any kind, no
composition rules, common and guessable passwords refused; the one function every place
that lets a person choose a password calls."""

from __future__ import annotations

import pytest

from workflow import sessions
from workflow.accounts import (
    MAX_PASSWORD_LENGTH,
    check_password_policy,
    create_user,
    set_password,
    verify_password,
)
from workflow.errors import InvalidInput


@pytest.mark.parametrize(
    "password",
    [
        "xkqmtrplwbzn",  # 12 lowercase letters: no composition rule
        "correct horse battery staple",  # spaces are characters like any other
        "Москва зимой тиха",  # any script
        "🦉 owls 🦉 at night",
        "w" + "ordsmith-orchard-lantern-" * 5,  # longer than zxcvbn's 72: judged by its prefix
        ("granite-" + "harbour lantern quill " * 6)[:MAX_PASSWORD_LENGTH],  # the maximum
    ],
)
def test_a_long_uncommon_password_of_any_characters_is_accepted(password):
    check_password_policy(password)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "a password is required"),
        ("short-pass1", "at least 12 characters"),
        ("x" * (MAX_PASSWORD_LENGTH + 1), "at most 128 characters"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("123456789012", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("iloveyou2024", "too common"),
    ],
)
def test_a_short_long_or_common_password_is_refused(password, reason):
    with pytest.raises(InvalidInput, match=reason):
        check_password_policy(password)


def test_a_password_made_of_the_users_own_name_is_refused():
    check_password_policy("nurlanbekova1985")
    with pytest.raises(InvalidInput, match="too common"):
        check_password_policy(
            "nurlanbekova1985", user_inputs=("nurlan.bekova@mfa.example", "Nurlan Bekova")
        )


def test_creating_a_user_applies_the_policy_and_writes_nothing(session):
    with pytest.raises(InvalidInput, match="at least 12"):
        create_user(session, email="weak@test.example", name="Weak", password="demo-kaz-1")
    create_user(
        session,
        email="demo@test.example",
        name="Demo",
        password="demo-kaz-1",
        password_policy=False,  # only the published demo accounts
    )


def test_setting_a_password_ends_the_other_sessions(session, make_user):
    user = make_user(session)
    kept = sessions.begin_session(session, user, address="", user_agent="")
    other = sessions.begin_session(session, user, address="", user_agent="")
    with pytest.raises(InvalidInput):
        set_password(session, user, "password1234", keep_session=kept.row)
    assert sessions.current_session(session, other.secret) is not None  # refused: nothing ends
    set_password(session, user, "tulip meadow quartz", keep_session=kept.row)
    assert verify_password(user, "tulip meadow quartz")
    assert sessions.current_session(session, other.secret) is None
    assert sessions.current_session(session, kept.secret) is not None
