"""Dossiers, nominees, documents and transitions through the API: for each, a success, a
refusal of someone else's object (404), a validation error (400), a conflict (409) and a
stale update (412); and that a refused request leaves every row as it was."""

import io

import pytest
from openpyxl import Workbook
from rest_framework.test import APIClient

from audit.models import AuditEvent
from dossiers.models import Document, Dossier, DossierStage, Nominee
from dossiers.nominee_import import COLUMNS, SHEET
from notifications.models import OutboxMessage
from tests import factories as f
from workflow.states import DossierStatus

from .conftest import client_for, error_of

pytestmark = pytest.mark.django_db

PROPOSER = "th-hop-thanh.thiduakhenthuong"
HEAD = "th-hop-thanh.thutruong"
STRANGER = "mn-xuat-le.thiduakhenthuong"  # a proposer of another commune's school
NOMINEE = {
    "kind": "individual",
    "full_name": "Hoàng Thị Mai",
    "birth_year": 1986,
    "gender": "female",
    "position": "Giáo viên",
    "organisation_name": "Trường Tiểu học Hợp Thành",
    "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
}


def snapshot(dossier_id: int) -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        Dossier.objects.values().get(pk=dossier_id),
        list(Nominee.objects.filter(dossier_id=dossier_id).values()),
        Document.objects.filter(dossier_id=dossier_id).count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
        DossierStage.objects.filter(dossier_id=dossier_id).count(),
    )


@pytest.fixture
def school(api, demo):
    return demo["th-hop-thanh"]


@pytest.fixture
def draft(school):
    return f.make_draft(school, "giay-khen-xa", nominees=1)


def pdf_file(name="to-trinh.pdf", data=f.PDF):
    file = io.BytesIO(data)
    file.name = name
    return file


# --- list, search, cursor --------------------------------------------------------------------


def test_the_list_shows_own_dossiers_and_finds_them_as_the_page_does(draft, demo):
    f.make_draft(demo["mn-xuat-le"], "giay-khen-xa", nominees=1)
    mine = client_for(PROPOSER).get("/api/v1/dossiers/").json()["results"]
    assert [d["id"] for d in mine] == [draft.pk]
    # Folded search over the nominees' names (dossiers.search): no marks, any case.
    found = client_for(PROPOSER).get("/api/v1/dossiers/", {"q": "NGUYEN thi hong nhung"})
    assert [d["id"] for d in found.json()["results"]] == [draft.pk]
    none = client_for(PROPOSER).get("/api/v1/dossiers/", {"q": "khong co ai"})
    assert none.json()["results"] == []


def test_the_list_pages_by_cursor_without_repeating_or_losing_a_dossier(school):
    made = {f.make_draft(school, "giay-khen-xa", nominees=1, documents=False).pk for _ in range(5)}
    client = client_for(PROPOSER)
    seen, url, params = [], "/api/v1/dossiers/", {"page_size": 2}
    while url:
        page = client.get(url, params).json()
        assert len(page["results"]) <= 2
        seen += [d["id"] for d in page["results"]]
        url, params = page["next"], None
    assert sorted(seen) == sorted(made)
    assert "cursor=" in client.get("/api/v1/dossiers/", {"page_size": 2}).json()["next"]


def test_a_filter_value_the_page_would_refuse_is_a_400_naming_the_field(draft):
    response = client_for(PROPOSER).get("/api/v1/dossiers/", {"status": "no_such_state"})
    assert response.status_code == 400
    assert error_of(response)["field"] == "status"


def test_another_units_dossier_is_not_found_whatever_is_asked(draft):
    stranger = client_for(STRANGER)
    before = snapshot(draft.pk)
    for method, path in [
        ("get", ""),
        ("patch", ""),
        ("post", "submit/"),
        ("get", "nominees/"),
        ("post", "nominees/"),
        ("get", "documents/"),
    ]:
        response = getattr(stranger, method)(
            f"/api/v1/dossiers/{draft.pk}/{path}", {}, format="json"
        )
        assert response.status_code == 404, (method, path, response.content)
        assert error_of(response)["code"] == "not_found"
    assert snapshot(draft.pk) == before


