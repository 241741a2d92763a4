"""Biên bản họp Hội đồng TĐKT as .docx (python-docx): reads the closed meeting, writes nothing.

Layout per Decree 30/2020 (domain §5, §6): A4, Times New Roman, a two-column header table
(issuer and council on the left, national motto on the right), `Số: 03/BB-HĐTĐKT`, the
dated place line, then attendance, quorum, recusals, the tally per nominee and the result.
"""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from office.dates import place_date, vietnamese_date
from office.headers import MOTTO, NATION
from office.numbers import percent
from office.wordstyle import FONT, set_font
from organisations.models import Level

from .models import Attendance, Meeting, MemberRole, NomineeResult, Recusal
from .voting import VoteRule

COUNCIL_LINE = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
OUTCOME_LABEL = {"passed": "Đạt", "failed": "Không đạt"}
TALLY_HEADER = (
    "STT",
    "Họ và tên / tên tập thể",
    "Đồng ý",
    "Không đồng ý",
    "Phiếu gửi",
    "Không biểu quyết",
    "Cơ sở tính",
    "Số phiếu cần",
    "Tỷ lệ đồng ý",
    "Kết quả",
)


def issuer_line(organisation) -> str:
    if organisation.level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        return f"UBND {organisation.name.upper()}"
    return organisation.name.upper()


def _font(run, *, size: float = 13, **style) -> None:
    set_font(run, size=size, **style)


def _line(container, text: str, *, align=None, **style):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), **style)
    return paragraph


def _cell(cell, lines: list[tuple[str, dict]]) -> None:
    first = True
    for text, style in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(text), **style)


@dataclass(frozen=True)
class _People:
    chair: str
    secretary: str


def _people(seats: list[Attendance]) -> _People:
    def first(role):
        return next((s.member.name for s in seats if s.member.role == role), "")

    return _People(chair=first(MemberRole.CHAIR), secretary=first(MemberRole.SECRETARY))


def build_minutes(meeting: Meeting) -> bytes:
    """The minutes of a closed meeting as .docx bytes. No database writes."""
    council = meeting.council
    org = council.organisation
    seats = list(
        meeting.attendance.select_related("member__user", "member__council").order_by(
            "member__role", "member__pk"
        )
    )
    people = _people(seats)
    voters = [s for s in seats if s.votes]
    day = timezone.localdate(meeting.scheduled_for)

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)

    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(
        header.cell(0, 0),
        [(issuer_line(org), {"size": 13}), (COUNCIL_LINE, {"size": 13, "bold": True})],
    )
    _cell(
        header.cell(0, 1),
        [(NATION, {"size": 12, "bold": True}), (MOTTO, {"bold": True, "underline": True})],
    )
    _cell(header.cell(1, 0), [(f"Số: {meeting.minutes_number}", {"size": 13})])
    place = org.place_name or org.name
    _cell(header.cell(1, 1), [(place_date(place, day), {"italic": True})])

    _line(doc, "BIÊN BẢN", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True)
    _line(
        doc,
        f"Phiên họp {council.name}: {meeting.title}",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=14,
        bold=True,
    )
    opened = timezone.localtime(meeting.opened_at) if meeting.opened_at else None
    closed = timezone.localtime(meeting.closed_at) if meeting.closed_at else None
    if opened and closed:
        _line(
            doc,
            f"Thời gian: từ {opened:%H} giờ {opened:%M} đến {closed:%H} giờ {closed:%M}, "
            f"{vietnamese_date(day)}.",
        )
    _line(doc, f"Địa điểm: {meeting.place or 'trực tuyến'}.")
    _line(doc, f"Chủ trì: {people.chair}. Thư ký: {people.secretary}.")

    present = [s for s in voters if s.present]
    absent = [s for s in voters if not s.present]
    _line(doc, "I. THÀNH PHẦN", bold=True)
    _line(
        doc,
        f"Tổng số thành viên Hội đồng có quyền biểu quyết: {len(voters)}; "
        f"có mặt: {len(present)}; vắng mặt: {len(absent)}.",
    )
    for seat in absent:
        reason = f" (lý do: {seat.absence_reason})" if seat.absence_reason else ""
        _line(doc, f"- Vắng mặt: {seat.member.name}{reason}.")

    _line(doc, "II. KẾT QUẢ BIỂU QUYẾT", bold=True)
    recusals = list(
        Recusal.objects.filter(meeting=meeting).select_related("member__user", "nominee")
    )
    for item in meeting.items.select_related("dossier__award_type"):
        rule = VoteRule.from_rules(item.stage_rules)
        _line(doc, f"Hồ sơ {item.dossier.reference}: {item.dossier.title}", bold=True)
        mode = "bỏ phiếu kín" if rule.secret else "biểu quyết công khai"
        _line(
            doc,
            f"Hình thức: {mode}; tỷ lệ đồng ý {rule.threshold} tính trên "
            f"{_base_label(rule.base)}; điều kiện họp {rule.quorum} tổng số thành viên.",
        )
        quorate = "đạt" if item.quorate else "không đạt"
        _line(
            doc,
            f"Số thành viên có mặt: {item.present}/{item.members}: {quorate} điều kiện họp.",
        )
        if not item.quorate:
            _line(doc, "Phiên họp không đủ điều kiện: không ghi nhận kết quả cho hồ sơ này.")
            continue
        results = list(NomineeResult.objects.filter(item=item).select_related("nominee"))
        table = doc.add_table(rows=1, cols=len(TALLY_HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, TALLY_HEADER, strict=True):
            _cell(cell, [(text, {"size": 11, "bold": True})])
        for number, result in enumerate(results, start=1):
            rate = percent(result.agree, result.base) if result.base else "-"
            values = (
                str(number),
                result.nominee.full_name,
                str(result.agree),
                str(result.disagree),
                str(result.written),
                str(result.recused),
                str(result.base),
                str(result.needed),
                rate,
                OUTCOME_LABEL.get(result.outcome, result.outcome),
            )
            for cell, text in zip(table.add_row().cells, values, strict=True):
                _cell(cell, [(text, {"size": 11})])
    if recusals:
        _line(doc, "III. THÀNH VIÊN KHÔNG BIỂU QUYẾT (XUNG ĐỘT LỢI ÍCH)", bold=True)
        for recusal in recusals:
            _line(
                doc,
                f"- {recusal.member.name} không biểu quyết đối với {recusal.nominee.full_name} "
                f"({recusal.get_reason_display()}).",
            )
    _line(doc, "KẾT LUẬN", bold=True)
    _line(doc, meeting.note or "Hội đồng thống nhất kết quả biểu quyết nêu trên./.")

    signatures = doc.add_table(rows=1, cols=2)
    _cell(
        signatures.cell(0, 0),
        [("THƯ KÝ", {"bold": True}), ("", {}), ("", {}), (people.secretary, {"bold": True})],
    )
    _cell(
        signatures.cell(0, 1),
        [("CHỦ TỊCH", {"bold": True}), ("", {}), ("", {}), (people.chair, {"bold": True})],
    )
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _base_label(base: str) -> str:
    return {
        "all_members": "tổng số thành viên Hội đồng",
        "present": "số thành viên có mặt",
        "valid_ballots": "số phiếu hợp lệ",
    }[base]
