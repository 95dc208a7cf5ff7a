"""Attributions: who says what, citing whom.

Rules over spaCy's dependency parse plus the cue lists in ``data/attribution.toml``; no trained model.

Passes over one parsed document, in this order (a cue word is used by one pass only):

1. quotations -- a quoted stretch with a reporting verb right after it (``"...," the source said``) or
   right before it (``The source said: "..."``); a quote split by the cue (``"A," he said, "B."``), quotes
   that go on right after an attributed one (``"A," said X. "B."``) and a quote paragraph with no cue of
   its own right after a quote paragraph join the same attribution; a quotation that is only part of the
   reported clause (``X "did well" in May, he said``) gives the whole clause;
2. reporting, internal-state and stance verbs with a clause, an infinitive or (for some) an object as
   content (``X said that ...``, ``X believes ...``, ``X vowed to ...``, ``X denied the report``), verbs
   inserted as a parenthetical (``The plan, he said, will fail``) and agentless passives (``was asked about
   X``, no source);
2b. adjective and noun predicates (``X is eager to ...``, ``X was critical of Y``, ``X made it clear that``,
   ``X's criticism of Y``, ``X voiced support for Y``, ``questions about Y`` with no source);
3. ``according to X`` (the rest of the clause is the content), and ``in X's words`` / ``in a poll``;
4. ``citing X`` (X is a further origin of the content of the verb it hangs on);
5. ``reportedly`` and impersonal passives (``it was reported that``): content without a source;
6. a line opened by a short name and a colon (``Gingrich: Trump must decide``).

Then attributions found inside the content of another become its ``via`` (the chain of origins).

**Chain order**: a top-level attribution is the outermost credit, the one the article itself makes;
its ``via`` lists the attributions it relays, outer to inner. "AFP reported, citing a diplomatic source
in Damascus, that ..." gives ``Attribution(source=AFP, cue=reported, via=[Attribution(source=a
diplomatic source in Damascus, cue=citing, content=<the same content>)])``; "A source said ..., according
to AFP" gives ``Attribution(source=AFP, cue=according to, via=[Attribution(source=A source, cue=said)])``.

Span conventions (they follow the PolNeAR/PARC annotation): content keeps its quote marks; indirect
content keeps its "that"; the cue keeps its auxiliaries and adverbs ("has also said"), its particle ("pointed
out"), a channel ("said in a statement") and a colon right after it ("said:"); the source is the whole subject phrase,
appositives included.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyprism import lexicons
from storyprism.analyze.attribution_quotes import Quote, SpanIndex, find_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Span:
    """Character offsets into the document text (``text[start:end] == self.text``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Attribution:
    source: Span | None  # the speaker or origin; None when unattributed ("reportedly", "it was reported")
    cue: Span  # "said", "according to", "citing", "told", "said:" ...
    content: Span | None  # what was said: from the first to the last fragment (see content_parts)
    kind: str  # direct | indirect | mixed | according_to | unattributed
    via: list[Attribution]  # attributions this one relays, outer to inner (see module doc)
    sentence: int  # index in doc.sents of the first sentence of the attribution (cue, source or content)
    content_parts: tuple[Span, ...] = field(default=())  # content fragments ("A," he said, "B.")


@dataclass(frozen=True)
class CueTable:
    speech: frozenset[str]
    internal: frozenset[str]
    stance: frozenset[str]
    raising: frozenset[str]
    passive_raising: frozenset[str]
    takes_object: frozenset[str]
    takes_infinitive: frozenset[str]
    prepositional: dict[str, frozenset[str]]
    according_to: tuple[tuple[str, ...], ...]
    citing: frozenset[str]
    unattributed: frozenset[str]
    channel_nouns: frozenset[str]
    colon_labels: frozenset[str]
    adjectives: frozenset[str]
    nouns: frozenset[str]
    light_verbs: frozenset[str]
    noun_preps: frozenset[str]
    light_objects: frozenset[str]
    documents: frozenset[str]
    known: frozenset[str] = frozenset()  # every cue verb lemma, to mend spaCy's lemmas


@lexicons.per_data
def cue_table() -> CueTable:
    data = lexicons.load("attribution")
    verbs, phrases = data["verbs"], data["phrases"]
    known = frozenset().union(*(v for k, v in verbs.items() if isinstance(v, list)), verbs["prepositional"])
    return CueTable(
        known=known,
        speech=frozenset(verbs["speech"]),
        internal=frozenset(verbs["internal"]),
        stance=frozenset(verbs["stance"]),
        raising=frozenset(verbs["raising"]),
        passive_raising=frozenset(verbs["passive_raising"]),
        takes_object=frozenset(verbs["takes_object"]) | frozenset(verbs["stance"]),
        takes_infinitive=frozenset(verbs["takes_infinitive"]),
        prepositional={k: frozenset(v) for k, v in verbs["prepositional"].items()},
        according_to=tuple(sorted((tuple(p.split()) for p in phrases["according_to"]), key=len, reverse=True)),
        citing=frozenset(phrases["citing"]),
        unattributed=frozenset(phrases["unattributed_adverbs"]),
        channel_nouns=frozenset(phrases["channel_nouns"]),
        colon_labels=frozenset(w.lower() for w in phrases["colon_labels"]),
        adjectives=frozenset(data["predicates"]["adjectives"]),
        nouns=frozenset(data["predicates"]["nouns"]),
        light_verbs=frozenset(data["predicates"]["light_verbs"]),
        noun_preps=frozenset(data["predicates"]["prepositions"]),
        light_objects=frozenset(data["predicates"]["light_objects"]),
        documents=frozenset(phrases["documents"]),
    )


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every attribution in ``doc``, in text order of the cue; nested ones only inside their ``via``."""
    finder = _Finder(doc, cue_table())
    drafts = finder.run()
    return _nest(doc, drafts)


def walk(attributions: Iterable[Attribution]) -> Iterator[Attribution]:
    """Every attribution, the nested ones (``via``) right after the one that relays them."""
    for a in attributions:
        yield a
        yield from walk(a.via)


# ---------------------------------------------------------------------------------------------------
# Drafts: token-level findings, turned into Attributions at the end.

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CUE_PREFIX_DEPS = ("aux", "auxpass", "neg", "advmod")
_SENT_END = frozenset(".!?")
# A line opening with one to four capitalised words and a colon ("Gingrich: ...", "NY Daily News: ..."), also
# inside a quoted transcript ("PENCE: Well, ..." as a paragraph of a quoted exchange).
# Possessive word runs: with a plain * a long capitalised line without spaces backtracks for minutes.
_COLON_LINE = re.compile(r"\s*[\"“‘']?((?:[A-Z][\w.'’-]*+\s?){1,4}):\s+\S")
# A quotation credited with a dash after it, as under pull quotes and reader responses
# ("“...” ― Jane Doe"): the dash, then a name of one to five capitalised words up to the line's end.
_DASH_CREDIT = re.compile(r"[ \t\u00a0]*([―—–])[ \t\u00a0]*((?:[A-Z][\w.'’-]*+[ \u00a0]?){1,5})\.?[ \t\u00a0]*(?:\n|$)")
_LOOSE = frozenset(",;:.—–-…/|")


@dataclass
class _Draft:
    cue: tuple[int, int]  # char span
    cue_token: int  # token index of the head word of the cue
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    kind: str
    via: list[_Draft] = field(default_factory=list)
    nested_in_outer: bool = False  # a "citing" origin: already placed in the via of its head
    colon: bool = False  # introduced by "said:" -- the quote may go on in the next paragraphs


class _Finder:
    def __init__(self, doc: Doc, table: CueTable) -> None:
        self.doc = doc
        self.text = doc.text
        self.table = table
        self.used: set[int] = set()  # token indices already used as a cue
        quotes = [q for q in find_quotes(self.text) if not q.scare]
        self.quotes = [q for q in quotes if not q.nested]  # the ones a cue can introduce
        self.quote_index = SpanIndex(p for q in self.quotes for p in q.parts)
        self.quote_starts = {q.start for q in self.quotes}
        self.quote_ends = {q.end for q in self.quotes}
        self.all_quote_parts = [p for q in quotes for p in q.parts]
        self.sorted_parts = sorted(self.all_quote_parts)
        self.sorted_part_starts = [s for s, _ in self.sorted_parts]
        self.by_cue: dict[int, _Draft] = {}

    def run(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        drafts += self._quote_pass()
        drafts += self._verb_pass()
        drafts += self._predicate_pass()
        drafts += self._according_pass()
        drafts += self._in_document_pass()
        drafts += self._citing_pass()
        drafts += self._adverb_pass()
        drafts += self._colon_pass()
        return sorted(drafts, key=lambda d: d.cue)

    # -- pass 1: quotations --------------------------------------------------------------------------

    def _quote_pass(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        last: _Draft | None = None
        last_q_end = -1  # end of the last quote attributed
        for q in self.quotes:
            parts = list(q.parts)
            cue = self._cue_after(q)
            if cue is None:
                cue = self._cue_before(q)
            if cue is None and (credit := self._dash_credit(q)) is not None:
                drafts.append(credit)
                last, last_q_end = None, q.end
                continue
            if cue is None:
                # "A," said X. "B." -- a quote right after an attributed one continues it.
                if last is not None and self._continues(last, last_q_end, q):
                    last.content += parts
                    last_q_end = q.end
                continue
            if cue.i in self.by_cue:  # the second half of "A," he said, "B."
                d = self.by_cue[cue.i]
                d.content += parts
            else:
                parts = self._widen_to_clause(cue, q) or parts
                d = self._draft(cue, parts, "direct")
                d.colon = self.text[d.cue[1] - 1] == ":"
                drafts.append(d)
            last = d
            last_q_end = q.end
        for d in drafts:
            d.kind = "direct" if all(self._is_quote(s, e) for s, e in d.content) else "mixed"
        return drafts

    def _dash_credit(self, q: Quote) -> _Draft | None:
        """``"..." ― Jane Doe`` at the end of a line: the dash is the cue, the name the source."""
        m = _DASH_CREDIT.match(self.text, q.end)
        if m is None:
            return None
        name_text = m.group(2).rstrip(" \u00a0")
        if name_text.endswith(".") and len(name_text.rsplit(None, 1)[-1]) > 2:  # a full stop, not "K."
            name_text = name_text[:-1]
        name_s, name_e = m.start(2), m.start(2) + len(name_text)
        name = self.doc.char_span(name_s, name_e, alignment_mode="expand")
        dash = self.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if name is None or dash is None or any(t.like_num for t in name):
            return None
        self.used.add(dash[0].i)
        return _Draft((m.start(1), m.end(1)), dash[0].i, (name_s, name_e), list(q.parts), "direct")

    def _widen_to_clause(self, cue: Token, q: Quote) -> list[tuple[int, int]] | None:
        """A quotation that is only part of the reported clause (``Clinton "drew well from workers" in the
        primary, he said``): the content is the whole clause, as in PolNeAR."""
        if len(q.parts) != 1:
            return None
        for c in cue.children:
            if c.dep_ != "ccomp":
                continue
            start, end = self._clause_span(c)
            # Words of the clause stand before the quotation (a quotation that opens the clause is all
            # that was said: "X said: "A," noting ..." keeps its quote).
            if start < q.start and q.end <= end and self.text[start : q.start].strip():
                between = self.text[min(end, cue.idx) : max(start, cue.idx)]
                if "\n" not in between:
                    return [(start, end)]
        return None

    def _continues(self, last: _Draft, last_q_end: int, q: Quote) -> bool:
        """Whether quote ``q`` goes on from the attribution ``last``: nothing but blank space since the last
        quote, or only the rest of the attributing sentence (``"A," X said. "B."``). A quote paragraph with
        no cue of its own right after a quote paragraph goes on with the same speaker (news convention)."""
        if q.start < last_q_end:
            return False
        gap = self.text[last_q_end : q.start]
        if gap.count("\n") > 2:  # one paragraph break at most
            return False
        if not gap.strip():
            return True
        cue_inside = last_q_end <= last.cue[0] and last.cue[1] <= q.start
        return cue_inside and len(gap) < 160 and gap.rstrip()[-1] in _SENT_END

    def _cue_after(self, q: Quote) -> Token | None:
        """``"...," the source said`` / ``"...," said X``: a cue verb whose subject fills the gap."""
        first = self._token_at_or_after(q.end)
        if first is None:
            return None
        window = []
        for tok in self.doc[first.i : first.i + 30]:
            if self._starts_quote(tok) or tok.text in _SENT_END or "\n" in tok.text:
                break
            window.append(tok)
        for k, tok in enumerate(window):
            if self._is_cue_verb(tok) and tok.i not in self.used:
                # The speaker stands next to the verb ("the source said", "said X"); a bare participle
                # ("..., noting that ...") goes on the sentence, it does not introduce the quote.
                # A verb inside the speaker's description ("the source, who requested anonymity, said")
                # is passed over for the one it depends on.
                # A verb with a clause of its own after it ('"..." The statement further noted that ...')
                # reports that clause, not the quotation before it.
                has_subject = any(c.dep_ in _SUBJECTS and c in window for c in tok.children)
                own_clause = any(
                    c.dep_ == "ccomp"
                    and c.i > tok.i
                    and not self._overlaps_quote(c.left_edge.idx, c.right_edge.idx + len(c.right_edge))
                    for c in tok.children
                )  # (a quoted clause after it is the rest of a split quotation: '"A," he said, "B."')
                if has_subject and not own_clause and all(t.is_punct or _descends(t, tok) for t in window[:k]):
                    return tok
        return None

    def _cue_before(self, q: Quote) -> Token | None:
        """``X said: "..."`` / ``X told reporters, "..."``: only the cue's own words stand in between."""
        last = self._token_before(q.start)
        if last is None:
            return None
        gap = self.text[last.idx + len(last) : q.start]
        if "\n" in gap and not last.text.endswith(":"):
            return None
        window: list[Token] = []
        for tok in reversed(self.doc[max(0, last.i - 30) : last.i + 1]):
            if tok.text in _SENT_END or self._ends_quote(tok):
                break
            window.append(tok)
        for k, tok in enumerate(window):
            if self._is_cue_verb(tok):
                between = window[:k]
                if any(t.dep_ == "prep" for t in between) and not last.is_punct:
                    return None  # '... said on Fox News's "Fox and Friends."': a title in a phrase, not speech
                if all(t.is_punct or (_descends(t, tok) and t.dep_ != "mark") for t in between):
                    return tok if tok.i not in self.used or tok.i in self.by_cue else None
                return None
        return None

    # -- pass 2: reporting and internal-state verbs ---------------------------------------------------

    def _verb_pass(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            if tok.i in self.used or tok.pos_ != "VERB" or tok.dep_ in ("amod", "compound"):
                continue
            if tok.lower_ in self.table.citing and tok.dep_ in ("advcl", "conj", "xcomp"):
                continue  # "AFP reported, citing X": left to the citing pass
            if self._in_quote(tok) and self._lemma(tok) not in self.table.speech:
                continue  # "I think", "we want" inside a quotation: the quoted speaker's own words
            if tok.tag_ == "VB" and not _do_support(tok) and self._lemma(tok) not in self.table.speech:
                continue  # "plans to support", "would endorse": an intention, not a stance taken
            raised = self._raising_content(tok)
            if raised:
                d = _Draft(self._cue_span(tok), tok.i, None, raised, "unattributed")
                self.used.add(tok.i)
                self.by_cue[tok.i] = d
                drafts.append(d)
                continue
            found = self._verb_content(tok)
            if found is None:
                continue
            content, cue_end = found
            d = self._draft(tok, content, "indirect", cue_end)
            if d.source is None and not (self._impersonal(tok) or self._passive(tok) or _finite(tok)):
                self.used.discard(tok.i)
                self.by_cue.pop(tok.i, None)
                continue
            if d.source is None:
                d.kind = "unattributed"
            elif any(self._overlaps_quote(s, e) for s, e in d.content):
                d.kind = "mixed"
            drafts.append(d)
        return drafts

    def _verb_content(self, verb: Token) -> tuple[list[tuple[int, int]], int | None] | None:
        """The content of a cue verb and, for prepositional verbs, the last token of the cue."""
        t = self.table
        lemma = self._lemma(verb)
        preps = t.prepositional.get(lemma)
        if preps and not any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):  # "said about half ... fell"
            found = self._prepositional(verb, preps)
            if found:
                return found
        if not (lemma in t.speech or lemma in t.internal or lemma in t.stance):
            return None
        for child in verb.children:
            if child.dep_ == "ccomp" and child.i > verb.i:
                return [self._clause_span(child)], None
            if child.dep_ == "ccomp" and self._left_clause(child, verb):
                return [self._clause_span(child)], None
        for child in verb.children:
            # "said legalizing it could put ...": the parser hangs the clause on a gerund (xcomp).
            gerund = child.dep_ == "xcomp" and child.i > verb.i and child.tag_ == "VBG"
            if gerund and (lemma in t.speech or lemma in t.internal) and _has_clause(child):
                return [self._clause_span(child)], None
        if lemma in t.speech or lemma in t.internal:
            # "said earlier on Friday during a news conference that ...": the parser hung the clause lower.
            for tok in verb.subtree:
                if tok.i > verb.i and tok.dep_ == "mark" and tok.lower_ == "that" and tok.head.i > tok.i:
                    if not any(a.i == verb.i or a.lemma_.lower() in t.known for a in _path(tok.head, verb)):
                        return [self._extend_to_quotes(*self._trim(tok.i, tok.head.right_edge.i))], None
                    break
        if lemma in t.speech and lemma not in t.takes_object:
            found = self._speech_object(verb)
            if found:
                return [found], None
        elif lemma in t.internal:  # "Politicians know this"
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i == verb.i + 1), None)
            if obj is not None and obj.lower_ in ("this", "that", "so"):
                return [self._trim(obj.i, obj.i)], None
        inverted = verb.dep_ == "conj" and any(c.dep_ == "nsubj" and c.i > verb.i for c in verb.children)
        if (verb.dep_ == "parataxis" or inverted) and verb.head.pos_ in ("VERB", "AUX"):
            # "The plant is hanging on, said the chief executive": the parser took the verb for a conjunct.
            parts = self._minus(verb.head, verb)
            return (parts, None) if parts else None
        if lemma in t.takes_infinitive:
            for child in verb.children:
                if child.dep_ == "xcomp" and child.i > verb.i and any(c.dep_ == "aux" for c in child.children):
                    return [self._clause_span(child)], None
        if lemma in t.takes_object and not (verb.tag_ == "VB" and _infinitive(verb)):  # "to find the money"
            objs = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "ccomp", "xcomp") and c.i > verb.i]
            if objs and objs[0].dep_ == "dobj" and not self._light_object(verb, objs[0]):
                first, last = min(o.left_edge.i for o in objs), max(o.right_edge.i for o in objs)
                for c in verb.children:  # "accused him of lying", "described her as a fighter"
                    if c.dep_ == "prep" and c.i == last + 1 and c.lower_ in ("of", "for", "as", "over"):
                        last = c.right_edge.i
                return [self._extend_to_quotes(*self._trim(first, last))], None
        return None

    def _speech_object(self, verb: Token) -> tuple[int, int] | None:
        """ "said so", "said that" (the pronoun is the content), and "says the movement appeals to ...",
        where the parser took the subject of the reported clause for an object: the rest of the clause."""
        for c in verb.children:
            if c.i <= verb.i:
                continue
            if c.dep_ == "advmod" and c.lower_ == "so" and c.i == verb.i + 1:
                return self._trim(c.i, c.i)
            if c.dep_ == "dobj":
                if c.pos_ == "PRON":
                    return self._trim(c.i, c.i) if c.lower_ in ("that", "this", "so", "it") else None
                tail = [g.right_edge.i for g in verb.children if g.i > c.i and g.dep_ in _CLAUSE_TAIL]
                last = max([c.right_edge.i, *tail])
                return self._extend_to_quotes(*self._trim(c.left_edge.i, last))
        return None

    def _light_object(self, verb: Token, obj: Token) -> bool:
        """ "voiced support for X": the noun and its preposition belong to the cue (the predicate pass)."""
        return (
            self._lemma(verb) in self.table.light_verbs
            and (obj.lemma_.lower() in self.table.nouns or obj.lemma_.lower() in self.table.light_objects)
            and self._complement(obj) is not None
        )

    def _left_clause(self, clause: Token, verb: Token) -> bool:
        """ "The plan will fail, he said": a clause before the verb is its content only when the verb
        and its subject close the sentence."""
        return clause.i < verb.i and not any(
            c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > verb.i for c in verb.children
        )

    def _prepositional(self, verb: Token, preps: frozenset[str]) -> tuple[list[tuple[int, int]], int] | None:
        """ "called for X", "pointed out that ...", "talked about X": the particle or preposition right
        after the verb (or after its particle) closes the cue; what it governs is the content."""
        for child in verb.children:
            if child.i <= verb.i or child.i > verb.i + 2 or child.lower_ not in preps:
                continue
            if child.dep_ == "prep":
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if not objs:
                    return None
                last = objs[0].right_edge.i
                for other in verb.children:  # "called on the US to attack ...": the infinitive goes too
                    if (
                        other.dep_ in ("xcomp", "advcl")
                        and other.i > last
                        and any(c.dep_ == "aux" and c.lower_ == "to" for c in other.children)
                    ):
                        last = other.right_edge.i
                return [self._extend_to_quotes(*self._trim(objs[0].left_edge.i, last))], child.i
            if child.dep_ == "prt":
                objs = [c for c in verb.children if c.dep_ in ("dobj", "ccomp") and c.i > child.i]
                if objs:
                    return [self._clause_span(objs[0])], child.i
        return None

    def _raising_content(self, verb: Token) -> list[tuple[int, int]]:
        """ "Kasich appears to have the state to himself", "Voters are expected to wait": the subject and
        the infinitive are the content; nobody is named as its source."""
        lemma = self._lemma(verb)
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if not (lemma in self.table.raising or (passive and lemma in self.table.passive_raising)):
            return []
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        deps = ("xcomp", "ccomp", "acomp", "oprd") if lemma in self.table.raising else ("xcomp", "ccomp")
        comp = next((c for c in verb.children if c.dep_ in deps and c.i > verb.i), None)
        if subj is None or comp is None or subj.tag_ in ("WDT", "WP"):
            return []
        if subj.lower_ == "it":  # "It appears that the game was not boring": the clause alone
            return [self._clause_span(comp)] if comp.dep_ == "ccomp" and lemma in self.table.raising else []
        return [self._trim(subj.left_edge.i, subj.right_edge.i), self._clause_span(comp)]

    # -- pass 2b: adjective and noun predicates ----------------------------------------------------------

    def _predicate_pass(self) -> list[_Draft]:
        """ "X is eager to ...", "X was critical of Y", "X made clear that ..." (an adjective) and "X's
        criticism of Y", "X voiced support for Y", "the claim that ..." (a noun): the verb group with the
        adjective or noun (and the preposition that governs the content) is the cue."""
        drafts = []
        for tok in self.doc:
            if tok.i in self.used or self._in_quote(tok):
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "ADJ" and lemma in self.table.adjectives:
                d = self._adjective(tok)
            elif tok.pos_ == "NOUN" and (lemma in self.table.nouns or self._light_noun(tok)):
                d = self._noun(tok)
            else:
                continue
            if d is not None:
                drafts.append(d)
        return drafts

    def _adjective(self, adj: Token) -> _Draft | None:
        verb = adj.head
        if (
            adj.dep_ not in ("acomp", "oprd", "ccomp", "dobj")
            or verb.pos_ not in ("AUX", "VERB")
            or verb.i in self.used
        ):
            return None
        if adj.dep_ != "acomp" and verb.lemma_.lower() not in self.table.light_verbs:
            return None  # "made clear", "made it clear": only with a light verb
        found = self._complement(adj) or self._complement(verb, after=adj.i)
        if found is None:
            return None
        content, last = found
        src = self._source(verb)
        if src is None:
            return None
        start = self._cue_span(verb)[0]
        end_tok = self.doc[max(last, adj.i)]
        self.used.update((verb.i, adj.i))
        d = _Draft((start, end_tok.idx + len(end_tok)), verb.i, src, [content], "indirect")
        self.by_cue[verb.i] = d
        return d

    def _noun(self, noun: Token) -> _Draft | None:
        found = self._complement(noun)
        if found is None:
            return None
        content, last = found
        first, src = self._noun_source(noun, content)
        start = self._cue_span(first)[0] if first is not noun else noun.idx
        end_tok = self.doc[max(last, noun.i)]
        self.used.update((noun.i, first.i))
        # A noun with no owner ("questions about X") is still PolNeAR's attribution, with no source.
        kind = "indirect" if src else "unattributed"
        d = _Draft((start, end_tok.idx + len(end_tok)), first.i, src, [content], kind)
        self.by_cue[first.i] = d
        return d

    def _noun_source(self, noun: Token, content: tuple[int, int]) -> tuple[Token, tuple[int, int] | None]:
        """The first token of a nominal cue (the light verb, if any) and its source: the owner ("the mayor's
        criticism"), the light verb's subject ("the senator voiced support"), or "criticism from X"."""
        first, src = noun, None
        poss = [c for c in noun.children if c.dep_ == "poss" and c.i < noun.i and c.tag_ != "WP$"]
        if poss:
            src = self._trim(poss[0].left_edge.i, poss[0].right_edge.i)
        head = noun.head
        if noun.dep_ == "dobj" and head.lemma_.lower() in self.table.light_verbs and head.i not in self.used:
            vsrc = self._source(head)
            if vsrc is not None:
                src = vsrc if src is None or poss[0].lower_ in _POSS_PRONOUNS else src
                first = head
        if src is None:
            for c in noun.children:
                if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from") and c.i > noun.i:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and objs[0].idx < content[0]:
                        src = self._trim(objs[0].left_edge.i, objs[0].right_edge.i)
        return first, src

    def _light_noun(self, noun: Token) -> bool:
        """ "voiced support for", "took credit for": nouns that are cues only as a light verb's object."""
        return (
            noun.lemma_.lower() in self.table.light_objects
            and noun.dep_ == "dobj"
            and noun.head.lemma_.lower() in self.table.light_verbs
        )

    def _complement(self, head: Token, after: int = -1) -> tuple[tuple[int, int], int] | None:
        """What an adjective or noun predicate is about: a clause or an infinitive (its cue ends at the head)
        or the object of a preposition (the cue ends at the preposition)."""
        for c in head.children:
            if c.i <= max(head.i, after):
                continue
            clause = c.dep_ == "ccomp" or (c.dep_ in ("acl", "xcomp") and _infinitive(c))
            if clause or (c.dep_ in ("acl", "xcomp", "advcl", "csubj") and _that_clause(c)):
                return self._clause_span(c), head.i if after < 0 else after
            if c.dep_ == "prep" and c.lower_ in self.table.noun_preps and c.i <= max(head.i, after) + 3:
                objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if objs and not (head.pos_ == "NOUN" and _holder(c, objs[0])):
                    return self._extend_to_quotes(*self._trim(objs[0].left_edge.i, objs[0].right_edge.i)), c.i
        return None

    # -- pass 3: according to -------------------------------------------------------------------------

    def _according_pass(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            phrase = self._phrase_at(tok.i, self.table.according_to)
            if phrase is None or tok.i in self.used:
                continue
            last = self.doc[tok.i + len(phrase) - 1]
            objs = [c for c in last.children if c.dep_ in ("pobj", "dobj", "nsubj", "conj", "appos")] or (
                [self.doc[last.i + 1]] if last.i + 1 < len(self.doc) else []
            )
            if not objs:
                continue
            src = self._trim(objs[0].left_edge.i, objs[0].right_edge.i, keep_comma=False)
            phrase_toks = range(tok.i, max(last.i, objs[0].right_edge.i) + 1)
            anchor = tok.head if tok.head.i not in phrase_toks else tok.sent.root
            while anchor.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis") and anchor.head != anchor:
                anchor = anchor.head
            content = self._minus_range(anchor, phrase_toks)
            if not content:
                continue
            cue = (tok.idx, last.idx + len(last))
            self.used.update(range(tok.i, last.i + 1))
            d = _Draft(cue, tok.i, src, content, "according_to")
            self.by_cue[tok.i] = d
            drafts.append(d)
        return drafts

    def _in_document_pass(self) -> list[_Draft]:
        """ "In a CNN poll, 50 percent chose Clinton", "..., in Forbes' words, ...": a poll, report or
        statement that the clause is drawn from is its source, "in" the cue (PolNeAR's reading)."""
        drafts = []
        for tok in self.doc:
            if tok.lower_ != "in" or tok.dep_ != "prep" or tok.i in self.used or tok.head.i in self.used:
                continue
            objs = [c for c in tok.children if c.dep_ == "pobj"]
            if not objs or objs[0].lemma_.lower() not in self.table.documents or self._in_quote(tok):
                continue
            if tok.head.pos_ == "VERB" and self._lemma(tok.head) in self.table.known:
                continue  # "said in a statement": the channel of a cue verb
            obj = objs[0]
            phrase_toks = range(tok.i, obj.right_edge.i + 1)
            anchor = tok.head
            while anchor.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj", "parataxis") and anchor.head != anchor:
                anchor = anchor.head
            content = self._minus_range(anchor, phrase_toks)
            if not content:
                continue
            src = self._trim(obj.left_edge.i, obj.right_edge.i)
            self.used.add(tok.i)
            d = _Draft((tok.idx, tok.idx + len(tok)), tok.i, src, content, "according_to")
            self.by_cue[tok.i] = d
            drafts.append(d)
        return drafts

    # -- pass 4: citing --------------------------------------------------------------------------------

    def _citing_pass(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            if tok.lower_ not in self.table.citing or tok.i in self.used or tok.pos_ not in ("VERB", "AUX"):
                continue
            objs = [c for c in tok.children if c.dep_ in ("dobj", "pobj", "attr")]
            if not objs:
                continue
            cited = self._trim(objs[0].left_edge.i, objs[0].right_edge.i, keep_comma=False)
            self.used.add(tok.i)
            outer = self.by_cue.get(tok.head.i)
            if outer is not None and outer.source is not None and tok.dep_ in ("advcl", "xcomp", "conj"):
                # The cited party is a further origin of what the outer cue reports.
                inner = _Draft((tok.idx, tok.idx + len(tok)), tok.i, cited, list(outer.content), outer.kind)
                inner.nested_in_outer = True
                outer.via.append(inner)
                continue
            # "He opposed the plan, citing low growth": PolNeAR's reading, the subject cites the object.
            src = self._source(tok)
            if src is None:
                continue
            d = _Draft((tok.idx, tok.idx + len(tok)), tok.i, src, [cited], "indirect")
            drafts.append(d)
        return drafts

    # -- pass 5: reportedly ----------------------------------------------------------------------------

    def _adverb_pass(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            if tok.lower_ not in self.table.unattributed or tok.i in self.used or tok.head == tok:
                continue
            content = self._minus_range(tok.head, range(tok.i, tok.i + 1))
            if content:
                self.used.add(tok.i)
                drafts.append(_Draft((tok.idx, tok.idx + len(tok)), tok.i, None, content, "unattributed"))
        return drafts

    # -- pass 6: "Name: what they said" ----------------------------------------------------------------

    def _colon_pass(self) -> list[_Draft]:
        """A line opened by a short proper name and a colon: a headline credit ("Gingrich: Trump must
        decide") or a transcript turn ("FALLIN: Well, I think ...")."""
        drafts = []
        for line in re.finditer(r"[^\n]+", self.text):
            m = _COLON_LINE.match(line.group())
            if not m or m.group(1).strip().lower() in self.table.colon_labels:
                continue
            name_s, name_e = line.start() + m.start(1), line.start() + m.end(1)
            colon = line.start() + m.end(1)
            name = self.doc.char_span(name_s, name_e, alignment_mode="expand")
            if name is None or not all(t.pos_ == "PROPN" or t.is_title or t.is_upper or t.is_punct for t in name):
                continue
            if any(t.i in self.used for t in name) or any(t.like_num for t in name):
                continue
            content = self._trim_chars(colon + 1, line.end())
            cue_tok = self.doc.char_span(colon, colon + 1, alignment_mode="expand")
            if content is None or cue_tok is None:
                continue
            d = _Draft((colon, colon + 1), cue_tok[0].i, (name_s, name_e), [content], "direct")
            d.kind = "direct" if self._is_quote(*content) else "indirect"
            self.used.add(cue_tok[0].i)
            drafts.append(d)
        return drafts

    def _trim_chars(self, start: int, end: int) -> tuple[int, int] | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) < 3:
            return None
        return self._trim(span[0].i, span[-1].i)

    # -- shared pieces ---------------------------------------------------------------------------------

    def _draft(self, verb: Token, content: list[tuple[int, int]], kind: str, cue_end: int | None = None) -> _Draft:
        d = _Draft(self._cue_span(verb, cue_end), verb.i, self._source(verb), content, kind)
        self.used.add(verb.i)
        self.by_cue[verb.i] = d
        return d

    def _is_cue_verb(self, tok: Token) -> bool:
        """A verb that may introduce a quotation."""
        if tok.pos_ != "VERB" or tok.dep_ in ("amod", "compound"):
            return False
        lemma = self._lemma(tok)
        return lemma in self.table.speech or lemma in self.table.internal

    def _lemma(self, tok: Token) -> str:
        """spaCy's lemma, mended where it cut a final "e" off a cue verb ("hopes" -> "hop")."""
        lemma = tok.lemma_.lower()
        if lemma + "e" in self.table.known and lemma not in self.table.known and tok.lower_.startswith(lemma):
            return lemma + "e"
        return lemma

    def _in_quote(self, tok: Token) -> bool:
        return self._is_quote(tok.idx, tok.idx + len(tok)) and not self._starts_quote(tok)

    def _passive(self, verb: Token) -> bool:
        """ "was asked about X", "Asked about X, ...": a passive with no agent, a content without a source."""
        bare = verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(c.dep_ == "aux" for c in verb.children)
        return bare or any(c.dep_ == "auxpass" for c in verb.children)

    def _impersonal(self, verb: Token) -> bool:
        """ "It was reported that ...", "It is believed ...": a passive with a dummy subject."""
        return any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in verb.children)

    def _subject(self, verb: Token) -> Token | None:
        """The speaker: the verb's subject, the agent of a passive, or the subject of the verb it is
        coordinated with or hangs on ("He called it X and said ...", "..., adding that ...")."""
        seen = 0
        while seen < 4:
            verb_quoted = self._is_quote(verb.idx, verb.idx + len(verb))
            for c in verb.children:
                if c.dep_ not in _SUBJECTS or "\n" in self.text[min(c.idx, verb.idx) : max(c.idx, verb.idx)]:
                    continue  # (a live blog's "12:15 p.m." line taken for the subject of the next paragraph)
                if verb_quoted or not self._is_quote(c.idx, c.idx + len(c)):
                    # (the parser may give '"Four explosions ...," said X' two subjects: for a verb outside
                    # the quotation, the quoted one is what was said, not who said it)
                    return None if c.dep_ == "nsubjpass" else c
                if c.dep_ == "agent":
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    return objs[0] if objs else None
            if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.head.pos_ in ("VERB", "AUX"):
                verb = verb.head.head  # "He ended by saying ...", "after announcing ..."
                seen += 1
                continue
            if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head != verb and verb.head.pos_ in ("VERB", "AUX"):
                if verb.dep_ == "advcl" and verb.tag_ != "VBG":
                    return None  # "Asked about it, she said ...": she was asked, by nobody named
                verb = verb.head
                seen += 1
                continue
            if (
                verb.dep_ in ("relcl", "acl")
                and verb.tag_ == "VBG"
                and (verb.head.ent_type_ or verb.head.pos_ in ("PROPN", "NOUN"))
            ):
                head = verb.head
                governor = head.head.head if head.dep_ == "pobj" else head.head
                if (
                    head.pos_ == "NOUN"
                    and not head.ent_type_
                    and head.dep_ in ("dobj", "pobj", "attr")
                    and governor.pos_ in ("VERB", "AUX")
                ):
                    # "Authorities acknowledged the occurrence of talks, claiming ...": a participle the
                    # parser hung on the object of a verb goes with that verb's subject, not the object.
                    verb = governor
                    seen += 1
                    continue
                return head  # "Reuters, saying ..." (a name modified by a participle)
            return None
        return None

    def _source(self, verb: Token) -> tuple[int, int] | None:
        subj = self._subject(verb)
        if subj is None or (subj.lower_ == "it" and self._impersonal(verb)):
            return None
        if subj.dep_ in ("relcl", "acl") or (subj.i == verb.head.i and verb.dep_ in ("relcl", "acl")):
            return self._trim(subj.i, subj.i, keep_comma=False)
        first, last = subj.left_edge.i, subj.right_edge.i
        if subj.i < verb.i <= last:
            # The parser hung words after the verb on the subject ("The statement noted that ..., a move
            # that ..." with "a move" an apposition of "statement"): the speaker ends before the cue.
            last = self._cue_start(verb) - 1
        while first < subj.i and "\n" in self.text[self.doc[first].idx : subj.idx]:
            first += 1  # a headline run into the sentence by the parser
        # "“It's unanimous,” councilmember Mark Levine said": a quotation inside the subject's words is no source.
        at = subj.idx
        for qs, qe in self.sorted_parts[bisect_left(self.sorted_part_starts, subj.left_edge.idx) :]:
            if qs >= at:
                break
            if qe <= at:
                while first < subj.i and self.doc[first].idx < qe:
                    first += 1
        return self._trim(first, last, keep_comma=True)

    def _cue_start(self, verb: Token) -> int:
        """The first token of the verb group: auxiliaries and adverbs right before the verb."""
        start = verb.i
        while start > 0:
            prev = self.doc[start - 1]
            if prev.head.i == verb.i and prev.dep_ in _CUE_PREFIX_DEPS and prev.pos_ != "PUNCT" and prev.tag_ != "WRB":
                start -= 1
            else:
                break
        return start

    def _cue_span(self, verb: Token, cue_end: int | None = None) -> tuple[int, int]:
        """The verb group: auxiliaries and adverbs right before it, a particle, a channel ("in a statement") and
        a colon right after it; for a prepositional verb, up to its preposition (``cue_end``)."""
        start = self._cue_start(verb)
        end = cue_end if cue_end is not None else verb.i
        nxt = self.doc[end + 1] if end + 1 < len(self.doc) else None
        if (
            cue_end is None
            and nxt is not None
            and nxt.dep_ == "prep"
            and nxt.head.i == verb.i
            and nxt.lower_ in ("in", "on", "via")
        ):
            objs = [c for c in nxt.children if c.dep_ == "pobj"]
            if objs and objs[0].lemma_.lower() in self.table.channel_nouns and objs[0].right_edge.i <= objs[0].i:
                end = objs[0].i
        if cue_end is None and nxt is not None and nxt.head.i == verb.i and nxt.dep_ == "prt":
            end = nxt.i  # "pointed out", "spelled out": the particle is part of the verb
            nxt = self.doc[end + 1] if end + 1 < len(self.doc) else None
        if cue_end is None and end == verb.i and nxt is not None and nxt.head.i == verb.i and _day(nxt):
            end = nxt.i  # "said Sunday"
        if end + 1 < len(self.doc) and self.doc[end + 1].text == ":":
            end += 1
        return (self.doc[start].idx, self.doc[end].idx + len(self.doc[end]))

    def _clause_span(self, head: Token) -> tuple[int, int]:
        return self._extend_to_quotes(*self._trim(head.left_edge.i, head.right_edge.i))

    def _trim(self, first: int, last: int, keep_comma: bool = False) -> tuple[int, int]:
        """Char span of tokens first..last without loose punctuation at the edges (the marks of a
        quotation and balanced brackets stay); with ``keep_comma`` a comma closing an appositive stays
        ("Matt Borges, party chairman,")."""
        doc = self.doc
        while first < last and self._loose(doc[first], first, last, left=True):
            first += 1
        while last > first and self._loose(doc[last], first, last, left=False):
            last -= 1
        end = doc[last].idx + len(doc[last])
        closes_appositive = last + 1 < len(doc) and doc[last + 1].text == ","
        if keep_comma and closes_appositive and any(t.text == "," for t in doc[first : last + 1]):
            end = doc[last + 1].idx + 1
        return (doc[first].idx, end)

    def _loose(self, tok: Token, first: int, last: int, left: bool) -> bool:
        """Punctuation that hangs at the edge of a span without belonging to it."""
        if tok.is_space or tok.text in _LOOSE:
            return True
        if tok.is_quote:
            return not self._starts_quote(tok) if left else not self._ends_quote(tok)
        if tok.text in "([{":
            return left and not any(t.text in ")]}" for t in self.doc[first : last + 1])
        if tok.text in ")]}":
            return not left and not any(t.text in "([{" for t in self.doc[first : last + 1])
        return False

    def _minus(self, head: Token, cut: Token) -> list[tuple[int, int]]:
        return self._minus_range(head, range(cut.left_edge.i, cut.right_edge.i + 1))

    def _minus_range(self, head: Token, cut: range) -> list[tuple[int, int]]:
        """The head's subtree without the tokens of ``cut``: one or two fragments."""
        out = []
        lo, hi = head.left_edge.i, head.right_edge.i
        for a, b in ((lo, cut.start - 1), (cut.stop, hi)):
            a, b = max(a, lo), min(b, hi)
            if a <= b and not all(self._loose(t, a, b, left=True) for t in self.doc[a : b + 1]):
                out.append(self._extend_to_quotes(*self._trim(a, b)))
        return out

    def _extend_to_quotes(self, start: int, end: int) -> tuple[int, int]:
        """A content span that cuts a quotation in two grows to take the whole quotation (a quotation
        that holds the whole span, as in a nested attribution, leaves it alone)."""
        for s, e in self.all_quote_parts:
            if s < end and e > start and not (s <= start and end <= e):
                start, end = min(start, s), max(end, e)
        return (start, end)

    def _is_quote(self, start: int, end: int) -> bool:
        return self.quote_index.holds(start, end)

    def _overlaps_quote(self, start: int, end: int) -> bool:
        return self.quote_index.overlaps(start, end)

    def _phrase_at(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        first = self.doc[i].lower_
        for p in phrases:
            if p[0] != first:
                continue
            if tuple(t.lower_ for t in self.doc[i : i + len(p)]) == p:
                return p
        return None

    def _token_at_or_after(self, char: int) -> Token | None:
        for tok in self.doc[self._tok_index(char) :]:
            if tok.idx >= char:
                return None if tok.is_space and "\n" in tok.text else tok
        return None

    def _token_before(self, char: int) -> Token | None:
        i = self._tok_index(char)
        while i >= 0 and (i >= len(self.doc) or self.doc[i].idx >= char or self.doc[i].is_space):
            i -= 1
        return self.doc[i] if i >= 0 else None

    def _tok_index(self, char: int) -> int:
        starts = self._starts()
        return max(0, bisect_right(starts, char) - 1)

    def _starts(self) -> list[int]:
        if not hasattr(self, "_tok_starts"):
            self._tok_starts = [t.idx for t in self.doc]
        return self._tok_starts

    def _starts_quote(self, tok: Token) -> bool:
        return tok.idx in self.quote_starts

    def _ends_quote(self, tok: Token) -> bool:
        return tok.idx + len(tok) in self.quote_ends

    def _sentence_end_char(self, tok: Token) -> int:
        return tok.sent.end_char


# What the parser hangs on the verb when it took a reported clause's subject for the verb's object.
_CLAUSE_TAIL = ("ccomp", "conj", "parataxis", "xcomp", "advcl", "dep")
_POSS_PRONOUNS = frozenset(("his", "her", "its", "their", "our", "my", "your"))


def _path(tok: Token, top: Token) -> list[Token]:
    """The heads between ``tok`` and its ancestor ``top`` (neither included)."""
    out = []
    while tok.head != tok and tok.head.i != top.i:
        tok = tok.head
        out.append(tok)
    return out


_PEOPLE = frozenset(("PERSON", "ORG", "NORP", "GPE"))


def _holder(prep: Token, obj: Token) -> bool:
    """ "the hopes of voters", "comments to reporters": the people after "of" or "to" hold the stance or
    hear it; they are not what it is about."""
    return prep.lower_ in ("of", "to") and (obj.ent_type_ in _PEOPLE or obj.pos_ == "PRON")


def _day(tok: Token) -> bool:
    """A one-word date right after a cue verb ("said Sunday", "wrote recently")."""
    return (tok.ent_type_ == "DATE" and tok.dep_ == "npadvmod" and tok.ent_iob_ == "B") or (
        tok.dep_ == "advmod" and tok.lower_ in ("recently", "repeatedly", "earlier", "later")
    )


def _finite(verb: Token) -> bool:
    """A finite verb ("have said", "says"): with a content but no subject the parser could place ("In addition
    to Mr. Regalado, two members of Congress have said they ..."), it still reports; an infinitive,
    imperative or bare participle ("to say", "Say what you will", "saying") may report nothing."""
    return verb.tag_ not in ("VB", "VBG")


def _do_support(tok: Token) -> bool:
    """ "doesn't want", "did he know": a stance held (negated or asked about), unlike "would endorse"."""
    return any(c.dep_ == "aux" and c.lemma_.lower() == "do" for c in tok.children)


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _that_clause(tok: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)


def _has_clause(head: Token) -> bool:
    return any(c.dep_ in ("ccomp", "nsubj") for c in head.subtree if c is not head)


def _descends(tok: Token, ancestor: Token) -> bool:
    return tok.i == ancestor.i or ancestor in tok.ancestors


# ---------------------------------------------------------------------------------------------------
# Nesting and conversion


def _ancestor(parent: dict[int, int], i: int, j: int) -> bool:
    """Whether ``i`` is ``j`` or one of the attributions that relay ``j``."""
    seen = set()
    while j not in seen:
        if j == i:
            return True
        seen.add(j)
        if j not in parent:
            return False
        j = parent[j]
    return True


def _nest(doc: Doc, drafts: list[_Draft]) -> list[Attribution]:
    """An attribution whose cue lies in the content of another is relayed by it (its ``via``)."""
    # A sweep over the cues in text order with the content parts open at each cue: comparing every pair of
    # drafts made an article with thousands of attributions take minutes.
    sizes = [sum(e - s for s, e in d.content) for d in drafts]
    parts = sorted((s, e, j) for j, d in enumerate(drafts) for s, e in d.content)
    open_parts: list[tuple[int, int]] = []  # (end, draft) of the parts begun before the current cue
    k = 0
    parent: dict[int, int] = {}
    for i in sorted(range(len(drafts)), key=lambda i: drafts[i].cue):
        cue_start, cue_end = drafts[i].cue
        while k < len(parts) and parts[k][0] <= cue_start:
            heapq.heappush(open_parts, (parts[k][1], parts[k][2]))
            k += 1
        while open_parts and open_parts[0][0] < cue_start:
            heapq.heappop(open_parts)  # ended before this cue, so before every later one
        around = [(sizes[j], j) for e, j in open_parts if j != i and cue_end <= e]
        if around:
            best = min(around)[1]
            if not _ancestor(parent, i, best):
                parent[i] = best  # (a cycle, each cue inside the other's content, would lose both)
    children: dict[int, list[int]] = {}
    for i, j in sorted(parent.items()):
        children.setdefault(j, []).append(i)
    sent_starts = [s.start_char for s in doc.sents]
    text = doc.text  # Doc.text is rebuilt from the tokens on every access
    memo: dict[int, Attribution] = {}

    def build(i: int) -> Attribution:
        if i not in memo:
            d = drafts[i]
            memo[i] = _convert(text, d, sent_starts, [build(j) for j in children.get(i, [])])
        return memo[i]

    return [build(i) for i in range(len(drafts)) if i not in parent]


def _convert(text: str, d: _Draft, sent_starts: list[int], nested: list[Attribution]) -> Attribution:

    def span(s: int, e: int) -> Span:
        return Span(s, e, text[s:e])

    parts = tuple(span(s, e) for s, e in sorted(set(d.content)))
    content = span(parts[0].start, parts[-1].end) if parts else None
    via = [_convert(text, v, sent_starts, []) for v in d.via] + nested
    return Attribution(
        source=span(*d.source) if d.source else None,
        cue=span(*d.cue),
        content=content,
        kind=d.kind,
        via=via,
        sentence=max(0, bisect_right(sent_starts, min([d.cue[0], *(s for s, _ in d.content)])) - 1),
        content_parts=parts,
    )
