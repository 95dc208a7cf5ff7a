"""Web UI benchmark: requests/second and p50/p99 latency of `storyprism serve` on a database of 20k+ articles.

    .venv/bin/python bench/web.py                          # build bench/out/web.db (first run: ~3 min), then measure
    .venv/bin/python bench/web.py --db bench/out/web.db    # reuse a database built before
    .venv/bin/python bench/web.py --requests 1000 --clients 4

The database is generated from the NeuS clustering dev set (8,277 title + lead documents, ../shared/bench):
each document is analyzed once, the set is clustered and compared once, and then the whole set is written
``--copies`` times with new article and story ids, later dates and new raw inputs, so the store holds
``8,277 x copies`` distinct articles (24,831 with the default 3) at the cost of a single analysis. NeuS gives no
outlets or dates: each document gets one of 21 synthetic outlets (from its position in its NeuS triplet) and a
synthetic publication time (stories spread over the year).

Then `storyprism serve` runs as a subprocess and ``--clients`` threads, each with one keep-alive HTTP
connection, send ``--requests`` requests per endpoint in total (after a short warm-up), on localhost.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
NEUS = HERE.parent.parent / "shared" / "bench" / "clustering" / "neus_dev.jsonl.gz"
DEFAULT_DB = HERE / "out" / "web.db"
EPOCH = datetime(2024, 1, 1, 6, 0)
BATCH = 2000
"""Articles per write transaction while building (a bench database need not survive a kill mid-build)."""


# --- building the database -------------------------------------------------------------------------------------
def neus_articles(limit: int | None) -> list:
    from storyprism.models import Article

    with gzip.open(NEUS, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle][:limit]
    clusters = {c: i for i, c in enumerate(dict.fromkeys(r["cluster"] for r in records))}
    articles = []
    for r in records:
        index = clusters[r["cluster"]]
        position = int(r["id"].rsplit("-", 1)[-1]) if r["id"].rsplit("-", 1)[-1].isdigit() else 0
        published = EPOCH + timedelta(minutes=53 * index + 41 * position)
        articles.append(
            Article(
                id=r["id"],
                source=f"neus:{r['id']}",
                text=r["text"],
                title=r["title"],
                outlet=f"Outlet {'LCR'[position % 3]}{index % 7}",
                published=published.isoformat(timespec="minutes"),
            )
        )
    return articles


def shift(value: str | None, days: int) -> str | None:
    if not value:
        return value
    return (datetime.fromisoformat(value) + timedelta(days=days)).isoformat(timespec="minutes")


def renamed(tree: Any, names: dict[str, str], days: int) -> Any:
    """A comparison's JSON with every article and story id renamed and every date moved on by ``days``."""
    if isinstance(tree, dict):
        out = {}
        for key, value in tree.items():
            if key in ("start", "end", "published") and isinstance(value, str):
                out[key] = shift(value, days)
            else:
                out[names.get(key, key)] = renamed(value, names, days)
        return out
    if isinstance(tree, list):
        return [renamed(v, names, days) for v in tree]
    if isinstance(tree, str):
        return names.get(tree, tree)
    return tree


def build(db: Path, copies: int, limit: int | None, jobs: int) -> dict[str, float]:
    from storyprism.models import Assignment, Comparison, RawDoc
    from storyprism.nlp import load_nlp
    from storyprism.pipeline import run
    from storyprism.store import Store

    articles = neus_articles(limit)
    start = time.perf_counter()
    comparisons, analyzed, assignments = run(articles, load_nlp(), jobs=jobs)
    t_pipeline = time.perf_counter() - start
    by_id = {a.id: a for a in assignments}
    span_days = 1 + (datetime.fromisoformat(articles[-1].published) - EPOCH).days

    start = time.perf_counter()
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db) as store:
        seq = store.next_seq()
        for copy in range(copies):
            days = copy * span_days
            suffix = f"~{copy}" if copy else ""
            names = {a.article.id: a.article.id + suffix for a in analyzed}
            names.update({c.id: c.id + suffix for c in comparisons})
            for first in range(0, len(analyzed), BATCH):
                with store.transaction():
                    for item in analyzed[first : first + BATCH]:
                        a = item.article
                        article = dataclasses.replace(a, id=names[a.id], published=shift(a.published, days))
                        raw = json.dumps({"id": article.id, "title": a.title, "text": a.text}, ensure_ascii=False)
                        doc, _ = store.add_document(RawDoc(source=a.source + suffix, content=raw, format="text"))
                        old = by_id[a.id]
                        assignment = Assignment(article.id, names[old.story],
                                                names.get(old.duplicate_of or "", old.duplicate_of), old.reused,
                                                names.get(old.nearest or "", old.nearest), old.score)  # fmt: skip
                        store.save_article(doc, dataclasses.replace(item, article=article), assignment, seq=seq,
                                           analyzed_with="bench/web.py")  # fmt: skip
                        seq += 1
            with store.transaction():
                for c in comparisons:
                    store.save_comparison(Comparison.from_dict(renamed(c.to_dict(), names, days)))
        counts = store.counts()
    t_write = time.perf_counter() - start
    print(
        f"built {db}: {counts['articles']} articles, {counts['stories']} stories, {counts['claims']} claims "
        f"(analyze+cluster+compare {t_pipeline:.0f} s for {len(analyzed)} documents, write {t_write:.0f} s)"
    )
    return {"pipeline_s": t_pipeline, "write_s": t_write}


