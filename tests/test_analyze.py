"""The analyze stage end to end: every finding points at its sentence and at the exact characters."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from conftest import EXAMPLES, SEEDS
from storyprism import extract, lexicons, read
from storyprism.analyze import analyze_many
from storyprism.analyze.attribution import walk
from storyprism.models import AnalyzedArticle, Article


@cache
def seeds() -> dict[str, AnalyzedArticle]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    articles = [extract(raw) for raw in read(SEEDS)]
    return {a.article.genre: a for a in analyze_many(articles)}


def spans_of(analyzed: AnalyzedArticle):
    for s in analyzed.sentences:
        yield "sentence", s.start, s.end, s.text
    for e in analyzed.entities:
        for m in e.mentions:
            yield "mention", m.start, m.end, m.text
    for a in walk(analyzed.attributions):
        for role in (a.source, a.cue, a.content):
            if role is not None:
                yield "attribution", role.start, role.end, role.text


def test_every_span_points_at_its_text() -> None:
    for analyzed in seeds().values():
        text = analyzed.article.text
        for what, start, end, value in spans_of(analyzed):
            assert text[start:end] == value, (what, start, end, value)
        n = len(analyzed.sentences)
        for marker in analyzed.framing:
            assert 0 <= marker.sentence < n
            assert marker.start < marker.end and text[marker.start : marker.end].strip()
            sentence = analyzed.sentences[marker.sentence]
            assert sentence.start <= marker.start and marker.end <= sentence.end + 1


def test_seed_contrast_opinion_versus_reported_claims() -> None:
    release, news = seeds()["press_release"], seeds()["news"]

    def opinion_share(analyzed: AnalyzedArticle) -> float:
        kinds = Counter(s.kind for s in analyzed.sentences if s.kind != "other")
        return (kinds["opinion"] + kinds["call_to_action"]) / sum(kinds.values())

    assert opinion_share(release) > 0.5 > 0.2 > opinion_share(news)
    headings = [s for s in news.sentences if s.text == "Normalization talks in exchange for gas?"]
    assert headings, "a sub-heading is its own sentence, not glued to the next paragraph"


def test_seed_afp_chain_and_labels() -> None:
    news = seeds()["news"]
    afp = [a for a in news.attributions if a.source and a.source.text == "AFP"]
    assert afp and any("diplomatic source in Damascus" in (v.source.text if v.source else "") for v in afp[0].via)
    israel = [e for e in news.entities if e.canonical == "Israel"]
    assert israel and any(m.text == "Israel" for m in israel[0].mentions)
    release = seeds()["press_release"]
    assert "the Jewish entity" in {d for e in release.entities if e.canonical == "Israel" for d in e.designations}
    assert {"scare_quote", "loaded", "religious_appeal", "we_advocacy"} <= {m.category for m in release.framing}


def test_example_corpus_analyzes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lexicons.DATA_ENV, str(EXAMPLES / "data"))
    articles = [extract(raw) for raw in read(EXAMPLES / "corpus")]
    analyzed = list(analyze_many(articles))
    assert len(analyzed) == len(articles) == 19
    for item in analyzed:
        assert item.sentences and all(
            s.kind in {"claim", "opinion", "quote", "call_to_action", "other"} for s in item.sentences
        )
        for what, start, end, value in spans_of(item):
            assert item.article.text[start:end] == value, (item.article.source, what, value)


def test_hostile_text_is_just_text() -> None:
    text = (
        'The mayor said the <script>alert("x")</script> tag appeared in a leaflet. '
        '"We will not allow it," she told reporters.\n\n‏مرحبا‏ ' + "long " * 2000
    )
    (analyzed,) = analyze_many([Article(id="h", source="-", text=text)])
    assert analyzed.sentences and analyzed.to_dict()["text"] == text


def test_an_article_the_parser_refuses_is_reported_and_the_rest_goes_on() -> None:
    from storyprism.analyze import AnalyzeError
    from storyprism.nlp import load_nlp
    from storyprism.read import ReadError

    nlp = load_nlp()
    huge = Article(id="huge", source="huge.txt", text="word " * (nlp.max_length // 5 + 1))
    small = Article(id="small", source="small.txt", text="The council said the ferry vote was delayed.")
    errors: list[ReadError] = []
    done = list(analyze_many([huge, small], nlp, on_error=errors.append))
    assert [a.article.id for a in done] == ["small"]
    ((source, reason),) = [(e.source, e.reason) for e in errors]
    assert source == "huge.txt" and "over the parser's limit" in reason
    with pytest.raises(AnalyzeError, match=r"huge\.txt"):
        list(analyze_many([huge], nlp))
