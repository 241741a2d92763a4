"""The ballot page, the live turnout box, the reminder and the close confirmation (issue 12).

What a member or the secretariat notices: a refused ballot comes back with every choice;
a ballot that leaves someone out is not sent until the member says "send anyway"; an
absent member is told once, before anything, that his vote is a written opinion, and gets
no form; a recused nominee is marked, once, before voting; the meeting page counts ballots
(never who chose what); the reminder reaches those with a ballot left, once an hour; closing
goes through a page that names how many have not voted and the time left.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import DomainError
from councils import services
from councils.models import BallotReceipt, Meeting, MeetingStatus, SealedBallot
from notifications.models import OutboxMessage
from tests import factories as f

from .conftest import chair_of, meeting_with, secretariat_of, voters

pytestmark = pytest.mark.django_db

PARTIAL = "Bạn mới chọn 2/3 người; những người chưa chọn sẽ không được tính phiếu."


@pytest.fixture
def session(demo, councils):
    """An open meeting of the commune council with one dossier of three nominees."""
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=3)
    meeting = meeting_with(council, [dossier])
    return council, dossier, meeting


def opened(session):
    council, dossier, meeting = session
    services.open_meeting(meeting.pk, by=chair_of(council))
    return council, list(dossier.active_nominees()), meeting


def url(meeting, tail="bo-phieu/") -> str:
    return f"/hoi-dong/phien/{meeting.pk}/{tail}"


def checked(page: str, nominee, value: str) -> bool:
    """Whether the radio `value` of `nominee` is ticked on the page."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="nominee-{nominee.pk}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no radio {value} for {nominee.full_name}")


def ballots() -> tuple[int, int]:
    return BallotReceipt.objects.count(), SealedBallot.objects.count()


def test_a_ballot_without_confirmation_comes_back_with_every_choice(client, session):
    council, (a, b, c), meeting = opened(session)
    client.force_login(voters(council)[0].user)
    choices = {
        f"nominee-{a.pk}": "agree",
        f"nominee-{b.pk}": "disagree",
        f"nominee-{c.pk}": "agree",
    }

    response = client.post(url(meeting), choices)

    page = response.content.decode()
    assert response.status_code == 200
    assert ballots() == (0, 0)
    assert "Xác nhận gửi phiếu: hãy đánh dấu" in page
    assert checked(page, a, "agree")
    assert checked(page, b, "disagree")
    assert checked(page, c, "agree")
    assert not checked(page, a, "disagree")


def test_a_partial_ballot_needs_send_anyway_and_keeps_the_choices(client, session):
    council, (a, b, c), meeting = opened(session)
    member = voters(council)[0]
    client.force_login(member.user)
    two = {f"nominee-{a.pk}": "agree", f"nominee-{b.pk}": "disagree", "confirm": "on"}

    warned = client.post(url(meeting), two)

    page = warned.content.decode()
    assert warned.status_code == 200
    assert ballots() == (0, 0)  # a half-filled ballot is no longer taken silently
    assert PARTIAL in page
    assert checked(page, a, "agree")
    assert checked(page, b, "disagree")
    assert 'name="partial"' in page
    assert "data-ballot-partial hidden" not in page

    sent = client.post(url(meeting), {**two, "partial": "on"}, follow=True)
    assert "Đã nhận 2 phiếu." in sent.content.decode()
    assert set(
        BallotReceipt.objects.filter(member=member).values_list("nominee_id", flat=True)
    ) == {a.pk, b.pk}
    # The third is still open to him: the page now offers only that one.
    page = client.get(url(meeting)).content.decode()
    assert f'name="nominee-{c.pk}"' in page
    assert f'name="nominee-{a.pk}"' not in page


def test_a_full_ballot_goes_in_without_the_partial_box(client, session):
    council, nominees, meeting = opened(session)
    client.force_login(voters(council)[0].user)
    data = {f"nominee-{n.pk}": "agree" for n in nominees} | {"confirm": "on"}
    response = client.post(url(meeting), data, follow=True)
    assert "Đã nhận 3 phiếu." in response.content.decode()
    assert BallotReceipt.objects.count() == 3


