"""Links from findings to the sentences they rest on, and the lookups both renderers need for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storyprism.models import SentenceRef
from storyprism.report.anchors import sentence_anchor


@dataclass(frozen=True)
class SentenceLink:
    article: str
    sentence: int
    text: str
    outlet: str
    anchor: str


def as_ref(item: SentenceRef | Mapping[str, Any]) -> SentenceRef | None:
    """A conflict side holds its sentences as dicts (the JSON shape); accept either form, skip what is unusable."""
    if isinstance(item, SentenceRef):
        return item
    try:
        return SentenceRef(
            article=str(item["article"]),
            sentence=int(item["sentence"]),
            text=str(item.get("text") or ""),
            start=int(item.get("start", -1)),
            end=int(item.get("end", -1)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def side_refs(side: Mapping[str, Any]) -> list[SentenceRef]:
    return [r for r in (as_ref(item) for item in side.get("support") or []) if r is not None]


def side_outlets(side: Mapping[str, Any], outlet_of: Mapping[str, str]) -> list[str]:
    """The outlets of a conflict side: those it names, and those of its articles and sentences."""
    names = [str(o) for o in side.get("outlets") or []]
    names += [outlet_of[a] for a in side.get("articles") or [] if a in outlet_of]
    names += [outlet_of[r.article] for r in side_refs(side) if r.article in outlet_of]
    return list(dict.fromkeys(names))


def link(ref: SentenceRef, outlet_of: Mapping[str, str]) -> SentenceLink:
    return SentenceLink(
        article=ref.article,
        sentence=ref.sentence,
        text=ref.text,
        outlet=outlet_of.get(ref.article, ref.article),
        anchor=sentence_anchor(ref.article, ref.sentence),
    )
