#!/usr/bin/env python3
"""Build the generated files of storyprism's example corpus from the UTF-8 sources in ``examples/src/``.

Everything here is fictional (see ``examples/README.md``). The output is deterministic: fixed
WARC-Record-IDs and dates, gzip mtime 0, no file names in gzip headers, so re-running the script
reproduces the committed files byte for byte.

    python examples/make_containers.py

Writes into ``examples/corpus/``:
  continental-observer-crawl.warc.gz     WARC (gzip per record): 2 HTML responses, 1 request,
                                         1 image/png response
  velmoraherald-archive.warc             WARC (uncompressed): 1 HTML response, 1 request
  mixed-2031.jsonl                       4 JSON lines (2 with "text", 2 with "html")
  harbourline-2031-10-21-mansouri.txt.gz gzip of a plain-text page dump
  continental-observer-2031-06-04-sorrel-star.txt   UTF-16 (little-endian, with BOM, CRLF line ends)
  alrabiya-2031-03-14-tell-marid.txt     Arabic in Windows-1256 (not valid UTF-8)
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "corpus"


def src_text(name: str) -> str:
    return (SRC / name).read_text(encoding="utf-8")


def tiny_png() -> bytes:
    """A 1x1 grey PNG, built byte by byte so it never changes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x80", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _warc_headers(record_id: str, date: str) -> dict[str, str]:
    return {"WARC-Record-ID": f"<urn:uuid:{record_id}>", "WARC-Date": date}


def write_response(writer: WARCWriter, url: str, body: bytes, content_type: str, record_id: str,
                   date: str, http_date: str) -> None:
    http = StatusAndHeaders(
        "200 OK",
        [
            ("Date", http_date),
            ("Server", "nginx"),
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
        ],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict=_warc_headers(record_id, date),
    )
    writer.write_record(record)


def write_request(writer: WARCWriter, url: str, host: str, record_id: str, date: str) -> None:
    path = url.split(host, 1)[1] or "/"
    http = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", host), ("User-Agent", "storyprism-example-crawler/1.0"), ("Accept", "text/html")],
        is_http_request=True,
    )
    record = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), length=0, http_headers=http,
        warc_headers_dict=_warc_headers(record_id, date),
    )
    writer.write_record(record)


def build_observer_warc() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    co = "continentalobserver.example"
    url_a = f"https://{co}/2031/03/15/tell-marid-hospital-market-shelling"
    url_c = f"https://{co}/2031/10/21/valdoria-court-jails-qasiri-journalist-mansouri"
    # Record 0 and 1: the two articles (HTML). Non-HTML records come last, so "record index in file
    # order" and "index among HTML responses" name the same documents.
    write_response(writer, url_a, src_text("continental-observer-2031-03-15-tell-marid.html").encode("utf-8"),
                   "text/html; charset=utf-8", "5f0c7a52-0001-4c1e-9a51-000000000001",
                   "2031-10-23T04:12:09Z", "Thu, 23 Oct 2031 04:12:09 GMT")
    write_response(writer, url_c, src_text("continental-observer-2031-10-21-mansouri.html").encode("utf-8"),
                   "text/html; charset=utf-8", "5f0c7a52-0001-4c1e-9a51-000000000002",
                   "2031-10-23T04:12:11Z", "Thu, 23 Oct 2031 04:12:11 GMT")
    # Record 2: the request for record 1 (not a document).
    write_request(writer, url_c, co, "5f0c7a52-0001-4c1e-9a51-000000000003", "2031-10-23T04:12:11Z")
    # Record 3: an image response (not a document).
    write_response(writer, f"https://{co}/media/2031/10/velmora-high-court.jpg", tiny_png(), "image/png",
                   "5f0c7a52-0001-4c1e-9a51-000000000004", "2031-10-23T04:12:12Z",
                   "Thu, 23 Oct 2031 04:12:12 GMT")
    return buf.getvalue()


def build_herald_warc() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    host = "www.velmoraherald.example"
    url = f"https://{host}/analysis/2031/10/22/mansouri-fourteen-photographs-verdict"
    # No charset in the HTTP header: the page declares it in <meta charset>.
    write_response(writer, url, src_text("velmoraherald-2031-10-22-mansouri-analysis.html").encode("utf-8"),
                   "text/html", "9b1e2d40-0002-4f6a-8c3d-000000000001", "2031-10-22T09:30:00Z",
                   "Wed, 22 Oct 2031 09:30:00 GMT")
    write_request(writer, url, host, "9b1e2d40-0002-4f6a-8c3d-000000000002", "2031-10-22T09:30:00Z")
    return buf.getvalue()


JSONL_RECORDS = [
    {
        "id": "vt-2031-06-03-sorrel-star",
        "url": "https://www.valdoriatoday.example/nation/2031/06/03/sorrel-star-coast-guard-98-rescued",
        "title": "Sorrel Star tragedy: coast guard crews save 98 lives in storm; 19 bodies recovered",
        "outlet": "Valdoria Today",
        "published": "2031-06-03T11:40:00+03:00",
        "text": "valdoriatoday-2031-06-03-sorrel-star.txt",
    },
    {
        "id": "vh-2031-06-03-sorrel-star-survivors",
        "url": "https://www.velmoraherald.example/valdoria/2031/06/03/sorrel-star-survivors-life-jackets",
        "title": "'The life jackets were locked away': survivors describe ferry's last minutes",
        "outlet": "The Velmora Herald",
        "published": "2031-06-03T19:30:00+03:00",
        "html": "velmoraherald-2031-06-03-sorrel-star.html",
    },
    {
        "id": "qn-2031-03-14-tell-marid",
        "url": "https://www.qasiranow.example/news/2031/03/14/tell-marid-11-martyrs",
        "title": "Health Ministry: 11 martyrs, 40 wounded in Valdorian aggression on Tell Marid market",
        "outlet": "Qasira Now",
        "published": "2031-03-14T14:10:00+03:00",
        "text": "qasiranow-2031-03-14-tell-marid.txt",
    },
    {
        "id": "vt-2031-03-14-tell-marid",
        "url": "https://www.valdoriatoday.example/security/2031/03/14/vdf-precision-strike-zlf-launch-cell",
        "title": "VDF precision strike eliminates ZLF terrorist launch cell near border",
        "outlet": "Valdoria Today",
        "published": "2031-03-14T17:20:00+02:00",
        "html": "valdoriatoday-2031-03-14-tell-marid.html",
    },
]


def build_jsonl() -> bytes:
    lines = []
    for spec in JSONL_RECORDS:
        record = dict(spec)
        for key in ("text", "html"):
            if key in record:
                record[key] = src_text(record[key])
        lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def utf16_with_bom(text: str) -> bytes:
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return b"\xff\xfe" + text.encode("utf-16-le")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    outputs = {
        "continental-observer-crawl.warc.gz": build_observer_warc(),
        "velmoraherald-archive.warc": build_herald_warc(),
        "mixed-2031.jsonl": build_jsonl(),
        "harbourline-2031-10-21-mansouri.txt.gz": gzip_bytes(
            src_text("harbourline-2031-10-21-mansouri.txt").encode("utf-8")),
        "continental-observer-2031-06-04-sorrel-star.txt": utf16_with_bom(
            src_text("continental-observer-2031-06-04-sorrel-star.txt")),
        "alrabiya-2031-03-14-tell-marid.txt": src_text("alrabiya-2031-03-14-tell-marid.ar.txt").encode(
            "cp1256"),
    }
    for name, data in outputs.items():
        (OUT / name).write_bytes(data)
        print(f"wrote corpus/{name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
