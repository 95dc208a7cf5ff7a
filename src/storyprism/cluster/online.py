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
from datetime import UTC
from itertools import chain

import numpy as np

from storyprism.cluster import duplicates
from storyprism.cluster.features import DocFeatures, doc_features
from storyprism.models import Assignment, ClusterDoc, ClusterState, StoryState
from storyprism.times import parse_time

# All thresholds below were tuned on the train split of the NeuS dev set (bench/cluster.py --tune, the val
# split held out), then checked on the synthetic same-kind-different-event set (tests/data/cluster/) and the
# example corpus; see README "Cluster" for the held-out figures.
JOIN_THRESHOLD = 0.30
"""Minimum combined similarity (see ``CENTROID_WEIGHT``) to join a story; below it the document starts one.
NeuS train prefers 0.26 (with JOIN_MARGIN 0.06; BCubed F1 0.740 vs 0.734 here) but that merges the two
earthquakes of tests/data/cluster/ and breaks the example corpus key, so 0.30 stays."""
JOIN_MARGIN = 0.04
"""A document joins only if its best story beats the second best by this much; otherwise it is ambiguous
between two stories (two events of one topic) and starts its own. Tuned on NeuS train (0.03-0.06 all +0.01
BCubed F1 over none: precision up more than recall down)."""
SEMANTIC_JOIN_THRESHOLD = 0.48
"""JOIN_THRESHOLD when sentence embeddings are mixed in (SEMANTIC_WEIGHT): embedding cosines of unrelated news
are 0.2-0.4 rather than near 0, so the bar is higher. Tuned on NeuS train."""
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
# Speed knobs: set for >= 2,000 docs/s on 8k NeuS documents; each cost under 0.003 BCubed F1 against the
# slower 12 / 0.03 / 16 / 6 of the first version (bench/cluster.py).
QUERY_TERMS = 10
"""How many of a document's heaviest terms are looked up in the index."""
COMMON_DF_SHARE = 0.01
"""Terms in more than this share of documents are not looked up (every story has them), once 200 are seen."""
MAX_POSTINGS = 1000
"""Nor terms held by more stories than this, whatever the share: keeps the per-document cost flat as a state
grows to hundreds of thousands of documents (the share alone would let posting lists grow with it)."""
CANDIDATES = 10
"""Stories scored in full per document, the best by partial (index) score."""
FULL_SCORES = 5
"""Of those, the closest by centroid cosine are also compared with the story's representatives."""
SEMANTIC_WEIGHT = 0.5
"""Semantic path: score = (1 - this) x the word score + this x the same score on sentence embeddings."""
CENTROID_TERMS = 200
"""A story centroid keeps its heaviest terms only: bounded memory and time for stories of many articles."""
PRUNE_SLACK = 50
"""The centroid is cut back to CENTROID_TERMS once it exceeds it by this much (sorting at every join is slow)."""
REP_TERMS = 60
MAX_REPS = 8
"""Representatives per story: its most central members' own vectors (the nearest member, the title)."""
CROSS_SCRIPT_MIN_KEYS = 3
"""A document in another script (no shared words) joins a story only on this many shared name skeletons and
numbers, at least two of them names, within the time window. Set on the example corpus (Arabic report of a
Latin-script story shares 5-7; other stories share at most 2)."""


def _days(published: str | None) -> float | None:
    # A malformed time with a readable date ("2031-03-14T25:00") still places the document on its day.
    when = parse_time(published) or parse_time((published or "")[:10])
    if when is None:
        return None
    return when.replace(tzinfo=UTC).timestamp() / 86400.0


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    if len(vec) <= n:
        return vec
    return dict(heapq.nlargest(n, vec.items(), key=lambda kv: (kv[1], kv[0])))


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else vec


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    # the key intersection runs in C; only the few shared terms are multiplied in Python
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


