"""Forms of the decision pages; every label Vietnamese (gettext)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Decree 30/2020 numbers restart every 1 January; no issuer gives a million in a year. A
# larger number is a typing slip, and beyond 2**31 the register's column would overflow
# (it answered 500).
MAX_REGISTER_NUMBER = 999_999


class DraftForm(forms.Form):
    """The secretariat's draft. No signer field: the signer's name, title and capacity come
    from the signing authority's own record when they sign (decisions.profiles.signer_for)."""

    title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    proposal_ref = forms.CharField(
        label=_("Tờ trình của cơ quan trình (số, ngày)"), max_length=255, required=False
    )
    nominees = forms.TypedMultipleChoiceField(
        label=_("Người được khen thưởng"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, issuer, nominees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominees"].choices = [
            (n.pk, f"{n.full_name} – {n.dossier.reference}") for n in nominees
        ]


class DraftEditForm(forms.Form):
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    proposal_ref = forms.CharField(
        label=_("Tờ trình của cơ quan trình (số, ngày)"), max_length=255, required=False
    )
    prize_note = forms.CharField(label=_("Tiền thưởng (Điều 2)"), max_length=500, required=False)


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú gửi người ký (không bắt buộc)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến: cần sửa gì"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày ký ban hành"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm = forms.BooleanField(
        label=_("Tôi ký ban hành quyết định này: cấp số ngay, không sửa và không hủy được số này.")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy dự thảo"), max_length=500, required=False)
    confirm = forms.BooleanField(label=_("Tôi xác nhận hủy dự thảo này."))


class ExternalNumberForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None)
    number = forms.IntegerField(
        label=_("Số đã cấp trên văn bản giấy"), min_value=1, max_value=MAX_REGISTER_NUMBER
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Trích yếu, ghi chú"), max_length=500, required=False)

    def __init__(self, *args, issuers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers


class VoidNumberForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Số cần hủy (để trống: hủy số kế tiếp)"),
        min_value=1,
        max_value=MAX_REGISTER_NUMBER,
        required=False,
    )
    reason = forms.CharField(label=_("Lý do hủy số"), max_length=500)
    confirm = forms.BooleanField(label=_("Tôi xác nhận: số bị hủy sẽ không bao giờ được cấp lại."))

    def __init__(self, *args, issuers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
