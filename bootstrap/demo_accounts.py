"""Demo accounts: published e-mails and passwords for a first look at a profile."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from workflow.accounts import create_user


@dataclass(frozen=True)
class DemoAccount:
    key: str  # how the demo's documents name the account that acts (`by`)
    email: str
    name: str
    password: str
    delegate_of: tuple[str, ...] = ()
    observer_of: tuple[str, ...] = ()
    secretariat: bool = False
    admin: bool = False

    @property
    def role(self) -> str:
        if self.secretariat:
            return "secretariat officer"
        if self.admin:
            return "administrator"
        if self.observer_of:
            return f"observer delegate of {', '.join(self.observer_of)}"
        return f"delegate of {', '.join(self.delegate_of)}"


def create_demo_accounts(session: Session, accounts: tuple[DemoAccount, ...]) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns those created."""
    created = []
    for account in accounts:
        if session.scalar(select(User.id).where(User.email == account.email)) is not None:
            continue
        create_user(
            session,
            email=account.email,
            name=account.name,
            password=account.password,
            delegate_of=account.delegate_of,
            observer_of=account.observer_of,
            secretariat=account.secretariat,
            admin=account.admin,
            password_policy=False,  # published demo passwords, not chosen by a person
        )
        created.append(account)
    return created


def demo_users(session: Session, accounts: tuple[DemoAccount, ...]) -> dict[str, User]:
    """The demo accounts' users by key (each must exist)."""
    users = {}
    for account in accounts:
        user = session.scalar(select(User).where(User.email == account.email))
        if user is None:
            raise LookupError(f"demo account {account.email} is missing")
        users[account.key] = user
    return users
