"""What the report shows, as plain data: one ``StoryView`` per comparison, shared by the HTML and Markdown
renderers so both say the same thing. Nothing here is escaped; each renderer escapes for its own format."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyprism.models import AnalyzedArticle, ClaimGroup, Comparison, Origin, SentenceRef
from storyprism.report.anchors import (
    article_anchor,
    claim_anchor,
    conflict_anchor,
    sentence_anchor,
    story_anchor,
    unique_anchor,
)
from storyprism.report.charts import CATEGORY_ORDER, OutletChart, framing_charts
from storyprism.report.evidence import SentenceLink, link, side_outlets, side_refs
from storyprism.report.matrix import Row, matrix_rows


@dataclass(frozen=True)
class Tag:
    """A back-reference from a sentence to a finding that cites it ("C1", "U2", "≠1")."""

    label: str
    anchor: str
    title: str


@dataclass
class SentenceView:
    index: int
    anchor: str
    text: str
    kind: str
    tags: list[Tag] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleRef:
    id: str
    outlet: str
    title: str
    anchor: str | None
    """None when the article is not part of this story (nothing to link to)."""


@dataclass
class ArticleView:
    id: str
    anchor: str
    outlet: str
    title: str | None
    published: str | None
    genre: str
    source: str
    url: str | None
    """Shown as text, never as a link: a report must not fetch or navigate anywhere a document says."""
    duplicate_of: ArticleRef | None
    reused: float
    unique: list[tuple[str, str, SentenceLink]]
    """(label, anchor, sentence) of each claim only this article carries."""
    omitted: list[tuple[str, str, str]]
    """(claim label, claim anchor, claim text) of what most others carry and this one leaves out."""
    terms: list[tuple[str, list[tuple[str, Any]]]]
    """Framing terms grouped by category (lexicon order): [(category, [(term, count)])]."""
    paragraphs: list[list[SentenceView]]
    stray: list[SentenceView]
    """Cited sentences that the analyzed text does not hold (or all cited ones, when no text was supplied)."""
    text_missing: bool
    shown_in: str | None = None
    """Anchor of the story where this article's text was already shown (an article in two comparisons)."""


@dataclass
class OriginView:
    name: str
    kind: str
    key: str
    articles: list[ArticleRef]
    cited: list[str]
    why: list[str]


@dataclass
class ClaimView:
    label: str
    id: str
    anchor: str
    text: str
    outlets: list[str]
    independent_origins: int
    origins: list[OriginView]
    reuse: list[str]
    kinds: dict[str, int]
    support: list[SentenceLink]


@dataclass
class SideView:
    value: str
    outlets: list[str]
    attributed_to: str
    sentences: list[SentenceLink]


@dataclass
class ConflictView:
    label: str
    anchor: str
    kind: str
    what: str
    claim: tuple[str, str] | None
    """(label, anchor) of the claim group the conflict is aligned with."""
    sides: list[SideView]


@dataclass
class FramingView:
    outlet: str
    articles: list[ArticleRef]
    sentences: int
    kinds: dict[str, int]
    sourcing: dict[str, int]
    agencies: list[str]
    terms: list[dict[str, Any]]
    chart: OutletChart


@dataclass
class StoryView:
    id: str
    anchor: str
    title: str
    span: str
    outlets: list[str]
    articles: list[ArticleView]
    rows: list[Row]
    claims: list[ClaimView]
    conflicts: list[ConflictView]
    label_outlets: list[str]
    labels: list[tuple[str, list[list[str]]]]
    """(canonical entity, surface forms per outlet of ``label_outlets``)."""
    framing: list[FramingView]

    @property
    def shared_count(self) -> int:
        return len(self.claims)

    @property
    def unique_count(self) -> int:
        return sum(len(a.unique) for a in self.articles)


def time_span(start: str | None, end: str | None) -> str:
    if start and end and start != end:
        return f"{start} – {end}"
    return start or end or "date unknown"


