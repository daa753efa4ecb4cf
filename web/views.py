"""Placeholder blueprint; routes are added here."""

from flask import Blueprint

bp = Blueprint(__name__.rsplit(".", 1)[-1], __name__)
