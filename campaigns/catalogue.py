"""The one catalogue row the cluster's vote needs: "Bình xét, suy tôn trong cụm thi đua".

A council meeting (councils.services) votes on the nominees of a dossier that stands before
that council. The cluster's vote is therefore a dossier of the cluster's node (its standing
office files it, with the leading members of the ranking as collective nominees) whose
route ends at the cluster itself, with the members' representatives as its council. It is
not an award: it records the vote; its winner is then proposed for the Cờ thi đua (or a
Bằng khen) in a dossier of its own, routed like any other. Rule-set data, created once per
rule set and editable by an administrator (threshold, secret ballot, limit).
"""

from django.db import transaction

from dossiers.models import AwardType, RouteStage, RuleSet, Subject
from organisations.models import Level
from workflow.states import StageTier

VOTE_AWARD_CODE = "suy-ton-cum"
VOTE_BASIS = "Quy chế hoạt động của cụm, khối thi đua; giao ước thi đua của năm"


@transaction.atomic
def ensure_vote_award(rule_set: RuleSet) -> AwardType:
    """The vote's catalogue row in `rule_set` (idempotent; an administrator's edits stay)."""
    award, created = AwardType.objects.get_or_create(
        rule_set=rule_set,
        code=VOTE_AWARD_CODE,
        defaults={
            "name": "Bình xét, suy tôn trong cụm, khối thi đua",
            "subject": Subject.COLLECTIVE,
            "deciding_authority": "Hội nghị tổng kết của cụm, khối thi đua",
            "basis": VOTE_BASIS,
            "note": "Không phải hình thức khen thưởng: ghi nhận kết quả suy tôn của cụm.",
            "decision_title": "Kết quả bình xét, suy tôn của cụm, khối thi đua",
        },
    )
    if created:
        RouteStage.objects.create(
            award_type=award,
            position=0,
            tier=StageTier.UNIT,
            levels=[],
            has_council=False,
            limit_days=5,
        )
        # The cluster's node is a unit-level node: the deciding stage lands on it, and its
        # council (the members' representatives) votes, by secret ballot, more than half of
        # all members (provincial default; the covenant or the cluster's rules may differ).
        RouteStage.objects.create(
            award_type=award,
            position=1,
            tier=StageTier.INTERMEDIATE,
            levels=[Level.UNIT],
            has_council=True,
            limit_days=20,
            threshold_num=1,
            threshold_den=2,
            threshold_strict=True,
            threshold_base="all_members",
            secret_ballot=True,
            basis=VOTE_BASIS,
            note="Tỷ lệ suy tôn: trên 1/2 tổng số thành viên (mặc định, sửa được).",
        )
    return award
