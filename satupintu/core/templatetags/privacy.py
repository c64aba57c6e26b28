"""``{% load privacy %}{{ text|masked }}``: free text people typed, with NIKs and phone numbers
masked (core.privacy.mask_free_text), for pages that show it to readers who do not need them."""

from __future__ import annotations

from django import template

from satupintu.core.privacy import mask_free_text

register = template.Library()


@register.filter
def masked(text: object) -> str:
    return mask_free_text(str(text or ""))
