"""The site's public address, for the links that are sent out or shown (invitations, resets)."""

from __future__ import annotations

from flask import current_app, request


def public_url() -> str:
    """The `public_url` setting, else the address this request came to."""
    settings = current_app.extensions["concord.runtime"].settings
    return settings.public_url or request.host_url.rstrip("/")
