"""Origins and independence: where each sentence's claim came from, and how many independent origins a
claim group has.

Per sentence (:func:`sentence_origins`), in this order:

1. an attribution that covers the sentence: the first agency in its chain, outer to inner ("AFP reported,
   citing a diplomatic source" -> AFP), else the named source (a canonical entity, or a capitalised
   institution such as "the Health Ministry"); a source that only refers back ("he", "the source") takes
   the origin of the last attributed sentence before it; an anonymous source ("a diplomatic source in
   Damascus") is kept as cited but leaves the origin open;
2. a credit that covers the whole article (byline, source line, dateline "(VTA) -") to one agency.

Per claim group (:func:`group_origins`), for the members still open: a wire copy takes the origin of
the article it copies; an article that credits agency X elsewhere takes X when X is this claim's origin
in another member, or when the open members' articles all credit X; text reuse (a shared verbatim quote,
a near-copy sentence) folds an open member into the origin it copies. What is left is the outlet's own
reporting. ``independent_origins`` counts the distinct origins: two outlets restating one AFP report are
one. Every decision is written into the origin's ``why``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storyprism import lexicons
from storyprism.analyze.attribution import Attribution, Span, walk
from storyprism.compare.units import Unit
from storyprism.extract.agencies import agency_table
from storyprism.models import AnalyzedArticle, Assignment, Origin
from storyprism.times import utc_key

NEAR_COPY = 90
"""rapidfuzz ratio (0-100) from which two sentences of different articles are one text reused."""
REFER_BACK = 4
"""How many sentences back a referring source ("he", "the source") may find the source it refers to."""

_HEAD_END = re.compile(r",| who | which | that | in | of | from | at | for | with | familiar | close ")
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "these ", "those ")


@dataclass(frozen=True)
class OriginTable:
    pronouns: frozenset[str]
    anaphor_nouns: frozenset[str]
    anonymous_heads: frozenset[str]
    dateline_chars: int


@lexicons.per_data
def origin_table() -> OriginTable:
    data = lexicons.load("compare")["origins"]
    return OriginTable(
        frozenset(data["pronouns"]),
        frozenset(data["anaphor_nouns"]),
        frozenset(data["anonymous_heads"]),
        int(data["dateline_chars"]),
    )


@dataclass
class SentenceOrigin:
    key: str | None
    """None: nothing in the article says where the sentence came from (decided per group)."""
    kind: str
    name: str
    why: str
    cited: list[str] = field(default_factory=list)
    attributed: bool = False
    inferred: bool = False
    """The agency comes from a credit of the whole article or of another sentence, not from this sentence."""


def sentence_origins(item: AnalyzedArticle, outlet: str, canonical: Mapping[str, str]) -> dict[int, SentenceOrigin]:
    """Sentence index -> its origin, for the sentences an attribution or a whole-article credit covers."""
    table = origin_table()
    article = item.article
    whole = sorted({c.name for c in article.agencies if c.where != "body" or (0 <= c.start < table.dateline_chars)})
    covering = _covering(item)
    out: dict[int, SentenceOrigin] = {}
    last: tuple[int, SentenceOrigin] | None = None
    for sentence in item.sentences:
        found = covering.get(sentence.index)
        origin = None
        if found:
            origin = _from_chain(found, item, canonical, table)
            if origin.key is None and origin.why == "refers back" and last and sentence.index - last[0] <= REFER_BACK:
                prior = last[1]
                origin = SentenceOrigin(
                    prior.key,
                    prior.kind,
                    prior.name,
                    f"sentence {sentence.index}: the source ({found[0].source.text if found[0].source else ''!r}) "
                    f"refers back to sentence {last[0]}'s: {prior.name}",
                    prior.cited,
                    True,
                    prior.inferred,
                )
            elif origin.why == "refers back":
                origin.why = f"sentence {sentence.index}: its source refers back to no source named before it"
        if origin is not None and origin.kind == "source" and len(whole) == 1:
            # The named speaker reached this outlet through the agency: the channel is the origin.
            origin = SentenceOrigin(
                f"agency:{whole[0]}",
                "agency",
                whole[0],
                f"{origin.why}, in an article credited as a whole to {whole[0]}",
                [origin.name, *origin.cited],
                True,
                True,
            )
        if (origin is None or origin.key is None) and len(whole) == 1:
            credit = next(c for c in article.agencies if c.name == whole[0])
            cited = origin.cited if origin else []
            origin = SentenceOrigin(
                f"agency:{whole[0]}",
                "agency",
                whole[0],
                f"sentence {sentence.index}: the whole article is credited to {whole[0]} "
                f"({credit.where}: {credit.evidence!r})",
                cited,
                bool(origin and origin.attributed),
                True,
            )
        if origin is not None:
            out[sentence.index] = origin
            if origin.attributed and origin.key is not None:
                last = (sentence.index, origin)
    return out


def _covering(item: AnalyzedArticle) -> dict[int, list[Attribution]]:
    """Sentence index -> the chain (outer to inner) of the attribution covering most of it."""
    best: dict[int, tuple[int, list[Attribution]]] = {}
    for top in item.attributions:
        chain = list(walk([top]))
        spans = [top.content, top.cue] if top.content else [top.cue]
        for sentence in item.sentences:
            overlap = 0
            for span in spans:
                overlap += max(0, min(span.end, sentence.end) - max(span.start, sentence.start))
            if sentence.index == top.sentence:
                overlap += 1
            if overlap and overlap > best.get(sentence.index, (0, []))[0]:
                best[sentence.index] = (overlap, chain)
    return {index: chain for index, (_, chain) in best.items()}


def _from_chain(
    chain: list[Attribution], item: AnalyzedArticle, canonical: Mapping[str, str], table: OriginTable
) -> SentenceOrigin:
    agencies = agency_table()
    # A bare pronoun ("It said ...") names nobody new: the name it stands for is cited where it was named.
    cited = [a.source.text for a in chain if a.source is not None and a.source.text.lower() not in table.pronouns]
    for a in chain:
        for text, is_cue in ((a.source.text if a.source else "", False), (a.cue.text, True)):
            match = agencies.pattern.search(text)
            # In a source phrase the agency must be the source itself ("AFP", "Agence France-Presse (AFP)"),
            # not a word of it ("Petra Novak"); in the cue any mention credits it ("told AFP").
            if match and not (is_cue or _is_agency_phrase(text, match, agencies.self_evident)):
                match = None
            if match:
                name = agencies.canonical[match.group()]
                return SentenceOrigin(
                    f"agency:{name}", "agency", name, f"sentence {a.sentence}: {_quote(a)} credits {name}", cited, True
                )
    refers_back = False
    for a in chain:
        if a.source is None:
            continue
        head = _head(a.source.text)
        named = _entity_at(a.source, head, item, canonical)
        if named:
            return SentenceOrigin(
                f"source:{named}", "source", named, f"sentence {a.sentence}: {_quote(a)}", cited, True
            )
        if _refers_back(head, table):
            refers_back = True
            continue
        institution = _institution(head, table)
        if institution:
            return SentenceOrigin(
                f"source:{institution}", "source", institution, f"sentence {a.sentence}: {_quote(a)}", cited, True
            )
    if refers_back:
        return SentenceOrigin(None, "", "", "refers back", cited, True)
    return SentenceOrigin(None, "", "", "anonymous or unnamed source", cited, True)


def _is_agency_phrase(text: str, match: re.Match[str], self_evident: frozenset[str]) -> bool:
    if match.group() in self_evident:
        return True
    rest = (text[: match.start()] + text[match.end() :]).strip(" ()[],.").lower()
    return rest in ("", "the", "news agency", "the news agency", "agency") or not rest.replace("the ", "").strip()


def _quote(a: Attribution) -> str:
    source = a.source.text if a.source else "(no source)"
    return f"{source!r} {a.cue.text!r}"


def _head(text: str) -> str:
    """The source phrase up to its first modifier: "A diplomatic source in Damascus" -> "A diplomatic source"."""
    match = _HEAD_END.search(" " + text + " ")
    return (text[: match.start() - 1] if match else text).strip(" ,")


def _entity_at(source: Span, head: str, item: AnalyzedArticle, canonical: Mapping[str, str]) -> str | None:
    """The canonical entity that ends the source's head phrase ("Israeli Foreign Minister Gideon Saar")."""
    head_end = source.start + len(head)
    for entity in item.entities:
        if entity.type in ("UNRESOLVED", "NORP"):
            continue
        for m in entity.mentions:
            if source.start <= m.start and head_end - 3 <= m.end <= head_end + 2:
                return canonical.get(entity.key, entity.canonical)
    return None


