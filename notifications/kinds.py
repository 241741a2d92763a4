"""Every kind of notice the code sends; the value is the template slug and the row's `template`.

A kind named here has its own wording: `templates/notifications/<kind>.{subject.txt,txt,html}`
(Vietnamese, the source) and `templates/notifications/en/<kind>.*` (English). The system check
`notifications.E002` (checks.py) refuses a kind without them unless it is in `USES_DEFAULT`,
and `outbox.enqueue` refuses a slug that is not a kind, so a typo cannot fall back silently to
the generic `default` text (which prints empty fields for most kinds).

Pure: no models, no other app. Callers may pass the plain strings equal to the values.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class NoticeKind(TextChoices):
    # workflow/services.py: who acts next, and what the proposing unit hears.
    DOSSIER_ACTION_NEEDED = "dossier_action_needed", _("Hồ sơ chờ xử lý")
    DOSSIER_STATUS_CHANGED = "dossier_status_changed", _("Hồ sơ chuyển bước")
    DOSSIER_RECEIVED_COMPLETE = "dossier_received_complete", _("Hồ sơ được tiếp nhận đầy đủ")
    DOSSIER_RETURNED = "dossier_returned", _("Hồ sơ bị trả lại để bổ sung")
    DOSSIER_FOR_COUNCIL = "dossier_for_council", _("Hồ sơ chờ Hội đồng xét")
    DOSSIER_NOT_APPROVED = "dossier_not_approved", _("Hồ sơ không được đề nghị")
    DOSSIER_DECIDED = "dossier_decided", _("Hồ sơ đã có quyết định khen thưởng")
    DOSSIER_WITHDRAWN = "dossier_withdrawn", _("Hồ sơ bị rút")
    # workflow/deadlines.py: the reminder sweep.
    DEADLINE_REMINDER = "deadline_reminder", _("Nhắc hạn xử lý hồ sơ")
    DEADLINE_OVERDUE = "deadline_overdue", _("Hồ sơ đã quá hạn xử lý")
    # councils/services.py: a meeting opens its ballots.
    COUNCIL_BALLOT_OPEN = "council_ballot_open", _("Phiên họp mở bỏ phiếu")
    # councils/services.py::remind_non_voters: the secretariat reminds those yet to vote.
    COUNCIL_BALLOT_REMINDER = "council_ballot_reminder", _("Nhắc bỏ phiếu")
    # decisions/services.py: the signing step (trình ký, trả lại).
    DECISION_FOR_SIGNATURE = "decision_for_signature", _("Dự thảo quyết định trình ký")
    DECISION_RETURNED = "decision_returned", _("Dự thảo quyết định bị trả lại")


# Kinds that deliberately use the generic `default` wording instead of files of their own.
# Empty: every kind has its own. Prefer writing templates to adding a kind here.
USES_DEFAULT: frozenset[NoticeKind] = frozenset()


def notice_kind(value: str) -> NoticeKind:
    """The kind named by `value` (a NoticeKind or its plain string); ValueError if none is."""
    try:
        return NoticeKind(value)
    except ValueError:
        raise ValueError(
            f"unknown notice kind {value!r}: add it to notifications.kinds.NoticeKind "
            "with its templates, or use one of " + ", ".join(kind.value for kind in NoticeKind)
        ) from None
