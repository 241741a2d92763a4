"""Roles and the object permissions each role grants on its organisation.

Roles are data on `Membership`; each maps to a Django group (for menus and the admin) and
to guardian object permissions on the organisation (for every access decision). Groups hold
no model-level dossier permission: guardian's get_objects_for_user() accepts global
permissions by default, so a model-level grant would let a user see every unit's dossiers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROPOSER = "proposer", _("Cán bộ phụ trách thi đua (người lập hồ sơ)")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    SECRETARIAT = "secretariat", _("Cơ quan thường trực (Phòng/Ban Thi đua – Khen thưởng)")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    COUNCIL_CHAIR = "council_chair", _("Chủ tịch Hội đồng TĐKT")
    SIGNING_AUTHORITY = "signing_authority", _("Người ký quyết định (Chủ tịch/Phó Chủ tịch UBND)")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class Perm:
    """Codenames of object permissions on `organisations.Organisation`."""

    FILE_DOSSIER = "file_dossier"
    APPROVE_UNIT_DOSSIER = "approve_unit_dossier"
    VIEW_DOSSIERS = "view_dossiers"
    RECEIVE_DOSSIER = "receive_dossier"
    MANAGE_MEETINGS = "manage_meetings"
    VOTE = "vote_in_council"
    CHAIR_COUNCIL = "chair_council"
    SIGN_DECISION = "sign_decision"
    ADMINISTER = "administer"

    @staticmethod
    def full(codename: str) -> str:
        return f"organisations.{codename}"


PERMISSION_LABELS = (
    (Perm.FILE_DOSSIER, "Lập, sửa và gửi hồ sơ đề nghị khen thưởng của đơn vị"),
    (Perm.APPROVE_UNIT_DOSSIER, "Duyệt hồ sơ ở cấp đơn vị"),
    (Perm.VIEW_DOSSIERS, "Xem hồ sơ của đơn vị hoặc gửi tới đơn vị"),
    (Perm.RECEIVE_DOSSIER, "Tiếp nhận, kiểm tra, thẩm định và trả hồ sơ"),
    (Perm.MANAGE_MEETINGS, "Chuẩn bị phiên họp Hội đồng TĐKT"),
    (Perm.VOTE, "Bỏ phiếu trong Hội đồng TĐKT"),
    (Perm.CHAIR_COUNCIL, "Chủ trì phiên họp Hội đồng TĐKT"),
    (Perm.SIGN_DECISION, "Ký quyết định khen thưởng"),
    (Perm.ADMINISTER, "Quản trị danh mục, quy trình, hội đồng và lịch làm việc"),
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.PROPOSER: (Perm.FILE_DOSSIER, Perm.VIEW_DOSSIERS),
    Role.UNIT_HEAD: (Perm.APPROVE_UNIT_DOSSIER, Perm.VIEW_DOSSIERS),
    Role.SECRETARIAT: (Perm.RECEIVE_DOSSIER, Perm.MANAGE_MEETINGS, Perm.VIEW_DOSSIERS),
    Role.COUNCIL_MEMBER: (Perm.VOTE, Perm.VIEW_DOSSIERS),
    Role.COUNCIL_CHAIR: (Perm.VOTE, Perm.CHAIR_COUNCIL, Perm.VIEW_DOSSIERS),
    Role.SIGNING_AUTHORITY: (Perm.SIGN_DECISION, Perm.VIEW_DOSSIERS),
    Role.ADMINISTRATOR: (Perm.ADMINISTER,),
}
