"""Entities with canonical names: who and what an article names, under every spelling and label it uses.

One article (:func:`find_entities`) takes spaCy's named entities, adds the names the small model misses or
mislabels (transliterated names with al-/el-/bin particles, the lexicon's designations, known places, short
and quoted repeats of names already found), folds spellings with :func:`~storyprism.analyze.names.name_key`,
resolves short names ("Sharaa", "Bashar") and acronyms ("HTS") to the one full name they fit, and resolves
designations ("the Jewish entity", "the transitional administration", "Washington said") through
``data/designations.toml`` and its context conditions. One story (:func:`merge_entities`) joins keys across
articles the same way. Nothing here parses: the analyze stage passes the spaCy ``Doc`` in.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyprism.analyze.entities_lexicon import Designation, EntityLexicon, entity_lexicon, is_acronym, label_fold
from storyprism.analyze.names import ARTICLES, fold, name_key, name_words, title_prefix_length, title_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["Entity", "Mention", "find_entities", "merge_entities", "name_key"]

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
UNRESOLVED = "UNRESOLVED"
_TYPE_ORDER = ("PERSON", "GROUP", "ORG", "GPE", "LOC", "NORP", "FAC")
_QUOTES = "\"'“”‘’«»`[]()"
_CAP = r"[A-Z\u00C0-\u00DE][\w'’\u00C0-\u024F]*"
_PARTICLE = r"(?:[Aa]l|[Ee]l|[Aa]d|[Aa]s|[Aa]sh|[Aa]t|[Aa]th|[Aa]n|[Aa]r|[Aa]z)-"
# A name that carries an Arabic article or a bin/ibn/abu link: the small English model often misses or
# mislabels these ("Hay'at Tahrir al-Sham" as PERSON, "al-Sharaa" as ORG), so they are found by shape.
_PARTICLE_NAME = re.compile(
    rf"(?<![\w'’-])(?:{_CAP}\s+){{0,3}}"
    rf"(?:{_PARTICLE}{_CAP}|(?:bin|ibn|bint|Bin|Ibn|Abu|abu|Abou|Abd)\s+(?:{_PARTICLE})?{_CAP})"
    rf"(?:\s+(?:{_PARTICLE})?{_CAP})*(?![\w-])"
)
_WORD = re.compile(r"[\w'’.-]+|,")
_ORG_WORDS_TEXT = """front movement party army forces force brigade brigades council committee ministry agency network
union organisation organization group office authority commission court hospital university bank company corporation
institute foundation league coalition alliance government administration"""
_ORG_WORDS = frozenset(_ORG_WORDS_TEXT.split())
_STOP_INITIALS = frozenset({"of", "the", "and", "for", "in", "on", "de", "la", "&"})


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    """Character span in the Doc's text (quote marks and possessive 's outside it)."""
    sentence: int
    """0-based index of the sentence (spaCy's sentence segmentation)."""
    kind: str
    """name | designation | short (a short form resolved to a full name) | acronym"""


@dataclass
class Entity:
    canonical: str
    """The fullest, most frequent spelling; for a designation resolved to an actor, the actor's canonical name."""
    type: str
    """PERSON | ORG | GPE | LOC | NORP | FAC | GROUP | EVENT | UNRESOLVED (a designation context cannot decide)"""
    key: str
    """The transliteration-folded matching key (name_key), stable across articles; "?..." for unresolved labels."""
    mentions: list[Mention]
    designations: list[str]
    """The labels used for it in this article ("the Jewish entity", "interim President"), each also a Mention."""
    notes: dict[str, str] = field(default_factory=dict)
    """Designation -> its lexicon note (who uses it, connotation), for the labels that have one."""


@dataclass
class _Cand:
    start: int
    end: int
    label: str | None
    source: str
    """ner | pattern | scan | place | lex | title"""
    entries: tuple[Designation, ...] = ()
    kind: str = "name"


@dataclass
class _Group:
    key: str
    cands: list[_Cand] = field(default_factory=list)
    actor: Designation | None = None
    kinds: dict[int, str] = field(default_factory=dict)
    """id(cand) -> mention kind, for candidates merged in as short forms or acronyms."""
    type: str = ""
    fallback: str = ""
    """The name to show when the group holds no name mention (a metonym's place)."""

    @property
    def tokens(self) -> list[str]:
        return self.key.split()


def find_entities(doc: Doc, *, published: str | None = None, lexicon: EntityLexicon | None = None) -> list[Entity]:
    """The entities of one parsed article, in order of first mention.

    ``published`` (ISO date) lets date-bound designations resolve ("the regime" in a Syrian text before or after
    8 December 2024); without it they stay unresolved. ``lexicon`` defaults to the bundled designations merged
    with the user's data folders.
    """
    lex = lexicon or entity_lexicon()
    text = doc.text
    lex_cands = _lexicon_candidates(text, lex)
    name_cands = _ner_candidates(doc) + _pattern_candidates(doc)
    accepted = _resolve_overlaps(lex_cands + name_cands)
    titles: list[_Cand] = []
    names: list[_Cand] = []
    for cand in accepted:
        if cand.source == "lex" or _is_noise(doc, text, cand):
            continue
        title = _strip_title(text, cand)
        if cand.end > cand.start:
            names.append(cand)
            if title is not None:
                titles.append(title)
                if title.kind == "office" and cand.label in (None, "ORG"):
                    cand.label = "PERSON"  # an office title before a name says it is a person
    lex_accepted = [c for c in accepted if c.source == "lex"]
    names += _scan_candidates(text, names, lex_accepted + titles, lex)
    groups = _group(text, names)
    _resolve_short_names(groups, lex)
    _resolve_acronyms(text, groups)
    for group in groups.values():
        if group.key in lex.places and group.type not in ("GPE", "LOC"):
            group.type = "GPE"  # "Quneitra" tagged PERSON by the small model
    _resolve_designations(doc, lex_accepted, groups, published, lex)
    _attach_titles(text, titles, names, groups)
    sentences = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    return _entities(text, groups, sentences)


# ---------------------------------------------------------------- candidates


def _lexicon_candidates(text: str, lex: EntityLexicon) -> list[_Cand]:
    if lex.pattern is None:
        return []
    out = []
    for match in lex.pattern.finditer(text):
        if match.group("ci") and match.group().isupper() and not any(lb.isupper() for lb in _labels(lex, match)):
            continue  # "VELMORA (VTA) -": a shouted dateline or headline, not a use of the label
        entries = lex.entries_for(match.group())
        following = re.match(r"\s+([\w-]+)", text[match.end() : match.end() + 30])
        next_word = following.group(1).lower() if following else ""
        entries = tuple(e for e in entries if next_word not in e.not_followed_by)
        if entries:
            out.append(_Cand(match.start(), match.end(), None, "lex", entries))
    return out


def _labels(lex: EntityLexicon, match: re.Match[str]) -> list[str]:
    return [lb for e in lex.entries_for(match.group()) for lb in e.labels]


def _ner_candidates(doc: Doc) -> list[_Cand]:
    out = []
    text = doc.text  # Doc.text joins every token on each access: read it once
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        start, end = _clean_span(text, ent.start_char, ent.end_char)
        if end - start >= 2 and any(c.isupper() for c in text[start:end]):
            out.append(_Cand(start, end, ent.label_, "ner"))
    return out


def _pattern_candidates(doc: Doc) -> list[_Cand]:
    out = []
    text = doc.text
    for match in _PARTICLE_NAME.finditer(text):
        start, end = _clean_span(text, match.start(), match.end())
        start = _drop_leading_common_words(doc, start, end)
        if end > start:
            out.append(_Cand(start, end, None, "pattern"))
    return out


def _drop_leading_common_words(doc: Doc, start: int, end: int) -> int:
    """Skip capitalised words before a particle name that are not names or titles ("Yesterday Ahmad al-X")."""
    table = title_table()
    while True:
        word = re.match(r"[\w'’.]+\s+", doc.text[start:end])  # rare: only before particle names
        if word is None:
            return start
        token = doc.char_span(start, start + len(word.group().rstrip()), alignment_mode="expand")
        is_name = token is not None and all(t.pos_ == "PROPN" for t in token)
        if is_name or table.kind(fold(word.group().strip()).rstrip(".")) is not None:
            return start
        start += len(word.group())


def _is_noise(doc: Doc, text: str, cand: _Cand) -> bool:
    """NER spans that name nobody: a title alone ("Petty Officer"), or a capitalised common word at the start
    of a sentence ("Mosques", "Deadliest")."""
    words = [fold(w).rstrip(".") for w in text[cand.start : cand.end].split()]
    table = title_table()
    if (words and all(table.kind(w) is not None for w in words)) or table.kind(" ".join(words)) is not None:
        return True
    if cand.source != "ner" or len(words) != 1:
        return False
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    return span is not None and span[0].is_sent_start and span[0].pos_ != "PROPN"


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim quotes, brackets, a possessive 's and a leading "the" so the span holds the name only."""
    while True:
        before = (start, end)
        while start < end and (text[start] in _QUOTES or text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in _QUOTES or text[end - 1] in ".,;:!?" or text[end - 1].isspace()):
            if text[end - 1] in "'’" and end - 2 >= start and text[end - 2] == "s":
                end -= 1  # "Israel's'" style trailing possessive handled below
                continue
            end -= 1
        possessive = re.search(r"['’]s$", text[start:end])
        if possessive:
            end -= 2
        if re.match(r"(?i)the\s+", text[start:end]):
            start += len(re.match(r"(?i)the\s+", text[start:end]).group())
        if (start, end) == before:
            return start, end


def _resolve_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Longest span wins; at equal length the lexicon, then the particle pattern, then NER."""
    priority = {"lex": 0, "pattern": 1, "ner": 2}
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), priority.get(c.source, 3), c.start))
    taken: set[int] = set()  # characters already named: entity spans are short, so this stays linear
    accepted = []
    for cand in ordered:
        if any(c in taken for c in range(cand.start, cand.end)):
            continue
        taken.update(range(cand.start, cand.end))
        accepted.append(cand)
    return sorted(accepted, key=lambda c: c.start)


def _strip_title(text: str, cand: _Cand) -> _Cand | None:
    """Cut a title off the name ("Zeyn Governor Rashed al-Hamdani") or find one just before it ("Syria's
    interim President", "the tyrant"); the name candidate shrinks to the name, the title is returned."""
    table = title_table()
    spans = [
        (m.start() + cand.start, m.end() + cand.start) for m in re.finditer(r"[^\s]+", text[cand.start : cand.end])
    ]
    words = [fold(text[s:e]).rstrip(".") for s, e in spans]
    cut = title_prefix_length(words, table)
    if cut and not _person_like(cand.label, words[cut:]):
        cut = 0  # "Justice Ministry", "General Hospital": the title word belongs to an organisation's name
    title_start = title_end = None
    if cut:
        title_start, title_end = spans[0][0], spans[cut - 1][1]
        cand.start = spans[cut][0]
    left = _title_before(text, title_start if title_start is not None else cand.start, has_title=bool(cut))
    left = left if cut or _person_like(cand.label, words) else None
    if left is not None:
        title_start = left[0]
        title_end = title_end if title_end is not None else left[1]
    if title_start is None or title_end is None:
        return None
    phrase = [fold(w).rstrip(".") for w in re.findall(r"[\w'’.-]+", text[title_start:title_end])]
    if any(table.kind(w) == "pejorative" for w in phrase) or table.kind(" ".join(phrase)) == "pejorative":
        return _Cand(title_start, cand.end, None, "title", kind="pejorative")
    if all(table.kind(w) in ("honorific", None) for w in phrase if w != "the") and not any(
        table.kind(w) == "office" for w in phrase
    ):
        return None  # "Dr", "Sheikh": courtesy, not a label
    return _Cand(title_start, title_end, None, "title", kind="office")


def _person_like(label: str | None, words: list[str]) -> bool:
    """Whether a name may carry a person's title: NER says PERSON (or nothing), or, since the small model
    often tags transliterated names ORG ("Hisham Ayoub"), two or three words with no organisation word."""
    if label in (None, "PERSON"):
        return True
    return label == "ORG" and 2 <= len(words) <= 3 and not set(words) & _ORG_WORDS


def _title_before(text: str, start: int, *, has_title: bool = False) -> tuple[int, int] | None:
    """The title phrase right before a name (or before "TITLE, NAME"), as a span, or None."""
    table = title_table()
    window_start = max(0, start - 90)
    tokens = [
        (m.start() + window_start, m.end() + window_start, m.group()) for m in _WORD.finditer(text[window_start:start])
    ]
    if tokens and re.search(r"\S", text[tokens[-1][1] : start]):
        return None  # something other than spaces between the last word and the name
    accepted: list[tuple[int, int, str]] = []
    continued = has_title  # extending a title found inside the name span ("Syrian" + "Interim President")
    i = len(tokens) - 1
    if tokens and tokens[-1][2] == "," and not continued:
        i -= 1  # "Syria's interim president, Ahmad al-Sharaa"
    while i >= 0:
        _, e, word = tokens[i]
        if word == "," or "\n" in text[e : (accepted[0][0] if accepted else start)]:
            break
        if word.endswith(".") and table.kind(fold(word).rstrip(".")) is None:
            break  # the end of the previous sentence ("in December. Syria's interim President ...")
        size, kind = _title_ending_at(tokens, i, table)
        if kind in ("office", "honorific", "pejorative"):
            accepted[:0] = tokens[i - size + 1 : i + 1]
            has_title = True
            i -= size
            continue
        low = fold(word).rstrip(".")
        if kind == "qualifier" or (has_title and word[:1].isupper() and _qualifies(word)):
            accepted.insert(0, tokens[i])
            i -= 1
            continue
        if low == "the" and accepted:
            accepted.insert(0, tokens[i])
        break
    if not accepted or not has_title:
        return None
    if continued:
        return accepted[0][0], accepted[-1][1]
    if tokens and tokens[-1][2] == "," and (not accepted or accepted[-1][1] != tokens[-2][1]):
        return None  # the word before the comma is no title: a list, not an apposition
    return accepted[0][0], accepted[-1][1]


def _title_ending_at(tokens: list[tuple[int, int, str]], i: int, table) -> tuple[int, str | None]:
    for size in range(min(table.longest, i + 1), 0, -1):
        phrase = " ".join(fold(t[2]).rstrip(".") for t in tokens[i - size + 1 : i + 1])
        kind = table.kind(phrase)
        if kind is not None:
            return size, kind
    return 0, None


def _qualifies(word: str) -> bool:
    """A capitalised word that can stand before a title: a demonym, a possessive, a place ("Syrian",
    "Syria's", "Zeyn", "US")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return word.isupper() or (word[:1].isupper() and word.lower() not in STOP_WORDS)


def _scan_candidates(text: str, names: list[_Cand], taken: list[_Cand], lex: EntityLexicon) -> list[_Cand]:
    """Further occurrences of the names already found (and of known places) that NER missed: repeats, quoted
    forms ('Israel'), and the surname or given name of a person found in full ("Sharaa", "Bashar")."""
    forms: dict[str, str | None] = {}
    for cand in names:
        surface = text[cand.start : cand.end]
        forms.setdefault(surface, None)
        parts = surface.split()
        if len(parts) >= 2 and cand.label in (None, "PERSON") and parts[-1][:1].isupper():
            for part in (parts[0], parts[-1]):
                bare = re.sub(rf"^{_PARTICLE}", "", part)
                if _usable_part(bare):
                    forms.setdefault(bare, None)
                    if bare != part:
                        forms.setdefault(part, None)
    for place in lex.place_names:
        forms.setdefault(place, "GPE")
    if not forms:
        return []
    spans = sorted((c.start, c.end) for c in [*names, *taken])
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w-])"
    )
    out = []
    for match in pattern.finditer(text):
        i = bisect.bisect_right(spans, (match.start(), 10**12)) - 1
        if any(s < match.end() and match.start() < e for s, e in spans[max(0, i - 1) : i + 2]):
            continue
        source = "place" if forms[match.group()] == "GPE" else "scan"
        out.append(_Cand(match.start(), match.end(), forms[match.group()], source))
    return out


def _usable_part(word: str) -> bool:
    """A word of a full name that may stand alone for it: capitalised, not a title, not a function word."""
    from spacy.lang.en.stop_words import STOP_WORDS

    low = word.lower()
    return len(word) >= 3 and word[:1].isupper() and low not in STOP_WORDS and title_table().kind(fold(word)) is None


# ---------------------------------------------------------------- grouping and resolution


def _group(text: str, names: list[_Cand]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for cand in sorted(names, key=lambda c: c.start):
        key = name_key(text[cand.start : cand.end])
        if key:
            groups.setdefault(key, _Group(key)).cands.append(cand)
    for group in groups.values():
        group.type = _vote(text, group)
    return groups


def _vote(text: str, group: _Group) -> str:
    votes: Counter[str] = Counter()
    for cand in group.cands:
        if cand.label:
            votes[cand.label] += 1 if cand.source != "place" else 3
        elif cand.source == "pattern":
            words = {w.lower() for w in text[cand.start : cand.end].split()}
            votes["ORG" if words & _ORG_WORDS else "PERSON"] += 1
    if not votes:
        return "PERSON" if len(group.tokens) >= 2 else "ORG"
    best = max(votes.values())
    return next(t for t in (*_TYPE_ORDER, *sorted(votes)) if votes.get(t) == best)


def _resolve_short_names(groups: dict[str, _Group], lex: EntityLexicon) -> None:
    """Join a short name ("Sharaa", "Bashar", "Mansouri") to the one person whose full name it fits; leave it
    alone when two people fit ("Assad" once Bashar and Hafez al-Assad are both named) or when it is a place.

    Each mention is decided on its own: a surname used before a second bearer of it is introduced refers to
    the one already named (news style introduces a person in full before the short form).
    """
    people = [g for g in groups.values() if g.type == "PERSON" and len(g.tokens) >= 2]
    introduced = {id(p): min(c.start for c in p.cands) for p in people}
    for short in list(groups.values()):
        if len(short.tokens) >= 3 or (short.key in lex.places and short.type != "PERSON"):
            continue
        if short.type not in ("PERSON", "ORG", "GPE", "NORP", "FAC") or (
            len(short.tokens) == 2 and short.type != "PERSON"
        ):
            continue
        fits = [p for p in people if p is not short and _fits(short.tokens, p.tokens)]
        if not fits:
            continue
        kept = []
        for cand in short.cands:
            before = [p for p in fits if introduced[id(p)] < cand.start]
            choice = before if before else fits  # a headline may use the short form before the full name
            if len(choice) == 1:
                choice[0].kinds[id(cand)] = "short"
                choice[0].cands.append(cand)
            else:
                kept.append(cand)
        short.cands = kept
        if not kept:
            del groups[short.key]


def _fits(short: list[str], full: list[str]) -> bool:
    """A short name fits a full one as its surname(s), its given name(s), or an in-order subset that keeps
    the surname ("Bashar Assad" in "Bashar Hafez Assad")."""
    if len(short) >= len(full):
        return False
    if full[-len(short) :] == short or full[: len(short)] == short:
        return True
    it = iter(full)
    return short[-1] == full[-1] and all(w in it for w in short)


def _resolve_acronyms(text: str, groups: dict[str, _Group]) -> None:
    """Join an acronym ("HTS", "VDF") to the one multi-word name in the article whose initials it spells."""
    initials: dict[str, list[_Group]] = {}
    for group in groups.values():
        surface = text[group.cands[0].start : group.cands[0].end]
        letters = _initials(surface)
        if len(letters) >= 2:
            initials.setdefault(letters, []).append(group)
    for group in list(groups.values()):
        surface = text[group.cands[0].start : group.cands[0].end]
        if not (is_acronym(surface) and 2 <= len(surface) <= 6 and surface.isalpha()):
            continue
        fits = [g for g in initials.get(surface, []) if g is not group]
        if len(fits) == 1:
            for cand in group.cands:
                fits[0].kinds[id(cand)] = "acronym"
            fits[0].cands.extend(group.cands)
            del groups[group.key]


def _initials(surface: str) -> str:
    words = [w for w in re.split(r"[\s-]+", surface) if w]
    if len(words) < 2:
        return ""
    letters = [w[0] for w in words if w.lower() not in _STOP_INITIALS and w.lower() not in ARTICLES]
    return "".join(letters) if all(c.isupper() for c in letters) else ""


def _resolve_designations(
    doc: Doc, cands: list[_Cand], groups: dict[str, _Group], published: str | None, lex: EntityLexicon
) -> None:
    """Attach each lexicon match to the one actor its entries allow in this article, to the place a metonym
    names when it is not an agent, or to an unresolved group of its own."""
    text = doc.text
    present = set(groups) | {
        name_key(e.actor) for c in cands for e in c.entries if not e.conditional and not e.agent_only
    }
    for cand in cands:
        surface = text[cand.start : cand.end]
        agent = _is_agent(doc, cand) if any(e.agent_only for e in cand.entries) else False
        passing = [e for e in cand.entries if _holds(e, published, present, text) and (agent or not e.agent_only)]
        actors = {e.actor for e in passing}
        if len(actors) == 1:
            entry = passing[0]
            kind = "acronym" if is_acronym(surface) else ("designation" if entry.kind == "designation" else "name")
            _add(groups, name_key(entry.actor), cand, kind, entry, entry.actor, entry.type)
        elif not passing and all(e.agent_only for e in cand.entries) and cand.entries[0].place:
            place = cand.entries[0].place
            _add(groups, name_key(place), cand, "name", None, place, "GPE")
        else:
            key = "?" + label_fold(surface)
            group = groups.setdefault(key, _Group(key))
            group.type = UNRESOLVED
            cand.kind = "designation"
            group.kinds[id(cand)] = "designation"
            group.cands.append(cand)


def _add(
    groups: dict[str, _Group], key: str, cand: _Cand, kind: str, entry: Designation | None, name: str, type_: str
) -> None:
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(key)
        group.type = type_
        group.fallback = name
    if entry is not None:
        group.actor = entry
        group.type = entry.type
    cand.kind = kind
    group.kinds[id(cand)] = kind
    group.cands.append(cand)


def _holds(entry: Designation, published: str | None, present: set[str], text: str) -> bool:
    """Whether the article meets an entry's context conditions (date window, an entity it must mention)."""
    if entry.valid_from or entry.valid_to:
        day = (published or "")[:10]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return False
        if entry.valid_from and day < entry.valid_from:
            return False
        if entry.valid_to and day >= entry.valid_to:
            return False
    if entry.requires_entity:
        return any(
            name_key(name) in present or re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
            for name in entry.requires_entity
        )
    return True


def _is_agent(doc: Doc, cand: _Cand) -> bool:
    """A metonym acts ("Moscow said", "Baku announces it will...", "rejected by Washington") when it is the
    subject of a verb or the agent of a passive; elsewhere ("a source in Damascus") it is the place."""
    span: Span | None = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    dep = root.dep_
    if dep == "conj" and root.head.dep_ in ("nsubj", "pobj"):
        root, dep = root.head, root.head.dep_
    if dep == "nsubj":
        return root.head.pos_ in ("VERB", "AUX")
    return dep == "pobj" and root.head.dep_ == "agent"


def _attach_titles(text: str, titles: list[_Cand], names: list[_Cand], groups: dict[str, _Group]) -> None:
    """Record each title phrase as a label of the person it stands before."""
    owner: dict[int, _Group] = {id(c): g for g in groups.values() for c in g.cands}
    by_end = sorted(names, key=lambda c: c.start)
    starts = [c.start for c in by_end]
    for title in titles:
        # the name is the first candidate starting at or after the title's end
        i = bisect.bisect_left(starts, title.end if title.kind == "office" else title.start + 1)
        if title.kind == "pejorative":
            i = next((j for j in range(len(by_end)) if by_end[j].end == title.end), len(by_end))
        if i >= len(by_end) or (by_end[i].start - title.end > 3 and title.kind == "office"):
            continue
        group = owner.get(id(by_end[i]))
        if group is None or group.type == UNRESOLVED:
            continue
        title.kind = "designation"
        group.kinds[id(title)] = "designation"
        group.cands.append(title)


# ---------------------------------------------------------------- output


def _entities(text: str, groups: dict[str, _Group], sentences: list[int]) -> list[Entity]:
    out = []
    for group in groups.values():
        cands = sorted(group.cands, key=lambda c: (c.start, c.end))
        mentions = []
        seen = set()
        for cand in cands:
            if (cand.start, cand.end) in seen:
                continue
            seen.add((cand.start, cand.end))
            kind = group.kinds.get(id(cand), cand.kind if cand.source in ("lex", "title") else "name")
            sentence = max(0, bisect.bisect_right(sentences, cand.start) - 1)
            mentions.append(Mention(text[cand.start : cand.end], cand.start, cand.end, sentence, kind))
        if not mentions:
            continue
        designations = list(dict.fromkeys(m.text for m in mentions if m.kind == "designation"))
        canonical = _canonical(group, mentions)
        notes = {}
        if group.actor is not None:
            for mention in mentions:
                entry_note = _note_for(group, mention)
                if mention.kind == "designation" and entry_note:
                    notes.setdefault(mention.text, entry_note)
        out.append(
            Entity(
                canonical=canonical,
                type=group.type,
                key=group.key if group.type == UNRESOLVED else (name_key(canonical) or group.key),
                mentions=mentions,
                designations=designations,
                notes=notes,
            )
        )
    return sorted(out, key=lambda e: e.mentions[0].start)


def _note_for(group: _Group, mention: Mention) -> str:
    actor = group.actor
    if actor is None:
        return ""
    folded = label_fold(mention.text)
    return actor.note if any(label_fold(lb) == folded for lb in actor.labels) else ""


def _canonical(group: _Group, mentions: list[Mention]) -> str:
    if group.actor is not None:
        return group.actor.actor
    if group.type == UNRESOLVED:
        return label_fold(mentions[0].text) if mentions[0].text[:1].islower() else mentions[0].text
    names = [m.text for m in mentions if m.kind in ("name", "short")]
    if not names:
        return group.fallback or mentions[0].text
    counts = Counter(names)
    first = {n: i for i, n in reversed(list(enumerate(names)))}
    return max(counts, key=lambda n: (len(name_words(n)), counts[n], n[:1].isupper(), -first[n]))


# ---------------------------------------------------------------- across articles


def merge_entities(articles: list[list[Entity]]) -> dict[str, str]:
    """Within one story: every entity key of the articles -> the canonical name of the actor it denotes.

    Keys equal across articles are one actor ("Ahmad Al-Shara" and "Ahmed al-Sharaa" both fold to
    "ahmad shara"); a short key joins the one full person name it fits in the story ("Sharaa" in one article,
    "Ahmed al-Sharaa" in another); an ambiguous short key and an unresolved designation map to themselves.
    The canonical name is the fullest, most frequent spelling across the story.
    """
    spellings: dict[str, Counter[str]] = {}
    types: dict[str, Counter[str]] = {}
    for entities in articles:
        for entity in entities:
            spellings.setdefault(entity.key, Counter())[entity.canonical] += len(entity.mentions)
            types.setdefault(entity.key, Counter())[entity.type] += len(entity.mentions)
    places = entity_lexicon().places
    kind = {k: _majority(t) for k, t in types.items()}
    people = [k for k in spellings if kind[k] == "PERSON" and len(k.split()) >= 2]
    target = {k: k for k in spellings}
    for key in spellings:
        if key.startswith("?") or len(key.split()) >= 3 or kind[key] == UNRESOLVED:
            continue
        if key in places and kind[key] != "PERSON":
            continue
        if len(key.split()) == 2 and kind[key] != "PERSON":
            continue
        fits = [p for p in people if p != key and _fits(key.split(), p.split())]
        if len(fits) == 1:
            target[key] = fits[0]
    merged: dict[str, Counter[str]] = {}
    for key, counter in spellings.items():
        merged.setdefault(target[key], Counter()).update(counter)
    canonical = {k: _best_spelling(c) for k, c in merged.items()}
    return {key: canonical[target[key]] for key in spellings}


def _majority(counter: Counter[str]) -> str:
    best = max(counter.values())
    return next(t for t in (*_TYPE_ORDER, *sorted(counter)) if counter.get(t) == best)


def _best_spelling(counter: Counter[str]) -> str:
    return max(counter, key=lambda s: (len(name_words(s)), counter[s], s[:1].isupper(), s))
