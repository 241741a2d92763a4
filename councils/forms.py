from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Council


class MeetingForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=Council.objects.none())
    title = forms.CharField(label=_("Nội dung phiên họp"), max_length=255)
    scheduled_for = forms.DateTimeField(
        label=_("Thời gian họp"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    online = forms.BooleanField(label=_("Bỏ phiếu trực tuyến"), required=False)
    voting_closes_at = forms.DateTimeField(
        label=_("Hạn bỏ phiếu trực tuyến"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
