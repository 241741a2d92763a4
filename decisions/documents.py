"""Word documents (python-docx) in the Decree 30/2020 layout: builders return bytes.

`build_decision(DecisionDoc)` and `build_submission_letter(LetterDoc)` are pure: they take
plain data and never touch the database, so the benchmark and tests can call them alone.
`decision_doc(decision)` and `letter_doc(dossier)` read the rows (no writes) into that data.

Layout (domain §6): A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman
13–14 pt, with the eastAsia and cs fonts set too (python-docx sets ascii/hAnsi only, and
Word then substitutes a font for Vietnamese runs); page numbers from page 2.
"""

import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from office.dates import cited_date, place_date
from office.headers import MOTTO, NATION
from office.numbers import document_label, pad
from office.wordstyle import FONT, set_font

from .prize_money import prize_cells
from .profiles import GOVERNMENT_LEVELS, issuer_lines_for, place_for, profile_values

GROUP_TITLES = {"collective": "TẬP THỂ", "individual": "CÁ NHÂN", "household": "HỘ GIA ĐÌNH"}
ROMAN = ["I", "II", "III", "IV", "V"]
DEFAULT_ORDER = ["collective", "individual", "household"]
NBSP = "\u00a0"
# No "Hình thức" column: a decision (and a tờ trình) is one award form, named in the list's
# title ("Được tặng …"); a column repeating it took 22 mm and wrapped the form's name onto six
# lines. Words that must stay together are joined by no-break spaces, so the header wraps at
# " / " and never leaves "thể" alone on a line.
LIST_HEADER = (
    "STT",
    f"Họ{NBSP}và{NBSP}tên / Tên{NBSP}tập{NBSP}thể",
    "Chức vụ",
    "Đơn vị",
    "Thành tích",
)
PRIZE_HEADER = "Tiền thưởng (đồng)"
# Column widths (mm) within the 165 mm text width.
LIST_WIDTHS = [12, 51, 24, 38, 40]  # a 12 pt "Nguyễn Thị Hồng Nhung" on one line
PRIZE_WIDTHS = [11, 46, 22, 31, 31, 24]
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)


def nfc(text: str) -> str:
    """Vietnamese typed on some keyboards arrives decomposed (NFD); documents carry NFC."""
    return unicodedata.normalize("NFC", text or "")


@dataclass(frozen=True)
class ListRow:
    kind: str  # collective / individual / household
    full_name: str
    position: str
    organisation: str
    award: str
    achievement: str
    prize: str = ""  # "710.000"; the annex's prize column (posting-prize)


@dataclass(frozen=True)
class DecisionDoc:
    issuer_lines: list[str]
    number_line: str  # "Số: 05/QĐ-UBND"; a draft shows "Số:      /QĐ-UBND"
    place: str
    day: date | None  # None on a draft: "ngày … tháng … năm …"
    subject_line: str  # "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    authority_line: str
    legal_bases: list[str]
    proposal_line: str  # "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …"
    award_name: str
    prize_note: str
    implementers: str
    capacity_lines: list[str]
    signer_name: str
    recipients: list[str]
    rows: list[ListRow]
    group_order: list[str] = field(default_factory=lambda: list(DEFAULT_ORDER))
    list_caption: str = ""  # "(Kèm theo Quyết định số 05/QĐ-UBND ngày … của Chủ tịch UBND tỉnh)"
    prize_column: bool = False  # the award form pays prize money: the list shows it


@dataclass(frozen=True)
class LetterDoc:
    issuer_lines: list[str]
    number_line: str
    place: str
    day: date | None
    subject_line: str
    addressee: str
    body: list[str]
    rows: list[ListRow]
    capacity_lines: list[str]
    signer_name: str
    recipients: list[str]


# --- low-level helpers --------------------------------------------------------------------


def _font(run, *, size: float = 14, **style) -> None:
    set_font(run, size=size, **style)


def _para(container, text: str = "", *, align=None, space_after: float = 0, indent=None, **style):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent is not None:
        fmt.first_line_indent = indent
    if text:
        _font(paragraph.add_run(nfc(text)), **style)
    return paragraph


TEXT_WIDTH_MM = 165  # A4 210 mm less margins of 30 and 15 mm