def test_without_a_token_the_api_answers_401_and_a_revoked_token_too(draft):
    assert APIClient().get("/api/v1/dossiers/").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token kt_not-a-real-secret")
    response = bad.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


# --- create and update -----------------------------------------------------------------------


def test_create_opens_a_draft_and_refuses_a_unit_one_does_not_file_for(school, demo):
    client = client_for(PROPOSER)
    award = f.award("giay-khen-xa")
    made = client.post(
        "/api/v1/dossiers/",
        {"proposer": school.pk, "award_type": award.pk, "year": 2026, "title": "Đề nghị"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["status"] == "draft"
    assert made["ETag"]
    count = Dossier.objects.count()
    other = client.post(
        "/api/v1/dossiers/",
        {"proposer": demo["mn-xuat-le"].pk, "award_type": award.pk, "year": 2026, "title": "X"},
        format="json",
    )
    assert other.status_code == 400
    assert error_of(other)["field"] == "proposer"
    blank = client.post(
        "/api/v1/dossiers/",
        {"proposer": school.pk, "award_type": award.pk, "year": 2026, "title": "   "},
        format="json",
    )
    assert blank.status_code == 400
    assert error_of(blank)["field"] == "title"
    assert Dossier.objects.count() == count


def test_update_needs_the_current_etag_and_a_stale_one_changes_nothing(draft):
    client = client_for(PROPOSER)
    etag = client.get(f"/api/v1/dossiers/{draft.pk}/")["ETag"]
    changed = client.patch(
        f"/api/v1/dossiers/{draft.pk}/",
        {"title": "Trích yếu mới"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200
    assert changed.json()["title"] == "Trích yếu mới"
    assert changed["ETag"] != etag
    before = snapshot(draft.pk)
    stale = client.patch(
        f"/api/v1/dossiers/{draft.pk}/", {"title": "Ghi đè"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert error_of(stale)["code"] == "stale"
    assert snapshot(draft.pk) == before


def test_update_refuses_a_bad_year_and_a_submitted_dossier(draft):
    client = client_for(PROPOSER)
    bad = client.patch(f"/api/v1/dossiers/{draft.pk}/", {"year": "năm nay"}, format="json")
    assert bad.status_code == 400
    assert error_of(bad)["field"] == "year"
    client.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    before = snapshot(draft.pk)
    late = client.patch(f"/api/v1/dossiers/{draft.pk}/", {"title": "Muộn"}, format="json")
    assert late.status_code == 409
    assert error_of(late)["code"] == "not_editable"
    assert snapshot(draft.pk) == before


def test_the_unit_head_sees_the_draft_but_may_not_edit_it(draft):
    response = client_for(HEAD).patch(
        f"/api/v1/dossiers/{draft.pk}/", {"title": "Sửa hộ"}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "no_permission"


# --- transitions -----------------------------------------------------------------------------


def test_submit_without_documents_is_a_409_naming_what_is_missing_and_changes_nothing(school):
    dossier = f.make_draft(school, "giay-khen-xa", nominees=1, documents=False)
    client = client_for(PROPOSER)
    before = snapshot(dossier.pk)
    response = client.post(f"/api/v1/dossiers/{dossier.pk}/submit/")
    assert response.status_code == 409
    body = error_of(response)
    assert body["code"] == "unmet_conditions"
    assert body["details"]  # each unmet condition, in both languages
    assert all(d["vi"] and d["en"] for d in body["details"])
    assert snapshot(dossier.pk) == before


def test_submit_then_approve_by_the_unit_head_calls_the_same_services(draft):
    submitted = client_for(PROPOSER).post(f"/api/v1/dossiers/{draft.pk}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "unit_review"
    refused = client_for(PROPOSER).post(f"/api/v1/dossiers/{draft.pk}/approve/")
    assert refused.status_code == 403
    approved = client_for(HEAD).post(f"/api/v1/dossiers/{draft.pk}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == DossierStatus.INTERMEDIATE_APPRAISAL
    actions = AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    assert {"submit", "approve_at_unit"} <= set(actions)


def test_a_transition_with_a_stale_if_match_is_412_and_a_repeated_one_409(draft):
    client = client_for(PROPOSER)
    etag = client.get(f"/api/v1/dossiers/{draft.pk}/")["ETag"]
    client.patch(f"/api/v1/dossiers/{draft.pk}/", {"title": "Đổi"}, format="json")
    before = snapshot(draft.pk)
    stale = client.post(f"/api/v1/dossiers/{draft.pk}/submit/", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert snapshot(draft.pk) == before
    assert client.post(f"/api/v1/dossiers/{draft.pk}/submit/").status_code == 200
    again = client.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    assert again.status_code == 409
    assert error_of(again)["code"] == "conflict"


def test_return_needs_a_reason(school):
    dossier = f.submit_and_approve(f.make_draft(school, "giay-khen-xa", nominees=1))
    clerk = client_for("hop-thanh.vanphong")
    before = snapshot(dossier.pk)
    response = clerk.post(f"/api/v1/dossiers/{dossier.pk}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert error_of(response)["field"] == "reason"
    assert snapshot(dossier.pk) == before
    returned = clerk.post(
        f"/api/v1/dossiers/{dossier.pk}/return/", {"reason": "Thiếu biên bản"}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"


def test_accept_refuses_a_receipt_date_in_the_future(school):
    dossier = f.submit_and_approve(f.make_draft(school, "giay-khen-xa", nominees=1))
    response = client_for("hop-thanh.vanphong").post(
        f"/api/v1/dossiers/{dossier.pk}/accept/", {"received_on": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "received_on"


# --- nominees --------------------------------------------------------------------------------


def test_nominees_are_added_changed_with_their_etag_and_removed(draft):
    client = client_for(PROPOSER)
    added = client.post(f"/api/v1/dossiers/{draft.pk}/nominees/", NOMINEE, format="json")
    assert added.status_code == 201
    nominee = added.json()["id"]
    url = f"/api/v1/dossiers/{draft.pk}/nominees/{nominee}/"
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"position": "Tổ trưởng"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["position"] == "Tổ trưởng"
    before = snapshot(draft.pk)
    stale = client.patch(url, {"position": "Hiệu phó"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert snapshot(draft.pk) == before
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_a_nominee_of_the_wrong_kind_or_shape_is_a_400_on_its_field(draft):
    client = client_for(PROPOSER)
    before = snapshot(draft.pk)
    shape = client.post(
        f"/api/v1/dossiers/{draft.pk}/nominees/", {**NOMINEE, "birth_year": "x"}, format="json"
    )
    assert shape.status_code == 400
    assert error_of(shape)["field"] == "birth_year"
    # The service's rule (dossiers.nominee_rules): a share of women is 0–100, collectives only.
    share = client.post(
        f"/api/v1/dossiers/{draft.pk}/nominees/", {**NOMINEE, "women_share": "80"}, format="json"
    )
    assert share.status_code == 400
    assert error_of(share)["field"] == "women_share"
    assert snapshot(draft.pk) == before


def test_nominees_of_a_submitted_dossier_are_not_editable(draft):
    client = client_for(PROPOSER)
    client.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    before = snapshot(draft.pk)
    response = client.post(f"/api/v1/dossiers/{draft.pk}/nominees/", NOMINEE, format="json")
    assert response.status_code == 409
    assert snapshot(draft.pk) == before


def test_an_import_with_a_bad_row_imports_nothing_and_names_the_cell(draft):
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _ in COLUMNS])
    sheet.append(["Cá nhân", "Lê Văn A", "năm", "Nam", "", "", "", "", "Tốt.", ""])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ds.xlsx"
    client = client_for(PROPOSER)
    before = snapshot(draft.pk)
    response = client.post(
        f"/api/v1/dossiers/{draft.pk}/nominees/import/", {"file": data}, format="multipart"
    )
    assert response.status_code == 400
    assert "Năm sinh" in " ".join(d["vi"] for d in error_of(response)["details"])
    assert snapshot(draft.pk) == before


# --- documents -------------------------------------------------------------------------------


def test_documents_upload_list_download_and_delete(draft):
    client = client_for(PROPOSER)
    uploaded = client.post(
        f"/api/v1/dossiers/{draft.pk}/documents/",
        {"category": "submission_letter", "file": pdf_file("Tờ trình đề nghị.pdf")},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    document = uploaded.json()["id"]
    listed = client.get(f"/api/v1/dossiers/{draft.pk}/documents/").json()
    assert document in [d["id"] for d in listed]
    download = client.get(f"/api/v1/documents/{document}/download/")
    assert download.status_code == 200
    assert download.getvalue() == f.PDF
    # The Vietnamese name arrives intact (RFC 6266 filename*), not as mangled Latin-1.
    assert "filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="download", object_id=str(draft.pk)).exists()
    assert client_for(STRANGER).get(f"/api/v1/documents/{document}/download/").status_code == 404
    assert client.delete(f"/api/v1/documents/{document}/").status_code == 204


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(draft):
    client = client_for(PROPOSER)
    before = snapshot(draft.pk)
    response = client.post(
        f"/api/v1/dossiers/{draft.pk}/documents/",
        {"category": "submission_letter", "file": pdf_file("x.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert snapshot(draft.pk) == before
    bad_category = client.post(
        f"/api/v1/dossiers/{draft.pk}/documents/",
        {"category": "nonsense", "file": pdf_file()},
        format="multipart",
    )
    assert bad_category.status_code == 400
    assert error_of(bad_category)["field"] == "category"


def test_documents_of_a_submitted_dossier_cannot_be_added(draft):
    client = client_for(PROPOSER)
    client.post(f"/api/v1/dossiers/{draft.pk}/submit/")
    before = snapshot(draft.pk)
    response = client.post(
        f"/api/v1/dossiers/{draft.pk}/documents/",
        {"category": "submission_letter", "file": pdf_file()},
        format="multipart",
    )
    assert response.status_code == 409
    assert snapshot(draft.pk) == before


def test_withdraw_needs_a_reason_and_then_ends_the_dossier(draft):
    client = client_for(PROPOSER)
    before = snapshot(draft.pk)
    bare = client.post(f"/api/v1/dossiers/{draft.pk}/withdraw/", {}, format="json")
    assert bare.status_code == 400
    assert error_of(bare)["field"] == "reason"
    assert snapshot(draft.pk) == before
    done = client.post(
        f"/api/v1/dossiers/{draft.pk}/withdraw/", {"reason": "Nộp nhầm"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    assert done.json()["actions"] == []


def test_a_returned_dossier_is_edited_and_resubmitted_by_its_unit(school):
    dossier = f.submit_and_approve(f.make_draft(school, "giay-khen-xa", nominees=1))
    clerk = client_for("hop-thanh.vanphong")
    clerk.post(f"/api/v1/dossiers/{dossier.pk}/return/", {"reason": "Bổ sung"}, format="json")
    proposer = client_for(PROPOSER)
    edited = proposer.patch(
        f"/api/v1/dossiers/{dossier.pk}/", {"letter_text": "Đã bổ sung."}, format="json"
    )
    assert edited.status_code == 200
    assert clerk.post(f"/api/v1/dossiers/{dossier.pk}/resubmit/").status_code == 403
    again = proposer.post(f"/api/v1/dossiers/{dossier.pk}/resubmit/")
    assert again.status_code == 200
    assert again.json()["status"] == DossierStatus.INTERMEDIATE_APPRAISAL


def test_reject_at_appraisal_needs_a_reason_and_forward_needs_the_right_state(school):
    dossier = f.submit_and_approve(f.make_draft(school, "giay-khen-xa", nominees=1))
    clerk = client_for("hop-thanh.vanphong")
    early = clerk.post(f"/api/v1/dossiers/{dossier.pk}/forward/")
    assert early.status_code in (403, 409)  # a stage with a council is not forwarded unseen
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL
    assert (
        clerk.post(f"/api/v1/dossiers/{dossier.pk}/reject/", {}, format="json").status_code == 400
    )
    rejected = clerk.post(
        f"/api/v1/dossiers/{dossier.pk}/reject/", {"reason": "Không đủ tiêu chuẩn"}, format="json"
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == DossierStatus.NOT_APPROVED
