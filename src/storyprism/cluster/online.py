"""Online story clustering: each document joins the best candidate story or starts a new one.

Candidates come from an inverted index (term -> stories whose centroid holds it), restricted to the time
window when dates are known: a document is never compared with every earlier one. A document is scored
against the story's centroid (all members) and its nearest representative together, so a story cannot grow
by chaining (A~B, B~C, C far from A). IDF comes from the documents seen so far, kept in the state, so a saved
state continues exactly as one pass would.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from datetime import UTC, datetime

from storyprism.cluster import duplicates
from storyprism.cluster.features import DocFeatures, doc_features
from storyprism.models import Assignment, ClusterDoc, ClusterState, StoryState

# All thresholds below were tuned on the train split of the NeuS dev set (bench/cluster.py --tune, the val
# split held out), then checked on the synthetic same-kind-different-event set (tests/data/cluster/) and the
# example corpus; see README "Cluster" for the held-out figures.
JOIN_THRESHOLD = 0.30
"""Minimum combined similarity (see ``CENTROID_WEIGHT``) to join a story; below it the document starts one."""
CENTROID_WEIGHT = 0.3
"""Score = this share of cosine to the story centroid + the rest of cosine to its nearest representative.
The centroid part is what stops chaining; the nearest part lets a paraphrase that matches one member join."""
MIN_CENTROID_COS = 0.12
"""Even a close nearest member cannot pull a document in whose cosine to the whole story is below this."""
WINDOW_DAYS = 4.0
"""A dated document only meets stories whose dated members reach within this many days of it."""
TIME_DECAY = 0.3
"""The score is multiplied by 1 - TIME_DECAY * gap / WINDOW_DAYS: the same words a day apart mean more than
three days apart."""
MIN_NAMES_FOR_GATE = 2
NAME_MISMATCH_FACTOR = 0.6
"""A document naming at least MIN_NAMES_FOR_GATE people/places/organisations, none of which the story's centroid
holds, has its score multiplied by this: two earthquakes or two arrests share every word but the names. Set on
the synthetic same-kind set (tests/data/cluster/), checked on NeuS train (BCubed F1 moved by under 0.01)."""
SHORT_DOC_WORDS = 50
SHORT_COVERAGE_SCALE = 1.0
"""A dated text under SHORT_DOC_WORDS (a feed summary) may join on covered share of its weight x this scale
instead of the cosine: set on the example corpus's summary-only feed entries (covered 0.36 by their
story, the unrelated brief 0.05 or less). Never applies to undated documents, so not to NeuS."""
PRIOR_DOCS = 1000.0
"""IDF = log((N + PRIOR_DOCS) / (df + 1)): as if every term had been absent from this many earlier documents.
Without it the first documents of a fresh state find their shared words "common" and never join (two reports
of one event out of three documents seen). Its effect fades as real documents arrive."""
QUERY_TERMS = 12
"""How many of a document's heaviest terms are looked up in the index."""
COMMON_DF_SHARE = 0.03
"""Terms in more than this share of documents are not looked up (every story has them), once 200 are seen."""
CANDIDATES = 16
"""Stories scored in full per document, the best by partial (index) score."""
FULL_SCORES = 6
"""Of those, the closest by centroid cosine are also compared with the story's representatives."""
CENTROID_TERMS = 200
"""A story centroid keeps its heaviest terms only: bounded memory and time for stories of many articles."""
REP_TERMS = 60
MAX_REPS = 8
"""Representatives per story: its most central members' own vectors (the nearest member, the title)."""
CROSS_SCRIPT_MIN_KEYS = 3
"""A document in another script (no shared words) joins a story only on this many shared name skeletons and
numbers, at least two of them names, within the time window. Set on the example corpus (Arabic report of a
Latin-script story shares 5-7; other stories share at most 2)."""


def _days(published: str | None) -> float | None:
    if not published:
        return None
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = datetime.fromisoformat(published[:10])
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() / 86400.0


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    if len(vec) <= n:
        return vec
    return dict(heapq.nlargest(n, vec.items(), key=lambda kv: (kv[1], kv[0])))


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else vec


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