def _short_rule(container, width_mm: int = 30, *, within_mm: int = TEXT_WIDTH_MM) -> None:
    """The short line under the issuer and under the title (a centred bottom border)."""
    paragraph = _para(container, align=CENTER)
    fmt = paragraph.paragraph_format
    indent = Mm(max(0, (within_mm - width_mm) / 2))
    fmt.left_indent = indent
    fmt.right_indent = indent
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    _font(paragraph.add_run(""), size=4)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _set_widths(table, widths_mm: list[float]) -> None:
    # LibreOffice reads the grid columns, Word the cells: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    _font_style(style)
    # Page numbers from page 2 (Decree 30/2020): a first-page header with nothing in it.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = CENTER
    _page_field(header)


def _font_style(style) -> None:
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    _font(run, size=13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _header(document, issuer_lines: list[str], number_line: str, place: str, day) -> None:
    """Two-column table: issuer / number on the left, nation and motto / place-date right."""
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _set_widths(table, [60, 105])
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].alignment = CENTER
    for i, line in enumerate(issuer_lines):
        paragraph = left.paragraphs[0] if i == 0 else _para(left, align=CENTER)
        _font(paragraph.add_run(nfc(line.upper())), size=13, bold=True)
    _short_rule(left, 25, within_mm=60)
    right.paragraphs[0].alignment = CENTER
    _font(right.paragraphs[0].add_run(NATION), size=12.5, bold=True)
    motto = _para(right, align=CENTER)
    _font(motto.add_run(MOTTO), size=14, bold=True, underline=True)
    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    number_cell.paragraphs[0].alignment = CENTER
    _font(number_cell.paragraphs[0].add_run(nfc(number_line)), size=13)
    date_cell.paragraphs[0].alignment = CENTER
    _font(date_cell.paragraphs[0].add_run(nfc(place_date(place, day))), size=14, italic=True)


def _list_table(document, rows: list[ListRow], *, start: int = 1, prize: bool = False) -> None:
    """A numbered table. One styled prototype row is copied per entry: styling each cell
    through python-docx costs ~8 ms a row, so a 500-row list took seconds (bench/).
    `prize`: a last column with each awardee's prize money (Decree 152/2025 art. 49–54)."""
    header = (*LIST_HEADER, PRIZE_HEADER) if prize else LIST_HEADER
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _font(cell.paragraphs[0].add_run(text), size=11, bold=True)
    # The header row repeats on every page of a long list.
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    proto = table.add_row()
    for cell in proto.cells:
        _font(cell.paragraphs[0].add_run("-"), size=12)
    proto.cells[0].paragraphs[0].alignment = CENTER
    _set_widths(table, PRIZE_WIDTHS if prize else LIST_WIDTHS)
    proto_tr = proto._tr
    tbl = table._tbl
    for index, row in enumerate(rows, start=start):
        values = (
            str(index),
            row.full_name,
            row.position,
            row.organisation,
            row.achievement,
            *((row.prize,) if prize else ()),
        )
        tr = deepcopy(proto_tr)
        for text_element, value in zip(tr.iter(qn("w:t")), values, strict=True):
            text_element.text = nfc(value)
            text_element.set(qn("xml:space"), "preserve")
        tbl.append(tr)
    tbl.remove(proto_tr)


def _groups(rows: list[ListRow], order: list[str]) -> list[tuple[str, list[ListRow]]]:
    """Non-empty groups in the configured order, numbered I, II, III as they appear."""
    order = [*order, *[k for k in DEFAULT_ORDER if k not in order]]
    present = [(kind, [r for r in rows if r.kind == kind]) for kind in order]
    return [(kind, group) for kind, group in present if group]


def _keep_row_together(row) -> None:
    """A table row that never splits across pages (the signature block: title, signature
    space and name stay on one page)."""
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant_split)


