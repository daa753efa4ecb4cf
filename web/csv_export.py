"""CSV exports as spreadsheets open them: UTF-8 with a byte-order mark (so Excel reads
"Türkiye" and Cyrillic right), times in the forum's zone to the minute, no formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, stream_with_context

BYTE_ORDER_MARK = "\ufeff"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def spreadsheet_safe(text: str) -> str:
    """A leading =, +, -, @ would run as a formula when the CSV is opened in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def zoned(moment: datetime | None, zone: ZoneInfo) -> str:
    """"2025-03-08 16:00" in `zone`; empty for no moment."""
    return moment.astimezone(zone).strftime(TIME_FORMAT) if moment else ""


def _lines(rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield BYTE_ORDER_MARK
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(rows: Iterable[list], filename: str) -> Response:
    """Stream `rows` (the header first) as a CSV download; `rows` may read the database."""
    return Response(
        stream_with_context(_lines(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
