"""The e-dossier package (every document as Word and PDF, a manifest with sha256) and the
decision package for the document-management system (the signed PDF as stored, metadata);
a number given by that system is accepted at signing."""

import hashlib
import json
import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from core.errors import DomainError
from councils import services as council_services
from councils.demo import seed_councils
from councils.models import Council
from decisions import services as decision_services
from decisions.demo import seed_signing
from decisions.models import DecisionStatus, NumberUse, SignedDecision
from decisions.pdf import page_texts
from tests import factories as f
from tests.councils.conftest import chair_of, meeting_with, secretariat_of, voters
from tests.decisions.helpers import decision_for, issue, signing_day, submit
from tests.decisions.signed_helpers import needs_libreoffice

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def voted(demo):
    """A dossier the commune council voted on in a closed meeting, with a Word report."""
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")
    draft = f.make_draft(demo["th-hop-thanh"], nominees=2)
    f.upload(
        draft,
        f.actors_of("th-hop-thanh").proposer,
        "achievement_report",
        data=docx_bytes("BÁO CÁO THÀNH TÍCH của Nguyễn Thị Hồng Nhung 1"),
        name="bao-cao-thanh-tich.docx",
    )
    dossier = f.advance_to_council(f.submit_and_approve(draft))
    meeting = meeting_with(council, [dossier])
    council_services.record_attendance(meeting.pk, by=secretariat_of(council), absent={})
    council_services.open_meeting(meeting.pk, by=chair_of(council))
    for nominee in dossier.active_nominees():
        for member in voters(council):
            council_services.cast_ballot(
                meeting.pk, by=member.user, nominee_id=nominee.pk, choice="agree"
            )
    council_services.close_meeting(meeting.pk, by=chair_of(council), note="Thống nhất.")
    return dossier


def package_of(client, dossier, username="hop-thanh.vanphong"):
    client.force_login(f.user(username))
    return client.get(reverse("interchange:dossier_package", args=[dossier.pk]))


@needs_libreoffice
def test_the_e_dossier_package_has_every_document_as_word_and_pdf_with_a_true_manifest(
    voted, client
):
    response = package_of(client, voted)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    listed = [entry["name"] for entry in manifest["files"]]
    assert sorted(archive.namelist()) == sorted([*listed, "manifest.json"])
    for entry in manifest["files"]:
        data = archive.read(entry["name"])
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["name"]
        assert entry["size"] == len(data)
    generated = {}
    for entry in manifest["files"]:
        if entry["source"] == "generated":
            generated.setdefault(entry["kind"], set()).add(entry["format"])
    assert generated == {
        kind: {"docx", "pdf"}
        for kind in ("submission_letter", "nominee_list", "council_minutes", "vote_result")
    }
    for entry in manifest["files"]:
        data = archive.read(entry["name"])
        if entry["format"] == "pdf":
            assert data.startswith(b"%PDF")
        else:
            Document(BytesIO(data))  # a Word file python-docx opens
    letter = flat(" ".join(page_texts(archive.read("01-to-trinh.pdf"))))
    assert "TỜ TRÌNH" in letter
    names = [n.full_name for n in voted.active_nominees()]
    listing = flat(" ".join(page_texts(archive.read("02-danh-sach.pdf"))))
    assert all(name in listing for name in names)
    result = flat(" ".join(page_texts(archive.read("04-ket-qua-bo-phieu-1.pdf"))))
    assert "KẾT QUẢ BỎ PHIẾU" in result
    assert all(name in result for name in names)
    pdf_only = [e for e in manifest["files"] if e.get("note")]
    assert pdf_only  # the factory's PDF uploads: no Word original, and the manifest says so
    assert {e["note"] for e in pdf_only} == {"uploaded as PDF only: no Word original"}
    word = [e for e in manifest["files"] if e["source"] in ("uploaded", "converted")]
    word = [e for e in word if e["title"].endswith("bao-cao-thanh-tich.docx")]
    assert sorted((e["format"], e["source"]) for e in word) == [
        ("docx", "uploaded"),
        ("pdf", "converted"),
    ]
    report = next(e for e in word if e["format"] == "pdf")
    assert "BÁO CÁO THÀNH TÍCH" in flat(" ".join(page_texts(archive.read(report["name"]))))
    assert manifest["dossier"]["reference"] == voted.reference
    assert manifest["dossier"]["nominees"] == 2
    assert manifest["format"] == "khenthuong.e-dossier/1"


def test_without_libreoffice_the_package_is_a_message_not_a_500(voted, client, settings, tmp_path):
    settings.KHENTHUONG_SOFFICE = str(tmp_path / "no-such-soffice")
    response = package_of(client, voted)
    assert response.status_code == 503
    assert "LibreOffice" in response.content.decode()


def test_the_package_is_for_the_route_s_secretariat_only(voted, client):
    assert package_of(client, voted, "th-hop-thanh.thiduakhenthuong").status_code == 404
    assert package_of(client, voted, "xuat-le.vanphong").status_code == 404


@needs_libreoffice
def test_the_decision_package_holds_the_signed_pdf_as_stored_and_its_metadata(
    demo, client, settings, django_capture_on_commit_callbacks
):
    settings.KHENTHUONG_SIGN_ON_ISSUE = True
    seed_signing()
    _dossier, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    with django_capture_on_commit_callbacks(execute=True):
        decision = issue(draft, by=f.user("lang-son.lanhdao"), on=date(2027, 1, 4))
    signed = SignedDecision.objects.get(decision=decision)
    client.force_login(secretariat)
    response = client.get(reverse("interchange:decision_package", args=[decision.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(BytesIO(response.content))
    meta = json.loads(archive.read("metadata.json"))
    (entry,) = meta["files"]
    assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == signed.sha256
    assert entry["sha256"] == signed.sha256
    assert meta["decision"]["label"] == "Số: 01/QĐ-UBND"
    assert meta["decision"]["issued_on"] == "2027-01-04"
    assert meta["decision"]["numbered_by"] == NumberUse.ISSUED
    assert len(meta["decision"]["awardees"]) == 2
    assert meta["decision"]["verification_url"].endswith(
        f"/xac-minh/{decision.verification_token}/"
    )


def test_a_draft_has_no_decision_package(demo, client):
    _dossier, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    client.force_login(secretariat)
    response = client.get(reverse("interchange:decision_package", args=[draft.pk]))
    assert response.status_code == 409


def test_the_number_given_by_the_document_system_is_accepted_once(demo):
    signer = f.user("lang-son.lanhdao")
    _d, first, _s = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(first)
    with signing_day(date(2027, 1, 4)):
        issued = decision_services.issue_decision(
            first.pk, by=signer, issued_on=date(2027, 1, 4), external_number=37
        )
    assert issued.label == "Số: 37/QĐ-UBND"
    assert issued.number.use == NumberUse.EXTERNAL
    _d, second, _s = decision_for(demo["mn-xuat-le"], nominees=1)
    submit(second)
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        decision_services.issue_decision(
            second.pk, by=signer, issued_on=date(2027, 1, 4), external_number=37
        )
    assert refused.value.code == "number_taken"
    second.refresh_from_db()
    assert (second.status, second.label, second.number_id) == (DecisionStatus.SUBMITTED, "", None)
    with signing_day(date(2027, 1, 4)):
        after = decision_services.issue_decision(second.pk, by=signer, issued_on=date(2027, 1, 4))
    assert after.label == "Số: 38/QĐ-UBND"  # the register continues after the given number
