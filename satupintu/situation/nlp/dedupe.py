"""Near-duplicates: the same story copied between sites with small edits (MinHash LSH over
word 3-shingles, `datasketch`). One index per run; the ingestion worker loads recent items."""

from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.7  # estimated Jaccard similarity of shingles above which two items are the same story
_WORD = re.compile(r"\w+", re.UNICODE)


def minhash(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m


class DuplicateFinder:
    """Add items in order; each is matched against those added before it."""

    def __init__(self, threshold: float = THRESHOLD):
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._hashes: dict[str, MinHash] = {}

    def check_and_add(self, item_id: str, text: str) -> str | None:
        """The id of an earlier near-duplicate (the most similar), or None; then remember this one."""
        m = minhash(text)
        candidates = self._lsh.query(m)
        best = max(candidates, key=lambda c: m.jaccard(self._hashes[c]), default=None)
        if item_id not in self._hashes:
            self._lsh.insert(item_id, m)
            self._hashes[item_id] = m
        return best
