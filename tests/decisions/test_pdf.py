"""Word → PDF by LibreOffice: the decision reads back whole, fonts embedded; failures are
refusals, not crashes. The LibreOffice tests are few: each conversion takes a second or two."""

import unicodedata
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from core.errors import DomainError
from decisions.demo import seed_signing
from decisions.pdf import docx_to_pdf, embedded_fonts
from decisions.profiles import person_name
from tests.factories import user

from .helpers import decision_for, issue
from .signed_helpers import needs_libreoffice, signed_bytes

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())


@needs_libreoffice
def test_issued_decision_pdf_holds_number_date_issuer_and_every_awardee_in_order(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.KHENTHUONG_SIGN_ON_ISSUE = True
    seed_signing()
    names = ["Hoàng Thị Thu Trang", "Nông Văn Quyết", "Lương Thị Mai Hương"]
    fields = [
        {
            "kind": "individual",
            "full_name": unicodedata.normalize("NFD", name),  # typed decomposed
            "birth_year": 1980 + i,
            "gender": "female",
            "position": "Giáo viên",
            "organisation_name": "Trường Tiểu học Hợp Thành",
            "identity_code": f"00108500{i:04d}",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        }
        for i, name in enumerate(names)
    ]
    _dossier, draft, _secretariat = decision_for(
        demo["th-hop-thanh"], nominees=3, nominee_fields=fields
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = issue(draft, by=user("lang-son.lanhdao"), on=date(2027, 1, 4))

    data = signed_bytes(decision)
    pages = [page.extract_text() for page in PdfReader(BytesIO(data)).pages]
    text = flat(" ".join(pages))
    assert unicodedata.is_normalized("NFC", text)
    assert "Số: 01/QĐ-UBND" in text
    assert "Lạng Sơn, ngày 04 tháng 01 năm 2027" in text
    assert "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in text
    # the signer's name under his capacity: the signing authority's own record
    assert person_name(user("lang-son.lanhdao")) in text
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions), "awardees out of the decision's order"
    assert text.index("DANH SÁCH") < positions[0]
    fonts = embedded_fonts(data)
    assert fonts, "pdffonts listed no font"
    assert all(embedded for _name, embedded in fonts), fonts


def test_missing_libreoffice_is_a_refusal_not_a_crash(settings, tmp_path):
    settings.KHENTHUONG_SOFFICE = str(tmp_path / "no-such-soffice")
    with pytest.raises(DomainError) as refused:
        docx_to_pdf(b"PK")
    assert refused.value.code == "pdf_unavailable"
    assert "LibreOffice" in str(refused.value)


def test_a_hung_conversion_is_killed_at_the_timeout(settings, tmp_path):
    hung = tmp_path / "soffice"
    hung.write_text("#!/bin/sh\nsleep 30\n")
    hung.chmod(0o755)
    settings.KHENTHUONG_SOFFICE = str(hung)
    with pytest.raises(DomainError) as refused:
        docx_to_pdf(b"PK", timeout=1)
    assert refused.value.code == "pdf_failed"
