"""Analyze-stage speed: documents/second for the whole stage and the share of each part.

    python bench/analyze.py [--set DIR] [--limit N]

Runs on the article bodies extracted from the fundus HTML pages (real news, 16 outlets): the spaCy
parse (en_core_web_sm, loaded once), then entities, attributions, sentence kinds and framing markers.
It also times the rules on single long articles made by joining 10, 40 and 80 of these bodies (a
hostile or a live-blog page can hold thousands of sentences): the time per sentence must stay flat, not
grow with the article. Quality figures for the parts have their own scripts: bench/attribution.py (PolNeAR) and
bench/subjectivity.py (CheckThat).
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE.parent.parent / "shared" / "bench" / "extraction" / "fundus"


def run(set_dir: Path = DEFAULT_SET, limit: int = 0) -> dict:
    """Time the whole stage on the fundus bodies (for bench/analysis.py): seconds per part, counts, peak RSS."""
    from storyprism.analyze import _analyze_doc, _sentences
    from storyprism.analyze.attribution import find_attributions
    from storyprism.analyze.entities import find_entities
    from storyprism.analyze.framing import find_framing
    from storyprism.extract import extract
    from storyprism.models import RawDoc
    from storyprism.nlp import load_nlp

    paths = sorted((set_dir / "html").glob("*.html.gz"))[: limit or None]
    raws = [
        RawDoc(source=p.name, content=gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), format="html")
        for p in paths
    ]
    articles = [extract(raw) for raw in raws]
    nlp = load_nlp()
    _analyze_doc(nlp(articles[0].text), articles[0])  # warm up: data files and tables are built once

    start = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    parse = time.perf_counter() - start
    parts = {"entities": 0.0, "attributions": 0.0, "sentences": 0.0, "framing": 0.0}
    for doc, article in zip(docs, articles, strict=True):
        t = time.perf_counter()
        entities = find_entities(doc, published=article.published)
        parts["entities"] += time.perf_counter() - t
        t = time.perf_counter()
        find_attributions(doc)
        parts["attributions"] += time.perf_counter() - t
        t = time.perf_counter()
        _sentences(doc)
        parts["sentences"] += time.perf_counter() - t
        t = time.perf_counter()
        find_framing(doc, entities=entities)
        parts["framing"] += time.perf_counter() - t
    total = parse + sum(parts.values())
    long = []
    for k in (10, 40, 80):
        if k > len(articles):
            break
        joined = replace(articles[0], text="\n\n".join(a.text for a in articles[:k]))
        doc = nlp(joined.text)
        t = time.perf_counter()
        _analyze_doc(doc, joined)
        long.append((k, len(list(doc.sents)), time.perf_counter() - t))
    return {
        "articles": len(articles),
        "words": sum(len(a.text.split()) for a in articles),
        "seconds": total,
        "parts": {"spaCy parse": parse, **parts},
        "docs_s": len(articles) / total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "long": long,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="fundus set folder (html/)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    args = ap.parse_args(argv)
    if not (args.set / "html").is_dir():
        print(f"bench/analyze.py: no benchmark set at {args.set}", file=sys.stderr)
        return 1
    r = run(args.set, args.limit)
    total = r["seconds"]
    print(f"analyze: {r['articles']} articles, {r['words']} words")
    print(f"whole stage: {r['docs_s']:.1f} docs/s ({r['words'] / total:.0f} words/s)")
    for name, seconds in r["parts"].items():
        print(f"  {name:<16} {seconds:6.2f} s ({seconds / total:.0%})")
    for k, sentences, seconds in r["long"]:
        print(
            f"one article of {k} bodies, {sentences} sentences: rules {seconds:.2f} s, "
            f"{1000 * seconds / sentences:.2f} ms/sentence"
        )
    print(f"peak memory (max RSS): {r['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
