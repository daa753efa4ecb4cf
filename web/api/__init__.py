"""The JSON API v1 under /api/v1: bearer tokens, problem+json errors, an OpenAPI 3.1 description.

`bp` is registered by the app factory (and exempted from CSRF: no cookies here).
Each route calls the same operations as the web interface, with the caller as actor.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from web.api import openapi, routes
from web.api.blueprint import bp
from web.problems import from_http_exception, is_api_request, problem_response

__all__ = ["bp", "openapi", "routes"]


def _previous_handler(app: Flask, error: HTTPException):
    """The app's own handler for this error (web pages), as registered before the API's."""
    handlers = app.error_handler_spec.get(None, {})
    for code in (error.code, None):
        for cls in type(error).__mro__:
            handler = handlers.get(code, {}).get(cls)
            if handler is not None and not getattr(handler, "_concord_api", False):
                return handler
    return None


def _install_routing_errors(state) -> None:
    """Unknown paths and methods under /api/v1 answer problem+json; elsewhere, as before.

    Routing errors happen before a blueprint is chosen, so only an app-wide handler sees
    them; it defers to the handler the web interface registered for other paths.
    """
    app: Flask = state.app
    previous = {cls: _previous_handler(app, cls()) for cls in (NotFound, MethodNotAllowed)}

    def handle(error: HTTPException):
        if is_api_request():
            return problem_response(from_http_exception(error))
        handler = previous.get(type(error)) or _previous_handler(app, error)
        return handler(error) if handler is not None else error

    handle._concord_api = True
    for cls in (NotFound, MethodNotAllowed):
        app.register_error_handler(cls, handle)


bp.record_once(_install_routing_errors)
