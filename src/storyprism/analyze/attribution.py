"""Attributions: who says what, citing whom.

Rules over spaCy's dependency parse plus the cue lists in ``data/attribution.toml``; no trained model.

Passes over one parsed document, in this order (a cue word is used by one pass only):

1. quotations -- a quoted stretch with a reporting verb right after it (``"...," the source said``) or
   right before it (``The source said: "..."``); a quote split by the cue (``"A," he said, "B."``) and
   quotes that go on right after an attributed one (``"A," said X. "B."``) join the same attribution;
2. reporting and internal-state verbs with a clause, an infinitive or (for some) an object as content
   (``X said that ...``, ``X believes ...``, ``X vowed to ...``, ``X denied the report``), and verbs
   inserted as a parenthetical (``The plan, he said, will fail``);
3. ``according to X`` (the rest of the clause is the content);
4. ``citing X`` (X is a further origin of the content of the verb it hangs on);
5. ``reportedly`` and impersonal passives (``it was reported that``): content without a source.

Then attributions found inside the content of another become its ``via`` (the chain of origins).

**Chain order**: a top-level attribution is the outermost credit, the one the article itself makes;
its ``via`` lists the attributions it relays, outer to inner. "AFP reported, citing a diplomatic source
in Damascus, that ..." gives ``Attribution(source=AFP, cue=reported, via=[Attribution(source=a
diplomatic source in Damascus, cue=citing, content=<the same content>)])``; "A source said ..., according
to AFP" gives ``Attribution(source=AFP, cue=according to, via=[Attribution(source=A source, cue=said)])``.

Span conventions (they follow the PolNeAR/PARC annotation): content keeps its quote marks; indirect
content keeps its "that"; the cue keeps its auxiliaries and adverbs ("has also said"), a channel
("said in a statement") and a colon right after it ("said:"); the source is the whole subject phrase,
appositives included.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyprism import lexicons
from storyprism.analyze.attribution_quotes import Quote, find_quotes

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


@lexicons.per_data
def cue_table() -> CueTable:
    data = lexicons.load("attribution")
    verbs, phrases = data["verbs"], data["phrases"]
    return CueTable(
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
# A line opening with one to four capitalised words and a colon ("Gingrich: ...", "NY Daily News: ...").
_COLON_LINE = re.compile(r"\s*((?:[A-Z][\w.'’-]*\s?){1,4}):\s+\S")
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
        quotes = [q for q in find_quotes(doc.text) if not q.scare]
        self.quotes = [q for q in quotes if not q.nested]  # the ones a cue can introduce
        self.all_quote_parts = [p for q in quotes for p in q.parts]
        self.by_cue: dict[int, _Draft] = {}

    def run(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        drafts += self._quote_pass()
        drafts += self._verb_pass()
        drafts += self._according_pass()
        drafts += self._citing_pass()
        drafts += self._adverb_pass()
        drafts += self._colon_pass()
        return sorted(drafts, key=lambda d: d.cue)

    # -- pass 1: quotations --------------------------------------------------------------------------

    def _quote_pass(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        last: _Draft | None = None
        last_end = -1  # end of the sentence that held the last quote attribution
        for q in self.quotes:
            parts = list(q.parts)
            cue = self._cue_after(q)
            if cue is None:
                cue = self._cue_before(q)
            if cue is None:
                # "A," said X. "B." -- a quote right after an attributed one, in the same paragraph or
                # in the next one when the previous was introduced by a colon, continues it.
                gap = self.text[last_end : q.start] if last is not None and q.start >= last_end else None
                if last is not None and gap is not None and not gap.strip() and ("\n" not in gap or last.colon):
                    last.content += parts
                    last_end = q.end
                continue
            if cue.i in self.by_cue:  # the second half of "A," he said, "B."
                d = self.by_cue[cue.i]
                d.content += parts
            else:
                d = self._draft(cue, parts, "direct")
                d.colon = self.text[d.cue[1] - 1] == ":"
                drafts.append(d)
            last = d
            last_end = max(q.end, self._sentence_end_char(cue))
        for d in drafts:
            d.kind = "direct" if all(self._is_quote(s, e) for s, e in d.content) else "mixed"
        return drafts

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
                has_subject = any(c.dep_ in _SUBJECTS and c in window for c in tok.children)
                if has_subject and all(t.is_punct or _descends(t, tok) for t in window[:k]):
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
            if self._in_quote(tok) and tok.lemma_.lower() not in self.table.speech:
                continue  # "I think", "we want" inside a quotation: the quoted speaker's own words
            if tok.tag_ == "VB" and tok.lemma_.lower() not in self.table.speech:
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
            if d.source is None and not self._impersonal(tok):
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
        lemma = verb.lemma_.lower()
        preps = t.prepositional.get(lemma)
        if preps:
            found = self._prepositional(verb, preps)
            if found:
                return found
        if not (lemma in t.speech or lemma in t.internal or lemma in t.stance):
            return None
        for child in verb.children:
            if child.dep_ == "ccomp" and (child.i > verb.i or self._left_clause(child, verb)):
                return [self._clause_span(child)], None
        for child in verb.children:
            # "said legalizing it could put ...": the parser hangs the clause on a gerund (xcomp).
            gerund = child.dep_ == "xcomp" and child.i > verb.i and child.tag_ == "VBG"
            if gerund and (lemma in t.speech or lemma in t.internal) and _has_clause(child):
                return [self._clause_span(child)], None
        if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
            parts = self._minus(verb.head, verb)
            return (parts, None) if parts else None
        if lemma in t.takes_infinitive:
            for child in verb.children:
                if child.dep_ == "xcomp" and child.i > verb.i and any(c.dep_ == "aux" for c in child.children):
                    return [self._clause_span(child)], None
        if lemma in t.takes_object:
            objs = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "ccomp", "xcomp") and c.i > verb.i]
            if objs and objs[0].dep_ == "dobj":
                first, last = min(o.left_edge.i for o in objs), max(o.right_edge.i for o in objs)
                return [self._extend_to_quotes(*self._trim(first, last))], None
        return None

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
        lemma = verb.lemma_.lower()
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if not (lemma in self.table.raising or (passive and lemma in self.table.passive_raising)):
            return []
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        comp = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.i > verb.i), None)
        if subj is None or comp is None or subj.lower_ == "it" or subj.tag_ in ("WDT", "WP"):
            return []
        return [self._trim(subj.left_edge.i, subj.right_edge.i), self._clause_span(comp)]

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
            if name is None or not all(t.pos_ == "PROPN" or t.is_upper or t.is_punct for t in name):
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
        lemma = tok.lemma_.lower()
        return lemma in self.table.speech or lemma in self.table.internal

    def _in_quote(self, tok: Token) -> bool:
        return self._is_quote(tok.idx, tok.idx + len(tok)) and not self._starts_quote(tok)

    def _impersonal(self, verb: Token) -> bool:
        """ "It was reported that ...", "It is believed ...": a passive with a dummy subject."""
        return any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in verb.children)

    def _subject(self, verb: Token) -> Token | None:
        """The speaker: the verb's subject, the agent of a passive, or the subject of the verb it is
        coordinated with or hangs on ("He called it X and said ...", "..., adding that ...")."""
        seen = 0
        while seen < 4:
            for c in verb.children:
                if c.dep_ in _SUBJECTS:
                    return None if c.dep_ == "nsubjpass" else c
                if c.dep_ == "agent":
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    return objs[0] if objs else None
            if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head != verb and verb.head.pos_ in ("VERB", "AUX"):
                if verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN"):
                    return None
                verb = verb.head
                seen += 1
                continue
            if (
                verb.dep_ in ("relcl", "acl")
                and verb.tag_ == "VBG"
                and (verb.head.ent_type_ or verb.head.pos_ == "PROPN")
            ):
                return verb.head  # "Reuters, saying ..." (a name modified by a participle)
            return None
        return None

    def _source(self, verb: Token) -> tuple[int, int] | None:
        subj = self._subject(verb)
        if subj is None or (subj.lower_ == "it" and self._impersonal(verb)):
            return None
        if subj.dep_ in ("relcl", "acl") or (subj.i == verb.head.i and verb.dep_ in ("relcl", "acl")):
            return self._trim(subj.i, subj.i, keep_comma=False)
        return self._trim(subj.left_edge.i, subj.right_edge.i, keep_comma=True)

    def _cue_span(self, verb: Token, cue_end: int | None = None) -> tuple[int, int]:
        """The verb group: auxiliaries and adverbs right before it, a channel ("in a statement") and a
        colon right after it; for a prepositional verb, up to its preposition (``cue_end``)."""
        start = verb.i
        while start > 0:
            prev = self.doc[start - 1]
            if prev.head.i == verb.i and prev.dep_ in _CUE_PREFIX_DEPS and prev.pos_ != "PUNCT":
                start -= 1
            else:
                break
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
        return any(s <= start and end <= e for q in self.quotes for s, e in q.parts)

    def _overlaps_quote(self, start: int, end: int) -> bool:
        return any(s < end and e > start for q in self.quotes for s, e in q.parts)

    def _phrase_at(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        for p in phrases:
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
        return any(q.start == tok.idx for q in self.quotes)

    def _ends_quote(self, tok: Token) -> bool:
        return any(q.end == tok.idx + len(tok) for q in self.quotes)

    def _sentence_end_char(self, tok: Token) -> int:
        return tok.sent.end_char


def _has_clause(head: Token) -> bool:
    return any(c.dep_ in ("ccomp", "nsubj") for c in head.subtree if c is not head)


def _descends(tok: Token, ancestor: Token) -> bool:
    return tok.i == ancestor.i or ancestor in tok.ancestors


# ---------------------------------------------------------------------------------------------------
# Nesting and conversion


def _nest(doc: Doc, drafts: list[_Draft]) -> list[Attribution]:
    """An attribution whose cue lies in the content of another is relayed by it (its ``via``)."""
    parent: dict[int, int] = {}
    for i, inner in enumerate(drafts):
        best = None
        for j, outer in enumerate(drafts):
            if i == j or not any(s <= inner.cue[0] and inner.cue[1] <= e for s, e in outer.content):
                continue
            size = sum(e - s for s, e in outer.content)
            if best is None or size < best[0]:
                best = (size, j)
        if best is not None:
            parent[i] = best[1]
    sent_starts = [s.start_char for s in doc.sents]
    memo: dict[int, Attribution] = {}

    def build(i: int) -> Attribution:
        if i not in memo:
            d = drafts[i]
            children = [build(j) for j in range(len(drafts)) if parent.get(j) == i]
            memo[i] = _convert(doc, d, sent_starts, children)
        return memo[i]

    return [build(i) for i in range(len(drafts)) if i not in parent]


def _convert(doc: Doc, d: _Draft, sent_starts: list[int], nested: list[Attribution]) -> Attribution:
    text = doc.text

    def span(s: int, e: int) -> Span:
        return Span(s, e, text[s:e])

    parts = tuple(span(s, e) for s, e in sorted(set(d.content)))
    content = span(parts[0].start, parts[-1].end) if parts else None
    via = [_convert(doc, v, sent_starts, []) for v in d.via] + nested
    return Attribution(
        source=span(*d.source) if d.source else None,
        cue=span(*d.cue),
        content=content,
        kind=d.kind,
        via=via,
        sentence=max(0, bisect_right(sent_starts, min([d.cue[0], *(s for s, _ in d.content)])) - 1),
        content_parts=parts,
    )
