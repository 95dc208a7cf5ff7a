"""The designation lexicon (``data/designations.toml``) compiled once per set of data folders."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyprism import lexicons
from storyprism.analyze.names import fold, name_key

_ACRONYM = re.compile(r"[A-Z][A-Z0-9.&/-]*[A-Z0-9.]")


@dataclass(frozen=True)
class Designation:
    """One entry of ``designations.toml``: a set of labels that, under its conditions, mean ``actor``."""

    labels: tuple[str, ...]
    actor: str
    type: str
    note: str
    kind: str = "designation"
    valid_from: str | None = None
    valid_to: str | None = None
    requires_entity: tuple[str, ...] = ()
    agent_only: bool = False
    place: str | None = None
    not_followed_by: tuple[str, ...] = ()

    @property
    def conditional(self) -> bool:
        return bool(self.valid_from or self.valid_to or self.requires_entity)


@dataclass(frozen=True)
class EntityLexicon:
    entries: tuple[Designation, ...]
    by_label: dict[str, tuple[Designation, ...]]
    """Folded label -> the entries that carry it (one label may mean different actors in different contexts)."""
    pattern: re.Pattern[str] | None
    """Every label, longest first; group ``ci`` for case-insensitive labels, ``cs`` for acronyms."""
    places: frozenset[str]
    """Name keys of places that are never a person's short name."""
    place_names: tuple[str, ...]
    """The place names as written, to find those the NER model missed."""

    def entries_for(self, surface: str) -> tuple[Designation, ...]:
        return self.by_label.get(label_fold(surface), ())


def label_fold(text: str) -> str:
    """How labels are compared: folded case, diacritics and marks, single spaces, straight quotes."""
    return " ".join(fold(text).replace("-", " ").split())


def is_acronym(label: str) -> bool:
    return _ACRONYM.fullmatch(label) is not None and len(label) <= 8


def build_lexicon(data: dict) -> EntityLexicon:
    entries = tuple(_entry(raw) for raw in data.get("designation", []))
    by_label: dict[str, list[Designation]] = {}
    for entry in entries:
        for label in entry.labels:
            bucket = by_label.setdefault(label_fold(label), [])
            if entry not in bucket:
                bucket.append(entry)
    place_names = tuple(dict.fromkeys(data.get("places", {}).get("names", [])))
    places = frozenset(name_key(p) for p in place_names) | frozenset(name_key(e.place) for e in entries if e.place)
    return EntityLexicon(
        entries=entries,
        by_label={k: tuple(v) for k, v in by_label.items()},
        pattern=_compile({label for e in entries for label in e.labels}),
        places=places,
        place_names=place_names,
    )


def _entry(raw: dict) -> Designation:
    return Designation(
        labels=tuple(raw["labels"]),
        actor=raw["actor"],
        type=raw.get("type", "ORG"),
        note=raw.get("note", ""),
        kind=raw.get("kind", "designation"),
        valid_from=raw.get("valid_from"),
        valid_to=raw.get("valid_to"),
        requires_entity=tuple(raw.get("requires_entity", ())),
        agent_only=bool(raw.get("agent_only", False)),
        place=raw.get("place"),
        not_followed_by=tuple(w.lower() for w in raw.get("not_followed_by", ())),
    )


def _compile(labels: set[str]) -> re.Pattern[str] | None:
    if not labels:
        return None
    # Acronyms match only as written ("IDF", not "idf"); other labels in any case, with any apostrophe.
    acronyms = sorted((lb for lb in labels if is_acronym(lb)), key=len, reverse=True)
    words = sorted((lb for lb in labels if not is_acronym(lb)), key=len, reverse=True)
    ci = "|".join(_label_regex(lb) for lb in words) or r"(?!x)x"
    cs = "|".join(re.escape(lb) for lb in acronyms) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?:(?P<ci>(?i:{ci}))|(?P<cs>{cs}))(?![\w-]|['’]\w\w)")


def _label_regex(label: str) -> str:
    parts = []
    for ch in label:
        if ch in "'’‘":
            parts.append("['’‘]?")
        elif ch == " ":
            parts.append(r"\s+")
        elif ch == "-":
            parts.append(r"[-‐‑ ]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@lexicons.per_data
def entity_lexicon() -> EntityLexicon:
    """The bundled designations merged with the user's (``STORYPRISM_DATA``)."""
    return build_lexicon(lexicons.load("designations"))
