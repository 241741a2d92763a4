"""The dossier's business states (the single source of truth is Dossier.status)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    UNIT_REVIEW = "unit_review", _("Đơn vị xét duyệt")
    INTERMEDIATE_APPRAISAL = "intermediate_appraisal", _("Cấp xã/huyện tiếp nhận, thẩm định")
    INTERMEDIATE_COUNCIL = "intermediate_council", _("Hội đồng TĐKT cấp xã/huyện xét")
    PROVINCIAL_APPRAISAL = "provincial_appraisal", _("Cấp tỉnh tiếp nhận, thẩm định")
    PROVINCIAL_COUNCIL = "provincial_council", _("Hội đồng TĐKT tỉnh xét")
    AWAITING_DECISION = "awaiting_decision", _("Chờ quyết định")
    DECIDED = "decided", _("Đã có quyết định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    NOT_APPROVED = "not_approved", _("Không được đề nghị")
    WITHDRAWN = "withdrawn", _("Đã rút")


class StageTier(models.TextChoices):
    """Where a route stage sits; the organisation comes from the proposer's ancestors."""

    UNIT = "unit", _("Đơn vị đề nghị")
    INTERMEDIATE = "intermediate", _("Cấp trung gian (huyện, xã hoặc sở, ngành)")
    PROVINCIAL = "provincial", _("Cấp tỉnh")


APPRAISAL_STATE = {
    StageTier.INTERMEDIATE: DossierStatus.INTERMEDIATE_APPRAISAL,
    StageTier.PROVINCIAL: DossierStatus.PROVINCIAL_APPRAISAL,
}
COUNCIL_STATE = {
    StageTier.INTERMEDIATE: DossierStatus.INTERMEDIATE_COUNCIL,
    StageTier.PROVINCIAL: DossierStatus.PROVINCIAL_COUNCIL,
}
APPRAISAL_STATES = (DossierStatus.INTERMEDIATE_APPRAISAL, DossierStatus.PROVINCIAL_APPRAISAL)
COUNCIL_STATES = (DossierStatus.INTERMEDIATE_COUNCIL, DossierStatus.PROVINCIAL_COUNCIL)
RETURNABLE_STATES = (DossierStatus.UNIT_REVIEW, *APPRAISAL_STATES)
# A stage resumes where it was returned from; the states a resubmission may land in.
RESUMABLE_STATES = RETURNABLE_STATES
OPEN_STATES = (
    DossierStatus.UNIT_REVIEW,
    *APPRAISAL_STATES,
    *COUNCIL_STATES,
    DossierStatus.AWAITING_DECISION,
    DossierStatus.RETURNED,
)
FINAL_STATES = (DossierStatus.DECIDED, DossierStatus.NOT_APPROVED, DossierStatus.WITHDRAWN)
