from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.permissions import organisations_where
from organisations.roles import Perm
from workflow.rulesets import rule_set_on
from workflow.states import DossierStatus

from .models import DocumentCategory, Dossier, Nominee


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["year", "kind", "simplified", "campaign", "title", "letter_text"]
        widgets = {"letter_text": forms.Textarea(attrs={"rows": 6})}


class NewDossierForm(DossierForm):
    proposer = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=None)
    award_type = forms.ModelChoiceField(label=_("Hình thức khen thưởng"), queryset=None)

    class Meta(DossierForm.Meta):
        fields = ["proposer", "award_type", *DossierForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = organisations_where(user, Perm.FILE_DOSSIER)
        self.fields["award_type"].queryset = rule_set_on(timezone.localdate()).award_types.filter(
            is_active=True
        )
        self.fields["year"].initial = timezone.localdate().year


class NomineeForm(forms.ModelForm):
    class Meta:
        model = Nominee
        fields = [
            "kind",
            "full_name",
            "birth_year",
            "gender",
            "position",
            "organisation_name",
            "identity_code",
            "is_direct_worker",
            "achievement_summary",
        ]
        widgets = {"achievement_summary": forms.Textarea(attrs={"rows": 2})}


NomineeFormSet = forms.modelformset_factory(Nominee, form=NomineeForm, extra=1, can_delete=True)


class UploadForm(forms.Form):
    category = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentCategory.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, DOCX, JPG, PNG; tối đa 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )


class ActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do / ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(
        label=_("Ngày nhận đủ hồ sơ"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận thao tác này không thể hoàn tác"), required=False
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo số hồ sơ, trích yếu, người được đề nghị"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả")), *DossierStatus.choices]
