"""Exact and near-duplicate detection: MinHash signatures of word shingles, banded LSH for candidates.

A syndicated wire copy or a re-publication shares most of its word 4-grams with the original, whatever
boilerplate the outlet adds; unrelated reports of one event share only a quote or two. The reused share is
estimated from the signatures (Jaccard) and the shingle counts, so nothing but the signature is kept per
document. Implemented with numpy rather than datasketch so that the state is plain data (JSON) and the hash
is stable across processes (zlib.crc32, not Python's salted ``hash``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections import defaultdict

import numpy as np

NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
"""32 bands of 2 rows: a pair with Jaccard 0.3 becomes a candidate with probability 0.95, 0.1 with 0.28;
candidates are then checked on the full signature, so the low threshold only costs a few comparisons. A low
Jaccard is needed because a short wire copy inside a long article has a low Jaccard but a high containment."""
SHINGLE = 4
MIN_SHINGLES = 12
"""Below this (a headline, a one-line summary) only exact duplicates are marked: too little text to say."""
DUPLICATE_SHARE = 0.6
"""Share of a document's shingles found in an earlier one to call it a copy. Tuned on the example corpus
(near-verbatim wire copies reuse 0.6-0.95 of what a paraphrasing outlet of the same wire reuses 0.05-0.25) and
on NeuS (left/centre/right versions of one lead never exceed 0.3)."""

_PRIME = np.uint64(4294967291)  # largest prime below 2**32: every value fits in a uint32
_rng = np.random.default_rng(20310314)  # fixed seed: signatures must be identical in every process
_A = _rng.integers(1, 2**31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint64)
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def exact_key(text: str) -> str:
    """A hash of the text with case, punctuation and spacing normalised away."""
    return exact_key_of_tokens(tokens(text))


def exact_key_of_tokens(words: list[str]) -> str:
    return hashlib.blake2b(" ".join(words).encode(), digest_size=12).hexdigest()


def signature(words: list[str]) -> tuple[np.ndarray, int] | None:
    """MinHash signature of the word 4-gram set, and the number of distinct shingles; None for short texts."""
    if len(words) < SHINGLE + MIN_SHINGLES - 1:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    sig = ((np.outer(hashes, _A) + _B) % _PRIME).min(axis=0).astype(np.uint32)
    return sig, len(shingles)


def encode(sig: np.ndarray, n: int) -> str:
    return f"{n}:{base64.b64encode(sig.tobytes()).decode()}"


def decode(value: str) -> tuple[np.ndarray, int]:
    n, data = value.split(":", 1)
    return np.frombuffer(base64.b64decode(data), dtype=np.uint32), int(n)


def reused_share(sig: np.ndarray, n: int, other: np.ndarray, n_other: int) -> float:
    """Estimated share of this document's shingles that the other one has: |A∩B| / |A| from Jaccard."""
    jaccard = float(np.count_nonzero(sig == other)) / NUM_PERM
    return min(1.0, jaccard * (n + n_other) / (1.0 + jaccard) / n)


_WIDTH = ROWS * 4
_BAND_PREFIX = [bytes([band]) for band in range(BANDS)]


def _band_keys(sig: np.ndarray) -> list[bytes]:
    """One LSH bucket key per band: the band number and its rows' bytes."""
    raw = sig.tobytes()
    return [prefix + raw[i * _WIDTH : (i + 1) * _WIDTH] for i, prefix in enumerate(_BAND_PREFIX)]


class DuplicateIndex:
    """LSH buckets over the signatures kept in the state; rebuilt from them when a state is loaded."""

    def __init__(self, signatures: dict[str, str]) -> None:
        self.signatures = signatures
        self.cache: dict[str, tuple[np.ndarray, int]] = {}
        self.buckets: dict[bytes, list[str]] = defaultdict(list)
        for doc_id, value in signatures.items():
            sig, n = decode(value)
            self.cache[doc_id] = (sig, n)
            self._insert(doc_id, sig)

    def _insert(self, doc_id: str, sig: np.ndarray) -> None:
        buckets = self.buckets
        for key in _band_keys(sig):
            buckets[key].append(doc_id)

    def best_source(self, sig: np.ndarray, n: int) -> tuple[str | None, float]:
        """The earlier document sharing the largest share of this one's shingles, and that share."""
        seen: set[str] = set()
        best, best_share = None, 0.0
        get = self.buckets.get
        for key in _band_keys(sig):
            for doc_id in get(key, ()):
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                other, n_other = self.cache[doc_id]
                share = reused_share(sig, n, other, n_other)
                if share > best_share:  # ties keep the earliest document: buckets are in arrival order
                    best, best_share = doc_id, share
        return best, best_share

    def add(self, doc_id: str, sig: np.ndarray, n: int) -> None:
        self.signatures[doc_id] = encode(sig, n)
        self.cache[doc_id] = (sig, n)
        self._insert(doc_id, sig)
