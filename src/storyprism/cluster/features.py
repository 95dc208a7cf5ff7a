"""Cheap per-document signals for story clustering: content words, names, numbers, dates, name skeletons.

No spaCy on this path (it must run at thousands of documents per second): names are runs of capitalised
words that do not start a sentence, numbers are digit tokens, and the "skeleton" of a name (its consonants
in a script-neutral spelling) lets an Arabic report meet the Latin-script reports of the same event.
Canonical entities from the analyze stage, when given, are added as their own features.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from storyprism.models import ClusterDoc
from storyprism.times import MONTHS, WEEKDAYS

# Feature-key prefixes: plain words have none, so the common case stays a short string.
NAME = "n:"  # a multi-word name joined by "_" ("n:john_kerry"); its single words are plain terms, boosted
ENTITY = "e:"  # a canonical entity handed in by the analyze stage
NUMBER = "#"  # a number as written, normalised ("#1200", "#6.1")

# How much more one occurrence of each kind of term weighs than a common content word. Tuned by hand on the
# train split of the NeuS dev set (bench/cluster.py --split train), checked on the synthetic hard set.
NAME_BOOST = 1.0
"""A word seen capitalised inside a sentence (a person, place, organisation): the signal that survives when
two outlets describe one event in different words."""
ENTITY_BOOST = 2.5
"""A canonical entity from the analyze stage: spelling variants already merged, so it is the best signal."""
NUMBER_BOOST = 1.0
"""Numbers (tolls, magnitudes, sums) tell apart events of one kind but disagree across outlets (7 vs 11
dead), so they weigh like an ordinary word and their IDF does the rest."""
TITLE_WEIGHT = 2.0
"""A title word counts this many times: the headline is the densest statement of the event."""
LEAD_WORDS = 80
"""Body words past this point count half: the first paragraphs say what happened, the rest is background
that differs most between outlets."""

_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d[\d,.]*\d|\d")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”\n]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "near",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "say",
        "said",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "told",
        "according",
        "also",
        "still",
        "already",
        "new",
        "news",
        "report",
        "reported",
        "reports",
        "reporting",
        "week",
        "weeks",
        "day",
        "days",
        "year",
        "years",
        "time",
        "times",
        *WEEKDAYS,
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "morning",
        "evening",
        "night",
        "mr",
        "mrs",
        "ms",
        "dr",
        "people",
        "percent",
    ]
)
"""Function words and the words every news report uses; they carry no information about which event."""
_NOT_NAMES = frozenset(
    [
        "i",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "for",
        "of",
        "and",
        "but",
        "or",
        "to",
        "by",
        "with",
        "from",
        "as",
        "after",
        "before",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "mr",
        "mrs",
        "ms",
        "dr",
        *WEEKDAYS,
        *MONTHS,
    ]
)
_NAME_JOINERS = frozenset({"of", "de", "al", "el", "bin", "van", "von", "der", "la", "le", "du", "da", "di"})


@dataclass
class DocFeatures:
    """What the clusterer keeps of one document: weighted term counts before IDF, and the cross-script keys."""

    terms: dict[str, float]
    """Feature key -> weighted count (title and lead weigh more; names, entities boosted). No IDF yet."""
    boosts: dict[str, float] = field(default_factory=dict)
    """Per-key multiplier applied after IDF (names, entities, numbers); 1.0 when absent."""
    skeletons: set[str] = field(default_factory=set)
    """Script-neutral consonant keys of names (Latin) or of every word (scripts without capitals)."""
    numbers: set[str] = field(default_factory=set)
    script: str = "latin"
    names: set[str] = field(default_factory=set)
    """Feature keys that are names (capitalised words, name phrases, entities)."""


_STEMS: dict[str, str] = {}
"""Stem cache read directly in the tokeniser loop (cheaper than the lru_cache call); bounded in ``stem``."""


def stem(word: str) -> str:
    """A deliberately small English suffix stripper: plural and common verb endings, never below 4 letters."""
    if len(_STEMS) < 1 << 18:
        _STEMS[word] = out = _stem(word)
        return out
    return _stem(word)


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isascii():
        return word
    for suffix, repl in (("ies", "y"), ("'s", ""), ("’s", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + repl
    return word


def script_of(text: str) -> str:
    """The dominant script of a text: latin, arabic, cyrillic, cjk or other (by letter counts on a sample)."""
    sample = text[:2000]
    other = "".join(_NON_ASCII.findall(sample))
    if len(other) < 0.2 * len(sample):  # mostly ASCII (curly quotes and accents aside): Latin
        return "latin"
    counts = {"latin": len(sample) - len(other), "arabic": 0, "cyrillic": 0, "cjk": 0, "other": 0}
    for ch in other:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250:
            counts["latin"] += 1
        elif 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFF00:
            counts["arabic"] += 1
        elif 0x400 <= o < 0x530:
            counts["cyrillic"] += 1
        elif 0x3000 <= o < 0xA000 or 0xAC00 <= o < 0xD7B0:
            counts["cjk"] += 1
        else:
            counts["other"] += 1
    return max(counts, key=counts.__getitem__)


def normalise_number(token: str) -> str | None:
    """'1,200' -> '1200', '6.1' -> '6.1', '2031.' -> '2031'; None for a lone digit (too common to mean much)."""
    token = token.translate(_DIGITS).rstrip(".,")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
        token = token.replace(",", "")
    token = token.replace(",", ".")
    if len(token) < 2 and token.isdigit():
        return None
    return token


# --- skeletons: a script-neutral spelling of a name ---------------------------------------------------------
_LATIN_DIGRAPHS = (("sh", "s"), ("kh", "k"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ph", "f"), ("ch", "k"))
_LATIN_MAP = str.maketrans({"q": "k", "c": "k", "v": "f", "x": "k", "j": "j", "p": "b", "o": "", "e": ""})
_ARABIC_MAP = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "b", "چ": "j", "گ": "g", "ڤ": "f",
}  # fmt: skip
"""Arabic consonants to the Latin letter a transliteration most often uses; vowels/glides (ا و ي ى ء ع ة) drop."""
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")


def _squeeze(letters: str) -> str:
    out = []
    for ch in letters:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def latin_skeleton(word: str) -> str:
    """'al-Hamdani' -> 'hmdn', 'Tell Marid' -> 'tlmrd', 'Valdoria' -> 'fldr': consonants in a shared alphabet."""
    w = word.lower()
    w = re.sub(r"^(al|el)[-‐]", "", w)
    w = re.sub(r"[^a-z]", "", w)
    for src, dst in _LATIN_DIGRAPHS:
        w = w.replace(src, dst)
    w = w.translate(_LATIN_MAP)
    w = re.sub(r"[aiuyw]", "", w)
    return _squeeze(w)


def arabic_skeleton(word: str) -> str:
    """The same key for an Arabic word: strip the article and clitics, map consonants, drop long vowels."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    return _squeeze("".join(_ARABIC_MAP.get(ch, "") for ch in word))


