"""The account page's forms: a new API token, a password change, language and time zone.

Passwords are re-entered for what a stolen session must not do alone (a new token, a new
password); the length limits here only bound the input, the policy is the engine's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

MAX_INPUT = 1024  # far above the policy's maximum: a longer password is refused by the policy


class TokenForm(FlaskForm):
    name = StringField(
        lazy_gettext("Name (what the token is for)"), validators=[Optional(), Length(max=100)]
    )
    password = PasswordField(
        lazy_gettext("Your password"), validators=[DataRequired(), Length(max=MAX_INPUT)]
    )


class ChoosePasswordForm(FlaskForm):
    new_password = PasswordField(
        lazy_gettext("New password"), validators=[DataRequired(), Length(max=MAX_INPUT)]
    )
    confirm_password = PasswordField(
        lazy_gettext("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=lazy_gettext("The two new passwords differ.")),
        ],
    )


class PasswordChangeForm(ChoosePasswordForm):
    """The new password twice, as from a link, and the current one first."""

    current_password = PasswordField(
        lazy_gettext("Current password"), validators=[DataRequired(), Length(max=MAX_INPUT)]
    )


class PreferencesForm(FlaskForm):
    """Choices filled by the view: "" (the browser's language) and the interface's languages."""

    language = SelectField(lazy_gettext("Interface language"), choices=[])
    timezone = StringField(lazy_gettext("Time zone"), validators=[Optional(), Length(max=64)])
