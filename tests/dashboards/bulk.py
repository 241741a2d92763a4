"""Many dossiers fast, for the query-count tests: bulk_create, not the services.

Honest where it is used: the tests that use it measure how many queries a *page* makes as
the rows grow, not what a transition writes. The rows are the ones the services would leave
(a dossier, its current route stage entered, its running clock, its nominees, its folded
search text), and the same tests also check, with dossiers made through the real services,
that the page counts them (tests/dashboards/test_home.py).
"""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from councils.models import Attendance, Council, CouncilMember, Meeting, MeetingStatus
from decisions.models import Decision, DecisionStatus
from dossiers.models import AwardType, Dossier, DossierStage, Nominee
from dossiers.search import search_text_for
from workflow.models import StageDeadline
from workflow.states import DossierStatus as S
from workflow.states import StageTier

_serial = itertools.count(1)

# One of each thing the home pages count: (status, stage?, received?, clock due in days)
KINDS = (
    ("draft", S.DRAFT, False, False, None),
    ("returned", S.RETURNED, True, True, None),
    ("to_receive", S.PROVINCIAL_APPRAISAL, True, False, None),
    ("to_appraise", S.PROVINCIAL_APPRAISAL, True, True, 12),
    ("overdue", S.PROVINCIAL_APPRAISAL, True, True, -3),
    ("to_council", S.PROVINCIAL_COUNCIL, True, True, None),
    ("to_decide", S.AWAITING_DECISION, True, True, None),
    ("decided", S.DECIDED, True, True, None),
    ("to_approve", S.UNIT_REVIEW, False, False, None),
)


def bulk_dossiers(
    n: int,
    *,
    proposer,
    stage_org,
    created_by,
    award_code: str = "bang-khen-tinh",
    today: date | None = None,
) -> list[Dossier]:
    """`n` dossiers of `proposer`, cycling through KINDS; the stage ones sit at `stage_org`."""
    today = today or timezone.localdate()
    award = AwardType.objects.get(code=award_code, rule_set__code="rs-2025")
    now = timezone.now()
    kinds = [KINDS[i % len(KINDS)] for i in range(n)]
    dossiers = []
    for label, status, _staged, _received, _due in kinds:
        number = next(_serial)
        reference = f"HB-{number:06d}"
        title = f"Đề nghị khen thưởng số {number} ({label})"
        names = [f"Hoàng Thị Mai {number}"]
        dossiers.append(
            Dossier(
                reference=reference,
                proposer=proposer,
                award_type=award,
                year=2026,
                title=title,
                status=status,
                returned_reason="Thiếu biên bản họp xét." if status == S.RETURNED else "",
                created_by=created_by,
                search_text=search_text_for(reference, title, names),
            )
        )
    Dossier.objects.bulk_create(dossiers)
    stages = []
    for dossier, (_label, _status, staged, received, _due) in zip(dossiers, kinds, strict=True):
        if staged:
            stages.append(
                DossierStage(
                    dossier=dossier,
                    position=1,
                    tier=StageTier.PROVINCIAL,
                    organisation=stage_org,
                    entered_at=now,
                    received_complete_on=today - timedelta(days=20) if received else None,
                )
            )
    DossierStage.objects.bulk_create(stages)
    by_dossier = {s.dossier_id: s for s in stages}
    for dossier in dossiers:
        dossier.current_stage = by_dossier.get(dossier.pk)
    Dossier.objects.bulk_update(dossiers, ["current_stage"])
    clocks = []
    for dossier, (_label, _status, _staged, _received, due) in zip(dossiers, kinds, strict=True):
        if due is not None:
            stage = by_dossier[dossier.pk]
            clocks.append(
                StageDeadline(
                    stage=stage,
                    dossier=dossier,
                    organisation=stage_org,
                    round=1,
                    limit_days=20,
                    started_on=today - timedelta(days=20),
                    due_on=today + timedelta(days=due),
                )
            )
    StageDeadline.objects.bulk_create(clocks)
    Nominee.objects.bulk_create(
        Nominee(
            dossier=d,
            kind="individual",
            full_name=f"Hoàng Thị Mai {d.reference}",
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ.",
        )
        for d in dossiers
    )
    return dossiers


def bulk_draft_decisions(n: int, *, issuer, created_by, award_code: str = "bang-khen-tinh"):
    award = AwardType.objects.get(code=award_code, rule_set__code="rs-2025")
    return Decision.objects.bulk_create(
        Decision(
            issuer=issuer,
            award_type=award,
            status=DecisionStatus.DRAFT,
            title=f"Về việc tặng Bằng khen, dự thảo {next(_serial)}",
            created_by=created_by,
        )
        for _ in range(n)
    )


def bulk_open_meetings(n: int, *, council: Council, member: CouncilMember, created_by):
    """`n` open sessions of `council`, `member` seated with a vote at each."""
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            council=council,
            title=f"Phiên họp xét khen thưởng {next(_serial)}",
            scheduled_for=now + timedelta(days=1),
            voting_closes_at=now + timedelta(days=2),
            online=True,
            status=MeetingStatus.OPEN,
            year=now.year,
            created_by=created_by,
        )
        for _ in range(n)
    )
    Attendance.objects.bulk_create(Attendance(meeting=m, member=member) for m in meetings)
    return meetings
