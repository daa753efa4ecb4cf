"""Users: administration by administrators and the Secretariat (list, invite, read, change,
re-invite, deactivate, reactivate)."""

from __future__ import annotations

from models import User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import ERRORS_OF_A_CHANGE, Reply, bp, endpoint
from web.api.resources import next_page_url, user_precondition
from web.links import public_url
from workflow import user_admin

READ_ERRORS = (401, 403, 404)
CHANGE_WITH_PRECONDITION = (*ERRORS_OF_A_CHANGE, 412)


def _user(caller: User, user_id: int) -> schemas.User:
    """The user's representation (what GET answers and If-Match is checked on)."""
    session = db.session()
    row = user_admin.get_user(session, caller, user_id)
    pending = user_admin.pending_invitation(session, row)
    return serializers.user(row, pending.expires_at if pending else None)


def _pairs(affiliations: list[schemas.AffiliationGiven]) -> list[tuple[str, str | None]]:
    return [(a.role, a.participant) for a in affiliations]


def _invitation(link: user_admin.IssuedLink) -> schemas.Invitation:
    return schemas.Invitation(url=link.url(public_url()), expires_at=link.row.expires_at)


@endpoint(
    "/users",
    summary="Users with their delegations and roles, by e-mail, a page at a time "
    "(administrators and the Secretariat)",
    tag="users",
    query=schemas.UserQuery,
    response=schemas.UserPage,
    errors=(400, 401, 403, 422),
)
def list_users(user: User, query: schemas.UserQuery) -> schemas.UserPage:
    session = db.session()
    found = user_admin.list_users(session, user, user_admin.UserFilters(**query.model_dump()))
    pending = {row.id: user_admin.pending_invitation(session, row) for row in found.items}
    return schemas.UserPage(
        items=[
            serializers.user(row, pending[row.id].expires_at if pending[row.id] else None)
            for row in found.items
        ],
        page=found.page,
        per_page=found.per_page,
        next=next_page_url(found),
    )


@endpoint(
    "/users",
    "POST",
    summary="Invite a user: the account with its delegations and roles, and a single-use "
    "link (valid 7 days) to choose a password",
    description=(
        "The link is in the answer, once; only its hash is kept. An e-mail already taken "
        "answers 422; only an administrator may invite an administrator (403)."
    ),
    tag="users",
    body=schemas.UserInvite,
    response=schemas.InvitedUser,
    status=201,
    errors=ERRORS_OF_A_CHANGE,
    location=True,
)
def invite_user(user: User, body: schemas.UserInvite) -> Reply:
    invited = user_admin.invite_user(
        db.session(),
        user,
        email=body.email,
        name=body.name,
        affiliations=_pairs(body.affiliations),
        language=body.language,
        public_url=public_url(),
    )
    return Reply(
        schemas.InvitedUser(
            user=_user(user, invited.user.id), invitation=_invitation(invited.link)
        ),
        headers={"Location": f"{bp.url_prefix}/users/{invited.user.id}"},
    )


@endpoint(
    "/users/<id:user_id>",
    summary="One user (administrators and the Secretariat)",
    tag="users",
    response=schemas.User,
    errors=READ_ERRORS,
    etag=True,
)
def get_user(user: User, user_id: int) -> schemas.User:
    return _user(user, user_id)


@endpoint(
    "/users/<id:user_id>",
    "PATCH",
    summary="Change a user's name, or their delegations and roles (replaced as given)",
    description=(
        "The last active administrator keeps the role (409); only an administrator grants "
        "or withdraws it (403)."
    ),
    tag="users",
    body=schemas.UserChange,
    response=schemas.User,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def change_user(user: User, user_id: int, body: schemas.UserChange) -> schemas.User:
    session = db.session()
    with user_precondition(session, lambda: _user(user, user_id)):
        if body.name is not None:
            user_admin.rename_user(session, user, user_id, body.name)
        if body.affiliations is not None:
            user_admin.set_affiliations(session, user, user_id, _pairs(body.affiliations))
    return _user(user, user_id)


@endpoint(
    "/users/<id:user_id>/invitation",
    "POST",
    summary="A new invitation link for the user (valid 7 days); the earlier ones stop working",
    tag="users",
    response=schemas.Invitation,
    status=201,
    body=schemas.UserAction,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
)
def reinvite_user(user: User, user_id: int, body: schemas.UserAction) -> schemas.Invitation:
    session = db.session()
    with user_precondition(session, lambda: _user(user, user_id)):
        link = user_admin.reinvite_user(
            session, user, user_id, public_url=public_url(), comment=body.comment
        )
    return _invitation(link)


@endpoint(
    "/users/<id:user_id>/deactivate",
    "POST",
    summary="Deactivate a user: every session ends and every API token is revoked at once",
    description="The last active administrator, and the caller's own account, answer 409.",
    tag="users",
    response=schemas.User,
    body=schemas.UserAction,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def deactivate_user(user: User, user_id: int, body: schemas.UserAction) -> schemas.User:
    session = db.session()
    with user_precondition(session, lambda: _user(user, user_id)):
        user_admin.deactivate_user(session, user, user_id, comment=body.comment)
    return _user(user, user_id)


@endpoint(
    "/users/<id:user_id>/reactivate",
    "POST",
    summary="Reactivate a user (who signs in anew: old sessions and tokens stay ended)",
    tag="users",
    response=schemas.User,
    body=schemas.UserAction,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def reactivate_user(user: User, user_id: int, body: schemas.UserAction) -> schemas.User:
    session = db.session()
    with user_precondition(session, lambda: _user(user, user_id)):
        user_admin.reactivate_user(session, user, user_id, comment=body.comment)
    return _user(user, user_id)
