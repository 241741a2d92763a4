"""The endpoint form; labels in Vietnamese (gettext)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event


class EndpointForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None)
    url = forms.CharField(
        label=_("Địa chỉ nhận (URL)"),
        max_length=500,
        help_text=_("Ví dụ: https://cong-dich-vu.langson.gov.vn/khenthuong/webhook"),
    )
    events = forms.MultipleChoiceField(
        label=_("Sự kiện"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    include_units = forms.BooleanField(
        label=_("Gồm hồ sơ của các đơn vị trực thuộc"), required=False, initial=True
    )
    description = forms.CharField(label=_("Mô tả"), max_length=255, required=False)

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # the usual case: the user's one organisation, chosen
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None


class DisableForm(forms.Form):
    reason = forms.CharField(label=_("Lý do ngừng dùng"), max_length=500, required=False)
