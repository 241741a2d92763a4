"""Printable certificates (Bằng khen / Giấy khen), one A4 landscape page per awardee.

Each page carries the awardee's QR code and short address (/xac-minh/<token>/ of their
registry entry), so a certificate on a wall can be checked against the registry: a revoked
award says so. `build_certificates` is pure (plain data → .docx bytes); the PDF is the
same LibreOffice conversion as the decision (decisions.pdf). Layout: the national header,
the authority, TẶNG, the form's name large, the awardee, the achievement, the place and
date with the signing capacity and signer, the decision's number and the QR at the foot.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from office.dates import place_date
from office.headers import MOTTO, NATION
from office.wordstyle import set_font

from .documents import nfc
from .pdf import docx_to_pdf
from .profiles import profile_values
from .verification import qr_png, verification_url

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RED = RGBColor(0xB0, 0x10, 0x10)


@dataclass(frozen=True)
class CertificatePage:
    authority_line: str  # CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
    form_title: str  # BẰNG KHEN / GIẤY KHEN
    full_name: str
    detail: str  # position and unit
    achievement: str
    place: str
    day: date | None
    capacity_lines: list[str]
    signer_name: str
    decision_line: str  # Quyết định số 01/QĐ-UBND ngày 04/01/2027
    url: str
    qr_png: bytes


def form_title(award_name: str) -> str:
    lowered = award_name.lower()
    if lowered.startswith("giấy khen"):
        return "GIẤY KHEN"
    if lowered.startswith("bằng khen"):
        return "BẰNG KHEN"
    return nfc(award_name).upper()


def _para(container, text: str = "", *, size: float = 14, space_after: float = 0, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = style.pop("align", CENTER)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        colour = style.pop("colour", None)
        run = paragraph.add_run(nfc(text))
        set_font(run, size=size, **style)
        if colour is not None:
            run.font.color.rgb = colour
    return paragraph


def _page_border(section) -> None:
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "double"), ("w:sz", "18"), ("w:space", "20")):
            element.set(qn(key), value)
        element.set(qn("w:color"), "B01010")
        borders.append(element)
    section._sectPr.append(borders)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _page(document, page: CertificatePage) -> None:
    _para(document, NATION, size=13, bold=True)
    _para(document, MOTTO, size=14, bold=True, underline=True, space_after=10)
    _para(document, page.authority_line.upper(), size=15, bold=True, space_after=4)
    _para(document, "TẶNG", size=15, bold=True, space_after=2)
    _para(document, page.form_title, size=40, bold=True, colour=RED, space_after=6)
    _para(document, page.full_name, size=22, bold=True, italic=True, space_after=4)
    if page.detail:
        _para(document, page.detail, size=14, space_after=4)
    _para(document, page.achievement, size=14, italic=True, space_after=8)
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    for cell, width in ((left, 110), (right, 127)):
        cell.width = Mm(width)
    picture = left.paragraphs[0]
    picture.alignment = CENTER
    picture.add_run().add_picture(BytesIO(page.qr_png), width=Mm(28))
    _para(left, page.decision_line, size=11)
    _para(left, page.url, size=9)
    first = right.paragraphs[0]
    first.alignment = CENTER
    set_font(first.add_run(nfc(place_date(page.place, page.day))), size=14, italic=True)
    for line in page.capacity_lines:
        _para(right, line, size=14, bold=True)
    for _ in range(3):
        _para(right, size=14)
    _para(right, page.signer_name, size=15, bold=True)


def build_certificates(pages: list[CertificatePage]) -> bytes:
    """One A4 landscape page per awardee, as .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(18)
    section.left_margin = section.right_margin = Mm(25)
    _page_border(section)
    for index, page in enumerate(pages):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _page(document, page)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def certificate_pages(decision) -> list[CertificatePage]:
    """The pages of an issued decision's awardees (its registry entries), in list order."""
    values = decision.frozen or profile_values(decision)
    number = decision.number_symbol
    day = decision.issued_on
    decision_line = f"Quyết định số {number} ngày {day:%d/%m/%Y}" if day else ""
    pages = []
    for entry in decision.registry.order_by("pk"):
        url = verification_url(entry.verification_token)
        detail = ", ".join(p for p in (entry.position, entry.organisation_name) if p)
        pages.append(
            CertificatePage(
                authority_line=values["authority_line"],
                form_title=form_title(entry.award_name),
                full_name=entry.full_name,
                detail=detail,
                achievement=entry.achievement or "Đã có thành tích xuất sắc.",
                place=values["place"],
                day=day,
                capacity_lines=values["capacity_lines"],
                signer_name=decision.signer_name,
                decision_line=decision_line,
                url=url,
                qr_png=qr_png(url),
            )
        )
    return pages


def certificates_pdf(decision) -> bytes:
    return docx_to_pdf(build_certificates(certificate_pages(decision)))
