"""What counts as a link we store and show: a web address, nothing else. A "javascript:" or
"data:" link from a feed, a form, the API or the admin would run in the browser of whoever
clicks it (an officer, or any citizen on a public page).

The one helper for every stored URL shown to people (NGOPAS dialogue links, meeting links,
evidence links, source and item URLs, and any link field to come):
- `is_web_link(url)` answers; `check_web_link(...)` is what domain functions call (a DomainError
  with a stable code); `validate_web_link` is for `Model.clean()`, so the admin refuses too;
- templates render a stored link only through the `web_link` filter (`{% load weblinks %}`),
  which turns anything else into "" so a row stored before these checks is never an href.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Model

from satupintu.core.errors import DomainError

WEB_SCHEMES = ("http://", "https://")
INVALID_LINK = "Tautan harus alamat web http(s) yang sah"


def is_web_link(url: object, max_length: int | None = None) -> bool:
    """http(s) with a host, no spaces or control characters (browsers drop tabs and newlines
    inside a URL, so "java\\tscript:" would still run), and (when given) no longer than the
    column that stores it: a cut link would point somewhere else."""
    if not isinstance(url, str) or not url or (max_length is not None and len(url) > max_length):
        return False
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    if not url.lower().startswith(WEB_SCHEMES):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. an unclosed "[" in the host
        return False


def web_link_or_empty(url: object) -> str:
    """The link when it is a web link, else "": for rendering stored values."""
    return url if isinstance(url, str) and is_web_link(url) else ""


def check_web_link(url: str, *, field: str, max_length: int | None = None, message: str = "") -> str:
    """The link without surrounding spaces ("" stays ""), or DomainError("invalid_link")."""
    link = (url or "").strip()
    if link and not is_web_link(link, max_length):
        text = message or (f"{INVALID_LINK}, paling panjang {max_length} karakter." if max_length
                           else f"{INVALID_LINK}.")
        raise DomainError("invalid_link", text, field=field)
    return link


def validate_web_link(value: str) -> None:
    """A Django validator: for `Model.clean()` and forms (the admin goes through these)."""
    if value and not is_web_link(value):
        raise ValidationError(f"{INVALID_LINK}.", code="invalid_link")


def clean_link_fields(instance: Model, *fields: str) -> None:
    """For `Model.clean()`: every named link field of `instance` is a web link or empty."""
    errors = {}
    for name in fields:
        value = getattr(instance, name, "") or ""
        max_length = getattr(instance._meta.get_field(name), "max_length", None)
        if value and not is_web_link(value, max_length):
            errors[name] = f"{INVALID_LINK}."
    if errors:
        raise ValidationError(errors)
