"""The whole pipeline in memory: articles -> analyzed articles -> stories -> comparisons.

The CLI's ``compare`` command and the benchmarks use it; each stage stays callable on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from storyprism.analyze import analyze_many
from storyprism.cluster import cluster
from storyprism.compare import compare_stories
from storyprism.models import AnalyzedArticle, Article, Assignment, ClusterDoc, ClusterState, Comparison
from storyprism.read import ErrorHandler

if TYPE_CHECKING:
    from spacy.language import Language

    from storyprism.cluster.semantic import Embedder


def cluster_doc(item: AnalyzedArticle) -> ClusterDoc:
    """The cluster stage's view of an analyzed article. Its entities are left out on purpose: on NeuS they
    lowered BCubed F1 from 0.729 to 0.684 (bench/compare.py prints the comparison), and a shared place name
    ("Port Aldane") pulled an unrelated local story into the ferry story of the example corpus."""
    return ClusterDoc.from_article(item.article)


def run(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    jobs: int = 1,
    embedder: Embedder | None = None,
    state: ClusterState | None = None,
    on_error: ErrorHandler | None = None,
) -> tuple[list[Comparison], list[AnalyzedArticle], list[Assignment]]:
    """Analyze, cluster and compare; returns the comparisons (one per story), the analyzed articles and the
    cluster assignments. An article id seen twice is kept once (the first); one the analyze stage cannot
    take goes to ``on_error`` (see ``analyze_many``)."""
    analyzed: list[AnalyzedArticle] = []
    seen: set[str] = set()
    for item in analyze_many(articles, nlp, n_process=jobs, on_error=on_error):
        if item.article.id not in seen:
            seen.add(item.article.id)
            analyzed.append(item)
    assignments, state = cluster([cluster_doc(a) for a in analyzed], state, embedder=embedder)
    return compare_stories(analyzed, assignments, state, embedder), analyzed, assignments
