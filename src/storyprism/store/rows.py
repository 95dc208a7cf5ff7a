"""What the store's read side returns: small rows for lists (stories, articles, outlets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StoryRow:
    id: str
    title: str | None
    start: str | None
    end: str | None
    articles: int
    outlets: list[str]
    independent_origins: int
    claims: int
    conflicts: int
    end_utc: str | None = None
    """``end`` in UTC: what the list is ordered by and its cursor points at."""


@dataclass(frozen=True)
class ArticleRow:
    id: str
    outlet: str | None
    title: str | None
    published: str | None
    genre: str | None
    story: str | None
    source: str
    snippet: str | None = None
    """For a search result: the matching words in context (plain text; the caller escapes it)."""


@dataclass(frozen=True)
class RawInput:
    """An article's original input, as read."""

    document: int
    source: str
    format: str
    encoding: str | None
    url: str | None
    content: str
    meta: dict[str, Any]


@dataclass
class OutletProfile:
    """One outlet across every stored story: the same measures for every outlet."""

    name: str
    articles: int
    stories: int
    first: str | None
    last: str | None
    kinds: dict[str, int]
    opinion_share: float
    markers: dict[str, int]
    terms: list[dict[str, Any]]
    agencies: dict[str, int]
    labels: dict[str, list[str]] = field(default_factory=dict)
    """Canonical actor -> the names and designations this outlet uses for it (most used first)."""


@dataclass(frozen=True)
class LedgerRow:
    run: str
    at: str
    source: str
    status: str
    reason: str | None
    article: str | None
