"""Demo accounts for a first look at the CICA profile (listed in the README)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from workflow.accounts import create_user


@dataclass(frozen=True)
class DemoAccount:
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


DEMO_ACCOUNTS = (
    DemoAccount(
        "secretariat@concord.example", "Aigerim Secretariat", "demo-secretariat-1", secretariat=True
    ),
    DemoAccount("admin@concord.example", "Daniyar Admin", "demo-admin-1", admin=True),
    DemoAccount(
        "kaz@concord.example", "Delegate of Kazakhstan", "demo-kaz-1", delegate_of=("KAZ",)
    ),
    DemoAccount("tur@concord.example", "Delegate of Türkiye", "demo-tur-1", delegate_of=("TUR",)),
    DemoAccount("chn@concord.example", "Delegate of China", "demo-chn-1", delegate_of=("CHN",)),
    DemoAccount("ind@concord.example", "Delegate of India", "demo-ind-1", delegate_of=("IND",)),
    DemoAccount("jpn@concord.example", "Observer of Japan", "demo-jpn-1", observer_of=("JPN",)),
)


def create_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns those created."""
    created = []
    for account in DEMO_ACCOUNTS:
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
