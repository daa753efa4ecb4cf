"""Document lists, the document page, drafting, versions and triggers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Body, Document, Participant, PriorityArea, Round, RoundStatus
from web import db, i18n, position_kinds
from web.forms import (
    ActionForm,
    CloseRoundForm,
    TranslationForm,
    TriggerForm,
    document_form,
    version_form,
    working_texts,
)
from web.language import current_language, local_name, short_name
from web.problems import status_of, translate_error
from web.views import bp, confirm
from web.views.access import require_document
from web.views.common import (
    current_forum,
    language_choices,
    lock_version,
    page_number,
    refused,
    word,
    working_languages,
)
from web.views.text import diff_summary, word_diff
from workflow import due_actions, operations, queries, register
from workflow.diagram import mermaid
from workflow.documents import texts_behind
from workflow.errors import N_, ConcordError, InvalidInput, TextsOutOfStep
from workflow.permissions import document_roles, roles_for
from workflow.registry import registry
from workflow.summaries import RoundSummary, summarise

# ---------------------------------------------------------------- lists


@bp.route("/documents")
@login_required
def document_list():
    args = request.args
    page = args.get("page", "1")
    filters = queries.DocumentFilters(
        kind=args.get("kind", ""),
        state=args.get("state", ""),
        body=args.get("body", ""),
        priority_area=args.get("priority_area", ""),
        q=args.get("q", "")[:200],
        page=int(page) if page.isascii() and page.isdigit() else 1,
    )
    session = db.session()
    listing = queries.list_documents(session, current_user, filters)
    return render_template(
        "documents/list.html",
        listing=listing,
        filters=filters,
        choices=queries.filter_choices(session, current_language()),
    )


# ---------------------------------------------------------------- one document


@dataclass
class RoundView:
    """A round's summary and the states the viewer speaks for in it."""

    summary: RoundSummary
    my_states: list[Participant]

    @property
    def round(self):
        return self.summary.round


def round_view(round_) -> RoundView:
    summary = summarise(round_, position_kinds.forum_kinds())
    spoken_for = {p.id for p in current_user.represented_states}  # as User.speaks_for
    mine = [row.state for row in summary.rows if row.state.id in spoken_for]
    return RoundView(summary, mine)


def trigger_specs(document: Document, triggers: list[str]) -> list[dict]:
    """Button descriptions for the triggers the viewer may fire now."""
    definition = registry().get(document.kind)
    buttons = []
    for trigger in triggers:
        specs = definition.transitions_from(document.state, trigger)
        buttons.append(
            {
                "trigger": trigger,
                "title": definition.trigger_title(document.state, trigger, current_language()),
                "params": sorted({p for s in specs for p in s.params}),
                "needs_comment": any("comment_given" in s.guards for s in specs),
                "danger": any(s.irreversible for s in specs),
            }
        )
    return buttons


def close_form(definition, document: Document) -> CloseRoundForm:
    """The chair's close form, offering what the body may decide where it may decide several."""
    form = CloseRoundForm()
    spec = definition.round_spec(document.state)
    choices = spec.consensus_triggers if spec else ()
    form.on_consensus.choices = [
        (t, definition.trigger_title(document.state, t, current_language())) for t in choices
    ]
    return form


def document_actions(document: Document) -> dict:
    """What the page offers this viewer; the operations check everything again on submit."""
    definition = registry().get(document.kind)
    roles = document_roles(current_user, document)
    state = definition.states.get(document.state)
    final = state is None or state.final
    instruments = definition.instruments
    revise = bool(roles & definition.document.revise) and not final
    return {
        "revise": revise,
        "fields": revise and bool(definition.document.custom_fields),
        "open_round": state.round if (state and state.round and "secretariat" in roles) else None,
        "instruments": bool(
            instruments and document.state in instruments.states and roles & instruments.allowed
        ),
        "secretariat": current_user.is_secretariat,
        "catalogue_changes": "catalogue_changes" in definition.document.fields
        and bool(roles & definition.document.revise)
        and document.state == definition.initial,
    }


