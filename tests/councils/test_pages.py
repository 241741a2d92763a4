"""Council pages: who sees what (others' meetings answer 404), and that each POST acts."""

import pytest

from councils import services
from councils.models import BallotReceipt, Meeting, MeetingStatus
from tests import factories as f

from .conftest import chair_of, meeting_with, secretariat_of, voters

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(demo, councils):
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=2)
    meeting = meeting_with(council, [dossier])
    return council, dossier, meeting


def as_user(client, user):
    client.force_login(user)
    return client


def test_chair_and_secretariat_see_the_session_others_get_404(client, session):
    council, _, meeting = session
    url = f"/hoi-dong/phien/{meeting.pk}/"
    assert as_user(client, chair_of(council)).get(url).status_code == 200
    assert as_user(client, secretariat_of(council)).get(url).status_code == 200
    for outsider in ("hop-thanh.uyvien", "tan-doan.chutichhd", "lang-son.vanphong"):
        assert as_user(client, f.user(outsider)).get(url).status_code == 404


def test_only_the_secretariat_builds_the_agenda(client, session):
    council, _, meeting = session
    url = f"/hoi-dong/phien/{meeting.pk}/chuong-trinh/"
    assert as_user(client, secretariat_of(council)).get(url).status_code == 200
    assert as_user(client, chair_of(council)).get(url).status_code == 404
    assert as_user(client, f.user("tan-doan.vanphong")).get(url).status_code == 404


def test_secretariat_schedules_a_meeting_from_the_list_page(client, councils):
    client = as_user(client, secretariat_of(councils["hop-thanh"]))
    response = client.post(
        "/hoi-dong/",
        {
            "council": councils["hop-thanh"].pk,
            "title": "Phiên họp tháng 12",
            "scheduled_for": "2026-12-01T08:00",
            "place": "Hội trường xã",
        },
    )
    meeting = Meeting.objects.get(title="Phiên họp tháng 12")
    assert response.status_code == 302
    assert response["Location"] == f"/hoi-dong/phien/{meeting.pk}/chuong-trinh/"
    assert client.get("/hoi-dong/").content.decode().count("Phiên họp tháng 12") == 1


def test_agenda_page_takes_the_roll(client, session):
    council, _, meeting = session
    absent = voters(council)[4]
    as_user(client, secretariat_of(council)).post(
        f"/hoi-dong/phien/{meeting.pk}/chuong-trinh/",
        {"action": "attendance", f"absent-{absent.pk}": "on", f"reason-{absent.pk}": "Ốm"},
    )
    seat = meeting.attendance.get(member=absent)
    assert (seat.present, seat.absence_reason) == (False, "Ốm")
    assert meeting.attendance.filter(present=True).count() == len(council.members.all()) - 1


def test_member_ballot_list_and_ballot_page(client, session):
    council, dossier, meeting = session
    member = voters(council)[1]
    client = as_user(client, member.user)
    assert client.get(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/").status_code == 404  # not open
    services.open_meeting(meeting.pk, by=chair_of(council))
    assert meeting.title in client.get("/hoi-dong/phieu/").content.decode()
    assert client.get(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/").status_code == 200
    first, second = dossier.active_nominees()
    choices = {f"nominee-{first.pk}": "agree", f"nominee-{second.pk}": "disagree"}

    client.post(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/", choices)  # no confirmation
    assert BallotReceipt.objects.count() == 0
    client.post(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/", {**choices, "confirm": "on"})
    assert BallotReceipt.objects.filter(member=member).count() == 2
    page = client.get(f"/hoi-dong/phien/{meeting.pk}/bo-phieu/").content.decode()
    assert 'type="radio"' not in page  # nothing left to cast, nothing to change


def test_ballot_page_is_404_for_non_voters(client, session):
    council, _, meeting = session
    services.open_meeting(meeting.pk, by=chair_of(council))
    url = f"/hoi-dong/phien/{meeting.pk}/bo-phieu/"
    for outsider in ("tan-doan.uyvien", "hop-thanh.vanphong", "th-hop-thanh.thiduakhenthuong"):
        assert as_user(client, f.user(outsider)).get(url).status_code == 404


def test_close_needs_the_confirmation_then_minutes_download(client, session):
    council, _, meeting = session
    client = as_user(client, chair_of(council))
    client.post(f"/hoi-dong/phien/{meeting.pk}/mo/")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
    assert client.get(f"/hoi-dong/phien/{meeting.pk}/bien-ban.docx").status_code == 404
    client.post(f"/hoi-dong/phien/{meeting.pk}/ket-thuc/", {"note": "x"})
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
    client.post(f"/hoi-dong/phien/{meeting.pk}/ket-thuc/", {"note": "x", "confirm": "on"})
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CLOSED
    response = client.get(f"/hoi-dong/phien/{meeting.pk}/bien-ban.docx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    other = as_user(client, f.user("tan-doan.chutichhd"))
    assert other.get(f"/hoi-dong/phien/{meeting.pk}/bien-ban.docx").status_code == 404


def test_posts_on_someone_elses_meeting_answer_404_and_change_nothing(client, session):
    _, _, meeting = session
    client = as_user(client, f.user("tan-doan.vanphong"))
    base = f"/hoi-dong/phien/{meeting.pk}"
    assert client.post(f"{base}/mo/").status_code == 404
    assert client.post(f"{base}/ket-thuc/", {"confirm": "on"}).status_code == 404
    assert client.post(f"{base}/chuong-trinh/", {"action": "remove", "item": 1}).status_code == 404
    assert client.post(f"{base}/bo-phieu/", {"confirm": "on"}).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT
    assert meeting.items.count() == 1
