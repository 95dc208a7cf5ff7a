"""Cue phrases for page-dump extraction, read once from ``data/boilerplate.toml``.

The phrases are language-level ("Read more", "Share", "All rights reserved"), never an outlet's own
menu items; users extend the file. Lines are compared in a normalised form: lower case, words only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from storyprism import lexicons

_WORDS = re.compile(r"[^\W_]+|[©]")
# Arabic short vowels, shadda, sukun and tatweel: optional marks that would split a word in two.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def norm(text: str) -> str:
    """Lower-case words joined by single spaces: the form both cues and lines are compared in."""
    text = text.lower().replace("’", "").replace("'", "")
    if _ARABIC_MARKS.search(text):
        text = _ARABIC_MARKS.sub("", text)
    return " ".join(_WORDS.findall(text))


@dataclass(frozen=True)
class Cues:
    related_exact: frozenset[str]
    related_prefix: frozenset[str]
    ui_exact: frozenset[str]
    ui_prefix: frozenset[str]
    footer_prefix: frozenset[str]
    footer_contains: tuple[str, ...]
    credit_words: frozenset[str]
    caption_prefix: frozenset[str]
    bio_roles: frozenset[str]
    bio_verbs: tuple[str, ...]
    meta_prefix: frozenset[str]
    meta_exact: frozenset[str]
    time_words: frozenset[str] = frozenset()
    footer_contains_re: re.Pattern[str] | None = None
    """``footer_contains`` as one pattern (lines are tested against it in lower case)."""
    ui_contains_re: re.Pattern[str] | None = None
    """Sign-up and consent small print, found anywhere in a line (tested on its normalised form)."""
    bio_first: frozenset[str] = frozenset()
    """The first words of ``bio_verbs``: a quick test before the full one."""
    ui_short_re: re.Pattern[str] | None = None
    """Words that make a short line a promotion ("newsletter"), as one pattern."""
    live_exact: frozenset[str] = frozenset()
    end_credit_prefix: frozenset[str] = frozenset()


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def starts(normed: str, prefixes: frozenset[str]) -> bool:
    """Whether the normalised line starts with one of ``prefixes`` on a word boundary (up to 5 words)."""
    firsts = _FIRST_WORDS.get(id(prefixes))
    if firsts is None:
        firsts = _FIRST_WORDS[id(prefixes)] = frozenset(p.split(" ", 1)[0] for p in prefixes)
    sp = normed.find(" ")
    head = normed if sp < 0 else normed[:sp]
    if head not in firsts:
        return False
    if head in prefixes:
        return True
    words = normed.split(" ", 5)
    return any(" ".join(words[:k]) in prefixes for k in range(2, min(len(words), 5) + 1))


def _normed_list(values: list[str]) -> list[str]:
    out = []
    for v in values:
        n = norm(v)
        if n:
            out.append(n)
    return out


@lexicons.per_data
def default_cues() -> Cues:
    """The packaged cue file merged with the user's data folders; built once per set of folders."""
    return load_cues()


def load_cues(path: str | None = None) -> Cues:
    """Load the cue file (the packaged one unless ``path`` is given); cached, so loaded once."""
    data = lexicons.load("boilerplate") if path is None else tomllib.loads(Path(path).read_text(encoding="utf-8"))

    def section(name: str, key: str) -> list[str]:
        return list(data.get(name, {}).get(key, []))

    footer_contains = tuple(v.lower() for v in section("footer", "contains"))
    return Cues(
        related_exact=frozenset(_normed_list(section("related", "exact"))),
        related_prefix=frozenset(_normed_list(section("related", "prefix"))),
        ui_exact=frozenset(_normed_list(section("ui", "exact"))),
        ui_prefix=frozenset(_normed_list(section("ui", "prefix"))),
        footer_prefix=frozenset(_normed_list(section("footer", "prefix"))),
        footer_contains=footer_contains,
        credit_words=frozenset(_normed_list(section("caption", "credit_words"))),
        caption_prefix=frozenset(_normed_list(section("caption", "prefix"))),
        bio_roles=frozenset(_normed_list(section("bio", "roles"))),
        bio_verbs=tuple(_normed_list(section("bio", "verbs"))),
        meta_prefix=frozenset(_normed_list(section("meta", "prefix"))),
        meta_exact=frozenset(_normed_list(section("meta", "exact"))),
        time_words=frozenset(_normed_list(section("time", "words"))),
        footer_contains_re=_any_of(tuple(map(re.escape, footer_contains))),
        ui_contains_re=_any_of(tuple(rf"\b{re.escape(v)}\b" for v in _normed_list(section("ui", "contains")))),
        bio_first=frozenset(v.split(" ", 1)[0] for v in _normed_list(section("bio", "verbs"))),
        ui_short_re=_any_of(tuple(rf"\b{re.escape(v)}\b" for v in _normed_list(section("ui", "short_words")))),
        live_exact=frozenset(_normed_list(section("live", "exact"))),
        end_credit_prefix=frozenset(_normed_list(section("end_credit", "prefix"))),
    )


def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``patterns``, or None for an empty list."""
    return re.compile("|".join(patterns)) if patterns else None
