"""HTML pages: trafilatura for the body, plus the page's own metadata (JSON-LD, OpenGraph, <meta>)."""

from __future__ import annotations

from storyprism.models import PageParts


def parse_html(html: str, url: str | None = None) -> PageParts:
    raise NotImplementedError
