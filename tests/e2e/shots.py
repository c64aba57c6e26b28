"""Screenshots the browser journeys leave for people to look at (test-artifacts/ at the top of the checkout).

They are a record, not an assertion: Chromium on a machine busy with both CI passes at once
sometimes answers a capture with "Unable to capture screenshot", which is not what a journey
tests. So a capture is tried again after a moment, and one that keeps failing is reported as a
warning instead of failing the journey it illustrates.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

from playwright.sync_api import Error

ATTEMPTS = 3


def shot(target: Any, **kwargs: Any) -> None:
    """``target.screenshot(**kwargs)`` (a page or a locator), retried; never fails the test."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            target.screenshot(**kwargs)
            return
        except Error as exc:
            if "capture screenshot" not in str(exc):
                raise
            if attempt == ATTEMPTS:
                warnings.warn(f"screenshot {kwargs.get('path')} not taken: {exc}", stacklevel=2)
                return
            time.sleep(0.5 * attempt)
