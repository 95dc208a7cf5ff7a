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
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write here instead of standard output.", dir_okay=False),
    ] = None,
    max_mb: Annotated[
        float,
        typer.Option("--max-mb", help="Skip inputs larger than this many megabytes (after decompression)."),
    ] = MAX_BYTES / 1e6,
) -> None:
    """Extract each document's article: body, title, outlet, byline, publication date, language, genre,
    credited wire agencies, translation note. No database is used."""
    skipped = 0

    def on_error(error: ReadError) -> None:
        nonlocal skipped
        skipped += 1
        print(f"storyprism: skipped {error}", file=sys.stderr)

    files = list(iter_files(paths))
    articles: list[dict] = []
    with _output(out) as sink, _progress(len(files)) as advance:
        for name in files:
            for raw in read(name, on_error=on_error, max_bytes=int(max_mb * 1e6)):
                try:
                    article = extract(raw)
                except ExtractError as exc:
                    on_error(ReadError(raw.source, str(exc)))
                    continue
                if fmt is ExtractFormat.jsonl:
                    sink.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                elif fmt is ExtractFormat.text:
                    sink.write(_as_text(article))
                else:
                    articles.append(article.to_dict())
            advance()
        if fmt is ExtractFormat.json:
            json.dump(articles, sink, ensure_ascii=False, indent=2)
            sink.write("\n")
    if out:
        stderr.print(f"wrote {out}")
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


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
