"""The `id` URL converter every route uses for a row's number.

Werkzeug's `int` converter matches any Unicode digit (`/rounds/٤` would be round 4)
and any size (a number beyond the database's integer overflows it). This one takes
ASCII digits only, within the database's range; anything else matches no route: 404.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

MAX_ID = 2**31 - 1  # ids are 32-bit integers in every supported database


class IdConverter(BaseConverter):
    regex = r"[0-9]{1,10}"
    part_isolating = True
    weight = 50  # as werkzeug's numbers: tried before a string in the same place

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            # NotFound, not ValidationError: after a ValidationError werkzeug tries the
            # same path with other methods and answers 405 instead of 404.
            raise NotFound()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
