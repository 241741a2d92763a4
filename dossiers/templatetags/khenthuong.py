"""Display helpers: human names for every code a page could show, tags, form widgets.

{% load khenthuong %}
{{ user|person }}                 Nguyễn Văn An (Vietnamese name order)
{{ code|state_label }}            a DossierStatus code -> its name
{{ code|action_label }}           an audit action -> what happened, in words
{{ code|category_label }}         a DocumentCategory code -> its name
{{ code|tier_label }}             a StageTier code -> its name
{% state_tag status %}            components/tag.html, coloured by the state's group
{% outcome_tag outcome %}         Đạt green / Không đạt red / lower form yellow
{% verdict_tag verdict %}         an eligibility rule's verdict as a tag
{% field_widget field %}          the widget with aria-describedby / aria-invalid set
{% capture as name %}…{% endcapture %}  keep rendered HTML for a component's value
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dossiers.models import DocumentCategory, Outcome
from workflow.states import FINAL_STATES, DossierStatus, StageTier

register = template.Library()

ACTION_LABELS = {
    "create": _("Lập hồ sơ"),
    "update": _("Sửa tờ trình"),
    "add_nominee": _("Thêm người được đề nghị"),
    "update_nominee": _("Sửa thông tin người được đề nghị"),
    "remove_nominee": _("Bỏ người được đề nghị"),
    "upload": _("Tải lên tài liệu"),
    "replace_document": _("Thay tài liệu bằng bản mới"),
    "delete_document": _("Xoá tài liệu"),
    "import_nominees": _("Nhập danh sách người được đề nghị từ tệp Excel"),
    "download": _("Tải xuống tài liệu"),
    "submit": _("Gửi hồ sơ"),
    "approve_at_unit": _("Thủ trưởng đơn vị duyệt, gửi lên cấp trên"),
    "forward": _("Chuyển tiếp"),
    "accept_complete": _("Tiếp nhận hồ sơ đầy đủ"),
    "return_for_supplement": _("Trả lại để bổ sung"),
    "resubmit": _("Gửi lại sau khi bổ sung"),
    "send_to_intermediate_council": _("Trình Hội đồng TĐKT cấp xã/huyện"),
    "send_to_provincial_council": _("Trình Hội đồng TĐKT tỉnh"),
    "conclude_council": _("Ghi nhận kết quả Hội đồng"),
    "drop_nominee": _("Dừng xét một người được đề nghị"),
    "reject": _("Không đề nghị"),
    "decide": _("Ban hành quyết định"),
    "withdraw": _("Rút hồ sơ"),
    "open_posting": _("Công khai danh sách"),
    "reopen_posting": _("Công khai lại danh sách"),
    "raise_objection": _("Ghi nhận ý kiến phản ánh"),
    "answer_objection": _("Trả lời ý kiến phản ánh"),
    "override_eligibility": _("Chấp thuận ngoại lệ về điều kiện"),
    "agenda_added": _("Đưa vào chương trình phiên họp"),
    "agenda_removed": _("Rút khỏi chương trình phiên họp"),
    "link_initiative": _("Gắn sáng kiến làm căn cứ"),
    "back_with_initiative": _("Gắn sáng kiến làm căn cứ"),
    "draft_decision": _("Lập dự thảo quyết định"),
    "issue_decision": _("Ban hành quyết định"),
    "place_hold": _("Tạm dừng xét khen thưởng"),
    "clear_hold": _("Bỏ tạm dừng xét khen thưởng"),
}
OTHER_ACTION = _("Cập nhật hồ sơ")

# GOV.UK tag colours by meaning: a state's group decides its colour, never the state alone.
STATE_COLOURS = {
    DossierStatus.DRAFT: "grey",
    DossierStatus.RETURNED: "yellow",
    DossierStatus.AWAITING_DECISION: "purple",
    DossierStatus.DECIDED: "green",
    DossierStatus.NOT_APPROVED: "red",
    DossierStatus.WITHDRAWN: "grey",
}
OUTCOME_COLOURS = {Outcome.PASSED: "green", Outcome.FAILED: "red", Outcome.DOWNGRADED: "yellow"}
# A council's tally may also be inquorate (councils.voting): no result was recorded.
TALLY_LABELS = {**dict(Outcome.choices), "inquorate": _("Không đủ số thành viên tham dự")}


def _tag(text, colour: str) -> str:
    return render_to_string("components/tag.html", {"text": text, "colour": colour})


@register.filter
def person(user) -> str:
    """Vietnamese order: family and middle names, then the given name (Nguyễn Văn An)."""
    if user is None:
        return "—"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


@register.filter
def state_label(value: str) -> str:
    try:
        return DossierStatus(value).label
    except ValueError:
        return value or ""


@register.filter
def action_label(value: str) -> str:
    return ACTION_LABELS.get(value, OTHER_ACTION)


@register.filter
def category_label(value: str) -> str:
    try:
        return DocumentCategory(value).label
    except ValueError:
        return str(DocumentCategory.OTHER.label)


@register.filter
def tier_label(value: str) -> str:
    try:
        return StageTier(value).label
    except ValueError:
        return ""


@register.filter
def tally_label(value: str) -> str:
    return TALLY_LABELS.get(value, "")


def state_colour(status: str) -> str:
    if status in STATE_COLOURS:
        return STATE_COLOURS[status]
    return "grey" if status in FINAL_STATES else "blue"


@register.simple_tag
def state_tag(status: str) -> str:
    return _tag(state_label(status), state_colour(status))


@register.simple_tag
def outcome_tag(outcome: str) -> str:
    return _tag(TALLY_LABELS.get(outcome, ""), OUTCOME_COLOURS.get(outcome, "grey"))


@register.simple_tag
def verdict_tag(verdict) -> str:
    if verdict.passed:
        return _tag(_("Đạt"), "green")
    if verdict.overridden:
        return _tag(_("Không đạt – đã chấp thuận ngoại lệ"), "yellow")
    return _tag(_("Không đạt"), "red")


@register.simple_tag
def field_widget(field, required=False, hint=None) -> str:
    """The field's widget pointing at its hint and error (ids made by components/field.html)."""
    described = []
    if hint or field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if required:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag
def summary_error(field, error) -> str:
    """An error summary's line: the message alone if it names its field ("Lý do: bắt buộc
    nhập.", as DomainError messages do), else the field's label first."""
    text = str(error)
    return text if ":" in text else f"{field.label}: {text}"


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        # The nodelist renders with autoescaping, so its output is already safe HTML.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: the rendered body, kept in `name`."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
