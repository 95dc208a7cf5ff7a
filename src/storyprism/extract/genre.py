"""What kind of text a document is (news, opinion, press release, analysis) and whether it says it
is a translation. Every decision lists the signals that made it; the cue words are in
``data/genres.toml``."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from storyprism import lexicons
from storyprism.models import Genre, PageParts

_REFERENCE = re.compile(r"\b(?:No|Ref|Reference|Ref\. No)\s*[.:#]?\s*(?P<ref>[\w]+(?:\s*[/-]\s*[\w]+)+)", re.IGNORECASE)
_LABEL_PUNCT = " \t•*·|:-–—()[]"


@lexicons.per_data
def _genres() -> dict:
    return lexicons.load("genres")


def find_reference(lines: list[str]) -> str | None:
    """A statement's reference number ("No: 1447 / 01"), as written."""
    for line in lines:
        match = _REFERENCE.search(line)
        if match and re.search(r"\d", match.group("ref")):
            return re.sub(r"\s+", " ", match.group(0)).strip()
    return None


def find_genre(parts: PageParts, *, title: str | None, url: str | None, has_reference: bool) -> tuple[Genre, list[str]]:
    """(genre, signals). Explicit labels win over structure; structure over the default "news"."""
    data = _genres()
    votes: list[tuple[Genre, str]] = []
    meta_genre = (parts.metadata.get("genre") or "").lower().replace(" ", "")
    if meta_genre in data["metadata_types"]:
        votes.append((data["metadata_types"][meta_genre], f"metadata type {parts.metadata['genre']}"))
    section = (parts.metadata.get("section") or "").strip().lower()
    for genre, labels in data["labels"].items():
        if section and section in labels:
            votes.append((genre, f"section '{parts.metadata['section']}'"))
    for line in _label_lines(parts):
        label = _as_label(line, data["labels"])
        if label:
            votes.append((label, f"label line '{line.strip()}'"))
    if title:
        prefix = title.split(":", 1)[0].strip().lower() if ":" in title[:30] else ""
        for genre, labels in data["labels"].items():
            if prefix and prefix in labels:
                votes.append((genre, f"title prefix '{prefix}'"))
    if url:
        segments = [s.lower() for s in urlparse(url).path.split("/") if s]
        for genre, names in data["url_segments"].items():
            hit = next((s for s in segments[:-1] if s in names), None)
            if hit:
                votes.append((genre, f"url segment '/{hit}/'"))
    if has_reference and parts.footer:
        votes.append(("press_release", "reference number and signature"))
    if votes:
        # A label the page puts on itself beats metadata types, which CMSs often set wrong.
        order = {"label line": 0, "title prefix": 1, "section": 2, "metadata type": 3}
        votes.sort(key=lambda v: next((rank for key, rank in order.items() if v[1].startswith(key)), 4))
        return votes[0][0], [signal for _, signal in votes]
    if not parts.body:
        return "other", ["no body"]
    return "news", ["default: no genre label"]


def _label_lines(parts: PageParts) -> list[str]:
    # Only the lines under the title: a header's last lines are often a menu ("Opinion", "Analysis").
    return parts.meta_lines


def _as_label(line: str, labels: dict[str, list[str]]) -> Genre | None:
    text = line.strip(_LABEL_PUNCT).lower()
    if not text or len(text) > 40:
        return None
    head = text.split(":", 1)[0].strip(_LABEL_PUNCT)
    for genre, names in labels.items():
        if text in names or (":" in text and head in names):
            return genre
    return None


def find_translation(parts: PageParts) -> str | None:
    """The words that say the document is a translation, or None."""
    data = _genres()["translation"]
    for line in [*parts.meta_lines, *parts.header[-6:], *parts.footer[:6]]:
        text = line.strip().lower()
        if text.strip(_LABEL_PUNCT) in {lab.strip("()[]") for lab in data["labels"]}:
            return line.strip()
        if any(phrase in text for phrase in data["phrases"]) and len(text) < 200:
            return line.strip()
    edges = [*parts.body[:1], *parts.body[-2:]]
    for paragraph in edges:
        lowered = paragraph.lower()
        for phrase in data["phrases"]:
            at = lowered.find(phrase)
            if at >= 0:
                return paragraph[max(0, at - 20) : at + len(phrase) + 40].strip()
    return None
