from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit import once
from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm
from workflow.dashboards import SECTIONS
from workflow.rulesets import rule_set_on
from workflow.states import DossierStatus

from . import facets
from .models import AwardType, Campaign, DocumentCategory, Dossier, DossierKind, Nominee
from .nominee_rules import LABELS as NOMINEE_LABELS
from .nominee_rules import birth_year_range, check_nominee

CHOOSE = _("— Chọn —")  # the empty choice, instead of Django's "---------"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY_FIRST = "%d/%m/%Y"  # how a date is shown and typed (config/formats: dd/mm/yyyy)


class FormRenderer(TemplatesSetting):
    """The project's one form rendering (settings.FORM_RENDERER): Django's form, field and
    widget templates looked up through TEMPLATES, so templates/django/forms/ (label, hint,
    the error next to the field, the required mark, "— Chọn —") overrides them for every
    form of every app, the admin's widgets included."""

    form_template_name = "django/forms/div.html"
    formset_template_name = "django/forms/formsets/div.html"
    field_template_name = "django/forms/field.html"

    def render(self, template_name, context, request=None):
        # A <select> is rendered in Python: through the templates each option is an
        # include of select_option.html and attrs.html, 0.1 ms an option, the dossier list's
        # filters 5-8 ms a request (issue 18). The same HTML; tests/dossiers/test_forms_render.py.
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict) -> str:
    """templates' attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str | None:
    """What select.html with the project's select_option.html renders for `widget` (the
    widget's template context), or None when an option has another template (then the
    templates render it)."""
    parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            label = CHOOSE if option["label"] == "---------" else option["label"]
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_attrs_html(option["attrs"])),  # noqa: S308 (escaped by format_html)
                    label,
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


class NamedErrors:
    """Every error of the form names its field ("Năm sinh: nhập một số nguyên."), next to
    the field and in the error summary alike (style.md: a refusal names field and reason)."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():  # the model's own validation
                self.add_error(name if name in self.fields else None, ValidationError(errors))
            return
        if field and field in self.fields and not isinstance(error, dict):
            label = str(self.fields[field].label or field)
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            error = ValidationError(
                [m if str(m).startswith(f"{label}:") else f"{label}: {m}" for m in messages]
            )
        super().add_error(field, error)


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = [
            "year",
            "kind",
            "simplified",
            "campaign",
            "title",
            "letter_text",
            "act_date",
            "act_description",
        ]
        widgets = {
            "letter_text": forms.Textarea(attrs={"rows": 6}),
            "act_date": forms.DateInput(
                format=DAY_FIRST, attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "act_description": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "act_date": _("Chỉ với khen thưởng đột xuất. Ngày/tháng/năm, ví dụ 05/02/2027."),
            "act_description": _(
                "Chỉ với khen thưởng đột xuất: hành động, thành tích được đề nghị khen thưởng. "
                "Cùng một hành động không được khen hai lần."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        # An ad hoc award rewards one act: its date and description are its achievement
        # key (registry.identity); any other kind has none (Decree 152/2025 art. 4 §3).
        ad_hoc = cleaned.get("kind") == DossierKind.AD_HOC
        for name in ("act_date", "act_description"):
            if name not in self.fields:
                continue
            label = self.fields[name].label
            value = cleaned.get(name)
            if ad_hoc and not value and name not in self.errors:
                self.add_error(
                    name, _("%(label)s: bắt buộc với khen thưởng đột xuất.") % {"label": label}
                )
            elif not ad_hoc and value:
                self.add_error(
                    name, _("%(label)s: chỉ ghi với khen thưởng đột xuất.") % {"label": label}
                )
        return cleaned


class NewDossierForm(DossierForm):
    ONCE = "dossiers.create"  # audit.once: three presses of "Tạo hồ sơ" make one dossier

    proposer = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=None)
    award_type = forms.ModelChoiceField(label=_("Hình thức khen thưởng"), queryset=None)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(DossierForm.Meta):
        fields = ["proposer", "award_type", *DossierForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["form_token"].initial = once.issue(user=user, purpose=self.ONCE)
        self.fields["proposer"].queryset = organisations_where(user, Perm.FILE_DOSSIER)
        self.fields["award_type"].queryset = rule_set_on(timezone.localdate()).award_types.filter(
            is_active=True
        )
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        try:
            once.check(cleaned.get("form_token", ""), user=self.user, purpose=self.ONCE)
        except once.InvalidToken:
            # Shown again with a fresh token: sending it once more creates the dossier.
            self.data = self.data.copy()
            self.data["form_token"] = self.fields["form_token"].initial
            raise forms.ValidationError(
                _(
                    "Biểu mẫu: đã hết hạn hoặc không hợp lệ (mở quá lâu hoặc gửi từ trang "
                    "cũ). Hãy kiểm tra lại các ô và bấm “Tạo hồ sơ” lần nữa."
                ),
                code="form_expired",
            ) from None
        return cleaned


class NomineeForm(NamedErrors, forms.ModelForm):
    """One row of the nominees table. Every row is checked on save with the rules the
    import uses (dossiers.nominee_rules); each problem goes next to its field."""

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
            "women_share",
            "user",
            "achievement_summary",
        ]
        labels = NOMINEE_LABELS
        widgets = {
            "achievement_summary": forms.Textarea(attrs={"rows": 2}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "identity_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "women_share": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
        }
        help_texts = {
            "identity_code": _("Cá nhân: số căn cước công dân, 12 chữ số."),
            "women_share": _("Chỉ với tập thể; từ 70 % được ưu tiên khi bằng phiếu."),
            "user": _("Nếu người được đề nghị có tài khoản: để tự rút khi Hội đồng biểu quyết."),
        }

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        earliest, latest = birth_year_range(timezone.localdate().year)
        self.fields["birth_year"].widget.attrs.update({"min": earliest, "max": latest})
        for name in ("kind", "gender"):
            choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].choices = [("", CHOOSE), *choices]
        user = self.fields["user"]
        user.queryset = (
            get_user_model()
            .objects.filter(memberships__organisation_id=dossier.proposer_id, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        user.empty_label = _("— Không có —")
        user.label_from_instance = _user_label
        for name, field in self.fields.items():
            field.error_messages["required"] = _("bắt buộc nhập.")
            if name in ("kind", "full_name", "achievement_summary"):
                field.required = True

    def clean(self):
        cleaned = super().clean()
        values = {k: cleaned.get(k) for k in self.Meta.fields}
        for name in ("full_name", "position", "organisation_name", "identity_code"):
            values[name] = (values[name] or "").strip()
        for problem in check_nominee(values, current_year=timezone.localdate().year):
            if problem.field not in self.errors:  # "required" already said it
                self.add_error(problem.field, problem.message)
        return cleaned


def _user_label(user) -> str:
    name = f"{user.last_name} {user.first_name}".strip()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class BaseNomineeFormSet(forms.BaseModelFormSet):
    """Rows are added and removed on the page (htmx) without reloading it; a removed saved
    row comes back as its id and DELETE only (templates/dossiers/_nominee_removed.html)."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        kwargs.setdefault("queryset", dossier.nominees.all())
        kwargs.setdefault("prefix", "n")
        super().__init__(*args, form_kwargs={"dossier": dossier}, **kwargs)
        if not self.is_bound and not self.get_queryset().exists():
            self.extra = 1  # an empty dossier opens with one blank row

    def row_form(self, index: int) -> NomineeForm:
        """A blank row at `index` (the next TOTAL_FORMS): what "Thêm dòng" fetches."""
        return self._construct_form(
            index, empty_permitted=True, use_required_attribute=False, **self.get_form_kwargs(index)
        )


NomineeFormSet = forms.modelformset_factory(
    Nominee, form=NomineeForm, formset=BaseNomineeFormSet, extra=0, can_delete=True
)


class UploadForm(forms.Form):
    category = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentCategory.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, DOCX, JPG, PNG; tối đa 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )


class ReplaceForm(forms.Form):
    file = forms.FileField(
        label=_("Bản thay thế (PDF, DOCX, JPG, PNG; tối đa 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx, theo mẫu)"),
        help_text=_("Tối đa 500 dòng và 2 MB. Không dòng nào được nhập nếu còn dòng có lỗi."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )


class ActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do / ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(
        label=_("Ngày nhận đủ hồ sơ"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận thao tác này không thể hoàn tác"), required=False
    )


class SearchForm(forms.Form):
    """The dossier list's search, filters and order; every field optional (the query string
    of a dashboard count fills it). The choices are those of the dossiers the user may see:
    a filter never offers a campaign, form, unit or year that would find nothing."""

    SORTS = (
        ("updated", _("Cập nhật gần nhất")),
        ("due", _("Hạn xử lý gần nhất")),
        ("reference", _("Số hồ sơ")),
    )

    q = forms.CharField(
        label=_("Tìm theo số hồ sơ, trích yếu, người được đề nghị"),
        required=False,
        max_length=200,
        help_text=_("Không phân biệt chữ hoa, chữ thường, có dấu hay không dấu."),
    )
    year = forms.TypedChoiceField(label=_("Năm thành tích"), required=False, coerce=int)
    campaign = forms.ModelChoiceField(
        label=_("Phong trào thi đua"), required=False, queryset=None, empty_label=_("Tất cả")
    )
    award = forms.ChoiceField(label=_("Hình thức khen thưởng"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Đơn vị đề nghị"), required=False, queryset=None, empty_label=_("Tất cả")
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    overdue = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)
    task = forms.ChoiceField(
        label=_("Việc chờ bạn"),
        required=False,
        choices=[("", _("Tất cả")), *((key, s.title) for key, s in SECTIONS.items())],
    )
    sort = forms.ChoiceField(label=_("Sắp xếp theo"), required=False, choices=SORTS)

    def __init__(self, *args, dossiers=None, user=None, **kwargs):
        """`dossiers`: those the user sees; with `user`, their distinct values are kept per
        data version (dossiers.facets) instead of being read from every row each time."""
        super().__init__(*args, **kwargs)
        visible = dossiers if dossiers is not None else Dossier.objects.none()
        found = facets.facets_for(user, visible) if user is not None else facets.compute(visible)
        self.fields["status"].choices = [("", _("Tất cả")), *DossierStatus.choices]
        self.fields["year"].choices = [("", _("Tất cả")), *((y, y) for y in found["years"])]
        # The names from their small tables by the kept ids: a rename shows at once.
        self.fields["campaign"].queryset = Campaign.objects.filter(
            pk__in=found["campaigns"]
        ).order_by("-starts_on", "name")
        awards = dict(  # one name per code: the newest rule set's (it comes last)
            AwardType.objects.filter(pk__in=found["awards"])
            .order_by("rule_set__valid_from", "name")
            .values_list("code", "name")
        )
        self.fields["award"].choices = [
            ("", _("Tất cả")),
            *sorted(awards.items(), key=lambda item: item[1]),
        ]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=found["units"]
        ).order_by("name")
