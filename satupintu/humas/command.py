"""`satupintu humas scorecard --month YYYY-MM [--office CODE] [--json]`."""

from __future__ import annotations

from typing import TextIO


def scorecard(month: str, office: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    print("Belum tersedia.", file=err)
    return 1
