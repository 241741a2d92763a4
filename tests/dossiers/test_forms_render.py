"""The project's form renderer writes a <select> in Python (dossiers.forms.select_html) for
speed; what a user's browser receives must be exactly what the templates write."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from dossiers.forms import FormRenderer, SearchForm
from dossiers.models import Dossier
from organisations.models import Organisation
from tests import factories


def _by_templates(widget_html_call):
    """The same call with the renderer's Python path switched off."""
    original = FormRenderer.render
    FormRenderer.render = TemplatesSetting.render
    try:
        return widget_html_call()
    finally:
        FormRenderer.render = original


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("a", 'Tổ <b>1</b> & "2"'), ("b", "Hai")], initial="b")
    grouped = forms.ChoiceField(
        choices=[("", "---------"), ("Cụm 1", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    marked = forms.ChoiceField(
        choices=[("1", "Một")],
        widget=forms.Select(attrs={"aria-describedby": "hint-1", "disabled": True, "data-x": 0}),
    )
    radios = forms.ChoiceField(choices=[("1", "Một")], widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), required=False)


@pytest.mark.django_db
def test_a_select_reads_the_same_as_the_templates_write(demo):
    Organisation.objects.filter(pk=demo["hop-thanh"].pk).update(name='Đơn vị <&> "thử"')
    for data in (None, {"plain": "a", "grouped": "2", "many": ["y"], "unit": "1"}):
        form = Sample(data)
        for name in form.fields:
            fast = str(form[name])
            assert fast == _by_templates(lambda: str(Sample(data)[name])), name  # noqa: B023
            if name != "radios":
                assert fast.startswith("<select")


@pytest.mark.django_db
def test_the_dossier_lists_filters_read_the_same(demo, user_of):
    factories.make_draft(demo["th-hop-thanh"])
    secretariat = user_of("lang-son", "vanphong")
    visible = Dossier.objects.all()
    form = SearchForm({"status": "draft", "sort": "due"}, dossiers=visible, user=secretariat)
    fast = "".join(str(form[name]) for name in form.fields)
    slow = _by_templates(
        lambda: "".join(
            str(bound)
            for bound in SearchForm(
                {"status": "draft", "sort": "due"}, dossiers=visible, user=secretariat
            )
        )
    )
    assert fast == slow
    assert '<option value="draft" selected>' in fast
    assert "---------" not in fast
