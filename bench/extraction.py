"""Body extraction benchmark on the fundus pages: ours vs. the baseline a user would otherwise use.

    python bench/extraction.py [--set DIR] [--only dump|html] [--out DIR] [--renderer NAME ...]

HTML pages (``html/``): storyprism's HTML extractor vs. plain trafilatura (2.3.1, default settings).
Page dumps (``dump/``): storyprism's dump extractor vs. the whole dump and vs. lines of 12+ words.
Prints precision/recall/F1 (the set's own scorer: 4-gram shingles) and pages/second for each.
``--renderer w3m|html2text|inscriptis|copypaste|lynx80`` (repeatable) also renders the HTML pages to text with another
renderer and scores the dump extractor on that rendering: it was tuned on lynx dumps and must not
depend on them. ``copypaste`` is inscriptis without blank lines or indentation (a browser copy-paste),
``lynx80`` is lynx wrapping at 80 columns. Skipped with a note when the renderer is not installed (w3m
or lynx on PATH; html2text / inscriptis importable).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import resource
import shutil
import subprocess
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


def render_w3m(html: str) -> str:
    done = subprocess.run(
        ["w3m", "-dump", "-T", "text/html", "-cols", "200", "-O", "UTF-8", "-I", "UTF-8"],
        input=html.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    return done.stdout.decode("utf-8", errors="replace")


def render_html2text(html: str) -> str:
    import html2text

    h = html2text.HTML2Text()
    h.body_width = 78
    return h.handle(html)


def render_inscriptis(html: str) -> str:
    from inscriptis import get_text

    return get_text(html)


def render_copypaste(html: str) -> str:
    """A browser copy-paste: inscriptis text with every blank line and all indentation removed."""
    return "\n".join(line.strip() for line in render_inscriptis(html).splitlines() if line.strip())


def render_lynx80(html: str) -> str:
    """lynx hard-wrapping at 80 columns (the dev set's dumps are lynx at 1024)."""
    done = subprocess.run(
        ["lynx", "-dump", "-nolist", "-width=80", "-stdin", "-display_charset=utf-8", "-assume_charset=utf-8"],
        input=html.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    return done.stdout.decode("utf-8", errors="replace")


def renderer(name: str) -> tuple[Callable[[str], str] | None, str]:
    """The render function for ``name``, or None and why it is unavailable."""
    if name == "w3m":
        return (render_w3m, "") if shutil.which("w3m") else (None, "w3m not on PATH")
    if name == "lynx80":
        return (render_lynx80, "") if shutil.which("lynx") else (None, "lynx not on PATH")
    if name == "copypaste":
        name = "inscriptis"
        if importlib.util.find_spec(name) is None:
            return None, "python package inscriptis not installed"
        return render_copypaste, ""
    module = {"html2text": "html2text", "inscriptis": "inscriptis"}[name]
    if importlib.util.find_spec(module) is None:
        return None, f"python package {module} not installed"
    return {"html2text": render_html2text, "inscriptis": render_inscriptis}[name], ""


def long_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if len(line.split()) >= 12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="fundus set folder (html/, dump/, ground-truth.json)")
    ap.add_argument("--only", choices=["dump", "html"], help="run one half only")
    ap.add_argument("--out", type=Path, help="write each system's predictions here, one <page_id>.txt each")
    ap.add_argument(
        "--renderer",
        action="append",
        choices=["w3m", "html2text", "inscriptis", "copypaste", "lynx80"],
        default=[],
        help="also score the dump extractor on the html pages rendered to text by this renderer",
    )
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
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
        body_of_dump("")  # import the package (and load the cue file) outside the timed loop
        ours, speed = run("dump: storyprism", body_of_dump, dumps, truth, scorer, args.out)
        print(f"  storyprism / whole-page F1 ratio: {ours['f1'] / base['f1']:.3f}")
        results["dump"] = {"f1": ours["f1"], "pages_per_s": speed}
    for name in args.renderer:
        render, why = renderer(name)
        if render is None:
            print(f"dump ({name} rendering): skipped, {why}")
            continue
        rendered = {pid: render(html) for pid, html in pages(args.set, "html").items()}
        print(f"page dumps rendered by {name}: {len(rendered)} pages")
        run(f"{name}: whole page", lambda t: t, rendered, truth, scorer, args.out)
        ours, speed = run(f"{name}: storyprism", body_of_dump, rendered, truth, scorer, args.out)
        results[f"dump_{name}"] = {"f1": ours["f1"], "pages_per_s": speed}
    if args.only in (None, "html"):
        htmls = pages(args.set, "html")
        print(f"html: {len(htmls)} pages")
        base, base_speed = run("html: trafilatura", trafilatura_body, htmls, truth, scorer, args.out)
        ours, speed = run("html: storyprism", body_of_html, htmls, truth, scorer, args.out)
        print(f"  storyprism / trafilatura: F1 {ours['f1'] / base['f1']:.3f}, speed {speed / base_speed:.2f}x")
        results["html"] = {"f1": ours["f1"], "pages_per_s": speed}
    for kind in [k for k in ("dump", "html") if args.only in (None, k)]:
        results[f"extract_{kind}"] = whole_stage(pages(args.set, kind), "text" if kind == "dump" else "html")
    print(f"peak memory (max RSS of this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


def whole_stage(docs: dict[str, str], fmt: str) -> dict[str, float]:
    """The whole extract stage (body, title, outlet, byline, dates, genre, agencies, language) per page,
    and how often it fills each field: the pages carry no URL, so the outlet must come from the page."""
    from storyprism.extract import ExtractError, extract
    from storyprism.models import RawDoc

    raws = [RawDoc(source=pid, content=doc, format=fmt) for pid, doc in docs.items()]
    with contextlib.suppress(ExtractError):
        extract(raws[0])  # load models and data files outside the timed loop, as a long run does once
    start = time.perf_counter()
    articles = []
    for raw in raws:
        with contextlib.suppress(ExtractError):
            articles.append(extract(raw))
    seconds = time.perf_counter() - start
    filled = {
        field: sum(1 for a in articles if getattr(a, field)) / len(raws)
        for field in ("title", "outlet", "byline", "published")
    }
    print(
        f"extract stage ({fmt:<4}): {len(raws) / seconds:6.1f} pages/s; articles {len(articles)}/{len(raws)}; "
        + " ".join(f"{k} {v:.0%}" for k, v in filled.items())
    )
    return {"pages_per_s": len(raws) / seconds, **{f"{k}_filled": v for k, v in filled.items()}}


if __name__ == "__main__":
    sys.exit(main())
