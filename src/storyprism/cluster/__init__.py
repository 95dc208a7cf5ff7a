"""Cluster stage: documents -> stories, with wire copies and re-publications marked as duplicates.

    assignments, state = cluster(docs)                 # one pass
    more, state = cluster(new_docs, state)             # go on later from the saved state
    json.dumps(state.to_dict())                        # the state is plain data

Modules: ``features`` (cheap per-document signals), ``duplicates`` (MinHash/LSH), ``online`` (the index,
scoring and the clustering loop).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storyprism.cluster.online import Clusterer, _days
from storyprism.models import Article, Assignment, ClusterDoc, ClusterState, StoryState, StorySummary

if TYPE_CHECKING:
    from storyprism.cluster.semantic import Embedder

__all__ = ["ClusterDoc", "ClusterState", "cluster", "stories"]


def _as_doc(item: ClusterDoc | Article | dict) -> ClusterDoc:
    if isinstance(item, ClusterDoc):
        return item
    if isinstance(item, Article):
        return ClusterDoc.from_article(item)
    return ClusterDoc.from_record(item)


def arrival_order(docs: list[ClusterDoc]) -> list[int]:
    """Publication order when every document has a date (stable for equal times), else the order given:
    without dates there is no better order, and the clusterer does not depend on one."""
    times = [_days(d.published) for d in docs]
    if any(t is None for t in times):
        return list(range(len(docs)))
    return sorted(range(len(docs)), key=lambda i: times[i])


def cluster(
    articles: Iterable[ClusterDoc | Article | dict],
    state: ClusterState | None = None,
    embedder: Embedder | None = None,
) -> tuple[list[Assignment], ClusterState]:
    """Assign each document to a story (in the order of ``articles`` in the result); returns the new state.

    ``state`` (from an earlier call, or ``ClusterState.from_dict`` of a stored one) is continued and updated
    in place; documents already seen raise ValueError. ``embedder`` (``semantic.load_embedder()``, or any
    texts -> unit vectors callable) adds sentence-embedding similarity to the score; keep using the same one
    when continuing a state.
    """
    docs = [_as_doc(a) for a in articles]
    clusterer = Clusterer(state)
    embeddings = None
    if embedder is not None:
        from storyprism.cluster.semantic import embed_docs

        embeddings = embed_docs(docs, embedder)  # one batched call: per-document calls are ten times slower
    out: list[Assignment | None] = [None] * len(docs)
    # The state is many small dicts and lists and no reference cycles: the cyclic collector would only rescan
    # it again and again (6-8% of the time at 8k documents), so it is paused for the loop.
    paused = gc.isenabled()
    gc.disable()
    try:
        for i in arrival_order(docs):
            out[i] = clusterer.add(docs[i], None if embeddings is None else embeddings[i])
    finally:
        if paused:
            gc.enable()
    return [a for a in out if a is not None], clusterer.state


def stories(state: ClusterState) -> list[StorySummary]:
    """Each story with its title (its most central member's), time span and members with their reasons."""
    return [StorySummary(s.id, story_title(s), s.start, s.end, list(s.members)) for s in state.stories.values()]


def story_title(story: StoryState) -> str | None:
    """The title of the story's most central member (any member's when the central one has none)."""
    title = None
    if story.reps:
        central = max(story.reps, key=lambda r: (_dot_centroid(r[1], story.centroid), r[0] in story.titles))
        title = story.titles.get(central[0])
    if title is None and story.titles:
        title = next(iter(story.titles.values()))
    return title


def _dot_centroid(vec: dict[str, float], centroid: dict[str, float]) -> float:
    return sum(v * centroid.get(k, 0.0) for k, v in vec.items())
