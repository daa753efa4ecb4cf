"""Symbol patterns: how documents and decisions are numbered.

A pattern is text with placeholders in braces, e.g. `{prefix}/{kind}/{n}/{yy}` for a
document (`BSF/CP/3/24`) or `{body}.DEC/{number}/{yy}` for a decision
(`SOC.DEC/3/24`). A pattern that shows the year (`{yy}` or `{yyyy}`) numbers afresh
each year; one that does not runs on (`PC.DEC/1530`): the symbol must stay unique.
"""

from __future__ import annotations

import re
import string

YEARS = frozenset({"yy", "yyyy"})
DOCUMENT_FIELDS = frozenset({"prefix", "kind", "n", *YEARS})
DECISION_FIELDS = frozenset({"body", "number", *YEARS})
DOCUMENT_DEFAULT = "{prefix}/{kind}/{n}/{yy}"


def fields(pattern: str) -> list[str]:
    """The placeholders of `pattern` in order; ValueError when it is malformed."""
    return [name for _, name, spec, conv in string.Formatter().parse(pattern) if name is not None]


def problem(pattern: object, allowed: frozenset[str], counter: str) -> str | None:
    """Why `pattern` cannot number anything, or None when it can."""
    known = ", ".join(f"{{{name}}}" for name in sorted(allowed))
    if not isinstance(pattern, str) or not pattern.strip():
        return "must be a non-empty string"
    try:
        names = fields(pattern)
    except ValueError:
        return f"unbalanced braces: a pattern of {known} only"
    unknown = [name for name in names if name not in allowed]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}: a pattern of {known} only"
    if names.count(counter) != 1:
        return f"must contain {{{counter}}} once"
    if len(pattern) > 60:
        return "must stay short (60 characters at most)"
    return None


def shows_year(pattern: str) -> bool:
    """True: numbered afresh each year. False: one running counter."""
    return bool(YEARS & set(fields(pattern)))


def year_values(year: int) -> dict[str, str]:
    return {"yy": f"{year % 100:02d}", "yyyy": str(year)}


def render(pattern: str, **values: object) -> str:
    return pattern.format(**values)


def highest(pattern: str, counter: str, values: dict[str, str], symbols: list[str]) -> int:
    """The highest number among `symbols` written by `pattern` with `values` (years left out
    of `values` match any year); 0 when none is."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name == counter:
            parts.append(r"(?P<counter>\d+)")
        elif name in values:
            parts.append(re.escape(str(values[name])))
        else:
            parts.append(r"\d+")
    matcher = re.compile("^" + "".join(parts) + "$")
    return max((int(m.group("counter")) for s in symbols if (m := matcher.match(s))), default=0)


def like_filter(pattern: str, values: dict[str, str]) -> str:
    """A SQL LIKE pattern (escape character `\\`) that every symbol of `pattern` matches."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        out.append(re.sub(r"([\\%_])", r"\\\1", literal))
        if name is not None:
            value = values.get(name)
            out.append(re.sub(r"([\\%_])", r"\\\1", str(value)) if value is not None else "%")
    return "".join(out)
