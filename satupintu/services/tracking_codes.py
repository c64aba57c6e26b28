"""Tracking codes (kode lacak): short, unambiguous, not guessable, with a check character.

Ten characters from an alphabet without 0/O and 1/I, shown as ``ABCDE-FGH2K``: nine random
characters (45 bits from ``secrets``) and a Luhn mod-32 check character, so a mistyped
code is told apart from an unknown one without touching the database.
"""

from __future__ import annotations

import re
import secrets

from stdnum import luhn

from satupintu.core.errors import DomainError, NotFound

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_RANDOM_LENGTH = 9


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_LENGTH))
    code = body + luhn.calc_check_digit(body, alphabet=ALPHABET)
    return f"{code[:5]}-{code[5:]}"


def normalize_tracking_code(raw: str) -> str:
    """Return the canonical form, or raise with a message that helps the person fix it."""
    text = re.sub(r"[\s\-_.]", "", (raw or "").upper())
    if not text:
        raise DomainError("invalid_tracking_code", "Masukkan kode lacak Anda.", field="tracking_code")
    if len(text) != _RANDOM_LENGTH + 1:
        raise DomainError(
            "invalid_tracking_code",
            "Kode lacak terdiri dari 10 huruf/angka, contoh: ABCDE-FGH23.",
            field="tracking_code",
            status=404,
        )
    bad = sorted({c for c in text if c not in ALPHABET})
    if bad:
        raise DomainError(
            "invalid_tracking_code",
            "Kode lacak tidak memakai huruf O dan I atau angka 0 dan 1; periksa kembali kode Anda.",
            field="tracking_code",
            status=404,
        )
    if luhn.checksum(text, alphabet=ALPHABET) != 0:
        raise DomainError(
            "mistyped_tracking_code",
            "Kode lacak salah ketik: periksa kembali setiap huruf dan angkanya.",
            field="tracking_code",
            status=404,
        )
    return f"{text[:5]}-{text[5:]}"


def unknown_tracking_code() -> NotFound:
    return NotFound("unknown_tracking_code", "Permohonan dengan kode lacak ini tidak ditemukan.", field="tracking_code")
