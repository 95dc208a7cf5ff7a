"""The reference case (../shared/seeds): what `storyprism extract` must find in two real documents."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import seed
from storyprism import extract, read


def extract_one(path):
    (raw,) = list(read(path))
    return extract(raw)


def test_news_page_dump() -> None:
    article = extract_one(seed("003_"))
    assert article.outlet == "Al Mayadeen English"
    assert article.title == "Syrian, Israeli officials to meet in Baku: Damascus source"
    assert article.published == "2025-07-12T18:30"
    assert article.published_confidence >= 0.7
    assert article.byline == "Al Mayadeen English"
    assert "AFP" in [a.name for a in article.agencies]
    afp = next(a for a in article.agencies if a.name == "AFP")
    assert afp.where == "body" and article.text[afp.start : afp.end] == afp.evidence and "AFP" in afp.evidence
    assert "AP" not in [a.name for a in article.agencies], "the (AP) photo credit is not a text source"
    assert article.genre == "news" and not article.translated and article.language == "en"
    assert article.text.startswith("Syrian and Israeli officials are set to meet in Azerbaijan")
    assert article.text.rstrip().endswith("daily electricity shortages lasting over 20 hours.")
    for boilerplate in [
        "BREAKING",
        "Settlers storm Al-Aqsa",
        "Related News",
        "Tensions ease in Sweida",
        "Fierce clashes breakout",
        "Most Read",
        "Read Next",
        "Hezbollah SG reveals",
        "Freedom Flotilla",
        "All Rights Reserved",
        "Listen",
        "pose for a photo",
        "1 Shares",
    ]:
        assert boilerplate not in article.text, boilerplate
    assert "'Israel' and Syria: normalization's newest chapter" in article.subheadings
    assert "Normalization talks in exchange for gas?" in article.subheadings
    assert any("pose for a photo" in c for c in article.captions)
    paragraphs = article.text.split("\n\n")
    assert "• Syria" not in paragraphs and "Ilham Aliyev" not in paragraphs, "tags are not body"


def test_translated_press_release() -> None:
    article = extract_one(seed("000_"))
    assert article.outlet == "Media Office of Hizb ut Tahrir in Wilayah Syria"
    assert article.title.startswith("The Visit to Azerbaijan: A Step Toward Pushing for Normalization")
    assert article.published == "2025-07-13"
    assert article.published_method == "hijri+gregorian"
    assert article.published_confidence >= 0.9
    hijri = [d for d in article.dates if d.calendar == "hijri"]
    assert hijri and hijri[0].value == "2025-07-13"
    assert any("agree" in note for note in article.published_notes)
    assert article.genre == "press_release"
    assert article.translated and "Translated" in article.translation_evidence
    assert "AFP" in [a.name for a in article.agencies]
    assert article.reference and "1447" in article.reference
    assert article.text.startswith("A diplomatic source in Damascus stated on Saturday")
    assert article.text.rstrip().endswith("[Yusuf: 21]")
    assert "Media Office" not in article.text and "Press Release" not in article.text


def test_cli_extract_on_seeds_jsonl() -> None:
    paths = [str(seed("000_")), str(seed("003_"))]
    result = subprocess.run(
        [sys.executable, "-m", "storyprism.cli", "extract", *paths, "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["outlet"] for r in records] == [
        "Media Office of Hizb ut Tahrir in Wilayah Syria",
        "Al Mayadeen English",
    ]
    for record in records:
        assert {
            "id",
            "source",
            "outlet",
            "title",
            "published",
            "language",
            "genre",
            "agencies",
            "text",
        } <= set(record)
        assert record["agencies"] == ["AFP"]
    assert [r["published"][:10] for r in records] == ["2025-07-13", "2025-07-12"]
