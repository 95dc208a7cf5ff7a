"""Whole-pipeline benchmark: analyze -> cluster -> compare, stories/second and peak memory.

    .venv/bin/python bench/compare.py                  # the example corpus, then the NeuS clustering dev set
    .venv/bin/python bench/compare.py --limit 2000     # only the first N NeuS documents (seeded order)
    .venv/bin/python bench/compare.py --jobs 2         # parse in two worker processes
    .venv/bin/python bench/compare.py --semantic       # also sentence embeddings (cluster and claim alignment)

On the example corpus the timing starts at the raw files (read + extract included). The NeuS set is already
clean text (title + lead), so it starts at the articles; its documents have no dates and come in a seeded
random order, as in bench/cluster.py. Reported per stage: seconds, documents or stories per second, and
the peak resident memory of the process at the end. The compare stage's own quality is checked by the
tests against the example corpus's answer key (tests/test_compare.py); no gold set for claim alignment
exists in ../shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
NEUS = HERE.parent.parent / "shared" / "bench" / "clustering" / "neus_dev.jsonl.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def alignment_score(comparisons, keys: dict[str, str]) -> None:
    """Claim groups against the example corpus's answer key (examples/answers.json, written with the corpus):
    for each claim the key lists, the predicted group whose articles best match its documents (Jaccard), and
    whether that group's independent-origin count equals the key's where the key gives one. The key lists the
    main claims only, so this is a recall-side figure."""
    answers = json.loads((EXAMPLES / "answers.json").read_text(encoding="utf-8"))

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]{4,}", text.lower())}

    groups = [
        ({keys[a] for a in claim.articles}, words(" ".join(s.text for s in claim.support)), claim)
        for c in comparisons
        for claim in c.claims
    ]
    best_scores, hits, origin_checks, origin_right = [], 0, 0, 0
    for story in answers["stories"].values():
        for claim in story.get("claims", []):
            gold, gold_words = set(claim["documents"]), words(claim["text"])
            # The group that carries the claim's words across the claim's articles: article-set Jaccard times
            # the share of the key's wording found in the group's sentences.
            _, jaccard, group = max(
                ((len(gold & g) / len(gold | g) * len(gold_words & w) / max(1, len(gold_words)),
                  len(gold & g) / len(gold | g), c) for g, w, c in groups),
                default=(0.0, 0.0, None), key=lambda x: x[0],
            )  # fmt: skip
            best_scores.append(jaccard)
            hits += jaccard >= 0.5
            if "independent_origins" in claim and group is not None and jaccard >= 0.5:
                origin_checks += 1
                origin_right += group.independent_origins == claim["independent_origins"]
    n = len(best_scores)
    print(f"   answer key: {n} claims; mean best article-set Jaccard {sum(best_scores) / n:.3f}; "
          f"found (Jaccard >= 0.5) {hits}/{n} = {hits / n:.2f}; independent_origins equal to the key's "
          f"{origin_right}/{origin_checks}")  # fmt: skip


def conflict_score(comparisons, keys: dict[str, str]) -> None:
    """Count conflicts against the answer key's conflicts that disagree on a number ("number killed": 7 / 9 /
    11). A key conflict is found when one predicted count conflict has sides for at least two of its numbers,
    each side's articles meeting the documents the key gives for that number. A predicted count conflict is
    right when it finds a key conflict. The key lists the story's main disputes, so precision is a floor."""
    answers = json.loads((EXAMPLES / "answers.json").read_text(encoding="utf-8"))

    def number(value: str) -> str | None:
        """The count a key value states ("more than 200" -> 200); None for a time ("9.20am") or a year."""
        m = re.match(r"\D{0,12}?(\d+(?:,\d{3})*)(?![\d.:]|\s*[ap]\.?m\b)", value)
        if m is None or re.fullmatch(r"(19|20)\d\d", m.group(1)):
            return None
        return m.group(1).replace(",", "")

    predicted = [
        [(side["value"], {keys[a] for a in side["articles"]}) for side in conflict.sides]
        for c in comparisons
        for conflict in c.conflicts
        if conflict.kind == "count"
    ]
    used: set[int] = set()
    key_total = found = 0
    for story in answers["stories"].values():
        for conflict in story.get("conflicts") or []:
            by_number = {number(v): set(docs) for v, docs in conflict["values"].items() if number(v)}
            if len(by_number) < 2:
                continue  # a dispute about words ("what was hit"), not about a number
            key_total += 1
            for k, sides in enumerate(predicted):
                met = {n for n, docs in by_number.items() for value, arts in sides if value == n and arts & docs}
                if len(met) >= 2:
                    found += 1
                    used.add(k)
                    break
    print(f"   conflicts: {found}/{key_total} numeric disputes of the answer key found; "
          f"{len(used)}/{len(predicted)} predicted count conflicts match one")  # fmt: skip


