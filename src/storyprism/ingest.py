"""Incremental ingest: read -> extract -> analyze -> cluster (continuing the stored state) -> compare, into the store.

Each document commits in its own transaction (its raw input first, then its article, analysis and story),
so a run killed at any point, even by ``kill -9``, leaves a consistent database, and running it again
finishes the job: a document already stored is skipped (the same content is stored once), one read but not
yet analyzed is analyzed, and the clustering state is brought up to date by replaying the articles stored
after its last save. Stories that gained an article get a new comparison at the end, one transaction each;
stories still marked from a killed run are compared too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from storyprism import __version__
from storyprism.analyze import analyze_many
from storyprism.cluster import arrival_order, cluster, story_title
from storyprism.compare import compare
from storyprism.extract import ExtractError, extract
from storyprism.models import Article, ClusterDoc, ClusterState, RawDoc
from storyprism.read import MAX_BYTES, ErrorHandler, ReadError, iter_files, read
from storyprism.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

BATCH = 64
"""Documents analyzed together and then clustered in publication order (online clustering depends on the
order, and files are read in name order); each is still committed on its own."""
STATE_EVERY = 2000
"""Articles between two saves of the clustering state: after a kill, at most this many are replayed."""


@dataclass
class IngestReport:
    run: str
    read: int = 0
    stored: int = 0
    already_stored: int = 0
    skipped: int = 0
    replayed: int = 0
    stories_compared: int = 0
    skipped_sources: list[str] = field(default_factory=list)


def analyzed_with(nlp: Language) -> str:
    return (
        f"storyprism {__version__}; {nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}"
    )


def ingest(
    paths: Iterable[str],
    store: Store,
    nlp: Language,
    *,
    jobs: int = 1,
    max_bytes: int = MAX_BYTES,
    on_error: ErrorHandler | None = None,
    advance: Callable[[], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store``; returns what happened (the ledger has it line by line)."""
    report = IngestReport(run=datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ"))
    state, last_seq = catch_up(store, report)

    def skip(error: ReadError) -> None:
        report.skipped += 1
        report.skipped_sources.append(error.source)
        with store.transaction():
            store.log(report.run, error.source, "skipped", error.reason)
        if on_error:
            on_error(error)

    pending: list[tuple[int, Article]] = []
    seq = store.next_seq()
    version = analyzed_with(nlp)
    for document, article in _articles(paths, store, report, skip, max_bytes, advance):
        pending.append((document, article))
        if len(pending) >= BATCH:
            seq, state, last_seq = _store_batch(pending, store, nlp, jobs, state, seq, last_seq, version, report, skip)
            pending = []
    if pending:
        seq, state, last_seq = _store_batch(pending, store, nlp, jobs, state, seq, last_seq, version, report, skip)
    if state is not None and seq - 1 > last_seq:
        with store.transaction():
            store.save_cluster_state(state, seq - 1)
    report.stories_compared = compare_dirty(store, state)
    return report


def catch_up(store: Store, report: IngestReport) -> tuple[ClusterState | None, int]:
    """The stored clustering state with the articles stored after its last save replayed into it."""
    state, seq = store.cluster_state()
    behind = store.articles_after(seq)
    if not behind:
        return state, seq
    with store.transaction():
        for number, doc, stored_story in behind:
            (assignment,), state = cluster([doc], state)
            if assignment.story != stored_story:
                store.set_story(doc.id, assignment)
            seq = number
        store.save_cluster_state(state, seq)
    report.replayed = len(behind)
    return state, seq


def _articles(
    paths: Iterable[str],
    store: Store,
    report: IngestReport,
    skip: ErrorHandler,
    max_bytes: int,
    advance: Callable[[], None] | None,
) -> Iterator[tuple[int, Article]]:
    """(document row, extracted article) for every input not stored yet; the raw input is committed first."""
    for name in iter_files(list(paths)):
        for raw in read(name, on_error=skip, max_bytes=max_bytes):
            report.read += 1
            with store.transaction():
                document, _ = store.add_document(raw)
                stored = store.article_of_document(document)
                if stored:
                    store.log(report.run, raw.source, "already_stored", document=document, article=stored)
                    report.already_stored += 1
                    continue
            article = _extract(raw, skip)
            if article is None:
                continue
            if store.has_article(article.id):  # the same article reached us in another wrapping
                with store.transaction():
                    store.log(report.run, raw.source, "already_stored", "same article as another input",
                              document=document, article=article.id)  # fmt: skip
                report.already_stored += 1
                continue
            yield document, article
        if advance:
            advance()


def _extract(raw: RawDoc, skip: ErrorHandler) -> Article | None:
    try:
        return extract(raw)
    except ExtractError as exc:
        skip(ReadError(raw.source, str(exc)))
        return None


def _store_batch(
    pending: list[tuple[int, Article]],
    store: Store,
    nlp: Language,
    jobs: int,
    state: ClusterState | None,
    seq: int,
    last_seq: int,
    version: str,
    report: IngestReport,
    skip: ErrorHandler,
) -> tuple[int, ClusterState | None, int]:
    # One article twice in a batch (the same content under two names, read before the first was stored): the
    # first input is stored, matching the document's own source, and every later one gets its ledger line.
    documents: dict[str, int] = {}
    articles: list[Article] = []
    repeats: list[tuple[int, Article]] = []
    for document, article in pending:
        if article.id in documents:
            repeats.append((document, article))
            continue
        documents[article.id] = document
        articles.append(article)
    # An article the analyze stage cannot take keeps its stored raw input and gets a "skipped" ledger line.
    analyzed = list(analyze_many(articles, nlp, n_process=jobs, on_error=skip))
    docs = [ClusterDoc.from_article(item.article) for item in analyzed]
    for i in arrival_order(docs):
        item = analyzed[i]
        # One document at a time, in the order of ``seq``, so that a replay after a kill gives the same stories.
        (assignment,), state = cluster([docs[i]], state)
        with store.transaction():
            store.save_article(documents[item.article.id], item, assignment, seq=seq, analyzed_with=version)
            store.log(report.run, item.article.source, "stored", document=documents[item.article.id],
                      article=item.article.id)  # fmt: skip
            if seq - last_seq >= STATE_EVERY:
                store.save_cluster_state(state, seq)
                last_seq = seq
        report.stored += 1
        seq += 1
    for document, article in repeats:
        with store.transaction():
            store.log(report.run, article.source, "already_stored", "same article as another input",
                      document=document, article=article.id)  # fmt: skip
        report.already_stored += 1
    return seq, state, last_seq


def compare_dirty(store: Store, state: ClusterState | None) -> int:
    """New comparisons for the stories whose members changed; returns how many."""
    dirty = store.dirty_stories()
    if not dirty:
        return 0
    known = state.stories if state is not None else {}
    for story in dirty:
        items, assignments = store.story_members(story)
        with store.transaction():
            if not items:
                store.drop_empty_stories()
                continue
            store.save_comparison(
                compare(
                    items,
                    story_id=story,
                    title=story_title(known[story]) if story in known else None,
                    assignments=assignments,
                )
            )
    return len(dirty)


def reanalyze(
    store: Store,
    nlp: Language,
    *,
    jobs: int = 1,
    advance: Callable[[], None] | None = None,
    on_error: ErrorHandler | None = None,
) -> int:
    """Re-run extract and analyze on every stored article from its raw input (after an upgrade), keeping its id
    and story, then re-compare the stories. Returns the number of articles redone; an article the new code
    cannot extract or analyze keeps its stored analysis (and goes to ``on_error``)."""
    report = on_error or (lambda _error: None)
    rows = store.conn.execute("SELECT a.id, a.document FROM articles a ORDER BY a.seq").fetchall()
    version = analyzed_with(nlp)
    done = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        articles = []
        for article_id, _ in chunk:
            raw = store.raw(article_id)
            if raw is None:
                continue
            doc = RawDoc(raw.source, raw.content, raw.format, raw.encoding, raw.url, **raw.meta)  # type: ignore[arg-type]
            try:
                articles.append(dataclasses.replace(extract(doc), id=article_id))
            except ExtractError as exc:
                report(ReadError(raw.source, str(exc)))  # the stored analysis stays
        for item in analyze_many(articles, nlp, n_process=jobs, on_error=report):
            with store.transaction():
                store.replace_analysis(item, analyzed_with=version)
            done += 1
            if advance:
                advance()
    state, _ = store.cluster_state()
    compare_dirty(store, state)
    return done
