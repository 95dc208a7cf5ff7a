"""Name normalisation: one matching key for the many spellings of one name.

News about one event spells one actor many ways, mostly because Arabic (and Persian, Russian, ...) names
are transliterated by each newsroom's own habits: "Ahmad Al-Shara" / "Ahmed al-Sharaa", "Tariq al-Mansouri" /
"Tarik Mansuri" / "Tareq Mansoury". Arabic script writes no short vowels, so transliterations agree on the
consonants and disagree on the vowels; :func:`name_key` therefore keeps the consonant skeleton and only the
shape of the vowels (a/e/i versus o/u, and the ending), which is what the spellings of one name share.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from storyprism import lexicons

# Hamza and ayn marks, apostrophes and backticks: "Hay'at", "Sa‘id", "Jamaʿat" spell "Hayat", "Said", "Jamaat".
_MARKS = re.compile(r"['’‘`ʿʾʼʻ´]")
_QUOTES = "\"'“”‘’«»[]()"
_POSSESSIVE = re.compile(r"['’]s?$")
_SPLIT = re.compile(r"[\s\-‐‑–—_/.,]+")
# The Arabic article and its sun-letter assimilations (ash-Sham, ad-Din, as-Sisi, an-Nour, ...), as written
# before a name. "Abu", "bin", "ibn" stay: they are part of the name, not an article.
ARTICLES = frozenset({"al", "el", "ul", "il", "ad", "as", "ash", "at", "ath", "an", "ar", "az", "adh", "ad-", "ال"})
_ABD = re.compile(r"^abd(?:ul|el|al|il|oul)?(?=[a-z]{3,}$)|^abd(?:ul|el|al|il|oul)?$")
_BIN = frozenset({"bin", "ben", "ibn", "ebn"})
_VOWELS = "aeiou"
# Endings that vary between spellings of one name: Suriya/Suria/Suriyah, Fatima/Fatimah/Fatmeh, Shukri/Shukry.
_END_IYA = re.compile(r"(?:iyyah|iyyeh|iyya|iyah|iyeh|iya|iah|ia)$")
_END_A = re.compile(r"(?<=[^aeiou])(?:aah|aa|ah|eh|a)$")
_END_AY = re.compile(r"(?<=[^aeiou])(?:ai|ay|ei|ey)$")
_END_I = re.compile(r"(?<=[^aeiou])(?:ee|ie|iy|i|y)$")
_END_U = re.compile(r"(?<=[^aeiou])(?:ou|oo|ow|u|o)$")
_TITLE_KINDS = ("office", "honorific", "pejorative")
_DIPHTHONG = re.compile(r"(?:ai|ay|ei|ey)(?=[^aeiouy]|$)")


def fold(text: str) -> str:
    """Lower case without diacritics or hamza/ayn marks ("Ḥasan" -> "hasan", "Hay'at" -> "hayat")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _MARKS.sub("", stripped).casefold()


def fold_token(token: str) -> str:
    """The key of one word of a name; see the module doc for why vowels keep only their shape."""
    word = token.replace("q", "k").replace("ph", "f")
    word = word.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    word = re.sub(r"(.)\1+", r"\1", word)  # doubled letters: Assad/Asad, Hamdaani/Hamdani, Sharaa/Shara
    ending = ""
    for pattern, mark in ((_END_IYA, "iya"), (_END_A, "a"), (_END_AY, "ay"), (_END_I, "i"), (_END_U, "u")):
        match = pattern.search(word)
        if match and match.start() > 0:
            word, ending = word[: match.start()], mark
            break
    return _fold_vowels(word) + ending


def _fold_vowels(stem: str) -> str:
    stem = _DIPHTHONG.sub("ay", stem)  # Hussein/Husain/Husayn: the diphthong is written four ways
    out: list[str] = []
    first_done = False
    i = 0
    while i < len(stem):
        ch = stem[i]
        if ch in _VOWELS:
            j = i
            while j < len(stem) and stem[j] in _VOWELS:
                j += 1
            run = stem[i:j]
            if not first_done:
                # The first vowel keeps three classes (a / e,i / o,u): the stressed vowel of a name is spelled
                # alike by transliterators (Hisham/Hashem, Lina/Lana, Hill/Hall stay apart); an initial one
                # is a letter of its own in Arabic script (Omar/Umar, not Amir).
                out.append("u" if ("o" in run or "u" in run) else "i" if run[0] in "ei" else "a")
                first_done = True
            else:
                out.append("u" if ("o" in run or "u" in run) else "a")
            i = j
        else:
            if ch == "y" and 0 < i < len(stem) - 1 and stem[i - 1] not in _VOWELS and stem[i + 1] not in _VOWELS:
                out.append("a")  # y used as a vowel between consonants
            else:
                out.append(ch)
            i += 1
    return "".join(out)


