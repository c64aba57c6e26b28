"""Writing many rows fast: PostgreSQL COPY (psycopg 3) or, on SQLite, executemany in batches.

Rows come as tuples of plain values: str, int, float, bool, None, and timestamps as epoch
seconds wrapped in `Ts` columns (see `insert`), JSON already encoded as text. Everything goes
through Django's connection, so it is inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np
from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def ts_text(epochs: np.ndarray) -> list[str | None]:
    """Epoch seconds (int64, negative = NULL) as the text each backend stores for a DateTimeField."""
    epochs = np.asarray(epochs, dtype=np.int64)
    out = np.datetime_as_string(np.maximum(epochs, 0).astype("datetime64[s]"), unit="s").astype(object)
    if is_postgres():
        text = [f"{s}+00" for s in out]
    else:  # Django keeps naive UTC 'YYYY-MM-DD HH:MM:SS' in SQLite
        text = [s.replace("T", " ") for s in out]
    return [None if e < 0 else t for e, t in zip(epochs.tolist(), text, strict=True)]


def date_text(epochs: np.ndarray, tz_offsets: np.ndarray | None = None) -> list[str]:
    """Local dates (epoch + offset seconds) as 'YYYY-MM-DD'."""
    e = np.asarray(epochs, dtype=np.int64) + (0 if tz_offsets is None else np.asarray(tz_offsets, dtype=np.int64))
    return np.datetime_as_string((e // 86400).astype("datetime64[D]"), unit="D").tolist()  # ints are days here


def now_text() -> str:
    return ts_text(np.array([int(datetime.now(UTC).timestamp())]))[0]  # type: ignore[return-value]


def insert(table: str, columns: Sequence[str], rows: Iterable[tuple], *, progress=None) -> int:  # type: ignore[no-untyped-def]
    """Insert rows; returns how many. ``progress`` is a tqdm bar (or None) updated per row batch."""
    n = 0
    with connection.cursor() as cur:
        if is_postgres():
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
                    if progress is not None and n % 20000 == 0:
                        progress.update(20000)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(tuple(int(v) if isinstance(v, bool) else v for v in row))
                if len(batch) >= 5000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    if progress is not None:
                        progress.update(len(batch))
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
                if progress is not None:
                    progress.update(len(batch))
                batch = []
    if progress is not None and is_postgres():
        progress.update(n % 20000)
    return n


def next_ids(table: str, count: int) -> int:
    """The first of ``count`` fresh primary keys for rows inserted with explicit ids; the
    sequence (PostgreSQL) is moved past them so later ORM inserts do not collide."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = int(cur.fetchone()[0]) + 1
        if is_postgres():
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first + count - 1 + 1])
    return first


def vacuum_analyze(*tables: str) -> None:
    """PostgreSQL. Inside a transaction (a caller's atomic block, a test) VACUUM cannot run: ANALYZE only."""
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"{verb} {t}")
