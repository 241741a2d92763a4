from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier

from .models import Choice, Council


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


class WrittenOpinionForm(forms.Form):
    """An absent member's written opinion on one nominee: the document is required (a file,
    or its number and date); the service checks the rest."""

    member = forms.TypedChoiceField(label=_("Thành viên vắng mặt"), coerce=int)
    nominee = forms.TypedChoiceField(label=_("Người được đề nghị"), coerce=int)
    choice = forms.ChoiceField(label=_("Ý kiến"), choices=Choice.choices)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=64, required=False)
    document_date = forms.DateField(
        label=_("Ngày văn bản"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    document = forms.FileField(label=_("Tệp văn bản (PDF, ảnh)"), required=False)

    def __init__(self, *args, meeting, absent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(a.member_id, a.member.name) for a in absent]
        self.fields["nominee"].choices = [
            (n.pk, n.full_name)
            for item in meeting.items.select_related("dossier")
            for n in item.dossier.active_nominees()
        ]


# The largest id a database integer column holds: a bigger posted number is not an id.
MAX_ID = 2**63 - 1


class AgendaChoiceForm(forms.Form):
    """The id posted by the agenda page's add / remove buttons, checked before any service:
    a dossier that exists (the service says whether it is before this council), an item of
    this meeting's agenda."""

    dossier = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    item = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.action = self.data.get("action")

    def clean(self):
        data = super().clean()
        if self.action == "add" and not (
            data.get("dossier") and Dossier.objects.filter(pk=data["dossier"]).exists()
        ):
            self.add_error("dossier", self.problem("add"))
        if self.action == "remove" and not (
            data.get("item") and self.meeting.items.filter(pk=data["item"]).exists()
        ):
            self.add_error("item", self.problem("remove"))
        return data

    def problem(self, action: str) -> str:
        if action == "add":
            return _(
                "Hồ sơ: giá trị đã chọn không hợp lệ hoặc hồ sơ không còn. "
                "Tải lại trang và chọn lại."
            )
        return _(
            "Hồ sơ trong chương trình: mục đã chọn không còn trong chương trình họp. Tải lại trang."
        )


class BallotForm(forms.Form):
    """One member's ballot: a choice per nominee still open to him, then the confirmation.

    Bound to the POST, it gives every choice back to the page when something is missing, so
    nothing is lost. A ballot that leaves someone out needs `partial` ticked: the member is
    told how many he chose and that those left out get no vote from him (issue 12).
    """

    confirm = forms.BooleanField(label=_("Tôi hiểu phiếu đã gửi không thể sửa."), required=False)
    partial = forms.BooleanField(
        label=_("Tôi vẫn gửi phiếu cho những người đã chọn."), required=False
    )

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = list(nominees)
        for nominee in self.nominees:
            self.fields[self.key(nominee)] = forms.ChoiceField(
                label=nominee.full_name,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": _(
                        "%(nominee)s: lựa chọn không hợp lệ, chỉ “Đồng ý” hoặc “Không đồng ý”."
                    )
                    % {"nominee": nominee.full_name}
                },
            )

    @staticmethod
    def key(nominee) -> str:
        return f"nominee-{nominee.pk}"

    def choice_fields(self):
        return [self[self.key(nominee)] for nominee in self.nominees]

    @property
    def chosen(self) -> dict[int, str]:
        """Nominee id -> choice, for the nominees given a valid choice."""
        data = getattr(self, "cleaned_data", {})
        return {n.pk: data[self.key(n)] for n in self.nominees if data.get(self.key(n))}

    def clean(self):
        data = super().clean()
        if not self.nominees or any(self.key(n) in self.errors for n in self.nominees):
            return data
        chosen, total = len(self.chosen), len(self.nominees)
        if not chosen:
            self.add_error(
                self.key(self.nominees[0]),
                _(
                    "Phiếu biểu quyết: bạn chưa chọn cho người nào. Hãy chọn “Đồng ý” hoặc "
                    "“Không đồng ý” cho từng người."
                ),
            )
            return data
        if chosen < total and not data.get("partial"):
            self.add_error("partial", partial_warning(chosen, total))
        if not data.get("confirm"):
            self.add_error(
                "confirm", _("Xác nhận gửi phiếu: hãy đánh dấu, vì phiếu đã gửi không thể sửa.")
            )
        return data

    @property
    def needs_partial(self) -> bool:
        """Show the "send anyway" box: the member was warned, or had already ticked it."""
        return "partial" in self.errors or bool(self.data.get("partial"))


PARTIAL_WARNING = _(
    "Bạn mới chọn %(chosen)d/%(total)d người; những người chưa chọn sẽ không được tính phiếu."
)
CHOSEN_COUNT = _("Đã chọn %(chosen)d/%(total)d người.")


def partial_warning(chosen: int, total: int) -> str:
    return PARTIAL_WARNING % {"chosen": chosen, "total": total}
