"""Claim alignment: which sentences of different articles state the same claim.

Similarity is a TF-IDF cosine over four kinds of evidence, each with its weight: content-word stems, name
skeletons, canonical entities and numbers (IDF over the story's own units, so what every sentence of the
story mentions counts for little). There is no single cosine cut-off: two sentences link when each is the
other's best match in the other article and they clear a low floor with enough shared evidence (lower for
long sentences sharing much), or when they clear a high bar on their own. Groups grow from the strongest
links down, never holding two sentences of one article, and two groups merge only if they are close on
average, not through one chaining pair. With the [semantic] extra, sentence embeddings add pairs that say
the same thing in other words (SEMANTIC_OFFSET, SEMANTIC_SAYS).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from storyprism.compare.units import CLAIM_KINDS, Unit

WEIGHTS = {"w": 1.0, "n": 0.6, "e": 1.5, "#": 1.5}
"""Per evidence kind: words, name skeletons (partly repeat the words, so less), entities and numbers
(a shared actor or figure says more than a shared word)."""
LINK_FLOOR = 0.2
"""Mutual best matches link from here (tuned by hand on the example corpus and the seeds, where the
answer key says which sentences share a claim: paraphrases across outlets score 0.2-0.45)."""
LINK_SURE = 0.5
"""Above this two sentences link even when one article says the thing twice."""
GROUP_AVERAGE = 0.2
"""Two groups merge only when the mean similarity of all their cross pairs reaches this (0.15-0.30 tried on the
example corpus against its answer key with bench/compare.py: 0.2 found 26 of its 27 claims, 0.15 and 0.25
found 25 and merged unrelated pairs or split true groups)."""
MIN_SHARED = 2
"""Shared evidence items a floor-level link needs (one shared word is chance)."""
MIN_SAID = 2
"""Lower-case words (what is said, not who or where) two sentences must share to link below LINK_SURE:
"He said the VDF would present its drone footage to the Joint Ceasefire Commission" and "The Joint
Ceasefire Commission said it was aware of the reports" share a name and "said". On the example corpus, 2
instead of 0 cut the shared claims from 54 to 39 groups, nearly all the dropped ones wrong by reading, and
still finds 26 of the answer key's 27 claims (1 found 24)."""
LONG_FLOOR = 0.12
MANY_SHARED = 5
"""Long sentences that share this many items link from LONG_FLOOR: their cosine is diluted by everything
else they say ("Syrian authorities have acknowledged ... indirect negotiations with the Jewish entity,
claiming ..." vs "The Syrian government recently acknowledged engaging in indirect communications with
"Israel" to ...": 0.15 with six shared items). Only between reported sentences: an opinion sentence shares
many words with the facts it argues about without stating them."""
COMMON_SHARE = 0.5
"""Features in more than this share of units are skipped when finding candidate pairs."""
SEMANTIC_OFFSET = 0.45
"""With sentence embeddings (the [semantic] extra), a pair's similarity is the larger of its lexical cosine and
its embedding cosine minus this. all-MiniLM-L6-v2 on the example corpus: random pairs of claim sentences of
one story, median 0.19 and 95th percentile 0.48; pairs the lexical alignment groups, median 0.63 (10th-90th
percentile 0.43-0.91). So a paraphrase at 0.7 clears LINK_FLOOR with few words in common, and a same-story
neighbour does not."""
SEMANTIC_SAYS = 0.7
"""An embedding cosine from which two sentences say the same thing even in different words: MIN_SAID and
MIN_SHARED are not asked of them."""


def _features(unit: Unit) -> list[tuple[str, str]]:
    return [
        *(("w", x) for x in unit.words),
        *(("n", x) for x in unit.names),
        *(("e", x) for x in unit.entities),
        *(("#", x) for x in unit.numbers),
    ]


Sims = dict[tuple[int, int], tuple[float, int, float]]
"""(i, j) with i < j -> (similarity, shared feature count, embedding cosine or 0.0)."""


