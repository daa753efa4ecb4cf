"""The forum itself: one row naming the organisation the profile describes."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

DEFAULT_DECISION_SYMBOL = "{body}.DEC/{number}/{yy}"
DEFAULT_CURRENCY = "USD"
# Delegates speak for members; observers have observer delegates.
DEFAULT_ACCOUNTS = {"delegates": ["member"], "observer_delegates": ["observer"]}


class Forum(Base):
    __tablename__ = "forum"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON)  # the working languages of documents
    # The interface's languages beyond the working ones (a catalogue each); none: the working.
    interface_languages: Mapped[list[str] | None] = mapped_column(JSON)
    symbol_prefix: Mapped[str] = mapped_column(String(20))
    # How decisions are numbered, e.g. "{body}.DEC/{number}/{yy}" (a body may have its own).
    decision_symbol: Mapped[str] = mapped_column(String(80), default=DEFAULT_DECISION_SYMBOL)
    # Days a capital has to confirm a consent given ad referendum.
    confirmation_days: Mapped[int] = mapped_column(Integer, default=30)
    # The profile's kinds of position and entry channels (models.kinds); none: the defaults.
    position_kinds: Mapped[list[dict] | None] = mapped_column(JSON)
    entry_channels: Mapped[list[dict] | None] = mapped_column(JSON)

    # Hours before a deadline when states that have not answered are reminded.
    reminder_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [72, 24])
    # The forum's own words, e.g. {"member": {"en": "participating State", ...}};
    # a word the profile does not give is the interface's neutral one.
    vocabulary: Mapped[dict] = mapped_column(JSON, default=dict)
    # The codes of the participants holding the chair (the role `chair` in definitions).
    chair: Mapped[list[str]] = mapped_column(JSON, default=list)
    currency: Mapped[str] = mapped_column(String(3), default=DEFAULT_CURRENCY)
    # Which participant statuses may have delegates who speak for them ("delegates") and
    # which observer delegates ("observer_delegates").
    accounts: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_ACCOUNTS))
    # The profile has a [catalogue]: its first edition, amendments, the Catalogue's pages.
    has_catalogue: Mapped[bool] = mapped_column(default=True)

    def word(self, key: str, language: str) -> str | None:
        """The profile's word for `key` in `language`, or None when it gives none."""
        return (self.vocabulary or {}).get(key, {}).get(language)

    def statuses_for(self, kind: str) -> frozenset[str]:
        """The participant statuses whose delegates may hold accounts of `kind`."""
        return frozenset((self.accounts or DEFAULT_ACCOUNTS).get(kind, DEFAULT_ACCOUNTS[kind]))

    @property
    def reader_languages(self) -> list[str]:
        """The languages the interface may speak: the working languages, then any other."""
        extra = [code for code in self.interface_languages or [] if code not in self.languages]
        return [*self.languages, *extra]
