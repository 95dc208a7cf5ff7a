"""The stories list's filters, read from a query string: the same for the HTML page and the JSON API."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?")


class FilterError(ValueError):
    """A filter value that cannot be used (its message names the field)."""


@dataclass(frozen=True)
class StoryFilters:
    search: str | None = None
    outlet: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None

    def store_args(self) -> dict[str, str | None]:
        return asdict(self)

    def query(self) -> dict[str, str]:
        """The filters as query-string parameters (for links that keep them: the next page, a removed filter)."""
        names = {"search": "q"}
        return {names.get(k, k): v for k, v in asdict(self).items() if v}

    @property
    def active(self) -> bool:
        return any(asdict(self).values())


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def iso_day(value: str | None, field: str) -> str | None:
    """A date (or date-time) as the store compares it: ISO 8601 text; anything else is refused, not guessed."""
    value = clean(value)
    if value is None:
        return None
    if not _ISO.fullmatch(value):
        raise FilterError(f"{field}: {value!r} is not a date (YYYY-MM-DD)")
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FilterError(f"{field}: {value!r} is not a valid date") from None
    return value


def story_filters(
    q: str | None, outlet: str | None, entity: str | None, since: str | None, until: str | None
) -> StoryFilters:
    return StoryFilters(clean(q), clean(outlet), clean(entity), iso_day(since, "since"), iso_day(until, "until"))


def page_size(limit: int | None) -> int:
    if limit is None:
        return PAGE_SIZE
    return max(1, min(int(limit), MAX_PAGE_SIZE))
