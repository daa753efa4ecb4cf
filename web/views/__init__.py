"""The HTML interface: one blueprint, split into small modules by audience."""

from flask import Blueprint

bp = Blueprint("views", __name__)

# The modules register their routes on `bp`.
from web.views import (  # noqa: E402,F401
    account,
    account_links,
    calendar,
    documents,
    export,
    filters,
    home,
    notifications,
    positions,
    record,
    rounds,
    secretariat,
    users,
)
