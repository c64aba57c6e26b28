"""Gunicorn hooks for `satupintu serve` (passed as ``-c python:satupintu.core.gunicorn_conf``).

With PROMETHEUS_MULTIPROC_DIR set, every worker keeps its request metrics in files there; a
worker that exits must be marked dead so its live gauges stop counting. Its counters and
histograms stay: they are history that /metrics keeps adding up.
"""

from __future__ import annotations

import os
from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
