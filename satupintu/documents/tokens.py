"""The short token printed under the QR code of every issued document.

Twelve characters from an alphabet without look-alikes (no 0/O, 1/I/L): about 60 bits, so
guessing one is hopeless at the verification page's rate limit, and short enough to type from
paper ("K7QP-2M9X-WD4H"). Typed in any case, with or without dashes or spaces.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str | None:
    """The token in canonical form, or None when it cannot be one (then no lookup is made)."""
    cleaned = re.sub(r"[\s\-.]", "", typed or "").upper()
    return cleaned if _VALID.match(cleaned) else None


def grouped(token: str) -> str:
    return "-".join(token[i:i + 4] for i in range(0, len(token), 4))
