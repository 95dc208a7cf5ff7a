"""Claim units: the sentences of a story's articles that can carry a claim, with what alignment compares.

A unit keeps its sentence (article id, index, span) and four kinds of evidence: content-word stems,
name skeletons (script-neutral consonant spellings, so "Tell Marid" and "تل مارد" meet), canonical
entities (one id per actor across the story, via ``merge_entities``) and numbers (digits and number words
alike, so "seven" and "7" meet). Quoted stretches are kept whole to find verbatim reuse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from storyprism.analyze.attribution_quotes import find_quotes
from storyprism.cluster.features import STOPWORDS, arabic_skeleton, latin_skeleton, normalise_number, stem
from storyprism.models import AnalyzedArticle, SentenceRef

ALIGNED_KINDS = frozenset({"claim", "quote", "opinion", "call_to_action"})
"""Sentence kinds that take part in alignment: opinion sentences too, because one outlet's reported fact is
often worded with loaded terms that tip another's sentence into "opinion", and calls to action so that one
an article alone makes is known to be its own; a group is reported as a claim only when a member is a claim
or a quote."""
CLAIM_KINDS = frozenset({"claim", "quote"})

_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d[\d,.]*\d|\d")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "without", "n't"})
MIN_CLAUSE_WORDS = 6
# A participial reporting clause, a contrast or a semicolon starts another claim in the same sentence.
_CLAUSE_BREAK = re.compile(
    r"[,;][\"”’']?\s+(?=(?:noting|adding|clarifying|stressing|saying|explaining|emphasi[sz]ing|indicating|warning|"
    r"while|whereas|although)\b)|;\s+"
)
NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "dozen": "12", "dozens": "dozens",
}  # fmt: skip
"""Spelled-out counts as news style writes them (one to nine in words, 10 and up in digits)."""


@dataclass
class Unit:
    ref: SentenceRef
    kind: str
    outlet: str
    words: frozenset[str]
    names: frozenset[str]
    entities: frozenset[str]
    numbers: frozenset[str]
    quotes: tuple[str, ...]
    """Quoted stretches of five words or more, folded (lowercase words only), for verbatim reuse."""
    plain: frozenset[str] = frozenset()
    """The stems of ``words`` written in lower case: what is said, apart from who and where."""

    @property
    def article(self) -> str:
        return self.ref.article

    @property
    def sentence(self) -> int:
        return self.ref.sentence


def sentence_units(item: AnalyzedArticle, canonical: Mapping[str, str], outlet: str) -> list[Unit]:
    """The aligned-kind sentences of one article as units, one per clause (:func:`clauses`); ``canonical`` maps
    entity keys to story-wide names."""
    mentions = {
        (m.start, m.end, canonical.get(e.key, e.canonical))
        for e in item.entities
        if e.type != "UNRESOLVED"
        for m in e.mentions
    }
    headings = {_fold(h) for h in (*item.article.subheadings, item.article.title or "")}
    units = []
    for s in item.sentences:
        if s.kind not in ALIGNED_KINDS or _fold(s.text) in headings:
            continue  # a sub-heading restates the text below it in headline words; the claim is in the text
        for start, end in clauses(s.text):
            ref = SentenceRef(item.article.id, s.index, s.text[start:end], s.start + start, s.start + end)
            names = frozenset(n for ms, me, n in mentions if ms < ref.end and me > ref.start)
            units.append(_unit(ref, s.kind, outlet, names))
    return units


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the claims one sentence strings together ("..., noting that ...", "...; ..."); a piece
    shorter than MIN_CLAUSE_WORDS stays with the one before it."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    spans: list[tuple[int, int]] = []
    for start, end in pairwise(cuts):
        if spans and len(_WORD.findall(text[start:end])) < MIN_CLAUSE_WORDS:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    if len(spans) > 1 and len(_WORD.findall(text[spans[0][0] : spans[0][1]])) < MIN_CLAUSE_WORDS:
        spans[:2] = [(spans[0][0], spans[1][1])]
    return [_trim(text, a, b) for a, b in spans]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;":
        start += 1
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return start, end


def _unit(ref: SentenceRef, kind: str, outlet: str, entities: frozenset[str]) -> Unit:
    words, names, numbers, plain = set(), set(), set(), set()
    for match in _WORD.finditer(ref.text):
        token = match.group()
        low = token.lower()
        if token[0].isdigit():
            number = normalise_number(token)
            if number:
                numbers.add(number)
            continue
        if low in NUMBER_WORDS or all(w in NUMBER_WORDS for w in low.split("-")):
            numbers.update(NUMBER_WORDS[w] for w in low.split("-"))
            continue
        if _ARABIC.search(token):
            skeleton = arabic_skeleton(token)
            if len(skeleton) >= 3:
                names.add(skeleton)
            continue
        if low in NEGATIONS:
            plain.add(low)  # "will not participate": what is said includes that it is denied
            continue
        if low in STOPWORDS or len(low) < 3:
            continue
        words.add(stem(low))
        if token[0].islower():
            plain.add(stem(low))
        if token[0].isupper() and match.start() > 0:  # a capital mid-sentence: most likely a name
            skeleton = latin_skeleton(token)
            if len(skeleton) >= 3:
                names.add(skeleton)
    return Unit(
        ref, kind, outlet, frozenset(words), frozenset(names), entities, frozenset(numbers), quoted(ref.text),
        frozenset(plain),
    )  # fmt: skip


def quoted(text: str) -> tuple[str, ...]:
    """The quoted stretches of five words or more, folded to lowercase words (the analyze stage's quote finder,
    scare quotes left out)."""
    out = []
    for quote in find_quotes(text):
        if quote.scare:
            continue
        for start, end in quote.parts:
            words = [w.lower() for w in _WORD.findall(text[start:end])]
            if len(words) >= 5:
                out.append(" ".join(words))
    return tuple(out)
