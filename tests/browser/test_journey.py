"""The journey through pages only, in Chromium, as the people it is for would walk it.

A school, Trường Tiểu học Hợp Thành, proposes the commune chair's Giấy khen for a collective
and two teachers imported from an .xlsx, uploads its documents and submits; its head
approves; the commune secretariat returns it with a reason, the school resubmits, and the
secretariat receives it complete and puts it before the commune council; the council's five
members vote by secret ballot from their phones (a ballot sent without its confirmation comes
back with its choices) and one teacher fails; the chair closes the session; the secretariat
drafts the decision for the two who passed and submits it; the commune's leader signs and
issues it (Số: 01/QĐ-UBND); the school sees the dossier decided and downloads the decision.
Every page on the way is checked by axe-core and for sideways scroll (`look`); named pages
are kept under docs/screenshots/.
"""

import re

import pytest
from django.utils import timezone
from docx import Document as DocxDocument
from openpyxl import Workbook

from councils.models import Meeting, MeetingStatus, NomineeResult
from councils.voting import Verdict
from decisions.models import Decision, DecisionStatus
from dossiers.models import Dossier
from dossiers.nominee_import import COLUMNS, SHEET
from tests.browser.conftest import DESK, PHONE, _context, log_in
from tests.browser.conftest import look as check
from tests.factories import PDF
from workflow.states import DossierStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSER = "th-hop-thanh.thiduakhenthuong"
HEAD = "th-hop-thanh.thutruong"
CLERK = "hop-thanh.vanphong"
CHAIR = "hop-thanh.chutichhd"
SIGNER = "hop-thanh.lanhdao"
MEMBERS = [
    "hop-thanh.hoidong01",
    "hop-thanh.hoidong02",
    "hop-thanh.hoidong03",
    "hop-thanh.uyvien",
    "hop-thanh.chutichhd",
]
RETURN_REASON = "Bổ sung biên bản họp bình xét của nhà trường."
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân xã"

# fmt: off
NOMINEES = [
    (
        "Tập thể",
        "Tổ Toán – Tin",
        "",
        "",
        "",
        "Trường Tiểu học Hợp Thành",
        "",
        "",
        "Dẫn đầu phong trào.",
        "80",
    ),
    (
        "Cá nhân",
        "Hoàng Thị Mai",
        1986,
        "Nữ",
        "Giáo viên",
        "Trường Tiểu học Hợp Thành",
        "001186000123",
        "Có",
        "Hoàn thành xuất sắc nhiệm vụ.",
        "",
    ),
    (
        "Cá nhân",
        "Lưu Văn Thắng",
        1979,
        "Nam",
        "Giáo viên",
        "Trường Tiểu học Hợp Thành",
        "001079000456",
        "Không",
        "Hoàn thành tốt nhiệm vụ.",
        "",
    ),
]
# fmt: on


def nominees_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _ in COLUMNS])
    for row in NOMINEES:
        sheet.append(list(row))
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    return path


def as_user(chromium, base, username, viewport=None):
    context = _context(chromium, viewport or DESK)
    page = context.new_page()
    log_in(page, base, username)
    return context, page


def click(page, name):
    page.get_by_role("button", name=re.compile(name)).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", ["desk", "phone"])
