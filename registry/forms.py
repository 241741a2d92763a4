"""Forms of the registry pages; every label Vietnamese (gettext)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .eligibility import RULE_LABELS


class RegistrySearchForm(forms.Form):
    name = forms.CharField(label=_("Họ tên / tên tập thể"), required=False)
    organisation = forms.CharField(label=_("Đơn vị"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1945, max_value=2100)
    award = forms.ChoiceField(label=_("Hình thức"), required=False)

    def __init__(self, *args, awards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [("", _("Tất cả")), *awards]


class OverrideForm(forms.Form):
    target = forms.ChoiceField(label=_("Kết quả không đạt"))
    reason = forms.CharField(label=_("Lý do chấp thuận ngoại lệ"), widget=forms.Textarea)

    def __init__(self, *args, failed, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (f"{v.rule}:{v.nominee_id or ''}", f"{RULE_LABELS.get(v.rule, v.rule)} – {v.message}")
            for v in failed
        ]