class Clusterer:
    """Holds a ``ClusterState`` and the in-memory indexes rebuilt from it."""

    def __init__(self, state: ClusterState | None = None) -> None:
        self.state = state or ClusterState()
        self.dups = duplicates.DuplicateIndex(self.state.signatures)
        self.index: dict[str, dict[str, float]] = {}
        """term -> {story id: the term's weight in the story's unit centroid}; mirrors the centroids exactly."""
        self.skel_index: dict[str, dict[str, None]] = {}
        self.order: dict[str, int] = {}
        self.span: dict[str, tuple[float | None, float | None]] = {}
        self.scripts: set[str] = set()
        """Scripts of all stories: the cross-script path is skipped while every story is in the doc's script."""
        for n, story in enumerate(self.state.stories.values()):
            self.order[story.id] = n
            self._index_story(story)

    # --- indexes -----------------------------------------------------------------------------------------
    def _index_story(self, story: StoryState, dropped: Iterable[str] = ()) -> None:
        for term in dropped:
            postings = self.index.get(term)
            if postings:
                postings.pop(story.id, None)
        norm = story.norm or 1.0
        for term, weight in story.centroid.items():
            self.index.setdefault(term, {})[story.id] = weight / norm
        for key in story.skeletons:
            self.skel_index.setdefault(key, {})[story.id] = None
        self.span[story.id] = (_days(story.start), _days(story.end))
        self.scripts.update(story.scripts)

    def _gap(self, story_id: str, when: float | None) -> float:
        """Days between a document and a story's dated members; 0 when either has no date."""
        start, end = self.span[story_id]
        if when is None or start is None or end is None:
            return 0.0
        return max(0.0, start - when, when - end)

    # --- scoring -----------------------------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        return math.log((self.state.n_docs + PRIOR_DOCS) / (self.state.df.get(term, 0) + 1))

    def vector(self, feats: DocFeatures) -> dict[str, float]:
        """The document's unit TF-IDF vector with the state's current IDF."""
        boosts = feats.boosts
        return _unit({k: v * self._idf(k) * boosts.get(k, 1.0) for k, v in feats.terms.items()})

    def _candidates(self, vec: dict[str, float], when: float | None) -> list[str]:
        df, n_docs = self.state.df, self.state.n_docs
        common = COMMON_DF_SHARE * n_docs if n_docs >= 200 else math.inf
        query = [(t, w) for t, w in heapq.nlargest(QUERY_TERMS * 2, vec.items(), key=lambda kv: (kv[1], kv[0]))]
        query = [(t, w) for t, w in query if df.get(t, 0) <= common][:QUERY_TERMS]
        partial: dict[str, float] = {}
        get = partial.get
        for term, weight in query:
            postings = self.index.get(term)
            if postings:
                for sid, cw in postings.items():
                    partial[sid] = get(sid, 0.0) + weight * cw
        if when is not None:
            partial = {sid: v for sid, v in partial.items() if self._gap(sid, when) <= WINDOW_DAYS}
        return heapq.nlargest(CANDIDATES, partial, key=partial.__getitem__)

    def _score(
        self,
        vec: dict[str, float],
        story: StoryState,
        when: float | None,
        centroid_cos: float,
        short: bool,
        names: set[str],
    ) -> tuple[float, str | None]:
        nearest, nearest_cos = None, 0.0
        for doc_id, rep in story.reps:
            cos = _dot(vec, rep)
            if cos > nearest_cos:
                nearest, nearest_cos = doc_id, cos
        score = CENTROID_WEIGHT * centroid_cos + (1 - CENTROID_WEIGHT) * nearest_cos
        if short and when is not None and story.start is not None:
            # a dated brief against a dated story: how much of the brief the story covers, not the cosine
            # (a 30-word summary can never reach a long story's cosine)
            covered = sum(w * w for t, w in vec.items() if t in story.centroid)
            score = max(score, SHORT_COVERAGE_SCALE * covered)
        if len(names) >= MIN_NAMES_FOR_GATE and not any(n in story.centroid for n in names):
            score *= NAME_MISMATCH_FACTOR  # same kind of event, different people and places
        gap = self._gap(story.id, when)
        return score * (1.0 - TIME_DECAY * min(gap, WINDOW_DAYS) / WINDOW_DAYS), nearest

    def _cross_script(self, feats: DocFeatures, when: float | None) -> tuple[str | None, float, str | None]:
        """Best story in another script, on shared name skeletons and numbers only."""
        if not feats.skeletons or not self.scripts - {feats.script}:
            return None, 0.0, None
        shared: dict[str, int] = {}
        for key in sorted(feats.skeletons):
            for sid in self.skel_index.get(key, ()):
                if feats.script not in self.state.stories[sid].scripts:
                    shared[sid] = shared.get(sid, 0) + 1
        best, best_keys = None, 0
        for sid, n_names in sorted(shared.items(), key=lambda kv: self.order[kv[0]]):
            if n_names < 2 or self._gap(sid, when) > WINDOW_DAYS:
                continue
            story = self.state.stories[sid]
            numbers = sum(1 for num in feats.numbers if "#" + num in story.centroid)
            if n_names + numbers > best_keys:
                best, best_keys = sid, n_names + numbers
        if best is None or best_keys < CROSS_SCRIPT_MIN_KEYS:
            return None, 0.0, None
        story = self.state.stories[best]
        return best, float(best_keys), story.reps[0][0] if story.reps else None

    # --- one document ------------------------------------------------------------------------------------
    def add(self, doc: ClusterDoc) -> Assignment:
        state = self.state
        if doc.id in state.doc_story:
            raise ValueError(f"document id {doc.id!r} was already clustered")
        when = _days(doc.published)
        text = f"{doc.title or ''}\n{doc.text}"
        dup_of, reused = self._duplicate(doc, text)
        if dup_of is not None:
            story = state.stories[state.doc_story[dup_of]]
            assignment = Assignment(doc.id, story.id, dup_of, reused, dup_of, reused)
            self._record(story, doc, assignment, None, None)
            return assignment

        feats = doc_features(doc)
        vec = self.vector(feats)
        best, best_score, nearest = None, 0.0, None
        stories = state.stories
        short = len(doc.text.split()) < SHORT_DOC_WORDS
        by_centroid = []
        for sid in self._candidates(vec, when):
            story = stories[sid]
            cos = _dot(vec, story.centroid) / story.norm
            if cos >= MIN_CENTROID_COS:
                by_centroid.append((-cos, self.order[sid], sid))
        for neg_cos, _, sid in sorted(by_centroid)[:FULL_SCORES]:  # only the closest few get the nearest member
            score, near = self._score(vec, stories[sid], when, -neg_cos, short, feats.names)
            if score > best_score:
                best, best_score, nearest = sid, score, near
        if best_score < JOIN_THRESHOLD:
            best = None
            cross, cross_score, cross_near = self._cross_script(feats, when)
            if cross is not None:
                best, best_score, nearest = cross, cross_score, cross_near
        if best is None:
            story = StoryState(id=f"s{state.next_story}")
            state.next_story += 1
            state.stories[story.id] = story
            self.order[story.id] = len(self.order)
            assignment = Assignment(doc.id, story.id)
        else:
            story = state.stories[best]
            assignment = Assignment(doc.id, story.id, nearest=nearest, score=round(best_score, 4))
        for term in feats.terms:  # IDF from the documents seen so far, this one included from now on
            state.df[term] = state.df.get(term, 0) + 1
        state.n_docs += 1
        self._record(story, doc, assignment, vec, feats)
        return assignment

    def _duplicate(self, doc: ClusterDoc, text: str) -> tuple[str | None, float]:
        state = self.state
        key = duplicates.exact_key(text)
        if key in state.exact:
            return state.exact[key], 1.0
        state.exact[key] = doc.id
        words = duplicates.tokens(doc.text)
        sig = duplicates.signature(words)
        if sig is None:
            return None, 0.0
        source, share = self.dups.best_source(*sig)
        self.dups.add(doc.id, *sig)
        if source is not None and share >= duplicates.DUPLICATE_SHARE:
            return source, share
        return None, 0.0

    def _record(
        self,
        story: StoryState,
        doc: ClusterDoc,
        assignment: Assignment,
        vec: dict[str, float] | None,
        feats: DocFeatures | None,
    ) -> None:
        self.state.doc_story[doc.id] = story.id
        story.members.append(assignment)
        if doc.title:
            story.titles[doc.id] = doc.title
        if doc.published and _days(doc.published) is not None:
            when = _days(doc.published)
            if story.start is None or when < _days(story.start):
                story.start = doc.published
            if story.end is None or when > _days(story.end):
                story.end = doc.published
        if vec is not None and feats is not None:
            story.size += 1
            centroid = story.centroid
            for term, weight in vec.items():
                centroid[term] = centroid.get(term, 0.0) + weight
            story.centroid = _top(centroid, CENTROID_TERMS)
            dropped = centroid.keys() - story.centroid.keys()
            story.norm = math.sqrt(sum(v * v for v in story.centroid.values()))
            if feats.script not in story.scripts:
                story.scripts.append(feats.script)
            for key in feats.skeletons:
                story.skeletons[key] = story.skeletons.get(key, 0) + 1
            self._update_reps(story, doc.id, vec)
            self._index_story(story, dropped)
        else:
            self._index_story(story)

    def _update_reps(self, story: StoryState, doc_id: str, vec: dict[str, float]) -> None:
        """Keep the MAX_REPS members closest to the current centroid (the first ones until there are enough)."""
        rep = _unit(_top(vec, REP_TERMS))
        if len(story.reps) < MAX_REPS:
            story.reps.append((doc_id, rep))
            return
        central = [(_dot(r, story.centroid), i) for i, (_, r) in enumerate(story.reps)]
        worst, i = min(central)
        if _dot(rep, story.centroid) > worst:
            story.reps[i] = (doc_id, rep)


def run(docs: Iterable[ClusterDoc], clusterer: Clusterer) -> list[Assignment]:
    return [clusterer.add(doc) for doc in docs]
