"""A definition drawn as a Mermaid state diagram (transitions writes it; no Graphviz).

transitions names states and edges by their internal names; the drawing is then labelled
with the definition's titles in the reader's language, and its colours replaced by ones
that read well: the current state is marked by a dark fill with white bold text (a
contrast above 4.5:1, WCAG AA) and a thick border, not by colour alone.
"""

from __future__ import annotations

import re
import threading

from transitions import Machine
from transitions.extensions import GraphMachine

from workflow import machine
from workflow.spec import Definition

_graphs: dict[Definition, Machine] = {}
_lock = threading.Lock()

# Mermaid classes transitions assigns, as (fill, text colour, extra style).
PALETTE = {
    "s_default": ("#ffffff", "#1a1a1a", "stroke:#555555"),
    "s_inactive": ("#ffffff", "#1a1a1a", "stroke:#555555"),
    "s_parallel": ("#ffffff", "#1a1a1a", "stroke:#555555"),
    "s_active": ("#14386b", "#ffffff", "stroke:#000000,stroke-width:4px,font-weight:bold"),
    "s_previous": ("#eef4fb", "#14386b", "stroke:#14386b"),
}
_CLASS_DEF = re.compile(r"^(\s*)classDef (\w+) ")
_STATE = re.compile(r'^(\s*)state "(\w+)" as (\w+)$')
_EDGE = re.compile(r"^(\s*)(\w+) --> (\w+): (.+)$")


class _DiagramModel:
    pass


def _label(text: str) -> str:
    """A title safe inside a Mermaid label (no quotes, no line breaks)."""
    return " ".join(text.replace('"', "'").split())


def mermaid(definition: Definition, current_state: str | None = None, language: str = "en") -> str:
    """The process as Mermaid text in `language`, the current state marked when given."""
    with _lock:
        graph = _graphs.get(definition)
        if graph is None:
            graph = _graphs[definition] = machine.build(
                definition, GraphMachine, graph_engine="mermaid", title=definition.kind
            )
        model = _DiagramModel()
        graph.add_model(model, initial=current_state or definition.initial)
        try:
            text = model.get_graph().draw(None)
        finally:
            graph.remove_model(model)
    if current_state is None:  # no document: mark nothing
        marked = f"Class {definition.initial} s_active"
        text = text.replace(marked, f"Class {definition.initial} s_default")
    return "\n".join(_relabel(definition, line, language) for line in text.splitlines())


def _relabel(definition: Definition, line: str, language: str) -> str:
    if line == definition.kind:  # the front matter's title
        return f'title: "{_label(definition.title(language))}"'
    if match := _CLASS_DEF.match(line):
        indent, name = match.groups()
        if name in PALETTE:
            fill, colour, extra = PALETTE[name]
            return f"{indent}classDef {name} fill:{fill},color:{colour},{extra}"
    if match := _STATE.match(line):
        indent, name, alias = match.groups()
        return f'{indent}state "{_label(definition.state_title(name, language))}" as {alias}'
    if match := _EDGE.match(line):
        indent, source, dest, triggers = match.groups()
        titles = [
            _label(definition.trigger_title(source, trigger.strip(), language))
            for trigger in triggers.split("|")
        ]
        return f"{indent}{source} --> {dest}: {' | '.join(titles)}"
    return line
