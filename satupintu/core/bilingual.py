"""Texts kept in Indonesian with an English beside them (catalog data, not the interface's
catalogue): which one the reader gets. English only when asked for and written; Indonesian is
the product's first language and every record has it."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import get_language


def in_english() -> bool:
    return get_language() == "en"


def local_text(indonesian: str, english: str) -> str:
    return english if english and in_english() else indonesian


def local_list(indonesian: list[str], english: list[str]) -> list[str]:
    """A list (steps, requirements, choices) in English only when its English matches it item for
    item: English of another length belongs to an older list (an administrator added an item)."""
    indonesian, english = list(indonesian or []), list(english or [])
    return english if in_english() and len(english) == len(indonesian) else indonesian


def text_in(language: str, value: Any) -> str:
    """A lazily translated text (a choice's ``label``, not ``get_FOO_display()``, which is already
    read in the reader's language) as ``language`` reads it: stored data is written in Indonesian
    ("id"), with its English ("en") kept beside it."""
    with translation.override(language):
        return str(value)
