from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (the standing's name for a commune row)."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
