"""The full-text index of documents: the titles and the current version's texts, stemmed.

One row per document, in a table whose shape depends on the database:

- PostgreSQL: `document_search(document_id, vector)`, a `tsvector` with the titles weighted
  A and the texts B, each text under its language's configuration (`english`, `russian`,
  `french`, …: PG_CONFIGURATIONS; a language PostgreSQL cannot stem under `simple`), with a
  GIN index.
- SQLite: an FTS5 table `document_search(title, body)` keyed by the document's id, holding
  the words already stemmed here (Snowball: Russian for Cyrillic words, English for Latin
  ones), since SQLite stems no Russian itself.

The index is kept like a trigger would: after every flush that adds a document or a
version or changes a title, `refresh` rewrites the rows of those documents in the same
transaction. The schema is created with the metadata (`create_all`) and by the migration,
which fills it for the documents already there. It lives outside the ORM's metadata, so
schema comparisons leave it alone (`is_index_table`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from sqlalchemy import Connection, bindparam, event, inspect, text
from sqlalchemy.orm import Session

from models.base import Base
from models.document import Document, Version, VersionText

TABLE = "document_search"

# PostgreSQL's built-in text-search configuration for each language it stems; the texts of
# any other language are indexed unstemmed (`simple`).
PG_CONFIGURATIONS = {
    "en": "english",
    "ru": "russian",
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}


def pg_configurations(languages: Iterable[str]) -> list[str]:
    """The configurations that stem words of these languages: English and Russian always (the
    titles' languages), each other's own, and `simple` for a language with none."""
    found = ["english", "russian"]
    for language in languages:
        configuration = PG_CONFIGURATIONS.get(language, "simple")
        if configuration not in found:
            found.append(configuration)
    return found
# Snowball's stemmer for the words of each script (SQLite).
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


def is_index_table(name: str | None) -> bool:
    """The index's table and, on SQLite, FTS5's own tables beside it (`document_search_*`)."""
    return bool(name) and (name == TABLE or name.startswith(f"{TABLE}_"))


# ---------------------------------------------------------------- stemming (SQLite)


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """One lower-case word's stem: Russian for a Cyrillic word, English for a Latin one."""
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if _LATIN.search(word):
        return _stemmer("english").stemWord(word)
    return word


def stems(value: str) -> list[str]:
    """The stems of a text's words, in order (punctuation, `%` and `_` are no part of a word)."""
    return [stem(word) for word in _WORD.findall(value.lower())]


# ---------------------------------------------------------------- the schema


def create(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                " document_id INTEGER PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE,"
                " vector TSVECTOR NOT NULL)"
            )
        )
        connection.execute(
            text(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_vector ON {TABLE} USING gin (vector)")
        )
    else:
        connection.execute(
            text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, body)")
        )


