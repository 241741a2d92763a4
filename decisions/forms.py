"""Forms of the decision pages; every label Vietnamese (gettext)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .profiles import capacity_choices


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    capacity = forms.ChoiceField(label=_("Thẩm quyền ký"))
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=255, required=False)
    proposal_ref = forms.CharField(
        label=_("Tờ trình của cơ quan trình (số, ngày)"), max_length=255, required=False
    )
    nominees = forms.TypedMultipleChoiceField(
        label=_("Người được khen thưởng"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, issuer, nominees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capacity"].choices = capacity_choices(issuer)
        self.fields["nominees"].choices = [
            (n.pk, f"{n.full_name} – {n.dossier.reference}") for n in nominees
        ]


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày ký ban hành"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=255)
    confirm = forms.BooleanField(
        label=_(
            "Tôi xác nhận quyết định đã được ký: cấp số ngay, không sửa và không hủy được số này."
        )
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy dự thảo"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Tôi xác nhận hủy dự thảo này."))


class ExternalNumberForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None)
    number = forms.IntegerField(label=_("Số đã cấp trên văn bản giấy"), min_value=1)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Trích yếu, ghi chú"), max_length=500, required=False)

    def __init__(self, *args, issuers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers


class VoidNumberForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Số cần hủy (để trống: hủy số kế tiếp)"), min_value=1, required=False
    )
    reason = forms.CharField(label=_("Lý do hủy số"), max_length=500)
    confirm = forms.BooleanField(label=_("Tôi xác nhận: số bị hủy sẽ không bao giờ được cấp lại."))

    def __init__(self, *args, issuers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
