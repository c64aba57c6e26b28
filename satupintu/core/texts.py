"""Short forms of people's text for places with a limit (a signal's link, a WhatsApp list row)."""

from __future__ import annotations


def clipped(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut between words with "…": "batas tanah waka" and
    "Pungutan liar / gratifik" read as typos. A first word longer than the limit is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    whole_words = text[limit - 1] == " " or " " not in head  # the cut falls between two words already
    return (head if whole_words else head.rsplit(" ", 1)[0]).rstrip(" ,.;:/-") + "…"