def drop(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


event.listen(Base.metadata, "after_create", lambda _m, connection, **_kw: create(connection))
event.listen(Base.metadata, "before_drop", lambda _m, connection, **_kw: drop(connection))


# ---------------------------------------------------------------- keeping it


def refresh(connection: Connection, document_ids: Iterable[int] | None = None) -> None:
    """Rewrite the index rows of these documents (of every document when None) from their
    titles and their current version's texts."""
    ids = None if document_ids is None else sorted(set(document_ids))
    if ids == []:
        return
    if connection.dialect.name == "postgresql":
        _refresh_postgresql(connection, ids)
    else:
        _refresh_sqlite(connection, ids)


def _current_texts(connection: Connection, ids: list[int] | None):
    """(document id, English title, Russian title, language, text) of each current text; a
    document with no version yet comes once with no language."""
    query = text(
        "SELECT d.id, d.title, d.title_ru, t.language, t.body FROM document d"
        f" {_CURRENT_VERSION} LEFT JOIN version_text t ON t.version_id = v.id"
        + ("" if ids is None else " WHERE d.id IN :ids")
        + " ORDER BY d.id, t.language"
    )
    return _execute(connection, query, ids)


_CURRENT_VERSION = (
    "LEFT JOIN document_version v ON v.document_id = d.id AND v.number ="
    " (SELECT max(number) FROM document_version WHERE document_id = d.id)"
)


def _execute(connection: Connection, query, ids: list[int] | None):
    if ids is None:
        return connection.execute(query)
    return connection.execute(query.bindparams(bindparam("ids", expanding=True)), {"ids": ids})


def _pg_weighted(configuration: str, value: str, weight: str) -> str:
    return f"setweight(to_tsvector('{configuration}', coalesce({value}, '')), '{weight}')"


def _pg_text(condition: str) -> str:
    return (
        "(SELECT string_agg(t.body, ' ' ORDER BY t.language) FROM version_text t"
        f" WHERE t.version_id = v.id AND {condition})"
    )


def _pg_vector(languages: Iterable[str]) -> str:
    """The SQL of a document's vector (`d` the document, `v` its current version), for texts
    in `languages` (English and Russian always; those PostgreSQL cannot stem together)."""
    stemmed = {
        code: PG_CONFIGURATIONS[code]
        for code in sorted({"en", "ru", *languages})
        if code in PG_CONFIGURATIONS
    }
    codes = ", ".join(f"'{code}'" for code in stemmed)
    parts = [
        _pg_weighted("english", "d.title", "A"),
        _pg_weighted("russian", "d.title_ru", "A"),
        *(
            _pg_weighted(configuration, _pg_text(f"t.language = '{code}'"), "B")
            for code, configuration in stemmed.items()
        ),
        _pg_weighted("simple", _pg_text(f"t.language NOT IN ({codes})"), "B"),
    ]
    return " || ".join(parts)


def _text_languages(connection: Connection, ids: list[int] | None) -> set[str]:
    """The languages of the current texts of these documents (codes the index may quote)."""
    query = text(
        "SELECT DISTINCT t.language FROM document d"
        f" {_CURRENT_VERSION} JOIN version_text t ON t.version_id = v.id"
        + ("" if ids is None else " WHERE d.id IN :ids")
    )
    return {code for (code,) in _execute(connection, query, ids) if code in PG_CONFIGURATIONS}


def _refresh_postgresql(connection: Connection, ids: list[int] | None) -> None:
    vector = _pg_vector(_text_languages(connection, ids))
    query = text(
        f"INSERT INTO {TABLE} (document_id, vector) SELECT d.id, {vector}"
        f" FROM document d {_CURRENT_VERSION}"
        + ("" if ids is None else " WHERE d.id IN :ids")
        + " ON CONFLICT (document_id) DO UPDATE SET vector = excluded.vector"
    )
    _execute(connection, query, ids)


def _refresh_sqlite(connection: Connection, ids: list[int] | None) -> None:
    rows: dict[int, tuple[list[str], list[str]]] = {}
    for document_id, title, title_ru, _language, body in _current_texts(connection, ids):
        titles, texts = rows.setdefault(document_id, (stems(f"{title} {title_ru}"), []))
        if body:
            texts.extend(stems(body))
    if ids is None:
        connection.execute(text(f"DELETE FROM {TABLE}"))
    else:
        connection.execute(
            text(f"DELETE FROM {TABLE} WHERE rowid IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        )
    if rows:
        connection.execute(
            text(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (:id, :title, :body)"),
            [
                {"id": document_id, "title": " ".join(titles), "body": " ".join(texts)}
                for document_id, (titles, texts) in rows.items()
            ],
        )


def _changed_documents(session: Session) -> set[int]:
    """The documents whose titles or current text this flush wrote."""
    ids: set[int] = set()
    for instance in session.new:
        if isinstance(instance, Document):
            ids.add(instance.id)
        elif isinstance(instance, Version):
            ids.add(instance.document_id)
        elif isinstance(instance, VersionText) and instance.version is not None:
            ids.add(instance.version.document_id)
    for instance in session.deleted:
        if isinstance(instance, Document):
            ids.add(instance.id)
    for instance in session.dirty:
        if isinstance(instance, Document):
            state = inspect(instance)
            if any(state.attrs[name].history.has_changes() for name in ("title", "title_ru")):
                ids.add(instance.id)
        elif isinstance(instance, VersionText) and instance.version is not None:
            ids.add(instance.version.document_id)  # a translation corrected in place
    return {i for i in ids if i is not None}


@event.listens_for(Session, "after_flush")
def _follow_changes(session: Session, _context) -> None:
    ids = _changed_documents(session)
    if ids:
        refresh(session.connection(), ids)
