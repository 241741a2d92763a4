"""Refusals of council actions, each with a code and a Vietnamese message naming the reason."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


def refused(code: str, *, field: str | None = None, **params) -> DomainError:
    return DomainError(code, MESSAGES[code] % params if params else MESSAGES[code], field=field)


MESSAGES = {
    "no_permission": _("Bạn không có quyền thực hiện thao tác này với phiên họp."),
    "not_draft": _("Phiên họp đã mở hoặc đã kết thúc: không thể sửa chương trình, điểm danh."),
    "not_open": _("Phiên họp không trong thời gian bỏ phiếu (chưa mở hoặc đã kết thúc)."),
    "empty_agenda": _("Chương trình họp chưa có hồ sơ nào."),
    "no_members": _("Hội đồng chưa có thành viên có quyền biểu quyết trong nhiệm kỳ."),
    "dossier_not_at_council": _(
        "Hồ sơ %(reference)s không ở bước Hội đồng TĐKT của %(organisation)s."
    ),
    "already_on_agenda": _(
        "Hồ sơ %(reference)s đã có trong chương trình phiên họp “%(meeting)s” chưa kết thúc."
    ),
    "not_a_member": _("Bạn không phải thành viên có quyền biểu quyết của phiên họp này."),
    "not_on_agenda": _("Người được đề nghị này không có trong chương trình phiên họp."),
    "recused": _("Bạn không biểu quyết cho %(nominee)s (%(reason)s): tránh xung đột lợi ích."),
    "absent": _(
        "Bạn được ghi vắng mặt và quy định của hình thức này không tính phiếu gửi "
        "của thành viên vắng mặt."
    ),
    "bad_choice": _("Lựa chọn không hợp lệ: chỉ “Đồng ý” hoặc “Không đồng ý”."),
    "unknown_member": _("Thành viên không thuộc Hội đồng trong nhiệm kỳ của phiên họp."),
    "title_required": _("Nội dung phiên họp: bắt buộc."),
}
