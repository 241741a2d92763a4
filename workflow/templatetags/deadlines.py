"""Due date and working days left of a dossier's running stage clock.

    {% load deadlines %}
    {% deadline dossier %}          → <span class="deadline">Hạn 13/05/2027 · còn 3 ngày …</span>
    {{ dossier|working_days_left }} → 3 (negative when overdue; "" without a running clock)

Accepts a Dossier (its open StageDeadline is looked up: one query) or a StageDeadline.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow import deadlines as clock
from workflow.models import StageDeadline

register = template.Library()


def _deadline_of(obj) -> StageDeadline | None:
    if isinstance(obj, StageDeadline):
        return obj
    if obj is None or getattr(obj, "pk", None) is None:
        return None
    if hasattr(obj, "open_deadline"):  # set for a whole page by attach_open_deadlines
        return obj.open_deadline
    return clock.open_deadline_of(obj)


def describe(status: clock.DeadlineStatus) -> str:
    if status.closed:
        return _("đã dừng tính hạn")
    if status.days_left > 0:
        return ngettext("còn %(n)s ngày làm việc", "còn %(n)s ngày làm việc", status.days_left) % {
            "n": status.days_left
        }
    if status.days_left == 0:
        return _("đến hạn hôm nay")
    return ngettext("quá hạn %(n)s ngày", "quá hạn %(n)s ngày", status.days_overdue) % {
        "n": status.days_overdue
    }


def _calendar(context, today):
    # One calendar per page render, not one lookup per row of a list.
    key = ("deadline-calendar", today)
    if key not in context.render_context:
        context.render_context[key] = clock.calendar_for(today or timezone.localdate())
    return context.render_context[key]


@register.simple_tag(takes_context=True)
def deadline(context, obj, today=None) -> str:
    """A <span> with the due date and the working days left or overdue; "" if no clock runs."""
    found = _deadline_of(obj)
    if found is None:
        return ""
    status = clock.status_of(found, today=today, calendar=_calendar(context, today))
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


@register.filter
def working_days_left(obj, today=None):
    found = _deadline_of(obj)
    if found is None:
        return ""
    return clock.status_of(found, today=today).days_left
