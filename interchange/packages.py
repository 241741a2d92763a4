"""The e-dossier package for the central level, and the decision package for the province's
document-management system. Both are one .zip built in memory, with a JSON manifest.

E-dossier (hồ sơ điện tử gửi Bộ Nội vụ): every document of the dossier as Word **and** PDF —
the tờ trình (decisions.documents, as the dossier page downloads it), the list of nominees,
the minutes of each closed council meeting that voted on it (councils.minutes) and its
vote result, and the uploaded achievement reports and unit minutes (a Word upload is
converted to PDF; a PDF upload has no Word counterpart and the manifest says so). PDFs come
from LibreOffice (decisions.pdf.docx_to_pdf); without it the package is refused
(`pdf_unavailable`), never half-built.

Decision package: the signed PDF exactly as stored (its sha256 is the one recorded at
signing) and `metadata.json` (number, date, issuer, signer, awardees, verification link).
"""

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from docx import Document as WordDocument
from docx.shared import Mm

from core.errors import DomainError
from councils.minutes import build_minutes
from councils.models import AgendaItem, Meeting, MeetingStatus, NomineeResult
from decisions.documents import build_submission_letter, letter_doc
from decisions.models import Decision, DecisionStatus, SignedDecision
from decisions.pdf import docx_to_pdf
from decisions.signing import signed_path
from decisions.verification import verification_url
from dossiers.models import DocumentCategory, Dossier
from dossiers.services import open_document
from office.wordstyle import set_font

FORMAT = "khenthuong.e-dossier/1"
DECISION_FORMAT = "khenthuong.decision-package/1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
UPLOADED = (
    DocumentCategory.ACHIEVEMENT_REPORT,
    DocumentCategory.SUMMARY_REPORT,
    DocumentCategory.MINUTES,
)
KIND_OF_CATEGORY = {
    DocumentCategory.ACHIEVEMENT_REPORT: "achievement_report",
    DocumentCategory.SUMMARY_REPORT: "achievement_report",
    DocumentCategory.MINUTES: "unit_minutes",
}


@dataclass
class Package:
    name: str
    files: list[tuple[str, bytes]] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    def add(self, name: str, data: bytes, *, kind: str, source: str, title: str) -> dict:
        self.files.append((name, data))
        entry = {
            "name": name,
            "kind": kind,
            "title": title,
            "format": name.rsplit(".", 1)[-1],
            "media_type": DOCX if name.endswith(".docx") else PDF,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "source": source,
        }
        self.manifest.setdefault("files", []).append(entry)
        return entry

    def zip(self, manifest_name: str = "manifest.json") -> bytes:
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files:
                archive.writestr(name, data)
            archive.writestr(
                manifest_name,
                json.dumps(self.manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        return buffer.getvalue()


def _pair(package: Package, stem: str, docx: bytes, *, kind: str, title: str) -> None:
    """The Word file and its PDF, side by side."""
    package.add(f"{stem}.docx", docx, kind=kind, source="generated", title=title)
    package.add(f"{stem}.pdf", docx_to_pdf(docx), kind=kind, source="generated", title=title)


def _table_document(title: str, subtitle: str, header: list[str], rows: list[list]) -> bytes:
    """A plain A4 Word document: a bold title, a line, and a table (Times New Roman)."""
    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    for text, bold, size in ((title, True, 14), (subtitle, False, 13)):
        paragraph = document.add_paragraph()
        paragraph.alignment = 1
        set_font(paragraph.add_run(text), size=size, bold=bold)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), size=12, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            set_font(cell.paragraphs[0].add_run("" if value is None else str(value)), size=12)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nominee_list_docx(dossier: Dossier) -> bytes:
    rows = [
        [
            index,
            n.full_name,
            n.birth_year or "",
            n.position,
            n.organisation_name,
            n.achievement_summary,
        ]
        for index, n in enumerate(dossier.active_nominees(), start=1)
    ]
    return _table_document(
        "DANH SÁCH",
        f"Đề nghị tặng {dossier.award_type.name} (hồ sơ {dossier.reference})",
        ["STT", "Họ và tên / tên tập thể", "Năm sinh", "Chức vụ", "Đơn vị", "Thành tích"],
        rows,
    )


def vote_result_docx(dossier: Dossier, meeting: Meeting) -> bytes:
    results = NomineeResult.objects.filter(
        item__meeting=meeting, item__dossier=dossier
    ).select_related("nominee")
    rows = [
        [
            index,
            r.nominee.full_name,
            r.agree,
            r.disagree,
            r.written,
            r.recused,
            r.base,
            r.needed,
            r.outcome,
        ]
        for index, r in enumerate(results, start=1)
    ]
    return _table_document(
        "KẾT QUẢ BỎ PHIẾU",
        f"{meeting.council.name} – {dossier.reference}",
        [
            "STT",
            "Họ và tên",
            "Đồng ý",
            "Không",
            "Bằng văn bản",
            "Không biểu quyết",
            "Cơ sở",
            "Cần",
            "Kết quả",
        ],
        rows,
    )


def _meetings_of(dossier: Dossier) -> list[Meeting]:
    ids = AgendaItem.objects.filter(dossier=dossier).values("meeting_id")
    return list(
        Meeting.objects.filter(pk__in=ids, status=MeetingStatus.CLOSED)
        .select_related("council")
        .order_by("pk")
    )


def dossier_package(dossier: Dossier, *, by) -> Package:
    """Every document of `dossier` as Word and PDF, and the manifest (see module doc).

    Reading an uploaded file is recorded (dossiers.services.open_document, audit
    `download`). Raises DomainError `pdf_unavailable`/`pdf_failed` from LibreOffice.
    """
    package = Package(name=f"ho-so-dien-tu-{slugify(dossier.reference) or dossier.pk}.zip")
    stage = dossier.current_stage
    package.manifest = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "dossier": {
            "id": dossier.pk,
            "reference": dossier.reference,
            "title": dossier.title,
            "award_code": dossier.award_type.code,
            "award_name": dossier.award_type.name,
            "year": dossier.year,
            "kind": dossier.kind,
            "status": dossier.status,
            "rule_set": dossier.rule_set.code if dossier.rule_set_id else "",
            "proposer": {"code": dossier.proposer.code, "name": dossier.proposer.name},
            "stage": stage.organisation.name if stage else "",
            "nominees": dossier.active_nominees().count(),
        },
        "files": [],
    }
    _pair(
        package,
        "01-to-trinh",
        build_submission_letter(letter_doc(dossier)),
        kind="submission_letter",
        title="Tờ trình",
    )
    _pair(
        package,
        "02-danh-sach",
        nominee_list_docx(dossier),
        kind="nominee_list",
        title="Danh sách đề nghị",
    )
    for number, meeting in enumerate(_meetings_of(dossier), start=1):
        _pair(
            package,
            f"03-bien-ban-{number}",
            build_minutes(meeting),
            kind="council_minutes",
            title=f"Biên bản họp {meeting.council.name}",
        )
        _pair(
            package,
            f"04-ket-qua-bo-phieu-{number}",
            vote_result_docx(dossier, meeting),
            kind="vote_result",
            title=f"Kết quả bỏ phiếu – {meeting.council.name}",
        )
    current = [d for d in dossier.documents.filter(category__in=UPLOADED) if d.is_current]
    for number, document in enumerate(current, start=1):
        with open_document(document, by=by) as handle:
            data = handle.read()
        kind = KIND_OF_CATEGORY[document.category]
        stem = f"05-{kind.replace('_', '-')}-{number}"
        title = f"{document.get_category_display()}: {document.original_name}"
        if document.content_type == DOCX or document.original_name.lower().endswith(".docx"):
            package.add(f"{stem}.docx", data, kind=kind, source="uploaded", title=title)
            package.add(
                f"{stem}.pdf", docx_to_pdf(data), kind=kind, source="converted", title=title
            )
        elif data.startswith(b"%PDF"):
            entry = package.add(f"{stem}.pdf", data, kind=kind, source="uploaded", title=title)
            entry["note"] = "uploaded as PDF only: no Word original"
    return package


