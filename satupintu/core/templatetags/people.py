"""How pages name a member of staff: ``{{ user|person }}``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """The full name, else the sign-in name; "—" when there is nobody (an account since deleted,
    or a step the system took). ``user.get_full_name|default:user.username`` raised a 500 there:
    a filter's argument that does not resolve is an error, not an empty string."""
    if user is None or not hasattr(user, "get_username"):
        return "—"
    return user.get_full_name() or user.get_username()
