"""Compare stage: one story's analyzed articles -> a Comparison of how each outlet covered it.

    comparison = compare(analyzed_articles, assignments=by_id)   # one story
    comparisons = compare_stories(analyzed, assignments, state)   # every story of a cluster run

Modules: ``units`` (the sentences that can carry a claim, with their evidence), ``align`` (which sentences of
different articles state one claim), ``origins`` (where each claim came from, and how many independent
origins it has), ``conflicts`` (counts and days reported differently), ``contrast`` (labels and framing
measures per outlet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from storyprism.analyze.entities import merge_entities
from storyprism.compare.align import align, central
from storyprism.compare.conflicts import find_conflicts
from storyprism.compare.contrast import article_framing, labels, outlet_framing
from storyprism.compare.origins import group_origins, sentence_origins
from storyprism.compare.units import CLAIM_KINDS, Unit, sentence_units
from storyprism.models import (
    AnalyzedArticle,
    Assignment,
    ClaimGroup,
    ClusterState,
    Comparison,
    SentenceRef,
    StoryArticle,
)
from storyprism.times import utc_key

if TYPE_CHECKING:
    from storyprism.cluster.semantic import Embedder

__all__ = ["compare", "compare_stories", "outlet_of"]

UNIQUE_KINDS = CLAIM_KINDS | {"call_to_action"}
"""What an article alone says, for the unique list: its reported claims and quotes, and its calls to action
(a press release's demand is what it adds to the story); its opinions are shown by the framing measures."""


def outlet_of(item: AnalyzedArticle) -> str:
    """The outlet name shown for an article; one without a known outlet stands alone under its source."""
    return item.article.outlet or f"unknown outlet ({item.article.source})"


def compare(
    articles: Sequence[AnalyzedArticle],
    *,
    story_id: str = "s1",
    title: str | None = None,
    assignments: Mapping[str, Assignment] | None = None,
    embedder: Embedder | None = None,
) -> Comparison:
    """Compare the articles of one story. ``assignments`` (article id -> the cluster stage's Assignment)
    marks wire copies, which then carry the origin of the article they copy; ``embedder`` (the [semantic]
    extra's ``load_embedder()``) lets claims in different words align."""
    assignments = assignments or {}
    items = {a.article.id: a for a in articles}
    outlets = {a.article.id: outlet_of(a) for a in articles}
    canonical = merge_entities([a.entities for a in articles])
    units: list[Unit] = []
    for item in articles:
        units.extend(sentence_units(item, canonical, outlets[item.article.id]))
    per_article = {a.article.id: sentence_origins(a, outlets[a.article.id], canonical) for a in articles}
    embeddings = None
    if embedder is not None and units:
        vectors = np.asarray(embedder([u.ref.text for u in units]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        embeddings = vectors / np.where(norms == 0, 1.0, norms)
    groups, sims = align(units, embeddings)

    reported = [
        g for g in groups if len({units[i].article for i in g}) >= 2 and any(units[i].kind in CLAIM_KINDS for i in g)
    ]
    reported.sort(key=lambda g: (-len({units[i].article for i in g}), min(_order(units[i], items) for i in g)))
    claims: list[ClaimGroup] = []
    group_ids: dict[int, str] = {}
    for n, group in enumerate(reported, 1):
        members = [units[i] for i in group]
        origins, reuse = group_origins(members, per_article, items, assignments)
        claim_id = f"c{n}"
        for i in group:
            group_ids[i] = claim_id
        article_ids = list(dict.fromkeys(u.article for u in members))
        claims.append(
            ClaimGroup(
                id=claim_id,
                text=units[central(group, sims)].ref.text,
                support=[u.ref for u in members],
                articles=article_ids,
                outlets=list(dict.fromkeys(outlets[a] for a in article_ids)),
                origins=origins,
                independent_origins=len(origins),
                reuse=reuse,
                kinds=dict(Counter(u.kind for u in members)),
            )
        )
    in_groups = {i for g in groups if len(g) >= 2 for i in g}
    unique: dict[str, list[SentenceRef]] = {a.article.id: [] for a in articles}
    for i, unit in enumerate(units):
        if i not in in_groups and unit.kind in UNIQUE_KINDS:
            unique[unit.article].append(unit.ref)
    return Comparison(
        id=story_id,
        title=title or _title(articles, claims),
        start=min((a.article.published for a in articles if a.article.published), default=None, key=utc_key),
        end=max((a.article.published for a in articles if a.article.published), default=None, key=utc_key),
        articles=[_story_article(a, outlets, assignments) for a in articles],
        claims=claims,
        unique=unique,
        omitted=_omitted(articles, claims),
        conflicts=find_conflicts(units, groups, group_ids, per_article, sims),
        framing={a.article.id: article_framing(a) for a in articles},
        outlets=outlet_framing(articles, outlets, per_article),
        labels=labels(articles, outlets, canonical),
    )


def compare_stories(
    analyzed: Sequence[AnalyzedArticle],
    assignments: Sequence[Assignment],
    state: ClusterState | None = None,
    embedder: Embedder | None = None,
) -> list[Comparison]:
    """Compare every story of a cluster run, in order of the story's first article."""
    from storyprism.cluster import stories

    by_id = {a.article.id: a for a in analyzed}
    assigned = {a.id: a for a in assignments}
    titles = {s.id: s.title for s in stories(state)} if state is not None else {}
    members: dict[str, list[AnalyzedArticle]] = {}
    for a in assignments:
        if a.id in by_id:
            members.setdefault(a.story, []).append(by_id[a.id])
    out = []
    for story, items in members.items():
        items.sort(key=lambda x: (utc_key(x.article.published), x.article.id))
        out.append(compare(items, story_id=story, title=titles.get(story), assignments=assigned, embedder=embedder))
    return out


def _order(unit: Unit, items: Mapping[str, AnalyzedArticle]) -> tuple[str, str, int]:
    return (utc_key(items[unit.article].article.published), unit.article, unit.sentence)


def _title(articles: Sequence[AnalyzedArticle], claims: list[ClaimGroup]) -> str | None:
    """The title of the article that carries the most shared claims."""
    carried = Counter(a for c in claims for a in c.articles)
    best = max(articles, key=lambda a: (carried[a.article.id], bool(a.article.title)), default=None)
    return best.article.title if best else None


def _story_article(
    item: AnalyzedArticle, outlets: Mapping[str, str], assignments: Mapping[str, Assignment]
) -> StoryArticle:
    a = item.article
    assigned = assignments.get(a.id)
    return StoryArticle(
        id=a.id,
        outlet=outlets[a.id],
        title=a.title,
        published=a.published,
        genre=a.genre,
        source=a.source,
        duplicate_of=assigned.duplicate_of if assigned else None,
        reused=round(assigned.reused, 3) if assigned and assigned.duplicate_of else 0.0,
    )


def _omitted(articles: Sequence[AnalyzedArticle], claims: list[ClaimGroup]) -> dict[str, list[str]]:
    """Article id -> the claims most of the other articles carry and it does not."""
    out: dict[str, list[str]] = {}
    for item in articles:
        others = len(articles) - 1
        missing = [c.id for c in claims if item.article.id not in c.articles and len(c.articles) > others / 2]
        out[item.article.id] = missing
    return out