def decision_package(decision: Decision) -> Package:
    """The signed PDF as stored and its metadata, for the document-management system."""
    if decision.status != DecisionStatus.ISSUED:
        raise DomainError("not_issued", _("Quyết định chưa ban hành: chưa có gói văn bản."))
    signed = SignedDecision.objects.filter(decision=decision).first()
    if signed is None:
        raise DomainError(
            "not_signed",
            _("Bản PDF ký số: quyết định đang được ký số, hãy thử lại sau ít phút."),
        )
    pdf = signed_path(signed).read_bytes()
    stem = f"quyet-dinh-{decision.number.number if decision.number else decision.pk}"
    package = Package(name=f"{stem}-{decision.issued_on:%Y}.zip")
    lines = decision.lines.select_related("nominee__dossier")
    package.manifest = {
        "format": DECISION_FORMAT,
        "generated_at": timezone.now(),
        "decision": {
            "id": decision.pk,
            "label": decision.label,
            "number": decision.number.number if decision.number else None,
            "numbered_by": decision.number.use if decision.number else "",
            "symbol": decision.frozen.get("symbol", ""),
            "issued_on": decision.issued_on,
            "title": decision.title,
            "issuer": {"code": decision.issuer.code, "name": decision.issuer.name},
            "award_code": decision.award_type.code,
            "award_name": decision.award_type.name,
            "signer": {
                "name": decision.signer_name,
                "title": decision.signer_title,
                "capacity": decision.capacity,
                "certificate_subject": signed.signer_subject,
            },
            "signed_at": signed.signed_at,
            "verification_url": verification_url(decision.verification_token),
            "awardees": [
                {
                    "full_name": line.nominee.full_name,
                    "kind": line.nominee.kind,
                    "organisation_name": line.nominee.organisation_name,
                    "dossier": line.nominee.dossier.reference,
                }
                for line in lines
            ],
        },
        "files": [],
    }
    entry = package.add(
        f"{stem}-da-ky.pdf", pdf, kind="signed_decision", source="signed", title=decision.label
    )
    if entry["sha256"] != signed.sha256:
        raise DomainError(
            "signed_changed", _("Bản PDF ký số: tệp lưu trữ không khớp mã băm lúc ký.")
        )
    return package


__all__ = ["Package", "decision_package", "dossier_package"]
