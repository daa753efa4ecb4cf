"""Placeholder: error pages are registered here."""


def init_app(app) -> None:
    pass
