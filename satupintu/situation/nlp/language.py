"""The language of a text, as ISO 639-1.

`lingua-language-detector` decides among the languages Indonesian news and social media
use (Indonesian, Malay, English, Arabic, ...). Lingua has no Javanese model, so Javanese is
recognised first by its function words (ngoko and krama), which Indonesian does not use.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

_LANGUAGES = (Language.INDONESIAN, Language.MALAY, Language.ENGLISH, Language.ARABIC, Language.DUTCH,
              Language.CHINESE)

# Frequent Javanese words that are not Indonesian words (both speech levels).
_JAVANESE = frozenset("""
kula kulo panjenengan sampeyan kowe awakdewe aku ingkang punika menika niki niku kuwi iki ora mboten boten
sampun wis wes badhe arep ajeng dhateng marang saking soko kaliyan karo lan kanthi amargi mergo merga
nggih enggih ngih inggih dados dadi saget iso isa wonten ana enten sedaya kabeh kathah akeh sakmenika
saiki mangke mengko sinten sapa menapa opo apa pundi endi sing nalika kados kaya kagem kanggo
""".split())
_WORD = re.compile(r"[a-zA-Z]+")


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    return LanguageDetectorBuilder.from_languages(*_LANGUAGES).with_preloaded_language_models().build()


def javanese_share(text: str) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(w in _JAVANESE for w in words) / len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code ('id', 'en', 'jv', 'ms', ...) or None when the text is too short to say."""
    text = (text or "").strip()
    if len(_WORD.findall(text)) < 3:
        return None
    if javanese_share(text) >= 0.15:
        return "jv"
    language = _detector().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language else None
