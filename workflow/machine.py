"""One `transitions.Machine` per definition, built once, shared by every document.

Operations trigger it against a light context wrapping the document row
(`workflow.context`): the machine reads and writes the row's `state`; permission
and guards are its condition, effects run after the state changed.
"""

from __future__ import annotations

import threading
from functools import partial

from transitions import Machine

from workflow.context import check_transition, run_effects
from workflow.spec import Definition

_machines: dict[Definition, Machine] = {}
_lock = threading.Lock()


def build(definition: Definition, machine_class: type[Machine] = Machine, **options) -> Machine:
    """A machine of `machine_class` with the definition's states and transitions."""
    machine = machine_class(
        model=[],
        states=list(definition.states),
        initial=definition.initial,
        auto_transitions=False,
        send_event=True,
        **options,
    )
    for spec in definition.transitions:
        machine.add_transition(
            spec.trigger,
            list(spec.sources),
            spec.dest,
            conditions=[partial(check_transition, spec)],
            after=[partial(run_effects, spec)],
        )
    return machine


def machine_for(definition: Definition) -> Machine:
    with _lock:
        found = _machines.get(definition)
        if found is None:
            found = _machines[definition] = build(definition)
        return found