def timed_run(articles, nlp, jobs: int, keys: dict[str, str] | None = None, embedder=None) -> dict:
    from storyprism.analyze import analyze_many
    from storyprism.cluster import cluster
    from storyprism.compare import compare_stories
    from storyprism.pipeline import cluster_doc

    start = time.perf_counter()
    analyzed = list(analyze_many(articles, nlp, n_process=jobs))
    t_analyze = time.perf_counter() - start
    start = time.perf_counter()
    assignments, state = cluster([cluster_doc(a) for a in analyzed], embedder=embedder)
    t_cluster = time.perf_counter() - start
    start = time.perf_counter()
    comparisons = compare_stories(analyzed, assignments, state, embedder)
    t_compare = time.perf_counter() - start
    multi = [c for c in comparisons if len(c.articles) > 1]
    if keys is not None:
        alignment_score(comparisons, keys)
        conflict_score(comparisons, keys)
    return {
        "analyzed": analyzed,
        "documents": len(analyzed),
        "stories": len(comparisons),
        "stories_multi": len(multi),
        "claims": sum(len(c.claims) for c in comparisons),
        "conflicts": sum(len(c.conflicts) for c in comparisons),
        "seconds": {"analyze": t_analyze, "cluster": t_cluster, "compare": t_compare},
    }


def report(name: str, r: dict, extra_seconds: float = 0.0) -> None:
    s = r["seconds"]
    total = sum(s.values()) + extra_seconds
    print(f"== {name}: {r['documents']} documents -> {r['stories']} stories ({r['stories_multi']} with 2+ articles), "
          f"{r['claims']} shared claims, {r['conflicts']} conflicts")  # fmt: skip
    if extra_seconds:
        print(f"   read+extract {extra_seconds:7.2f} s")
    for stage, sec in s.items():
        rate = r["documents"] / sec if stage != "compare" else r["stories"] / sec
        unit = "docs/s" if stage != "compare" else "stories/s"
        print(f"   {stage:<12} {sec:7.2f} s   {rate:9.1f} {unit}")
    print(f"   whole pipeline {total:7.2f} s   {r['stories'] / total:9.2f} stories/s   "
          f"{r['documents'] / total:9.1f} docs/s   peak memory {peak_mb():.0f} MB")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N NeuS documents (0: all)")
    ap.add_argument("--jobs", type=int, default=1, help="spaCy worker processes")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--skip-neus", action="store_true", help="only the example corpus")
    ap.add_argument("--semantic", action="store_true", help="also sentence embeddings (the [semantic] extra)")
    args = ap.parse_args(argv)

    import os

    from storyprism import extract, lexicons, read
    from storyprism.models import Article
    from storyprism.nlp import load_nlp

    nlp = load_nlp()
    embedder = None
    if args.semantic:
        from storyprism.cluster.semantic import load_embedder

        embedder = load_embedder()
    os.environ[lexicons.DATA_ENV] = str(EXAMPLES / "data")
    start = time.perf_counter()
    articles = [extract(raw) for raw in read(EXAMPLES / "corpus")]
    t_extract = time.perf_counter() - start
    keys = {a.id: Path(a.source).relative_to(EXAMPLES).as_posix() for a in articles}
    report("example corpus", timed_run(articles, nlp, args.jobs, keys, embedder), t_extract)
    del os.environ[lexicons.DATA_ENV]

    if args.skip_neus:
        return 0
    if not NEUS.is_file():
        print(f"bench/compare.py: no NeuS dev set at {NEUS}; skipped", file=sys.stderr)
        return 0
    with gzip.open(NEUS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    random.Random(args.seed).shuffle(rows)
    if args.limit:
        rows = rows[: args.limit]
    articles = [Article(id=r["id"], source=r["id"], text=r["text"], title=r.get("title")) for r in rows]
    result = timed_run(articles, nlp, args.jobs, embedder=embedder)
    report(f"NeuS dev (title + lead, jobs={args.jobs})", result)
    entity_check(result["analyzed"], {r["id"]: r["cluster"] for r in rows})
    return 0


def entity_check(analyzed, gold: dict[str, str]) -> None:
    """Does the cluster stage do better with the analyze stage's canonical entities? BCubed F1 (the set's
    scorer) of the same documents in the same order, text alone against text + entities of some types."""
    import importlib.util

    from storyprism.cluster import cluster
    from storyprism.models import ClusterDoc

    spec = importlib.util.spec_from_file_location("neus_score", NEUS.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    variants = {
        "text only (shipped)": (),
        "+ people, organisations, groups": ("PERSON", "ORG", "GROUP"),
        "+ places too": ("PERSON", "ORG", "GROUP", "GPE", "LOC", "FAC"),
    }
    for name, types in variants.items():
        docs = [
            ClusterDoc.from_article(a.article, tuple(dict.fromkeys(e.canonical for e in a.entities if e.type in types)))
            for a in analyzed
        ]
        assignments, _ = cluster(docs)
        s = module.score(gold, {x.id: x.story for x in assignments})
        print(f"   cluster {name:<34} BCubed F1 {s['bcubed_f1']:.3f}  pairwise F1 {s['pairwise_f1']:.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
