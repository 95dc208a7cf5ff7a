"""Framing markers (analyze/framing.py): the seeds, neutrality across sides, scare quotes vs. quotations."""

from __future__ import annotations

import pytest

from conftest import seed
from storyprism import extract, lexicons, read
from storyprism.analyze.entities import Entity, Mention
from storyprism.analyze.framing import FramingMarker, find_framing, framing_table, term_words
from storyprism.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def seed_doc(nlp, prefix: str):
    (raw,) = list(read(seed(prefix)))
    return nlp(extract(raw).text)


def terms(markers: list[FramingMarker], category: str) -> list[str]:
    return [m.term for m in markers if m.category == category]


def test_seed_news_scare_quotes(nlp) -> None:
    doc = seed_doc(nlp, "003_")
    markers = find_framing(doc)
    quoted = [m for m in markers if m.category == "scare_quote"]
    written = {doc.text[m.start : m.end] for m in quoted}
    assert "'Israel'" in written and '"Israel"' in written
    assert terms(markers, "scare_quote").count("Israel") >= 5
    assert "peace" in terms(markers, "scare_quote")
    # a source's word cited with a verb of saying is a quotation, not a scare quote
    assert "premature" not in terms(markers, "scare_quote")
    sents = list(doc.sents)
    for m in markers:  # every marker points at its evidence
        assert sents[m.sentence].start_char <= m.start < m.end <= sents[m.sentence].end_char
        assert doc.text[m.start : m.end].strip()


def test_seed_press_release_markers(nlp) -> None:
    doc = seed_doc(nlp, "000_")
    markers = find_framing(doc)
    religious = terms(markers, "religious_appeal")
    assert "allah" in religious and "ummah" in religious
    loaded = terms(markers, "loaded")
    assert "treason" in loaded and "betrayal" in loaded and "martyr" in loaded
    assert {"political necessity", "tactical step", "Israeli"} <= set(terms(markers, "scare_quote"))
    assert "call upon" in terms(markers, "call_to_action")
    warn = next(i for i, s in enumerate(doc.sents) if s.text.startswith("We warn of the danger"))
    advocacy = {m.term for m in markers if m.category == "we_advocacy" and m.sentence == warn}
    assert {"we warn", "we call"} <= advocacy
    assert "the Jewish entity" in terms(markers, "designation")


@pytest.mark.parametrize(
    "label",
    [
        "terrorists",
        "resistance fighters",
        "martyrs",
        "Russian occupiers",
        "Kyiv regime",
        "rashists",
        "Nazis",
        "Zionist regime",
        "Iranian regime",
        "Assad regime",
        "invaders",
        "separatists",
        "Hamas-run authorities",
    ],
)
def test_neutrality_each_sides_label_is_loaded(nlp, label: str) -> None:
    doc = nlp(f"The {label} shelled the city again on Monday.")
    loaded = [m for m in find_framing(doc) if m.category == "loaded"]
    assert len(loaded) == 1, (label, loaded)
    assert 4 <= loaded[0].start < loaded[0].end <= len(f"The {label}"), "the label's own words are marked"


def test_religious_and_moral_appeals_from_any_tradition(nlp) -> None:
    doc = nlp("The Crusaders defy God's will, and the Holy Land weeps; shame on the cowardly hypocrites.")
    markers = find_framing(doc)
    assert {"crusader", "god's will", "holy land"} <= set(terms(markers, "religious_appeal"))
    assert {"shame", "cowardly", "hypocrite"} <= set(terms(markers, "moral_appeal"))


def test_scare_quote_versus_quotation(nlp) -> None:
    markers = find_framing(nlp('They signed a "peace" deal. The minister called the plan "a disaster".'))
    assert terms(markers, "scare_quote") == ["peace"]
    speech = find_framing(nlp('"We will not leave," he said. He added that the "talks" were over.'))
    assert terms(speech, "scare_quote") == ["talks"]
    assert not terms(speech, "we_advocacy"), "a quoted 'we' is the speaker's"


def test_we_advocacy_and_hedges(nlp) -> None:
    markers = find_framing(nlp("We demand justice for our people. In May, officials may meet, reportedly in Doha."))
    assert {"we demand", "our people"} <= set(terms(markers, "we_advocacy"))
    assert "justice" in terms(markers, "moral_appeal")
    assert sorted(terms(markers, "hedge")) == ["may", "reportedly"]  # "May" the month is not a hedge


def test_designations_from_entities(nlp) -> None:
    doc = nlp("The occupation shelled Gaza.")
    label = Mention("The occupation", 0, 14, 0, "designation")
    gaza = Mention("Gaza", 23, 27, 0, "name")
    entities = [
        Entity("Israel", "GPE", "israel", [label], ["The occupation"]),
        Entity("Gaza", "GPE", "gaza", [gaza], []),
    ]
    markers = find_framing(doc, entities=entities)
    assert terms(markers, "designation") == ["The occupation"]


def test_terms_tokenize_like_spacy(nlp) -> None:
    """A multi-word or hyphenated term only matches if it is split the way spaCy splits text."""
    data = lexicons.load("framing")
    for category, table in data.items():
        for term in table.get("terms", []):
            expected = tuple(t.lower_ for t in nlp.tokenizer(term))
            assert term_words(term) == expected, (category, term)


def test_user_data_folder_extends_lexicon(nlp, tmp_path, monkeypatch) -> None:
    (tmp_path / "framing.toml").write_text('[loaded]\nterms = ["bandit"]\n', encoding="utf-8")
    monkeypatch.setenv(lexicons.DATA_ENV, str(tmp_path))
    try:
        markers = find_framing(nlp("The bandits fled."))
        assert terms(markers, "loaded") == ["bandit"]
    finally:
        monkeypatch.delenv(lexicons.DATA_ENV)
    assert not terms(find_framing(nlp("The bandits fled.")), "loaded")
    assert framing_table() is framing_table()
