"""Body extraction benchmark on the fundus pages: ours vs. the baseline a user would otherwise use.

    python bench/extraction.py [--set DIR] [--only dump|html] [--out DIR]

HTML pages (``html/``): storyprism's HTML extractor vs. plain trafilatura (2.3.1, default settings).
Page dumps (``dump/``): storyprism's dump extractor vs. the whole dump and vs. lines of 12+ words.
Prints precision/recall/F1 (the set's own scorer: 4-gram shingles) and pages/second for each.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE.parent.parent / "shared" / "bench" / "extraction" / "fundus"


def load_scorer(set_dir: Path):
    spec = importlib.util.spec_from_file_location("fundus_score", set_dir.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(set_dir: Path, kind: str) -> dict[str, str]:
    out = {}
    for path in sorted((set_dir / kind).glob("*.gz")):
        page_id = path.name.split(".")[0]
        out[page_id] = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    return out


def run(name: str, fn: Callable[[str], str], docs: dict[str, str], truth: dict, scorer, out: Path | None):
    start = time.perf_counter()
    preds = {pid: fn(doc) for pid, doc in docs.items()}
    seconds = time.perf_counter() - start
    res = scorer.evaluate(truth, preds)
    if out:
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        for pid, text in preds.items():
            (target / f"{pid}.txt").write_text(text, encoding="utf-8")
    print(
        f"{name:<28} P={res['precision']:.3f} R={res['recall']:.3f} F1={res['f1']:.3f} "
        f"pages/s={len(docs) / seconds:8.1f}"
    )
    return res, len(docs) / seconds


def body_of_dump(text: str) -> str:
    from storyprism.extract.dump import parse_dump

    return "\n\n".join(parse_dump(text).body)


def body_of_html(html: str) -> str:
    from storyprism.extract.html import parse_html

    return "\n\n".join(parse_html(html).body)


def trafilatura_body(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def long_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if len(line.split()) >= 12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="fundus set folder (html/, dump/, ground-truth.json)")
    ap.add_argument("--only", choices=["dump", "html"], help="run one half only")
    ap.add_argument("--out", type=Path, help="write each system's predictions here, one <page_id>.txt each")
    args = ap.parse_args(argv)
    if not args.set.is_dir():
        print(f"bench/extraction.py: no benchmark set at {args.set}", file=sys.stderr)
        return 1
    scorer = load_scorer(args.set)
    truth = json.loads((args.set / "ground-truth.json").read_text(encoding="utf-8"))
    results = {}
    if args.only in (None, "dump"):
        dumps = pages(args.set, "dump")
        print(f"page dumps: {len(dumps)} pages")
        base, _ = run("dump: whole page", lambda t: t, dumps, truth, scorer, args.out)
        run("dump: lines of 12+ words", long_lines, dumps, truth, scorer, args.out)
        ours, speed = run("dump: storyprism", body_of_dump, dumps, truth, scorer, args.out)
        print(f"  storyprism / whole-page F1 ratio: {ours['f1'] / base['f1']:.3f}")
        results["dump"] = {"f1": ours["f1"], "pages_per_s": speed}
    if args.only in (None, "html"):
        htmls = pages(args.set, "html")
        print(f"html: {len(htmls)} pages")
        base, base_speed = run("html: trafilatura", trafilatura_body, htmls, truth, scorer, args.out)
        ours, speed = run("html: storyprism", body_of_html, htmls, truth, scorer, args.out)
        print(f"  storyprism / trafilatura: F1 {ours['f1'] / base['f1']:.3f}, speed {speed / base_speed:.2f}x")
        results["html"] = {"f1": ours["f1"], "pages_per_s": speed}
    return 0


if __name__ == "__main__":
    sys.exit(main())
