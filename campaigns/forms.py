"""Forms of the campaign and cluster pages; they only collect input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.forms import NamedErrors

from .models import Criterion, RoleModelKind, Target


class ReportForm(NamedErrors, forms.Form):
    """One organisation's registration and its results against every target, on one page."""

    organisation = forms.ChoiceField(
        label=_("Cơ quan, đơn vị"),
        help_text=_("Đơn vị trong phạm vi phong trào mà bạn đăng ký, báo cáo thay."),
    )
    commitment = forms.CharField(
        label=_("Nội dung đăng ký thi đua"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Để trống nếu chỉ báo cáo kết quả. Đăng ký lại sẽ thay nội dung cũ."),
    )

    def __init__(self, *args, organisations, targets: list[Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.targets = targets
        for target in targets:
            self.fields[f"target-{target.pk}"] = forms.CharField(
                label=f"{target.name} ({target.unit})",
                required=False,
                help_text=_("Chỉ tiêu: %(value)s %(unit)s. Để trống nếu chưa có số liệu.")
                % {"value": target.target_value.normalize(), "unit": target.unit},
            )


class ScoreForm(NamedErrors, forms.Form):
    """One member's scores in one round: a score and its evidence per criterion."""

    def __init__(self, *args, criteria: list[Criterion], initial_scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            score, evidence = initial_scores.get(c.pk, ("", ""))
            self.fields[f"score-{c.pk}"] = forms.CharField(
                label=_("Điểm: %(name)s") % {"name": c.name},
                initial=score,
                help_text=_("Từ 0 đến %(max)s điểm; trọng số %(weight)s.")
                % {"max": c.max_score.normalize(), "weight": c.weight.normalize()},
            )
            self.fields[f"evidence-{c.pk}"] = forms.CharField(
                label=_("Minh chứng: %(name)s") % {"name": c.name},
                required=False,
                initial=evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=(
                    _("Cần có: %(evidence)s.") % {"evidence": c.evidence_required}
                    if c.evidence_required
                    else _("Số, ngày văn bản hoặc tài liệu chứng minh.")
                ),
            )

    def scores(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"score-{c.pk}"], self.cleaned_data[f"evidence-{c.pk}"])
            for c in self.criteria
        }


class VoteForm(NamedErrors, forms.Form):
    candidates = forms.IntegerField(
        label=_("Số đơn vị dẫn đầu đưa ra bỏ phiếu"),
        min_value=1,
        max_value=50,
        initial=3,
        help_text=_(
            "Theo thứ tự xếp hạng; mỗi đại diện bỏ phiếu đồng ý hoặc không cho từng đơn vị."
        ),
    )
    place = forms.CharField(label=_("Địa điểm hội nghị"), required=False, max_length=255)


class ProposalForm(NamedErrors, forms.Form):
    award = forms.ChoiceField(
        label=_("Hình thức đề nghị"),
        help_text=_("Hồ sơ được lập ở dạng dự thảo; Văn phòng cụm đính kèm tài liệu rồi gửi."),
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [(a.pk, a.name) for a in awards]


class RoleModelForm(NamedErrors, forms.Form):
    organisation = forms.ChoiceField(label=_("Cơ quan, đơn vị"))
    kind = forms.ChoiceField(label=_("Đối tượng"), choices=RoleModelKind.choices)
    name = forms.CharField(label=_("Họ và tên / tên tập thể"), max_length=255)
    achievement = forms.CharField(
        label=_("Thành tích nổi bật"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
