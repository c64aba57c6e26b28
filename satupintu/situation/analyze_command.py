"""`satupintu analyze [FILE]`: JSON Lines in, one JSON line of analysis out per item.

Bad lines (not JSON, no text) are reported on stderr with their line number and skipped; the
run goes on. Items are analysed in small batches (the sentiment model is faster per batch) and
written in input order. A progress bar shows when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from tqdm import tqdm

from satupintu.situation.analysis import Analyzer, BadRecord, Record, record_from_json

BATCH = 64


def read_records(lines: Iterable[str], errors: IO[str]) -> Iterator[tuple[Record, int]]:
    """(record, bytes consumed) for each good line; bad lines are reported and skipped."""
    for lineno, line in enumerate(lines, 1):
        size = len(line.encode("utf-8"))
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"baris {lineno}: bukan JSON yang sah ({e.msg}, kolom {e.colno}); dilewati", file=errors)
            continue
        except (ValueError, RecursionError):  # a number of thousands of digits, arrays nested thousands deep
            print(f"baris {lineno}: bukan JSON yang dapat dibaca (angka terlalu panjang atau terlalu bersarang); "
                  "dilewati", file=errors)
            continue
        try:
            yield record_from_json(obj, fallback_id=f"line-{lineno}"), size
        except BadRecord as e:
            print(f"baris {lineno}: {e}; dilewati", file=errors)


def preload_database(analyzer: Analyzer, days: int = 30) -> int:
    """Remember recent items' MinHash signatures from the database, if there is one, so that
    ``duplicate_of`` also points at stored items. Returns how many were loaded."""
    try:
        from satupintu.situation.store import load_recent_signatures

        return load_recent_signatures(analyzer, days=days)
    except Exception as e:  # noqa: BLE001 - no database is a normal way to run this command
        if os.environ.get("SATUPINTU_DEBUG"):
            print(f"(database not used: {e})", file=sys.stderr)
        return 0


def analyze_stream(lines: Iterable[str], out: IO[str], errors: IO[str], *, total_bytes: int | None = None,
                   use_database: bool = True) -> int:
    """Analyse every good line and write its result; returns how many were written."""
    analyzer = Analyzer()
    if use_database:
        preload_database(analyzer)
    written = 0
    bar = tqdm(total=total_bytes, unit="B", unit_scale=True, desc="analisis", file=sys.stderr,
               disable=not sys.stderr.isatty(), leave=False)
    batch: list[Record] = []
    done_bytes = 0

    def flush() -> None:
        nonlocal written, done_bytes
        for analysis in analyzer.analyze_many(batch):
            out.write(json.dumps(analysis.as_json(), ensure_ascii=False) + "\n")
            written += 1
        bar.update(done_bytes)
        done_bytes = 0
        batch.clear()

    for record, size in read_records(lines, errors):
        batch.append(record)
        done_bytes += size
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    bar.close()
    out.flush()
    return written
