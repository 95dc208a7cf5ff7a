"""Claim vs. opinion per sentence: reported claim | opinion | quote | call to action | other.

A transparent, rule-and-lexicon classifier: every decision comes with the signals that made it, and the
subjectivity score is a weighted sum whose weights are numbers in ``data/subjectivity.toml``. Rules
decide the kinds that have a clear grammatical mark (a quotation, an imperative, "we call upon", a
verbless heading); the score separates opinion from reported claim among the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from storyprism import lexicons
from storyprism.analyze.framing import find_terms, quoted_spans, subject_of

KINDS = ("claim", "opinion", "quote", "call_to_action", "other")
# A sentence this much inside quotation marks is mainly a quotation.
QUOTE_SHARE = 0.6
# A quotation this short inside a sentence is a quoted term (a scare quote or a cited word), not speech.
SHORT_QUOTE_WORDS = 4
# Framing lexicon categories (data/framing.toml) that also count as subjective cues.
FRAMING_FEATURES = ("loaded", "moral_appeal", "religious_appeal")


@dataclass(frozen=True)
class SentenceKind:
    kind: str
    """claim | opinion | quote | call_to_action | other"""
    signals: list[str]
    """What decided it, ``name:evidence`` each: ``["quote_share:0.85", "attribution:say"]``, ``["loaded:betrayal"]``."""
    subjectivity: float
    """0..1 from the weighted cues, computed for every sentence whatever its kind."""


@dataclass(frozen=True)
class SubjectivityTable:
    weights: dict[str, float]
    threshold: float
    lexicon_min: float
    lexicon_pos: frozenset[str]
    fixed_phrases: tuple[tuple[str, ...], ...]
    """Set phrases whose words are no cue ("so far", "even though")."""
    named_types: frozenset[str]
    number_types: frozenset[str]
    date_types: frozenset[str]
    cues: dict[str, frozenset[str]]
    """Single-word cues by feature name, matched on lowercased text or lemma."""
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    """Multi-word cues by feature name ("according to", "of course")."""
    lexicon: dict[str, float]
    sentiment: dict[str, float]
    let_words: frozenset[str]
    we_verbs: frozenset[str]
    actor_pronouns: frozenset[str]
    actor_nouns: frozenset[str]
    not_imperative: frozenset[str]


@lexicons.per_data
def subjectivity_table() -> SubjectivityTable:
    data = lexicons.load("subjectivity")
    scoring, cta = data["scoring"], data["call_to_action"]
    cues: dict[str, frozenset[str]] = {}
    phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name, words in data["cues"].items():
        cues[name] = frozenset(w.lower() for w in words if " " not in w)
        phrases[name] = tuple(tuple(w.lower().split()) for w in words if " " in w)
    return SubjectivityTable(
        weights={k: float(v) for k, v in data["weights"].items()},
        threshold=float(scoring["threshold"]),
        lexicon_min=float(scoring["lexicon_min"]),
        lexicon_pos=frozenset(scoring["lexicon_pos"]),
        fixed_phrases=tuple(tuple(p.lower().split()) for p in scoring["fixed_phrases"]),
        named_types=frozenset(scoring["named_types"]),
        number_types=frozenset(scoring["number_types"]),
        date_types=frozenset(scoring["date_types"]),
        cues=cues,
        phrases=phrases,
        lexicon={k.lower(): float(v) for k, v in data["lexicon"].items()},
        sentiment={k.lower(): float(v) for k, v in data["sentiment"].items()},
        let_words=frozenset(cta["let_words"]),
        we_verbs=frozenset(cta["we_verbs"]),
        actor_pronouns=frozenset(cta["actor_pronouns"]),
        actor_nouns=frozenset(cta["actor_nouns"]),
        not_imperative=frozenset(cta["not_imperative"]),
    )


@dataclass
class _Features:
    values: dict[str, float]
    signals: list[str]

    def add(self, name: str, evidence: str, amount: float = 1.0) -> None:
        self.values[name] = self.values.get(name, 0.0) + amount
        self.signals.append(f"{name}:{evidence}")


def classify_sentence(sent: Span, *, in_quote: bool = False) -> SentenceKind:
    """The kind of one parsed sentence, with the signals that decided it.

    ``in_quote`` says the caller knows the sentence lies inside a longer quotation (one that spans
    several sentences), which a single sentence cannot see.
    """
    table = subjectivity_table()
    inside = _quoted_mask(sent)
    words = [i for i, t in enumerate(sent) if not (t.is_punct or t.is_space)]
    share = sum(inside[i] for i in words) / max(1, len(words))
    features = sentence_features(sent, inside=inside, table=table)
    subjectivity = score(features.values, table)
    signals = features.signals
    if in_quote or share >= QUOTE_SHARE:
        return SentenceKind("quote", [*_quote_signals(in_quote, share), *signals], subjectivity)
    if _is_fragment(sent):
        return SentenceKind("other", ["fragment", *signals], subjectivity)
    exhortation = call_to_action_signals(sent, inside, table)
    if exhortation:
        return SentenceKind("call_to_action", [*exhortation, *signals], subjectivity)
    if subjectivity >= table.threshold:
        return SentenceKind("opinion", signals, subjectivity)
    if sent.text.rstrip().endswith("?"):
        return SentenceKind("other", ["question", *signals], subjectivity)
    return SentenceKind("claim", signals, subjectivity)


def score(values: dict[str, float], table: SubjectivityTable | None = None) -> float:
    """The subjectivity in 0..1 of a sentence's feature values (a logistic of their weighted sum)."""
    table = table or subjectivity_table()
    weights = table.weights
    total = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in values.items())
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total)))), 4)


