"""Display helpers: Vietnamese name order, state and action labels for the timeline."""

from django import template
from django.utils.translation import gettext_lazy as _

from workflow.states import DossierStatus

register = template.Library()

ACTION_LABELS = {
    "create": _("Lập hồ sơ"),
    "update": _("Sửa tờ trình"),
    "add_nominee": _("Thêm người được đề nghị"),
    "update_nominee": _("Sửa thông tin người được đề nghị"),
    "remove_nominee": _("Bỏ người được đề nghị"),
    "upload": _("Tải lên tài liệu"),
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
}


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
        return value


@register.filter
def action_label(value: str) -> str:
    return ACTION_LABELS.get(value, value)
