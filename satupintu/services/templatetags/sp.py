from django import template

register = template.Library()


@register.filter
def get(mapping, key):  # type: ignore[no-untyped-def]
    """{{ dict|get:name }}: look up a key that is in a variable."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