def sentence_features(
    sent: Span, *, inside: list[bool] | None = None, table: SubjectivityTable | None = None
) -> _Features:
    """Counts of the subjective and objective cues in a sentence, each with its evidence."""
    table = table or subjectivity_table()
    inside = inside if inside is not None else _quoted_mask(sent)
    features = _Features({}, [])
    words = [t for t in sent if not t.is_punct and not t.is_space]
    features.values["length"] = len(words) / 10
    # Framing terms first: a loaded word counts once, as loaded, and not again as sentiment, so that
    # "terrorists" and "resistance fighters" weigh the same whatever a sentiment lexicon says of them.
    framed = _framing_cues(sent, inside, features)
    lowered = [t.lower_ for t in sent]
    fixed = {
        sent.start + start + k for p in table.fixed_phrases for start in _find_phrase(lowered, p) for k in range(len(p))
    }
    _lexicon_cues(sent, inside, framed | fixed, table, features)
    _word_cues(sent, inside, fixed, table, features)
    _entity_cues(sent, framed, table, features)
    _punctuation_cues(sent, inside, features)
    for short in _short_quotes(sent):
        features.add("scare_quote", short)
    return features


def _lexicon_cues(
    sent: Span, inside: list[bool], framed: set[int], table: SubjectivityTable, features: _Features
) -> None:
    for i, token in enumerate(sent):
        if inside[i] or token.ent_type_ in table.named_types:
            continue
        form, lemma = token.lower_, token.lemma_.lower()
        if token.i in framed:
            pass
        elif token.pos_ in table.lexicon_pos:
            value = table.lexicon.get(form, table.lexicon.get(lemma, 0.0))
            if value >= table.lexicon_min:
                features.add("lexicon", form, value)
        strength = table.sentiment.get(form, table.sentiment.get(lemma, 0.0))
        if strength and token.i not in framed:
            features.add("sentiment", form)
        if token.tag_ in ("JJS", "RBS"):
            features.add("superlative", form)
        elif token.tag_ in ("JJR", "RBR"):
            features.add("comparative", form)
        if token.dep_ == "neg":
            features.add("negation", form)
        if token.tag_ == "VBD":
            features.add("past_tense", form)
        elif token.dep_ == "ROOT" and token.tag_ in ("VBZ", "VBP"):
            features.add("present_tense", form)
        if token.dep_ == "acomp" and token.head.lemma_ == "be" and token.pos_ == "ADJ":
            # "X is absurd": a judgement predicated of something
            features.add("evaluative_predicate", form)
        if token.tag_ == "MD" and form not in table.cues["obligation"]:
            features.add("modal", form)
        if token.pos_ == "ADJ":
            features.add("adjective", form, 0.1)
        elif token.pos_ == "ADV":
            features.add("adverb", form, 0.1)


