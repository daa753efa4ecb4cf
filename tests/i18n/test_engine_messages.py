"""The engine's refusals reach people translated: each message is marked with N_ and keeps its
values apart, and the web shows it in the reader's language."""

from __future__ import annotations

import ast
from pathlib import Path

from workflow import errors
from workflow.errors import N_, GuardFailed, InvalidInput, Text

WORKFLOW = Path(errors.__file__).parent
REFUSALS = {
    "ConcordError",
    "Conflict",
    "InvalidInput",
    "NotFound",
    "NotPermitted",
    "RoundClosed",
    "StaleChange",
}


def _unmarked(path: Path) -> list[str]:
    """Refusals in `path` whose message is a literal or an f-string, not an N_ message."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id in REFUSALS and node.args:
            message = node.args[0]
        elif node.func.id == "GuardFailed" and len(node.args) > 1:
            message = node.args[1]
        else:
            continue
        if isinstance(message, ast.JoinedStr | ast.Constant):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_refusal_of_the_engine_is_a_marked_message():
    unmarked = [where for path in sorted(WORKFLOW.glob("*.py")) for where in _unmarked(path)]
    assert not unmarked, f"wrap the message in N_() with its values as keywords: {unmarked}"


def test_a_guards_reason_keeps_its_message_and_values_for_translation():
    reason = Text(N_("%(count)s of %(threshold)s instruments deposited"), count=1, threshold=3)
    assert reason == "1 of 3 instruments deposited"  # what the CLI and the logs show
    refusal = GuardFailed("threshold_reached", reason)
    assert str(refusal) == refusal.reason == "1 of 3 instruments deposited"
    assert refusal.message == "%(count)s of %(threshold)s instruments deposited"
    assert refusal.params == {"count": 1, "threshold": 3}


def test_a_percent_sign_in_a_message_with_values_survives():
    assert str(InvalidInput(N_("%(share)s%% of %(total)s"), share=5, total=10)) == "5% of 10"
