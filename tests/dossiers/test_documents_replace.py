"""Documents are deleted or replaced while the unit holds the dossier; a replaced file stays
in the history as superseded, and a file of an earlier round can only be replaced."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.errors import DomainError
from dossiers import services
from dossiers.models import Document, Dossier
from tests import factories as f
from workflow import services as transitions

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"
NEW_PDF = f.PDF.replace(b"%%EOF", b"% second version\n%%EOF")


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


def stored(document: Document) -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / document.stored_name[:2] / document.stored_name


@pytest.fixture
def draft(demo):
    return f.make_draft(demo[UNIT], "bang-khen-tinh", nominees=1)


@pytest.fixture
def proposer_client(client, demo):
    client.force_login(f.user(PROPOSER))
    return client


def letter_of(dossier: Dossier) -> Document:
    return dossier.documents.get(category="submission_letter")


def test_replacing_keeps_the_old_file_as_superseded_and_marks_the_current_one(
    proposer_client, draft
):
    old = letter_of(draft)
    response = proposer_client.post(
        f"/ho-so/tai-lieu/{old.pk}/thay-the/",
        {"file": SimpleUploadedFile("to-trinh-v2.pdf", NEW_PDF)},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new = draft.documents.get(original_name="to-trinh-v2.pdf")
    assert old.superseded_by == new
    assert not old.is_current
    assert new.is_current
    assert stored(old).exists()  # the history keeps the file itself
    assert new.category == old.category
    event = AuditEvent.objects.get(action="replace_document")
    assert event.data["replaces_sha256"] == old.sha256
    assert event.data["sha256"] == new.sha256
    page = proposer_client.get(f"/ho-so/{draft.pk}/sua/").content.decode()
    assert "Bản hiện hành" in page
    assert "Đã thay thế" in page
    assert "thay bằng “to-trinh-v2.pdf”" in page
    # The old version cannot be replaced or deleted again.
    with pytest.raises(DomainError) as refused:
        services.delete_document(old.pk, by=f.user(PROPOSER))
    assert refused.value.code == "superseded"


def test_a_refused_replacement_changes_nothing(proposer_client, draft):
    old = letter_of(draft)
    before = list(draft.documents.values())
    response = proposer_client.post(
        f"/ho-so/tai-lieu/{old.pk}/thay-the/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert response.status_code == 200
    assert list(draft.documents.values()) == before
    assert not AuditEvent.objects.filter(action="replace_document").exists()


def test_deleting_a_draft_file_asks_first_then_removes_row_and_file_audited(
    proposer_client, draft, django_capture_on_commit_callbacks
):
    document = letter_of(draft)
    path = stored(document)
    confirm = proposer_client.get(f"/ho-so/tai-lieu/{document.pk}/xoa/").content.decode()
    assert "Xoá tệp “tai-lieu.pdf”?" in confirm
    assert Document.objects.filter(pk=document.pk).exists()  # a GET deletes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = proposer_client.post(f"/ho-so/tai-lieu/{document.pk}/xoa/")
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    event = AuditEvent.objects.get(action="delete_document")
    assert event.data["sha256"] == document.sha256
    assert "submission_letter" in Dossier.objects.get(pk=draft.pk).missing_documents()


def test_deleting_a_replacement_makes_the_replaced_version_current_again(draft):
    old = letter_of(draft)
    by = f.user(PROPOSER)
    new = services.replace_document(
        old.pk, by=by, name="v2.pdf", size=len(NEW_PDF), chunks=[NEW_PDF]
    )
    restored = services.delete_document(new.pk, by=by)
    old.refresh_from_db()
    assert restored == old
    assert old.is_current


def test_a_returned_dossiers_submitted_files_are_replaced_never_deleted(proposer_client, draft):
    dossier = f.submit_and_approve(draft)
    transitions.return_for_supplement(
        dossier.pk, by=f.stage_secretariat(dossier), reason="Bổ sung biên bản"
    )
    submitted = letter_of(dossier)
    with pytest.raises(DomainError) as refused:
        services.delete_document(submitted.pk, by=f.user(PROPOSER))
    assert refused.value.code == "submitted_document"
    assert "đã nộp ở lần nộp 1" in str(refused.value)
    page = proposer_client.get(f"/ho-so/{dossier.pk}/sua/").content.decode()
    assert f"/ho-so/tai-lieu/{submitted.pk}/xoa/" not in page  # no delete link offered
    new = services.replace_document(
        submitted.pk, by=f.user(PROPOSER), name="v2.pdf", size=len(NEW_PDF), chunks=[NEW_PDF]
    )
    assert new.round == 2
    submitted.refresh_from_db()
    assert submitted.superseded_by == new


def test_files_are_frozen_once_the_unit_no_longer_holds_the_dossier(proposer_client, draft):
    dossier = f.submit_and_approve(draft)
    document = letter_of(dossier)
    response = proposer_client.post(f"/ho-so/tai-lieu/{document.pk}/xoa/")
    assert response.status_code == 404
    with pytest.raises(DomainError) as refused:
        services.replace_document(
            document.pk, by=f.user(PROPOSER), name="v2.pdf", size=len(NEW_PDF), chunks=[NEW_PDF]
        )
    assert refused.value.code == "not_editable"
    assert Document.objects.get(pk=document.pk).is_current


def test_another_units_proposer_can_neither_delete_nor_replace(client, draft):
    document = letter_of(draft)
    client.force_login(f.user("thcs-tan-doan.thiduakhenthuong"))
    assert client.post(f"/ho-so/tai-lieu/{document.pk}/xoa/").status_code == 404
    response = client.post(
        f"/ho-so/tai-lieu/{document.pk}/thay-the/",
        {"file": SimpleUploadedFile("x.pdf", NEW_PDF)},
    )
    assert response.status_code == 404
    assert Document.objects.get(pk=document.pk).is_current