def _word_cues(sent: Span, inside: list[bool], fixed: set[int], table: SubjectivityTable, features: _Features) -> None:
    """Pronouns, modals, hedges, intensifiers, certainty and attribution words (lists in the data file).
    Attribution words count as verbs only: "the state" and "a report" attribute nothing."""
    pronoun_cues = ("first_person_singular", "first_person_plural", "second_person")
    for i, token in enumerate(sent):
        if token.i in fixed:
            continue
        form, lemma = token.lower_, token.lemma_.lower()
        for name in pronoun_cues:
            # A quoted "I" or "we" is the speaker's voice, not the author's.
            if not inside[i] and token.pos_ == "PRON" and form in table.cues[name]:
                features.add(name, form)
        for name in ("obligation", "hedge", "intensifier", "certainty", "contrast", "attribution"):
            if name == "attribution" and token.pos_ != "VERB":
                continue
            if (form in table.cues[name] or lemma in table.cues[name]) and not (inside[i] and name != "attribution"):
                features.add(name, lemma)
    lowered = [t.lower_ for t in sent]
    for name, phrases in table.phrases.items():
        for phrase in phrases:
            for start in _find_phrase(lowered, phrase):
                if not inside[start]:
                    features.add(name, " ".join(phrase))


def _framing_cues(sent: Span, inside: list[bool], features: _Features) -> set[int]:
    """Loaded words and moral or religious appeals (the framing lexicons) used in the author's voice;
    returns the indices of the tokens they cover."""
    covered: set[int] = set()
    for category in FRAMING_FEATURES:
        for words, term in find_terms(sent, category):
            if not inside[words.start - sent.start]:
                features.add(category, term)
                covered.update(range(words.start, words.end))
    return covered


def _sentence_ents(sent: Span) -> Iterator[Span]:
    """The named entities lying wholly inside the sentence. ``Span.ents`` walks every entity of the document
    for each sentence, which made a long article quadratic (4,000 sentences took minutes)."""
    doc, i = sent.doc, sent.start
    while i < sent.end and i > 0 and doc[i].ent_iob_ == "I":
        i += 1  # the end of an entity that began in the sentence before
    while i < sent.end:
        if not doc[i].ent_type_:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        if j <= sent.end:
            yield Span(doc, i, j, label=doc[i].ent_type_)
        i = j


def _entity_cues(sent: Span, framed: set[int], table: SubjectivityTable, features: _Features) -> None:
    for ent in _sentence_ents(sent):
        if ent.root.head.i in framed or any(i in framed for i in range(ent.start, ent.end)):
            # a label the NER model took for a name ("Nazis", "Kyiv regime") or that qualifies one
            # ("Russian occupiers", "Iranian regime") is part of the label, not a source
            continue
        if ent.label_ in table.named_types:
            features.add("named", ent.text)
        elif ent.label_ in table.number_types:
            features.add("number", ent.text)
        elif ent.label_ in table.date_types:
            features.add("date", ent.text)


def _punctuation_cues(sent: Span, inside: list[bool], features: _Features) -> None:
    for i, token in enumerate(sent):
        if inside[i]:
            continue
        if token.text == "?" or token.text.endswith("?"):
            features.add("question", "?")
        elif "!" in token.text and token.is_punct:
            features.add("exclamation", "!")


