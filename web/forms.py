"""Flask-WTF forms: every form carries a CSRF token; choices are filled by the views."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from models import InstrumentKind, RoundMode
from web.labels import POSITION_CHOICES, TEXT_REQUIRED


def valid_zone(_form, field) -> None:
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
        raise ValidationError(f"Unknown time zone {field.data!r}.") from None


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class TokenForm(FlaskForm):
    name = StringField("Name (what the token is for)", validators=[Optional(), Length(max=100)])


def plausible_date(_form, field) -> None:
    """A date of an act: the engine checks it against the forum's calendar and the document's
    earlier acts; here only that it is a plausible date."""
    if field.data is not None and field.data.year < 1900:
        raise ValidationError("Give a date of the act after 1900.")


class ActionForm(FlaskForm):
    """A button: only the CSRF token (and the version of the page it was shown on)."""

    lock_version = HiddenField()
    note = TextAreaField("Note", validators=[Optional(), Length(max=4000)])


class CloseRoundForm(FlaskForm):
    note = TextAreaField("Chair's note", validators=[Optional(), Length(max=4000)])
    taken_on = DateField(
        "Date of the meeting", validators=[Optional(), plausible_date], default=None
    )
    on_consensus = SelectField("What the body decided", validators=[Optional()])


class TriggerForm(FlaskForm):
    trigger = HiddenField(validators=[DataRequired()])
    lock_version = HiddenField()
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=4000)])
    taken_on = DateField("Date of the act", validators=[Optional(), plausible_date])


class PositionForm(FlaskForm):
    participant = SelectField("Acting for", validators=[DataRequired("Choose the state.")])
    kind = RadioField(
        "Position",
        choices=[(kind.value, label) for kind, label in POSITION_CHOICES.items()],
        validators=[InputRequired()],
    )
    text = TextAreaField("Statement, reservation or grounds", validators=[Length(max=20000)])
    amendment = TextAreaField("Proposed amendment (optional)", validators=[Length(max=20000)])

    def validate_text(self, field) -> None:
        message = TEXT_REQUIRED.get(self.kind.data)  # a StrEnum key matches its value
        if message and not (field.data or "").strip():
            raise ValidationError(message)


class OnBehalfPositionForm(PositionForm):
    reference = StringField(
        "Note verbale reference",
        validators=[DataRequired("The note verbale reference is required."), Length(max=200)],
    )


class DocumentForm(FlaskForm):
    kind = SelectField("Kind of document", validators=[DataRequired()])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    title_ru = StringField("Title in Russian", validators=[Length(max=300)])
    priority_area = SelectField("Priority area", validators=[Optional()])
    proposer = SelectField("Proposing state", validators=[Optional()])
    target_body = SelectField("Body that adopts it", validators=[Optional()])
    budget = DecimalField("Budget (USD)", places=2, validators=[Optional(), NumberRange(min=0)])
    threshold = IntegerField(
        "Instruments needed for entry into force", validators=[Optional(), NumberRange(min=1)]
    )
    restricted = BooleanField("Restricted: member states only (not shared with observers)")
    text_en = TextAreaField("English text (Markdown)", validators=[Length(max=200000)])
    text_ru = TextAreaField("Russian text (Markdown)", validators=[Length(max=200000)])


class ApplicationForm(FlaskForm):
    kind = SelectField("Application", validators=[DataRequired()])
    applicant = SelectField("Applicant", validators=[DataRequired("Choose the applicant.")])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    title_ru = StringField("Title in Russian", validators=[Length(max=300)])
    received_on = DateField("Received on", validators=[Optional(), plausible_date])
    text_en = TextAreaField("Letter of application, English (Markdown)")
    text_ru = TextAreaField("Letter of application, Russian (Markdown)")


class VersionForm(FlaskForm):
    lock_version = HiddenField()
    text_en = TextAreaField("English text (Markdown)", validators=[Length(max=200000)])
    text_ru = TextAreaField("Russian text (Markdown)", validators=[Length(max=200000)])
    note = StringField("What changed", validators=[Optional(), Length(max=2000)])

    def validate_text_en(self, field) -> None:
        if not (field.data or "").strip() and not (self.text_ru.data or "").strip():
            raise ValidationError("Give the text in at least one language.")


class OpenRoundForm(FlaskForm):
    lock_version = HiddenField()
    on_consensus = SelectField("The question put to the body", validators=[Optional()])
    mode = SelectField(
        "Procedure", choices=[(m.value, m.value) for m in RoundMode], validators=[DataRequired()]
    )
    deadline = DateTimeLocalField(
        "Deadline", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )
    timezone = StringField("Time zone of the deadline", validators=[DataRequired(), valid_zone])

    def validate_deadline(self, field) -> None:
        if self.mode.data != RoundMode.MEETING.value and field.data is None:
            raise ValidationError("A silence or written procedure needs a deadline.")


class ExtendDeadlineForm(FlaskForm):
    new_deadline = DateTimeLocalField(
        "New deadline",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired("Give the new deadline.")],
    )
    timezone = StringField("Time zone", validators=[DataRequired(), valid_zone])
    reason = TextAreaField(
        "Reason", validators=[DataRequired("The reason is required."), Length(max=4000)]
    )


class InstrumentForm(FlaskForm):
    participant = SelectField("State", validators=[DataRequired("Choose the state.")])
    kind = SelectField(
        "Instrument",
        choices=[(k.value, k.value.capitalize()) for k in InstrumentKind],
        validators=[DataRequired()],
    )
    deposited_on = DateField("Deposited on", validators=[DataRequired("Give the date.")])


class ParticipantForm(FlaskForm):
    kind = SelectField(
        "A state or an organisation",
        choices=[("state", "A state"), ("organisation", "An organisation")],
        validators=[DataRequired()],
    )
    code = StringField(
        "Code", validators=[DataRequired("Give its code."), Length(min=2, max=12)]
    )
    name_en = StringField("Name in English", validators=[DataRequired(), Length(max=200)])
    name_ru = StringField("Name in Russian", validators=[DataRequired(), Length(max=200)])
    received_on = DateField("Application received on", validators=[Optional(), plausible_date])


class ConfirmationForm(FlaskForm):
    participant = HiddenField(validators=[DataRequired()])
    answer = RadioField(
        "The capital's answer",
        choices=[("confirm", "Confirms the consent"), ("withdraw", "Withdraws the consent")],
        validators=[InputRequired("Choose the answer.")],
    )
    text = TextAreaField("Reasons of a withdrawal", validators=[Length(max=20000)])
    reference = StringField("Note verbale reference", validators=[Optional(), Length(max=200)])

    def validate_text(self, field) -> None:
        if self.answer.data == "withdraw" and not (field.data or "").strip():
            raise ValidationError("Give the reasons of the withdrawal.")


class CatalogueChangeForm(FlaskForm):
    """One change to add to an amendment's list; which fields count depends on the operation."""

    op = SelectField("Change", validators=[DataRequired()])
    code = StringField("Code of the area or measure", validators=[Optional(), Length(max=30)])
    area = StringField("Priority area (for a new measure)", validators=[Optional(), Length(max=30)])
    dimension = StringField("Dimension (for a new area)", validators=[Optional(), Length(max=20)])
    name_en = StringField("Name in English", validators=[Optional(), Length(max=200)])
    name_ru = StringField("Name in Russian", validators=[Optional(), Length(max=200)])
    text_en = TextAreaField("Text in English", validators=[Optional(), Length(max=20000)])
    text_ru = TextAreaField("Text in Russian", validators=[Optional(), Length(max=20000)])
    coordinators = StringField(
        "Coordinator states (codes, comma-separated)", validators=[Optional(), Length(max=200)]
    )
