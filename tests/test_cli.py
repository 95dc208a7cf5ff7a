"""The command line as a user runs it: a real subprocess of the installed entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES

ARTICLE = (
    "<html><head><title>Harbour bridge reopens</title></head><body><nav>Home | World</nav><article>"
    "<h1>Harbour bridge reopens after repairs</h1>"
    "<p>The harbour bridge in the fictional town of Velmora reopened on Tuesday after three weeks of repairs, "
    "the town council said in a statement to the Meridian Press Agency.</p>"
    "<p>Traffic returned to normal by the evening, officials said, and the ferry service added during the "
    "closure will stop at the end of the week.</p></article></body></html>"
)


def storyprism(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("storyprism", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "storyprism.cli"]
    return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_help_explains_every_option() -> None:
    result = storyprism("extract", "--help")
    assert result.returncode == 0
    for option in ("--format", "--out", "--max-mb", "jsonl", "standard input"):
        assert option in result.stdout


def test_bad_files_are_named_once_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "nav-only.html").write_text("<html><body><nav>Home | World | Sport</nav></body></html>")
    result = storyprism("extract", str(tmp_path))
    assert result.returncode == 3
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == ["good.html"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    for name in ("empty.txt", "binary.html", "nav-only.html"):
        assert sum(name in line for line in lines) == 1
    assert all(line.startswith("storyprism: skipped ") for line in lines)


def test_stdin_and_output_formats(tmp_path: Path) -> None:
    result = storyprism("extract", "-", "--format", "json", stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    (article,) = json.loads(result.stdout)
    assert article["source"] == "-" and article["title"] == "Harbour bridge reopens after repairs"
    assert "Home | World" not in article["text"]
    out = tmp_path / "out" / "a.txt"
    result = storyprism("extract", "-", "--format", "text", "--out", str(out), stdin=ARTICLE)
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# Harbour bridge reopens after repairs")


def test_user_data_folder_adds_agencies(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    plain = json.loads(storyprism("extract", str(page)).stdout)
    assert plain["agencies"] == []
    extended = json.loads(storyprism("--data", str(EXAMPLES / "data"), "extract", str(page)).stdout)
    assert extended["agencies"] == ["MPA"]
    evidence = extended["agency_evidence"][0]
    assert extended["text"][evidence["start"] : evidence["end"]] == evidence["evidence"]


def test_hostile_page_yields_text_only(tmp_path: Path) -> None:
    hostile = ARTICLE.replace(
        "<p>Traffic",
        '<script>alert("x")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">link</a><p>Traffic',
    )
    (tmp_path / "hostile.html").write_text(hostile, encoding="utf-8")
    result = storyprism("extract", str(tmp_path / "hostile.html"))
    assert result.returncode == 0
    text = json.loads(result.stdout)["text"]
    assert "alert" not in text and "javascript" not in text and "onerror" not in text


def test_analyze_command_adds_sentences_entities_attributions_framing(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = storyprism("--data", str(EXAMPLES / "data"), "analyze", str(tmp_path))
    assert result.returncode == 3 and "empty.txt" in result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["agencies"] == ["MPA"]
    assert [s["index"] for s in record["sentences"]] == list(range(len(record["sentences"])))
    said = [a for a in record["attributions"] if a["cue"]["text"] == "said"]
    assert said and said[0]["source"]["text"] == "the town council"
    assert any(e["canonical"] == "Velmora" for e in record["entities"])


def test_analyze_in_two_worker_processes_gives_the_same_output(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(ARTICLE.replace("Velmora", "Lorvik"), encoding="utf-8")
    one = storyprism("analyze", str(tmp_path))
    two = storyprism("analyze", str(tmp_path), "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 2
