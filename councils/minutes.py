"""Biên bản họp Hội đồng TĐKT as .docx (python-docx): reads the closed meeting, writes nothing.

Layout per Decree 30/2020 (domain §5, §6): A4, Times New Roman, a two-column header table
(issuer and council on the left, national motto on the right), `Số: 03/BB-HĐTĐKT`, the
dated place line, then attendance, quorum, recusals, the tally per nominee and the result.
"""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from office.dates import place_date, unit_place, vietnamese_date
from office.headers import MOTTO, NATION
from office.numbers import percent
from office.wordstyle import FONT, set_font
from organisations.models import Level

from .models import Attendance, Meeting, MemberRole, NomineeResult, Recusal, WrittenOpinion
from .voting import PRIORITY_NOTE, Ranked, Standing, VoteRule, has_priority, rank

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


# Layout, measured on the rendered PDF (Times New Roman / Liberation Serif, 12 pt bold):
# "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" is 77 mm and the national line 88 mm, together more
# than the 165 mm text width with Word's default cell padding. The header table therefore
# has 1 mm cell padding and runs 7 mm into the left margin (still 23 mm from the edge),
# so neither line wraps. The tally: header at 10 pt (its longest word, "Không", fits 13 mm),
# figures at 11 pt ("100,00 %" and "Không đạt" on one line), the name column the rest.
HEADER_WIDTHS_MM = (80, 92)
HEADER_OUTDENT_MM = 7
TALLY_WIDTHS_MM = (9, 50, 11, 13, 11, 13, 11, 11, 17, 19)
SIGNATURE_WIDTHS_MM = (82, 83)
NBSP = "\u00a0"