# --- the features of one document --------------------------------------------------------------------------
def _is_headline_case(title: str) -> bool:
    words = [w for w in title.split() if w[:1].isalpha() and w.lower() not in STOPWORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _scan(
    text: str, weight_of: list[float], terms: dict[str, float], names: set[str], phrases: list[str], caps: bool
) -> list[str]:
    """Tokenise ``text`` into ``terms`` (weighted), collecting capitalised names when ``caps`` is trusted."""
    tokens: list[str] = []
    run: list[str] = []
    pos = 0
    prev_end = 0
    lead_weight, tail_weight = weight_of
    for m in _WORD.finditer(text):
        tok = m.group()
        start = m.start()
        gap = text[prev_end:start]
        # most gaps are one space: skip the regex for them
        sentence_start = prev_end == 0 or (gap != " " and _SENTENCE_BREAK.search(gap) is not None)
        prev_end = m.end()
        weight = lead_weight if pos < LEAD_WORDS else tail_weight
        pos += 1
        first = tok[0]
        if first.isdigit():
            if run:
                phrases.append("_".join(run))
                run = []
            num = normalise_number(tok)
            if num:
                key = NUMBER + num
                terms[key] = terms.get(key, 0.0) + weight
            continue
        low = tok.lower()
        tokens.append(low)
        upper = first.isupper() or (low[:3] in ("al-", "el-") and tok[3:4].isupper())  # "al-Hamdani" is a name
        is_cap = caps and upper and not sentence_start and low not in _NOT_NAMES
        if is_cap or (run and low in _NAME_JOINERS and gap == " "):
            if is_cap:
                names.add(stem(low))
            if gap.strip() and run:  # punctuation between two capitalised words ends the name
                phrases.append("_".join(run))
                run = []
            run.append(low)
        elif run:
            phrases.append("_".join(run))
            run = []
        if low in STOPWORDS or len(low) < 2:
            continue
        key = _STEMS.get(low) or stem(low)
        terms[key] = terms.get(key, 0.0) + weight
    if run:
        phrases.append("_".join(run))
    return tokens


def doc_features(doc: ClusterDoc) -> DocFeatures:
    """Weighted terms of title + text, the names among them, numbers, entity keys and name skeletons."""
    terms: dict[str, float] = {}
    names: set[str] = set()
    phrases: list[str] = []
    title = doc.title or ""
    text = doc.text or ""
    script = script_of(title + " " + text[:1000])
    has_case = script in ("latin", "cyrillic")
    if title:
        _scan(title, [TITLE_WEIGHT, TITLE_WEIGHT], terms, names, phrases, has_case and not _is_headline_case(title))
    words = _scan(text, [1.0, 0.5], terms, names, phrases, has_case)
    boosts: dict[str, float] = {}
    for name in names:
        if name in terms:
            boosts[name] = NAME_BOOST
    for phrase in set(phrases):
        parts = [p for p in phrase.split("_") if p not in _NAME_JOINERS]
        if len(parts) >= 2:
            key = NAME + "_".join(parts)
            terms[key] = terms.get(key, 0.0) + 1.0
            boosts[key] = NAME_BOOST
    for entity in doc.entities:
        key = ENTITY + entity.lower()
        terms[key] = terms.get(key, 0.0) + 1.0
        boosts[key] = ENTITY_BOOST
    numbers = {k[len(NUMBER) :] for k in terms if k.startswith(NUMBER)}
    if NUMBER_BOOST != 1.0:
        for k in terms:
            if k.startswith(NUMBER):
                boosts[k] = NUMBER_BOOST
    # sublinear tf: a word said ten times is not ten times as telling
    terms = {k: 1.0 + math.log(v) if v > 1.0 else v for k, v in terms.items()}
    skeletons: set[str] = set()
    if has_case:
        for phrase in phrases:
            parts = [p for p in phrase.split("_") if p not in _NAME_JOINERS]
            for part in parts:
                key = latin_skeleton(part)
                if len(key) >= 3:
                    skeletons.add(key)
            if len(parts) >= 2:
                key = "".join(latin_skeleton(p) for p in parts)
                if len(key) >= 4:
                    skeletons.add(key)
    elif script == "arabic":
        skel = [arabic_skeleton(w) for w in words]
        for i, key in enumerate(skel):
            if len(key) >= 3:
                skeletons.add(key)
            if i and skel[i - 1] and key and len(skel[i - 1]) + len(key) >= 4:
                skeletons.add(skel[i - 1] + key)
    name_keys = {k for k in boosts if not k.startswith(NUMBER)}
    return DocFeatures(terms, boosts, skeletons, numbers, script, name_keys)
