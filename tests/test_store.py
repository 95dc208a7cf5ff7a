"""The store against a real SQLite file: schema migrations, the read API (search, filters, pagination, outlet
profiles), raw inputs kept as read, bad and hostile input.

One collection (the example corpus and the seeds, ingested in this process with the real spaCy pipeline) is
built once for the module; tests that write work on a copy of it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, SEEDS, seed
from storyprism import lexicons
from storyprism.extract import extract
from storyprism.ingest import ingest, reanalyze
from storyprism.models import Assignment
from storyprism.nlp import load_nlp
from storyprism.read import ReadError, read
from storyprism.store import Store, StoreError, cursor, db
from storyprism.store.db import latest_version

SCHEMA_1_TABLES = (
    "documents", "stories", "articles", "sentences", "entities", "mentions", "attributions", "framing", "claims",
    "claim_support", "ingest_ledger", "cluster_state",
)  # fmt: skip
"""Every table of 0001_initial.sql, parents before children (foreign keys are on)."""


def corpus_paths() -> list[str]:
    paths = [str(EXAMPLES / "corpus")]
    if SEEDS.is_dir():
        paths.append(str(SEEDS))
    return paths


@pytest.fixture(scope="module")
def data_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(lexicons.DATA_ENV, str(EXAMPLES / "data"))
        yield


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory, data_env: None) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("store") / "collection.db")
    errors: list[ReadError] = []
    report = ingest(corpus_paths(), store, load_nlp(), on_error=errors.append)
    assert errors == [] and report.skipped == 0
    assert report.stored == store.counts()["articles"] > 0
    yield store
    store.close()


def copy_of(store: Store, path: Path) -> Store:
    """A consistent copy of the collection (SQLite's online backup), for tests that write."""
    target = sqlite3.connect(path)
    store.conn.backup(target)
    target.close()
    return Store.open(path)


def table(store: Store, sql: str, *args: object) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute(sql, args).fetchall()]


