"""Extract stage: RawDoc -> Article (body, title, outlet, byline, dates, language, genre, agencies)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

from storyprism.extract.agencies import find_agencies
from storyprism.extract.dates import FoundDate, find_dates, resolve_published
from storyprism.extract.dump import parse_dump
from storyprism.extract.genre import find_genre, find_reference, find_translation
from storyprism.extract.html import parse_html
from storyprism.extract.outlet import find_outlet
from storyprism.models import Article, PageParts, RawDoc

__all__ = ["ExtractError", "extract"]

_BYLINE = re.compile(r"^\s*(?:by|written by|words by)\s+(?P<name>\S.{0,150}?)\s*$", re.IGNORECASE)
_MIN_BODY_CHARS = 80


class ExtractError(Exception):
    """The document holds no article; the message is the one-line reason."""


def extract(raw: RawDoc) -> Article:
    """Turn one raw document into an Article. Raises ExtractError when no article text is found."""
    parts = _parse(raw)
    text = "\n\n".join(p.strip() for p in parts.body if p.strip())
    if len(text) < _MIN_BODY_CHARS:
        raise ExtractError("no article text found" if not text else f"article text too short ({len(text)} chars)")
    title = _clean(raw.title or parts.title or parts.metadata.get("title"))
    label_lines = [*parts.meta_lines, *parts.header[-6:], *parts.footer[:6]]
    reference = find_reference([*parts.meta_lines, *parts.header[-6:]])
    genre, genre_signals = find_genre(
        parts, title=title, url=raw.url or parts.metadata.get("url"), has_reference=bool(reference)
    )
    outlet, outlet_method = find_outlet(raw, parts, press_release=genre == "press_release")
    byline = _byline(parts)
    fetched = _reference_time(raw)
    dates = _date_candidates(raw, parts, fetched)
    published = resolve_published(dates, reference=fetched)
    translation = find_translation(parts)
    return Article(
        id=raw.id or content_id(text),
        source=raw.source,
        text=text,
        title=title,
        outlet=outlet,
        outlet_method=outlet_method,
        url=raw.url or parts.metadata.get("url"),
        byline=byline,
        published=published.value,
        published_method=published.method,
        published_confidence=published.confidence,
        published_notes=list(published.notes),
        dates=dates,
        language=detect_language(text, parts.metadata.get("language")),
        genre=genre,
        genre_signals=genre_signals,
        agencies=find_agencies(text, meta_lines=[ln for ln in label_lines if len(ln) < 200], byline=byline),
        translated=translation is not None,
        translation_evidence=translation,
        reference=reference,
        standfirst=parts.standfirst,
        subheadings=list(parts.subheadings),
        captions=list(parts.captions),
        input_format=raw.format,
    )


def _parse(raw: RawDoc) -> PageParts:
    try:
        return parse_html(raw.content, raw.url) if raw.format == "html" else parse_dump(raw.content)
    except ValueError as exc:
        raise ExtractError(str(exc)) from exc


def content_id(text: str) -> str:
    """A stable id from the body: the same article read twice (or from two files) gets the same id."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).split()).lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def _byline(parts: PageParts) -> str | None:
    author = parts.metadata.get("author")
    if author:
        return _clean(author)
    for line in parts.meta_lines:
        match = _BYLINE.match(line.strip(" •*+-·|\t"))
        if match:
            return _clean(match.group("name"))
    return None


def _date_candidates(raw: RawDoc, parts: PageParts, reference: datetime | None) -> list[FoundDate]:
    found: list[FoundDate] = []
    sources: list[tuple[str | None, str]] = [
        (raw.published, "input"),
        (parts.metadata.get("published"), "metadata"),
        *((line, "meta_line") for line in parts.meta_lines),
        *((line, "header") for line in parts.header[-8:]),
        ((parts.body[0][:200] if parts.body else None), "dateline"),
        (raw.url or parts.metadata.get("url"), "url"),
        (raw.fetched, "fetched"),
    ]
    for text, where in sources:
        if text:
            found.extend(find_dates(text, where, reference=reference))
    return found


def _reference_time(raw: RawDoc) -> datetime | None:
    """When the document was fetched, so "March 4" or "2 hours ago" can be placed in time."""
    if not raw.fetched:
        return None
    try:
        return datetime.fromisoformat(raw.fetched.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        return None


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the body (py3langid); the page's declared language when the text is too short."""
    import py3langid

    if len(text) < 40 and declared:
        return declared.split("-")[0].lower()
    code, _score = py3langid.classify(text[:1500])  # enough to decide; cost grows with length
    return code
