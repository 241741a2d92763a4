"""Forms of the registry pages; every label Vietnamese (gettext)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .eligibility import RULE_LABELS
from .models import HoldKind, SubjectKind


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


class HoldForm(forms.Form):
    """Record a hold (Decree 152/2025 art. 4 §4) for a person or a collective."""

    secretariat = forms.ModelChoiceField(label=_("Cơ quan thường trực ghi nhận"), queryset=None)
    subject_kind = forms.ChoiceField(label=_("Đối tượng"), choices=SubjectKind.choices)
    full_name = forms.CharField(label=_("Họ và tên / tên tập thể"), max_length=255)
    identity_code = forms.CharField(label=_("Mã định danh"), max_length=32, required=False)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), required=False, min_value=1900, max_value=2100
    )
    organisation_name = forms.CharField(label=_("Đơn vị công tác"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Lý do tạm dừng"), choices=HoldKind.choices)
    body = forms.CharField(label=_("Cơ quan có thẩm quyền đang xem xét"), max_length=255)
    document = forms.CharField(label=_("Văn bản làm căn cứ"), max_length=255, required=False)
    reason = forms.CharField(label=_("Nội dung"), widget=forms.Textarea, required=False)
    started_on = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, secretariats, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].queryset = secretariats


class ClearHoldForm(forms.Form):
    cleared_document = forms.CharField(label=_("Văn bản kết luận, chấm dứt"), max_length=255)
    cleared_on = forms.DateField(
        label=_("Ngày chấm dứt"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    discipline_imposed = forms.BooleanField(
        label=_("Đã thi hành kỷ luật (thành tích được tính từ ngày chấm dứt)"), required=False
    )