# --- migrations ----------------------------------------------------------------------------------------------------
def test_a_schema_1_database_is_upgraded_with_its_data(collection: Store, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    # A plain connection: db.connect would upgrade it (or refuse to, with migrate=False) past version 1.
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    db.upgrade(conn, 0, until=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_entities'").fetchone()
    # Filled the way schema 1 allowed: plain rows in its own tables (the FTS triggers of schema 1 index them).
    conn.execute("ATTACH DATABASE ? AS src", (str(collection.path),))
    conn.execute("BEGIN")
    for name in SCHEMA_1_TABLES:  # the columns schema 1 has (later schemas add some)
        columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({name})"))
        conn.execute(f"INSERT INTO main.{name} ({columns}) SELECT {columns} FROM src.{name} ORDER BY rowid")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")
    conn.close()

    with Store.open(old) as upgraded:
        assert upgraded.version == latest_version() >= 2
        assert upgraded.counts() == collection.counts()
        for name in SCHEMA_1_TABLES:
            assert table(upgraded, f"SELECT * FROM {name} ORDER BY rowid") == table(
                collection, f"SELECT * FROM {name} ORDER BY rowid"
            ), name
        # Schema 3's UTC sort keys are computed from the stored times.
        assert table(upgraded, "SELECT id, start_utc, end_utc FROM stories ORDER BY id") == table(
            collection, "SELECT id, start_utc, end_utc FROM stories ORDER BY id"
        )
        # The tables added by schema 2 are backfilled to what an ingest at schema 2 writes.
        for name in ("story_outlets", "story_entities"):
            got = table(upgraded, f"SELECT * FROM {name} ORDER BY 1, 2")
            assert got, name
            assert got == table(collection, f"SELECT * FROM {name} ORDER BY 1, 2"), name
        assert [r.id for r in upgraded.stories(limit=1000)] == [r.id for r in collection.stories(limit=1000)]
        word = longest_title_word(collection)
        assert upgraded.search_articles(word) == collection.search_articles(word)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreError, match=r"newer than this storyprism"):
            Store.open(path, readonly=readonly)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.db"):
        Store.open(path)


# --- read side ------------------------------------------------------------------------------------------------------
def longest_title_word(store: Store) -> str:
    titles = [r[0] for r in store.conn.execute("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY id")]
    return max((w for t in titles for w in t.split() if w.isalpha()), key=len)


def test_full_text_search_finds_articles_by_their_words(collection: Store) -> None:
    rows = table(collection, "SELECT id, title, text FROM articles ORDER BY seq")
    for article_id, title, _ in rows:
        word = max((w for w in (title or "").split() if w.isalpha()), key=len, default=None)
        if not word:
            continue
        hits = collection.search_articles(word, limit=1000)
        assert article_id in {h.id for h in hits}, word
        for hit in hits:  # every hit contains the word (or a word it prefixes, for the last word typed)
            (fields,) = table(collection, "SELECT title, outlet, text FROM articles WHERE id = ?", hit.id)
            text = " ".join(x or "" for x in fields).lower()
            assert word.lower() in text
            assert hit.snippet is not None
    assert collection.search_articles("zqxjvvunfindable") == []
    # User input is words, never FTS syntax: quotes, operators and brackets do not raise.
    for hostile in ('"', "NEAR(a b", "title:*", "a AND OR NOT", "(((", "'; DROP TABLE articles; --", ""):
        collection.search_articles(hostile)
        collection.stories(search=hostile)
    assert collection.counts()["articles"] == len(rows)


def test_search_finds_the_seed_story(collection: Store) -> None:
    seed("000")
    (hit,) = collection.stories(search="Baku Azerbaijan")
    assert hit.articles == 2 and len(hit.outlets) == 2


def all_stories(store: Store, **filters: str) -> list:
    return store.stories(limit=10_000, **filters)


def test_outlet_and_entity_filters_match_the_members(collection: Store) -> None:
    every = all_stories(collection)
    assert every
    members = table(collection, "SELECT story, outlet, id FROM articles")
    for outlet, _ in collection.outlets():
        want = {story for story, o, _ in members if o == outlet}
        got = [r.id for r in all_stories(collection, outlet=outlet)]
        assert set(got) == want and len(got) == len(want), outlet
        assert collection.count_stories(outlet=outlet) == len(want)
    names = Counter(r[0] for r in collection.conn.execute("SELECT canonical FROM entities WHERE type != 'UNRESOLVED'"))
    for name, _ in names.most_common(15):
        want = {
            r[0]
            for r in collection.conn.execute(
                "SELECT DISTINCT a.story FROM entities e JOIN articles a ON a.id = e.article WHERE e.canonical = ?"
                " AND e.type != 'UNRESOLVED'",
                (name,),
            )
        }
        assert {r.id for r in all_stories(collection, entity=name)} == want, name
    assert all_stories(collection, outlet="No Such Outlet") == []


def test_date_filters(collection: Store) -> None:
    every = all_stories(collection)
    days = sorted({(r.start or "")[:10] for r in every} | {(r.end or "")[:10] for r in every} - {""})
    assert len(days) >= 2
    for day in days:
        since = {r.id for r in all_stories(collection, since=day)}
        until = {r.id for r in all_stories(collection, until=day)}
        assert since == {r.id for r in every if (r.end or r.start or "")[:10] >= day}, day
        assert until == {r.id for r in every if (r.start or r.end or "")[:10] <= day}, day
        both = {r.id for r in all_stories(collection, since=day, until=day)}
        assert both == since & until


def test_keyset_pagination_walks_every_story_once(collection: Store) -> None:
    every = [r.id for r in all_stories(collection)]
    assert len(every) >= 3
    for size in (1, 2):
        seen, after = [], None
        while True:
            page = collection.stories(limit=size, after=after)
            if not page:
                break
            assert len(page) <= size
            seen += [r.id for r in page]
            after = cursor(page[-1])
        assert seen == every
    assert collection.count_stories() == len(every)
    ends = [r.end or "" for r in all_stories(collection)]
    assert ends == sorted(ends, reverse=True)


def test_outlet_profile_counts_what_its_articles_hold(collection: Store) -> None:
    outlets = collection.outlets()
    assert outlets and sum(n for _, n in outlets) == collection.counts()["articles"]
    for name, n in outlets:
        profile = collection.outlet(name)
        assert profile is not None and profile.articles == n
        ids = [r.id for r in collection.outlet_articles(name, limit=1000)]
        assert len(ids) == n
        analyses = [collection.article(i) for i in ids]
        kinds = Counter(s.kind for a in analyses if a for s in a.sentences)
        markers = Counter(m.category for a in analyses if a for m in a.framing)
        stored = [table(collection, "SELECT analysis FROM articles WHERE id = ?", i)[0][0] for i in ids]
        agencies = Counter(x for analysis in stored for x in json.loads(analysis)["agencies"])
        assert profile.kinds == dict(kinds)
        assert profile.markers == dict(markers)
        assert profile.agencies == dict(agencies)
        assert profile.stories == len({r.story for r in collection.outlet_articles(name, limit=1000)})
        assert 0.0 <= profile.opinion_share <= 1.0
    assert collection.outlet("No Such Outlet") is None


def test_raw_input_is_kept_as_read(collection: Store) -> None:
    read_now = {raw.source: raw for raw in read(corpus_paths(), on_error=None)}
    ids = [r[0] for r in collection.conn.execute("SELECT id FROM articles ORDER BY seq")]
    assert len(ids) == len(read_now)
    for article_id in ids:
        kept = collection.raw(article_id)
        assert kept is not None
        original = read_now[kept.source]
        assert kept.content == original.content
        assert (kept.format, kept.encoding, kept.url) == (original.format, original.encoding, original.url)
        # Extracting the kept input again gives the stored article: any stage can be re-run from it.
        article = collection.article(article_id)
        assert article is not None and extract(original).text == article.article.text


def test_reanalyze_keeps_ids_stories_and_the_story_index(collection: Store, tmp_path: Path) -> None:
    with copy_of(collection, tmp_path / "copy.db") as store:
        before = table(store, "SELECT id, story FROM articles ORDER BY id")
        claims = table(store, "SELECT story, text FROM claims ORDER BY story, id")
        assert reanalyze(store, load_nlp()) == len(before)
        assert table(store, "SELECT id, story FROM articles ORDER BY id") == before
        assert table(store, "SELECT story, text FROM claims ORDER BY story, id") == claims
        assert store.dirty_stories() == []
        # The outlet/entity index is what the members say, not the old analysis plus the new one.
        for name in ("story_outlets", "story_entities"):
            assert table(store, f"SELECT * FROM {name} ORDER BY 1, 2") == table(
                collection, f"SELECT * FROM {name} ORDER BY 1, 2"
            ), name


def test_moving_an_article_updates_both_stories_index(collection: Store, tmp_path: Path) -> None:
    with copy_of(collection, tmp_path / "copy.db") as store:
        story, outlet, article_id = store.conn.execute(
            "SELECT story, outlet, id FROM articles a WHERE outlet IS NOT NULL AND 1 = (SELECT COUNT(*)"
            " FROM articles b WHERE b.story = a.story AND b.outlet = a.outlet) ORDER BY seq LIMIT 1"
        ).fetchone()
        with store.transaction():
            store.set_story(article_id, Assignment(article_id, "moved"))
        assert table(store, "SELECT 1 FROM story_outlets WHERE story = ? AND outlet = ?", story, outlet) == []
        assert table(store, "SELECT outlet FROM story_outlets WHERE story = 'moved'") == [(outlet,)]
        assert set(store.dirty_stories()) == {story, "moved"}


# --- bad and hostile input -----------------------------------------------------------------------------------------
GOOD_PAGE = (
    "<html><head><title>Velmora ferry timetable changes</title></head><body><article>"
    "<h1>Velmora ferry timetable changes for the winter</h1>"
    "<p>The ferry between Velmora and Port Aldane will run four times a day from next Monday, the harbour office "
    "said on Thursday, citing lower demand during the winter months.</p>"
    "<p>The last evening crossing will leave at eight, the office said, and the timetable will be reviewed in "
    "March.</p></article></body></html>"
)


def test_bad_input_is_skipped_with_a_ledger_line_and_nothing_is_lost(
    collection: Store, tmp_path: Path, data_env: None
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.html").write_text(GOOD_PAGE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 20)
    with copy_of(collection, tmp_path / "copy.db") as store:
        before = table(store, "SELECT id, story, text FROM articles ORDER BY id")
        errors: list[ReadError] = []
        report = ingest([str(folder)], store, load_nlp(), on_error=errors.append)
        assert report.skipped == 2 and report.stored == 1
        assert sorted(Path(e.source).name for e in errors) == ["binary.html", "empty.txt"]
        skipped = [r for r in store.ledger(report.run) if r.status == "skipped"]
        assert sorted(Path(r.source).name for r in skipped) == ["binary.html", "empty.txt"]
        assert all(r.reason for r in skipped)
        after = table(store, "SELECT id, story, text FROM articles ORDER BY id")
        assert set(before) < set(after) and len(after) == len(before) + 1
        assert store.dirty_stories() == []


HOSTILE = (
    "Velmora ferry crossing <b>sold out</b> for the weekend\n\n"
    "Velmora's ferry [bold]operator[/bold] said on Thursday that tickets are sold out: \"<script>alert('x')"
    '</script>" and <img src=x onerror=alert(1)> '
    "'); DROP TABLE articles; -- was printed on the notice board at the harbour office in Velmora.\n\n"
    "\u202eThe right-to-left override stays where it was\u202c, with \u200bzero-width and emoji 🛳️ too.\n\n"
    "A very long line follows. " + "wave " * 4000 + "\n\n"
    "The harbour office in Velmora said the crossing would reopen on Friday, javascript:alert(2) notwithstanding.\n"
)


def test_hostile_text_is_stored_and_read_back_unchanged(tmp_path: Path, data_env: None) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    (raw,) = list(read(path))
    with Store.open(tmp_path / "h.db") as store:
        report = ingest([str(path)], store, load_nlp())
        assert report.stored == 1
        (article_id,) = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        kept = store.raw(article_id)
        assert kept is not None and kept.content == raw.content == HOSTILE
        stored = store.article(article_id)
        again = extract(raw)
        assert stored is not None and (stored.article.title, stored.article.text) == (again.title, again.text)
        assert "<script>alert('x')</script>" in stored.article.text and "\u202e" in stored.article.text
        assert table(store, "SELECT COUNT(*) FROM articles") == [(1,)]
        assert [h.id for h in store.search_articles("DROP TABLE articles")] == [article_id]


def test_stories_are_ordered_by_time_in_utc(tmp_path: Path) -> None:
    """23:30 at UTC+5 is 18:30 UTC, earlier than 20:00 UTC, though it sorts later as text."""
    from storyprism.models import Comparison
    from storyprism.times import utc_key

    assert utc_key("2031-03-14T23:30:00+05:00") == "2031-03-14T18:30:00" < utc_key("2031-03-14T20:00Z")
    assert utc_key("2031-03-14") == "2031-03-14T00:00:00"
    with Store.open(tmp_path / "zones.db") as store, store.transaction():
        for story, end in (("east", "2031-03-14T23:30:00+05:00"), ("west", "2031-03-14T20:00:00+00:00")):
            store._ensure_story(story)
            store.save_comparison(Comparison(story, story, end, end, [], [], {}, {}, [], {}, [], {}))
    with Store.open(tmp_path / "zones.db") as store:
        assert [r.id for r in store.stories()] == ["west", "east"]
        assert [r.id for r in store.stories(after=cursor(store.stories()[0]))] == ["east"]
        assert [r.id for r in store.stories(since="2031-03-14T19:00")] == ["west"]
