"""The minutes (.docx) read back with python-docx: header blocks, layout, tallies = database."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from councils import services
from councils.minutes import TALLY_HEADER, build_minutes
from councils.models import CouncilMember, Meeting, NomineeResult
from office.dates import vietnamese_date
from tests import factories as f

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
    assert dated.text == "Lạng Sơn, ngày 20 tháng 11 năm 2026"
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