class Clusterer:
    """Holds a ``ClusterState`` and the in-memory indexes rebuilt from it."""

    def __init__(self, state: ClusterState | None = None) -> None:
        self.state = state or ClusterState()
        self.embedding: np.ndarray | None = None
        self.sem_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        """The unit sentence embedding of the document being added (semantic path), else None."""
        self.dups = duplicates.DuplicateIndex(self.state.signatures)
        self.index: dict[str, dict[int, float]] = {}
        """term -> {story number: the term's weight in the story's (unnormalised) centroid}; mirrors the centroids
        exactly. Unnormalised so that a join only touches the joining document's terms, not the whole centroid."""
        self.skel_index: dict[str, dict[str, None]] = {}
        self.order: dict[str, int] = {}
        """Story id -> its number (creation order): the row of the story in the arrays below."""
        self.ids: list[str] = []
        self.norms = np.zeros(64)
        self.starts = np.full(64, np.nan)
        self.ends = np.full(64, np.nan)
        """Per story number: centroid norm and dated span in days (NaN: no dated member), for vectorised scoring."""
        self.span: dict[str, tuple[float | None, float | None]] = {}
        self.scripts: set[str] = set()
        """Scripts of all stories: the cross-script path is skipped while every story is in the doc's script."""
        for story in self.state.stories.values():
            self._number(story.id)
            self._index_story(story)

    # --- indexes -----------------------------------------------------------------------------------------
    def _number(self, story_id: str) -> int:
        n = len(self.ids)
        self.order[story_id] = n
        self.ids.append(story_id)
        if n >= len(self.norms):  # grow the arrays by doubling: amortised O(1) per story
            self.norms = np.concatenate([self.norms, np.zeros(n)])
            self.starts = np.concatenate([self.starts, np.full(n, np.nan)])
            self.ends = np.concatenate([self.ends, np.full(n, np.nan)])
        return n

    def _index_story(
        self, story: StoryState, dropped: Iterable[str] = (), changed: Iterable[str] | None = None
    ) -> None:
        """(Re-)index a story: all its centroid terms, or only ``changed`` ones (the joining document's)."""
        n = self.order[story.id]
        for term in dropped:
            postings = self.index.get(term)
            if postings:
                postings.pop(n, None)
        centroid = story.centroid
        for term in centroid if changed is None else changed:
            if term in centroid:
                self.index.setdefault(term, {})[n] = centroid[term]
        for key in story.skeletons:
            self.skel_index.setdefault(key, {})[story.id] = None
        start, end = _days(story.start), _days(story.end)
        self.span[story.id] = (start, end)
        self.norms[n] = story.norm or 1.0
        self.starts[n] = np.nan if start is None else start
        self.ends[n] = np.nan if end is None else end
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
        plists, qweights = [], []
        for term, weight in query:
            postings = self.index.get(term)
            if postings and len(postings) <= MAX_POSTINGS:
                plists.append(postings)
                qweights.append(weight)
        if not plists:
            return []
        # two C-level passes over all postings at once (per-term numpy calls cost more than the sums)
        lengths = [len(p) for p in plists]
        total = sum(lengths)
        rows = np.fromiter(chain.from_iterable(p.keys() for p in plists), np.int64, total)
        weights = np.fromiter(chain.from_iterable(p.values() for p in plists), np.float64, total)
        weights *= np.repeat(qweights, lengths)
        n = len(self.ids)
        # the partial dot product with every story at once: a bincount over the query terms' postings
        partial = np.bincount(rows, weights, minlength=n)[:n] / self.norms[:n]
        if when is not None:  # NaN spans (undated stories) give NaN gaps, which fmax turns into 0
            gap = np.fmax(np.fmax(self.starts[:n] - when, when - self.ends[:n]), 0.0)
            partial[gap > WINDOW_DAYS] = 0.0
        k = min(CANDIDATES, n)
        top = np.argpartition(-partial, k - 1)[:k]
        top = top[partial[top] > 0]
        top = top[np.lexsort((top, -partial[top]))]  # best first, ties by story number: deterministic
        return [self.ids[i] for i in top]

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
        emb = self.embedding
        if emb is not None and story.embedding is not None and story.rep_embeddings:
            centroid, reps = self._semantic(story)
            sem = CENTROID_WEIGHT * float(emb @ centroid) + (1 - CENTROID_WEIGHT) * float((reps @ emb).max())
            score = (1 - SEMANTIC_WEIGHT) * score + SEMANTIC_WEIGHT * sem
        if short and when is not None and story.start is not None:
            # a dated brief against a dated story: how much of the brief the story covers, not the cosine
            # (a 30-word summary can never reach a long story's cosine)
            covered = sum(w * w for t, w in vec.items() if t in story.centroid)
            score = max(score, SHORT_COVERAGE_SCALE * covered)
        if len(names) >= MIN_NAMES_FOR_GATE and not any(n in story.centroid for n in names):
            score *= NAME_MISMATCH_FACTOR  # same kind of event, different people and places
        gap = self._gap(story.id, when)
        return score * (1.0 - TIME_DECAY * min(gap, WINDOW_DAYS) / WINDOW_DAYS), nearest

    def _semantic(self, story: StoryState) -> tuple[np.ndarray, np.ndarray]:
        """The story's unit embedding centroid and its representatives' embeddings as arrays (cached)."""
        cached = self.sem_cache.get(story.id)
        if cached is None:
            centroid = np.asarray(story.embedding, dtype=np.float32)
            centroid /= float(np.linalg.norm(centroid)) or 1.0
            reps = np.asarray(list(story.rep_embeddings.values()), dtype=np.float32)
            cached = self.sem_cache[story.id] = (centroid, reps)
        return cached

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
    def add(self, doc: ClusterDoc, embedding: np.ndarray | None = None) -> Assignment:
        """Cluster one document; ``embedding`` (its unit sentence embedding) switches on the semantic score."""
        self.embedding = embedding
        state = self.state
        if doc.id in state.doc_story:
            raise ValueError(f"document id {doc.id!r} was already clustered")
        when = _days(doc.published)
        dup_of, reused = self._duplicate(doc)
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
        second = 0.0
        for neg_cos, _, sid in sorted(by_centroid)[:FULL_SCORES]:  # only the closest few get the nearest member
            score, near = self._score(vec, stories[sid], when, -neg_cos, short, feats.names)
            if score > best_score:
                best, best_score, nearest, second = sid, score, near, best_score
            elif score > second:
                second = score
        threshold = JOIN_THRESHOLD if embedding is None else SEMANTIC_JOIN_THRESHOLD
        if best_score < threshold or best_score - second < JOIN_MARGIN:
            best = None
            cross, cross_score, cross_near = self._cross_script(feats, when)
            if cross is not None:
                best, best_score, nearest = cross, cross_score, cross_near
        if best is None:
            story = StoryState(id=f"s{state.next_story}")
            state.next_story += 1
            state.stories[story.id] = story
            self._number(story.id)
            assignment = Assignment(doc.id, story.id)
        else:
            story = state.stories[best]
            assignment = Assignment(doc.id, story.id, nearest=nearest, score=round(best_score, 4))
        for term in feats.terms:  # IDF from the documents seen so far, this one included from now on
            state.df[term] = state.df.get(term, 0) + 1
        state.n_docs += 1
        self._record(story, doc, assignment, vec, feats)
        return assignment

    def _duplicate(self, doc: ClusterDoc) -> tuple[str | None, float]:
        state = self.state
        words = duplicates.tokens(doc.text)
        # the same key as exact_key(title + "\n" + text): tokens never span the line break
        key = duplicates.exact_key_of_tokens(duplicates.tokens(doc.title or "") + words)
        if key in state.exact:
            return state.exact[key], 1.0
        state.exact[key] = doc.id
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
            dropped: set[str] = set()
            if len(centroid) > CENTROID_TERMS + PRUNE_SLACK:  # prune now and then, not at every join
                story.centroid = _top(centroid, CENTROID_TERMS)
                dropped = centroid.keys() - story.centroid.keys()
            story.norm = math.sqrt(sum(v * v for v in story.centroid.values()))
            if feats.script not in story.scripts:
                story.scripts.append(feats.script)
            for key in feats.skeletons:
                story.skeletons[key] = story.skeletons.get(key, 0) + 1
            self._update_reps(story, doc.id, vec)
            if self.embedding is not None:
                self._add_embedding(story, doc.id)
            self._index_story(story, dropped, vec)
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

    def _add_embedding(self, story: StoryState, doc_id: str) -> None:
        """Semantic path: add the member's embedding to the story's sum; keep it if the member is a rep."""
        emb = self.embedding
        assert emb is not None
        total = emb if story.embedding is None else np.asarray(story.embedding) + emb
        story.embedding = [round(float(x), 6) for x in total]
        rep_ids = {doc_id for doc_id, _ in story.reps}
        story.rep_embeddings = {k: v for k, v in story.rep_embeddings.items() if k in rep_ids}
        if doc_id in rep_ids:
            story.rep_embeddings[doc_id] = [round(float(x), 6) for x in emb]
        self.sem_cache.pop(story.id, None)


def run(docs: Iterable[ClusterDoc], clusterer: Clusterer) -> list[Assignment]:
    return [clusterer.add(doc) for doc in docs]
