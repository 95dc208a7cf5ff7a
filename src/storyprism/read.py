"""Read stage: sources (files, folders, archives, feeds, stdin) -> RawDoc.

A source that cannot be read is reported through ``on_error`` with one line naming it and why, and
reading goes on with the next one; records already read from a broken container are still yielded.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyprism.models import DocFormat, RawDoc

MAX_BYTES = 64_000_000
"""Largest input (after decompression) read as one document source; a day of one outlet's WARC fits."""

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES


@dataclass(frozen=True)
class ReadError:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


ErrorHandler = Callable[[ReadError], None]


def print_error(error: ReadError) -> None:
    print(f"storyprism: skipped {error}", file=sys.stderr)


class SourceError(Exception):
    """A whole source is unreadable; the message is the one-line reason."""


def iter_files(sources: Iterable[str | Path]) -> Iterator[str]:
    """Expand folders (recursively, sorted, hidden files skipped) into files; ``-`` stays ``-``."""
    for source in sources:
        if str(source) == "-":
            yield "-"
            continue
        path = Path(source)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield str(child)
        else:
            yield str(path)


def read(
    source: str | Path | Iterable[str | Path],
    *,
    on_error: ErrorHandler | None = print_error,
    max_bytes: int = MAX_BYTES,
) -> Iterator[RawDoc]:
    """Yield every document in ``source``: a file, a folder, ``-`` (stdin), or a list of these."""
    sources = [source] if isinstance(source, str | Path) else list(source)
    report = on_error or (lambda _error: None)
    for name in iter_files(sources):
        try:
            data = _load_bytes(name, max_bytes)
            yield from _read_bytes(name, data, _suffixes(name), report, max_bytes)
        except SourceError as exc:
            report(ReadError(name, str(exc)))
        except OSError as exc:
            report(ReadError(name, exc.strerror or str(exc)))
        except Exception as exc:  # a parser library tripping on one malformed file must not end the run
            report(ReadError(name, f"unreadable ({type(exc).__name__}: {exc})"))


def _suffixes(name: str) -> list[str]:
    return [s.lower() for s in Path(name).suffixes] if name != "-" else []


def _load_bytes(name: str, max_bytes: int) -> bytes:
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        path = Path(name)
        if not path.exists():
            raise SourceError("no such file or folder")
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise SourceError(f"input is over the {max_bytes / 1e6:.0f} MB limit")
    if not data.strip():
        raise SourceError("empty file")
    return data


def _read_bytes(name: str, data: bytes, suffixes: list[str], report: ErrorHandler, max_bytes: int) -> Iterator[RawDoc]:
    if data[:2] == b"\x1f\x8b":
        data, truncated = gunzip(data, max_bytes)
        if suffixes and suffixes[-1] in {".gz", ".gzip"}:
            suffixes = suffixes[:-1]
        if truncated:
            if _kind(suffixes, data) != "warc":
                raise SourceError("truncated gzip archive")
            # A WARC broken mid-way still holds whole records before the break: keep them.
            yield from _read_warc(name, data, report, truncated=True)
            return
        if not data.strip():
            raise SourceError("empty file (after decompression)")
    kind = _kind(suffixes, data)
    if kind == "warc":
        yield from _read_warc(name, data, report, truncated=False)
    elif kind == "jsonl":
        yield from _read_jsonl(name, data, report)
    elif kind == "feed":
        yield from _read_feed(name, data)
    else:
        text, encoding = decode(data, _declared_charset(data))
        fmt: DocFormat = "html" if kind == "html" or (kind == "sniff" and looks_like_html(text)) else "text"
        yield RawDoc(source=name, content=text, format=fmt, encoding=encoding)


