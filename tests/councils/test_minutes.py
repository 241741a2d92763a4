"""The minutes (.docx) read back with python-docx: header blocks, layout, tallies = database."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from councils import services
from councils.minutes import (
    HEADER_OUTDENT_MM,
    HEADER_WIDTHS_MM,
    TALLY_HEADER,
    build_minutes,
    minutes_filename,
)
from councils.models import CouncilMember, Meeting, NomineeResult
from decisions.pdf import docx_to_pdf, page_texts
from office.dates import vietnamese_date
from tests import factories as f
from tests.decisions.signed_helpers import needs_libreoffice

from .conftest import chair_of, meeting_with, secretariat_of, voters


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 1, 4), "ngày 04 tháng 01 năm 2027"),
        (date(2027, 2, 15), "ngày 15 tháng 02 năm 2027"),
        (date(2027, 6, 5), "ngày 05 tháng 6 năm 2027"),
        (date(2026, 11, 20), "ngày 20 tháng 11 năm 2026"),
    ],
)
def test_dates_are_padded_as_decree_30_says(day, text):
    assert vietnamese_date(day) == text


@pytest.fixture
def closed(demo, councils):
    council = councils["hop-thanh"]
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=3)
    first, second, third = dossier.active_nominees()
    members = voters(council)
    CouncilMember.objects.filter(pk=members[2].pk).update(identity_code=third.identity_code)
    meeting = meeting_with(council, [dossier])
    services.record_attendance(
        meeting.pk, by=secretariat_of(council), absent={members[4].pk: "Đi công tác"}
    )
    services.open_meeting(meeting.pk, by=chair_of(council))
    plan = {
        first: ["agree", "agree", "agree", "disagree"],
        second: ["agree", "disagree", "disagree", "disagree"],
        third: ["agree", "agree", None, "agree"],  # members[2] is the nominee: recused
    }
    for nominee, choices in plan.items():
        for member, choice in zip(members[:4], choices, strict=True):
            if choice:
                services.cast_ballot(
                    meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice
                )
    services.close_meeting(meeting.pk, by=chair_of(council), note="Hội đồng thống nhất.")
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.django_db
def test_minutes_header_blocks(closed):
    doc = Document(BytesIO(build_minutes(closed)))
    header = doc.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs]
    right = header.cell(0, 1).paragraphs
    assert left == ["UBND XÃ HỢP THÀNH", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"]
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert right[1].runs[0].bold
    assert right[1].runs[0].underline
    assert header.cell(1, 0).text == "Số: 01/BB-HĐTĐKT"
    dated = header.cell(1, 1).paragraphs[0].runs[0]
    # The commune's own place (Decree 30/2020 app. I §II.4), never the province's.
    assert dated.text == "Hợp Thành, ngày 20 tháng 11 năm 2026"
    assert dated.italic
    titles = [p.text for p in doc.paragraphs[:2]]
    assert titles[0] == "BIÊN BẢN"
    run = doc.paragraphs[0].runs[0]
    assert run.font.name == "Times New Roman"
    assert run._element.rPr.rFonts.get(qn("w:cs")) == "Times New Roman"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30


@pytest.mark.django_db
def test_minutes_attendance_and_tally_equal_the_database(closed):
    doc = Document(BytesIO(build_minutes(closed)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "có quyền biểu quyết: 5; có mặt: 4; vắng mặt: 1." in text
    assert "(lý do: Đi công tác)" in text
    assert "Số thành viên có mặt: 4/5: đạt điều kiện họp." in text
    assert "không biểu quyết đối với" in text  # the recusal is minuted

    tally = next(t for t in doc.tables if t.rows[0].cells[0].text == TALLY_HEADER[0])
    assert [c.text for c in tally.rows[0].cells] == list(TALLY_HEADER)
    printed = {
        row.cells[1].text: [c.text for c in row.cells[2:8]] + [row.cells[9].text]
        for row in tally.rows[1:]
    }
    label = {"passed": "Đạt", "failed": "Không đạt"}
    expected = {
        r.nominee.full_name: [
            str(r.agree),
            str(r.disagree),
            str(r.written),
            str(r.recused),
            str(r.base),
            str(r.needed),
            label[r.outcome],
        ]
        for r in NomineeResult.objects.filter(item__meeting=closed).select_related("nominee")
    }
    assert printed == expected
    assert len(printed) == 3
    # And the database holds what was cast: 3-1 passes, 1-3 fails, 3-0 of a base of 3 passes.
    assert sorted(v[:2] + v[4:5] + v[6:] for v in expected.values()) == [
        ["1", "3", "4", "Không đạt"],
        ["3", "0", "3", "Đạt"],
        ["3", "1", "4", "Đạt"],
    ]


# --- issue 14: layout, members present, file names ------------------------------------------


def _mm(twips) -> float:
    return int(twips) * 25.4 / 1440


@pytest.mark.django_db
def test_minutes_list_every_member_present_with_their_seat(closed):
    doc = Document(BytesIO(build_minutes(closed)))
    text = [p.text for p in doc.paragraphs]
    seats = closed.attendance.select_related("member__user").filter(votes=True)
    present = [s for s in seats if s.present]
    assert len(present) == 4
    for seat in present:
        role = seat.member.get_role_display()
        assert any(t.startswith(f"- {seat.member.name}: {role} Hội đồng") for t in text), (
            seat.member.name
        )
    absent = [s for s in seats if not s.present]
    assert not any(t.startswith(f"- {absent[0].member.name}:") for t in text)


@pytest.mark.django_db
def test_minutes_layout_keeps_headings_conclusion_and_signatures_together(closed):
    doc = Document(BytesIO(build_minutes(closed)))
    by_text = {p.text: p for p in doc.paragraphs}
    for heading in ("I. THÀNH PHẦN", "II. KẾT QUẢ BIỂU QUYẾT", "KẾT LUẬN"):
        assert by_text[heading].paragraph_format.keep_with_next, heading
    assert by_text["Hội đồng thống nhất."].paragraph_format.keep_with_next
    signatures = doc.tables[-1]
    assert "THƯ KÝ" in signatures.cell(0, 0).text
    assert signatures.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    # the header: fixed widths wide enough for the council line and the national line
    header = doc.tables[0]
    grid = [_mm(c.get(qn("w:w"))) for c in header._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert [round(w) for w in grid] == list(HEADER_WIDTHS_MM)
    indent = header._tbl.tblPr.find(qn("w:tblInd"))
    assert round(-_mm(indent.get(qn("w:w")))) == HEADER_OUTDENT_MM
    # the tally's name column is the widest, its rate never split from its sign
    tally = next(t for t in doc.tables if t.rows[0].cells[0].text == TALLY_HEADER[0])
    widths = [_mm(c.get(qn("w:w"))) for c in tally._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert widths[1] == max(widths)
    assert widths[1] >= 40
    rates = [row.cells[8].text for row in tally.rows[1:]]
    assert all(r.endswith("\u00a0%") for r in rates)


@pytest.mark.django_db
def test_minutes_file_names_carry_the_body(closed, councils, demo, client):
    assert minutes_filename(closed, "docx") == (
        f"bien-ban-hdtdkt-xa-hop-thanh-{closed.year}-{closed.number:02d}.docx"
    )
    province = Meeting(council=councils["lang-son"], number=closed.number, year=closed.year)
    assert minutes_filename(province, "pdf").startswith("bien-ban-hdtdkt-tinh-lang-son-")
    assert minutes_filename(province, "docx") != minutes_filename(closed, "docx")
    client.force_login(f.user("hop-thanh.vanphong"))
    response = client.get(reverse("councils:minutes", args=[closed.pk]))
    assert response.status_code == 200
    assert minutes_filename(closed, "docx") in response["Content-Disposition"]


@needs_libreoffice
@pytest.mark.django_db
def test_minutes_pages_render_without_wrapped_headers_or_orphans(closed):
    """Rendered by LibreOffice, page by page: the header lines are whole, "KẾT LUẬN" and
    the signers' names share a page with the titles above them."""
    pages = [" ".join(t.split()) for t in page_texts(docx_to_pdf(build_minutes(closed)))]
    raw = page_texts(docx_to_pdf(build_minutes(closed)))[0].splitlines()
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in raw)
    assert any("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in line for line in raw)
    last = next(i for i, page in enumerate(pages) if "KẾT LUẬN" in page)
    people = closed.attendance.select_related("member__user")
    chair = next(s.member.name for s in people if s.member.role == "chair")
    assert "CHỦ TỊCH" in pages[last]
    assert chair in pages[last]
    assert all(page.strip() for page in pages)
