"""The API's routes, one module per resource; importing them declares them."""

from web.api.routes import decisions, documents, me, reference, rounds, workflows

__all__ = ["decisions", "documents", "me", "reference", "rounds", "workflows"]