def _refers_back(head: str, table: OriginTable) -> bool:
    """ "he", "the source", "the spokesman": a phrase that names no one and points back to a source named earlier."""
    low = head.lower()
    if low in table.pronouns:
        return True
    words = head.split()
    if len(words) < 2 or words[0].lower() not in ("the", "this"):
        return False
    rest = " ".join(words[1:]).lower()
    if rest in table.anaphor_nouns:  # "the President", "the Foreign Minister": a title alone
        return True
    return not any(w[:1].isupper() for w in words[1:]) and words[-1].lower() in table.anaphor_nouns


def _institution(head: str, table: OriginTable) -> str | None:
    """A capitalised, definite source that is not a known entity: "the Health Ministry" -> "Health Ministry"."""
    words = head.split()
    low = head.lower()
    for det in _DETERMINERS:
        if low.startswith(det):
            words = words[len(det.split()) :]
            break
    if not words or words[-1].lower() in table.anonymous_heads:
        return None
    capitals = [w for w in words if w[:1].isupper()]
    if len(capitals) >= max(1, len(words) - 1):
        return " ".join(w.removesuffix("'s").removesuffix("’s") for w in words)
    return None


# --- per claim group -----------------------------------------------------------------------------------------
def group_origins(
    units: Sequence[Unit],
    per_article: Mapping[str, dict[int, SentenceOrigin]],
    items: Mapping[str, AnalyzedArticle],
    assignments: Mapping[str, Assignment],
) -> tuple[list[Origin], list[str]]:
    """The origins of one claim group (merged by key, most supported first) and the text-reuse lines."""
    decided: dict[int, SentenceOrigin] = {}
    for i, unit in enumerate(units):
        origin = per_article.get(unit.article, {}).get(unit.sentence)
        if origin is not None and origin.key is not None:
            decided[i] = origin
    # A wire copy or re-publication carries the origin of the article it copies.
    for i, unit in enumerate(units):
        copied = assignments.get(unit.article)
        if i in decided or copied is None or not copied.duplicate_of:
            continue
        source = next((j for j, u in enumerate(units) if u.article == copied.duplicate_of and j in decided), None)
        if source is not None:
            o = decided[source]
            decided[i] = SentenceOrigin(
                o.key, o.kind, o.name,
                f"{unit.article} copies {copied.duplicate_of} ({copied.reused:.0%} of its text reused)",
                o.cited, inferred=o.inferred,
            )  # fmt: skip
    # An article that credits an agency elsewhere: that agency, if it is this claim's origin in another member.
    agencies_in_group = {o.name for o in decided.values() if o.kind == "agency"}
    credits = {u.article: {c.name for c in items[u.article].article.agencies} for u in units}
    for i in range(len(units)):
        own = decided.get(i)
        if own is not None and own.kind == "agency":
            continue
        shared = sorted(credits[units[i].article] & agencies_in_group)
        if len(shared) == 1:
            said = f"names {own.name} as its source" if own else "has no source of its own"
            decided[i] = SentenceOrigin(
                f"agency:{shared[0]}", "agency", shared[0],
                f"{units[i].article} sentence {units[i].sentence} {said}; the article credits {shared[0]}, which is "
                "this claim's origin in another article",
                ([own.name] if own else []) + _cited(units[i], per_article), inferred=True,
            )  # fmt: skip
    open_members = [i for i in range(len(units)) if i not in decided]
    if len({units[i].article for i in open_members}) >= 2:
        common = set.intersection(*(credits[units[i].article] for i in open_members))
        if len(common) == 1:
            name = next(iter(common))
            for i in open_members:
                decided[i] = SentenceOrigin(
                    f"agency:{name}", "agency", name,
                    f"{units[i].article} sentence {units[i].sentence}: no source of its own; every article carrying "
                    f"this claim without a source credits {name}",
                    _cited(units[i], per_article), inferred=True,
                )  # fmt: skip
    reuse = _reuse(units, decided, items)
    for i, unit in enumerate(units):
        if i not in decided:
            decided[i] = SentenceOrigin(
                f"own:{unit.outlet}", "own", unit.outlet,
                f"{unit.article} sentence {unit.sentence}: no attribution or agency credit covers it (the outlet's "
                "own reporting, or a claim it does not source)",
                _cited(unit, per_article),
            )  # fmt: skip
    return _merge(units, decided), reuse


