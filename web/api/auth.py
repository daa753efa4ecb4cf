"""Bearer-token authentication: `Authorization: Bearer <token>` on every call but the description.

Cookies are never accepted here: the API is exempt from CSRF protection, so a
browser session must not be able to act through it.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext

from models import User
from web import db
from web.problems import ApiProblem
from workflow.tokens import verify_token

REALM = 'Bearer realm="concord"'


def _unauthorised(detail: str, error: str | None = None) -> ApiProblem:
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return ApiProblem(401, detail, slug="unauthorised", headers={"WWW-Authenticate": challenge})


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorised(gettext("use 'Authorization: Bearer <token>'"), "invalid_request")
    return secret.strip()


def authenticate() -> User:
    """The user behind the request's token, or a 401 problem."""
    secret = bearer_secret()
    if secret is None:
        raise _unauthorised(gettext("an API token is required (Authorization: Bearer <token>)"))
    user = verify_token(db.session(), secret)
    if user is None:
        raise _unauthorised(
            gettext("the API token is invalid, expired or revoked, or its account inactive"),
            "invalid_token",
        )
    g.api_user = user
    return user