def name_words(name: str) -> list[str]:
    """The words of a name with articles, possessive and surrounding quotes removed, folded but not keyed."""
    text = _POSSESSIVE.sub("", name.strip().strip(_QUOTES)).strip(_QUOTES)
    text = fold(text)
    words = [w for w in _SPLIT.split(text) if w]
    if words and words[0] == "the":
        words = words[1:]
    out: list[str] = []
    for i, word in enumerate(words):
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]  # Arabic script: the article is written joined to the word
        if word in ARTICLES and i < len(words) - 1:
            continue
        out.append(word)
    return out


def name_key(name: str) -> str:
    """The transliteration-folded matching key of a name: ``"Ahmad Al-Shara"`` and ``"Ahmed al-Sharaa"`` give
    ``"ahmad shara"``; ``"President Bashar al-Assad's"`` and ``"Bashar Assad"`` give ``"bashar asad"``.

    Folds case, diacritics, hamza/ayn marks, the article al-/el- and its assimilated forms (ash-, ad-, ...),
    leading titles and honorifics (``data/titles.toml``), doubled letters, q/k, vowel variants (a/e/i, o/u/ou/oo,
    i/ee/y) and name endings (-a/-aa/-ah/-eh, -i/-y/-ee, -ia/-iya/-iyah); keeps word order.
    """
    words = strip_title_words(name_words(name))
    keys: list[str] = []
    for word in words:
        abd = _ABD.match(word)
        if abd:  # Abdul Rahman / Abd al-Rahman / Abdelrahman
            keys.append("abd")
            word = word[abd.end() :]
            if not word:
                continue
        if word in _BIN:
            keys.append("bin")
            continue
        keys.append(fold_token(word) if word.isascii() else word)
    return " ".join(k for k in keys if k)


@dataclass(frozen=True)
class TitleTable:
    honorifics: frozenset[str]
    offices: frozenset[str]
    qualifiers: frozenset[str]
    pejoratives: frozenset[str]
    longest: int
    """The most words in one entry, to bound phrase look-ups."""

    def kind(self, phrase: str) -> str | None:
        """honorific | office | qualifier | pejorative for a folded phrase, or None."""
        for kind, table in (
            ("office", self.offices),
            ("honorific", self.honorifics),
            ("pejorative", self.pejoratives),
            ("qualifier", self.qualifiers),
        ):
            if phrase in table:
                return kind
        return None


@lexicons.per_data
def title_table() -> TitleTable:
    data = lexicons.load("titles")

    def table(key: str) -> frozenset[str]:
        return frozenset(fold(p).rstrip(".") for p in data.get(key, []))

    tables = {k: table(k) for k in ("honorifics", "offices", "qualifiers", "pejoratives")}
    longest = max((len(p.split()) for t in tables.values() for p in t), default=1)
    return TitleTable(**tables, longest=longest)


def strip_title_words(words: list[str]) -> list[str]:
    """Drop leading title words ("syrian president ahmad sharaa" -> "ahmad sharaa") when a name remains."""
    table = title_table()
    cut = title_prefix_length([w.rstrip(".") for w in words], table)
    return words[cut:] if 0 < cut < len(words) else words


def title_prefix_length(words: list[str], table: TitleTable | None = None) -> int:
    """How many leading words of a folded name are a title phrase ("syrian interim president", "zeyn governor",
    "the tyrant", "minister of information"), or 0.

    A title may follow qualifiers and demonyms ("former", "syrian", "syrias"); any other words before it count
    only when at least two name words remain after it, so "Tell Marid General Hospital" keeps its "General".
    """
    table = table or title_table()
    first = next((i for i in range(len(words)) if _title_at(words, i, table)[0] in _TITLE_KINDS), None)
    if first is None:
        return 0
    end = first
    while end < len(words):
        kind, size = _title_at(words, end, table)
        if kind is None:
            break
        end += size
    if end < len(words) and words[end] in ("of", "for") and len(words) - end > 3:
        end += 2  # "minister of information layla barakat"
    rest = len(words) - end
    if rest == 0 or (rest < len(words) and words[end] in ("and", "&")):
        return 0
    lead_ok = all(w == "the" or table.kind(w) == "qualifier" or _demonym_like(w) for w in words[:first])
    return end if lead_ok or rest >= 2 else 0


def _title_at(words: list[str], i: int, table: TitleTable) -> tuple[str | None, int]:
    """The title kind of the longest phrase starting at word i, with its length (qualifiers count only after
    the first title word: "former" alone is no title)."""
    for size in range(min(table.longest, len(words) - i), 0, -1):
        kind = table.kind(" ".join(words[i : i + size]))
        if kind is not None:
            return kind, size
    return None, 0


def _demonym_like(word: str) -> bool:
    # "syrian", "israeli", "us", "syrias" (possessive, marks folded): words that qualify a title's country
    return word.endswith(("an", "i", "ese", "ish", "s", "ch")) or word in ("us", "uk", "un", "eu")
