"""What counts as a link we store and show: a web address, nothing else. A "javascript:" or
"data:" link from a feed, a form or the API would run in an officer's browser when clicked."""

from __future__ import annotations

WEB_SCHEMES = ("http://", "https://")


def is_web_link(url: str, max_length: int | None = None) -> bool:
    """http(s) only, and (when given) no longer than the column that stores it: a cut link
    would point somewhere else."""
    return url.lower().startswith(WEB_SCHEMES) and (max_length is None or len(url) <= max_length)
