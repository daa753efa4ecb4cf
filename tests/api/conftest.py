"""API fixtures: an app on the test's rolled-back session, and callers with tokens by role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import AREA, COORDINATOR_STATE, OBSERVER_STATE, OTHER_STATE, STATE, TEXTS
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Document, User
from web import create_app
from workflow.tokens import create_token


class _KeepOpen:
    """The test's session for the app: the request boundary may commit (a savepoint) but not close it."""

    def __init__(self, session: Session):
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def close(self) -> None:
        pass


@pytest.fixture
def app(settings, session):
    return create_app(settings, session_factory=lambda: _KeepOpen(session))


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@dataclass
class Caller:
    """One role's view of the API: every call carries its token (none for anonymous)."""

    client: FlaskClient
    token: str | None
    user: User | None = None

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        result = dict(headers or {})
        if self.token:
            result.setdefault("Authorization", f"Bearer {self.token}")
        return result

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.get("/api/v1" + path, headers=self._headers(headers), **kwargs)

    def post(self, path: str, body: Any = None, headers: dict | None = None, **kwargs):
        if body is not None:
            kwargs["json"] = body
        return self.client.post("/api/v1" + path, headers=self._headers(headers), **kwargs)

    def send(self, method: str, path: str, body: Any = None, headers: dict | None = None, **kwargs):
        if body is not None:
            kwargs["json"] = body
        return self.client.open(
            "/api/v1" + path, method=method, headers=self._headers(headers), **kwargs
        )

    def ok(self, method: str, path: str, body: Any = None, status: int = 200, **kwargs) -> dict:
        response = self.send(method, path, body, **kwargs)
        assert response.status_code == status, (method, path, response.get_json())
        return response.get_json()


@pytest.fixture
def caller(client, session):
    def factory(user: User | None) -> Caller:
        token = create_token(session, user).secret if user is not None else None
        # Keep the setup: a refused request rolls back only its own savepoint.
        session.commit()
        return Caller(client, token, user)

    return factory


@dataclass
class Roles:
    anonymous: Caller
    observer: Caller
    other_delegate: Caller
    state_delegate: Caller
    coordinator: Caller
    secretariat: Caller
    admin: Caller

    def all(self) -> dict[str, Caller]:
        return dict(vars(self))


@pytest.fixture
def roles(caller, make_user, session) -> Roles:
    return Roles(
        anonymous=caller(None),
        observer=caller(make_user(session, observer_of=[OBSERVER_STATE])),
        other_delegate=caller(make_user(session, delegate_of=[OTHER_STATE])),
        state_delegate=caller(make_user(session, delegate_of=[STATE])),
        coordinator=caller(make_user(session, delegate_of=[COORDINATOR_STATE])),
        secretariat=caller(make_user(session, secretariat=True)),
        admin=caller(make_user(session, admin=True)),
    )


def document_row(session: Session, document_id: int) -> Document:
    return session.scalar(select(Document).where(Document.id == document_id))


@pytest.fixture
def concept_paper(roles) -> dict:
    """A concept paper of ENV-1 with its first text, as its coordinator created it."""
    return roles.coordinator.ok(
        "POST",
        "/documents",
        {
            "kind": "concept_paper",
            "title": "Water security",
            "title_ru": "Документ",
            "priority_area": AREA,
            "texts": TEXTS,
        },
        status=201,
    )


@pytest.fixture
def swg_round(roles, concept_paper) -> dict:
    """The concept paper submitted, and the SWG's meeting round open on it."""
    document_id = concept_paper["id"]
    roles.coordinator.ok("POST", f"/documents/{document_id}/transitions", {"trigger": "submit"})
    return roles.secretariat.ok(
        "POST", f"/documents/{document_id}/rounds", {"mode": "meeting"}, status=201
    )


@pytest.fixture
def with_mandates(app, with_mandates):
    """After the app, whose creation puts the configured definitions in force."""
    return with_mandates
