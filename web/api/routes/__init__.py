"""The API's routes, one module per resource; importing them declares them."""

from web.api.routes import catalogue, decisions, documents, me, reference, rounds, users, workflows

__all__ = ["catalogue", "decisions", "documents", "me", "reference", "rounds", "users", "workflows"]
