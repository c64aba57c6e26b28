"""``{{ value|when:"d-m-Y H.i" }}``: a date and time as ``date`` writes it, the clock as the
page's language writes it (14.30 in Indonesian, 14:30 in English; core.clock). A builtin library:
every template has it without ``{% load %}``; tests/core/test_clock.py refuses ``date:"…H.i"``."""

from __future__ import annotations

from django import template

from satupintu.core.clock import shown

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def when(value: object, fmt: str = "d-m-Y H.i") -> str:
    try:
        return shown(value, fmt)  # type: ignore[arg-type]
    except (AttributeError, TypeError, ValueError):
        return ""  # as ``date`` does with what is not a date
