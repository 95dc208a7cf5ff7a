"""Published times as the pages give them, compared correctly."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_key(published: str | None) -> str:
    """A published time as a UTC sort key: "2031-03-14T13:42:00+02:00" -> "2031-03-14T11:42:00"; a time without
    an offset is taken as UTC and a date alone as its midnight; what does not parse sorts as written."""
    if not published:
        return ""
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return published
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()
