"""Fragment ids for the report: stable, HTML-safe and collision-free, whatever the document ids hold."""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(value: str) -> str:
    """A readable, id-safe form of ``value`` with a short hash of the original.

    The hash keeps ids apart that slug alike ("a b" and "a/b"), and makes the id safe whatever the input holds
    (spaces, quotes, non-Latin scripts, ``#``), so a link always lands where the same value was anchored.
    """
    readable = _UNSAFE.sub("-", value).strip("-")[:40] or "x"
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


def story_anchor(story_id: str) -> str:
    return f"story-{slug(story_id)}"


def article_anchor(story_id: str, article_id: str) -> str:
    # Scoped to the story: an article that two comparisons share gets a section in each.
    return f"a-{slug(story_id)}-{slug(article_id)}"


def sentence_anchor(article_id: str, index: int) -> str:
    """``s-<article>-<sentence index>``: the target of every evidence link."""
    return f"s-{slug(article_id)}-{index}"


def claim_anchor(story_id: str, claim_id: str) -> str:
    # Claim ids are only unique within a story ("c1" recurs), so the story is part of the id.
    return f"c-{slug(story_id)}-{slug(claim_id)}"


def unique_anchor(story_id: str, article_id: str, index: int) -> str:
    return f"u-{slug(story_id)}-{slug(article_id)}-{index}"


def conflict_anchor(story_id: str, position: int) -> str:
    return f"x-{slug(story_id)}-{position}"
