"""What a page shows a person, and which of it is English interface text left untranslated.

The English interface strings are the catalogue's msgids whose translation differs from
them; a page in another language must show none of them. Text inside an element marked
`lang="en"` (the English text of a document, the language switch) is English on purpose.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "web" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
SKIPPED = {"script", "style", "head", "pre"}  # <pre>: the diagram's source, code
ATTRIBUTES = ("placeholder", "aria-label")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def _fragments(message: str) -> list[str]:
    """The fixed words of a message, between its placeholders."""
    return [part.strip(" .,:;()·—“”") for part in PLACEHOLDER.split(message)]


@cache
def english_phrases(language: str) -> frozenset[str]:
    """The English interface phrases a page in `language` must not show."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    phrases = set()
    for message in catalogue:
        if not message.id or message.context == "CSV column":
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            if english in strings:
                continue  # the same in both languages (a code, a Latin term)
            phrases.update(
                f for f in _fragments(english) if len(f) > 1 and re.search("[A-Za-z]", f)
            )
    return frozenset(phrases)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: skipped or English on purpose)
        self.nodes: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        # lang="en" inside the page marks English on purpose (the whole page's lang does not)
        english = values.get("lang") == "en" and tag != "html"
        hidden = self._hidden() or tag in SKIPPED or english
        if not hidden:
            self.nodes.extend(values[name] for name in ATTRIBUTES if values.get(name))
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    """The page's text nodes (and placeholders, labels for screen readers), spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    return [" ".join(node.split()) for node in parser.nodes]


@cache
def _patterns(language: str) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (phrase, re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"))
        for phrase in english_phrases(language)
        if " " in phrase
    )


def english_left(nodes: list[str], language: str = "ru") -> list[str]:
    """English interface phrases among text nodes: a node that is one, or a phrase of two or
    more words inside a node."""
    found = {node.strip(" .,:;()·—←→“”") for node in nodes} & english_phrases(language)
    text = "\n".join(nodes)
    found.update(phrase for phrase, pattern in _patterns(language) if pattern.search(text))
    return sorted(found)
