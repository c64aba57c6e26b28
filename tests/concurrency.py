"""Two requests at the same moment, each in a thread with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(send: Callable[[], Any], times: int = 2) -> list[Any]:
    """Run ``send`` in ``times`` threads at once; what each returned (in the order they finished)."""
    answers: list[Any] = []

    def run() -> None:
        try:
            answers.append(send())
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return answers
