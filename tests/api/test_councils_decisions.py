"""Tasks, meetings, ballots and decisions through the API: success, another body's object
(404), validation (400), conflict (409); and the secret ballot stays secret."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from councils.models import BallotReceipt, Meeting, SealedBallot, WrittenOpinion
from decisions.models import Decision
from tests import factories as f
from workflow.states import DossierStatus

from .conftest import client_for, error_of

pytestmark = pytest.mark.django_db

CLERK = "hop-thanh.vanphong"
CHAIR = "hop-thanh.chutichhd"
SIGNER = "hop-thanh.lanhdao"
OTHER_CLERK = "xuat-le.vanphong"


@pytest.fixture
def at_council(api, demo):
    return f.make_dossier_at_council(
        demo["th-hop-thanh"], "giay-khen-xa", level="intermediate", nominees=2
    )


def commune_council(client):
    return next(c for c in client.get("/api/v1/councils/").json()["results"] if c["name"])


def new_meeting(client, council_id, **extra):
    return client.post(
        "/api/v1/meetings/",
        {
            "council": council_id,
            "title": "Xét khen thưởng",
            "scheduled_for": (timezone.now() - timedelta(minutes=1)).isoformat(),
            **extra,
        },
        format="json",
    )


@pytest.fixture
def open_meeting(at_council):
    clerk = client_for(CLERK)
    council = commune_council(clerk)
    meeting = new_meeting(clerk, council["id"]).json()
    clerk.post(
        f"/api/v1/meetings/{meeting['id']}/agenda/", {"dossier": at_council.pk}, format="json"
    )
    assert client_for(CHAIR).post(f"/api/v1/meetings/{meeting['id']}/open/").status_code == 200
    voters = [m for m in council["members"] if m["votes"] and m["username"]]
    return meeting["id"], voters


# --- tasks -----------------------------------------------------------------------------------


def test_the_inbox_lists_the_task_and_it_can_be_claimed_once_and_released(api, demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "giay-khen-xa"))
    clerk = client_for(CLERK)
    [task] = [t for t in clerk.get("/api/v1/tasks/").json() if t["dossier"]["id"] == dossier.pk]
    assert task["claimed_by_me"] is False
    assert client_for(OTHER_CLERK).post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 404
    assert clerk.post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 204
    [mine] = [t for t in clerk.get("/api/v1/tasks/").json() if t["dossier"]["id"] == dossier.pk]
    assert mine["claimed_by_me"] is True
    assert clerk.post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 404  # not in the queue
    assert clerk.post(f"/api/v1/tasks/{task['id']}/release/").status_code == 204
    assert client_for(OTHER_CLERK).get("/api/v1/tasks/").json() == []


# --- meetings --------------------------------------------------------------------------------


def test_a_meeting_is_created_for_ones_own_council_only(at_council):
    clerk = client_for(CLERK)
    council = commune_council(clerk)
    made = new_meeting(clerk, council["id"], place="Hội trường")
    assert made.status_code == 201
    assert made.json()["status"] == "draft"
    count = Meeting.objects.count()
    other = new_meeting(client_for(OTHER_CLERK), council["id"])
    assert other.status_code == 404
    untitled = new_meeting(clerk, council["id"], title="")
    assert untitled.status_code == 400
    assert error_of(untitled)["field"] == "title"
    assert Meeting.objects.count() == count
    assert client_for(OTHER_CLERK).get(f"/api/v1/meetings/{made.json()['id']}/").status_code == 404


def test_opening_an_empty_agenda_is_a_conflict_and_changes_nothing(at_council):
    clerk = client_for(CLERK)
    meeting = new_meeting(clerk, commune_council(clerk)["id"]).json()
    chair = client_for(CHAIR)
    response = chair.post(f"/api/v1/meetings/{meeting['id']}/open/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "empty_agenda"
    assert Meeting.objects.get(pk=meeting["id"]).status == "draft"


def test_a_dossier_not_before_the_council_cannot_go_on_its_agenda(api, demo, at_council):
    clerk = client_for(CLERK)
    meeting = new_meeting(clerk, commune_council(clerk)["id"]).json()
    draft = f.make_draft(demo["th-hop-thanh"], "giay-khen-xa")
    response = clerk.post(
        f"/api/v1/meetings/{meeting['id']}/agenda/", {"dossier": draft.pk}, format="json"
    )
    assert response.status_code == 404  # the commune does not see the school's drafts
    bad = clerk.post(f"/api/v1/meetings/{meeting['id']}/agenda/", {"dossier": "x"}, format="json")
    assert bad.status_code == 400


# --- ballots ---------------------------------------------------------------------------------


def test_a_secret_ballot_through_the_api_reveals_no_choice_anywhere(open_meeting, at_council):
    meeting_id, voters = open_meeting
    nominee = at_council.active_nominees().first()
    member = client_for(voters[0]["username"])
    cast = member.post(
        f"/api/v1/ballots/{meeting_id}/cast/",
        {"nominee": nominee.pk, "choice": "disagree"},
        format="json",
    )
    assert cast.json() == {"counted": True}
    again = member.post(
        f"/api/v1/ballots/{meeting_id}/cast/",
        {"nominee": nominee.pk, "choice": "agree"},
        format="json",
    )
    assert again.json() == {"counted": False}  # one ballot each; the first stands
    assert SealedBallot.objects.filter(meeting_id=meeting_id).count() == 1
    # Nothing the member, the chair or the secretariat can read names a choice.
    chair = client_for(CHAIR)
    readings = [
        member.get("/api/v1/ballots/").content,
        chair.get(f"/api/v1/meetings/{meeting_id}/").content,
        chair.get(f"/api/v1/meetings/{meeting_id}/progress/").content,
        client_for(CLERK).get(f"/api/v1/meetings/{meeting_id}/").content,
    ]
    for body in readings:
        assert b"disagree" not in body
        assert b"choice" not in body
    progress = chair.get(f"/api/v1/meetings/{meeting_id}/progress/").json()
    assert progress["ballots_cast"] == 1
    results = chair.get(f"/api/v1/meetings/{meeting_id}/results/")
    assert results.status_code == 409  # totals only after the close


def test_a_ballot_from_outside_the_council_or_with_a_bad_choice_writes_nothing(
    open_meeting, at_council
):
    meeting_id, voters = open_meeting
    nominee = at_council.active_nominees().first()
    outsider = client_for("th-hop-thanh.thiduakhenthuong")
    refused = outsider.post(
        f"/api/v1/ballots/{meeting_id}/cast/",
        {"nominee": nominee.pk, "choice": "agree"},
        format="json",
    )
    assert refused.status_code == 404
    bad = client_for(voters[0]["username"]).post(
        f"/api/v1/ballots/{meeting_id}/cast/",
        {"nominee": nominee.pk, "choice": "maybe"},
        format="json",
    )
    assert bad.status_code == 400
    assert error_of(bad)["field"] == "choice"
    assert BallotReceipt.objects.count() == 0


def test_closing_counts_and_a_closed_meeting_refuses_ballots(open_meeting, at_council):
    meeting_id, voters = open_meeting
    for voter in voters:
        client = client_for(voter["username"])
        for nominee in at_council.active_nominees():
            client.post(
                f"/api/v1/ballots/{meeting_id}/cast/",
                {"nominee": nominee.pk, "choice": "agree"},
                format="json",
            )
    chair = client_for(CHAIR)
    assert chair.post(f"/api/v1/meetings/{meeting_id}/close/").json()["status"] == "closed"
    results = chair.get(f"/api/v1/meetings/{meeting_id}/results/").json()
    assert {r["agree"] for r in results} == {len(voters)}
    late = client_for(voters[0]["username"]).post(
        f"/api/v1/ballots/{meeting_id}/cast/",
        {"nominee": at_council.active_nominees().first().pk, "choice": "agree"},
        format="json",
    )
    assert late.status_code in (404, 409)
    again = chair.post(f"/api/v1/meetings/{meeting_id}/close/")
    assert again.status_code == 409


# --- decisions -------------------------------------------------------------------------------


@pytest.fixture
def awaiting(at_council):
    return f.pass_council(at_council)


def test_a_draft_decision_is_made_submitted_and_refused_to_who_may_not_sign(awaiting):
    clerk = client_for(CLERK)
    issuer = awaiting.current_stage.organisation_id
    awardable = clerk.get("/api/v1/decisions/awardable/", {"issuer": issuer}).json()
    ids = [n["id"] for n in awardable]
    assert len(ids) == 2
    draft = clerk.post("/api/v1/decisions/", {"issuer": issuer, "nominees": ids}, format="json")
    assert draft.status_code == 201
    did = draft.json()["id"]
    assert client_for(OTHER_CLERK).get(f"/api/v1/decisions/{did}/").status_code == 404
    assert clerk.get(f"/api/v1/decisions/{did}/pdf/").status_code == 409  # not signed yet
    docx = clerk.get(f"/api/v1/decisions/{did}/docx/")
    assert docx.status_code == 200
    assert docx.getvalue()[:2] == b"PK"
    assert clerk.post(f"/api/v1/decisions/{did}/submit/").json()["status"] == "submitted"
    before = Decision.objects.values().get(pk=did)
    by_clerk = clerk.post(
        f"/api/v1/decisions/{did}/issue/",
        {"issued_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert by_clerk.status_code == 403  # the secretariat drafts; it does not sign
    future = client_for(SIGNER).post(
        f"/api/v1/decisions/{did}/issue/",
        {"issued_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
        format="json",
    )
    assert future.status_code == 400
    assert error_of(future)["field"] == "issued_on"
    assert Decision.objects.values().get(pk=did) == before
    issued = client_for(SIGNER).post(
        f"/api/v1/decisions/{did}/issue/",
        {"issued_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert issued.status_code == 200
    assert issued.json()["status"] == "issued"
    again = client_for(SIGNER).post(
        f"/api/v1/decisions/{did}/issue/",
        {"issued_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert again.status_code == 409
    proposer = client_for("th-hop-thanh.thiduakhenthuong")
    assert (
        proposer.get(f"/api/v1/dossiers/{awaiting.pk}/").json()["status"] == DossierStatus.DECIDED
    )
    assert proposer.get(f"/api/v1/decisions/{did}/").status_code == 200  # issued: the unit sees it


def test_a_draft_with_nominees_not_awaiting_this_issuer_is_refused(awaiting, demo):
    clerk = client_for(CLERK)
    issuer = awaiting.current_stage.organisation_id
    count = Decision.objects.count()
    response = clerk.post(
        "/api/v1/decisions/", {"issuer": issuer, "nominees": [2_000_000]}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "nominees"
    other = client_for(OTHER_CLERK).post(
        "/api/v1/decisions/", {"issuer": issuer, "nominees": [1]}, format="json"
    )
    assert other.status_code == 404
    assert Decision.objects.count() == count


def test_the_roll_names_members_by_id_and_refuses_a_stranger(at_council):
    clerk = client_for(CLERK)
    council = commune_council(clerk)
    assert clerk.get(f"/api/v1/councils/{council['id']}/").json()["members"]
    assert client_for(OTHER_CLERK).get(f"/api/v1/councils/{council['id']}/").status_code == 404
    meeting = new_meeting(clerk, council["id"]).json()
    member = next(m for m in council["members"] if m["votes"])
    roll = clerk.post(
        f"/api/v1/meetings/{meeting['id']}/attendance/",
        {"absent": {str(member["id"]): "Đi công tác"}},
        format="json",
    )
    assert roll.status_code == 200
    unknown = clerk.post(
        f"/api/v1/meetings/{meeting['id']}/attendance/",
        {"absent": {"99999999": "?"}},
        format="json",
    )
    assert unknown.status_code == 400
    assert error_of(unknown)["field"] == "absent"


def test_a_submitted_draft_is_returned_by_the_signer_and_cancelled_by_the_secretariat(awaiting):
    clerk = client_for(CLERK)
    issuer = awaiting.current_stage.organisation_id
    ids = [n["id"] for n in clerk.get("/api/v1/decisions/awardable/", {"issuer": issuer}).json()]
    did = clerk.post("/api/v1/decisions/", {"issuer": issuer, "nominees": ids}, format="json")
    did = did.json()["id"]
    assert did in [d["id"] for d in clerk.get("/api/v1/decisions/").json()["results"]]
    assert client_for(OTHER_CLERK).get("/api/v1/decisions/").json()["results"] == []
    clerk.post(f"/api/v1/decisions/{did}/submit/")
    signer = client_for(SIGNER)
    bare = signer.post(f"/api/v1/decisions/{did}/return/", {}, format="json")
    assert bare.status_code == 400
    returned = signer.post(
        f"/api/v1/decisions/{did}/return/", {"comment": "Sửa trích yếu"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    cancelled = clerk.post(f"/api/v1/decisions/{did}/cancel/", {"reason": "Lập lại"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    late = clerk.post(f"/api/v1/decisions/{did}/submit/")
    assert late.status_code == 409


def test_an_absent_members_written_opinion_is_recorded_with_its_document(at_council):
    clerk = client_for(CLERK)
    council = commune_council(clerk)
    meeting = new_meeting(clerk, council["id"]).json()
    mid = meeting["id"]
    clerk.post(f"/api/v1/meetings/{mid}/agenda/", {"dossier": at_council.pk}, format="json")
    absent, present = [m for m in council["members"] if m["votes"]][:2]
    clerk.post(
        f"/api/v1/meetings/{mid}/attendance/",
        {"absent": {str(absent["id"]): "Đi công tác"}},
        format="json",
    )
    nominee = at_council.active_nominees().first()

    def opinion(member, data=f.PDF):
        letter = io.BytesIO(data)
        letter.name = "y-kien.pdf"
        return clerk.post(
            f"/api/v1/meetings/{mid}/written-opinions/",
            {
                "member": member["id"],
                "nominee": nominee.pk,
                "choice": "agree",
                "document_number": "12/YK",
                "document_date": timezone.localdate().isoformat(),
                "file": letter,
            },
            format="multipart",
        )

    present_one = opinion(present)
    assert present_one.status_code in (400, 409)  # a present member votes himself
    assert WrittenOpinion.objects.count() == 0
    recorded = opinion(absent)
    assert recorded.status_code == 200, recorded.content
    assert WrittenOpinion.objects.filter(meeting_id=mid).count() == 1
    assert (
        client_for(OTHER_CLERK).post(f"/api/v1/meetings/{mid}/written-opinions/").status_code == 404
    )


def test_a_recusal_is_confirmed_and_the_member_then_cannot_vote_on_that_nominee(at_council):
    clerk = client_for(CLERK)
    council = commune_council(clerk)
    mid = new_meeting(clerk, council["id"]).json()["id"]
    clerk.post(f"/api/v1/meetings/{mid}/agenda/", {"dossier": at_council.pk}, format="json")
    member = next(m for m in council["members"] if m["votes"] and m["username"])
    nominee = at_council.active_nominees().first()
    bad = clerk.post(f"/api/v1/meetings/{mid}/recusals/", {"member": "x"}, format="json")
    assert bad.status_code == 400
    done = clerk.post(
        f"/api/v1/meetings/{mid}/recusals/",
        {"member": member["id"], "nominee": nominee.pk},
        format="json",
    )
    assert done.status_code == 200, done.content
    client_for(CHAIR).post(f"/api/v1/meetings/{mid}/open/")
    ballot = client_for(member["username"]).post(
        f"/api/v1/ballots/{mid}/cast/", {"nominee": nominee.pk, "choice": "agree"}, format="json"
    )
    assert ballot.status_code == 400
    assert error_of(ballot)["code"] == "recused"
    assert BallotReceipt.objects.count() == 0
