"""{{ stored_url|web_link }}: the URL when it is http(s), else "" (core/links.py)."""

from django import template

from satupintu.core.links import web_link_or_empty

register = template.Library()


@register.filter
def web_link(value: object) -> str:
    return web_link_or_empty(value)