@bp.route("/documents/<id:document_id>")
@login_required
def document_show(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    page = queries.document_page(
        session,
        document,
        current_user,
        rounds_page=page_number(request.args.get("rounds_page")),
        history_page=page_number(request.args.get("history_page")),
    )
    definition = registry().get(document.kind)
    triggers = operations.permitted_triggers(session, current_user, document)
    rounds = [round_view(r) for r in page.rounds.items]
    return render_template(
        "documents/show.html",
        document=document,
        definition=definition,
        page=page,
        rounds=rounds,
        decisions=register.document_decisions(session, current_user, document.id),
        declared=declared_facts(session, definition, document),
        default_outcome=default_outcome(session, definition, document),
        close_form=close_form(definition, document),
        buttons=trigger_specs(document, triggers),
        actions=document_actions(document),
        translation_form=translation_form(document) if current_user.is_secretariat else None,
        diagram=mermaid(definition, document.state, current_language()),
        languages=language_choices(),
        texts_behind=texts_behind(document),
        trigger_form=TriggerForm(),
        action_form=ActionForm(),
    )


@bp.route("/documents/<id:document_id>/diff")
@login_required
def document_diff(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    versions = {v.number: v for v in document.versions}
    if len(versions) < 1:
        abort(404, gettext("This document has no text yet."))
    numbers = sorted(versions)
    try:
        old_number = int(request.args.get("from", numbers[-2] if len(numbers) > 1 else numbers[0]))
        new_number = int(request.args.get("to", numbers[-1]))
    except ValueError:
        abort(422, gettext("Choose two versions by their numbers."))
    language = request.args.get("lang", "")
    if old_number not in versions or new_number not in versions:
        abort(404, gettext("There is no such version of this document."))
    languages = language_choices()
    if language and language not in dict(languages):
        abort(422, gettext("Choose one of the forum's working languages."))
    old, new = versions[old_number], versions[new_number]
    diffs = []  # (code, name, paragraphs, summary) for each language either version has
    for code, name in languages:
        if language and code != language:
            continue
        old_text, new_text = old.text(code), new.text(code)
        if old_text or new_text:
            paragraphs = word_diff(old_text, new_text)
            diffs.append((code, name, paragraphs, diff_summary(paragraphs)))
    return render_template(
        "documents/diff.html",
        document=document,
        old=old,
        new=new,
        language=language,
        languages=languages,
        diffs=diffs,
        numbers=numbers,
    )


# ---------------------------------------------------------------- drafting


def creatable_kinds() -> list[tuple[str, str]]:
    """Kinds this user might create (the engine decides for the given priority area)."""
    roles = (
        {"coordinator", "co_coordinator", "proposer", *roles_for(current_user._get_current_object())}
        if current_user.represented_states
        else set()
    )
    if current_user.is_secretariat:
        roles.add("secretariat")
    return [(d.kind, d.title(current_language())) for d in registry() if d.document.create & roles]


def area_choices(session, kinds: list[tuple[str, str]]):
    """The priority areas this user may use: the Secretariat any; a delegate those their
    states coordinate, and (for the kinds a proposer creates) the others apart."""
    areas = session.scalars(
        select(PriorityArea).options(selectinload(PriorityArea.roles)).order_by(PriorityArea.code)
    ).all()
    label = {a.code: f"{a.code} · {local_name(a)}" for a in areas}
    none = [("", "—")]
    if current_user.is_secretariat:
        return none + [(a.code, label[a.code]) for a in areas]
    states = {s.id for s in current_user.represented_states}
    mine = [a.code for a in areas if any(r.participant_id in states for r in a.roles)]
    others = [a.code for a in areas if a.code not in mine]
    proposes = any("proposer" in registry().get(kind).document.create for kind, _ in kinds)
    if not proposes:
        return none + [(code, label[code]) for code in mine]
    return {
        gettext("No priority area"): none,
        gettext("Coordinated by your state"): [(code, label[code]) for code in mine],
        gettext("Other areas (for proposals)"): [(code, label[code]) for code in others],
    }


def default_outcome(session, definition, document) -> tuple[str, datetime] | None:
    """(what happens, when) if the document's deadline passes where it stands now: the
    mandate ends unless extended in time; None without such a deadline."""
    rule = definition.document.deadline
    due_at = due_actions.document_deadline_due(session, document, rule)
    if due_at is None:
        return None
    return definition.trigger_title(document.state, rule.on_expiry, current_language()), due_at


def declared_facts(session, definition, document) -> list[tuple[str, str, object]]:
    """(label, type, value) of each declared field the document has a value for: dates as
    dates, participants and areas by name, amounts as decimals."""
    language, values, facts = current_language(), document.custom_fields or {}, []
    for spec in definition.document.custom_fields:
        value = values.get(spec.name)
        if value is None:
            continue
        if spec.type == "date":
            value = date.fromisoformat(value)
        elif spec.type == "money":
            value = Decimal(value)
        elif spec.type in ("participant", "area"):
            model = Participant if spec.type == "participant" else PriorityArea
            row = session.scalar(select(model).where(model.code == value))
            value = local_name(row) if row is not None else value
        facts.append((spec.title(language), spec.type, value))
    return facts


@dataclass
class DeclaredInput:
    """One field a definition declares, as the draft form and the fields form show it."""

    name: str  # the form's input name: field__<kind>__<field>
    field: str
    label: str
    type: str
    required: bool
    value: str
    choices: list[tuple[str, str]]
    error: str = ""


class _Choices:
    """The participants and the priority areas a field may name, each read once."""

    def __init__(self, session):
        self.session = session
        self.participants: list[tuple[str, str]] | None = None
        self.areas: list[tuple[str, str]] | None = None

    def of(self, field_type: str) -> list[tuple[str, str]]:
        if field_type == "participant":
            if self.participants is None:
                rows = self.session.scalars(select(Participant).order_by(Participant.code))
                self.participants = [(p.code, local_name(p)) for p in rows]
            return self.participants
        if field_type == "area":
            if self.areas is None:
                rows = self.session.scalars(
                    select(PriorityArea)
                    .where(PriorityArea.retired_in.is_(None))
                    .order_by(PriorityArea.code)
                )
                self.areas = [(a.code, f"{a.code} {local_name(a)}") for a in rows]
            return self.areas
        return []


def field_input_name(kind: str, field: str) -> str:
    return f"field__{kind}__{field}"


def kind_inputs(
    kind: str, choices: _Choices, values: dict[str, object] | None = None
) -> list[DeclaredInput]:
    """The inputs of the fields `kind`'s definition declares: the posted values, else
    `values` (a document's current ones)."""
    language, values = current_language(), values or {}
    inputs = []
    for spec in registry().get(kind).document.custom_fields:
        name = field_input_name(kind, spec.name)
        current = values.get(spec.name)
        offered = choices.of(spec.type)
        if offered and current is not None and current not in dict(offered):
            offered = [(current, current), *offered]  # e.g. an area retired since: kept
        inputs.append(
            DeclaredInput(
                name=name,
                field=spec.name,
                label=spec.title(language),
                type=spec.type,
                required=spec.required,
                value=request.form.get(name, "" if current is None else str(current)),
                choices=offered,
            )
        )
    return inputs


def declared_inputs(session, kinds) -> dict[str, list[DeclaredInput]]:
    """The inputs of the fields each creatable kind's definition declares (values as posted)."""
    choices = _Choices(session)
    inputs = {kind: kind_inputs(kind, choices) for kind, _title in kinds}
    return {kind: fields for kind, fields in inputs.items() if fields}


def _declared_values(kind: str) -> dict[str, str] | None:
    """The posted values of the fields the chosen kind declares (None: it declares none)."""
    if kind not in registry():
        return None
    specs = registry().get(kind).document.custom_fields
    return {s.name: request.form.get(field_input_name(kind, s.name), "") for s in specs} or None


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def document_new():
    kinds = creatable_kinds()
    if not kinds:
        abort(
            403,
            gettext(
                "Drafts are created by the delegates of coordinator states and by the Secretariat."
            ),
        )
    session = db.session()
    form = document_form(working_languages(), i18n.language_name)
    form.kind.choices = kinds
    form.kind.validate_choice = False  # any kind may be posted: the engine decides who creates it
    form.budget.label.text = gettext("Budget (%(currency)s)", currency=current_forum().currency)
    form.restricted.label.text = gettext(
        "Restricted: %(members)s only (not shared with %(observers)s)",
        members=word("members"), observers=word("observers"),
    )
    none = [("", "—")]
    form.priority_area.choices = area_choices(session, kinds)
    form.proposer.choices = none + [
        (p.code, local_name(p)) for p in queries.speaking_participants(session)
    ]
    form.target_body.choices = none + [
        (b.code, local_name(b)) for b in session.scalars(select(Body).order_by(Body.id))
    ]
    status = 200
    if request.method == "GET" and request.args.get("kind") in dict(kinds):
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        try:
            document = operations.create_document(
                session,
                current_user,
                kind=form.kind.data,
                title=form.title.data,
                title_ru=form.title_ru.data if "title_ru" in form else "",
                priority_area=form.priority_area.data or None,
                proposer=form.proposer.data or None,
                target_body=form.target_body.data or None,
                budget=form.budget.data,
                threshold=form.threshold.data,
                restricted=form.restricted.data,
                texts=working_texts(form) or None,
                fields=_declared_values(form.kind.data),
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(gettext("%(symbol)s created as a draft.", symbol=document.symbol), "success")
            return redirect(url_for("views.document_show", document_id=document.id))
    elif request.method == "POST":
        status = 422
    definitions = {d.kind: d for d in registry()}
    return render_template(
        "documents/new.html",
        form=form,
        definitions=definitions,
        kinds=kinds,
        declared=declared_inputs(session, kinds),
    ), status


@bp.route("/documents/<id:document_id>/versions/new", methods=["GET", "POST"])
@login_required
def version_new(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    if not document_actions(document)["revise"]:
        abort(403, gettext("You may not revise this document."))
    form = version_form(working_languages(), i18n.language_name)
    current = document.current_version
    if request.method == "GET":
        form.lock_version.data = str(document.lock_version)
        if current is not None:
            for field in form.text_fields:
                field.data = current.text(field.name.removeprefix("text_")) or ""
    status = 200
    out_of_step: list[str] = []
    if form.validate_on_submit():
        open_rounds = session.scalars(
            select(Round).where(Round.document_id == document.id, Round.status == RoundStatus.OPEN)
        ).all()
        if open_rounds and not confirm.is_confirmed():
            return confirm.ask(
                title=gettext("Circulate a new version of %(symbol)s?", symbol=document.symbol),
                consequence=ngettext(
                    "%(num)d round is open on the current text (%(bodies)s). A new version voids "
                    "it: the positions given there no longer count and a new round must be opened.",
                    "%(num)d rounds are open on the current text (%(bodies)s). A new version "
                    "voids them: the positions given there no longer count and new rounds "
                    "must be opened.",
                    len(open_rounds),
                    bodies=", ".join(short_name(r.body) for r in open_rounds),
                ),
                confirm_label=gettext("Circulate and void the open rounds"),
                back_url=url_for("views.document_show", document_id=document.id),
            )
        try:
            version = operations.add_version(
                session,
                current_user,
                document.id,
                texts=working_texts(form),
                note=form.note.data or "",
                expected_lock_version=lock_version(form.lock_version.data),
                circulate_unchanged=bool(form.circulate_unchanged.data),
            )
        except TextsOutOfStep as error:  # the form warns and asks for the confirmation
            db.session().rollback()
            out_of_step, status = error.languages, 422
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext(
                    "%(version)s of %(symbol)s circulated.",
                    version=version.label,
                    symbol=document.symbol,
                ),
                "success",
            )
            return redirect(url_for("views.document_show", document_id=document.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "documents/version_new.html", form=form, document=document, out_of_step=out_of_step
    ), status


def _field_error(error: InvalidInput, inputs: list[DeclaredInput]) -> bool:
    """Put the engine's reason on the input of the field it names, the field named by its
    label; False when it names none of them."""
    field = error.params.get("field")
    for declared in inputs:
        if field is not None and declared.field == field:
            params = {**error.params, "field": declared.label}
            declared.error = translate_error(InvalidInput(error.message, **params))
            return True
    return False


@bp.route("/documents/<id:document_id>/fields", methods=["GET", "POST"])
@login_required
def document_fields(document_id: int):
    """Change the values of the fields the document's definition declares: those who may
    revise it, until it reaches a final state (the operation the API's PATCH calls)."""
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    if not document_actions(document)["fields"]:
        abort(403, gettext("You may not change the fields of this document."))
    form = ActionForm()
    if request.method == "GET":
        form.lock_version.data = str(document.lock_version)
    inputs = kind_inputs(document.kind, _Choices(session), document.custom_fields)
    status = 200
    if form.validate_on_submit():
        before = dict(document.custom_fields or {})
        try:
            operations.set_fields(
                session,
                current_user,
                document.id,
                {i.field: request.form.get(i.name, "") for i in inputs},
                expected_lock_version=lock_version(form.lock_version.data),
            )
        except InvalidInput as error:
            if _field_error(error, inputs):
                db.session().rollback()
                status = status_of(error)
            else:
                status = refused(error)
        except ConcordError as error:
            status = refused(error)
        else:
            if document.custom_fields == before:
                flash(gettext("Nothing was changed."), "info")
            else:
                flash(
                    gettext("The fields of %(symbol)s are changed.", symbol=document.symbol),
                    "success",
                )
            return redirect(url_for("views.document_show", document_id=document.id))
    elif request.method == "POST":
        status = 422
    rule = registry().get(document.kind).document.deadline
    return render_template(
        "documents/fields_edit.html",
        form=form,
        document=document,
        inputs=inputs,
        deadline_field=next((i.label for i in inputs if rule and i.field == rule.field), None),
    ), status


def translation_form(document: Document, language: str = "") -> TranslationForm:
    """The Secretariat's form for one language's text of the current version."""
    form = TranslationForm(prefix="translation")  # its ids stay apart from the page's
    form.language.choices = language_choices()
    if not form.is_submitted():
        form.lock_version.data = str(document.lock_version)
        if language in dict(form.language.choices):
            form.language.data = language
            current = document.current_version
            form.text.data = (current.text(language) if current else None) or ""
    return form


@bp.route("/documents/<id:document_id>/translations", methods=["GET", "POST"])
@login_required
def translation_new(document_id: int):
    """Add or correct one language's text of the current version as a translation of it:
    the version and its open rounds stay (a change of substance is a new version)."""
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    if not current_user.is_secretariat:
        abort(403, gettext("Only the Secretariat may declare a translation."))
    if document.current_version is None:
        abort(409, gettext("This document has no text yet."))
    form = translation_form(document, request.args.get("language", ""))
    status = 200
    if form.validate_on_submit():
        try:
            text = operations.declare_translation(
                session,
                current_user,
                document.id,
                language=form.language.data,
                text=form.text.data,
                note=form.note.data or "",
                expected_lock_version=lock_version(form.lock_version.data),
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(
                gettext(
                    "The %(language)s text of %(symbol)s is recorded as a translation; "
                    "the version and its rounds stay.",
                    language=text.language.upper(),
                    symbol=operations.version_symbol(document),
                ),
                "success",
            )
            return redirect(url_for("views.document_show", document_id=document.id) + "#text")
    elif request.method == "POST":
        status = 422
    return render_template("documents/translation_new.html", form=form, document=document), status


@bp.route("/documents/<id:document_id>/fire", methods=["POST"])
@login_required
def document_fire(document_id: int):
    session = db.session()
    document = require_document(queries.load_document(session, document_id))
    form = TriggerForm()
    if not form.validate_on_submit():
        raise InvalidInput(N_("no step was chosen"))
    definition = registry().get(document.kind)
    specs = definition.transitions_from(document.state, form.trigger.data)
    params = {
        name: request.form.get(f"param_{name}", "").strip()
        for spec in specs
        for name in spec.params
    }
    title = definition.trigger_title(document.state, form.trigger.data, current_language())
    # Ask only whoever may take the step, on the page as it stands (else the engine refuses).
    permitted = form.trigger.data in operations.permitted_triggers(session, current_user, document)
    permitted &= lock_version(form.lock_version.data) in (None, document.lock_version)
    if permitted and any(spec.irreversible for spec in specs) and not confirm.is_confirmed():
        destination = definition.state_title(specs[0].dest, current_language())
        return confirm.ask(
            title=gettext("%(action)s %(symbol)s?", action=title, symbol=document.symbol),
            consequence=gettext(
                "%(symbol)s will be “%(state)s”. This step cannot be undone.",
                symbol=document.symbol,
                state=destination,
            ),
            confirm_label=title,
            back_url=url_for("views.document_show", document_id=document.id),
        )
    operations.fire_trigger(
        session,
        current_user,
        document.id,
        form.trigger.data,
        comment=form.comment.data or "",
        expected_lock_version=lock_version(form.lock_version.data),
        params={k: v for k, v in params.items() if v} or None,
        taken_on=form.taken_on.data,
    )
    flash(
        gettext(
            "%(symbol)s: “%(action)s” done. It now stands at “%(state)s”.",
            action=title,
            symbol=document.symbol,
            state=state_label(document),
        ),
        "success",
    )
    return redirect(url_for("views.document_show", document_id=document.id))


def state_label(document: Document) -> str:
    return registry().get(document.kind).state_title(document.state, current_language())