def minutes_filename(meeting, extension: str) -> str:
    """`bien-ban-hdtdkt-xa-hop-thanh-2026-03.docx`: the body in the name, so two councils'
    minutes of the same number and year never download under one name."""
    body = slugify(meeting.council.organisation.name.replace("Đ", "D").replace("đ", "d"))
    return f"bien-ban-hdtdkt-{body}-{meeting.year}-{meeting.number:02d}.{extension}"


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _set_widths(table, widths_mm) -> None:
    """Fixed column widths (LibreOffice reads the grid, Word the cells: set both)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_padding(table, mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), _twips(mm))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _outdent(table, mm: float) -> None:
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), "-" + _twips(mm))
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(indent)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _row_flags(row, *flags: str) -> None:
    """`cantSplit` (the row stays on one page), `tblHeader` (repeats on each page)."""
    tr_pr = row._tr.get_or_add_trPr()
    for flag in flags:
        element = OxmlElement(f"w:{flag}")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _heading(container, text: str, **style):
    """A heading kept on the page of what follows it (never alone at a page's foot)."""
    paragraph = _line(container, text, bold=True, **style)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph


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


def ranked_results(results: list[NomineeResult]) -> list[tuple[NomineeResult, Ranked]]:
    """The results by agree votes; equal counts with Decree 152/2025 art. 4 §6 priority."""
    by_pk = {r.nominee_id: r for r in results}
    standings = [
        Standing(
            r.nominee_id,
            r.agree,
            has_priority(
                kind=r.nominee.kind, gender=r.nominee.gender, women_share=r.nominee.women_share
            ),
        )
        for r in results
    ]
    return [(by_pk[ranked.key], ranked) for ranked in rank(standings)]


def _rule_text(rule: VoteRule) -> str:
    basis = f" ({rule.basis})" if rule.basis else ""
    quorum_basis = f" ({rule.quorum_basis})" if rule.quorum_basis else ""
    return (
        f"tỷ lệ đồng ý {rule.threshold} tính trên {_base_label(rule.base)}{basis}; "
        f"điều kiện họp {rule.quorum} tổng số thành viên{quorum_basis}"
    )


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
    # Single spacing, 3 pt after: python-docx's default template adds a blank line's worth
    # after every paragraph, which pushed a three-nominee commune meeting onto two pages.
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.LEFT
    _no_borders(header)
    _cell_padding(header, 1)
    _outdent(header, HEADER_OUTDENT_MM)
    _set_widths(header, HEADER_WIDTHS_MM)
    _cell(
        header.cell(0, 0),
        [(issuer_line(org), {"size": 12}), (COUNCIL_LINE, {"size": 12, "bold": True})],
    )
    _cell(
        header.cell(0, 1),
        [(NATION, {"size": 12, "bold": True}), (MOTTO, {"bold": True, "underline": True})],
    )
    _cell(header.cell(1, 0), [(f"Số: {meeting.minutes_number}", {"size": 13})])
    # Decree 30/2020 app. I §II.4: the body's own place (a commune's is its name, never the
    # province's).
    place = org.place_name or unit_place(org.name)
    _cell(header.cell(1, 1), [(place_date(place, day), {"italic": True})])

    title = _line(doc, "BIÊN BẢN", align=WD_ALIGN_PARAGRAPH.CENTER, size=14, bold=True)
    title.paragraph_format.space_before = Pt(12)
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
    _heading(doc, "I. THÀNH PHẦN")
    _line(
        doc,
        f"Tổng số thành viên Hội đồng có quyền biểu quyết: {len(voters)}; "
        f"có mặt: {len(present)}; vắng mặt: {len(absent)}.",
    )
    # Decree 30/2020 (minutes name those attending): each member present with their seat.
    if present:
        _line(doc, "Thành viên có mặt:").paragraph_format.keep_with_next = True
    for seat in present:
        seat_name = f"{seat.member.get_role_display()} Hội đồng"
        position = seat.member.position.strip()
        position = f"; {position}" if position and position.lower() != seat_name.lower() else ""
        _line(doc, f"- {seat.member.name}: {seat_name}{position}.")
    for seat in absent:
        reason = f" (lý do: {seat.absence_reason})" if seat.absence_reason else ""
        _line(doc, f"- Vắng mặt: {seat.member.name}{reason}.")

    _heading(doc, "II. KẾT QUẢ BIỂU QUYẾT")
    recusals = list(
        Recusal.objects.filter(meeting=meeting).select_related("member__user", "nominee")
    )
    for item in meeting.items.select_related("dossier__award_type"):
        rule = VoteRule.from_rules(item.stage_rules).sitting_with(
            meeting.pinned_quorum, meeting.quorum_basis
        )
        _heading(doc, f"Hồ sơ {item.dossier.reference}: {item.dossier.title}")
        mode = "bỏ phiếu kín" if rule.secret else "biểu quyết công khai"
        written = "có" if rule.count_written_votes else "không"
        _line(
            doc,
            f"Hình thức: {mode}; {_rule_text(rule)}; "
            f"{written} tính ý kiến bằng văn bản của thành viên vắng mặt.",
        )
        quorate = "đạt" if item.quorate else "không đạt"
        _line(
            doc,
            f"Số thành viên có mặt: {item.present}/{item.members}: {quorate} điều kiện họp.",
        ).paragraph_format.keep_with_next = True
        if not item.quorate:
            _line(doc, "Phiên họp không đủ điều kiện: không ghi nhận kết quả cho hồ sơ này.")
            continue
        results = list(NomineeResult.objects.filter(item=item).select_related("nominee"))
        table = doc.add_table(rows=1, cols=len(TALLY_HEADER))
        table.style = "Table Grid"
        _cell_padding(table, 1)
        for cell, text in zip(table.rows[0].cells, TALLY_HEADER, strict=True):
            _cell(cell, [(text, {"size": 10, "bold": True})])
        _row_flags(table.rows[0], "cantSplit", "tblHeader")
        for number, (result, ranked) in enumerate(ranked_results(results), start=1):
            rate = percent(result.agree, result.base) if result.base else "-"
            name = result.nominee.full_name
            values = (
                str(number),
                f"{name} – {PRIORITY_NOTE}" if ranked.tie_broken else name,
                str(result.agree),
                str(result.disagree),
                str(result.written),
                str(result.recused),
                str(result.base),
                str(result.needed),
                rate,
                OUTCOME_LABEL.get(result.outcome, result.outcome),
            )
            row = table.add_row()
            _row_flags(row, "cantSplit")
            for cell, text in zip(row.cells, values, strict=True):
                _cell(cell, [(text, {"size": 11})])
        _set_widths(table, TALLY_WIDTHS_MM)
        for row in table.rows:  # the name column reads left to right, like a list
            row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    if recusals:
        _heading(doc, "III. THÀNH VIÊN KHÔNG BIỂU QUYẾT (XUNG ĐỘT LỢI ÍCH)")
        for recusal in recusals:
            detail = f": {recusal.detail}" if recusal.detail else ""
            _line(
                doc,
                f"- {recusal.member.name} không biểu quyết đối với {recusal.nominee.full_name} "
                f"({recusal.get_reason_display()}{detail}).",
            )
    opinions = list(
        WrittenOpinion.objects.filter(meeting=meeting).select_related("member__user", "nominee")
    )
    if opinions:
        counted = {
            item.dossier_id: item.stage_rules.count_written_votes for item in meeting.items.all()
        }
        recused_pairs = {(r.member_id, r.nominee_id) for r in recusals}
        _heading(
            doc,
            "IV. Ý KIẾN BẰNG VĂN BẢN CỦA THÀNH VIÊN VẮNG MẶT "
            "(ĐIỀU 30 KHOẢN 7 NGHỊ ĐỊNH 98/2023/NĐ-CP)",
        )
        for opinion in opinions:
            if (opinion.member_id, opinion.nominee_id) in recused_pairs:
                status = "không tính (thành viên không biểu quyết đối với người này)"
            elif counted.get(opinion.nominee.dossier_id):
                status = "được tính vào kết quả biểu quyết, không tính vào số có mặt"
            else:
                status = "không tính (quy định của hình thức không tính ý kiến bằng văn bản)"
            _line(
                doc,
                f"- {opinion.member.name}, về {opinion.nominee.full_name}: văn bản "
                f"{opinion.document_label}; {status}.",
            )
    # The conclusion, its heading and the signatures stay together: "KẾT LUẬN" was left
    # alone at a page's foot and the names fell onto the next page away from their titles.
    _heading(doc, "KẾT LUẬN")
    conclusion = _line(doc, meeting.note or "Hội đồng thống nhất kết quả biểu quyết nêu trên./.")
    conclusion.paragraph_format.keep_with_next = True
    _line(doc, "", size=6).paragraph_format.keep_with_next = True

    signatures = doc.add_table(rows=1, cols=2)
    _no_borders(signatures)
    _set_widths(signatures, SIGNATURE_WIDTHS_MM)
    _row_flags(signatures.rows[0], "cantSplit")
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