def test_the_whole_journey_through_pages(seeded, live_server, chromium, tmp_path, width):
    """Walked twice: at a desk (1280 px) and on a phone (390 × 844), where every page of the
    journey must also fit without sideways scroll. Screenshots are kept from the desk walk
    (the phone walk keeps the decided dossier only)."""
    base = live_server.url
    viewport = PHONE if width == "phone" else DESK

    def look(page, name=None):
        keep = name if width == "desk" or name == "dossier-decided" else None
        if keep and width == "phone":
            keep = f"{name}-phone"
        check(page, keep)

    # 1. The proposer creates the dossier, imports its nominees and uploads its documents.
    context, page = as_user(chromium, base, PROPOSER, viewport)
    look(page, "home-proposer-journey")
    page.goto(f"{base}/ho-so/tao-moi/")
    page.get_by_label(re.compile("Đơn vị đề nghị")).select_option(label="Trường Tiểu học Hợp Thành")
    page.get_by_label(re.compile("Hình thức khen thưởng")).select_option(label=AWARD)
    page.get_by_label(re.compile("Năm thành tích")).fill("2026")
    page.get_by_label(re.compile("Trích yếu")).fill("Đề nghị tặng Giấy khen năm học 2025–2026")
    look(page)
    click(page, "Tạo hồ sơ")
    dossier = Dossier.objects.get(title__startswith="Đề nghị tặng Giấy khen năm học")
    page.goto(f"{base}/ho-so/{dossier.pk}/nguoi-duoc-de-nghi/nhap/")
    look(page)
    page.set_input_files("input[type=file]", str(nominees_xlsx(tmp_path)))
    click(page, "Nhập danh sách")
    assert dossier.nominees.count() == 3
    page.goto(f"{base}/ho-so/{dossier.pk}/sua/")
    for category in dossier.required_categories():
        upload = page.locator(f"form[action='/ho-so/{dossier.pk}/tai-lieu/']")
        upload.locator("select[name=category]").select_option(category)
        upload.locator("input[name=file]").set_input_files(
            files=[{"name": f"{category}.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        upload.get_by_role("button", name="Tải lên").click()
        page.wait_for_load_state()
    look(page, "dossier-edit")
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    click(page, "Gửi hồ sơ")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.UNIT_REVIEW
    context.close()

    # 2. The unit head approves it: it goes to the commune.
    context, page = as_user(chromium, base, HEAD, viewport)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    look(page)
    click(page, "Duyệt")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.INTERMEDIATE_APPRAISAL
    context.close()

    # 3. The commune secretariat returns it for a missing piece; the reason reaches the
    #    proposer, who resubmits; then the secretariat receives it complete.
    context, page = as_user(chromium, base, CLERK, viewport)
    look(page, "home-commune-secretariat-journey")
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    box = page.locator("section.action-box", has_text="Trả lại để bổ sung")
    box.locator("textarea[name=reason]").fill(RETURN_REASON)
    box.get_by_role("button").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    context.close()

    context, page = as_user(chromium, base, PROPOSER, viewport)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    assert RETURN_REASON in page.locator(".summary-list").inner_text()
    look(page, "dossier-returned")
    click(page, "Gửi lại sau khi bổ sung")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.INTERMEDIATE_APPRAISAL
    context.close()

    context, page = as_user(chromium, base, CLERK, viewport)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    click(page, "Tiếp nhận")
    click(page, "Trình Hội đồng")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.INTERMEDIATE_COUNCIL
    look(page, "dossier-page-at-council")

    # 4. It schedules the council's session and puts the dossier on its agenda.
    page.goto(f"{base}/hoi-dong/")
    look(page)
    page.get_by_label("Hội đồng").select_option(index=1)
    page.get_by_label("Nội dung phiên họp").fill("Phiên họp xét khen thưởng năm học 2025–2026")
    page.get_by_label("Thời gian họp").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Địa điểm").fill("Hội trường Ủy ban nhân dân xã Hợp Thành")
    click(page, "Tạo phiên họp")
    meeting = Meeting.objects.get(title="Phiên họp xét khen thưởng năm học 2025–2026")
    page.locator("#dossier").select_option(str(dossier.pk))
    click(page, "Thêm vào chương trình")
    look(page, "meeting-agenda")
    context.close()

    # 5. The chair opens the vote; every member votes by secret ballot from a phone; one
    #    nominee, Lưu Văn Thắng, gets too few votes. A ballot sent without its confirmation
    #    comes back with the choices kept.
    context, page = as_user(chromium, base, CHAIR, viewport)
    page.goto(f"{base}/hoi-dong/phien/{meeting.pk}/")
    click(page, "Mở bỏ phiếu")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.OPEN
    context.close()
    collective, mai, thang = (
        dossier.nominees.get(full_name=name)
        for name in ("Tổ Toán – Tin", "Hoàng Thị Mai", "Lưu Văn Thắng")
    )
    for number, member in enumerate(MEMBERS):
        context, page = as_user(chromium, base, member, PHONE)
        page.goto(f"{base}/hoi-dong/phien/{meeting.pk}/bo-phieu/")
        against = number < 3  # three of the five against Lưu Văn Thắng
        for nominee, agree in ((collective, True), (mai, True), (thang, not against)):
            page.check(f"#id_nominee-{nominee.pk}_{0 if agree else 1}")
        if number == 0:
            page.get_by_role("button", name="Gửi phiếu").click()  # the confirmation left out
            page.wait_for_load_state()
            assert page.locator("#id_confirm-error, .error-summary").first.is_visible()
            assert page.is_checked(f"#id_nominee-{thang.pk}_1")
            assert page.is_checked(f"#id_nominee-{mai.pk}_0")
            look(page, "ballot-error-kept-phone")
        page.check("#id_confirm")
        page.get_by_role("button", name="Gửi phiếu").click()
        page.wait_for_load_state()
        assert "Đã nhận" in page.locator(".messages").inner_text()
        context.close()

    # 6. The chair closes the session (through its confirmation page): the result is counted.
    context, page = as_user(chromium, base, CHAIR, viewport)
    page.goto(f"{base}/hoi-dong/phien/{meeting.pk}/ket-thuc/")
    look(page)
    click(page, "Có, kết thúc và kiểm phiếu")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CLOSED
    look(page, "meeting-closed")
    context.close()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_DECISION
    outcomes = dict(
        NomineeResult.objects.filter(item__meeting=meeting).values_list(
            "nominee__full_name", "outcome"
        )
    )
    assert outcomes == {
        "Tổ Toán – Tin": Verdict.PASSED,
        "Hoàng Thị Mai": Verdict.PASSED,
        "Lưu Văn Thắng": Verdict.FAILED,
    }

    # 7. The secretariat drafts the decision (the two who passed) and submits it for signature.
    context, page = as_user(chromium, base, CLERK, viewport)
    page.goto(f"{base}/quyet-dinh/moi/")
    look(page)
    assert page.locator("input[name=nominees]").count() == 2
    click(page, "Tạo dự thảo")
    decision = Decision.objects.get(lines__nominee=mai)
    click(page, "Trình ký")
    context.close()

    # 8. The signing authority signs and issues it: it gets its number.
    context, page = as_user(chromium, base, SIGNER, viewport)
    look(page, "home-signer-journey")
    page.goto(f"{base}/quyet-dinh/{decision.pk}/")
    page.get_by_role("link", name=re.compile("Ký ban hành")).click()
    page.wait_for_load_state()
    look(page)
    page.locator("input[name=confirm]").check()
    click(page, "Ký ban hành và cấp số")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.label == "Số: 01/QĐ-UBND"
    context.close()

    # 9. The proposer sees the dossier decided and downloads the decision.
    context, page = as_user(chromium, base, PROPOSER, viewport)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    assert "Đã có quyết định" in page.locator(".summary-list").inner_text()
    look(page, "dossier-decided")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải quyết định (Word)").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    word = DocxDocument(saved)
    text = "\n".join(p.text for p in word.paragraphs) + _table_text(word)
    assert "Số: 01/QĐ-UBND" in text
    assert "Hoàng Thị Mai" in text
    assert "Tổ Toán – Tin" in text
    assert "Lưu Văn Thắng" not in text
    context.close()


def _table_text(document) -> str:
    return "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
