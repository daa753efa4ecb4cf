"""Flask-WTF forms: every form carries a CSRF token; choices are filled by the views."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext, lazy_gettext
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

from models import RoundMode
from web import position_kinds
from web.labels import INSTRUMENT_LABELS


def valid_zone(_form, field) -> None:
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
        raise ValidationError(
            gettext("Unknown time zone %(zone)s.", zone=repr(field.data))
        ) from None


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=200)])


def plausible_date(_form, field) -> None:
    """A date of an act: the engine checks it against the forum's calendar and the document's
    earlier acts; here only that it is a plausible date."""
    if field.data is not None and field.data.year < 1900:
        raise ValidationError(gettext("Give a date of the act after 1900."))


class ActionForm(FlaskForm):
    """A button: only the CSRF token (and the version of the page it was shown on)."""

    lock_version = HiddenField()
    note = TextAreaField(lazy_gettext("Note"), validators=[Optional(), Length(max=4000)])


class CloseRoundForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Chair's note"), validators=[Optional(), Length(max=4000)])
    taken_on = DateField(
        lazy_gettext("Date of the meeting"), validators=[Optional(), plausible_date], default=None
    )
    on_consensus = SelectField(lazy_gettext("What the body decided"), validators=[Optional()])


class TriggerForm(FlaskForm):
    trigger = HiddenField(validators=[DataRequired()])
    lock_version = HiddenField()
    comment = TextAreaField(lazy_gettext("Comment"), validators=[Optional(), Length(max=4000)])
    taken_on = DateField(lazy_gettext("Date of the act"), validators=[Optional(), plausible_date])


class PositionForm(FlaskForm):
    participant = SelectField(
        lazy_gettext("Acting for"), validators=[DataRequired(lazy_gettext("Choose the state."))]
    )
    kind = RadioField(lazy_gettext("Position"), validators=[InputRequired()])
    text = TextAreaField(
        lazy_gettext("Statement, reservation or grounds"), validators=[Length(max=20000)]
    )
    amendment = TextAreaField(
        lazy_gettext("Proposed amendment (optional)"), validators=[Length(max=20000)]
    )
    # The kinds of statement of the round's definition (the view fills them in); any code
    # may be posted: the engine refuses an unknown one, or one without a text.
    statement_kind = SelectField(
        lazy_gettext("Kind of statement"), validators=[Optional()], validate_choice=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = position_kinds.position_choices()  # the forum's kinds
        self.statement_kind.choices = []

    def validate_text(self, field) -> None:
        message = position_kinds.text_required_message(self.kind.data)
        if message and not (field.data or "").strip():
            raise ValidationError(message)


class OnBehalfPositionForm(PositionForm):
    channel = SelectField(lazy_gettext("Received by"), validators=[Optional()])
    reference = StringField(lazy_gettext("Note verbale reference"), validators=[Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = position_kinds.secretariat_channel_choices()
        if [code for code, _name in self.channel.choices] != ["note_verbale"]:
            self.reference.label.text = gettext("Reference of the note or letter")
        if not self.channel.data:
            self.channel.data = self.channel.choices[0][0]

    def validate_reference(self, field) -> None:
        message = position_kinds.reference_required_message(self.channel.data)
        if message and not (field.data or "").strip():
            raise ValidationError(message)


class DocumentForm(FlaskForm):
    kind = SelectField(lazy_gettext("Kind of document"), validators=[DataRequired()])
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    title_ru = StringField(lazy_gettext("Title in Russian"), validators=[Length(max=300)])
    priority_area = SelectField(lazy_gettext("Priority area"), validators=[Optional()])
    proposer = SelectField(lazy_gettext("Proposing state"), validators=[Optional()])
    target_body = SelectField(lazy_gettext("Body that adopts it"), validators=[Optional()])
    budget = DecimalField(
        lazy_gettext("Budget"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    threshold = IntegerField(
        lazy_gettext("Instruments needed for entry into force"),
        validators=[Optional(), NumberRange(min=1)],
    )
    restricted = BooleanField(
        lazy_gettext("Restricted")  # the view names the forum's members and observers
    )
    text_en = TextAreaField(
        lazy_gettext("English text (Markdown)"), validators=[Length(max=200000)]
    )
    text_ru = TextAreaField(
        lazy_gettext("Russian text (Markdown)"), validators=[Length(max=200000)]
    )


def with_working_languages(form_class, languages, language_name, label, **kwargs):
    """An instance of `form_class` with one text field per working language (`text_<code>`,
    listed in `form.text_fields`): the fields the class declares keep their labels, another
    language's is `label` with its name in itself. Russian's fields (`title_ru`, `text_ru`)
    are dropped where Russian is not a working language."""
    fields = {}
    for code in languages:
        if not hasattr(form_class, f"text_{code}"):
            fields[f"text_{code}"] = TextAreaField(
                label(language_name(code)), validators=[Length(max=200000)]
            )
    form = type(f"WorkingLanguages{form_class.__name__}", (form_class,), fields)(**kwargs)
    if "ru" not in languages:
        for name in ("title_ru", "text_ru"):
            if name in form:
                delattr(form, name)
    form.text_fields = [form[f"text_{code}"] for code in languages]
    return form


def working_texts(form) -> dict[str, str]:
    """The texts given in a form's working-language fields, by language code."""
    return {
        field.name.removeprefix("text_"): field.data
        for field in form.text_fields
        if field.data and field.data.strip()
    }


