"""Attribution benchmark on PolNeAR (source / cue / content), with the set's own scorer.

    python bench/attribution.py [--split dev|train] [--out pred.jsonl] [--cache DIR] [--limit N] [--agreement]

Loads the split's texts through the scorer's loader (``score_polnear.load_gold``), parses them with
``load_nlp()`` (``nlp.pipe``, one process), runs ``find_attributions``, writes the prediction JSONL and
prints the scorer's exact and overlap P/R/F1 per role, docs/second (parse and rules apart) and peak
memory. ``--cache DIR`` keeps the parsed docs as a spaCy DocBin in DIR so that a rerun only times the
rules. ``--agreement`` also scores PolNeAR's annotators against each other on the documents two of them
annotated (train and dev), and our rules against each of them there: the ceiling a tagger can reach when
the gold is one annotator's reading. The README of the set asks that the test split be used for final evaluation only.

Mapping to PolNeAR: every attribution, nested ones included, is one triple. A "citing" origin in a
chain ("AFP reported, citing a diplomatic source") is, in PolNeAR's reading, the outer source citing
the cited party: source = AFP, cue = "citing", content = "a diplomatic source". Relayed attributions whose
cue lies inside the content of the one relaying them are left out, as PolNeAR never annotates such nesting
(see ``triples``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE.parent.parent / "shared" / "bench" / "attribution"
sys.path.insert(0, str(HERE.parent / "src"))

from storyprism.analyze.attribution import Attribution, find_attributions  # noqa: E402
from storyprism.analyze.attribution_quotes import find_quotes  # noqa: E402
from storyprism.nlp import load_nlp  # noqa: E402


def load_scorer(set_dir: Path):
    sys.path.insert(0, str(set_dir))
    spec = importlib.util.spec_from_file_location("score_polnear", set_dir / "score_polnear.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse(texts: list[str], cache: Path | None, name: str) -> tuple[list, float]:
    """Parsed docs and the seconds spent parsing (0 when read from the cache)."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    path = cache / f"{name}.spacy" if cache else None
    if path and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs, 0.0
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16, n_process=1))
    seconds = time.perf_counter() - start
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(path)
    return docs, seconds


def annotations(set_dir: Path) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """(split, doc) -> (text, {annotator: brat standoff}) for every document of the tarball, read as the
    scorer's ``load_gold`` reads it but keeping every annotator, not only the first."""
    scorer = load_scorer(set_dir)
    texts: dict[tuple[str, str], str] = {}
    anns: dict[tuple[str, str], dict[str, str]] = {}
    with tarfile.open(scorer.TAR) as tf:
        for m in tf.getmembers():
            parts = m.name.split("/")
            if not m.isfile() or len(parts) < 5:
                continue
            data = tf.extractfile(m).read().decode("utf-8")
            base = parts[-1]
            if parts[3] == "text":
                texts[(parts[2], base[:-4])] = data
            elif parts[3] == "attributions":
                stem, annotator = base[:-4].rsplit("_", 1)
                anns.setdefault((parts[2], stem), {})[annotator] = data
    return {key: (texts[key], anns[key]) for key in anns if key in texts}


def agreement(set_dir: Path = DEFAULT_SET, cache: Path | None = None) -> dict:
    """Annotator B against annotator A (the scorer's gold), and our rules against A and against B, on the
    documents that two annotators did."""
    scorer = load_scorer(set_dir)
    double = sorted((k, v) for k, v in annotations(set_dir).items() if len(v[1]) >= 2)
    first, second = [], []
    for (_, doc), (_, by) in double:
        a, b = sorted(by)[:2]
        first.append({"doc": doc, "attributions": scorer.parse_ann(by[a])})
        second.append({"doc": doc, "attributions": scorer.parse_ann(by[b])})
    texts = [text for _, (text, _) in double]
    docs, _ = parse(texts, cache, "polnear_double")
    ours = [
        {"doc": doc, "attributions": triples(d.text, find_attributions(d))}
        for ((_, doc), _), d in zip(double, docs, strict=True)
    ]
    return {
        "docs": len(double),
        "attributions": sum(len(r["attributions"]) for r in first),
        "b_vs_a": scorer.score(first, second),
        "ours_vs_a": scorer.score(first, ours),
        "ours_vs_b": scorer.score(second, ours),
    }


