"""{% load reports_tags %}: {{ amount|vnd }} -> "2.340.000" (Vietnamese thousands)."""

from django import template

from decisions.prize import format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    if value in (None, ""):
        return "–"
    return format_vnd(int(value))
