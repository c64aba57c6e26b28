"""Two requests at the same moment, each in a thread with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
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


def meet_after(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, parties: int = 2) -> None:
    """Make ``parties`` threads wait for each other right after each calls ``owner.name``: the
    interleaving a race needs (both read before either writes), made certain."""
    barrier = threading.Barrier(parties, timeout=30)
    real = getattr(owner, name)

    def call_then_meet(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(owner, name, call_then_meet)
