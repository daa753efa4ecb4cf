"""A definition drawn as a Mermaid state diagram (transitions writes it; no Graphviz)."""

from __future__ import annotations

import threading

from transitions import Machine
from transitions.extensions import GraphMachine

from workflow import machine
from workflow.spec import Definition

_graphs: dict[Definition, Machine] = {}
_lock = threading.Lock()


class _DiagramModel:
    pass


def mermaid(definition: Definition, current_state: str | None = None) -> str:
    """The process as Mermaid text, the current state marked when given."""
    with _lock:
        graph = _graphs.get(definition)
        if graph is None:
            graph = _graphs[definition] = machine.build(
                definition, GraphMachine, graph_engine="mermaid", title=definition.title
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
    return text
