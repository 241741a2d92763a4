"""The home page's deadline line, from a status the dashboard computed with one calendar.

{% load dashboards %}
{% due_line dossier.deadline_status %} → the same <span> as {% deadline %}, no query
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from workflow.deadlines import DeadlineStatus

from .deadlines import describe

register = template.Library()


@register.simple_tag
def due_line(status: DeadlineStatus | None) -> str:
    if status is None:
        return ""
    css = "deadline overdue" if status.overdue else "deadline"
    if not status.closed and status.days_left == 0:
        css += " due-today"
    return format_html(
        '<span class="{}"><time datetime="{}">{}</time> · {}</span>',
        css,
        status.due_on.isoformat(),
        _("Hạn %(day)s") % {"day": status.due_on.strftime("%d/%m/%Y")},
        describe(status),
    )
