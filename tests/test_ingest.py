"""The persistent workflow as a user runs it: `storyprism ingest` into a real SQLite file (idempotent, resumable
after kill -9, readable while it writes), then `stories`, `show`, `export` and `reanalyze` on it.

The reference collection (the example corpus and the seeds, one uninterrupted `storyprism ingest`) is built once
for the module; tests that write work on a copy of it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLES, SEEDS
from storyprism import lexicons
from storyprism.ingest import ingest
from storyprism.nlp import load_nlp
from storyprism.store import Store
from storyprism.store.db import latest_version

DATA = str(EXAMPLES / "data")
SUMMARY = re.compile(
    r"^storyprism: (\d+) stored, (\d+) already stored, (\d+) skipped, (\d+) stories compared \((.+)\)$", re.M
)


def corpus_paths() -> list[str]:
    paths = [str(EXAMPLES / "corpus")]
    if SEEDS.is_dir():
        paths.append(str(SEEDS))
    return paths


def command(*args: str) -> list[str]:
    exe = shutil.which("storyprism", path=str(Path(sys.executable).parent))
    return [*([exe] if exe else [sys.executable, "-m", "storyprism.cli"]), "--data", DATA, *args]


def storyprism(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=300)


def summary(stderr: str) -> tuple[int, int, int, int, str]:
    match = SUMMARY.search(stderr)
    assert match, stderr
    stored, already, skipped, compared, path = match.groups()
    return int(stored), int(already), int(skipped), int(compared), path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "reference.db"
    result = storyprism("ingest", *corpus_paths(), "--db", str(path))
    assert result.returncode == 0, result.stderr
    stored, already, skipped, compared, where = summary(result.stderr)
    assert stored > 0 and already == skipped == 0 and compared > 0 and where == str(path)
    assert result.stderr.strip().count("\n") == 0  # one line, nothing else
    return path


def copy_db(path: Path, to: Path) -> Path:
    source, target = sqlite3.connect(path), sqlite3.connect(to)
    source.backup(target)
    source.close()
    target.close()
    return to


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in conn.execute(sql, args).fetchall()]
    finally:
        conn.close()


def contents(path: Path) -> dict[str, object]:
    """What a collection holds, independent of story ids (online clustering numbers stories as it meets them)."""
    members: dict[str, set[str]] = {}
    for article, story in rows(path, "SELECT id, story FROM articles"):
        members.setdefault(story, set()).add(article)
    stories = {}
    for story, title, outlets, origins, comparison in rows(
        path, "SELECT id, title, outlets, independent_origins, comparison FROM stories"
    ):
        claims = sorted(r[0] for r in rows(path, "SELECT text FROM claims WHERE story = ?", story))
        compared = json.loads(comparison) if comparison else {}
        detail = (compared.get("unique"), compared.get("labels"), compared.get("conflicts"))
        stories[frozenset(members.get(story, ()))] = (title, outlets, origins, claims, detail)
    return {
        "counts": {t: rows(path, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("documents", "articles", "stories",
                   "claims", "claim_support", "sentences", "entities", "mentions", "attributions", "framing")},
        "documents": sorted(rows(path, "SELECT hash, source, content FROM documents")),
        "articles": sorted(rows(path, "SELECT id, outlet, title, published, genre, text, analysis, duplicate_of,"
                                      " seq FROM articles")),
        "stories": stories,
        "dirty": rows(path, "SELECT id FROM stories WHERE dirty = 1 OR comparison IS NULL"),
    }  # fmt: skip


# --- ingest ------------------------------------------------------------------------------------------------------
def test_ingest_again_stores_nothing_twice(reference: Path, tmp_path: Path) -> None:
    path = copy_db(reference, tmp_path / "again.db")
    before = contents(path)
    result = storyprism("ingest", *corpus_paths(), "--db", str(path))
    assert result.returncode == 0, result.stderr
    stored, already, skipped, compared, _ = summary(result.stderr)
    n = before["counts"]["articles"]  # type: ignore[index]
    assert (stored, already, skipped, compared) == (0, n, 0, 0)
    assert contents(path) == before
    (run,) = rows(path, "SELECT run FROM ingest_ledger ORDER BY id DESC LIMIT 1")
    statuses = rows(path, "SELECT status, COUNT(*) FROM ingest_ledger WHERE run = ? GROUP BY status", run[0])
    assert statuses == [("already_stored", n)]


PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The harbour office in Velmora said on Thursday that the ferry to Port Aldane would run {n} times a day "
    "from next week, citing lower demand during the winter months.</p>"
    "<p>The last evening crossing will leave at eight, the office said, and the timetable will be reviewed in "
    "March.</p></article></body></html>"
)


def test_the_same_document_under_two_names_is_stored_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lexicons.DATA_ENV, DATA)
    folder = tmp_path / "in"
    folder.mkdir()
    page = PAGE.format(title="Velmora ferry timetable changes", n="four")
    (folder / "a.html").write_text(page, encoding="utf-8")
    (folder / "b-copy.html").write_text(page, encoding="utf-8")
    (folder / "c.html").write_text(PAGE.format(title="Velmora ferry adds crossings", n="six"), encoding="utf-8")
    nlp = load_nlp()
    with Store.open(tmp_path / "twice.db") as store:
        first = ingest([str(folder)], store, nlp)
        assert (first.read, first.stored, first.already_stored) == (3, 2, 1)
        assert store.counts()["documents"] == store.counts()["articles"] == 2
        ledger = {(Path(r.source).name, r.status) for r in store.ledger(first.run)}
        assert ledger == {("a.html", "stored"), ("b-copy.html", "already_stored"), ("c.html", "stored")}
        # The stored article is the input its document was first read from.
        (source,) = {r.source for r in store.ledger(first.run) if Path(r.source).name == "a.html"}
        assert rows(store.path, "SELECT COUNT(*) FROM articles a JOIN documents d ON d.id = a.document"
                                " WHERE a.source = d.source") == [(2,)]  # fmt: skip
        second = ingest([str(folder / "b-copy.html"), str(folder)], store, nlp)
        assert (second.read, second.stored, second.already_stored) == (4, 0, 4)
        assert store.counts()["articles"] == 2
        assert {r.status for r in store.ledger(second.run)} == {"already_stored"}
        assert source in {r.source for r in store.ledger()}


def kill_when(path: Path, ready: Callable[[sqlite3.Connection], bool], args: list[str]) -> dict[str, int]:
    """Start `storyprism ingest`, SIGKILL it as soon as ``ready`` holds for its database; the counts then."""
    proc = subprocess.Popen(command("ingest", *args, "--db", str(path)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"the ingest ended before it could be killed: {proc.stderr.read()}"
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
                try:
                    hit = conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() and ready(conn)
                finally:
                    conn.close()
            except sqlite3.Error:  # not created or not migrated yet
                hit = False
            if hit:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        else:
            pytest.fail("the ingest never reached the point to kill it")
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return {t: rows(path, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("documents", "articles", "stories")}


def consistent(path: Path) -> None:
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "PRAGMA foreign_key_check") == []
    # Every stored article is whole: its analysis rows were committed with it.
    assert rows(path, "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article = a.id)"
                      " OR NOT EXISTS (SELECT 1 FROM ingest_ledger l WHERE l.article = a.id)") == []  # fmt: skip


def test_a_killed_ingest_finishes_on_the_next_run(reference: Path, tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    want = contents(reference)
    total = want["counts"]["articles"]  # type: ignore[index]

    # Killed while reading: raw inputs committed, nothing analyzed yet.
    at = kill_when(path, lambda c: c.execute("SELECT COUNT(*) FROM documents").fetchone()[0] > 0, corpus_paths())
    assert at["documents"] > 0 and at["articles"] == 0
    consistent(path)

    # Killed again once articles are being stored (or their stories compared).
    at = kill_when(path, lambda c: c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0, corpus_paths())
    assert 0 < at["articles"] <= total
    consistent(path)

    result = storyprism("ingest", *corpus_paths(), "--db", str(path))
    assert result.returncode == 0, result.stderr
    stored, already, skipped, _, _ = summary(result.stderr)
    assert stored + already == total and skipped == 0
    consistent(path)
    got = contents(path)
    assert got["counts"] == want["counts"]
    assert got["documents"] == want["documents"]
    assert got["articles"] == want["articles"]
    assert got["stories"] == want["stories"]
    assert got["dirty"] == []
    # Every input has exactly one "stored" line over all the runs.
    assert rows(path, "SELECT COUNT(*), COUNT(DISTINCT article) FROM ingest_ledger WHERE status = 'stored'") == [
        (total, total)
    ]
    # The clustering state goes on exactly as the uninterrupted run's would.
    assert json.loads(rows(path, "SELECT state FROM cluster_state")[0][0]) == json.loads(
        rows(reference, "SELECT state FROM cluster_state")[0][0]
    )


def test_readers_are_not_locked_out_while_an_ingest_writes(reference: Path, tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    total = rows(reference, "SELECT COUNT(*) FROM articles")[0][0]
    proc = subprocess.Popen(command("ingest", *corpus_paths(), "--db", str(path)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    errors: list[BaseException] = []
    seen: list[set[int]] = [set(), set()]
    slowest = [0.0, 0.0]
    try:
        deadline = time.monotonic() + 240
        while not (path.is_file() and _schema_ready(path)):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr and proc.stderr.read()
            time.sleep(0.005)

        def reader(slot: int) -> None:
            try:
                with Store.open(path, readonly=True) as store:
                    while proc.poll() is None:
                        started = time.monotonic()
                        store.stories(limit=20)
                        store.search_articles("the harbour")
                        store.count_stories(outlet="Harbourline Daily")
                        seen[slot].add(store.counts()["articles"])
                        slowest[slot] = max(slowest[slot], time.monotonic() - started)
                        time.sleep(0.001)
                    seen[slot].add(store.counts()["articles"])
            except BaseException as exc:  # collected: a failure in a thread must fail the test
                errors.append(exc)

        threads = [threading.Thread(target=reader, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == 0, proc.stderr and proc.stderr.read()
    assert errors == []
    for counts in seen:
        assert 0 in counts and total in counts and len(counts) >= 2, counts
    assert max(slowest) < 5.0, slowest  # a reader never waited on the writer's lock


def _schema_ready(path: Path) -> bool:
    try:
        return rows(path, "PRAGMA user_version") == [(latest_version(),)]
    except sqlite3.Error:
        return False


def test_bad_and_hostile_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile_title = "[red]Velmora[/red] ferry <script>alert(1)</script> timetable"
    (folder / "hostile.html").write_text(PAGE.format(title=hostile_title.replace("<", "&lt;"), n="four"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 20)
    # Over spaCy's 1,000,000-character limit: once a traceback that ended the run.
    paragraphs = (
        f"Councillor {i} of Velmora told the harbour board on day {i} that ferry number {i % 97} "
        f"would carry {i * 7} passengers, and board member {i + 1} asked for report {i * 3}."
        for i in range(7_500)
    )
    (folder / "huge.txt").write_text("A very long page\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    path = tmp_path / "bad.db"
    result = storyprism("ingest", str(folder), "--db", str(path))
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert summary(result.stderr)[:3] == (1, 0, 3)
    for name in ("empty.txt", "binary.html", "huge.txt"):
        assert sum(name in line for line in lines) == 1
    assert any("huge.txt" in line and "over the parser's limit" in line for line in lines)
    assert rows(path, "SELECT status, COUNT(*) FROM ingest_ledger GROUP BY status ORDER BY 1") == [
        ("skipped", 3),
        ("stored", 1),
    ]
    # The raw input of the page the analyze stage refused is kept.
    assert rows(path, "SELECT COUNT(*) FROM documents WHERE source LIKE '%huge.txt'") == [(1,)]
    listed = storyprism("stories", "--db", str(path))
    assert listed.returncode == 0, listed.stderr
    assert "[red]Velmora[/red]" in listed.stdout  # shown as text, not taken as markup
    (story,) = json.loads(storyprism("stories", "--db", str(path), "--format", "json").stdout)
    assert story["title"] == hostile_title


# --- stories, show, export, reanalyze ------------------------------------------------------------------------------
def test_stories_command(reference: Path) -> None:
    with Store.open(reference, readonly=True) as store:
        every = store.stories(limit=1000)
        outlets = [name for name, _ in store.outlets()]
    listed = json.loads(storyprism("stories", "--db", str(reference), "--format", "json").stdout)
    assert [s["id"] for s in listed] == [s.id for s in every]
    assert all(set(s) == {"id", "title", "start", "end", "end_utc", "articles", "outlets", "independent_origins",
                          "claims", "conflicts"} for s in listed)  # fmt: skip
    table = storyprism("stories", "--db", str(reference))
    assert table.returncode == 0 and table.stderr == ""
    assert {line.split()[0] for line in table.stdout.splitlines()[1:] if line.strip()} >= {s.id for s in every}
    with Store.open(reference, readonly=True) as store:
        for outlet in outlets[:3]:
            got = json.loads(storyprism("stories", "--db", str(reference), "--outlet", outlet, "-f", "json").stdout)
            assert [s["id"] for s in got] == [s.id for s in store.stories(outlet=outlet)]
        day = (every[0].end or "")[:10]
        got = json.loads(storyprism("stories", "--db", str(reference), "--since", day, "-f", "json").stdout)
        assert [s["id"] for s in got] == [s.id for s in store.stories(since=day)] and got
        got = json.loads(storyprism("stories", "--db", str(reference), "--limit", "1", "-f", "json").stdout)
        assert [s["id"] for s in got] == [every[0].id]
    word = max((w for s in every for w in (s.title or "").split() if w.isalpha()), key=len)
    got = json.loads(storyprism("stories", "--db", str(reference), "--search", word, "-f", "json").stdout)
    assert got and all(s["id"] in {x.id for x in every} for s in got)
    assert storyprism("stories", "--db", str(reference), "--since", "last tuesday").returncode == 2


def test_store_errors_are_one_line(reference: Path, tmp_path: Path) -> None:
    missing = storyprism("stories", "--db", str(tmp_path / "nowhere.db"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "nowhere.db" in missing.stderr
    assert not (tmp_path / "nowhere.db").exists()
    future = copy_db(reference, tmp_path / "future.db")
    conn = sqlite3.connect(future)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    for args in (["stories"], ["show", "s0"], ["export", "-f", "jsonl", "-w", "articles"], ["reanalyze"],
                 ["ingest", str(EXAMPLES / "corpus")]):  # fmt: skip
        result = storyprism(*args, "--db", str(future))
        assert result.returncode == 1, args
        assert result.stderr.count("\n") == 1 and "newer" in result.stderr and "Traceback" not in result.stderr


def test_show_command(reference: Path, tmp_path: Path) -> None:
    with Store.open(reference, readonly=True) as store:
        every = store.stories(limit=1000)
        for row in (every[0], every[-1]):
            result = storyprism("show", row.id, "--db", str(reference))
            assert result.returncode == 0, result.stderr
            shown = json.loads(result.stdout)
            comparison = store.story(row.id)
            assert comparison is not None and shown == json.loads(json.dumps(comparison.to_dict()))
            assert len(shown["claims"]) == row.claims and len(shown["articles"]) == row.articles
    biggest = max(every, key=lambda s: s.articles)
    html = storyprism("show", biggest.id, "--db", str(reference), "--format", "html", "--out", str(tmp_path / "s.html"))
    assert html.returncode == 0 and html.stdout == ""
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and all(o.replace("'", "&#39;") in page
                                                                      for o in biggest.outlets)  # fmt: skip
    md = storyprism("show", biggest.id, "--db", str(reference), "--format", "md")
    assert md.returncode == 0 and (biggest.title or "") in md.stdout
    unknown = storyprism("show", "no-such-story", "--db", str(reference))
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "no-such-story" in unknown.stderr


EXPORTED = {
    "articles": "SELECT id, outlet, title, published, language, genre, story, duplicate_of, source, text FROM articles"
    " ORDER BY seq",
    "stories": "SELECT id, title, start, end_, articles, outlets, independent_origins,"
    " (SELECT COUNT(*) FROM claims c WHERE c.story = s.id), COALESCE(json_array_length(comparison, '$.conflicts'), 0)"
    " FROM stories s",
    "claims": "SELECT story, claim, text, outlets, independent_origins, origins FROM claims",
    "framing": "SELECT f.article, a.outlet, category, term, sentence, start, f.end_ FROM framing f"
    " JOIN articles a ON a.id = f.article",
}
"""Each export table as independent SQL over the schema (the columns of the export, in its order)."""
LISTS = {"outlets"}
"""Columns exported as lists (JSON text in the database and in CSV)."""


@pytest.mark.parametrize("what", sorted(EXPORTED))
def test_export_command(reference: Path, tmp_path: Path, what: str) -> None:
    jsonl = storyprism("export", "--db", str(reference), "--format", "jsonl", "--what", what)
    assert jsonl.returncode == 0, jsonl.stderr
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    columns = list(records[0])
    want = [
        {k: json.loads(v) if k in LISTS else v for k, v in zip(columns, row, strict=False)}
        for row in rows(reference, EXPORTED[what])
    ]
    assert len(records) == len(want) > 0
    if what == "claims":
        for record in records:  # support: every sentence behind the claim, as JSON text
            support = json.loads(record.pop("support"))
            assert support and all({"article", "sentence", "text"} <= set(s) for s in support)
        columns.remove("support")
    if what == "articles":  # in arrival order
        assert records == want
    assert sorted(records, key=json.dumps) == sorted(want, key=json.dumps)
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]

    csv_run = storyprism("export", "--db", str(reference), "--format", "csv", "--what", what)
    assert csv_run.returncode == 0, csv_run.stderr
    table = list(csv.DictReader(io.StringIO(csv_run.stdout)))
    assert list(table[0]) == list(records[0])
    expected = [
        {k: json.dumps(v, ensure_ascii=False) if k in LISTS else "" if v is None else str(v) for k, v in r.items()}
        for r in records
    ]
    assert table == expected

    out = tmp_path / f"{what}.parquet"
    parquet = storyprism("export", "--db", str(reference), "-f", "parquet", "-w", what, "--out", str(out))
    assert parquet.returncode == 0 and parquet.stdout == ""
    assert pq.read_table(out).to_pylist() == records
    assert storyprism("export", "--db", str(reference), "-f", "parquet", "-w", what).returncode == 2


def test_reanalyze_command(reference: Path, tmp_path: Path) -> None:
    path = copy_db(reference, tmp_path / "redo.db")
    before = contents(path)
    result = storyprism("reanalyze", "--db", str(path))
    assert result.returncode == 0, result.stderr
    n = before["counts"]["articles"]  # type: ignore[index]
    assert f"{n} of {n} articles reanalyzed" in result.stderr
    after = contents(path)
    assert after == before  # the same pipeline on the same raw inputs: the same analyses and comparisons
    assert rows(path, "SELECT COUNT(*) FROM articles WHERE analyzed_with IS NULL") == [(0,)]