def _cited(unit: Unit, per_article: Mapping[str, dict[int, SentenceOrigin]]) -> list[str]:
    origin = per_article.get(unit.article, {}).get(unit.sentence)
    return list(origin.cited) if origin else []


def _reuse(
    units: Sequence[Unit], decided: dict[int, SentenceOrigin], items: Mapping[str, AnalyzedArticle]
) -> list[str]:
    """Text reuse between members: the member with the weaker evidence (:func:`_rank`) takes the other's origin,
    since the same words came through the same channel (a state agency's article carrying a wire's verbatim
    quote took it from the wire); two agencies each credited in the sentence itself stay two origins (both
    heard the speaker). Returns one line per reuse found."""
    lines = []
    order = sorted(range(len(units)), key=lambda i: (utc_key(items[units[i].article].article.published), i))
    for pos, i in enumerate(order):
        for j in order[:pos]:
            a, b = units[j], units[i]
            how = _reused(a, b)
            if not how:
                continue
            lines.append(f"{b.article} sentence {b.sentence} and {a.article} sentence {a.sentence}: {how}")
            rank_a, rank_b = _rank(decided.get(j)), _rank(decided.get(i))
            if rank_a == rank_b == 0:
                decided[j] = SentenceOrigin(
                    f"own:{a.outlet}", "own", a.outlet,
                    f"{a.article} sentence {a.sentence}: the earliest article with this wording", [],
                )  # fmt: skip
                rank_a = 1
            if decided.get(i) is not None and decided.get(j) is not None and decided[i].key == decided[j].key:
                continue  # already one origin; keep each member's own reason
            if rank_a > rank_b:
                o = decided[j]
                why = f"{b.article} sentence {b.sentence}: {how} with {a.article}, whose origin is {o.name}"
                decided[i] = SentenceOrigin(o.key, o.kind, o.name, why, o.cited, inferred=True)
            elif rank_b > rank_a:
                o = decided[i]
                why = f"{a.article} sentence {a.sentence}: {how} with {b.article}, whose origin is {o.name}"
                decided[j] = SentenceOrigin(o.key, o.kind, o.name, why, o.cited, inferred=True)
    return lines


