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
    "recused": _(
        "Thành viên %(member)s không biểu quyết cho %(nominee)s: %(reason)s "
        "(nguyên tắc tránh xung đột lợi ích của Hội đồng)."
    ),
    "absent": _(
        "Thành viên %(member)s được ghi vắng mặt: ý kiến về %(nominee)s gửi bằng văn bản "
        "để thư ký Hội đồng ghi nhận (Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP)."
    ),
    "bad_choice": _("Lựa chọn không hợp lệ: chỉ “Đồng ý” hoặc “Không đồng ý”."),
    "unknown_member": _("Thành viên không thuộc Hội đồng trong nhiệm kỳ của phiên họp."),
    "title_required": _("Nội dung phiên họp: bắt buộc."),
    "closed": _("Phiên họp đã kết thúc: không thể ghi nhận thêm."),
    "written_present": _(
        "Thành viên %(member)s có mặt tại phiên họp: ý kiến bằng văn bản về %(nominee)s chỉ "
        "dành cho thành viên vắng mặt (Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP)."
    ),
    "written_document_required": _(
        "Ý kiến bằng văn bản của %(member)s về %(nominee)s: cần tệp văn bản hoặc số và ngày "
        "văn bản (Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP)."
    ),
    "written_duplicate": _(
        "Thành viên %(member)s đã có phiếu hoặc ý kiến về %(nominee)s trong phiên họp này: "
        "mỗi thành viên một phiếu cho mỗi người được đề nghị."
    ),
    "present_with_written": _(
        "Thành viên %(member)s đã có ý kiến bằng văn bản ghi nhận khi vắng mặt: không thể ghi "
        "có mặt (Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP)."
    ),
    "recusal_after_ballot": _(
        "Thành viên %(member)s đã có phiếu cho %(nominee)s: không thể ghi không biểu quyết "
        "sau khi phiếu đã nhận (phiếu kín không thể rút)."
    ),
    "already_recused": _("Thành viên %(member)s đã được ghi không biểu quyết cho %(nominee)s."),
    "ordinary_meeting": _(
        "Phiên họp thường kỳ không xét khen thưởng: hồ sơ %(reference)s cần phiên họp xét khen "
        "thưởng (điều kiện họp %(quorum)s tổng số thành viên, %(basis)s)."
    ),
}
