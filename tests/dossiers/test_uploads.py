import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.errors import DomainError
from dossiers.models import Document
from dossiers.services import attach_document
from tests import factories as f


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def docx_bytes(*, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


@pytest.fixture
def draft(demo):
    return f.make_draft(demo["th-hop-thanh"], documents=False)


@pytest.fixture
def proposer(demo):
    return f.user("th-hop-thanh.thiduakhenthuong")


def attempt(draft, proposer, data: bytes, name: str, size: int | None = None):
    before_files, before_rows = stored_files(), Document.objects.count()
    with pytest.raises(DomainError) as err:
        attach_document(
            draft.pk,
            by=proposer,
            category="minutes",
            name=name,
            size=len(data) if size is None else size,
            chunks=[data],
        )
    assert err.value.field == "file"
    assert stored_files() == before_files
    assert Document.objects.count() == before_rows
    return err.value.in_languages()["vi"]


def test_renamed_executable_is_refused(draft, proposer):
    message = attempt(draft, proposer, b"MZ\x90\x00" + b"\x00" * 200, "bien-ban.pdf")
    assert "chỉ nhận PDF, DOCX, JPG, PNG" in message


def test_executable_renamed_to_docx_is_refused(draft, proposer):
    message = attempt(draft, proposer, b"\x7fELF" + b"\x00" * 100, "bao-cao.docx")
    assert "chỉ nhận" in message


def test_oversize_file_is_refused_before_reading(draft, proposer):
    message = attempt(draft, proposer, f.PDF, "lon.pdf", size=21 * 1024 * 1024)
    assert "20 MB" in message


def test_pdf_polyglot_is_refused(draft, proposer):
    polyglot = f.PDF + docx_bytes()  # a PDF with a ZIP archive appended
    message = attempt(draft, proposer, polyglot, "to-trinh.pdf")
    assert "PDF" in message


def test_pdf_with_embedded_script_is_refused(draft, proposer):
    data = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    attempt(draft, proposer, data, "to-trinh.pdf")


def test_extension_must_match_content(draft, proposer):
    message = attempt(draft, proposer, f.PNG, "anh.pdf")
    assert "không khớp" in message


def test_docx_with_macros_is_refused(draft, proposer):
    message = attempt(draft, proposer, docx_bytes(macro=True), "bao-cao.docx")
    assert "macro" in message


def test_valid_files_are_stored_under_random_names_and_audited(draft, proposer):
    for data, name in ((f.PDF, "Tờ trình.pdf"), (f.PNG, "anh.png"), (docx_bytes(), "bc.docx")):
        document = f.upload(draft, proposer, "other", data=data, name=name)
        path = Path(settings.PRIVATE_STORAGE_ROOT) / document.stored_name[:2] / document.stored_name
        assert path.read_bytes() == data
        assert name not in str(path)
        assert document.original_name == name
    assert AuditEvent.objects.filter(action="upload").count() == 3


def test_download_is_permission_checked_and_audited(client, draft, proposer):
    document = f.upload(draft, proposer, "minutes")
    client.force_login(f.user("thcs-tan-doan.thiduakhenthuong"))
    assert client.get(f"/ho-so/tai-lieu/{document.pk}/").status_code == 404
    client.force_login(proposer)
    response = client.get(f"/ho-so/tai-lieu/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF
    assert AuditEvent.objects.filter(action="download", actor=proposer).count() == 1


def test_upload_page_reports_refusal_and_keeps_nothing(client, draft, proposer):
    client.force_login(proposer)
    response = client.post(
        f"/ho-so/{draft.pk}/tai-lieu/",
        {"category": "minutes", "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00payload")},
        follow=True,
    )
    assert "chỉ nhận PDF, DOCX, JPG, PNG" in response.content.decode()
    assert not Document.objects.exists()
