"""A profile's demo data file: `<profile>.demo.toml` beside the profile (cica.demo.toml for
cica.toml). It lists the demo accounts and each demo document as scripted steps (see
config/profiles/cica.demo.toml); errors name the file, the key and the reason."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from bootstrap.demo_accounts import DemoAccount
from bootstrap.demo_script import DOCUMENT_KEYS, STEPS, ScriptedDocument, Step
from workflow.errors import DefinitionError

ACCOUNT_KEYS = frozenset(
    {"key", "email", "name", "password", "delegate_of", "observer_of", "secretariat", "admin"}
)
OFFSET_UNITS = frozenset({"days", "hours", "minutes"})


def demo_file(profile: str | Path) -> Path:
    """Where a profile's demo data lives: `<name>.demo.toml` next to `<name>.toml`."""
    profile = Path(profile)
    return profile.with_name(f"{profile.stem}.demo.toml")


class _Checker:
    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, reason: str) -> DefinitionError:
        return DefinitionError(self.file, key, reason)

    def table(self, value: Any, key: str, allowed: frozenset, required: frozenset) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        for name in sorted(set(value) - allowed):
            raise self.fail(f"{key}.{name}", "unknown key")
        for name in sorted(required - set(value)):
            raise self.fail(f"{key}.{name}", "is required")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def codes(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(c, str) and c for c in value):
            raise self.fail(key, 'must be a list of participant codes (["ABC"])')
        return tuple(value)

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def list_of_tables(self, data: dict, name: str) -> list:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"must be an array of tables ([[{name}]])")
        return value


def _account(check: _Checker, entry: dict, key: str) -> DemoAccount:
    check.table(entry, key, ACCOUNT_KEYS, frozenset({"key", "email", "name", "password"}))
    return DemoAccount(
        key=check.text(entry["key"], f"{key}.key"),
        email=check.text(entry["email"], f"{key}.email"),
        name=check.text(entry["name"], f"{key}.name"),
        password=check.text(entry["password"], f"{key}.password"),
        delegate_of=check.codes(entry.get("delegate_of", []), f"{key}.delegate_of"),
        observer_of=check.codes(entry.get("observer_of", []), f"{key}.observer_of"),
        secretariat=check.flag(entry.get("secretariat", False), f"{key}.secretariat"),
        admin=check.flag(entry.get("admin", False), f"{key}.admin"),
    )


def _step_args(check: _Checker, do: str, args: dict, key: str) -> dict:
    if "deadline_in" in args:
        offset = args["deadline_in"]
        if (
            not isinstance(offset, dict)
            or not offset
            or set(offset) - OFFSET_UNITS
            or not all(isinstance(v, int) and v >= 0 for v in offset.values())
        ):
            raise check.fail(
                f"{key}.deadline_in", "must be a table of whole days, hours, minutes from now"
            )
    if "deposited" in args:
        value = args["deposited"]
        ago = isinstance(value, dict) and set(value) == {"days_ago"}
        if not (
            (isinstance(value, date) and not hasattr(value, "hour"))
            or (ago and isinstance(value["days_ago"], int) and value["days_ago"] >= 0)
        ):
            raise check.fail(f"{key}.deposited", "must be a date or { days_ago = N }")
    if do == "propose_changes" and not (
        isinstance(args["changes"], list) and all(isinstance(c, dict) for c in args["changes"])
    ):
        raise check.fail(f"{key}.changes", "must be a list of tables")
    return args


def _document(check: _Checker, entry: dict, key: str, accounts: set[str]) -> ScriptedDocument:
    check.table(entry, key, DOCUMENT_KEYS | {"by", "steps"}, frozenset({"by", "kind", "title"}))
    if entry["by"] not in accounts:
        raise check.fail(f"{key}.by", f"no account has the key {entry['by']!r}")
    steps = []
    for index, step in enumerate(check.list_of_tables(entry, "steps")):
        step_key = f"{key}.steps[{index}]"
        do = step.get("do")
        if do not in STEPS:
            raise check.fail(f"{step_key}.do", f"must be one of {', '.join(sorted(STEPS))}")
        _, required, optional = STEPS[do]
        check.table(step, step_key, required | optional | {"do", "by"}, required | {"by"})
        if step["by"] not in accounts:
            raise check.fail(f"{step_key}.by", f"no account has the key {step['by']!r}")
        args = {k: v for k, v in step.items() if k not in ("do", "by")}
        steps.append(Step(do, step["by"], _step_args(check, do, args, step_key)))
    fields = {k: v for k, v in entry.items() if k not in ("by", "steps")}
    return ScriptedDocument(entry["by"], fields, tuple(steps))


def load_demo_file(
    path: str | Path,
) -> tuple[tuple[DemoAccount, ...], tuple[ScriptedDocument, ...]]:
    """The accounts and scripted documents of a demo data file."""
    path = Path(path)
    check = _Checker(path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise check.fail("-", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise check.fail("-", f"not valid TOML ({exc})") from None
    for name in sorted(set(data) - {"accounts", "documents"}):
        raise check.fail(name, "unknown section")
    accounts = tuple(
        _account(check, entry, f"accounts[{i}]")
        for i, entry in enumerate(check.list_of_tables(data, "accounts"))
    )
    keys = [a.key for a in accounts]
    for index, account in enumerate(accounts):
        if keys.index(account.key) != index:
            raise check.fail(f"accounts[{index}].key", f"duplicate key {account.key!r}")
    documents = tuple(
        _document(check, entry, f"documents[{i}]", set(keys))
        for i, entry in enumerate(check.list_of_tables(data, "documents"))
    )
    return accounts, documents
