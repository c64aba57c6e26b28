"""The ministry's priority programmes as sets of the Situation Room's topic codes
(data/priority_programmes.json, documented there): a story counts for a programme when the
pipeline gave it one of the programme's topics."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from satupintu.core.bilingual import local_text
from satupintu.situation.models import topics_mask
from satupintu.situation.nlp.topics import TOPICS

DATA = Path(__file__).parent / "data" / "priority_programmes.json"


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    topics: tuple[str, ...]
    mask: int  # the topics as Item.topics_mask bits
    name_en: str = ""

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_en)


@lru_cache(maxsize=1)
def programmes() -> tuple[Programme, ...]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    out = []
    for p in raw["programmes"]:
        unknown = [t for t in p["topics"] if t not in TOPICS]
        if unknown:  # a typo would silently count nothing: fail loudly instead
            raise ValueError(f"priority programme {p['code']}: unknown topics {unknown}")
        out.append(Programme(p["code"], p["name"], tuple(p["topics"]), topics_mask(p["topics"]), p.get("name_en", "")))
    return tuple(out)


def programmes_of(mask: int) -> list[str]:
    """The programme codes a story with these topic bits counts for."""
    return [p.code for p in programmes() if mask & p.mask]