def _rank(origin: SentenceOrigin | None) -> int:
    """How direct the evidence for an origin is: an agency the sentence itself credits (4), an agency inferred
    from a credit elsewhere (3), a named source (2), the outlet's own text (1), nothing (0)."""
    if origin is None or origin.key is None:
        return 0
    if origin.kind == "agency":
        return 3 if origin.inferred else 4
    return {"own": 1, "source": 2}.get(origin.kind, 0)


def _reused(a: Unit, b: Unit) -> str | None:
    # A quote one article gives in part ("the warnings had been issued hours before") is the same quote.
    if any(x in y or y in x for x in a.quotes for y in b.quotes):
        return "a shared verbatim quote"
    if fuzz.ratio(a.ref.text.lower(), b.ref.text.lower()) >= NEAR_COPY:
        return "near-copy sentences"
    return None


def _merge(units: Sequence[Unit], decided: dict[int, SentenceOrigin]) -> list[Origin]:
    merged: dict[str, Origin] = {}
    for i, unit in enumerate(units):
        o = decided[i]
        assert o.key is not None
        origin = merged.setdefault(o.key, Origin(o.key, o.kind, o.name, []))
        if unit.article not in origin.articles:
            origin.articles.append(unit.article)
        origin.cited.extend(c for c in o.cited if c not in origin.cited and c != o.name)
        if o.why not in origin.why:
            origin.why.append(o.why)
    return sorted(merged.values(), key=lambda o: (-len(o.articles), o.key))
