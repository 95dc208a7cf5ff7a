"""Framing contrast: the labels each outlet uses for each actor, and the same framing measures per outlet.

Nothing here judges an outlet: every measure is a count over the analyze stage's findings, computed the
same way for every outlet of the story.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from storyprism.compare.origins import SentenceOrigin
from storyprism.models import AnalyzedArticle, OutletFraming

OPINION_KINDS = ("opinion", "call_to_action")
CLAIM_KINDS = ("claim", "quote")
MAX_LABELLED = 40
"""Actors in the labels table: the most mentioned ones (a long story names hundreds of things once)."""


def labels(
    items: Sequence[AnalyzedArticle], outlets: Mapping[str, str], canonical: Mapping[str, str]
) -> dict[str, dict[str, list[str]]]:
    """Canonical actor -> outlet -> its surface forms, most used first, for the actors that more than one
    article names or that some outlet names by a designation."""
    forms: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    articles_of: dict[str, set[str]] = defaultdict(set)
    designated: set[str] = set()
    for item in items:
        outlet = outlets[item.article.id]
        for entity in item.entities:
            if entity.type == "UNRESOLVED":
                continue
            name = canonical.get(entity.key, entity.canonical)
            for mention in entity.mentions:
                forms[name][outlet][_as_written(item.article.text, mention.start, mention.end)] += 1
                if mention.kind == "designation":
                    designated.add(name)
            articles_of[name].add(item.article.id)
    keep = [n for n in forms if len(articles_of[n]) >= 2 or n in designated]
    keep.sort(key=lambda n: (-len(articles_of[n]), -sum(sum(c.values()) for c in forms[n].values()), n))
    return {
        name: {outlet: [f for f, _ in counter.most_common()] for outlet, counter in sorted(forms[name].items())}
        for name in keep[:MAX_LABELLED]
    }


_QUOTE_MARKS = "\"'“”‘’«»"


def _as_written(text: str, start: int, end: int) -> str:
    """The mention with the quotation marks around it, when it has them: 'Israel' in scare quotes is another
    label than Israel."""
    possessive = text[end : end + 2] in ("'s", "’s")
    if (
        start > 0
        and end < len(text)
        and text[start - 1] in _QUOTE_MARKS
        and text[end] in _QUOTE_MARKS
        and not possessive
    ):
        return text[start - 1 : end + 1]
    return text[start:end]


def article_framing(item: AnalyzedArticle) -> list[dict]:
    """[{"category", "term", "count"}] for one article, most frequent first."""
    counter = Counter((m.category, m.term.lower() if m.category != "scare_quote" else m.term) for m in item.framing)
    return [
        {"category": c, "term": t, "count": n} for (c, t), n in sorted(counter.items(), key=lambda x: (-x[1], x[0]))
    ]


def outlet_framing(
    items: Sequence[AnalyzedArticle],
    outlets: Mapping[str, str],
    per_article: Mapping[str, Mapping[int, SentenceOrigin]],
) -> list[OutletFraming]:
    """One profile per outlet, in order of first appearance."""
    by_outlet: dict[str, list[AnalyzedArticle]] = defaultdict(list)
    for item in items:
        by_outlet[outlets[item.article.id]].append(item)
    out = []
    for outlet, members in by_outlet.items():
        kinds: Counter[str] = Counter()
        markers: Counter[str] = Counter()
        terms: Counter[tuple[str, str]] = Counter()
        sourcing: Counter[str] = Counter()
        agencies: list[str] = []
        for item in members:
            kinds.update(s.kind for s in item.sentences)
            for entry in article_framing(item):
                markers[entry["category"]] += entry["count"]
                terms[entry["category"], entry["term"]] += entry["count"]
            for a in item.article.agencies:
                if a.name not in agencies:
                    agencies.append(a.name)
            origins = per_article.get(item.article.id, {})
            for s in item.sentences:
                if s.kind not in CLAIM_KINDS:
                    continue
                origin = origins.get(s.index)
                if origin is None:
                    sourcing["unattributed"] += 1
                elif origin.kind == "agency":
                    sourcing["agency"] += 1
                elif origin.attributed:
                    sourcing["attributed"] += 1
                else:
                    sourcing["unattributed"] += 1
        counted = sum(n for k, n in kinds.items() if k != "other") or 1
        out.append(
            OutletFraming(
                outlet=outlet,
                articles=[m.article.id for m in members],
                sentences=sum(kinds.values()),
                kinds=dict(kinds),
                opinion_share=round(sum(kinds[k] for k in OPINION_KINDS) / counted, 3),
                claim_share=round(sum(kinds[k] for k in CLAIM_KINDS) / counted, 3),
                markers=dict(markers.most_common()),
                terms=[{"category": c, "term": t, "count": n} for (c, t), n in terms.most_common(30)],
                agencies=agencies,
                sourcing={k: sourcing[k] for k in ("agency", "attributed", "unattributed")},
            )
        )
    return out
