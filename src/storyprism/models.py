"""Data classes passed between pipeline stages. Nothing else crosses a stage boundary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocFormat = Literal["text", "html"]
Genre = Literal["news", "opinion", "press_release", "analysis", "other"]


@dataclass(frozen=True)
class RawDoc:
    """One document as read from its source, decoded to text but otherwise untouched."""

    source: str
    """Where it came from: a path, ``path#n`` for the n-th record of a container, or ``-`` for stdin."""
    content: str
    format: DocFormat
    encoding: str | None = None
    url: str | None = None
    id: str | None = None
    """An id given by the input (a JSONL record's ``id``); kept as the article's id."""
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    fetched: str | None = None
    """When a crawler fetched it (WARC-Date), a fallback for the publication date."""


@dataclass
class PageParts:
    """What a body extractor (page dump or HTML) finds on one page, before metadata is resolved."""

    title: str | None = None
    body: list[str] = field(default_factory=list)
    """Body paragraphs in reading order: the standfirst (if any) first, sub-headings in place."""
    subheadings: list[str] = field(default_factory=list)
    """The entries of ``body`` that are sub-headings (kept in the body too: they are part of its flow)."""
    captions: list[str] = field(default_factory=list)
    """Image/video captions and credits: never part of ``body``."""
    standfirst: str | None = None
    """The deck under the title, when the page marks one; also ``body[0]``."""
    meta_lines: list[str] = field(default_factory=list)
    """Short lines around the title (byline, date, "Source: ..." lines, reference numbers)."""
    header: list[str] = field(default_factory=list)
    """Page lines before the article (site name, menus) -- where the outlet often names itself."""
    footer: list[str] = field(default_factory=list)
    """Page lines after the article (signature, copyright) -- likewise."""
    metadata: dict[str, str] = field(default_factory=dict)
    """The page's own metadata (JSON-LD, OpenGraph, <meta>): keys title, author, published, site_name,
    url, description, section, language, genre."""


@dataclass(frozen=True)
class FoundDate:
    """A date found on a page, with the text that gave it."""

    text: str
    value: str
    """ISO 8601: a date, or a date and time when the page gives one."""
    calendar: Literal["gregorian", "hijri"]
    where: str
    """metadata | dateline | meta_line | header | body | url | fetched | input"""


@dataclass(frozen=True)
class AgencyCredit:
    """A wire agency the article credits as a source of its text."""

    name: str
    """Canonical name from ``data/agencies.toml`` ("AFP", "AP", "Reuters", ...)."""
    evidence: str
    """The words that credit it, as written."""
    where: Literal["body", "byline", "meta_line", "metadata", "title"]
    start: int = -1
    end: int = -1
    """Character span of ``evidence`` in ``Article.text`` when ``where == "body"``, else -1."""


@dataclass
class Article:
    id: str
    source: str
    text: str
    """The body: paragraphs separated by blank lines."""
    title: str | None = None
    outlet: str | None = None
    outlet_method: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    published_method: str | None = None
    published_confidence: float = 0.0
    published_notes: list[str] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)
    language: str | None = None
    genre: Genre = "other"
    genre_signals: list[str] = field(default_factory=list)
    agencies: list[AgencyCredit] = field(default_factory=list)
    translated: bool = False
    translation_evidence: str | None = None
    reference: str | None = None
    standfirst: str | None = None
    subheadings: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    input_format: DocFormat = "text"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``storyprism extract``: the stable contract fields first (DESIGN.md)."""
        d = asdict(self)
        d["agencies"] = [a.name for a in self.agencies]
        d["agency_evidence"] = [asdict(a) for a in self.agencies]
        first = ["id", "source", "outlet", "title", "published", "language", "genre", "agencies", "text"]
        return {**{k: d[k] for k in first}, **{k: v for k, v in d.items() if k not in first}}
