"""Document texts: Markdown rendered safely, and word diffs between versions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "pre", "code", "em", "strong", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source: str | None) -> Markup:
    """Markdown to HTML; raw HTML is escaped by the parser and nh3 removes anything unsafe."""
    html = _markdown.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"style"}, "td": {"style"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


# Markup that carries no words: heading marks, emphasis, quotes (list numbers are words
# here: delegates cite paragraphs by them).
_MARKUP = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?)|[*_`]+")
_BLOCK_START = re.compile(r"^\s{0,3}(#{1,6}\s|\d+[.)]\s|[-*+]\s)")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    op: str  # equal, insert, delete
    text: str


@dataclass(frozen=True)
class DiffParagraph:
    kind: str  # equal, changed, inserted, deleted
    pieces: list[Piece]


def paragraphs(source: str | None) -> list[str]:
    """A Markdown text as the paragraphs a reader sees: blocks, headings and list items
    each on their own, markup removed, wrapped lines joined."""
    result: list[list[str]] = [[]]
    for line in (source or "").splitlines():
        if not line.strip():
            result.append([])
            continue
        if _BLOCK_START.match(line):
            result.append([])
        result[-1].append(_MARKUP.sub("", line).strip())
    return [" ".join(words) for words in result if words]


def _word_pieces(old: str, new: str) -> list[Piece]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces


def word_diff(old_text: str | None, new_text: str | None) -> list[DiffParagraph]:
    """Paragraph by paragraph, the words deleted and inserted between two texts."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    result: list[DiffParagraph] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [DiffParagraph("equal", [Piece("equal", p)]) for p in old[i1:i2]]
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            result.append(DiffParagraph("changed", _word_pieces(old[i1 + k], new[j1 + k])))
        result += [DiffParagraph("deleted", [Piece("delete", p)]) for p in old[i1 + paired : i2]]
        result += [DiffParagraph("inserted", [Piece("insert", p)]) for p in new[j1 + paired : j2]]
    return result


def diff_summary(diff: list[DiffParagraph]) -> dict[str, int]:
    """How many words were inserted and deleted, and how many paragraphs differ."""
    words = {"insert": 0, "delete": 0}
    for paragraph in diff:
        for piece in paragraph.pieces:
            if piece.op in words:
                words[piece.op] += len(re.findall(r"\w+", piece.text))
    changed = sum(1 for p in diff if p.kind != "equal")
    return {"inserted": words["insert"], "deleted": words["delete"], "paragraphs": changed}