# --- measuring ------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def measure(port: int, paths: list[str], total: int, clients: int) -> dict[str, float]:
    """``total`` requests spread over ``clients`` threads, cycling through ``paths``; latencies in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(offset: int, count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], 0
        for i in range(count):
            path = paths[(offset + i * clients) % len(paths)]
            t = time.perf_counter()
            status, _ = get(conn, path)
            mine.append((time.perf_counter() - t) * 1000)
            bad += status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    share = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=worker, args=(i, n)) for i, n in enumerate(share)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors[0],
        "rps": len(ordered) / elapsed,
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    }


def endpoints(port: int) -> dict[str, list[str]]:
    """The request paths per benchmarked page, read from the running server's own API."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def api(path: str) -> Any:
        status, body = get(conn, path)
        assert status == 200, (path, status, body[:200])
        return json.loads(body)

    first = api("/api/stories?limit=200")
    total = first["total"]
    # A deep page: the cursor ~80 % of the way down the list, found by walking the API 200 stories at a time.
    cursor, seen = first["next"], len(first["stories"])
    while cursor and seen < total * 0.8:
        page = api("/api/stories?" + urlencode({"limit": 200, "after": cursor}))
        if not page["next"]:
            break
        cursor, seen = page["next"], seen + len(page["stories"])
    multi = [s["id"] for s in first["stories"] if s["articles"] >= 2][:50]
    articles = [h["id"] for h in api("/api/search?q=president&limit=50")["articles"]]
    conn.close()
    print(f"server holds {total} stories; deep page after story #{seen}")
    return {
        "stories page /": ["/"],
        f"stories page, deep (#{seen})": ["/?" + urlencode({"after": cursor or ""})],
        "stories page, search": ["/?q=president", "/?q=iran+deal", "/?q=police", "/?q=election"],
        "story page (50 stories)": [f"/story/{quote(s)}" for s in multi],
        "article page (50 articles)": [f"/article/{quote(a)}" for a in articles],
        "api: stories": ["/api/stories"],
        "api: search": ["/api/search?q=president", "/api/search?q=iran+deal"],
    }


def serve(db: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "storyprism.cli", "serve", "--db", str(db), "--port", str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("storyprism serve did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help=f"use this database if it exists, else build it (default {DEFAULT_DB})")
    parser.add_argument("--copies", type=int, default=3, help="times the NeuS set is written (3: 24,831 articles)")
    parser.add_argument("--limit", type=int, help="only the first N NeuS documents (a quick run)")
    parser.add_argument("--jobs", type=int, default=2, help="analysis worker processes while building")
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    db = args.db or DEFAULT_DB
    built = None
    if not db.exists():
        if not NEUS.exists():
            print(f"NeuS dev set not found at {NEUS}", file=sys.stderr)
            return 1
        built = build(db, args.copies, args.limit, args.jobs)
    port = free_port()
    process = serve(db, port)
    results: dict[str, dict[str, float]] = {}
    try:
        paths = endpoints(port)
        run: Callable[[list[str], int], dict[str, float]] = lambda p, n: measure(port, p, n, args.clients)  # noqa: E731
        for name, urls in paths.items():
            run(urls, min(20, args.requests))  # warm-up: connections opened, pages cached by SQLite
            results[name] = run(urls, args.requests)
    finally:
        process.terminate()
        process.wait(timeout=10)

    print(f"\n{args.requests} requests per endpoint, {args.clients} concurrent clients, localhost, {db}")
    print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:34} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"build": built, "results": results}, indent=1))
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