def similarities(units: list[Unit], embeddings: np.ndarray | None = None) -> Sims:
    """(i, j) with i < j and different articles -> (similarity, shared feature count, embedding cosine), for
    the pairs that share anything (and, with ``embeddings``, the pairs close in meaning)."""
    feats = [_features(u) for u in units]
    n = len(units)
    if n == 0:
        return {}
    column: dict[tuple[str, str], int] = {}
    rows, cols = [], []
    for i, fs in enumerate(feats):
        for f in fs:
            rows.append(i)
            cols.append(column.setdefault(f, len(column)))
    df = np.bincount(cols, minlength=len(column))
    kinds = list(column)
    idf = np.log((n + 1) / (df + 0.5))
    weight = np.array([WEIGHTS[f[0]] for f in kinds]) * idf
    values = weight[cols]
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(column)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    # Features in more than COMMON_SHARE of the units neither propose pairs nor add to their similarity (their
    # IDF is near zero anyway); the norms keep them, so a sentence made of common words stays far from others.
    rare = sparse.diags((df <= max(2, COMMON_SHARE * n)).astype(float))
    kept = matrix @ rare
    dots = sparse.triu(kept @ kept.T, k=1).tocoo()
    present = (kept > 0).astype(np.int32)
    counts = sparse.triu(present @ present.T, k=1).tocoo()
    shared = dict(zip(zip(counts.row.tolist(), counts.col.tolist(), strict=True), counts.data.tolist(), strict=True))
    article_of = [u.article for u in units]
    articles = np.array(article_of)
    out: Sims = {}
    for i, j, dot in zip(dots.row.tolist(), dots.col.tolist(), dots.data.tolist(), strict=True):
        if article_of[i] != article_of[j] and dot > 0:
            out[i, j] = (dot / (norms[i] * norms[j]), shared[i, j], 0.0)
    if embeddings is not None:
        cosines = embeddings @ embeddings.T
        close = np.argwhere(np.triu(cosines - SEMANTIC_OFFSET > LONG_FLOOR, k=1) & (articles[:, None] != articles))
        for i, j in close.tolist():
            emb = float(cosines[i, j])
            lexical, count, _ = out.get((i, j), (0.0, 0, 0.0))
            out[i, j] = (max(lexical, emb - SEMANTIC_OFFSET), count, emb)
    return out


def links(units: list[Unit], sims: Sims) -> list[tuple[float, int, int]]:
    """(similarity, i, j) for the pairs that state one claim, strongest first."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for (i, j), (sim, _, _) in sims.items():
        for a, b in ((i, j), (j, i)):
            key = (a, units[b].article)
            if sim > best.get(key, (0.0, -1))[0]:
                best[key] = (sim, b)
    out = []
    for (i, j), (sim, count, emb) in sims.items():
        mutual = best[i, units[j].article][1] == j and best[j, units[i].article][1] == i
        said = len(units[i].plain & units[j].plain)
        same_meaning = emb >= SEMANTIC_SAYS
        if sim < LINK_SURE and said < MIN_SAID and not same_meaning:
            continue  # the same actors and places with nothing said in common: two claims of one story
        reported = units[i].kind in CLAIM_KINDS and units[j].kind in CLAIM_KINDS
        enough = (sim >= LINK_FLOOR and (count >= MIN_SHARED or same_meaning)) or (
            reported and sim >= LONG_FLOOR and count >= MANY_SHARED
        )
        if sim >= LINK_SURE or (mutual and enough):
            out.append((sim, i, j))
    return sorted(out, reverse=True)


def align(units: list[Unit], embeddings: np.ndarray | None = None) -> tuple[list[list[int]], Sims]:
    """Groups of unit indices that state one claim (singletons included), and the pair similarities;
    ``embeddings`` (one unit vector per unit) adds the [semantic] path."""
    sims = similarities(units, embeddings)
    group_of = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    for _, i, j in links(units, sims):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        if {units[x].article for x in a} & {units[y].article for y in b}:
            continue
        if len(a) * len(b) > 1:
            total = sum(sims.get((min(x, y), max(x, y)), (0.0, 0, 0.0))[0] for x in a for y in b)
            if total / (len(a) * len(b)) < GROUP_AVERAGE:
                continue
        for y in b:
            group_of[y] = gi
        a.extend(b)
        del members[gj]
    groups = [sorted(m) for m in members.values()]
    return groups, sims


def central(group: list[int], sims: Sims) -> int:
    """The member most similar to all the others (the first one on ties)."""
    return max(group, key=lambda x: sum(sims.get((min(x, y), max(x, y)), (0.0, 0, 0.0))[0] for y in group if y != x))