def _text_label(language: str):
    return lazy_gettext("%(language)s text (Markdown)", language=language)


def document_form(languages: list[str], language_name) -> DocumentForm:
    """A DocumentForm with a text field per working language of the forum (`text_<code>`):
    English and Russian keep their labels, another language is named in itself."""
    return with_working_languages(DocumentForm, languages, language_name, _text_label)


def version_form(languages: list[str], language_name) -> VersionForm:
    """A VersionForm with a text field per working language."""
    return with_working_languages(VersionForm, languages, language_name, _text_label)


def application_form(languages: list[str], language_name) -> ApplicationForm:
    """An ApplicationForm with a letter of application per working language."""
    return with_working_languages(
        ApplicationForm,
        languages,
        language_name,
        lambda language: lazy_gettext(
            "Letter of application, %(language)s (Markdown)", language=language
        ),
    )


class ApplicationForm(FlaskForm):
    kind = SelectField(lazy_gettext("Application"), validators=[DataRequired()])
    applicant = SelectField(
        lazy_gettext("Applicant"), validators=[DataRequired(lazy_gettext("Choose the applicant."))]
    )
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    title_ru = StringField(lazy_gettext("Title in Russian"), validators=[Length(max=300)])
    received_on = DateField(lazy_gettext("Received on"), validators=[Optional(), plausible_date])
    text_en = TextAreaField(lazy_gettext("Letter of application, English (Markdown)"))
    text_ru = TextAreaField(lazy_gettext("Letter of application, Russian (Markdown)"))


class VersionForm(FlaskForm):
    lock_version = HiddenField()
    text_en = TextAreaField(
        lazy_gettext("English text (Markdown)"), validators=[Length(max=200000)]
    )
    text_ru = TextAreaField(
        lazy_gettext("Russian text (Markdown)"), validators=[Length(max=200000)]
    )
    note = StringField(lazy_gettext("What changed"), validators=[Optional(), Length(max=2000)])
    # Shown, with the languages it names, once a version would put the languages out of step.
    circulate_unchanged = BooleanField()

    def validate_text_en(self, field) -> None:
        texts = getattr(self, "text_fields", None) or [field]
        if not any((text.data or "").strip() for text in texts):
            raise ValidationError(gettext("Give the text in at least one language."))


class TranslationForm(FlaskForm):
    """One language's text of the current version, declared a translation of it."""

    lock_version = HiddenField()
    language = SelectField(lazy_gettext("Language"), validators=[DataRequired()])
    text = TextAreaField(
        lazy_gettext("The text in that language (Markdown)"),
        validators=[DataRequired(), Length(max=200000)],
    )
    note = StringField(
        lazy_gettext("Where the translation comes from"),
        validators=[Optional(), Length(max=2000)],
    )