def grouped_terms(terms: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """One line per category reads far better than one row per term (a press release can carry a hundred)."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for t in terms:
        groups.setdefault(str(t.get("category", "")), []).append((str(t.get("term", "")), t.get("count", "")))
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def build_views(comparisons: Sequence[Comparison], articles: Mapping[str, AnalyzedArticle]) -> list[StoryView]:
    shown: dict[str, str] = {}
    """Article id -> story anchor where its sentences (and their anchors) were first rendered."""
    return [_story(c, articles, shown) for c in comparisons]


def _story(comparison: Comparison, analyzed: Mapping[str, AnalyzedArticle], shown: dict[str, str]) -> StoryView:
    anchor = story_anchor(comparison.id)
    outlet_of = {a.id: a.outlet or a.id for a in comparison.articles}
    outlets = list(dict.fromkeys([*outlet_of.values(), *(o.outlet for o in comparison.outlets)]))
    claim_labels = {g.id: f"C{i}" for i, g in enumerate(comparison.claims, 1)}
    unique_labels: dict[tuple[str, int], str] = {}
    for article_id, refs in comparison.unique.items():
        for position in range(len(refs)):
            unique_labels[(article_id, position)] = f"U{len(unique_labels) + 1}"
    metas = list({a.id: a for a in comparison.articles}.values())
    refs_by_article = {
        a.id: ArticleRef(a.id, outlet_of[a.id], a.title or a.id, article_anchor(comparison.id, a.id)) for a in metas
    }

    def article_ref(article_id: str) -> ArticleRef:
        return refs_by_article.get(article_id) or ArticleRef(article_id, article_id, article_id, None)

    tags: dict[tuple[str, int], list[Tag]] = {}
    cited: dict[str, dict[int, SentenceRef]] = {}
    """Every sentence a finding points to, so each one gets an anchor even when the analyzed text lacks it."""

    def note(ref: SentenceRef, tag: Tag) -> None:
        cited.setdefault(ref.article, {}).setdefault(ref.sentence, ref)
        found = tags.setdefault((ref.article, ref.sentence), [])
        if tag not in found:
            found.append(tag)

    claims = [_claim(comparison.id, g, claim_labels[g.id], outlet_of, article_ref) for g in comparison.claims]
    for group in comparison.claims:
        for ref in group.support:
            note(ref, Tag(claim_labels[group.id], claim_anchor(comparison.id, group.id), group.text))
    for (article_id, position), label in unique_labels.items():
        ref = comparison.unique[article_id][position]
        note(ref, Tag(label, unique_anchor(comparison.id, article_id, position), "only this article"))

    conflicts: list[ConflictView] = []
    for position, conflict in enumerate(comparison.conflicts, 1):
        label, target = f"≠{position}", conflict_anchor(comparison.id, position)
        sides = []
        for side in conflict.sides or []:
            refs = side_refs(side)
            for ref in refs:
                note(ref, Tag(label, target, f"{conflict.what}: {side.get('value', '')}"))
            attributed = side.get("attributed_to") or ""
            sides.append(
                SideView(
                    value=str(side.get("value", "")),
                    outlets=side_outlets(side, outlet_of),
                    attributed_to=", ".join(map(str, attributed)) if isinstance(attributed, list) else str(attributed),
                    sentences=[link(r, outlet_of) for r in refs],
                )
            )
        claim = None
        if conflict.claim in claim_labels:
            claim = (claim_labels[conflict.claim], claim_anchor(comparison.id, conflict.claim))
        conflicts.append(ConflictView(label, target, conflict.kind, conflict.what, claim, sides))

    texts = {g.id: g.text for g in comparison.claims}
    article_views = []
    for meta in metas:
        if meta.id in shown:
            text: tuple[list[list[SentenceView]], list[SentenceView], bool] = ([], [], False)
        else:
            text = _text(meta.id, analyzed.get(meta.id), cited.get(meta.id, {}), tags)
            shown[meta.id] = anchor
        full = analyzed.get(meta.id)
        unique = [
            (unique_labels[(meta.id, i)], unique_anchor(comparison.id, meta.id, i), link(ref, outlet_of))
            for i, ref in enumerate(comparison.unique.get(meta.id, []))
        ]
        omitted = [
            (claim_labels[cid], claim_anchor(comparison.id, cid), texts[cid])
            for cid in comparison.omitted.get(meta.id, [])
            if cid in claim_labels  # an id that names no claim group has nothing to show or link to
        ]
        article_views.append(
            ArticleView(
                id=meta.id,
                anchor=article_anchor(comparison.id, meta.id),
                outlet=outlet_of[meta.id],
                title=meta.title,
                published=meta.published,
                genre=meta.genre,
                source=meta.source,
                url=full.article.url if full else None,
                duplicate_of=article_ref(meta.duplicate_of) if meta.duplicate_of else None,
                reused=meta.reused,
                unique=unique,
                omitted=omitted,
                terms=grouped_terms(comparison.framing.get(meta.id, [])),
                paragraphs=text[0],
                stray=text[1],
                text_missing=text[2],
                shown_in=shown[meta.id] if shown[meta.id] != anchor else None,
            )
        )

    label_outlets = list(dict.fromkeys([*outlets, *(o for forms in comparison.labels.values() for o in forms)]))
    labels = [(entity, [list(forms.get(o, [])) for o in label_outlets]) for entity, forms in comparison.labels.items()]
    charts = framing_charts(comparison.outlets)
    framing = [
        FramingView(
            outlet=o.outlet,
            articles=[article_ref(a) for a in o.articles],
            sentences=o.sentences,
            kinds=dict(o.kinds),
            sourcing=dict(o.sourcing),
            agencies=list(o.agencies),
            terms=list(o.terms),
            chart=chart,
        )
        for o, chart in zip(comparison.outlets, charts, strict=True)
    ]
    return StoryView(
        id=comparison.id,
        anchor=anchor,
        title=comparison.title or comparison.id,
        span=time_span(comparison.start, comparison.end),
        outlets=outlets,
        articles=article_views,
        rows=matrix_rows(comparison, outlets, outlet_of, claim_labels, unique_labels),
        claims=claims,
        conflicts=conflicts,
        label_outlets=label_outlets,
        labels=labels,
        framing=framing,
    )


def _claim(
    story_id: str, group: ClaimGroup, label: str, outlet_of: Mapping[str, str], article_ref: Callable[[str], ArticleRef]
) -> ClaimView:
    return ClaimView(
        label=label,
        id=group.id,
        anchor=claim_anchor(story_id, group.id),
        text=group.text,
        outlets=list(group.outlets),
        independent_origins=group.independent_origins,
        origins=[_origin(o, article_ref) for o in group.origins],
        reuse=list(group.reuse),
        kinds=dict(group.kinds),
        support=[link(r, outlet_of) for r in group.support],
    )


def _origin(origin: Origin, article_ref: Callable[[str], ArticleRef]) -> OriginView:
    return OriginView(
        name=origin.name,
        kind=origin.kind,
        key=origin.key,
        articles=[article_ref(a) for a in origin.articles],
        cited=list(origin.cited),
        why=list(origin.why),
    )


def _text(
    article_id: str,
    analyzed: AnalyzedArticle | None,
    cited: Mapping[int, SentenceRef],
    tags: Mapping[tuple[str, int], list[Tag]],
) -> tuple[list[list[SentenceView]], list[SentenceView], bool]:
    """The article's sentences in paragraphs, and the cited sentences it does not hold, each with its anchor."""

    def view(index: int, text: str, kind: str) -> SentenceView:
        return SentenceView(index, sentence_anchor(article_id, index), text, kind, tags.get((article_id, index), []))

    paragraphs: list[list[SentenceView]] = []
    seen: set[int] = set()
    if analyzed is not None:
        body = analyzed.article.text
        previous_end: int | None = None
        for sentence in sorted(analyzed.sentences, key=lambda s: s.index):
            if sentence.index in seen:
                continue  # a duplicated index would give two elements the same id
            seen.add(sentence.index)
            # The body separates paragraphs with line breaks; keeping them makes the context readable.
            gap = body[previous_end : sentence.start] if previous_end is not None else ""
            if not paragraphs or "\n" in gap:
                paragraphs.append([])
            paragraphs[-1].append(view(sentence.index, sentence.text, sentence.kind))
            previous_end = sentence.end
    stray = [view(i, cited[i].text, "cited") for i in sorted(cited) if i not in seen]
    return paragraphs, stray, analyzed is None
