"""Claim vs. opinion per sentence (analyze/claims.py): the seeds and small fictional cases."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import seed
from storyprism import extract, read
from storyprism.analyze.claims import classify_sentence
from storyprism.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def kinds_of(nlp, path) -> list[tuple[str, str]]:
    (raw,) = list(read(path))
    doc = nlp(extract(raw).text)
    return [(classify_sentence(s).kind, s.text) for s in doc.sents]


def one(nlp, text: str, **kwargs):
    return classify_sentence(next(nlp(text).sents), **kwargs)


def test_seed_press_release_is_opinion_and_news_is_reporting(nlp) -> None:
    news = kinds_of(nlp, seed("003_"))
    release = kinds_of(nlp, seed("000_"))

    def share(kinds, wanted):
        return sum(k in wanted for k, _ in kinds) / len(kinds)

    advocacy = {"opinion", "call_to_action"}
    assert share(release, advocacy) >= 0.5, Counter(k for k, _ in release)
    assert share(news, advocacy) <= 0.15, Counter(k for k, _ in news)
    assert share(release, advocacy) - share(news, advocacy) >= 0.35
    assert share(news, {"claim", "quote"}) >= 0.8, Counter(k for k, _ in news)


def test_seed_we_warn_and_call_upon_is_call_to_action(nlp) -> None:
    release = kinds_of(nlp, seed("000_"))
    (kind,) = [k for k, text in release if text.startswith("We warn of the danger")]
    assert kind == "call_to_action"
    musts = [k for k, text in release if text.startswith("Everyone must speak out")]
    assert musts == ["call_to_action"]


def test_reported_claim(nlp) -> None:
    result = one(nlp, "The ministry said 12 people were killed in the strike on Tuesday, according to Reuters.")
    assert result.kind == "claim"
    assert result.subjectivity < 0.3
    assert any(s.startswith("attribution:") for s in result.signals)
    assert any(s.startswith("number:") for s in result.signals)


def test_opinion(nlp) -> None:
    result = one(nlp, "This shameful betrayal is clearly the worst disgrace in our history!")
    assert result.kind == "opinion"
    assert result.subjectivity > 0.8
    assert "loaded:betrayal" in result.signals and "certainty:clearly" in result.signals


@pytest.mark.parametrize(
    "text",
    [
        "We call upon all free peoples to boycott their goods.",
        "Boycott their goods now.",
        "Let those who signed this deal know that history will judge them.",
        "The government must resign immediately.",
        "Do not remain silent about this crime.",
    ],
)
def test_call_to_action(nlp, text: str) -> None:
    assert one(nlp, text).kind == "call_to_action", text


@pytest.mark.parametrize(
    "text",
    [
        "It must be noted that the talks ended on Friday.",
        "The delegation left Baku on Sunday evening.",
        "See the statement issued by the ministry on Monday.",
    ],
)
def test_not_call_to_action(nlp, text: str) -> None:
    assert one(nlp, text).kind != "call_to_action", text


def test_quote(nlp) -> None:
    result = one(nlp, '"We will never surrender to these criminals, never," the commander told reporters.')
    assert result.kind == "quote"
    assert result.signals[0].startswith("quote_share:")
    # the quoted "We" and "criminals" are the commander's, not the author's
    assert not any(s.startswith(("first_person_plural:", "loaded:")) for s in result.signals)
    assert one(nlp, "The talks were a success.", in_quote=True).kind == "quote"


def test_other(nlp) -> None:
    assert one(nlp, "Related News").kind == "other"
    assert one(nlp, "Normalization talks in exchange for gas?").kind == "other"


@pytest.mark.parametrize(
    ("one_side", "other_side"),
    [
        ("terrorists", "resistance fighters"),
        ("martyrs", "terrorists"),
        ("Russian occupiers", "Kyiv regime"),
        ("rashists", "Nazis"),
        ("Zionist regime", "Iranian regime"),
    ],
)
def test_neutrality_same_sentence_each_sides_term(nlp, one_side: str, other_side: str) -> None:
    """The same sentence with each side's loaded term gets the same kind and the same score."""
    template = "The {} attacked the village at dawn, and the whole world is watching."
    a = one(nlp, template.format(one_side))
    b = one(nlp, template.format(other_side))
    assert a.kind == b.kind
    assert abs(a.subjectivity - b.subjectivity) < 0.05, (a, b)
    assert sum(s.startswith("loaded:") for s in a.signals) == sum(s.startswith("loaded:") for s in b.signals) == 1


def test_set_phrases_and_nouns_are_no_cues(nlp) -> None:
    # "so far" intensifies nothing, and "state" as a noun attributes nothing.
    r = one(nlp, "Nineteen bodies have been recovered so far.")
    assert r.kind == "claim", r.signals
    assert not any(s.startswith(("intensifier:", "lexicon:far")) for s in r.signals)
    r = one(nlp, "This is a sham trial that would embarrass any state that still pretends to respect the law.")
    assert not any(s.startswith("attribution:") for s in r.signals), r.signals
    r = one(nlp, "The ministry stated that nineteen bodies were recovered.")
    assert "attribution:state" in r.signals
