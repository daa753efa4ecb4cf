"""User administration pages (administrators and the Secretariat): the list of users with
filters, a user's page with the forms that change them, and the invitation form.

A new invitation link is shown once, on the answer to the form that made it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from models import AffiliationRole, Participant, User
from web import db, i18n
from web.forms import ActionForm
from web.links import public_url
from web.user_forms import DELEGATION_FIELDS, InviteForm, RenameForm, RolesForm
from web.views import bp
from web.views.common import page_number, refused
from workflow import accounts, user_admin
from workflow.errors import ConcordError

PER_PAGE = 50


def require_user_admin_page() -> None:
    if not user_admin.may_administer(current_user):
        abort(403, gettext("This page is for administrators and the Secretariat."))


def _participants(kind: str) -> list[tuple[str, str]]:
    """The participants whose people may hold accounts of `kind` (the profile decides)."""
    session = db.session()
    statuses = accounts.account_statuses(session, kind)
    rows = session.scalars(
        select(Participant).where(Participant.status.in_(statuses)).order_by(Participant.code)
    )
    return [(p.code, f"{p.code} · {p.name_en}") for p in rows]


def _roles_form(form: RolesForm) -> RolesForm:
    members = _participants(accounts.DELEGATES)
    for name, _role in DELEGATION_FIELDS:
        getattr(form, name).choices = members
    form.observer_of.choices = _participants(accounts.OBSERVER_DELEGATES)
    return form


def _filled_roles_form(user: User) -> RolesForm:
    data: dict = {name: [] for name, _role in DELEGATION_FIELDS}
    field_of = {role: name for name, role in DELEGATION_FIELDS}
    for affiliation in user.affiliations:
        if affiliation.participant is not None:
            data[field_of[affiliation.role.value]].append(affiliation.participant.code)
    return _roles_form(
        RolesForm(formdata=None, secretariat=user.is_secretariat, admin=user.is_admin, **data)
    )


def _invite_form(form: InviteForm | None = None) -> InviteForm:
    form = form or InviteForm()
    form.language.choices = [("", gettext("As the browser asks"))] + [
        (code, i18n.language_name(code)) for code in i18n.languages()
    ]
    return _roles_form(form)


@bp.route("/users")
@login_required
def user_list():
    require_user_admin_page()
    args = request.args
    role = args.get("role", "")
    active = {"yes": True, "no": False}.get(args.get("active", ""))
    participant = args.get("participant", "")[:12]
    codes = {code for code, _title in _participants(accounts.DELEGATES)} | {
        code for code, _title in _participants(accounts.OBSERVER_DELEGATES)
    }
    filters = user_admin.UserFilters(
        participant=participant if participant in codes else None,
        role=role if role in user_admin.ROLE_CHOICES else None,
        active=active,
        page=page_number(args.get("page")),
        per_page=PER_PAGE,
    )
    listing = user_admin.list_users(db.session(), current_user, filters)
    return render_template(
        "users/list.html",
        listing=listing,
        filters=filters,
        roles=list(AffiliationRole),
        participants=_participants(accounts.DELEGATES)
        + _participants(accounts.OBSERVER_DELEGATES),
        active_choice=args.get("active", ""),
    )


@bp.route("/users/invite", methods=["GET", "POST"])
@login_required
def user_invite():
    require_user_admin_page()
    form = _invite_form()
    status = 200
    if form.validate_on_submit():
        try:
            invited = user_admin.invite_user(
                db.session(),
                current_user,
                email=form.email.data,
                name=form.name.data,
                affiliations=form.affiliations(),
                language=form.language.data or None,
                public_url=public_url(),
            )
        except ConcordError as error:
            status = refused(error)
        else:
            flash(gettext("%(name)s is invited.", name=invited.user.name), "success")
            # The link is shown on this answer only: the database keeps its hash.
            return _user_page(invited.user, link=invited.link, status=201)
    elif request.method == "POST":
        status = 422
    return render_template("users/invite.html", form=form), status


def _user(user_id: int) -> User:
    try:
        return user_admin.get_user(db.session(), current_user, user_id)
    except ConcordError:
        abort(404)


def _user_page(
    user: User,
    *,
    link: user_admin.IssuedLink | None = None,
    rename_form: RenameForm | None = None,
    roles_form: RolesForm | None = None,
    status: int = 200,
):
    return (
        render_template(
            "users/show.html",
            user=user,
            link=link,
            link_url=link.url(public_url()) if link else None,
            pending=user_admin.pending_invitation(db.session(), user),
            rename_form=rename_form or RenameForm(formdata=None, name=user.name),
            roles_form=roles_form or _filled_roles_form(user),
            action_form=ActionForm(),
        ),
        status,
    )


@bp.route("/users/<id:user_id>")
@login_required
def user_show(user_id: int):
    require_user_admin_page()
    return _user_page(_user(user_id))


def _done(user_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("views.user_show", user_id=user_id))


@bp.route("/users/<id:user_id>/name", methods=["POST"])
@login_required
def user_rename(user_id: int):
    require_user_admin_page()
    user = _user(user_id)
    form = RenameForm()
    if not form.validate_on_submit():
        return _user_page(user, rename_form=form, status=422)
    try:
        user_admin.rename_user(db.session(), current_user, user.id, form.name.data)
    except ConcordError as error:
        return _user_page(_user(user_id), rename_form=form, status=refused(error))
    return _done(user_id, gettext("The name is saved."))


@bp.route("/users/<id:user_id>/roles", methods=["POST"])
@login_required
def user_roles(user_id: int):
    require_user_admin_page()
    user = _user(user_id)
    form = _roles_form(RolesForm())
    if not form.validate_on_submit():
        return _user_page(user, roles_form=form, status=422)
    try:
        user_admin.set_affiliations(db.session(), current_user, user.id, form.affiliations())
    except ConcordError as error:
        return _user_page(_user(user_id), roles_form=form, status=refused(error))
    return _done(user_id, gettext("The delegations and roles are saved."))


def _action(user_id: int, act, message: str):
    require_user_admin_page()
    user = _user(user_id)
    if not ActionForm().validate_on_submit():
        return _user_page(user, status=422)
    try:
        result = act(user)
    except ConcordError as error:
        return _user_page(_user(user_id), status=refused(error))
    if isinstance(result, user_admin.IssuedLink):
        flash(message, "success")
        return _user_page(user, link=result, status=201)
    return _done(user_id, message)


@bp.route("/users/<id:user_id>/invitation", methods=["POST"])
@login_required
def user_reinvite(user_id: int):
    return _action(
        user_id,
        lambda user: user_admin.reinvite_user(
            db.session(), current_user, user.id, public_url=public_url()
        ),
        gettext("A new invitation link is made; the earlier ones no longer work."),
    )


@bp.route("/users/<id:user_id>/deactivate", methods=["POST"])
@login_required
def user_deactivate(user_id: int):
    return _action(
        user_id,
        lambda user: user_admin.deactivate_user(db.session(), current_user, user.id),
        gettext("The account is deactivated: its sessions have ended, its API tokens are revoked."),
    )


@bp.route("/users/<id:user_id>/reactivate", methods=["POST"])
@login_required
def user_reactivate(user_id: int):
    return _action(
        user_id,
        lambda user: user_admin.reactivate_user(db.session(), current_user, user.id),
        gettext("The account is active again."),
    )
