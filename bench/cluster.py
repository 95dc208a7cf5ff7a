"""Benchmark of the cluster stage on the NeuS dev set (../shared/bench/clustering/).

    .venv/bin/python bench/cluster.py                 # quality (all docs) + baseline + speed + memory
    .venv/bin/python bench/cluster.py --split val     # score one split only (train / val)
    .venv/bin/python bench/cluster.py --tune          # grid on train -> scored on val, and val -> train
    .venv/bin/python bench/cluster.py --semantic      # also the [semantic] path (sentence embeddings)
    .venv/bin/python bench/cluster.py --semantic --embeddings E.npy   # precomputed unit embeddings, file order

The documents have no dates, so they are fed in a seeded random order (the file keeps each story's three
documents together, which would flatter any online method). The baseline is a TF-IDF greedy clusterer: IDF
from the whole set, each document joins the most similar story centroid above a threshold (the best
threshold on the same data, so the baseline is not handicapped).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import random
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from storyprism.cluster import cluster, online
from storyprism.models import ClusterDoc

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "clustering"
DEV = SHARED / "neus_dev.jsonl.gz"


def load_scorer():
    spec = importlib.util.spec_from_file_location("neus_score", SHARED / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def load(split: str | None, seed: int) -> list[dict]:
    with gzip.open(DEV, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if split:
        rows = [r for r in rows if r.get("split") == split]
    random.Random(seed).shuffle(rows)
    return rows


def as_docs(rows: list[dict]) -> list[ClusterDoc]:
    return [ClusterDoc(r["id"], r["text"], r.get("title"), r.get("published")) for r in rows]


def predict(rows: list[dict], embedder=None) -> dict[str, str]:
    assignments, _ = cluster(as_docs(rows), embedder=embedder)
    return {a.id: a.story for a in assignments}


def file_order() -> list[str]:
    with gzip.open(DEV, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["id"] for line in handle if line.strip()]


def make_embedder(path: str | None):
    """The packaged model, or a lookup into precomputed embeddings (rows in file order) keyed by the text."""
    from storyprism.cluster.semantic import doc_text, load_embedder

    if path is None:
        return load_embedder()
    import numpy as np

    matrix = np.load(path)
    rows = load(None, 0)
    row_of = {doc_id: n for n, doc_id in enumerate(file_order())}
    by_text = {doc_text(d): matrix[row_of[d.id]] for d in as_docs(rows)}
    return lambda texts: np.stack([by_text[t] for t in texts])


def gold(rows: list[dict]) -> dict[str, str]:
    return {r["id"]: r["cluster"] for r in rows}


# --- the TF-IDF greedy baseline ---------------------------------------------------------------------------
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "for",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "that",
        "this",
    ]
)


def baseline(rows: list[dict], threshold: float) -> dict[str, str]:
    toks = [[w for w in _WORD.findall(f"{r.get('title', '')} {r['text']}".lower()) if w not in _STOP] for r in rows]
    df = Counter(w for t in toks for w in set(t))
    n = len(rows)
    index: dict[str, list[int]] = {}
    centroids: list[dict[str, float]] = []
    out = {}
    for row, words in zip(rows, toks, strict=True):
        tf = Counter(words)
        vec = {w: (1 + math.log(c)) * math.log((n + 1) / (df[w] + 1)) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {w: v / norm for w, v in vec.items()}
        scores: dict[int, float] = {}
        for w, v in vec.items():  # exact: a centroid with a nonzero dot product shares a word
            for c in index.get(w, ()):
                scores[c] = scores.get(c, 0.0) + v * centroids[c][w]
        best = max(scores.items(), key=lambda kv: (kv[1], -kv[0]), default=(None, 0.0))
        if best[0] is not None and best[1] / _norm(centroids[best[0]]) >= threshold:
            c = best[0]
        else:
            c = len(centroids)
            centroids.append({})
        for w, v in vec.items():
            if w not in centroids[c]:
                index.setdefault(w, []).append(c)
            centroids[c][w] = centroids[c].get(w, 0.0) + v
        out[row["id"]] = str(c)
    return out


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values())) or 1.0


# --- report -----------------------------------------------------------------------------------------------
def line(name: str, s: dict) -> str:
    return (
        f"{name:34s} BCubed P {s['bcubed_p']:.3f} R {s['bcubed_r']:.3f} F1 {s['bcubed_f1']:.3f} | "
        f"pairwise P {s['pairwise_p']:.3f} R {s['pairwise_r']:.3f} F1 {s['pairwise_f1']:.3f} | "
        f"stories {s['n_pred_clusters']} (gold {s['n_gold_clusters']})"
    )


def best_baseline(rows: list[dict], score) -> tuple[float, dict]:
    results = [(t, score(gold(rows), baseline(rows, t))) for t in (0.3, 0.4, 0.5)]
    return max(results, key=lambda r: r[1]["bcubed_f1"])


GRID = {
    "core": ("JOIN_THRESHOLD", (0.26, 0.28, 0.3, 0.32, 0.34)),
    "semantic": ("SEMANTIC_JOIN_THRESHOLD", (0.44, 0.46, 0.48, 0.5, 0.52)),
}
MARGINS = (0.0, 0.02, 0.04, 0.06)


def tune(score, seed: int, embedder=None) -> None:
    """Grid over the join threshold and margin on one split, the best pair scored on the other (both ways)."""
    name, thresholds = GRID["core" if embedder is None else "semantic"]
    saved = getattr(online, name), online.JOIN_MARGIN
    splits = {"train": load("train", seed), "val": load("val", seed)}
    for fit, held in (("train", "val"), ("val", "train")):
        grid = []
        for threshold in thresholds:
            for margin in MARGINS:
                setattr(online, name, threshold)
                online.JOIN_MARGIN = margin
                s = score(gold(splits[fit]), predict(splits[fit], embedder))
                grid.append((s["bcubed_f1"], threshold, margin))
        f1, threshold, margin = max(grid)
        setattr(online, name, threshold)
        online.JOIN_MARGIN = margin
        print(f"chosen on {fit}: {name} {threshold} JOIN_MARGIN {margin} (BCubed F1 there {f1:.3f})")
        rows = splits[held]
        print(line(f"held-out {held} ({len(rows)} docs)", score(gold(rows), predict(rows, embedder))))
        setattr(online, name, saved[0])
        online.JOIN_MARGIN = saved[1]
        if embedder is None:
            t, _ = best_baseline(splits[fit], score)
            print(line(f"held-out {held}, baseline t={t}", score(gold(rows), baseline(rows, t))))


def speed(rows: list[dict]) -> None:
    for n in (1000, 4000, 8000):
        docs = as_docs(rows[:n])
        start = time.perf_counter()
        cluster(docs)
        elapsed = time.perf_counter() - start
        print(f"speed {n:5d} docs: {elapsed:6.2f} s  {n / elapsed:7.0f} docs/s")
    docs = as_docs(rows[:8000])
    tracemalloc.start()
    _, state = cluster(docs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(json.dumps(state.to_dict()))
    print(f"peak Python memory of the 8k run {peak / 1e6:.0f} MB (tracemalloc); state as JSON {size / 1e6:.1f} MB")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "val"], help="score one split only")
    ap.add_argument("--seed", type=int, default=13, help="seed of the document order")
    ap.add_argument("--tune", action="store_true", help="tune on train, score on held-out val")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="skip the (slow) baseline")
    ap.add_argument("--semantic", action="store_true", help="also run the [semantic] path")
    ap.add_argument("--embeddings", help="precomputed unit embeddings (.npy, rows in file order) for --semantic")
    a = ap.parse_args()
    if not DEV.exists():
        sys.exit(f"dev set not found at {DEV}")
    score = load_scorer()
    embedder = make_embedder(a.embeddings) if a.semantic else None
    if a.tune:
        tune(score, a.seed)
        if embedder is not None:
            tune(score, a.seed, embedder)
        return
    rows = load(a.split, a.seed)
    print(line("storyprism", score(gold(rows), predict(rows))))
    if embedder is not None:
        start = time.perf_counter()
        s = score(gold(rows), predict(rows, embedder))
        elapsed = time.perf_counter() - start
        print(line("storyprism --semantic", s) + f" | {len(rows) / elapsed:.0f} docs/s with embedding")
    if not a.no_baseline:
        t, s = best_baseline(rows, score)
        print(line(f"TF-IDF greedy baseline (t={t})", s))
    if not a.no_speed:
        speed(rows)


if __name__ == "__main__":
    main()