def test_nothing_chosen_or_a_tampered_choice_is_named_and_nothing_is_sent(client, session):
    council, (a, b, _c), meeting = opened(session)
    client.force_login(voters(council)[0].user)

    empty = client.post(url(meeting), {"confirm": "on"}).content.decode()
    assert "bạn chưa chọn cho người nào" in empty
    bad = client.post(
        url(meeting),
        {
            f"nominee-{a.pk}": "maybe",
            f"nominee-{b.pk}": "agree",
            "nominee-x": "agree",
            "confirm": "on",
            "partial": "on",
        },
    )
    assert bad.status_code == 200
    assert f"{a.full_name}: lựa chọn không hợp lệ" in bad.content.decode()
    assert checked(bad.content.decode(), b, "agree")
    assert ballots() == (0, 0)


def test_an_absent_member_is_told_once_and_gets_no_form(client, session):
    council, _dossier, meeting = session
    absent = voters(council)[2]
    services.record_attendance(meeting.pk, by=secretariat_of(council), absent={absent.pk: "Ốm"})
    _, nominees, _ = opened(session)
    client.force_login(absent.user)

    page = client.get(url(meeting)).content.decode()

    message = "Bạn được ghi vắng mặt tại phiên họp này nên không bỏ phiếu trên trang."
    assert page.count(message) == 1
    assert 'type="radio"' not in page
    assert "data-ballot data-total" not in page
    assert page.count("Chờ ý kiến bằng văn bản") == 3  # each nominee's own state, no form
    # A forged POST writes nothing and repeats nothing.
    data = {f"nominee-{n.pk}": "agree" for n in nominees} | {"confirm": "on", "partial": "on"}
    after = client.post(url(meeting), data, follow=True).content.decode()
    assert ballots() == (0, 0)
    assert after.count(message) == 1
    assert "Nghị định 98/2023/NĐ-CP" in after
    assert after.count("Nghị định 98/2023/NĐ-CP") == 1


def test_a_recused_nominee_is_marked_before_voting_and_a_forged_vote_sends_nothing(client, session):
    council, (a, b, c), meeting = opened(session)
    member = voters(council)[1]
    services.confirm_recusal(
        meeting.pk, by=secretariat_of(council), member_id=member.pk, nominee_id=b.pk
    )
    client.force_login(member.user)

    page = client.get(url(meeting)).content.decode()

    assert page.count("Thư ký Hội đồng xác nhận là người được đề nghị") == 1
    assert f'name="nominee-{b.pk}"' not in page
    assert f'name="nominee-{a.pk}"' in page
    assert 'data-total="2"' in page
    # All or nothing: the forged choice for b refuses the ballot, and a and c are not cast.
    data = {f"nominee-{n.pk}": "agree" for n in (a, b, c)} | {"confirm": "on"}
    forged = client.post(url(meeting), data)
    assert forged.status_code == 200
    assert ballots() == (0, 0)
    text = forged.content.decode()
    assert text.count(f"không biểu quyết cho {b.full_name}") == 1
    assert checked(text, a, "agree")
    assert checked(text, c, "agree")


def test_the_meeting_page_counts_ballots_and_the_box_stops_polling_when_closed(client, session):
    council, (a, b, c), meeting = opened(session)
    first, second = voters(council)[:2]
    for n in (a, b, c):
        services.cast_ballot(meeting.pk, by=first.user, nominee_id=n.pk, choice="agree")
    services.cast_ballot(meeting.pk, by=second.user, nominee_id=a.pk, choice="disagree")
    client.force_login(secretariat_of(council))

    page = client.get(url(meeting, "")).content.decode()
    box = client.get(url(meeting, "tien-do/")).content.decode()

    assert f'hx-get="/hoi-dong/phien/{meeting.pk}/tien-do/"' in page
    assert "htmx.min.js" in page
    assert "1/5" in box
    assert "Phiếu đã nhận: 4/15" in box
    assert "1 thành viên" in box
    assert 'hx-trigger="every 5s"' in box
    for member in voters(council):  # counts only: no one is named
        assert member.name not in box
    services.close_meeting(meeting.pk, by=chair_of(council))
    assert "hx-trigger" not in client.get(url(meeting, "tien-do/")).content.decode()


def test_only_who_runs_the_meeting_sees_the_counts(client, session):
    _, _, meeting = opened(session)
    member = f.user("hop-thanh.uyvien")
    client.force_login(member)
    assert client.get(url(meeting, "tien-do/")).status_code == 404
    with pytest.raises(DomainError) as refused:
        services.ballot_progress(meeting.pk, by=member)
    assert refused.value.code == "no_permission"