def triples(text: str, attributions: list[Attribution]) -> list[dict]:
    """PolNeAR triples. Left out, because PolNeAR never annotates them: attributions inside a quotation, and
    relayed attributions whose cue lies inside the content of the one that relays them (not one of the 19,833
    train attributions has its cue inside another's content). A "citing" origin stays: its cue is outside."""
    out = []
    quoted = [(s, e) for q in find_quotes(text) if not q.scare for s, e in q.parts]

    def add(a: Attribution, outer: Attribution | None) -> None:
        if any(s < a.cue.start and a.cue.end < e for s, e in quoted):
            return
        if outer is not None and a.cue.text.lower() in ("citing", "quoting", "cited") and a.source:
            src = [[outer.source.start, outer.source.end]] if outer.source else []
            out.append({"source": src, "cue": [[a.cue.start, a.cue.end]], "content": [[a.source.start, a.source.end]]})
        else:
            out.append(
                {
                    "source": [[a.source.start, a.source.end]] if a.source else [],
                    "cue": [[a.cue.start, a.cue.end]],
                    "content": [[p.start, p.end] for p in a.content_parts],
                }
            )
        for v in a.via:
            if not any(p.start <= v.cue.start and v.cue.end <= p.end for p in a.content_parts):
                add(v, a)

    for a in attributions:
        add(a, None)
    return out


def run(
    split: str = "dev", set_dir: Path = DEFAULT_SET, cache: Path | None = None, limit: int = 0, out: Path | None = None
) -> dict:
    """Predict and score one split: the scorer's result per role plus counts and speeds (for bench/analysis.py)."""
    scorer = load_scorer(set_dir)
    gold = scorer.load_gold(split)
    if limit:
        gold = gold[:limit]
    texts = [g["text"] for g in gold]
    docs, parse_s = parse(texts, cache, f"polnear_{split}{limit or ''}")
    start = time.perf_counter()
    preds = [
        {"doc": g["doc"], "attributions": triples(d.text, find_attributions(d))}
        for g, d in zip(gold, docs, strict=True)
    ]
    rules_s = time.perf_counter() - start
    out = out or Path(f"/tmp/polnear_{split}_pred.jsonl")
    out.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    return {
        "split": split,
        "docs": len(gold),
        "gold": sum(len(g["attributions"]) for g in gold),
        "predicted": sum(len(p["attributions"]) for p in preds),
        "out": out,
        "scores": scorer.score(gold, preds),
        "rules_docs_s": len(docs) / rules_s,
        "parse_docs_s": len(docs) / parse_s if parse_s else None,
    }


def print_table(res: dict) -> None:
    print(f"{'role':<8} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}")
    for role in ("source", "cue", "content", "triple"):
        ex, ov = res[role]["exact"], res[role].get("overlap")
        line = f"{role:<8} {ex['p']:8.3f} {ex['r']:6.3f} {ex['f1']:6.3f}"
        if ov:
            line += f"   {ov['p']:9.3f} {ov['r']:6.3f} {ov['f1']:6.3f}"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--out", type=Path, help="prediction JSONL (default: /tmp/polnear_<split>_pred.jsonl)")
    ap.add_argument("--cache", type=Path, help="folder for the parsed docs (spaCy DocBin)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--agreement", action="store_true", help="also score the annotators against each other")
    args = ap.parse_args()

    r = run(args.split, args.set, args.cache, args.limit, args.out)
    print(f"PolNeAR {r['split']}: {r['docs']} docs, {r['gold']} gold, {r['predicted']} predicted -> {r['out']}")
    print_table(r["scores"])
    parse_rate = f"{r['parse_docs_s']:.1f}" if r["parse_docs_s"] else "cached"
    print(
        f"docs/s: rules {r['rules_docs_s']:.1f}, parse {parse_rate}; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    if args.agreement:
        print_agreement(agreement(args.set, args.cache))


def print_agreement(agree: dict) -> None:
    print(
        f"\nAnnotator agreement: {agree['docs']} PolNeAR docs (train + dev) annotated twice, "
        f"{agree['attributions']} attributions by the first annotator (A)"
    )
    for name, key in (("annotator B vs A", "b_vs_a"), ("ours vs A", "ours_vs_a"), ("ours vs B", "ours_vs_b")):
        print(name)
        print_table(agree[key])


if __name__ == "__main__":
    main()
