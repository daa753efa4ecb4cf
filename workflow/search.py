"""Finding documents by what they say: a few words, or part of a symbol.

A document matches when every word of the query is in its titles or its current version's
texts (in either language, stemmed: «семинара» finds «семинар», "observers" finds
"observer"), or when the query is part of its symbol (`%` and `_` match themselves).
Matches come best first: a symbol that contains the query, then by the full-text rank (a
word in a title counts more than one in a text). The index is `models.search`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Text,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from models import Document
from models.search import TABLE, pg_configurations, stems
from workflow import times

MAX_WORDS = 12  # a longer query is cut: each word is one more condition on the index
TITLE_WEIGHT = 10.0  # SQLite's bm25: a word in a title counts ten times one in a text

_pg_index = table(TABLE, column("document_id", Integer), column("vector", TSVECTOR))
_fts_index = table(TABLE, column("rowid", Integer), column("title", Text), column("body", Text))


@dataclass
class Search:
    """What a query adds to a list of documents: the index's hits (`document_id`, `score`)
    to outer-join (None when the query has no word to look up), the condition a document
    must meet, and the order of relevance."""

    hits: Subquery | None
    condition: ColumnElement[bool]
    order: tuple


def like_pattern(value: str) -> str:
    """`%value%` for LIKE … ESCAPE '\\', with the user's own `%`, `_` and `\\` literal."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(session: Session, q: str) -> Search | None:
    """The search for `q` on this session's database, or None for a blank query."""
    q = " ".join(q.split())
    if not q:
        return None
    words = q.split(" ")[:MAX_WORDS]
    if session.get_bind().dialect.name == "postgresql":
        hits = _postgresql_hits(words, pg_configurations(times.forum(session).languages))
    else:
        hits = _sqlite_hits(words)
    in_symbol = func.lower(Document.symbol).like(like_pattern(q.lower()), escape="\\")
    if hits is None:
        return Search(None, in_symbol, ())
    return Search(
        hits=hits,
        condition=or_(hits.c.document_id.is_not(None), in_symbol),
        order=(case((in_symbol, 1), else_=0).desc(), func.coalesce(hits.c.score, 0.0).desc()),
    )


def _postgresql_hits(words: list[str], configurations: list[str]) -> Subquery:
    """Each word stemmed by every working language's configuration (`english`, `russian`,
    …): a word matches in any of them; every word must match."""
    query = None
    for word in words:
        either = None
        for configuration in configurations:
            one = func.plainto_tsquery(
                literal_column(f"'{configuration}'::regconfig"), bindparam(None, word, Text)
            )
            either = one if either is None else either.op("||")(one)
        query = either if query is None else query.op("&&")(either)
    return (
        select(
            _pg_index.c.document_id,
            func.ts_rank(_pg_index.c.vector, query, type_=Float).label("score"),
        )
        .where(_pg_index.c.vector.op("@@")(query))
        .subquery("hits")
    )


def _sqlite_hits(words: list[str]) -> Subquery | None:
    """Each word stemmed as the index was (`models.search.stems`); every word must match."""
    tokens = [token for word in words for token in stems(word)]
    if not tokens:
        return None
    match = " ".join('"' + token.replace('"', '""') + '"' for token in tokens)
    index = literal_column(TABLE)
    return (
        select(
            _fts_index.c.rowid.label("document_id"),
            (-func.bm25(index, TITLE_WEIGHT, 1.0, type_=Float)).label("score"),
        )
        .select_from(_fts_index)
        .where(index.op("MATCH")(match))
        .subquery("hits")
    )
