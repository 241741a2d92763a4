"""The decision and the tờ trình read back from .docx: layout order, number, rows, NFC."""

import unicodedata
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from decisions.documents import (
    DecisionDoc,
    ListRow,
    build_decision,
    build_submission_letter,
    decision_doc,
    letter_doc,
)
from decisions.numbering import decision_label
from decisions.services import update_draft
from office.dates import place_date, vietnamese_date
from tests.factories import make_draft, user

from .helpers import body_texts, decision_for, index_of, issue

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
        "Hoàng Văn Nghiệm",
        "DANH SÁCH",
        "(Kèm theo Quyết định số 01/QĐ-UBND ngày 04 tháng 01 năm 2027 của Chủ tịch UBND tỉnh)",
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
    start = index_of(texts, "I. CÁ NHÂN") + 1 + 6  # six header cells
    names = sorted(dossier.active_nominees().values_list("full_name", flat=True))
    rows = [texts[start + 6 * i : start + 6 * (i + 1)] for i in range(len(names))]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert sorted(r[1] for r in rows) == names
    assert len(texts) == start + 6 * len(names)
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
