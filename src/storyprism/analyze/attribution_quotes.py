"""Quotation marks in running text: which stretches are quotations, which are scare quotes.

Works on characters, not tokens, because newsroom typography is messy: straight and curly marks mixed
in one quote (``"There are two people,”``), a quote running over several paragraphs with an opening
mark at the head of each paragraph and one closing mark at the very end, NYT-style doubled
apostrophes (``''like this''``), and apostrophes that look like single quotes (``don’t``, ``voters’``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from storyprism import lexicons

_WORD = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*")
# What a real quotation usually ends with inside its closing mark ("...to compete," / "...peril.").
_QUOTE_FINAL = ",.?!…:;—–-"


class SpanIndex:
    """Character spans (quotations) asked "does one of them hold / overlap this stretch?" in one bisection: the
    starts sorted, with the running maximum of the ends, as spans of mismatched marks may overlap each other.
    Asking every span for every token or attribution made long articles quadratic."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_end = list(accumulate((e for _, e in ordered), max))

    def holds(self, start: int, end: int) -> bool:
        """Whether one span holds the whole stretch."""
        k = bisect_right(self.starts, start)
        return k > 0 and self.max_end[k - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end)
        return k > 0 and self.max_end[k - 1] > start


@dataclass(frozen=True)
class QuoteMarks:
    double_open: frozenset[str]
    double_close: frozenset[str]
    double_straight: tuple[str, ...]
    single_open: frozenset[str]
    single_close: frozenset[str]
    single_straight: frozenset[str]
    scare_max_words: int


@dataclass(frozen=True)
class Quote:
    """One quotation: its fragments (several when it runs over paragraphs), marks included."""

    parts: tuple[tuple[int, int], ...]
    scare: bool
    nested: bool = False  # a single-quoted stretch inside a double-quoted one

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@lexicons.per_data
def quote_marks() -> QuoteMarks:
    q = lexicons.load("attribution")["quotes"]
    return QuoteMarks(
        double_open=frozenset(q["double_open"]),
        double_close=frozenset(q["double_close"]),
        # Longest first so that '' is read as one mark, not two apostrophes.
        double_straight=tuple(sorted(q["double_straight"], key=len, reverse=True)),
        single_open=frozenset(q["single_open"]),
        single_close=frozenset(q["single_close"]),
        single_straight=frozenset(q["single_straight"]),
        scare_max_words=int(q["scare_max_words"]),
    )


def find_quotes(text: str, marks: QuoteMarks | None = None) -> list[Quote]:
    """Double-quoted stretches of ``text`` plus single-quoted ones (top level or nested), in text order."""
    marks = marks or quote_marks()
    doubles = _double_quotes(text, marks)
    singles = _single_quotes(text, marks, doubles)
    return sorted(doubles + singles, key=lambda q: (q.start, -q.end))


def _is_scare(text: str, start: int, end: int, marks: QuoteMarks) -> bool:
    """A few words with no closing punctuation: a term held at a distance, a title, a name."""
    inner = text[start:end].strip("\"“”„«»‘’'‚‹›‟ \n")
    if not inner:
        return True
    if len(_WORD.findall(inner)) > marks.scare_max_words:
        return False
    return inner[-1] not in _QUOTE_FINAL


def _double_quotes(text: str, marks: QuoteMarks) -> list[Quote]:
    quotes: list[Quote] = []
    parts: list[tuple[int, int]] = []
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        straight = next((m for m in marks.double_straight if text.startswith(m, i)), None)
        if ch == "\n":
            if open_at is not None:
                # A paragraph ended inside a quote: the quote goes on if the next paragraph opens with a
                # mark (journalists' convention); otherwise the opening mark was a stray one.
                parts.append((open_at, _rstrip(text, open_at, i)))
                open_at = None
                j = _next_visible(text, i)
                if j >= n or not _opens_double(text, j, marks):
                    quotes.append(_make(text, parts, marks))
                    parts = []
            i += 1
            continue
        if ch in marks.double_open or (ch in marks.double_close and open_at is None and _looks_opening(text, i)):
            if open_at is None:
                open_at = i
            i += 1
        elif ch in marks.double_close:
            if open_at is not None:
                parts.append((open_at, i + 1))
                quotes.append(_make(text, parts, marks))
                parts, open_at = [], None
            i += 1
        elif straight:
            if open_at is None:
                open_at = i
            else:
                parts.append((open_at, i + len(straight)))
                quotes.append(_make(text, parts, marks))
                parts, open_at = [], None
            i += len(straight)
        else:
            i += 1
    if open_at is not None:
        parts.append((open_at, _rstrip(text, open_at, n)))
    if parts:
        quotes.append(_make(text, parts, marks))
    return quotes


def _make(text: str, parts: list[tuple[int, int]], marks: QuoteMarks) -> Quote:
    scare = len(parts) == 1 and _is_scare(text, parts[0][0], parts[0][1], marks)
    return Quote(tuple(parts), scare)


def _single_quotes(text: str, marks: QuoteMarks, doubles: list[Quote]) -> list[Quote]:
    """‘...’ and '...' within one paragraph; an apostrophe inside a word never opens or closes."""
    found: list[Quote] = []
    inside = [(s, e) for q in doubles for s, e in q.parts]
    for para in re.finditer(r"[^\n]+", text):
        start, end = para.span()
        i = start
        while i < end:
            ch = text[i]
            if (ch in marks.single_open or ch in marks.single_straight) and _single_opens(text, i):
                close = _single_close(text, i + 1, end, marks)
                if close is not None:
                    nested = any(s < i and close <= e for s, e in inside)
                    found.append(Quote(((i, close),), _is_scare(text, i, close, marks), nested))
                    i = close
                    continue
            i += 1
    return found


def _single_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and (after.isalnum() or after in "$#[(")


def _single_close(text: str, i: int, end: int, marks: QuoteMarks) -> int | None:
    for j in range(i, end):
        ch = text[j]
        if ch not in marks.single_close and ch not in marks.single_straight:
            continue
        after = text[j + 1] if j + 1 < len(text) else " "
        before = text[j - 1]
        # "voters’ rights" is an apostrophe only if a closing mark follows later; prefer the later one
        # when the word before ends in s and more text follows within a short distance.
        if not after.isalnum() and not before.isspace():
            return j + 1
    return None


def _looks_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _opens_double(text: str, j: int, marks: QuoteMarks) -> bool:
    return text[j] in marks.double_open or any(text.startswith(m, j) for m in marks.double_straight)


def _next_visible(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