class OpenRoundForm(FlaskForm):
    lock_version = HiddenField()
    on_consensus = SelectField(
        lazy_gettext("The question put to the body"), validators=[Optional()]
    )
    mode = SelectField(
        lazy_gettext("Procedure"),
        choices=[(m.value, m.value) for m in RoundMode],
        validators=[DataRequired()],
    )
    deadline = DateTimeLocalField(
        lazy_gettext("Deadline"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    timezone = StringField(
        lazy_gettext("Time zone of the deadline"), validators=[DataRequired(), valid_zone]
    )

    def validate_deadline(self, field) -> None:
        if self.mode.data != RoundMode.MEETING.value and field.data is None:
            raise ValidationError(gettext("A silence or written procedure needs a deadline."))


class ExtendDeadlineForm(FlaskForm):
    new_deadline = DateTimeLocalField(
        lazy_gettext("New deadline"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired(lazy_gettext("Give the new deadline."))],
    )
    timezone = StringField(lazy_gettext("Time zone"), validators=[DataRequired(), valid_zone])
    reason = TextAreaField(
        lazy_gettext("Reason"),
        validators=[DataRequired(lazy_gettext("The reason is required.")), Length(max=4000)],
    )


class InstrumentForm(FlaskForm):
    participant = SelectField(
        lazy_gettext("State"), validators=[DataRequired(lazy_gettext("Choose the state."))]
    )
    kind = SelectField(
        lazy_gettext("Instrument"),
        choices=list(INSTRUMENT_LABELS.items()),
        validators=[DataRequired()],
    )
    deposited_on = DateField(
        lazy_gettext("Deposited on"), validators=[DataRequired(lazy_gettext("Give the date."))]
    )


class ParticipantForm(FlaskForm):
    kind = SelectField(
        lazy_gettext("A state or an organisation"),
        choices=[
            ("state", lazy_gettext("A state")),
            ("organisation", lazy_gettext("An organisation")),
        ],
        validators=[DataRequired()],
    )
    code = StringField(
        lazy_gettext("Code"),
        validators=[DataRequired(lazy_gettext("Give its code.")), Length(min=2, max=12)],
    )
    name_en = StringField(
        lazy_gettext("Name in English"), validators=[DataRequired(), Length(max=200)]
    )
    name_ru = StringField(  # shown where Russian is a working language (views drop it elsewhere)
        lazy_gettext("Name in Russian"), validators=[DataRequired(), Length(max=200)]
    )
    received_on = DateField(
        lazy_gettext("Application received on"), validators=[Optional(), plausible_date]
    )


class ConfirmationForm(FlaskForm):
    participant = HiddenField(validators=[DataRequired()])
    answer = RadioField(
        lazy_gettext("The capital's answer"),
        choices=[
            ("confirm", lazy_gettext("Confirms the consent")),
            ("withdraw", lazy_gettext("Withdraws the consent")),
        ],
        validators=[InputRequired(lazy_gettext("Choose the answer."))],
    )
    text = TextAreaField(lazy_gettext("Reasons of a withdrawal"), validators=[Length(max=20000)])
    reference = StringField(
        lazy_gettext("Note verbale reference"), validators=[Optional(), Length(max=200)]
    )

    def validate_text(self, field) -> None:
        if self.answer.data == "withdraw" and not (field.data or "").strip():
            raise ValidationError(gettext("Give the reasons of the withdrawal."))


class CatalogueChangeForm(FlaskForm):
    """One change to add to an amendment's list; which fields count depends on the operation."""

    op = SelectField(lazy_gettext("Change"), validators=[DataRequired()])
    code = StringField(
        lazy_gettext("Code of the area or measure"), validators=[Optional(), Length(max=30)]
    )
    area = StringField(
        lazy_gettext("Priority area (for a new measure)"), validators=[Optional(), Length(max=30)]
    )
    dimension = StringField(
        lazy_gettext("Dimension (for a new area)"), validators=[Optional(), Length(max=20)]
    )
    name_en = StringField(lazy_gettext("Name in English"), validators=[Optional(), Length(max=200)])
    name_ru = StringField(lazy_gettext("Name in Russian"), validators=[Optional(), Length(max=200)])
    text_en = TextAreaField(
        lazy_gettext("Text in English"), validators=[Optional(), Length(max=20000)]
    )
    text_ru = TextAreaField(
        lazy_gettext("Text in Russian"), validators=[Optional(), Length(max=20000)]
    )
    coordinators = StringField(
        lazy_gettext("Coordinator states (codes, comma-separated)"),
        validators=[Optional(), Length(max=200)],
    )
