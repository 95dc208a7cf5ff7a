"""Plain-text page dumps: find the article among menus, tickers, related lists and footers."""

from __future__ import annotations

from storyprism.models import PageParts


def parse_dump(text: str) -> PageParts:
    raise NotImplementedError
