"""The signer's passphrase (BSrE) or PIN (a token), typed at approval, kept only as long as the
signing service may need it to retry.

It is held encrypted (Fernet, a key derived from SECRET_KEY) in the shared cache for
DOCUMENT_SIGNING_PASSPHRASE_HOLD_MINUTES and dropped as soon as the document is signed or
refused; past that the approval lapses and the signer is asked again. It never reaches the
database, the logs or the audit trail.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache

_PREFIX = "documents:passphrase:"


def needed() -> bool:
    """Whether approvals must carry the signer's own passphrase (BSrE or a token without a
    configured seal PIN)."""
    backend = settings.DOCUMENT_SIGNING_BACKEND
    if backend == "bsre":
        return not settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE
    if backend == "pkcs11":
        return not settings.DOCUMENT_SIGNING_PKCS11_PIN
    return False


def _fernet() -> Fernet:
    key = hashlib.sha256(b"satupintu.documents.passphrase:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def hold(document_id: int, passphrase: str) -> None:
    cache.set(f"{_PREFIX}{document_id}", _fernet().encrypt(passphrase.encode()),
              timeout=settings.DOCUMENT_SIGNING_PASSPHRASE_HOLD_MINUTES * 60)


def peek(document_id: int) -> str | None:
    token = cache.get(f"{_PREFIX}{document_id}")
    if token is None:
        return None
    try:
        return _fernet().decrypt(token).decode()
    except InvalidToken:  # SECRET_KEY rotated meanwhile
        return None


def drop(document_id: int) -> None:
    cache.delete(f"{_PREFIX}{document_id}")
