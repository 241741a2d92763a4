"""The decision and the tờ trình read back from .docx: layout order, number, rows, NFC."""

import unicodedata
from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from decisions import services
from decisions.documents import (
    DecisionDoc,
    ListRow,
    build_decision,
    build_submission_letter,
    decision_doc,
    letter_doc,
)
from decisions.models import IssuerProfile
from decisions.numbering import decision_label
from decisions.pdf import docx_to_pdf, page_texts
from decisions.profiles import person_name
from decisions.services import update_draft
from office.dates import place_date, vietnamese_date
from tests import factories as f
from tests.factories import make_draft, user

from .helpers import body_texts, decision_for, index_of, issue, signing_day
from .signed_helpers import needs_libreoffice

pytestmark = pytest.mark.django_db


def test_date_padding_follows_decree_30():
    assert vietnamese_date(date(2027, 1, 4)) == "ngày 04 tháng 01 năm 2027"
    assert vietnamese_date(date(2027, 2, 5)) == "ngày 05 tháng 02 năm 2027"
    assert vietnamese_date(date(2027, 6, 15)) == "ngày 15 tháng 6 năm 2027"  # never "tháng 06"
    assert vietnamese_date(date(2027, 12, 9)) == "ngày 09 tháng 12 năm 2027"
    assert place_date("Lạng Sơn", date(2027, 1, 4)) == "Lạng Sơn, ngày 04 tháng 01 năm 2027"
    assert decision_label(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    assert decision_label(10, "QĐ-UBND") == "Số: 10/QĐ-UBND"


def test_issued_decision_reads_back_in_decree_30_order(demo):
    dossier, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=3)
    update_draft(
        draft.pk,
        by=secretariat,
        capacity="deputy",
        proposal_ref="Tờ trình số 112/TTr-SNV ngày 28 tháng 12 năm 2026",
    )
    decision = issue(draft, by=user("lang-son.lanhdao"), on=date(2027, 1, 4))
    texts = body_texts(build_decision(decision_doc(decision)))

    order = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LẠNG SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/QĐ-UBND",
        "Lạng Sơn, ngày 04 tháng 01 năm 2027",
        "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 112/TTr-SNV",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        person_name(user("lang-son.lanhdao")),  # the signer's own record, not typed text
        "DANH SÁCH",
        "(Kèm theo Quyết định số 01/QĐ-UBND ngày 04 tháng 01 năm 2027 "
        "của Chủ tịch UBND tỉnh Lạng Sơn)",
        "I. CÁ NHÂN",
    ]
    position = -1
    for needle in order:
        position = index_of(texts, needle, position + 1)

    bases = [t for t in texts if t.startswith(("Căn cứ", "Theo đề nghị"))]
    assert all(t.endswith(";") for t in bases[:-1])
    assert bases[-1].endswith(".")
    assert "98/2023" not in " ".join(texts)  # RS-2025 cites Decree 152/2025
    assert texts[index_of(texts, "Điều 3.")].endswith("./.")
    assert "03 cá nhân" in texts[index_of(texts, "Điều 1.")]

    # the list rows are exactly the awarded nominees, numbered 1..n after the group heading
    start = index_of(texts, "I. CÁ NHÂN") + 1 + 5  # five header cells (no "Hình thức")
    names = sorted(dossier.active_nominees().values_list("full_name", flat=True))
    rows = [texts[start + 5 * i : start + 5 * (i + 1)] for i in range(len(names))]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert sorted(r[1] for r in rows) == names
    assert len(texts) == start + 5 * len(names)
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_page_fonts_and_layout():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    doc = DecisionDoc(
        issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"],
        number_line="Số: 05/QĐ-UBND",
        place="Lạng Sơn",
        day=date(2027, 2, 5),
        subject_line="Về việc tặng Bằng khen",
        authority_line="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        legal_bases=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
        proposal_line="",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        prize_note="",
        implementers="Giám đốc Sở Nội vụ",
        capacity_lines=["CHỦ TỊCH"],
        signer_name="Hồ Tiến Thiệu",
        recipients=["Lưu: VT, SNV."],
        rows=[
            ListRow("individual", nfd, "Giáo viên", "Trường A", "Bằng khen", "Xuất sắc"),
            ListRow("collective", "Tổ Toán", "", "Trường A", "Bằng khen", "Xuất sắc"),
        ],
        group_order=["individual", "collective"],
        list_caption="(Kèm theo Quyết định số 05/QĐ-UBND ngày 05 tháng 02 năm 2027)",
    )
    data = build_decision(doc)
    document = Document(BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer  # page numbers from page 2
    for run in document.element.body.iter(qn("w:r")):
        if not "".join(t.text or "" for t in run.iter(qn("w:t"))):
            continue  # a page break carries no text
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
        assert fonts.get(qn("w:cs")) == "Times New Roman"
    texts = body_texts(data)
    assert "Nguyễn Thị Hường" in texts  # NFD input comes out NFC
    assert index_of(texts, "I. CÁ NHÂN") < index_of(texts, "II. TẬP THỂ")  # configured order
    italic = [p.text for p in document.paragraphs if p.runs and all(r.italic for r in p.runs)]
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022." in italic
    assert doc.list_caption in italic


def test_submission_letter_reads_back(demo):
    unit = demo["th-hop-thanh"]
    dossier = make_draft(unit, "bang-khen-tinh", nominees=2)
    texts = body_texts(build_submission_letter(letter_doc(dossier)))
    position = -1
    for needle in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số:",
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Kính gửi:",
        "I. CÁ NHÂN",
    ):
        position = index_of(texts, needle, position + 1)
    names = list(dossier.active_nominees().values_list("full_name", flat=True))
    for name in names:
        assert name in texts
    index_of(texts, "Nơi nhận:", position)
    assert unit.name.upper() in texts
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


