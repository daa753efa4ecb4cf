"""The edges of every request: the size of its body and the security headers of its answer.

A body larger than `max_request_bytes` is refused (413) from its Content-Length,
before any of it is read; of a body sent without one (chunked), at most one byte
past the limit is read before it is refused. Every answer says `nosniff`; HTML pages load nothing from outside this
server; in production (or when `hsts_max_age_seconds` is set) browsers are told
to come back over HTTPS only.
"""

from __future__ import annotations

import io

from flask import Flask, abort, request

from config.settings import Settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # Mermaid styles the SVG it draws inline
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _read_bounded(limit: int) -> None:
    """Read a body of unknown length up to one byte past the limit; refuse it beyond.

    (Werkzeug would silently truncate such a body at the limit for a form.)"""
    stream = request.environ["wsgi.input"]
    body = bytearray()
    while len(body) <= limit:
        chunk = stream.read(limit + 1 - len(body))
        if not chunk:
            break
        body += chunk
    if len(body) > limit:
        abort(413)
    request.environ["wsgi.input"] = io.BytesIO(bytes(body))


def init_app(app: Flask, settings: Settings) -> None:
    limit = settings.max_request_bytes
    # Werkzeug enforces these while reading: the whole body, and any one form field.
    app.config.update(MAX_CONTENT_LENGTH=limit, MAX_FORM_MEMORY_SIZE=limit)
    hsts = (
        f"max-age={settings.hsts_max_age_seconds}; includeSubDomains"
        if settings.hsts_max_age_seconds
        else None
    )

    @app.before_request
    def refuse_large_bodies() -> None:
        if request.content_length is not None:
            if request.content_length > limit:
                abort(413)
        elif "wsgi.input_terminated" in request.environ:  # the server dechunks the body
            _read_bounded(limit)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if response.mimetype == "text/html":
            for name, value in HTML_HEADERS.items():
                response.headers.setdefault(name, value)
        return response
