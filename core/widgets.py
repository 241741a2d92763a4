"""Form widgets written in Python, for a form drawn on every request of a busy page.

Django draws a widget through templates: a <select> includes one template per option (and
the attributes' template for each), which at a few hundred organisations costs tens of ms a
request (docs/statistics.md, "Performance": 32 ms of the statistics page's 89 ms of
template). These draw the same HTML with format_html: every attribute the field and the
page give (id, required, aria-describedby, aria-invalid), in the order and form of
Django's attrs.html, each value and label escaped, the chosen option `selected`. The
project's one option override (templates/django/forms/widgets/select_option.html:
"---------" reads "— Chọn —") is kept.
"""

from django import forms
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

DJANGO_BLANK = "---------"


def attributes(attrs: dict) -> SafeString:
    """The attributes as django/forms/widgets/attrs.html writes them: in their order, True
    as the bare name, False (and None) left out, every value escaped."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class PlainInput(Input):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, attributes(final)
        )


class PlainNumberInput(PlainInput, forms.NumberInput):
    pass


class PlainDateInput(PlainInput, forms.DateInput):
    pass


class PlainSelect(forms.Select):
    """One choice among options (optgroups too), without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        body = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup: (group name, its choices)
                body.append(
                    format_html(
                        '<optgroup label="{}">{}</optgroup>',
                        option_value,
                        self._options(label, chosen),
                    )
                )
            else:
                body.append(self._options([(option_value, label)], chosen))
        return format_html(
            '<select name="{}"{}>{}</select>', name, attributes(final), SafeString("".join(body))
        )

    @staticmethod
    def _options(choices, chosen: set[str]) -> SafeString:
        def rows():
            for option_value, label in choices:
                shown = "" if option_value is None else str(option_value)
                yield (
                    shown,
                    " selected" if shown in chosen else "",
                    _("— Chọn —") if label == DJANGO_BLANK else label,
                )

        return format_html_join("", '<option value="{}"{}>{}</option>', rows())
