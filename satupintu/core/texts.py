"""Short forms of people's text for places with a limit (a signal's link, a WhatsApp list row)."""

from __future__ import annotations

from django.db import models


def clipped(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut between words with "…": "batas tanah waka" and
    "Pungutan liar / gratifik" read as typos. A first word longer than the limit is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    whole_words = text[limit - 1] == " " or " " not in head  # the cut falls between two words already
    return (head if whole_words else head.rsplit(" ", 1)[0]).rstrip(" ,.;:/-") + "…"


def fitted(model: type[models.Model], field: str, text: str) -> str:
    """``text`` as it is when it fits the column ``model.field``, else ``clipped`` to it. The limit
    is the field's own max_length, so a column made longer or shorter later is followed here; SQLite
    keeps an overlong value, PostgreSQL refuses the whole write (a 500, a lost event)."""
    limit: int | None = getattr(model._meta.get_field(field), "max_length", None)
    return text if limit is None or len(text) <= limit else clipped(text, limit)
