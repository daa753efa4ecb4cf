"""The forms of user administration, and of choosing a password through a link.

Delegations are chosen from lists of participants (filled by the views: participants whose delegates speak for them for
the delegate roles, observers for observer delegates); the engine checks them again."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length

# (form field, role) of the roles held for a participant.
DELEGATION_FIELDS = (
    ("delegate_of", "delegate"),
    ("head_of", "head_of_delegation"),
    ("alternate_of", "alternate"),
    ("observer_of", "observer_delegate"),
)


class RolesForm(FlaskForm):
    delegate_of = SelectMultipleField(
        lazy_gettext("Delegate of"), choices=[], validate_choice=False
    )
    head_of = SelectMultipleField(
        lazy_gettext("Head of delegation of"), choices=[], validate_choice=False
    )
    alternate_of = SelectMultipleField(
        lazy_gettext("Alternate of"), choices=[], validate_choice=False
    )
    observer_of = SelectMultipleField(
        lazy_gettext("Observer delegate of"), choices=[], validate_choice=False
    )
    secretariat = BooleanField(lazy_gettext("Secretariat"))
    admin = BooleanField(lazy_gettext("Administrator"))

    def affiliations(self) -> list[tuple[str, str | None]]:
        pairs: list[tuple[str, str | None]] = []
        for name, role in DELEGATION_FIELDS:
            pairs.extend((role, code) for code in getattr(self, name).data or [])
        if self.secretariat.data:
            pairs.append(("secretariat", None))
        if self.admin.data:
            pairs.append(("administrator", None))
        return pairs


class InviteForm(RolesForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(lazy_gettext("Interface language"), choices=[])


class RenameForm(FlaskForm):
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