def _signature(document, recipients: list[str], capacity: list[str], name: str) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _keep_row_together(table.rows[0])
    _set_widths(table, [80, 85])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _font(left.paragraphs[0].add_run("Nơi nhận:"), size=12, bold=True, italic=True)
    for line in recipients:
        _para(left, f"- {line}", size=11)
    right.paragraphs[0].alignment = CENTER
    for i, line in enumerate(capacity):
        paragraph = right.paragraphs[0] if i == 0 else _para(right, align=CENTER)
        _font(paragraph.add_run(nfc(line)), size=14, bold=True)
    for _ in range(4):
        _para(right, align=CENTER)
    _para(right, name, align=CENTER, size=14, bold=True)


def _counts_phrase(rows: list[ListRow]) -> str:
    parts = []
    for kind, word in (
        ("collective", "tập thể"),
        ("household", "hộ gia đình"),
        ("individual", "cá nhân"),
    ):
        n = sum(1 for r in rows if r.kind == kind)
        if n:
            parts.append(f"{pad(n)} {word}")
    return " và ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the decision -------------------------------------------------------------------------


def build_decision(doc: DecisionDoc) -> bytes:
    """The decision and its attached list (DANH SÁCH on a new page), as .docx bytes."""
    document = Document()
    _page_setup(document)
    _header(document, doc.issuer_lines, doc.number_line, doc.place, doc.day)
    _para(document, space_after=6)
    _para(document, "QUYẾT ĐỊNH", align=CENTER, bold=True)
    _para(document, doc.subject_line, align=CENTER, bold=True)
    _short_rule(document, 40)
    _para(document, space_after=0)
    _para(document, doc.authority_line.upper(), align=CENTER, bold=True, space_after=12)
    lines = [nfc(line).rstrip(" ;.") for line in doc.legal_bases]
    if doc.proposal_line:
        lines.append(nfc(doc.proposal_line).rstrip(" ;."))
    for i, line in enumerate(lines):
        ending = "." if i == len(lines) - 1 else ";"
        _para(document, line + ending, align=JUSTIFY, italic=True, indent=Mm(10), space_after=6)
    _para(document, "QUYẾT ĐỊNH:", align=CENTER, bold=True, space_after=12)
    articles = [
        (
            "Điều 1.",
            f" Tặng {doc.award_name} cho {_counts_phrase(doc.rows)} "
            "(có danh sách kèm theo) đã có thành tích xuất sắc.",
        ),
        (
            "Điều 2.",
            " "
            + (doc.prize_note or "Tiền thưởng kèm theo thực hiện theo quy định hiện hành")
            + ".",
        ),
        (
            "Điều 3.",
            " Quyết định này có hiệu lực kể từ ngày ký. "
            f"{doc.implementers}, thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, "
            "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ]
    for head, text in articles:
        paragraph = _para(document, align=JUSTIFY, indent=Mm(10), space_after=6)
        _font(paragraph.add_run(head), bold=True)
        _font(paragraph.add_run(nfc(text.replace("..", "."))))
    _para(document, space_after=6)
    _signature(document, doc.recipients, doc.capacity_lines, doc.signer_name)
    _attached_list(document, doc)
    return _save(document)


def _attached_list(document, doc: DecisionDoc) -> None:
    # The list starts a page by its heading's own "page break before", never by a
    # paragraph holding a break: when the signature ended near a page's foot, that
    # paragraph fell onto the next page and broke again, leaving a blank page.
    heading = _para(document, "DANH SÁCH", align=CENTER, bold=True)
    heading.paragraph_format.page_break_before = True
    heading.paragraph_format.keep_with_next = True
    _para(
        document, f"Được tặng {doc.award_name}", align=CENTER, bold=True
    ).paragraph_format.keep_with_next = True
    _para(
        document, doc.list_caption, align=CENTER, italic=True
    ).paragraph_format.keep_with_next = True
    _short_rule(document, 40)
    _para(document, space_after=6)
    for roman, (kind, rows) in zip(ROMAN, _groups(doc.rows, doc.group_order), strict=False):
        group = _para(document, f"{roman}. {GROUP_TITLES[kind]}", bold=True, space_after=6)
        group.paragraph_format.keep_with_next = True
        _list_table(document, rows, prize=doc.prize_column)
        _para(document, space_after=6)


# --- the submission letter (tờ trình) -------------------------------------------------------


def build_submission_letter(doc: LetterDoc) -> bytes:
    document = Document()
    _page_setup(document)
    _header(document, doc.issuer_lines, doc.number_line, doc.place, doc.day)
    _para(document, space_after=6)
    _para(document, "TỜ TRÌNH", align=CENTER, bold=True)
    _para(document, doc.subject_line, align=CENTER, bold=True)
    _short_rule(document, 40)
    _para(document, space_after=6)
    _para(document, f"Kính gửi: {doc.addressee}", align=CENTER, space_after=12)
    for text in doc.body:
        _para(document, text, align=JUSTIFY, indent=Mm(10), space_after=6)
    for roman, (kind, rows) in zip(ROMAN, _groups(doc.rows, DEFAULT_ORDER), strict=False):
        _para(document, f"{roman}. {GROUP_TITLES[kind]}", bold=True, space_after=6)
        _list_table(document, rows)
        _para(document, space_after=6)
    _para(
        document,
        "Kính đề nghị xem xét, quyết định./.",
        align=JUSTIFY,
        indent=Mm(10),
        space_after=12,
    )
    _signature(document, doc.recipients, doc.capacity_lines, doc.signer_name)
    return _save(document)


# --- reading rows into plain data (no writes) ------------------------------------------------


def rows_of(nominees, award_name: str) -> list[ListRow]:
    return [
        ListRow(
            kind=n.kind,
            full_name=n.full_name,
            position=n.position,
            organisation=n.organisation_name,
            award=award_name,
            achievement=n.achievement_summary,
        )
        for n in nominees
    ]


def decision_doc(decision) -> DecisionDoc:
    """The decision's data: frozen values once issued, the issuer's profile on a draft."""
    values = decision.frozen or profile_values(decision)
    nominees = [line.nominee for line in decision.lines.select_related("nominee")]
    prizes = prize_cells(decision)
    day = decision.issued_on
    label = decision.label or document_label(None, values["symbol"])
    short_number = label.removeprefix("Số: ")
    when = cited_date(day)
    return DecisionDoc(
        issuer_lines=values["issuer_lines"],
        number_line=label,
        place=values["place"],
        day=day,
        subject_line=decision.title,
        authority_line=values["authority_line"],
        legal_bases=values["legal_bases"],
        proposal_line=values["proposal_line"],
        award_name=decision.award_type.name,
        prize_note=decision.prize_note,
        implementers=values["implementers"],
        capacity_lines=values["capacity_lines"],
        signer_name=decision.signer_name,
        recipients=values["recipients"],
        rows=[
            replace(row, prize=prizes.get(n.pk, ""))
            for row, n in zip(rows_of(nominees, decision.award_type.name), nominees, strict=True)
        ],
        prize_column=bool(prizes),
        group_order=values["group_order"],
        list_caption=(
            f"(Kèm theo Quyết định số {short_number} {when} của {values['short_authority']})"
        ),
    )


def letter_doc(dossier) -> LetterDoc:
    """The proposing unit's tờ trình, with the list of its active nominees."""
    unit = dossier.proposer
    place = place_for(unit)
    body = [p.strip() for p in (dossier.letter_text or "").splitlines() if p.strip()]
    body.insert(
        0,
        f"Căn cứ thành tích đạt được năm {dossier.year}, {unit.name} kính đề nghị xét tặng "
        f"{dossier.award_type.name} cho các tập thể, cá nhân có tên sau:",
    )
    stage = dossier.stages.order_by("-position").first()
    addressee = dossier.award_type.deciding_authority
    if stage:
        org = stage.organisation
        addressee = (
            f"Ủy ban nhân dân {org.name[:1].lower()}{org.name[1:]}"
            if org.level in GOVERNMENT_LEVELS
            else org.name
        )
    return LetterDoc(
        issuer_lines=issuer_lines_for(unit),
        number_line=document_label(None, "TTr"),
        place=place,
        day=None,
        subject_line=f"Về việc đề nghị tặng {dossier.award_type.name}",
        addressee=addressee,
        body=body,
        rows=rows_of(dossier.active_nominees(), dossier.award_type.name),
        capacity_lines=["THỦ TRƯỞNG ĐƠN VỊ"],
        signer_name="",
        recipients=["Như trên;", "Lưu: VT."],
    )
