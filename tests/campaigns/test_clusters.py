"""A cluster of 7: self-assessments, the cluster's review, the ranking with ties resolved by
the covenant's rule, the vote of the members' representatives, the Cờ dossier of the winner."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEvent
from campaigns import services
from campaigns.models import ClusterFlagRule, ClusterYear, Score, ScoreRound
from campaigns.ranking import TieBreak
from core.errors import DomainError
from councils import services as councils
from councils.models import Meeting
from dossiers.models import DocumentCategory, Dossier
from tests import factories as f
from workflow.states import DossierStatus

from .conftest import LEADER, MEMBERS

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 12, 15, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# Review scores (criteria: 50/50, 30/30, 20 weight over a max of 10): totals 90, 90, 83, 83,
# 76, 69, 62. so-y-te and tan-doan tie at 90; so-y-te scores more in the heaviest criterion.
# trang-cac and so-gddt tie at 83 on every criterion; trang-cac has 72 % women (≥ 70 %).
REVIEW = {
    "so-y-te": (45, 25, 10),
    "tan-doan": (40, 30, 10),
    "trang-cac": (40, 25, 9),
    "so-gddt": (40, 25, 9),
    "hop-thanh": (38, 22, 8),
    "xuat-le": (35, 20, 7),
    "so-noi-vu": (30, 20, 6),
}


def criteria_of(covenant):
    return list(covenant.criteria.order_by("position"))


def self_assess_all(cluster_year, covenant):
    criteria = criteria_of(covenant)
    for member in cluster_year.members.select_related("organisation"):
        code = member.organisation.code
        scores = {
            c.pk: (min(Decimal(v) + 1, c.max_score), f"Báo cáo số 12/BC-{code}")
            for c, v in zip(criteria, REVIEW[code], strict=True)
        }
        services.record_scores(
            member.pk, by=f.user(f"{code}.thiduakhenthuong"), round=ScoreRound.SELF, scores=scores
        )


def review_all(cluster_year, covenant, office):
    criteria = criteria_of(covenant)
    for member in cluster_year.members.select_related("organisation"):
        scores = {
            c.pk: (v, "Đối chiếu báo cáo")
            for c, v in zip(criteria, REVIEW[member.organisation.code], strict=True)
        }
        services.record_scores(member.pk, by=office, round=ScoreRound.REVIEW, scores=scores)


def test_seven_members_are_ranked_by_the_review_with_ties_resolved_by_the_rule(
    cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)

    standing = services.cluster_standing(ClusterYear.objects.get(pk=cluster_year.pk))

    assert standing.complete
    assert len(standing.rows) == 7
    order = [(r.place, r.member.organisation.code, r.total) for r in standing.rows]
    assert order == [
        (1, "so-y-te", Decimal("90.00")),
        (2, "tan-doan", Decimal("90.00")),
        (3, "trang-cac", Decimal("83.00")),
        (4, "so-gddt", Decimal("83.00")),
        (5, "hop-thanh", Decimal("76.00")),
        (6, "xuat-le", Decimal("69.00")),
        (7, "so-noi-vu", Decimal("62.00")),
    ]
    by_code = {r.member.organisation.code: r for r in standing.rows}
    assert by_code["so-y-te"].resolved_by == TieBreak.HEAVIEST_CRITERION
    assert by_code["trang-cac"].resolved_by == TieBreak.WOMEN_SHARE
    assert by_code["hop-thanh"].resolved_by is None  # no equal total
    assert by_code["hop-thanh"].is_leader
    # The self-assessment is shown beside the review (one more point per criterion).
    assert by_code["so-y-te"].self_total > by_code["so-y-te"].total


def test_a_covenant_may_state_another_rule_and_the_ranking_follows_it(
    cluster_year, office, covenant
):
    """Women's share first: the 72 % collective goes ahead of its equal at 68 %, and with
    `name` only, the tie at 83 is broken alphabetically instead (Sở GD&ĐT before Xã Tràng Các)."""
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    covenant.tie_break = ["name"]
    covenant.save(update_fields=["tie_break"])

    rows = services.cluster_standing(ClusterYear.objects.get(pk=cluster_year.pk)).rows

    codes = [r.member.organisation.code for r in rows]
    assert codes.index("so-gddt") < codes.index("trang-cac")
    assert codes.index("so-y-te") < codes.index("tan-doan")  # "Sở Y tế" < "Xã Tân Đoàn"


def test_the_review_needs_the_self_assessment_and_its_evidence(cluster_year, covenant, office):
    member = cluster_year.members.get(organisation__code="so-y-te")
    criteria = criteria_of(covenant)
    full = {c.pk: (c.max_score, "") for c in criteria}
    before = Score.objects.count()

    with pytest.raises(DomainError) as no_self:
        services.record_scores(member.pk, by=office, round=ScoreRound.REVIEW, scores=full)
    with pytest.raises(DomainError) as no_evidence:
        services.record_scores(
            member.pk, by=f.user("so-y-te.thiduakhenthuong"), round=ScoreRound.SELF, scores=full
        )
    with pytest.raises(DomainError) as other_unit:
        services.record_scores(
            member.pk,
            by=f.user("so-gddt.thiduakhenthuong"),
            round=ScoreRound.SELF,
            scores={c.pk: (1, "x") for c in criteria},
        )
    over = {c.pk: (c.max_score + 1, "x") for c in criteria}
    with pytest.raises(DomainError) as too_high:
        services.record_scores(
            member.pk, by=f.user("so-y-te.thiduakhenthuong"), round=ScoreRound.SELF, scores=over
        )

    assert no_self.value.code == "round_order"
    assert no_evidence.value.code == "evidence_required"
    assert "báo cáo thống kê có xác nhận" in no_evidence.value.text()
    assert other_unit.value.code == "no_permission"
    assert too_high.value.code == "score_out_of_range"
    assert Score.objects.count() == before


def test_a_second_review_where_the_covenant_asks_for_it_decides_the_ranking(
    cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    covenant.second_review = True
    covenant.save(update_fields=["second_review"])
    member = cluster_year.members.get(organisation__code="so-noi-vu")
    full = {c.pk: (c.max_score, "Phúc tra hồ sơ") for c in criteria_of(covenant)}

    with pytest.raises(DomainError) as by_cluster_office:
        services.record_scores(member.pk, by=office, round=ScoreRound.SECOND_REVIEW, scores=full)
    assert by_cluster_office.value.code == "no_permission"
    standing = services.cluster_standing(ClusterYear.objects.get(pk=cluster_year.pk))
    assert not standing.complete  # nobody has a second review yet

    organiser = f.user("lang-son.vanphong")
    for m in cluster_year.members.all():
        scores = {
            c.pk: (c.max_score if m.pk == member.pk else 0, "Phúc tra")
            for c in criteria_of(covenant)
        }
        services.record_scores(m.pk, by=organiser, round=ScoreRound.SECOND_REVIEW, scores=scores)
    standing = services.cluster_standing(ClusterYear.objects.get(pk=cluster_year.pk))
    assert standing.complete
    assert standing.rows[0].member.organisation.code == "so-noi-vu"


def run_the_vote(cluster_year, office, *, agree: dict[str, int]):
    """The office puts the top three to the vote; each representative votes on the ballot
    (agree for the first `agree[code]` representatives, disagree for the rest)."""
    meeting = services.prepare_cluster_vote(
        cluster_year.pk, by=office, scheduled_for=WHEN, candidates=3
    )
    councils.record_attendance(meeting.pk, by=office, absent={})
    councils.open_meeting(meeting.pk, by=office)
    dossier = ClusterYear.objects.get(pk=cluster_year.pk).vote_dossier
    nominees = {n.identity_code: n for n in dossier.active_nominees()}
    assert set(nominees) == set(agree)
    for index, code in enumerate(MEMBERS):
        voter = f.user(f"{code}.thutruong")
        for candidate, yes in agree.items():
            choice = "agree" if index < yes else "disagree"
            councils.cast_ballot(
                meeting.pk, by=voter, nominee_id=nominees[candidate].pk, choice=choice
            )
    councils.close_meeting(meeting.pk, by=office)
    return Meeting.objects.get(pk=meeting.pk)


def test_the_vote_of_the_representatives_creates_the_flag_dossier_of_the_winner(
    cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)

    # 6 agree for each of the two at 90: the ranking (heaviest criterion) decides; the third
    # gets 3 of 7, not more than half of all members, and fails.
    meeting = run_the_vote(
        cluster_year, office, agree={"so-y-te": 6, "tan-doan": 6, "trang-cac": 3}
    )
    row = ClusterYear.objects.get(pk=cluster_year.pk)
    winner = services.vote_winner(row)
    assert meeting.number == 1
    assert winner.organisation.code == "so-y-te"
    assert winner.agree == 6
    assert winner.place == 1

    flag = f.award("co-thi-dua-tinh")
    proposal = services.propose_vote_winner(row.pk, by=office, award_type=flag)

    proposal = Dossier.objects.get(pk=proposal.pk)
    assert proposal.award_type == flag
    assert proposal.status == DossierStatus.DRAFT
    assert proposal.proposer == row.cluster.body
    assert proposal.year == 2026
    assert [(n.kind, n.identity_code) for n in proposal.active_nominees()] == [
        ("collective", "so-y-te")
    ]
    assert "6 thành viên suy tôn" in proposal.active_nominees()[0].achievement_summary
    # The vote's own dossier is closed, citing the minutes; the proposal is the cluster's.
    vote = Dossier.objects.get(pk=row.vote_dossier_id)
    assert vote.status == DossierStatus.DECIDED
    assert ClusterYear.objects.get(pk=row.pk).proposal_id == proposal.pk

    # Routed like any other: with its documents it goes to the unit head, then the province.
    for category in proposal.required_categories():
        f.upload(proposal, office, category)
    services.submit_cluster_proposal(row.pk, by=office)
    assert Dossier.objects.get(pk=proposal.pk).status == DossierStatus.UNIT_REVIEW
    assert DocumentCategory.CLUSTER_SCORE in proposal.required_categories()


def test_scores_are_frozen_once_the_vote_is_prepared(cluster_year, covenant, office):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    services.prepare_cluster_vote(cluster_year.pk, by=office, scheduled_for=WHEN)
    member = cluster_year.members.get(organisation__code="so-noi-vu")
    full = {c.pk: (c.max_score, "x") for c in criteria_of(covenant)}

    with pytest.raises(DomainError) as frozen:
        services.record_scores(member.pk, by=office, round=ScoreRound.REVIEW, scores=full)
    assert frozen.value.code == "scores_frozen"


def test_the_vote_waits_for_a_complete_ranking_and_changes_nothing(cluster_year, covenant, office):
    self_assess_all(cluster_year, covenant)
    events, dossiers = AuditEvent.objects.count(), Dossier.objects.count()

    with pytest.raises(DomainError) as incomplete:
        services.prepare_cluster_vote(cluster_year.pk, by=office, scheduled_for=WHEN)

    assert incomplete.value.code == "ranking_incomplete"
    assert (AuditEvent.objects.count(), Dossier.objects.count()) == (events, dossiers)


def test_where_the_province_gives_its_flag_only_to_leaders_a_non_leader_winner_is_refused(
    demo, cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    run_the_vote(cluster_year, office, agree={"so-y-te": 6, "tan-doan": 5, "trang-cac": 3})
    ClusterFlagRule.objects.create(
        province=demo["lang-son"],
        flag_only_to_leader=True,
        award_codes=["co-thi-dua-tinh"],
        basis="Quy chế thi đua, khen thưởng tỉnh (ví dụ), điều 12",
    )
    row = ClusterYear.objects.get(pk=cluster_year.pk)
    vote_status = Dossier.objects.get(pk=row.vote_dossier_id).status
    count = Dossier.objects.count()

    with pytest.raises(DomainError) as refused:
        services.propose_vote_winner(row.pk, by=office, award_type=f.award("co-thi-dua-tinh"))

    assert refused.value.code == "flag_only_to_leader"
    assert "Quy chế thi đua, khen thưởng tỉnh (ví dụ), điều 12" in refused.value.text()
    assert Dossier.objects.count() == count
    assert Dossier.objects.get(pk=row.vote_dossier_id).status == vote_status
    assert ClusterYear.objects.get(pk=row.pk).proposal_id is None
    # A Bằng khen is not the flag: the rule does not apply to it.
    services.propose_vote_winner(row.pk, by=office, award_type=f.award("bang-khen-tinh"))


def test_the_leader_rule_lets_the_leader_through(demo, cluster_year):
    ClusterFlagRule.objects.create(
        province=demo["lang-son"], flag_only_to_leader=True, award_codes=["co-thi-dua-tinh"]
    )
    flag = f.award("co-thi-dua-tinh")
    services.check_flag_goes_to_leader(flag, demo[LEADER], year=2026)
    with pytest.raises(DomainError):
        services.check_flag_goes_to_leader(flag, demo[LEADER], year=2025)


def test_leader_and_deputy_rotate_and_each_year_keeps_its_own(demo, cluster, office):
    members = [demo[c] for c in MEMBERS]
    first = services.open_cluster_year(
        cluster.pk,
        by=office,
        year=2025,
        members=members,
        leader=demo["so-y-te"],
        deputy=demo["hop-thanh"],
    )
    second = services.open_cluster_year(
        cluster.pk,
        by=office,
        year=2026,
        members=members,
        leader=demo["hop-thanh"],
        deputy=demo["xuat-le"],
    )
    with pytest.raises(DomainError) as same:
        services.open_cluster_year(
            cluster.pk,
            by=office,
            year=2027,
            members=members,
            leader=demo["xuat-le"],
            deputy=demo["xuat-le"],
        )
    with pytest.raises(DomainError) as outsider:
        services.open_cluster_year(
            cluster.pk,
            by=office,
            year=2027,
            members=members,
            leader=demo["bvdk-tinh"],
            deputy=demo["xuat-le"],
        )
    history = [(y.year, y.leader.code, y.deputy.code) for y in cluster.years.order_by("year")]
    assert history == [(2025, "so-y-te", "hop-thanh"), (2026, "hop-thanh", "xuat-le")]
    assert (first.pk, second.pk) != (None, None)
    assert same.value.code == "same_leader_deputy"
    assert outsider.value.code == "leader_not_member"


def test_a_rule_switched_on_after_the_draft_still_stops_its_submission(
    demo, cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    run_the_vote(cluster_year, office, agree={"so-y-te": 6, "tan-doan": 5, "trang-cac": 3})
    proposal = services.propose_vote_winner(
        cluster_year.pk, by=office, award_type=f.award("co-thi-dua-tinh")
    )
    for category in proposal.required_categories():
        f.upload(proposal, office, category)
    ClusterFlagRule.objects.create(
        province=demo["lang-son"], flag_only_to_leader=True, award_codes=["co-thi-dua-tinh"]
    )

    with pytest.raises(DomainError) as refused:
        services.submit_cluster_proposal(cluster_year.pk, by=office)

    assert refused.value.code == "flag_only_to_leader"
    assert Dossier.objects.get(pk=proposal.pk).status == DossierStatus.DRAFT
