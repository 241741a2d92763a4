"""Council votes as the law stands since 07/2025 (issue 13): pass marks on all members,
written opinions of absentees, the award-review quorum, the tie-break priority, and
recusal by identity. Pure rules first, then whole sessions through the services."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from docx import Document

from core.errors import DomainError
from councils import services
from councils.identity import MatchKind, Person, match
from councils.minutes import build_minutes
from councils.models import (
    AgendaItem,
    Attendance,
    BallotReceipt,
    CouncilMember,
    MeetingKind,
    NomineeResult,
    Recusal,
    WrittenOpinion,
)
from councils.voting import (
    PRIORITY_NOTE,
    Count,
    Ratio,
    Standing,
    VoteRule,
    has_priority,
    quorate,
    rank,
    tally,
)
from dossiers.models import Dossier, DossierStage, Nominee
from tests import factories as f
from workflow.stage_rules import StageRules

from .conftest import WHEN, chair_of, meeting_with, secretariat_of, voters

BASIS = "Điều 30 khoản 7 Nghị định 98/2023"
# Decree 98/2023 art. 30 §7, as the stage snapshots carry it (catalogue values asked for).
EIGHTY_OF_ALL = {
    "threshold": [4, 5, False],
    "threshold_base": "all_members",
    "count_written_votes": True,
    "secret_ballot": True,
}
NINETY_OF_ALL = {**EIGHTY_OF_ALL, "threshold": [9, 10, False]}


def law(snapshot: dict) -> VoteRule:
    return VoteRule.from_rules(StageRules.from_snapshot(snapshot))


# ---- pure: thresholds, quorum, ranking, identity -----------------------------------


@pytest.mark.parametrize(("agree", "passed"), [(9, True), (8, False)])
def test_eighty_percent_of_a_council_of_eleven(agree, passed):
    """9 × 5 = 45 ≥ 4 × 11 = 44 passes (81.8 %); 8 × 5 = 40 < 44 fails (72.7 %)."""
    rule = law(EIGHTY_OF_ALL)
    result = tally(rule, Count(members=11, present=11, agree=agree, disagree=11 - agree))
    assert (result.base, result.needed, result.passed) == (11, 9, passed)
    assert rule.basis.startswith(BASIS)


@pytest.mark.parametrize(
    ("members", "agree", "passed"),
    [(20, 18, True), (20, 17, False), (19, 17, False), (19, 18, True)],
)
def test_ninety_percent_of_all_members(members, agree, passed):
    """20: 180 ≥ 180 passes, 170 < 180 fails; 19: 170 < 171 fails, 180 ≥ 171 passes."""
    result = tally(law(NINETY_OF_ALL), Count(members=members, present=members, agree=agree))
    assert result.passed is passed


def test_absentees_stay_in_the_base_of_all_members():
    """9 present at a council of 11, all agree: the base is still 11, needed 9."""
    result = tally(law(EIGHTY_OF_ALL), Count(members=11, present=9, agree=9))
    assert (result.base, result.needed, result.passed) == (11, 9, True)


@pytest.mark.parametrize(
    ("present", "quorum", "expected"),
    [
        (9, Ratio(4, 5), True),  # 45 ≥ 44
        (8, Ratio(4, 5), False),  # 40 < 44
        (8, Ratio(2, 3), True),  # ordinary: 24 ≥ 22
        (7, Ratio(2, 3), False),  # 21 < 22
    ],
)
def test_award_and_ordinary_quorum_of_eleven(present, quorum, expected):
    rule = law(EIGHTY_OF_ALL).sitting_with((quorum.num, quorum.den, quorum.strict))
    assert quorate(rule, present=present, members=11) is expected


def test_priority_is_women_and_collectives_of_at_least_seventy_percent_women():
    assert has_priority(kind="individual", gender="female")
    assert not has_priority(kind="individual", gender="male")
    assert has_priority(kind="collective", women_share=Decimal("70"))
    assert not has_priority(kind="collective", women_share=Decimal("69.99"))
    assert not has_priority(kind="collective", women_share=None)
    assert not has_priority(kind="household")


def test_rank_breaks_only_ties_and_marks_the_rows_it_moved():
    ranked = rank(
        [
            Standing(1, 9, False),  # a man, first in the dossier
            Standing(2, 9, True),  # a woman with the same count
            Standing(3, 10, False),
            Standing(4, 7, True),  # a woman alone at her count: no tie to break
        ]
    )
    assert [r.key for r in ranked] == [3, 2, 1, 4]
    assert [r.key for r in ranked if r.tie_broken] == [2]


def test_identity_links_account_code_and_name():
    member = Person(name="Nguyễn Văn Bình", user_id=7, birth_year=1975, organisation="Xã A")
    assert match(member, Person(name="x", user_id=7)).kind == MatchKind.ACCOUNT
    coded = Person(name="Nguyễn Văn Bình", user_id=7, identity_code="001075000123")
    assert match(coded, Person(name="y", identity_code=" 001075000123 ")).certain
    # Two different citizen numbers are two people, whatever the name says.
    assert match(coded, Person(name="Nguyễn Văn Bình", identity_code="001075000999")) is None
    warned = match(member, Person(name="NGUYEN VAN BINH", birth_year=1975, organisation="xã a"))
    assert warned.kind == MatchKind.NAME
    assert not warned.certain
    assert warned.also == ("năm sinh", "đơn vị công tác")
    assert match(member, Person(name="Nguyễn Văn Bình", birth_year=1980)) is None


# ---- whole sessions -----------------------------------------------------------------


@pytest.fixture
def commune(councils):
    """The commune council of Xã Hợp Thành grown to 11 voting members."""
    council = councils["hop-thanh"]
    users = get_user_model().objects
    for n in range(6):
        user = users.create(username=f"hop-thanh.them{n}", first_name=f"Thêm {n}", last_name="Lê")
        CouncilMember.objects.create(
            council=council,
            user=user,
            role="member",
            identity_code=f"00107500{n:04d}",
            starts_on=WHEN.date().replace(year=2025, month=1, day=1),
        )
    assert len(voters(council)) == 11
    return council


def at_council(demo, snapshot: dict, *, nominee_fields=None, nominees=1) -> Dossier:
    dossier = f.make_dossier_at_council(
        demo["th-hop-thanh"],
        level="intermediate",
        nominees=nominees,
        nominee_fields=nominee_fields,
    )
    stage = dossier.current_stage
    DossierStage.objects.filter(pk=stage.pk).update(rules={**stage.rules, **snapshot})
    return Dossier.objects.get(pk=dossier.pk)


def ballots(meeting, members, nominee, agree: int) -> None:
    for i, member in enumerate(members):
        services.cast_ballot(
            meeting.pk,
            by=member.user,
            nominee_id=nominee.pk,
            choice="agree" if i < agree else "disagree",
        )


def written(meeting, member, nominee, choice="agree", **document):
    document = document or {"document_number": "15/CV-HĐ", "document_date": WHEN.date()}
    return services.record_written_opinion(
        meeting.pk,
        by=secretariat_of(member.council),
        member_id=member.pk,
        nominee_id=nominee.pk,
        choice=choice,
        **document,
    )


def docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.django_db
@pytest.mark.parametrize(("counted", "outcome"), [(True, "passed"), (False, "failed")])
def test_a_written_opinion_is_the_ninth_yes_of_eleven_when_the_rule_counts_it(
    demo, commune, counted, outcome
):
    """11 members, 2 absent: 9 present sit (45 ≥ 44). 8 agree in the room and one absentee
    agrees in writing: 9 of all 11 passes (90 ≥ 88) when written votes count; 8 fails."""
    dossier = at_council(demo, {**EIGHTY_OF_ALL, "count_written_votes": counted})
    (nominee,) = dossier.active_nominees()
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    away = members[9:]
    services.record_attendance(
        meeting.pk, by=secretariat_of(commune), absent={m.pk: "Đi công tác" for m in away}
    )
    written(meeting, away[0], nominee)  # before the meeting opens
    services.open_meeting(meeting.pk, by=chair_of(commune))
    ballots(meeting, members[:9], nominee, agree=8)
    services.close_meeting(meeting.pk, by=chair_of(commune))

    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.present, item.members, item.quorate) == (9, 11, True)  # writing adds nobody
    result = NomineeResult.objects.get(nominee=nominee)
    assert (result.agree, result.base, result.needed) == (9 if counted else 8, 11, 9)
    assert result.outcome == outcome
    text = docx_text(build_minutes(meeting))
    assert away[0].name in text
    assert "số 15/CV-HĐ" in text
    assert ("được tính vào kết quả" in text) is counted
    assert BASIS in text


@pytest.mark.django_db
def test_written_opinions_never_make_a_meeting_quorate(demo, commune):
    """8 of 11 present is below 4/5 (40 < 44): three written opinions change nothing."""
    dossier = at_council(demo, EIGHTY_OF_ALL)
    (nominee,) = dossier.active_nominees()
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    services.record_attendance(
        meeting.pk, by=secretariat_of(commune), absent={m.pk: "" for m in members[8:]}
    )
    services.open_meeting(meeting.pk, by=chair_of(commune))
    for member in members[8:]:
        written(meeting, member, nominee)
    ballots(meeting, members[:8], nominee, agree=8)
    services.close_meeting(meeting.pk, by=chair_of(commune))
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.present, item.quorate) == (8, False)
    assert not NomineeResult.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


@pytest.mark.django_db
def test_the_award_quorum_is_the_councils_and_is_pinned_when_voting_opens(demo, commune):
    """A council that sets its award quorum to 2/3 sits with 8 of 11; an edit after
    opening does not move the meeting."""
    commune.award_quorum_num, commune.award_quorum_den = 2, 3
    commune.save()
    dossier = at_council(demo, EIGHTY_OF_ALL)
    (nominee,) = dossier.active_nominees()
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    services.record_attendance(
        meeting.pk, by=secretariat_of(commune), absent={m.pk: "" for m in members[8:]}
    )
    services.open_meeting(meeting.pk, by=chair_of(commune))
    commune.award_quorum_num, commune.award_quorum_den = 1, 1
    commune.save()
    ballots(meeting, members[:8], nominee, agree=8)
    services.close_meeting(meeting.pk, by=chair_of(commune))
    assert AgendaItem.objects.get(meeting=meeting).quorate
    assert NomineeResult.objects.get(nominee=nominee).outcome == "failed"  # 8 < 9 of 11


@pytest.mark.django_db
def test_an_ordinary_meeting_takes_no_award_dossier(demo, commune):
    dossier = at_council(demo, EIGHTY_OF_ALL)
    meeting = meeting_with(commune, [])
    type(meeting).objects.filter(pk=meeting.pk).update(kind=MeetingKind.ORDINARY)
    with pytest.raises(DomainError) as refused:
        services.add_to_agenda(meeting.pk, by=secretariat_of(commune), dossier_id=dossier.pk)
    assert refused.value.code == "ordinary_meeting"
    assert "4/5" in str(refused.value)
    assert "86/2025" in str(refused.value)
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_a_written_opinion_is_refused_for_a_present_member_and_without_a_document(demo, commune):
    dossier = at_council(demo, EIGHTY_OF_ALL)
    (nominee,) = dossier.active_nominees()
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    services.record_attendance(meeting.pk, by=secretariat_of(commune), absent={members[10].pk: ""})
    services.open_meeting(meeting.pk, by=chair_of(commune))
    with pytest.raises(DomainError) as present:
        written(meeting, members[0], nominee)
    assert present.value.code == "written_present"
    for text in (members[0].name, nominee.full_name, BASIS):
        assert text in str(present.value)
    with pytest.raises(DomainError) as bare:
        written(meeting, members[10], nominee, document_number="15/CV")  # no date, no file
    assert bare.value.code == "written_document_required"
    assert not WrittenOpinion.objects.exists()
    assert not BallotReceipt.objects.exists()
    # Once recorded, the absentee's one ballot on that nominee is taken.
    written(meeting, members[10], nominee)
    with pytest.raises(DomainError) as twice:
        written(meeting, members[10], nominee, choice="disagree")
    assert twice.value.code == "written_duplicate"
    assert list(WrittenOpinion.objects.values_list("choice", flat=True)) == ["agree"]


@pytest.mark.django_db
def test_a_written_opinion_with_its_file_and_the_absentee_cannot_be_marked_present(demo, commune):
    dossier = at_council(demo, EIGHTY_OF_ALL)
    (nominee,) = dossier.active_nominees()
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    secretariat = secretariat_of(commune)
    services.record_attendance(meeting.pk, by=secretariat, absent={members[10].pk: "Ốm"})
    opinion = written(
        meeting, members[10], nominee, upload=("phieu-y-kien.pdf", len(f.PDF), [f.PDF])
    )
    assert services.written_opinion_path(opinion).read_bytes() == f.PDF
    assert opinion.document_label == "tệp phieu-y-kien.pdf"
    with pytest.raises(DomainError) as refused:
        services.record_attendance(meeting.pk, by=secretariat, absent={})
    assert refused.value.code == "present_with_written"
    assert not Attendance.objects.get(meeting=meeting, member=members[10]).present


@pytest.mark.django_db
def test_a_member_proposed_under_his_own_account_is_recused_without_an_identity_code(demo, commune):
    dossier = at_council(demo, EIGHTY_OF_ALL)
    (nominee,) = dossier.active_nominees()
    member = voters(commune)[1]
    assert not member.identity_code
    Nominee.objects.filter(pk=nominee.pk).update(user=member.user)
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    recusal = Recusal.objects.get()
    assert (recusal.member_id, recusal.reason, recusal.detail) == (
        member.pk,
        "nominee",
        "cùng tài khoản người dùng",
    )
    with pytest.raises(DomainError) as refused:
        services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree")
    assert refused.value.code == "recused"
    assert member.name in str(refused.value)
    assert nominee.full_name in str(refused.value)
    assert not BallotReceipt.objects.exists()


@pytest.mark.django_db
def test_name_and_birth_year_warn_the_secretariat_who_confirms_the_recusal(client, demo, commune):
    member = voters(commune)[2]
    CouncilMember.objects.filter(pk=member.pk).update(birth_year=1979)
    fields = {
        "kind": "individual",
        "full_name": member.name,
        "birth_year": 1979,
        "gender": "male",
        "organisation_name": "Trường Tiểu học Hợp Thành",
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
    }
    dossier = at_council(demo, EIGHTY_OF_ALL, nominee_fields=[fields])
    (nominee,) = dossier.active_nominees()
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    assert not Recusal.objects.exists()  # a name is only a warning

    client.force_login(secretariat_of(commune))
    page = client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
    assert f"Thành viên {member.name} có thể là người được đề nghị {nominee.full_name}" in page
    assert "trùng họ tên, năm sinh" in page
    response = client.post(
        f"/hoi-dong/phien/{meeting.pk}/khong-bieu-quyet/",
        {"member": member.pk, "nominee": nominee.pk},
    )
    assert response.status_code == 302
    assert Recusal.objects.get().reason == "confirmed"
    assert (
        "có thể là người được đề nghị"
        not in client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
    )
    with pytest.raises(DomainError):
        services.cast_ballot(meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree")
    others = [m for m in voters(commune) if m.pk != member.pk]
    ballots(meeting, others, nominee, agree=8)
    services.close_meeting(meeting.pk, by=chair_of(commune))
    result = NomineeResult.objects.get(nominee=nominee)
    assert (result.base, result.needed, result.outcome) == (10, 8, "passed")  # 40 ≥ 40


@pytest.mark.django_db
def test_members_without_an_identity_code_are_shown_to_the_secretariat_only(client, demo, commune):
    dossier = at_council(demo, EIGHTY_OF_ALL)
    meeting = meeting_with(commune, [dossier])
    lacking = [m for m in voters(commune) if not m.identity_code]
    assert lacking
    client.force_login(secretariat_of(commune))
    page = client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
    for member in lacking:
        assert f"Thành viên {member.name} chưa có mã định danh" in page
    coded = next(m for m in voters(commune) if m.identity_code)
    assert f"Thành viên {coded.name} chưa có mã định danh" not in page
    client.force_login(chair_of(commune))  # the chair runs the vote; checks are the secretariat's
    assert (
        "chưa có mã định danh" not in client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_equal_counts_rank_the_woman_first_with_the_legal_basis(client, demo, commune):
    def person(name, gender, year):
        return {
            "kind": "individual",
            "full_name": name,
            "birth_year": year,
            "gender": gender,
            "organisation_name": "Trường Tiểu học Hợp Thành",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
        }

    fields = [person("Trần Văn Nam", "male", 1980), person("Lê Thị Hoa", "female", 1982)]
    dossier = at_council(demo, EIGHTY_OF_ALL, nominee_fields=fields)
    man, woman = dossier.active_nominees()
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    members = voters(commune)
    ballots(meeting, members, man, agree=10)
    ballots(meeting, members, woman, agree=10)
    services.close_meeting(meeting.pk, by=chair_of(commune))

    text = docx_text(build_minutes(meeting))
    assert text.index("Lê Thị Hoa") < text.index("Trần Văn Nam")
    assert f"Lê Thị Hoa – {PRIORITY_NOTE}" in text
    assert f"Trần Văn Nam – {PRIORITY_NOTE}" not in text
    client.force_login(chair_of(commune))
    page = client.get(f"/hoi-dong/phien/{meeting.pk}/").content.decode()
    assert page.index("Lê Thị Hoa") < page.index("Trần Văn Nam")
    assert page.count(PRIORITY_NOTE) == 1
