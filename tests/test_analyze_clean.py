"""``storyprism analyze --clean``: JSONL text used as is, so every span indexes into exactly that text."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import storyprism

# Leading blanks, a blank-line paragraph break, curly quotes and a non-ASCII name: an extractor would
# normalise some of these, --clean must not.
TEXT = (
    "  The harbour authority will close the old pier on Friday, a spokeswoman said.\n\n"
    "\u201cThe timbers are rotten,\u201d said Mar\u00eda L\u00f3pez, the chief engineer. "
    "According to the authority, repairs will take two years."
)


def _run(tmp_path: Path, lines: list[str]) -> tuple[list[dict], str, int]:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    result = storyprism("analyze", "--clean", str(path))
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr, result.returncode


def _spans(attribution: dict) -> list[dict]:
    spans = [attribution["cue"], *attribution["content_parts"]]
    if attribution["source"]:
        spans.append(attribution["source"])
    for inner in attribution["via"]:
        spans.extend(_spans(inner))
    return spans


def test_spans_index_into_the_given_text(tmp_path: Path) -> None:
    record = {"id": "pier-1", "text": TEXT, "title": "Old pier to close", "outlet": "Harbour News"}
    (article,), stderr, code = _run(tmp_path, [json.dumps(record, ensure_ascii=False)])
    assert code == 0, stderr
    assert article["text"] == TEXT
    assert article["id"] == "pier-1" and article["title"] == "Old pier to close"
    assert article["outlet"] == "Harbour News"
    assert article["source"].endswith("gold.jsonl#0")

    assert len(article["sentences"]) == 3
    for sentence in article["sentences"]:
        assert TEXT[sentence["start"] : sentence["end"]] == sentence["text"]
    assert article["sentences"][0]["start"] == 2

    cues = {a["cue"]["text"] for a in article["attributions"]}
    assert {"said", "According to"} <= cues
    for attribution in article["attributions"]:
        for span in _spans(attribution):
            assert TEXT[span["start"] : span["end"]] == span["text"]
    quote = next(a for a in article["attributions"] if a["source"] and "L\u00f3pez" in a["source"]["text"])
    assert quote["content"]["text"].startswith("\u201cThe timbers")

    for entity in article["entities"]:
        for mention in entity["mentions"]:
            assert TEXT[mention["start"] : mention["end"]] == mention["text"]


def test_bad_lines_are_named_and_the_run_goes_on(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": "Officials said the road would reopen on Monday."})
    lines = [good, "{not json", json.dumps({"id": "empty", "title": "no text here"}), "", json.dumps(["a", "list"])]
    records, stderr, code = _run(tmp_path, lines)
    assert code == 3
    assert [r["id"] for r in records] == ["ok"]
    errors = stderr.strip().splitlines()
    assert len(errors) == 3, errors
    assert "gold.jsonl#1" in errors[0] and "not valid JSON" in errors[0]
    assert "gold.jsonl#2" in errors[1] and "no text" in errors[1]
    assert "gold.jsonl#4" in errors[2] and "no text" in errors[2]
