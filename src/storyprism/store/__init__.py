"""The persistent store: documents, analyses, stories and comparisons in one SQLite file.

    store = Store.open()                      # storyprism.db here, or --db / $STORYPRISM_DB
    with store.transaction():
        doc, new = store.add_document(raw)
        ...
    for row in store.stories(search="Baku"):  # the read side: CLI, web UI, exports
        ...

Every write goes through :meth:`Store.transaction` (one document, or one story's comparison, per
transaction), so a run killed at any point leaves the database as it was after the last commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from storyprism.models import AnalyzedArticle, Assignment, ClusterDoc, ClusterState, Comparison, RawDoc
from storyprism.store.db import DB_ENV, DEFAULT_DB, StoreError, connect, db_path, latest_version
from storyprism.store.rows import ArticleRow, LedgerRow, OutletProfile, RawInput, StoryRow

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "ArticleRow",
    "LedgerRow",
    "OutletProfile",
    "RawInput",
    "Store",
    "StoreError",
    "StoryRow",
    "db_path",
]


UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""SQLite strftime format of the UTC sort keys (start_utc, end_utc): times with any offset compare as text."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(raw: RawDoc) -> str:
    return hashlib.sha256(raw.content.encode("utf-8", "surrogatepass")).hexdigest()


def fts_query(text: str) -> str:
    """User words as an FTS5 query: every word must match (prefix match on the last), no operators."""
    words = re.findall(r"\w[\w'’-]*", text)
    if not words:
        return ""
    quoted = [f'"{w.replace(chr(34), "")}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class Store:
    """One open database. Not shared between processes; one writer at a time (SQLite's lock decides)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, db: str | Path | None = None, *, readonly: bool = False) -> Store:
        path = db_path(db)
        return cls(connect(path, readonly=readonly), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- write side -------------------------------------------------------------------------------------------
    def add_document(self, raw: RawDoc) -> tuple[int, bool]:
        """The document's row id, and whether it is new (the same content read again is not stored twice)."""
        digest = content_hash(raw)
        row = self.conn.execute("SELECT id FROM documents WHERE hash = ?", (digest,)).fetchone()
        if row:
            return row[0], False
        meta = {k: getattr(raw, k) for k in ("id", "title", "outlet", "published", "fetched") if getattr(raw, k)}
        cur = self.conn.execute(
            "INSERT INTO documents (hash, source, format, encoding, url, content, meta, added)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (digest, raw.source, raw.format, raw.encoding, raw.url, raw.content, json.dumps(meta), now()),
        )
        return int(cur.lastrowid or 0), True

    def article_of_document(self, document: int) -> str | None:
        row = self.conn.execute("SELECT id FROM articles WHERE document = ?", (document,)).fetchone()
        return row[0] if row else None

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def next_seq(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])

    def save_article(
        self, document: int, item: AnalyzedArticle, assignment: Assignment, *, seq: int, analyzed_with: str
    ) -> None:
        """The article, its analysis rows and its story membership; the story is marked for a new comparison."""
        a = item.article
        self._ensure_story(assignment.story)
        self.conn.execute(
            "INSERT INTO articles (id, document, source, outlet, title, published, language, genre, text, analysis,"
            " analyzed_with, story, duplicate_of, reused, nearest, score, seq, added)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, document, a.source, a.outlet, a.title, a.published, a.language, a.genre, a.text,
             json.dumps(item.to_dict(), ensure_ascii=False), analyzed_with, assignment.story, assignment.duplicate_of,
             assignment.reused, assignment.nearest, assignment.score, seq, now()),
        )  # fmt: skip
        self._insert_analysis(item)
        self._touch_story(assignment.story, item)

    def replace_analysis(self, item: AnalyzedArticle, *, analyzed_with: str) -> None:
        """A new analysis of a stored article (reanalyze): rows replaced, story kept and marked for comparison."""
        a = item.article
        for table in ("sentences", "entities", "attributions", "framing"):
            self.conn.execute(f"DELETE FROM {table} WHERE article = ?", (a.id,))
        self.conn.execute(
            "UPDATE articles SET source=?, outlet=?, title=?, published=?, language=?, genre=?, text=?, analysis=?,"
            " analyzed_with=? WHERE id=?",
            (a.source, a.outlet, a.title, a.published, a.language, a.genre, a.text,
             json.dumps(item.to_dict(), ensure_ascii=False), analyzed_with, a.id),
        )  # fmt: skip
        self._insert_analysis(item)
        story = self.conn.execute("SELECT story FROM articles WHERE id = ?", (a.id,)).fetchone()
        if story and story[0]:
            # Rebuilt, not incremented: adding the new analysis' entities on top of the old ones would count
            # them twice, and an outlet or entity the new analysis no longer finds would stay behind.
            self.conn.execute("UPDATE stories SET dirty = 1, updated = ? WHERE id = ?", (now(), story[0]))
            self._reindex_story(story[0])

    def _ensure_story(self, story: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO stories (id, dirty, updated) VALUES (?, 1, ?)", (story, now()))

    def _touch_story(self, story: str, item: AnalyzedArticle) -> None:
        self.conn.execute("UPDATE stories SET dirty = 1, updated = ? WHERE id = ?", (now(), story))
        if item.article.outlet:
            self.conn.execute(
                "INSERT OR IGNORE INTO story_outlets (story, outlet) VALUES (?, ?)", (story, item.article.outlet)
            )
        counts = Counter(e.canonical for e in item.entities if e.type != "UNRESOLVED")
        self.conn.executemany(
            "INSERT INTO story_entities (story, canonical, mentions) VALUES (?, ?, ?)"
            " ON CONFLICT (story, canonical) DO UPDATE SET mentions = mentions + excluded.mentions",
            [(story, name, n) for name, n in counts.items()],
        )

    def _reindex_story(self, story: str) -> None:
        """The story's outlet and entity index (schema 2) computed afresh from its current members."""
        self.conn.execute("DELETE FROM story_outlets WHERE story = ?", (story,))
        self.conn.execute(
            "INSERT INTO story_outlets (story, outlet) SELECT DISTINCT story, outlet FROM articles"
            " WHERE story = ? AND outlet IS NOT NULL",
            (story,),
        )
        self.conn.execute("DELETE FROM story_entities WHERE story = ?", (story,))
        self.conn.execute(
            "INSERT INTO story_entities (story, canonical, mentions) SELECT a.story, e.canonical, COUNT(*)"
            " FROM entities e JOIN articles a ON a.id = e.article WHERE a.story = ? AND e.type != 'UNRESOLVED'"
            " GROUP BY e.canonical",
            (story,),
        )

    def _insert_analysis(self, item: AnalyzedArticle) -> None:
        aid = item.article.id
        self.conn.executemany(
            "INSERT INTO sentences (article, idx, start, end_, kind, text) VALUES (?,?,?,?,?,?)",
            [(aid, s.index, s.start, s.end, s.kind, s.text) for s in item.sentences],
        )
        for e in item.entities:
            cur = self.conn.execute(
                "INSERT INTO entities (article, canonical, type, key) VALUES (?,?,?,?)",
                (aid, e.canonical, e.type, e.key),
            )
            self.conn.executemany(
                "INSERT INTO mentions (entity, text, start, end_, sentence, kind) VALUES (?,?,?,?,?,?)",
                [(cur.lastrowid, m.text, m.start, m.end, m.sentence, m.kind) for m in e.mentions],
            )

        def insert(attribution, parent: int | None) -> None:
            s, c, t = attribution.source, attribution.cue, attribution.content
            cur = self.conn.execute(
                "INSERT INTO attributions (article, parent, sentence, kind, source, source_start, source_end, cue,"
                " cue_start, cue_end, content, content_start, content_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (aid, parent, attribution.sentence, attribution.kind, s and s.text, s and s.start, s and s.end,
                 c.text, c.start, c.end, t and t.text, t and t.start, t and t.end),
            )  # fmt: skip
            for nested in attribution.via:
                insert(nested, cur.lastrowid)

        for attribution in item.attributions:
            insert(attribution, None)
        self.conn.executemany(
            "INSERT INTO framing (article, category, term, sentence, start, end_) VALUES (?,?,?,?,?,?)",
            [(aid, m.category, m.term, m.sentence, m.start, m.end) for m in item.framing],
        )

    def log(
        self,
        run: str,
        source: str,
        status: str,
        reason: str | None = None,
        *,
        document: int | None = None,
        article: str | None = None,
    ) -> None:
        """One line of the ingest ledger: what came in, from where, and what became of it."""
        self.conn.execute(
            "INSERT INTO ingest_ledger (run, at, source, document, article, status, reason) VALUES (?,?,?,?,?,?,?)",
            (run, now(), source, document, article, status, reason),
        )

    def cluster_state(self) -> tuple[ClusterState | None, int]:
        """The saved clustering state and the arrival number of the last article it holds."""
        row = self.conn.execute("SELECT state, seq FROM cluster_state WHERE id = 1").fetchone()
        if not row:
            return None, 0
        return ClusterState.from_dict(json.loads(row["state"])), int(row["seq"])

    def save_cluster_state(self, state: ClusterState, seq: int) -> None:
        self.conn.execute(
            "INSERT INTO cluster_state (id, state, seq, saved) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET state = excluded.state, seq = excluded.seq, saved = excluded.saved",
            (json.dumps(state.to_dict(), ensure_ascii=False), seq, now()),
        )

    def articles_after(self, seq: int) -> list[tuple[int, ClusterDoc, str | None]]:
        """(arrival number, the cluster stage's view, stored story) of the articles after ``seq``, in order: the
        ones a saved clustering state does not hold yet (a run killed between two state saves)."""
        rows = self.conn.execute(
            "SELECT seq, id, text, title, published, outlet, story FROM articles WHERE seq > ? ORDER BY seq", (seq,)
        ).fetchall()
        return [
            (r["seq"], ClusterDoc(r["id"], r["text"], r["title"], r["published"], r["outlet"]), r["story"])
            for r in rows
        ]

    def set_story(self, article_id: str, assignment: Assignment) -> None:
        """Move an article to the story a replayed clustering gives it (both stories get new comparisons)."""
        old = self.conn.execute("SELECT story FROM articles WHERE id = ?", (article_id,)).fetchone()
        self._ensure_story(assignment.story)
        self.conn.execute(
            "UPDATE articles SET story=?, duplicate_of=?, reused=?, nearest=?, score=? WHERE id=?",
            (assignment.story, assignment.duplicate_of, assignment.reused, assignment.nearest, assignment.score,
             article_id),
        )  # fmt: skip
        for story in {assignment.story, old[0] if old else None} - {None}:
            self.conn.execute("UPDATE stories SET dirty = 1 WHERE id = ?", (story,))
            self._reindex_story(story)  # the old story must stop listing the moved article's outlet and entities

    def dirty_stories(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE dirty = 1 ORDER BY id")]

    def story_members(self, story: str) -> tuple[list[AnalyzedArticle], dict[str, Assignment]]:
        """The analyzed articles of a story (in publication order) and their cluster assignments."""
        rows = self.conn.execute(
            "SELECT id, analysis, story, duplicate_of, reused, nearest, score FROM articles WHERE story = ?"
            " ORDER BY COALESCE(published, ''), id",
            (story,),
        ).fetchall()
        items = [AnalyzedArticle.from_dict(json.loads(r["analysis"])) for r in rows]
        assignments = {
            r["id"]: Assignment(r["id"], r["story"], r["duplicate_of"], r["reused"], r["nearest"], r["score"])
            for r in rows
        }
        return items, assignments

    def save_comparison(self, comparison: Comparison) -> None:
        c = comparison
        origins = {o.key for claim in c.claims for o in claim.origins}
        outlets = list(dict.fromkeys(a.outlet for a in c.articles))
        self.conn.execute(
            "UPDATE stories SET title=?, start=?, end_=?, start_utc=strftime(?, ?), end_utc=strftime(?, ?), articles=?,"
            " outlets=?, independent_origins=?, comparison=?, dirty=0, updated=? WHERE id=?",
            (c.title, c.start, c.end, UTC_FORMAT, c.start, UTC_FORMAT, c.end, len(c.articles),
             json.dumps(outlets, ensure_ascii=False), len(origins), json.dumps(c.to_dict(), ensure_ascii=False), now(),
             c.id),
        )  # fmt: skip
        self.conn.execute("DELETE FROM claims WHERE story = ?", (c.id,))
        for claim in c.claims:
            cur = self.conn.execute(
                "INSERT INTO claims (story, claim, text, outlets, independent_origins, origins) VALUES (?,?,?,?,?,?)",
                (c.id, claim.id, claim.text, json.dumps(claim.outlets, ensure_ascii=False), claim.independent_origins,
                 json.dumps([asdict(o) for o in claim.origins], ensure_ascii=False)),
            )  # fmt: skip
            self.conn.executemany(
                "INSERT INTO claim_support (claim, article, sentence, text) VALUES (?,?,?,?)",
                [(cur.lastrowid, s.article, s.sentence, s.text) for s in claim.support],
            )

    def drop_empty_stories(self) -> None:
        self.conn.execute(
            "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story FROM articles WHERE story IS NOT NULL)"
        )

    # --- read side ---------------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "articles", "stories", "claims", "ingest_ledger"):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out

    def count_stories(self, **filters: str | None) -> int:
        where, args = self._story_filters(
            filters.get("since"), filters.get("until"), filters.get("outlet"), filters.get("entity"),
            filters.get("search"),
        )  # fmt: skip
        sql = "SELECT COUNT(*) FROM stories s" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self.conn.execute(sql, args).fetchone()[0])

    @staticmethod
    def _story_filters(
        since: str | None, until: str | None, outlet: str | None, entity: str | None, search: str | None
    ) -> tuple[list[str], list]:
        where: list[str] = ["s.comparison IS NOT NULL"]
        args: list = []
        if since:
            where.append("COALESCE(s.end_utc, s.start_utc) >= ?")
            args.append(since)
        if until:
            where.append("COALESCE(s.start_utc, s.end_utc) <= ?")
            args.append(until + "\uffff" if len(until) == 10 else until)
        if outlet:
            where.append("s.id IN (SELECT story FROM story_outlets WHERE outlet = ?)")
            args.append(outlet)
        if entity:
            where.append("s.id IN (SELECT story FROM story_entities WHERE canonical = ?)")
            args.append(entity)
        if search:
            query = fts_query(search)
            if query:
                where.append(
                    "s.id IN (SELECT a.story FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
                    " WHERE articles_fts MATCH ?)"
                )
                args.append(query)
        return where, args

    def story(self, story_id: str) -> Comparison | None:
        row = self.conn.execute("SELECT comparison FROM stories WHERE id = ?", (story_id,)).fetchone()
        if not row or not row[0]:
            return None
        return Comparison.from_dict(json.loads(row[0]))

    def story_articles(self, story_id: str) -> dict[str, AnalyzedArticle]:
        items, _ = self.story_members(story_id)
        return {i.article.id: i for i in items}

    def article(self, article_id: str) -> AnalyzedArticle | None:
        row = self.conn.execute("SELECT analysis FROM articles WHERE id = ?", (article_id,)).fetchone()
        return AnalyzedArticle.from_dict(json.loads(row[0])) if row else None

    def article_row(self, article_id: str) -> ArticleRow | None:
        row = self.conn.execute(
            "SELECT id, outlet, title, published, genre, story, source FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return ArticleRow(*row) if row else None

    def raw(self, article_id: str) -> RawInput | None:
        row = self.conn.execute(
            "SELECT d.id, d.source, d.format, d.encoding, d.url, d.content, d.meta FROM documents d"
            " JOIN articles a ON a.document = d.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if not row:
            return None
        return RawInput(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]))

    def search_articles(self, text: str, *, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        query = fts_query(text)
        if not query:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.outlet, a.title, a.published, a.genre, a.story, a.source,"
            " snippet(articles_fts, 2, '[', ']', ' … ', 12) FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (query, limit, offset),
        ).fetchall()
        return [ArticleRow(*r) for r in rows]

    def outlets(self) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
            " ORDER BY COUNT(*) DESC, outlet"
        )
        return [(r[0], r[1]) for r in rows]

    def outlet_articles(self, outlet: str, *, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        rows = self.conn.execute(
            "SELECT id, outlet, title, published, genre, story, source FROM articles WHERE outlet = ?"
            " ORDER BY COALESCE(published, '') DESC, id LIMIT ? OFFSET ?",
            (outlet, limit, offset),
        ).fetchall()
        return [ArticleRow(*r) for r in rows]

    def outlet(self, name: str) -> OutletProfile | None:
        """The outlet's framing profile over every stored article: sentence kinds, markers, agencies, labels."""
        head = self.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT story), MIN(published), MAX(published) FROM articles WHERE outlet = ?",
            (name,),
        ).fetchone()
        if not head or not head[0]:
            return None
        kinds = dict(self.conn.execute(
            "SELECT s.kind, COUNT(*) FROM sentences s JOIN articles a ON a.id = s.article WHERE a.outlet = ?"
            " GROUP BY s.kind", (name,)).fetchall())  # fmt: skip
        markers = dict(self.conn.execute(
            "SELECT f.category, COUNT(*) FROM framing f JOIN articles a ON a.id = f.article WHERE a.outlet = ?"
            " GROUP BY f.category ORDER BY COUNT(*) DESC", (name,)).fetchall())  # fmt: skip
        terms = [
            {"category": r[0], "term": r[1], "count": r[2]}
            for r in self.conn.execute(
                "SELECT f.category, LOWER(f.term), COUNT(*) FROM framing f JOIN articles a ON a.id = f.article"
                " WHERE a.outlet = ? GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 30", (name,))
        ]  # fmt: skip
        agencies = dict(self.conn.execute(
            "SELECT j.value, COUNT(*) FROM articles a, json_each(a.analysis, '$.agencies') j WHERE a.outlet = ?"
            " GROUP BY j.value ORDER BY COUNT(*) DESC", (name,)).fetchall())  # fmt: skip
        labels: dict[str, list[str]] = {}
        for canonical, text, _ in self.conn.execute(
            "SELECT e.canonical, m.text, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity"
            " JOIN articles a ON a.id = e.article WHERE a.outlet = ? AND e.type != 'UNRESOLVED'"
            " GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 300", (name,)):  # fmt: skip
            labels.setdefault(canonical, []).append(text)
        counted = sum(n for k, n in kinds.items() if k != "other") or 1
        opinion = (kinds.get("opinion", 0) + kinds.get("call_to_action", 0)) / counted
        return OutletProfile(name, head[0], head[1], head[2], head[3], kinds, round(opinion, 3), markers, terms,
                             agencies, dict(list(labels.items())[:40]))  # fmt: skip

    def ledger(self, run: str | None = None, *, limit: int = 1000) -> list[LedgerRow]:
        sql = "SELECT run, at, source, status, reason, article FROM ingest_ledger"
        args: tuple = ()
        if run:
            sql += " WHERE run = ?"
            args = (run,)
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [LedgerRow(*r) for r in rows]

    # --- export (storyprism export) ----------------------------------------------------------------------------
    EXPORT_COLUMNS: ClassVar[dict[str, tuple[tuple[str, str], ...]]] = {
        "articles": (("id", "str"), ("outlet", "str"), ("title", "str"), ("published", "str"), ("language", "str"),
                     ("genre", "str"), ("story", "str"), ("duplicate_of", "str"), ("source", "str"), ("text", "str")),
        "stories": (("id", "str"), ("title", "str"), ("start", "str"), ("end", "str"), ("articles", "int"),
                    ("outlets", "list"), ("independent_origins", "int"), ("claims", "int"), ("conflicts", "int")),
        "claims": (("story", "str"), ("claim", "str"), ("text", "str"), ("outlets", "list"),
                   ("independent_origins", "int"), ("origins", "json"), ("support", "json")),
        "framing": (("article", "str"), ("outlet", "str"), ("category", "str"), ("term", "str"), ("sentence", "int"),
                    ("start", "int"), ("end", "int")),
    }  # fmt: skip
    """Export tables: (column, kind) with kind str | int | list (of strings) | json (a JSON text)."""

    _EXPORT_SQL: ClassVar[dict[str, str]] = {
        "articles": "SELECT id, outlet, title, published, language, genre, story, duplicate_of, source, text"
        " FROM articles ORDER BY seq",
        "stories": "SELECT s.id, s.title, s.start, s.end_, s.articles, s.outlets, s.independent_origins,"
        " (SELECT COUNT(*) FROM claims c WHERE c.story = s.id),"
        " COALESCE(json_array_length(s.comparison, '$.conflicts'), 0) FROM stories s"
        " ORDER BY COALESCE(s.start, ''), s.id",
        "claims": "SELECT c.story, c.claim, c.text, c.outlets, c.independent_origins, c.origins,"
        " (SELECT json_group_array(json_object('article', p.article, 'sentence', p.sentence, 'text', p.text))"
        "  FROM claim_support p WHERE p.claim = c.id) FROM claims c ORDER BY c.story, c.id",
        "framing": "SELECT f.article, a.outlet, f.category, f.term, f.sentence, f.start, f.end_"
        " FROM framing f JOIN articles a ON a.id = f.article ORDER BY a.seq, f.rowid",
    }

    def export_rows(self, what: str) -> Iterator[dict]:
        """Every row of one export table (``EXPORT_COLUMNS``), read from the cursor as it goes so that a large
        collection is never held in memory at once. ``list`` columns come back as Python lists."""
        if what not in self.EXPORT_COLUMNS:
            raise ValueError(f"cannot export {what!r}: one of {', '.join(self.EXPORT_COLUMNS)}")
        columns = self.EXPORT_COLUMNS[what]
        for row in self.conn.execute(self._EXPORT_SQL[what]):
            record = {}
            for (name, kind), value in zip(columns, row, strict=True):
                record[name] = json.loads(value) if kind == "list" and value is not None else value
            yield record

    # --- read side: web UI additions -----------------------------------------------------------------------
    SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"
    """Marks around the matched words in :meth:`search_hits` snippets: private-use characters, which a document's
    own text does not use as brackets, so the caller can split on them without mistaking the document's "[" for
    a match."""

    def search_hits(self, text: str, *, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        """Like :meth:`search_articles`, with the matched words marked by ``SNIPPET_OPEN``/``SNIPPET_CLOSE``."""
        query = fts_query(text)
        if not query:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.outlet, a.title, a.published, a.genre, a.story, a.source,"
            " snippet(articles_fts, 2, ?, ?, ' … ', 16) FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (self.SNIPPET_OPEN, self.SNIPPET_CLOSE, query, limit, offset),
        ).fetchall()
        return [ArticleRow(*r) for r in rows]

    def article_links(self, article_id: str) -> dict[str, object] | None:
        """Where an article stands in the store: its story and the story's title, the article it copies (a wire
        copy or re-publication) with the share reused, the story member nearest to it, and what analyzed it when."""
        row = self.conn.execute(
            "SELECT a.story, s.title AS story_title, a.duplicate_of, a.reused, a.nearest, a.score, a.analyzed_with,"
            " a.added, a.document FROM articles a LEFT JOIN stories s ON s.id = a.story WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return dict(row) if row else None

    def stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        search: str | None = None,
        limit: int = 50,
        after: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first (by their last article), filtered; ``after`` is the cursor of the last row of
        the previous page (:func:`cursor`), so every page costs the same however deep it is. The page's ids are
        chosen first, and the claim and conflict counts, which parse each story's comparison JSON, are computed
        for those rows only (90 ms -> a few ms on 15k stories)."""
        where, args = self._story_filters(since, until, outlet, entity, search)
        # The order and the cursor test are written on the bare columns so that the index stories_by_end_utc
        # (end_utc DESC, id DESC) serves them; a story without dates sorts below every dated one.
        if after:
            end, _, sid = after.partition("|")
            if end:
                where.append("(s.end_utc < ? OR (s.end_utc = ? AND s.id < ?) OR s.end_utc IS NULL)")
                args += [end, end, sid]
            else:
                where.append("(s.end_utc IS NULL AND s.id < ?)")
                args.append(sid)
        order = " ORDER BY s.end_utc DESC, s.id DESC"
        sql = (
            "SELECT s.id, s.title, s.start, s.end_, s.end_utc, s.articles, s.outlets, s.independent_origins,"
            " (SELECT COUNT(*) FROM claims c WHERE c.story = s.id) AS claims,"
            " COALESCE(json_array_length(s.comparison, '$.conflicts'), 0) AS conflicts"
            " FROM (SELECT s.id FROM stories s" + (" WHERE " + " AND ".join(where) if where else "") + order
            + " LIMIT ?) page JOIN stories s ON s.id = page.id" + order
        )  # fmt: skip
        rows = self.conn.execute(sql, (*args, limit)).fetchall()
        return [
            StoryRow(r["id"], r["title"], r["start"], r["end_"], r["articles"], json.loads(r["outlets"]),
                     r["independent_origins"], r["claims"], r["conflicts"], r["end_utc"])
            for r in rows
        ]  # fmt: skip


def cursor(row: StoryRow) -> str:
    """The ``after`` value that continues a story list after ``row``."""
    return f"{row.end_utc or ''}|{row.id}"


SCHEMA_VERSION = latest_version()