def reminded() -> list[int]:
    return sorted(
        OutboxMessage.objects.filter(template="council_ballot_reminder").values_list(
            "recipient_id", flat=True
        )
    )


def test_remind_reaches_those_with_a_ballot_left_once_an_hour(client, session):
    council, _dossier, meeting = session
    members = voters(council)
    absent = members[4]
    services.record_attendance(meeting.pk, by=secretariat_of(council), absent={absent.pk: "Ốm"})
    _, (a, b, c), _ = opened(session)
    for n in (a, b, c):  # members[0] is done; members[1] cast one of three
        services.cast_ballot(meeting.pk, by=members[0].user, nominee_id=n.pk, choice="agree")
    services.cast_ballot(meeting.pk, by=members[1].user, nominee_id=a.pk, choice="agree")
    client.force_login(secretariat_of(council))
    waiting = sorted(m.user_id for m in members[1:4])

    with time_machine.travel(timezone.now().replace(minute=10), tick=False):
        first = client.post(url(meeting, "nhac-bo-phieu/"), follow=True).content.decode()
        assert reminded() == waiting  # not the one who is done, not the absent member
        assert "Đã gửi lời nhắc tới 3 thành viên" in first
        again = client.post(url(meeting, "nhac-bo-phieu/"), follow=True).content.decode()
        assert reminded() == waiting  # the same hour: nobody twice
        assert "đã được nhắc trong giờ này" in again
    assert AuditEvent.objects.filter(action="ballot_reminder_sent").count() == 1
    with time_machine.travel(timezone.now().replace(minute=10) + timedelta(hours=1), tick=False):
        services.remind_non_voters(meeting.pk, by=secretariat_of(council))
    assert reminded() == sorted(waiting * 2)


def test_remind_is_refused_to_members_and_after_the_close_and_changes_nothing(client, session):
    council, _, meeting = opened(session)
    client.force_login(f.user("hop-thanh.uyvien"))
    assert client.post(url(meeting, "nhac-bo-phieu/")).status_code == 404
    services.close_meeting(meeting.pk, by=chair_of(council))
    with pytest.raises(DomainError) as refused:
        services.remind_non_voters(meeting.pk, by=secretariat_of(council))
    assert refused.value.code == "not_open"
    assert reminded() == []
    assert not AuditEvent.objects.filter(action="ballot_reminder_sent").exists()


def test_closing_early_goes_through_a_page_naming_non_voters_and_time_left(client, session):
    council, (a, b, c), meeting = opened(session)
    Meeting.objects.filter(pk=meeting.pk).update(
        voting_closes_at=timezone.now() + timedelta(hours=2, minutes=30)
    )
    for n in (a, b, c):
        services.cast_ballot(
            meeting.pk, by=voters(council)[0].user, nominee_id=n.pk, choice="agree"
        )
    client.force_login(chair_of(council))

    page = client.get(url(meeting, "")).content.decode()
    assert f'href="/hoi-dong/phien/{meeting.pk}/ket-thuc/"' in page
    assert f'action="/hoi-dong/phien/{meeting.pk}/ket-thuc/"' not in page  # no one-click close

    confirm = client.get(url(meeting, "ket-thuc/"))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "4/5 thành viên có mặt chưa bỏ đủ phiếu" in text
    assert "Chưa tới hạn bỏ phiếu" in text
    assert re.search(r"còn 2\xa0giờ, (29|30)\xa0phút", text)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN  # GET changes nothing

    done = client.post(url(meeting, "ket-thuc/"), {"confirm": "on", "note": "Kết luận"})
    assert done["Location"] == url(meeting, "")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CLOSED
    assert client.get(url(meeting, "ket-thuc/"))["Location"] == url(meeting, "")


def test_closing_after_the_deadline_with_everyone_voted_warns_of_nothing(client, session):
    council, nominees, meeting = opened(session)
    for member in voters(council):
        for n in nominees:
            services.cast_ballot(meeting.pk, by=member.user, nominee_id=n.pk, choice="agree")
    client.force_login(chair_of(council))
    text = client.get(url(meeting, "ket-thuc/")).content.decode()
    assert "data-close-warning" not in text
    assert "5/5" in text


def test_a_close_post_without_confirmation_returns_to_the_confirmation_page(client, session):
    council, _, meeting = opened(session)
    client.force_login(chair_of(council))
    response = client.post(url(meeting, "ket-thuc/"), {"note": "x"})
    assert response["Location"] == url(meeting, "ket-thuc/")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