# --- issue 14: the commune's decision names the commune; no blank page ---------------------


def commune_draft(demo, **profile):
    """A Lao động tiên tiến decision of Xã Hợp Thành (the commune chair decides it)."""
    unit = demo["th-hop-thanh"]
    dossier = f.pass_council(
        f.make_dossier_at_council(unit, "ldtt", level="intermediate", nominees=2)
    )
    commune = demo["hop-thanh"]
    assert dossier.current_stage.organisation == commune
    if profile:
        defaults = {
            "issuer_lines": ["ỦY BAN NHÂN DÂN", "XÃ HỢP THÀNH"],
            "authority_line": "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HỢP THÀNH",
        }
        IssuerProfile.objects.create(organisation=commune, **(defaults | profile))
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    return dossier, services.create_draft(
        commune.pk, by=user("hop-thanh.vanphong"), nominee_ids=ids
    )


def test_a_commune_decision_names_the_commune_not_the_province(demo):
    with signing_day(date(2026, 11, 30)):  # the council sits before the day the test signs
        _, draft = commune_draft(demo)
    decision = issue(draft, by=user("hop-thanh.lanhdao"), on=date(2026, 12, 1))
    texts = body_texts(build_decision(decision_doc(decision)))
    assert "Hợp Thành, ngày 01 tháng 12 năm 2026" in texts
    assert not any(t.startswith("Lạng Sơn, ngày") for t in texts)
    assert "- Lưu: VT, VP." in texts
    assert not any("SNV" in t for t in texts)
    caption = texts[index_of(texts, "(Kèm theo Quyết định số")]
    assert caption.endswith("của Chủ tịch UBND xã Hợp Thành)")
    proposal = texts[index_of(texts, "Theo đề nghị của")]
    assert "xã Hợp Thành" in proposal
    assert "bộ phận phụ trách thi đua" not in proposal


def test_the_place_filing_caption_and_proposal_lines_are_the_profiles_data(demo):
    _, draft = commune_draft(
        demo,
        place_name="Hợp Thành",
        filing_line="Lưu: VT, VHXH.",
        list_authority="Chủ tịch Ủy ban nhân dân xã Hợp Thành",
        proposal_by="Trưởng phòng Văn hóa - Xã hội",
        recipients=["Như Điều 3;"],
    )
    draft = services.update_draft(
        draft.pk, by=user("hop-thanh.vanphong"), proposal_ref="Tờ trình số 07/TTr-VHXH"
    )
    texts = body_texts(build_decision(decision_doc(draft)))
    assert "- Lưu: VT, VHXH." in texts
    assert "Theo đề nghị của Trưởng phòng Văn hóa - Xã hội tại Tờ trình số 07/TTr-VHXH." in texts
    assert texts[index_of(texts, "(Kèm theo")].endswith(
        "của Chủ tịch Ủy ban nhân dân xã Hợp Thành)"
    )
    assert "Hợp Thành, ngày      tháng      năm" in texts  # a draft: dated by hand


def page_breaks(data: bytes) -> tuple[int, int]:
    """(explicit page-break runs, paragraphs that start a page) in the body."""
    body = Document(BytesIO(data)).element.body
    breaks = [b for b in body.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
    before = [p for p in body.iter(qn("w:pageBreakBefore"))]
    return len(breaks), len(before)


def test_the_list_starts_its_page_without_a_stand_alone_break(demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=2)
    data = build_decision(decision_doc(draft))
    assert page_breaks(data) == (0, 1)  # only DANH SÁCH starts a page; no break paragraph
    document = Document(BytesIO(data))
    starts = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert starts == ["DANH SÁCH"]
    # the signature block never splits: title, signature space and name on one page
    signature = next(t for t in document.tables if "Nơi nhận:" in t.cell(0, 0).text)
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_the_list_has_no_form_column_and_its_header_does_not_orphan_a_word(demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    document = Document(BytesIO(build_decision(decision_doc(draft))))
    table = document.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert "Hình thức" not in header  # the list's title names the one form
    assert header[1] == "Họ\u00a0và\u00a0tên / Tên\u00a0tập\u00a0thể"
    assert round(table.columns[1].width.mm) >= 45


@needs_libreoffice
def test_no_page_of_the_rendered_decision_is_empty_whatever_the_signature_height(demo):
    """Grow the recipients until the signature ends at a page's foot (where the old break
    paragraph spilled onto a page of its own): no page is ever empty."""
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=2)
    doc = decision_doc(draft)
    for extra in (8, 14, 20):
        recipients = [f"Sở, ngành số {i};" for i in range(extra)] + doc.recipients
        pdf = docx_to_pdf(build_decision(replace(doc, recipients=recipients)))
        pages = page_texts(pdf)
        assert all(text.strip() for text in pages), extra
        annex = next(i for i, text in enumerate(pages) if "DANH SÁCH" in text)
        assert "Nơi nhận" in pages[annex - 1] or "Lưu" in pages[annex - 1]
