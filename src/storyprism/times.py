"""Published times as the pages give them, compared correctly."""

from __future__ import annotations

from datetime import UTC, datetime

# English month and weekday names, lower-case, in calendar order (January = index 0, Monday = index 0).
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
)  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as a naive UTC time (a time without an offset is taken as UTC, a date
    alone as its midnight); None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def utc_key(published: str | None) -> str:
    """A published time as a UTC sort key: "2031-03-14T13:42:00+02:00" -> "2031-03-14T11:42:00"; what does not
    parse sorts as written."""
    moment = parse_time(published)
    return moment.isoformat() if moment else published or ""
