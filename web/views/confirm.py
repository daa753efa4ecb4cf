"""Asking before a step that cannot be undone.

The request comes back as a page that names the consequence, with every field of the
form kept and `confirmed=yes` added; confirming posts it again. A confirmation is no
permission: the operation checks everything again when it runs.
"""

from __future__ import annotations

from flask import render_template, request

CONFIRMED_FIELD = "confirmed"


def is_confirmed() -> bool:
    return request.form.get(CONFIRMED_FIELD) == "yes"


def ask(*, title: str, consequence: str, confirm_label: str, back_url: str):
    """The confirmation page for the current POST (200: nothing was done yet)."""
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", CONFIRMED_FIELD)
    ]
    return render_template(
        "confirm_step.html",
        title=title,
        consequence=consequence,
        confirm_label=confirm_label,
        back_url=back_url,
        action=request.full_path.rstrip("?"),
        fields=fields,
    )