def call_to_action_signals(
    sent: Span, inside: list[bool] | None = None, table: SubjectivityTable | None = None
) -> list[str]:
    """What makes the sentence an exhortation (empty when it is not): an imperative, "let ...",
    "we call upon/urge/demand", or "must/should" with an acting subject."""
    table = table or subjectivity_table()
    inside = inside if inside is not None else _quoted_mask(sent)
    found: list[str] = []
    offset = sent.start
    for token in sent:
        if inside[token.i - offset]:
            continue
        if token.dep_ == "ROOT" and _is_imperative(token, table):
            found.append(f"imperative:{token.lower_}")
        if token.lemma_.lower() in table.we_verbs and _has_we_subject(token):
            found.append(f"we_call:{token.lower_}")
        if token.lower_ in table.cues["obligation"] and token.tag_ == "MD" and _actor_subject(token.head, table):
            found.append(f"obligation:{token.lower_} {_actor_subject(token.head, table)}")
    return found


def _is_imperative(root: Token, table: SubjectivityTable) -> bool:
    """A bare verb with no subject heading its sentence ("Boycott their goods.", "Let those who ... know",
    "Until Allah permits this, know that ..."): only adverbials, "do not" or "please" may precede it."""
    # VBP too: the small model often tags an imperative after a fronted clause as present tense.
    if root.pos_ != "VERB" or root.tag_ not in ("VB", "VBP") or root.sent.text.rstrip().endswith("?"):
        return False
    lemma = root.lemma_.lower()
    if lemma in table.not_imperative and lemma not in table.let_words:
        return False
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass", "expl", "auxpass"):
            return False
        if child.dep_ == "aux" and not (child.lower_ == "do" and child.i < root.i):
            return False  # "to know", "will know"; but "Do not remain silent" is still imperative
    return all(_may_precede_imperative(t, root) for t in root.sent if t.i < root.i)


def _may_precede_imperative(token: Token, root: Token) -> bool:
    if token.is_punct or token.lower_ in ("so", "and", "then", "now", "please", "do", "not", "n't"):
        return True
    # a fronted adverbial clause or phrase attached to the verb ("Until Allah permits this matter, ...")
    while token.head != root and token.head != token:
        token = token.head
    return token.head == root and token.dep_ in ("advcl", "prep", "advmod", "npadvmod", "intj", "mark", "cc")


def _has_we_subject(verb: Token) -> bool:
    subject = subject_of(verb)
    return subject is not None and subject.lower_ == "we"


def _actor_subject(verb: Token, table: SubjectivityTable) -> str:
    """The subject word when it names someone who can act (a pronoun, a group noun, a named party)."""
    subject = subject_of(verb)
    if subject is None:
        return ""
    word = subject.lower_
    if word in table.actor_pronouns or subject.lemma_.lower() in table.actor_nouns:
        return word
    if subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return subject.text
    return ""


def _is_fragment(sent: Span) -> bool:
    """A heading, label or fragment: no verb at all, or fewer than three words."""
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3:
        return True
    return not any(t.pos_ in ("VERB", "AUX") for t in sent)


def _quoted_mask(sent: Span) -> list[bool]:
    """For each token of the sentence, whether it lies inside a quotation longer than a short term."""
    text, base = sent.text, sent.start_char
    mask = [False] * len(sent)
    for quoted in quoted_spans(text):
        if len(text[quoted.start : quoted.end].split()) <= SHORT_QUOTE_WORDS:
            continue  # a quoted term, not speech: its words are the author's choice
        for i, token in enumerate(sent):
            if quoted.start <= token.idx - base < quoted.end:
                mask[i] = True
    return mask


def _short_quotes(sent: Span) -> Iterable[str]:
    text = sent.text
    for quoted in quoted_spans(text):
        term = text[quoted.start : quoted.end].strip(" ,.;:")
        if term and len(term.split()) <= SHORT_QUOTE_WORDS:
            yield term


def _quote_signals(in_quote: bool, share: float) -> list[str]:
    return ["in_quote"] if in_quote else [f"quote_share:{share:.2f}"]


def _find_phrase(lowered: list[str], phrase: tuple[str, ...]) -> Iterable[int]:
    n = len(phrase)
    for start in range(len(lowered) - n + 1):
        if tuple(lowered[start : start + n]) == phrase:
            yield start
