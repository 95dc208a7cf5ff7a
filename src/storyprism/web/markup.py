"""An analyzed article as highlighted text: plain data the article template renders (it escapes every piece).

Findings overlap (an entity inside an attribution's content, a loaded word inside a quote), so the text of each
sentence is cut at every span boundary into segments, and each segment carries all the findings that cover
it: one flat run of ``<span>`` elements, no nesting to get wrong, every finding's explanation in the title.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from storyprism import lexicons
from storyprism.models import AnalyzedArticle

_CSS_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class Finding:
    css: str
    """Class names of the highlight (``ent``, ``src``, ``cue``, ``content``, ``fr fr-loaded``, ...)."""
    note: str
    """What it is and why it is marked, shown as the segment's title."""


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    finding: Finding


@dataclass
class Segment:
    text: str
    css: str = ""
    note: str = ""


@dataclass
class SentenceMarkup:
    index: int
    kind: str
    note: str
    segments: list[Segment]


@dataclass
class Paragraph:
    parts: list[SentenceMarkup | Segment] = field(default_factory=list)
    """Sentences, and the text between them that no sentence holds (a heading fragment, a stray mark)."""


@dataclass
class AttributionRow:
    sentence: int
    kind: str
    source: str | None
    cue: str
    content: str | None
    via: list[str]
    """The chain it relays, outer to inner ("AFP citing a diplomatic source"), one line per link."""


@dataclass
class ArticleMarkup:
    paragraphs: list[Paragraph]
    entities: list[tuple[str, str, list[tuple[str, int]], list[str]]]
    """(canonical, type, [(surface form, count)], notes on its designations)."""
    attributions: list[AttributionRow]
    framing: list[tuple[str, str, int, str]]
    """(category, term, sentence, explanation)."""
    kinds: dict[str, int]


def css_name(value: str) -> str:
    return _CSS_UNSAFE.sub("-", value.lower()).strip("-") or "x"


@cache
def category_notes() -> dict[str, str]:
    """Framing category -> the first sentence of its lexicon note: why a word of that category is marked."""
    data = lexicons.load("framing")
    notes = {}
    for category, table in data.items():
        note = " ".join(str(table.get("note", "")).split()) if isinstance(table, dict) else ""
        notes[category] = note.split(". ")[0].rstrip(".") if note else ""
    notes.setdefault("designation", "A name or designation the outlet uses for an actor")
    return notes


def build(item: AnalyzedArticle) -> ArticleMarkup:
    text = item.article.text
    marks = list(_entity_marks(item)) + list(_attribution_marks(item)) + list(_framing_marks(item))
    sentences = sorted(item.sentences, key=lambda s: (s.start, s.index))
    paragraphs: list[Paragraph] = [Paragraph()]
    position = 0
    for sentence in sentences:
        if sentence.start < position:
            continue  # an overlapping sentence would repeat text
        _gap(text[position : sentence.start], paragraphs)
        inside = [m for m in marks if m.start < sentence.end and m.end > sentence.start]
        note = f"sentence {sentence.index}: {sentence.kind.replace('_', ' ')}"
        if sentence.signals:
            note += " (" + ", ".join(sentence.signals) + ")"
        paragraphs[-1].parts.append(
            SentenceMarkup(
                sentence.index,
                css_name(sentence.kind),
                note,
                _segments(text, sentence.start, sentence.end, inside),
            )
        )
        position = sentence.end
    _gap(text[position:], paragraphs)
    return ArticleMarkup(
        paragraphs=[p for p in paragraphs if p.parts],
        entities=_entity_rows(item),
        attributions=_attribution_rows(item),
        framing=[
            (m.category, m.term, m.sentence, category_notes().get(m.category, ""))
            for m in sorted(item.framing, key=lambda m: (m.start, m.end))
        ],
        kinds=dict(Counter(s.kind for s in item.sentences).most_common()),
    )


def _gap(gap: str, paragraphs: list[Paragraph]) -> None:
    """Text between sentences: a blank line ends the paragraph; other text is kept as is."""
    pieces = re.split(r"\n\s*\n", gap)
    for number, piece in enumerate(pieces):
        if number:
            paragraphs.append(Paragraph())
        if piece.strip():
            paragraphs[-1].parts.append(Segment(piece.strip()))


def _segments(text: str, start: int, end: int, marks: list[Mark]) -> list[Segment]:
    cuts = {start, end}
    for m in marks:
        cuts.update((max(m.start, start), min(m.end, end)))
    edges = sorted(cuts)
    out: list[Segment] = []
    for a, b in itertools.pairwise(edges):
        covering = [m.finding for m in marks if m.start <= a and m.end >= b]
        css = " ".join(dict.fromkeys(c for f in covering for c in f.css.split()))
        note = "\n".join(dict.fromkeys(f.note for f in covering))
        out.append(Segment(text[a:b], css, note))
    return out


def _entity_marks(item: AnalyzedArticle) -> Iterable[Mark]:
    for e in item.entities:
        kind = "unresolved label" if e.type == "UNRESOLVED" else e.type
        for m in e.mentions:
            note = f"entity: {e.canonical} ({kind}; {m.kind})"
            if m.text in e.notes:
                note += f": {e.notes[m.text]}"
            yield Mark(m.start, m.end, Finding("ent", note))


def _attribution_marks(item: AnalyzedArticle) -> Iterable[Mark]:
    def walk(a, depth: int) -> Iterable[Mark]:
        relayed = " (relayed)" if depth else ""
        who = a.source.text if a.source else "no named source"
        if a.source:
            yield Mark(a.source.start, a.source.end, Finding("src", f"source{relayed}: {who} ({a.kind})"))
        yield Mark(a.cue.start, a.cue.end, Finding("cue", f"attribution cue{relayed}: {a.cue.text!r} for {who}"))
        for part in a.content_parts or ((a.content,) if a.content else ()):
            yield Mark(part.start, part.end, Finding("content", f"attributed content{relayed}: what {who} said"))
        for nested in a.via:
            yield from walk(nested, depth + 1)

    for a in item.attributions:
        yield from walk(a, 0)


def _framing_marks(item: AnalyzedArticle) -> Iterable[Mark]:
    notes = category_notes()
    for m in item.framing:
        note = f"framing: {m.category.replace('_', ' ')} '{m.term}'"
        if notes.get(m.category):
            note += f" -- {notes[m.category]}"
        yield Mark(m.start, m.end, Finding(f"fr fr-{css_name(m.category)}", note))


def _entity_rows(item: AnalyzedArticle) -> list[tuple[str, str, list[tuple[str, int]], list[str]]]:
    rows = []
    for e in sorted(item.entities, key=lambda e: (-len(e.mentions), e.canonical)):
        forms = Counter(m.text for m in e.mentions).most_common()
        notes = [f"{d}: {n}" for d, n in e.notes.items()]
        rows.append((e.canonical, e.type, forms, notes))
    return rows


def _attribution_rows(item: AnalyzedArticle) -> list[AttributionRow]:
    def chain(a) -> list[str]:
        out = []
        for nested in a.via:
            out.append(f"{nested.source.text if nested.source else 'unnamed'} ({nested.kind}, {nested.cue.text!r})")
            out += chain(nested)
        return out

    return [
        AttributionRow(
            a.sentence,
            a.kind,
            a.source.text if a.source else None,
            a.cue.text,
            a.content.text if a.content else None,
            chain(a),
        )
        for a in sorted(item.attributions, key=lambda a: (a.sentence, a.cue.start))
    ]
