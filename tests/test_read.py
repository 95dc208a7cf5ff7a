"""Read stage: every input format, encodings, and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyprism.read import ReadError, read

PAGE = (
    "<html><head><title>Harbour bridge reopens</title></head><body><article><h1>Harbour bridge reopens</h1>"
    "<p>The harbour bridge in the fictional town of Velmora reopened on Tuesday after three weeks of repairs, "
    "the town council said.</p><p>Traffic returned to normal by the evening, officials said.</p>"
    "</article></body></html>"
)


def collect(source, **kwargs) -> tuple[list, list[ReadError]]:
    errors: list[ReadError] = []
    docs = list(read(source, on_error=errors.append, **kwargs))
    return docs, errors


def make_warc(pages: list[tuple[str, str]], *, gzip_records: bool, extra_image: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers
        )
        writer.write_record(record)
        if extra_image:
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url + ".png",
                    "response",
                    payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
                    http_headers=img,
                )
            )
    return buffer.getvalue()


def test_text_file_and_folder_recursive(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Velmora Gazette\n\nA plain text page about the bridge.\n")
    (tmp_path / "two.html").write_text(PAGE)
    (tmp_path / ".hidden.txt").write_text("should not be read")
    docs, errors = collect(tmp_path)
    assert errors == []
    assert sorted(Path(d.source).name for d in docs) == ["one.txt", "two.html"]
    formats = {Path(d.source).name: d.format for d in docs}
    assert formats == {"one.txt": "text", "two.html": "html"}


def test_html_saved_as_txt_is_sniffed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html>" + PAGE)
    (doc,), _ = collect(path)
    assert doc.format == "html"


def test_jsonl_keeps_given_fields_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(
            {
                "id": "x1",
                "text": "Some text about a fictional harbour.",
                "outlet": "Velmora Gazette",
                "url": "https://gazette.example/x1",
                "title": "T1",
                "published": "2031-03-04",
            }
        ),
        "{not json",
        json.dumps({"id": "x2", "html": PAGE}),
        json.dumps({"id": "x3"}),
        "",
    ]
    path.write_text("\n".join(lines))
    docs, errors = collect(path)
    assert [d.id for d in docs] == ["x1", "x2"]
    assert docs[0].outlet == "Velmora Gazette" and docs[0].published == "2031-03-04" and docs[0].format == "text"
    assert docs[1].format == "html"
    assert [e.source for e in errors] == [f"{path}#1", f"{path}#3"]
    assert "not valid JSON" in errors[0].reason and "no 'text' or 'html'" in errors[1].reason


def test_rss_and_atom_feeds(tmp_path: Path) -> None:
    rss = tmp_path / "feed.rss"
    rss.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Velmora Gazette</title><link>https://gazette.example/</link>"
        "<item><title>Bridge reopens</title><link>https://gazette.example/bridge</link>"
        "<pubDate>Tue, 04 Mar 2031 10:00:00 GMT</pubDate><description>Short.</description>"
        "<content:encoded><![CDATA[<p>The bridge reopened on Tuesday, the council said.</p>]]></content:encoded>"
        "</item></channel></rss>"
    )
    atom = tmp_path / "feed.atom"
    atom.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Northern Ledger</title><id>urn:x</id><updated>2031-03-04T10:00:00Z</updated>"
        '<entry><title>Ferry delayed</title><id>urn:y</id><link href="https://ledger.example/ferry"/>'
        '<updated>2031-03-04T09:00:00Z</updated><content type="html">&lt;p&gt;The ferry was delayed.&lt;/p&gt;'
        "</content></entry></feed>"
    )
    docs, errors = collect([rss, atom])
    assert errors == []
    assert [(d.outlet, d.title, d.url) for d in docs] == [
        ("Velmora Gazette", "Bridge reopens", "https://gazette.example/bridge"),
        ("Northern Ledger", "Ferry delayed", "https://ledger.example/ferry"),
    ]
    assert "reopened on Tuesday" in docs[0].content and docs[0].published.startswith("Tue, 04 Mar 2031")


@pytest.mark.parametrize("gzip_records", [True, False])
def test_warc_reads_html_responses_only(tmp_path: Path, gzip_records: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    path.write_bytes(
        make_warc([("https://a.example/1", PAGE), ("https://a.example/2", PAGE)], gzip_records=gzip_records)
    )
    docs, errors = collect(path)
    assert errors == []
    assert [d.url for d in docs] == ["https://a.example/1", "https://a.example/2"]
    assert all(d.format == "html" and d.fetched for d in docs)


def test_truncated_warc_keeps_whole_records_and_reports(tmp_path: Path) -> None:
    data = make_warc([(f"https://a.example/{i}", PAGE) for i in range(3)], gzip_records=True, extra_image=False)
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(data[: int(len(data) * 0.8)])
    docs, errors = collect(path)
    assert [d.url for d in docs] == ["https://a.example/0", "https://a.example/1"]
    assert len(errors) == 1 and errors[0].source == str(path) and "truncated" in errors[0].reason


def test_warc_record_without_a_target_uri_is_one_error_and_the_run_goes_on(tmp_path: Path) -> None:
    good = make_warc([("https://a.example/1", PAGE)], gzip_records=False, extra_image=False)
    headless = (
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>\r\n\r\n"
    )
    (tmp_path / "a-good.warc").write_bytes(good)
    (tmp_path / "b-headless.warc").write_bytes(good + headless)
    (tmp_path / "c-page.html").write_text(PAGE, encoding="utf-8")
    docs, errors = collect(tmp_path)
    assert [d.url for d in docs[:2]] == ["https://a.example/1", "https://a.example/1"]
    assert docs[-1].source.endswith("c-page.html")
    (error,) = errors
    assert error.source.endswith("b-headless.warc") and "malformed WARC record after 1 pages" in error.reason


def test_gzip_of_any_format(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "dump.txt.gz").write_bytes(gzip.compress(b"Velmora Gazette\n\nPlain text body line.\n"))
    docs, errors = collect(tmp_path)
    assert errors == []
    assert sorted(d.format for d in docs) == ["html", "text"]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("Velmora " * 5000).encode())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    docs, errors = collect(path)
    assert docs == [] and len(errors) == 1 and "truncated gzip" in errors[0].reason


def test_encodings_utf16_bom_and_arabic_cp1256(tmp_path: Path) -> None:
    arabic = "قال مسؤول في بلدية فيلمورا الخيالية إن الجسر أعيد فتحه يوم الثلاثاء بعد ثلاثة أسابيع من الإصلاحات."
    (tmp_path / "u16.txt").write_bytes(("Velmora Gazette — café reopens\n\n" + arabic).encode("utf-16"))
    (tmp_path / "ar.txt").write_bytes((arabic + "\n" + arabic).encode("cp1256"))
    docs, errors = collect(tmp_path)
    assert errors == []
    by_name = {Path(d.source).name: d for d in docs}
    assert by_name["u16.txt"].encoding == "utf-16" and "café" in by_name["u16.txt"].content
    assert by_name["ar.txt"].content.startswith("قال مسؤول") and by_name["ar.txt"].encoding.replace("-", "").endswith(
        "1256"
    )


def test_bad_inputs_each_get_one_reason_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\n ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    (tmp_path / "huge.txt").write_bytes(b"word " * 50_000)
    (tmp_path / "good.txt").write_text("Velmora Gazette\n\nA good page.\n")
    docs, errors = collect(tmp_path, max_bytes=100_000)
    assert [Path(d.source).name for d in docs] == ["good.txt"]
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert set(reasons) == {"empty.txt", "blank.html", "binary.txt", "image.html", "huge.txt"}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"] and "binary" in reasons["image.html"]
    assert "limit" in reasons["huge.txt"]
    assert all("\n" not in str(e) for e in errors)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    docs, errors = collect(tmp_path / "nope.txt")
    assert docs == [] and errors[0].reason == "no such file or folder"


def test_declared_charset_used_when_not_utf8(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 “quoted” text</p></body></html>'
    (tmp_path / "latin.html").write_bytes(html.encode("cp1252"))
    (doc,), errors = collect(tmp_path / "latin.html")
    assert errors == [] and "Café “quoted”" in doc.content
