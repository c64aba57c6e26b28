"""Near-duplicates: the same story copied between sites with small edits (MinHash LSH over
word 3-shingles, `datasketch`). One index per run; the ingestion worker loads recent items."""

from __future__ import annotations

import re
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.7  # estimated Jaccard similarity of shingles above which two items are the same story
_WORD = re.compile(r"\w+", re.UNICODE)


def _crc32(data: bytes) -> int:
    # CRC32 (C, ~0.1 us) instead of datasketch's default SHA-1 (~1 us): the random affine
    # permutations on top of it spread the values; shingles need speed, not a secure hash.
    return zlib.crc32(data)


_PROTOTYPE = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_crc32)
_PERMUTATIONS, _SCHEME = _PROTOTYPE.permutations, _PROTOTYPE.scheme  # drawn once, not per text


def minhash(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + 3]).encode("utf-8") for i in range(max(1, len(words) - 2))}
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=_crc32)
    m.update_batch(list(shingles))
    return m


def signature(m: MinHash) -> bytes:
    """The hash values as bytes, to store with the item."""
    return m.hashvalues.astype("<u4").tobytes()


def from_signature(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=_crc32,
                   hashvalues=np.frombuffer(data, dtype="<u4").astype(np.uint64))


class DuplicateFinder:
    """Add items in order; each is matched against those added before it."""

    def __init__(self, threshold: float = THRESHOLD):
        self._threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._hashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, item_id: str, m: MinHash) -> None:
        """Remember an earlier item (e.g. one loaded from the database) without checking it."""
        if item_id not in self._hashes:
            self._lsh.insert(item_id, m)
            self._hashes[item_id] = m

    def check_and_add(self, item_id: str, text: str | MinHash) -> str | None:
        """The id of an earlier near-duplicate (the most similar), or None; then remember this one."""
        m = minhash(text) if isinstance(text, str) else text
        # LSH bands only propose candidates: a pair at 0.5 still shares a band a few times in a
        # hundred (the demo had a Papua story called a copy of a Lampung one), so each is checked.
        similar = [(m.jaccard(self._hashes[c]), c) for c in self._lsh.query(m) if c != item_id]
        best = max((pair for pair in similar if pair[0] >= self._threshold), default=None)
        self.add(item_id, m)
        return best[1] if best else None
