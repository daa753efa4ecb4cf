"""Document texts: Markdown rendered safely, and line diffs between versions."""

from __future__ import annotations

import difflib
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


@dataclass(frozen=True)
class DiffRow:
    tag: str  # equal, replace, delete, insert
    old_number: int | None
    old: str
    new_number: int | None
    new: str


def line_diff(old_text: str, new_text: str) -> list[DiffRow]:
    """Side-by-side rows of a line diff; replaced blocks are paired line by line."""
    old_lines, new_lines = (old_text or "").splitlines(), (new_text or "").splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        length = max(i2 - i1, j2 - j1)
        for k in range(length):
            i, j = i1 + k, j1 + k
            has_old, has_new = i < i2, j < j2
            row_tag = tag
            if tag == "replace" and not has_new:
                row_tag = "delete"
            elif tag == "replace" and not has_old:
                row_tag = "insert"
            rows.append(
                DiffRow(
                    tag=row_tag,
                    old_number=i + 1 if has_old else None,
                    old=old_lines[i] if has_old else "",
                    new_number=j + 1 if has_new else None,
                    new=new_lines[j] if has_new else "",
                )
            )
    return rows


def diff_summary(rows: list[DiffRow]) -> dict[str, int]:
    added = sum(1 for r in rows if r.tag in ("insert", "replace") and r.new_number)
    removed = sum(1 for r in rows if r.tag in ("delete", "replace") and r.old_number)
    return {"added": added, "removed": removed}
