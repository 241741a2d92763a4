"""The widgets drawn in Python (core.widgets) draw what Django's templates draw: the same
attributes, the same escaping, the same chosen option."""

import re

import pytest
from django import forms

from core.widgets import PlainDateInput, PlainNumberInput, PlainSelect

CHOICES = [
    ("", "— Tất cả —"),
    ("1", "Tỉnh Lạng Sơn"),
    ("2", 'Xã "Hợp Thành" <b>&</b>'),
    ("Nhóm", [("3", "Sở Y tế"), ("4", "Sở Nội vụ")]),
]
ATTRS = {"id": "id_x", "aria-describedby": "id_x-hint", "required": True, "disabled": False}


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", [None, "", "2", "4", "999"])
def test_a_plain_select_draws_what_django_draws(value):
    django_html = forms.Select(choices=CHOICES).render("x", value, attrs=ATTRS)
    plain_html = PlainSelect(choices=CHOICES).render("x", value, attrs=ATTRS)
    assert _tags(plain_html) == _tags(django_html)
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in plain_html


@pytest.mark.parametrize(
    ("plain", "django"),
    [
        (
            PlainNumberInput(attrs={"inputmode": "numeric"}),
            forms.NumberInput(attrs={"inputmode": "numeric"}),
        ),
        (PlainDateInput(format="%d/%m/%Y"), forms.DateInput(format="%d/%m/%Y")),
    ],
)
@pytest.mark.parametrize("value", [None, "", "2026", '"><script>'])
def test_a_plain_input_draws_what_django_draws(plain, django, value):
    attrs = {"id": "id_y", "aria-invalid": "true"}
    assert plain.render("y", value, attrs=attrs) == _tags(django.render("y", value, attrs=attrs))