def gunzip(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Decompress (multi-member) gzip data; return what could be read and whether it broke off."""
    out = bytearray()
    rest = data
    while rest:
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += decomp.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error:
            return bytes(out), True
        if len(out) > max_bytes:
            raise SourceError(f"decompresses to over the {max_bytes / 1e6:.0f} MB limit")
        if not decomp.eof:
            return bytes(out), True
        rest = decomp.unused_data.lstrip(b"\x00")
    return bytes(out), False


def _kind(suffixes: list[str], data: bytes) -> str:
    ext = suffixes[-1] if suffixes else ""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if ext in WARC_SUFFIXES or head.startswith((b"warc/", b"filedesc://")):
        return "warc"
    if ext in JSONL_SUFFIXES:
        return "jsonl"
    if _looks_like_feed(head) and (ext in FEED_SUFFIXES or ext not in KNOWN_SUFFIXES):
        return "feed"
    if ext in HTML_SUFFIXES:
        return "html"
    if ext in TEXT_SUFFIXES:
        return "sniff"
    if head.startswith(b"{") and b"\n{" in data[:1_000_000]:
        return "jsonl"
    return "sniff"


def _looks_like_feed(head: bytes) -> bool:
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in text[:20000].lower()


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: a BOM, then UTF-8, then the charset the document declares, then
    charset-normalizer's best guess. UTF-8 goes before the declaration because servers and pages
    often declare ISO-8859-1 for what is really UTF-8, while the reverse cannot decode cleanly."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec)), codec.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise SourceError(f"not valid {codec} despite its byte-order mark") from exc
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return _check_text(data.decode(declared)), declared
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SourceError("cannot detect the text encoding (binary or undecodable)")
    return _check_text(str(best)), best.encoding


def _check_text(text: str) -> str:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if sample and controls / len(sample) > 0.01:
        raise SourceError("binary file (control characters), not text")
    if not text.strip():
        raise SourceError("empty file")
    return text


def _read_jsonl(name: str, data: bytes, report: ErrorHandler) -> Iterator[RawDoc]:
    text, encoding = decode(data)
    found = 0
    # Records are named path#n with n the 0-based line index, like WARC records and feed entries.
    for index, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        where = f"{name}#{index}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report(ReadError(where, f"line {index + 1} is not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            report(ReadError(where, f"line {index + 1} is not a JSON object"))
            continue
        body, fmt = _record_body(record)
        if not body:
            report(ReadError(where, f"line {index + 1} has no 'text' or 'html'"))
            continue
        found += 1
        yield RawDoc(
            source=where,
            content=body,
            format=fmt,
            encoding=encoding,
            url=_str(record.get("url")),
            id=_str(record.get("id")),
            title=_str(record.get("title")),
            outlet=_str(record.get("outlet")),
            published=_str(record.get("published")),
        )
    if not found:
        raise SourceError("no usable JSON records")


def _record_body(record: dict) -> tuple[str | None, DocFormat]:
    html = record.get("html")
    if isinstance(html, str) and html.strip():
        return html, "html"
    text = record.get("text")
    if isinstance(text, str) and text.strip():
        return text, "text"
    return None, "text"


def _str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _read_feed(name: str, data: bytes) -> Iterator[RawDoc]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "args", [""])[0] if parsed.get("bozo") else ""
        raise SourceError(f"feed has no entries{': ' + str(reason) if reason else ''}")
    outlet = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries):
        body = ""
        for content in entry.get("content", []):
            if len(content.get("value", "")) > len(body):
                body = content["value"]
        summary = entry.get("summary", "")
        if len(summary) > len(body):
            body = summary
        if not body.strip():
            continue
        if not re.search(r"<(?:p|div|br|article|section|ul|ol|table|h[1-6])\b", body, re.I):
            # A plain-text summary: make its paragraphs HTML paragraphs so the extractor sees them.
            body = "".join(f"<p>{_escape(part.strip())}</p>" for part in re.split(r"\n\s*\n", body) if part.strip())
        title = entry.get("title")
        # Feed content is an HTML fragment; give it a page around it so the HTML extractor sees a title.
        page = (
            f"<html><head><title>{_escape(title or '')}</title></head>"
            f"<body><article><h1>{_escape(title or '')}</h1>{body}</article></body></html>"
        )
        yield RawDoc(
            source=f"{name}#{index}",
            content=page,
            format="html",
            encoding="utf-8",
            url=entry.get("link"),
            id=None,
            title=title,
            outlet=outlet,
            published=entry.get("published") or entry.get("updated"),
        )


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _read_warc(name: str, data: bytes, report: ErrorHandler, *, truncated: bool) -> Iterator[RawDoc]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stream = io.BytesIO(data)
    iterator = ArchiveIterator(stream)
    index = 0
    yielded = 0
    try:
        for record in iterator:
            if record.rec_type != "response":
                continue
            where = f"{name}#{index}"
            index += 1
            headers = record.http_headers
            content_type = (headers.get_header("Content-Type") if headers else None) or ""
            if "html" not in content_type.lower():
                continue
            payload = record.content_stream().read()
            declared = int(record.rec_headers.get_header("Content-Length") or 0)
            if truncated and stream.tell() >= len(data) and len(payload) < declared - 4096:
                break  # the last record was cut off by the broken archive: it is not a whole page
            try:
                text, encoding = decode(payload, _http_charset(content_type) or _declared_charset(payload))
            except SourceError as exc:
                report(ReadError(where, str(exc)))
                continue
            yielded += 1
            yield RawDoc(
                source=where,
                content=text,
                format="html",
                encoding=encoding,
                url=record.rec_headers.get_header("WARC-Target-URI"),
                fetched=record.rec_headers.get_header("WARC-Date"),
            )
    except (ArchiveLoadFailed, EOFError, ValueError, zlib.error, gzip.BadGzipFile) as exc:
        raise SourceError(f"broken WARC after {yielded} pages ({exc})") from exc
    except (AttributeError, KeyError, TypeError, IndexError) as exc:  # warcio on a record missing its headers
        raise SourceError(f"malformed WARC record after {yielded} pages ({type(exc).__name__}: {exc})") from exc
    if truncated:
        raise SourceError(f"truncated gzip archive: kept the {yielded} whole pages before the break")
    if not yielded and not index:
        raise SourceError("WARC holds no HTML response records")


def _http_charset(content_type: str) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes (<meta charset>, <?xml encoding>)."""
    match = re.search(rb"""(?:charset|encoding)\s*=\s*["']?([\w.:-]+)""", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None
