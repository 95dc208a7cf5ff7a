"""Search snippets as (text, matched) pieces, so the template can mark the matches while escaping everything."""

from __future__ import annotations

from storyprism.store import Store


def snippet_parts(snippet: str | None) -> list[tuple[str, bool]]:
    if not snippet:
        return []
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(Store.SNIPPET_OPEN)):
        matched, _, rest = chunk.partition(Store.SNIPPET_CLOSE) if i else ("", "", chunk)
        if matched:
            parts.append((matched, True))
        if rest:
            parts.append((rest, False))
    return parts


def snippet_text(snippet: str | None) -> str:
    """The snippet with the FTS marks as ``[`` ``]`` (the JSON API's plain-text form)."""
    return (snippet or "").replace(Store.SNIPPET_OPEN, "[").replace(Store.SNIPPET_CLOSE, "]")
