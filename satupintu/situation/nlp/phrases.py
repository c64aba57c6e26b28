"""Find known phrases (place names, topic words) in text by looking up word n-grams.

A regex alternation of a thousand names is tried at every character and costs milliseconds
per article; looking up the words that can start a phrase costs microseconds, which is what
lets the pipeline analyse hundreds of articles per second on one core.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Generic, TypeVar

V = TypeVar("V")
# Words, with inner hyphens/apostrophes kept ("pare-pare", "musta'in"); dots and spaces split.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*")


def words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN.findall(text)]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(lowercased word, start, end) for each word."""
    lowered = text.lower()
    if len(lowered) == len(text):  # the usual case: offsets in the lowered text are the text's
        return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class PhraseMatcher(Generic[V]):
    """Longest match first, left to right, never overlapping; case-insensitive."""

    def __init__(self, phrases: dict[str, V]):
        self._phrases: dict[tuple[str, ...], V] = {}
        self._max_len: dict[str, int] = {}
        for phrase, value in phrases.items():
            key = tuple(words(phrase))
            if not key:
                continue
            self._phrases.setdefault(key, value)
            self._max_len[key[0]] = max(self._max_len.get(key[0], 0), len(key))

    def finditer(self, text: str) -> Iterator[tuple[V, int, int]]:
        """(value, start, end) of each match, with character offsets into ``text``."""
        return self.finditer_tokens(tokenize(text))

    def finditer_tokens(self, tokens: list[tuple[str, int, int]]) -> Iterator[tuple[V, int, int]]:
        """The same over a text already tokenized (so several matchers share one tokenization)."""
        max_len, phrases = self._max_len, self._phrases
        i, n = 0, len(tokens)
        while i < n:
            longest = max_len.get(tokens[i][0])
            if longest:
                for size in range(min(longest, n - i), 0, -1):
                    value = phrases.get(tuple(t[0] for t in tokens[i:i + size]))
                    if value is not None:
                        yield value, tokens[i][1], tokens[i + size - 1][2]
                        i += size
                        break
                else:
                    i += 1
            else:
                i += 1
