"""The bundled example corpus: extraction matches the answer key written with it, and golden files.

The answer key (examples/answers.json) is what the documents say by construction; the golden files
(tests/golden/<file>.json) pin the whole extract output so any change shows up in review. Refresh
them with ``pytest --update-golden`` (or STORYPRISM_UPDATE_GOLDEN=1) after checking the diff.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from conftest import EXAMPLES, GOLDEN
from storyprism import extract, lexicons, read

ANSWERS = json.loads((EXAMPLES / "answers.json").read_text(encoding="utf-8"))
DOCUMENTS: dict[str, dict] = ANSWERS["documents"]


@cache
def extracted() -> dict[str, dict]:
    """Every document of examples/corpus, extracted once, keyed like the answer key."""
    out: dict[str, dict] = {}
    errors: list = []
    for raw in read(EXAMPLES / "corpus", on_error=errors.append):
        key = Path(raw.source).relative_to(EXAMPLES).as_posix()
        out[key] = extract(raw).to_dict() | {"source": key}  # no machine-specific absolute path
    assert errors == [], errors
    return out


@pytest.fixture(autouse=True)
def example_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus's fictional agencies come from examples/data, as in `make demo`."""
    monkeypatch.setenv(lexicons.DATA_ENV, str(EXAMPLES / "data"))


def test_every_document_is_read_and_in_the_answer_key() -> None:
    assert sorted(extracted()) == sorted(DOCUMENTS)


def same_time(got: str | None, want: str) -> bool:
    if got is None:
        return False
    if len(want) == 10:
        return got[:10] == want
    return datetime.fromisoformat(got.replace("Z", "+00:00")) == datetime.fromisoformat(want.replace("Z", "+00:00"))


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_matches_answer_key(key: str) -> None:
    want, got = DOCUMENTS[key], extracted()[key]
    problems = []
    for field in ("outlet", "title", "genre", "translated", "language"):
        if got[field] != want[field]:
            problems.append(f"{field}: got {got[field]!r}, want {want[field]!r}")
    if sorted(got["agencies"]) != sorted(want["agencies"]):
        problems.append(f"agencies: got {got['agencies']}, want {want['agencies']}")
    if not same_time(got["published"], want["published"]):
        problems.append(f"published: got {got['published']!r}, want {want['published']!r}")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_golden(key: str, update_golden: bool) -> None:
    got = extracted()[key]
    path = GOLDEN / (key.replace("/", "__").replace("#", "@") + ".json")
    text = json.dumps(got, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if update_golden or not path.exists():
        if not update_golden:
            pytest.fail(f"no golden file {path.name}: run pytest --update-golden and review it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert json.loads(path.read_text(encoding="utf-8")) == got


def test_data_folder_is_seen_in_a_running_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables built from the data files follow the data folders named now, not the first ones seen."""
    (raw,) = list(read(EXAMPLES / "corpus" / "harbourline-2031-10-21-mansouri.txt.gz"))
    assert [a.name for a in extract(raw).agencies] == ["MPA"]
    monkeypatch.delenv(lexicons.DATA_ENV)
    assert [a.name for a in extract(raw).agencies] == []
