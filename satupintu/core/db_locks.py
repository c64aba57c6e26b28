"""Locks the database holds for a transaction, for work that has no row to lock yet.

``take_turn``: transactions saving the same thing (a submission sent twice, a double tap) run one
after the other until they commit, so the second sees the first and says "already received".
SQLite does so already (IMMEDIATE transactions take the write lock first); PostgreSQL holds an
advisory lock on the key, so different submissions never wait for each other.

``only_one``: a job (a rebuild of derived rows) that must not run twice at once; the second run
learns it is not its turn and skips, instead of both deleting and re-inserting (doubled rows).
"""

from __future__ import annotations

import hashlib

from django.db import connection


def _key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def take_turn(key: str) -> None:
    """Inside a transaction: wait for any other transaction holding ``key``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(key)])


def only_one(key: str) -> bool:
    """Inside a transaction: True if this one now holds ``key``, False if another transaction does
    (SQLite: always True; its one writer at a time already runs them in turn)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_key(key)])
        return bool(cursor.fetchone()[0])
