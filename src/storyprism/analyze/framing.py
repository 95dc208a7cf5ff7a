"""Framing markers per article: labels, scare quotes, loaded terms, appeals, calls to action, hedges.

Every marker is counted and located (category, term, sentence index, character span in ``doc.text``)
so a report can show the evidence. The lexicons live in ``data/framing.toml`` and are applied the same
way to every outlet, whatever its side: "terrorists" and "martyrs", "regime" and "occupiers" are all
``loaded`` wherever they appear. Negation is not handled ("this is not genocide" still marks
"genocide"): the marker says the term is in the text, not that the outlet endorses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from storyprism import lexicons
from storyprism.analyze.attribution_quotes import SpanIndex, find_quotes

if TYPE_CHECKING:
    from storyprism.analyze.entities import Entity


@dataclass(frozen=True)
class Quoted:
    """A stretch of text between quotation marks; ``start``/``end`` bound the words, marks excluded."""

    start: int
    end: int
    mark: str


def quoted_spans(text: str) -> list[Quoted]:
    """All quotations in ``text`` (the attribution stage's quote finder, so both stages agree on what is
    quoted), nested ones included ("the 'Israeli' presence" gives the outer and the inner span), sorted."""
    found: list[Quoted] = []
    for quote in find_quotes(text):
        for start, end in quote.parts:
            inner_start, inner_end = start, end
            while inner_start < inner_end and not (text[inner_start].isalnum()):
                inner_start += 1
            while inner_end > inner_start and not (text[inner_end - 1].isalnum() or text[inner_end - 1] in ".,!?%)"):
                inner_end -= 1
            if inner_end > inner_start:
                found.append(Quoted(inner_start, inner_end, text[start]))
    return sorted(found, key=lambda q: (q.start, -q.end))


@dataclass(frozen=True)
class FramingMarker:
    category: str
    """designation | scare_quote | loaded | religious_appeal | moral_appeal | call_to_action | intensifier |
    hedge | we_advocacy"""
    term: str
    """The lexicon term found (its base form, so "martyrs" counts as "martyr"); for scare quotes and
    designations, the words as written."""
    sentence: int
    """Index of the sentence in ``doc.sents``."""
    start: int
    end: int
    """Character span in ``doc.text`` (for a scare quote, the quotation marks included)."""


LEXICON_CATEGORIES = ("loaded", "religious_appeal", "moral_appeal", "call_to_action", "intensifier", "hedge")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class FramingTable:
    index: dict[str, dict[str, tuple[Term, ...]]]
    """category -> first word -> terms starting with it, longest first."""
    skip_proper: frozenset[str]
    """Categories whose single words are not matched on proper nouns ("May", "Grave")."""
    we_verbs: frozenset[str]
    our_nouns: frozenset[str]
    scare_max_words: int
    saying_verbs: frozenset[str]
    designations: dict[str, tuple[Term, ...]]
    """Designations from ``data/designations.toml`` when that file exists, indexed like ``index``."""


_TERM_WORD = re.compile(r"'s\b|’s\b|-|[^\s\-]+?(?='s\b|’s\b)|[^\s\-]+")


def term_words(term: str) -> tuple[str, ...]:
    """A lexicon term split the way spaCy's English tokenizer splits it: hyphens and a possessive 's
    are tokens of their own ("hamas-run" -> hamas - run, "god's will" -> god 's will)."""
    return tuple(_TERM_WORD.findall(term.lower()))


def _index(terms: list[str]) -> dict[str, tuple[Term, ...]]:
    by_first: dict[str, list[Term]] = {}
    for text in dict.fromkeys(t.strip().lower() for t in terms if t.strip()):
        words = term_words(text)
        by_first.setdefault(words[0], []).append(Term(words, text))
    return {k: tuple(sorted(v, key=lambda t: -len(t.words))) for k, v in by_first.items()}


@lexicons.per_data
def framing_table() -> FramingTable:
    data = lexicons.load("framing")
    return FramingTable(
        index={c: _index(data[c]["terms"]) for c in LEXICON_CATEGORIES},
        skip_proper=frozenset(c for c in LEXICON_CATEGORIES if data[c].get("skip_proper_nouns")),
        we_verbs=frozenset(v.lower() for v in data["we_advocacy"]["verbs"]),
        our_nouns=frozenset(n.lower() for n in data["we_advocacy"]["our_nouns"]),
        scare_max_words=int(data["scare_quote"]["max_words"]),
        saying_verbs=frozenset(v.lower() for v in data["scare_quote"]["saying_verbs"]),
        designations=_index(_designation_forms()),
    )


def _designation_forms() -> list[str]:
    """The labels of ``data/designations.toml`` (kept by the entities stage) that are designations
    whatever the context: entries of kind "designation" with no date, co-mention or grammatical
    condition. The conditional ones need the entities stage, whose mentions ``find_framing`` accepts."""
    try:
        data = lexicons.load("designations")
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    conditions = ("valid_from", "valid_to", "requires_entity", "agent_only", "not_followed_by")
    return [
        label
        for entry in data.get("designation", [])
        if entry.get("kind", "designation") == "designation" and not any(entry.get(c) for c in conditions)
        for label in entry.get("labels", [])
    ]


def find_framing(doc: Doc, *, entities: Iterable[Entity] | None = None) -> list[FramingMarker]:
    """All framing markers of a parsed article, in text order.

    ``entities`` (optional) are the article's entities from the entities stage: their mentions whose
    ``kind`` is "designation" become the ``designation`` markers. Without them, the unconditional labels
    of ``data/designations.toml`` are matched directly.
    """
    table = framing_table()
    sentence_of = _sentence_index(doc)
    markers: list[FramingMarker] = []
    for category in LEXICON_CATEGORIES:
        markers += _lexicon_markers(doc, category, table.index[category], category in table.skip_proper, sentence_of)
    if entities is None:
        markers += _lexicon_markers(doc, "designation", table.designations, False, sentence_of)
    else:
        markers += _entity_designations(entities, doc, sentence_of)
    markers += _we_advocacy(doc, table, sentence_of)
    markers += _scare_quotes(doc, table, sentence_of)
    unique = {(m.category, m.start, m.end): m for m in markers}
    return sorted(unique.values(), key=lambda m: (m.start, m.end, m.category))


def _sentence_index(doc: Doc) -> list[int]:
    """For each token, the index of its sentence."""
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def _forms(token: Token) -> set[str]:
    lower, lemma = token.lower_, token.lemma_.lower()
    forms = {lower, lemma}
    if lower.endswith("s") and len(lower) > 3:
        forms.add(lower[:-1])  # spaCy leaves proper-noun plurals alone: "Rashists", "Crusaders"
    return forms


def _lexicon_markers(
    doc: Doc, category: str, index: dict[str, tuple[Term, ...]], skip_proper: bool, sentence_of: list[int]
) -> list[FramingMarker]:
    found: list[FramingMarker] = []
    text = doc.text  # Doc.text joins every token on each access: read it once
    for i, n, term in _matches(doc[:], index, skip_proper):
        if category == "designation" and doc[i].ent_iob_ == "I":
            continue  # a label inside a longer name ("Hay'at Tahrir al-Sham") is part of that name
        last = doc[i + n - 1]
        start, end = doc[i].idx, last.idx + len(last.text)
        words = text[start:end] if category == "designation" else term.text
        found.append(FramingMarker(category, words, sentence_of[i], start, end))
    return found


def find_terms(span: Span, category: str) -> list[tuple[Span, str]]:
    """The lexicon terms of one category in a span (a sentence), as (words, term) pairs: what the
    claims classifier counts as loaded or appealing language."""
    table = framing_table()
    found = _matches(span, table.index[category], category in table.skip_proper)
    return [(span.doc[i : i + n], term.text) for i, n, term in found]


def _matches(span: Span, index: dict[str, tuple[Term, ...]], skip_proper: bool) -> list[tuple[int, int, Term]]:
    """(doc token index, length, term) of each match, in text order, without overlaps: where terms
    overlap the one with more words wins, then the longer text ("the resistance fighters" gives
    "resistance fighter", not "the resistance")."""
    doc = span.doc
    candidates = []
    for i in range(span.start, span.end):
        term = _longest_at(doc, i, span.end, index, skip_proper)
        if term is not None:
            candidates.append((i, len(term.words), term))
    taken: set[int] = set()
    found: list[tuple[int, int, Term]] = []
    for i, n, term in sorted(candidates, key=lambda c: (-c[1], -len(c[2].text), c[0])):
        if not taken.intersection(range(i, i + n)):
            taken.update(range(i, i + n))
            found.append((i, n, term))
    return sorted(found, key=lambda c: c[0])


def _longest_at(doc: Doc, i: int, stop: int, index: dict[str, tuple[Term, ...]], skip_proper: bool) -> Term | None:
    token = doc[i]
    candidates = [t for form in _forms(token) for t in index.get(form, ())]
    # Ties go to the longer, then alphabetically first text: the forms come from a set, whose order changes
    # from run to run ("claimed" and "claim" both in the lexicon gave either).
    for term in sorted(candidates, key=lambda t: (-len(t.words), -len(t.text), t.text)):
        n = len(term.words)
        if i + n > stop:
            continue
        if skip_proper and n == 1 and token.pos_ == "PROPN":
            continue
        if all(term.words[k] in _forms(doc[i + k]) for k in range(1, n)):
            return term
    return None


def _we_advocacy(doc: Doc, table: FramingTable, sentence_of: list[int]) -> list[FramingMarker]:
    """ "We warn", "we call upon" (a verb coordinated with one whose subject is "we" too), and "our people".
    Inside a quotation the "we" is the speaker's, not the outlet's, so quoted speech is skipped."""
    text = doc.text
    speech = SpanIndex((q.start, q.end) for q in quoted_spans(text) if len(text[q.start : q.end].split()) > 4)
    found: list[FramingMarker] = []
    for token in doc:
        if speech.overlaps(token.idx, token.idx + 1):
            continue
        if token.pos_ == "VERB" and token.lemma_.lower() in table.we_verbs:
            subject = subject_of(token)
            if subject is not None and subject.lower_ == "we":
                start = subject.idx if subject.head == token else token.idx
                term = f"we {token.lemma_.lower()}"
                found.append(FramingMarker("we_advocacy", term, sentence_of[token.i], start, token.idx + len(token)))
        elif token.lower_ == "our" and token.head.lemma_.lower() in table.our_nouns and token.head.i > token.i:
            noun = token.head
            end = noun.idx + len(noun.text)
            found.append(
                FramingMarker("we_advocacy", f"our {noun.lemma_.lower()}", sentence_of[token.i], token.idx, end)
            )
    return found


FINITE = frozenset(("VB", "VBP", "VBZ", "VBD", "MD"))


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, looking through coordination ("We warn ... and call upon ...").

    The small English model often hangs a coordinated finite verb on a participle inside the first
    verb's object ("warn of what is happening and call upon" -> call conj happening); a finite verb
    coordinated with a non-finite one is taken to share the subject of the nearest finite verb above."""
    seen = 0
    while seen < 20:
        seen += 1
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return subject
        if verb.dep_ != "conj" or verb.head == verb:
            return None
        head = verb.head
        while verb.tag_ in FINITE and head.tag_ not in FINITE and head.head != head:
            head = head.head
        verb = head
    return None


def _scare_quotes(doc: Doc, table: FramingTable, sentence_of: list[int]) -> list[FramingMarker]:
    found: list[FramingMarker] = []
    text = doc.text
    for quoted in quoted_spans(text):
        start, end = _trim(text, quoted.start, quoted.end)
        words = text[start:end].split()
        if not words or len(words) > table.scare_max_words or not re.search(r"[^\W\d_]", text[start:end]):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span) or not _inside_sentence(span, quoted):
            continue
        if not _is_name(span) and _said(span, table.saying_verbs):
            continue  # somebody's word being quoted ("dismissed it as 'premature'"), not a scare quote
        found.append(
            FramingMarker("scare_quote", text[start:end], sentence_of[span.start], quoted.start - 1, quoted.end + 1)
        )
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted words without the punctuation that sits inside the marks ("necessity," -> necessity)."""
    while start < end and text[start] in " ,.;:!?":
        start += 1
    while end > start and text[end - 1] in " ,.;:!?":
        end -= 1
    return start, end


def _inside_sentence(span: Span, quoted: Quoted) -> bool:
    """The quotation is part of a sentence, not the whole of it (a quoted one-line sentence is speech)."""
    sent = span.sent
    outside = [t for t in sent if t.is_alpha and not (quoted.start <= t.idx < quoted.end)]
    return bool(outside)


def _is_name(span: Span) -> bool:
    return any(t.ent_type_ or t.pos_ == "PROPN" for t in span)


def _said(span: Span, saying_verbs: frozenset[str]) -> bool:
    """A verb of saying governs the quoted words within three steps up the parse."""
    token = span.root
    for _ in range(3):
        if token.head == token:
            return False
        token = token.head
        if token.lemma_.lower() in saying_verbs and token.pos_ in ("VERB", "AUX"):
            return True
    return False


def _entity_designations(entities: Iterable[Entity], doc: Doc, sentence_of: list[int]) -> list[FramingMarker]:
    """The designation mentions the entities stage found (it resolves labels in context)."""
    found: list[FramingMarker] = []
    text = doc.text
    for entity in entities:
        for mention in entity.mentions:
            if mention.kind != "designation" or not 0 <= mention.start < mention.end <= len(text):
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span):
                found.append(
                    FramingMarker(
                        "designation",
                        text[mention.start : mention.end],
                        sentence_of[span.start],
                        mention.start,
                        mention.end,
                    )
                )
    return found
