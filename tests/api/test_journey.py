"""The whole journey of tests/browser/test_journey.py, driven through the API alone: a
school proposes the commune chair's Giấy khen for a collective and two teachers (imported
from the page's .xlsx template), uploads its documents and submits; its head approves; the
commune secretariat receives it complete and puts it before the commune council; the council
meets and votes by secret ballot; the chair closes the session; the secretariat drafts the
decision and submits it for signature; the commune's leader signs and issues it; the school
downloads the Word decision and the signed PDF.

Each actor is a system holding that person's API token (no session, no page).
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import Workbook

from decisions.pdf import soffice_binary
from dossiers.nominee_import import COLUMNS, SHEET
from organisations.models import Organisation
from registry.models import RegistryEntry
from tests.factories import PDF

from .conftest import client_for

pytestmark = [pytest.mark.django_db(transaction=True)]

PROPOSER = "th-hop-thanh.thiduakhenthuong"
HEAD = "th-hop-thanh.thutruong"
CLERK = "hop-thanh.vanphong"
CHAIR = "hop-thanh.chutichhd"
SIGNER = "hop-thanh.lanhdao"
AWARD = "giay-khen-xa"

NOMINEES = [
    ("Tập thể", "Tổ Toán – Tin", "", "", "", "Trường Tiểu học Hợp Thành", "", "", "Dẫn đầu.", "80"),
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


def nominees_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _ in COLUMNS])
    for row in NOMINEES:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return (
        response.json() if response.get("Content-Type", "").startswith("application/json") else {}
    )


def every(client, url: str, **params) -> list[dict]:
    """All rows of a cursor-paginated list."""
    rows, answer = [], ok(client.get(url, params))
    rows += answer["results"]
    while answer["next"]:
        answer = ok(client.get(answer["next"]))
        rows += answer["results"]
    return rows


@pytest.fixture
def seeded(transactional_db, settings):
    call_command("seed_demo", "--quiet", "--force", verbosity=0)
    # Signed on issue, as in production, when LibreOffice is here (CI installs it).
    settings.KHENTHUONG_SIGN_ON_ISSUE = soffice_binary() is not None


def test_the_whole_journey_through_the_api(seeded):
    proposer, head, clerk, chair, signer = (
        client_for(u) for u in (PROPOSER, HEAD, CLERK, CHAIR, SIGNER)
    )
    school = Organisation.objects.get(code="th-hop-thanh")
    commune = Organisation.objects.get(code="hop-thanh")

    # 1. The proposer creates the dossier, imports its nominees, uploads its documents.
    award = next(
        a
        for a in every(proposer, "/api/v1/award-forms/")
        if a["code"] == AWARD and a["rule_set"] == "rs-2025"
    )
    dossier = ok(
        proposer.post(
            "/api/v1/dossiers/",
            {
                "proposer": school.pk,
                "award_type": award["id"],
                "year": 2026,
                "title": "Đề nghị tặng Giấy khen năm học 2025–2026",
            },
            format="json",
        ),
        201,
    )
    pk = dossier["id"]
    assert dossier["status"] == "draft"
    assert "edit" in dossier["actions"]
    upload = io.BytesIO(nominees_xlsx())
    upload.name = "danh-sach.xlsx"
    added = ok(
        proposer.post(
            f"/api/v1/dossiers/{pk}/nominees/import/", {"file": upload}, format="multipart"
        ),
        201,
    )
    assert [n["full_name"] for n in added] == ["Tổ Toán – Tin", "Hoàng Thị Mai", "Lưu Văn Thắng"]
    for category in dossier["missing_documents"]:
        file = io.BytesIO(PDF)
        file.name = f"{category}.pdf"
        ok(
            proposer.post(
                f"/api/v1/dossiers/{pk}/documents/",
                {"category": category, "file": file},
                format="multipart",
            ),
            201,
        )
    assert ok(proposer.get(f"/api/v1/dossiers/{pk}/"))["missing_documents"] == []
    assert ok(proposer.post(f"/api/v1/dossiers/{pk}/submit/"))["status"] == "unit_review"

    # 2. The unit head approves it: it goes to the commune.
    assert "approve" in ok(head.get(f"/api/v1/dossiers/{pk}/"))["actions"]
    assert ok(head.post(f"/api/v1/dossiers/{pk}/approve/"))["status"] == "intermediate_appraisal"

    # 3. The commune secretariat receives it complete and puts it before the council.
    tasks = ok(clerk.get("/api/v1/tasks/"))
    assert pk in [t["dossier"]["id"] for t in tasks]
    ok(clerk.post(f"/api/v1/dossiers/{pk}/accept/", {}, format="json"))
    at_council = ok(clerk.post(f"/api/v1/dossiers/{pk}/send-to-council/"))
    assert at_council["status"] == "intermediate_council"

    # 4. The council meets: agenda, open, a secret ballot by every voting member, close.
    council = next(
        c for c in every(clerk, "/api/v1/councils/") if c["organisation"]["id"] == commune.pk
    )
    meeting = ok(
        clerk.post(
            "/api/v1/meetings/",
            {
                "council": council["id"],
                "title": "Xét khen thưởng năm học 2025–2026",
                "scheduled_for": (timezone.now() - timedelta(minutes=5)).isoformat(),
                "place": "Hội trường UBND xã",
            },
            format="json",
        ),
        201,
    )
    mid = meeting["id"]
    ok(clerk.post(f"/api/v1/meetings/{mid}/agenda/", {"dossier": pk}, format="json"))
    assert ok(chair.post(f"/api/v1/meetings/{mid}/open/"))["status"] == "open"
    voters = [m for m in council["members"] if m["votes"] and m["username"]]
    assert len(voters) >= 3
    for member in voters:
        client = client_for(member["username"])
        [ballot] = [b for b in ok(client.get("/api/v1/ballots/")) if b["meeting"] == mid]
        for nominee in ballot["nominees"]:
            if nominee["recused"]:
                continue
            answer = ok(
                client.post(
                    f"/api/v1/ballots/{mid}/cast/",
                    {"nominee": nominee["id"], "choice": "agree"},
                    format="json",
                )
            )
            assert answer == {"counted": True}  # and nothing about anyone's choice
    progress = ok(chair.get(f"/api/v1/meetings/{mid}/progress/"))
    assert progress["voted"] == progress["voters"] == len(voters)
    assert (
        ok(chair.post(f"/api/v1/meetings/{mid}/close/", {"note": "Thống nhất."}, format="json"))[
            "status"
        ]
        == "closed"
    )
    results = ok(chair.get(f"/api/v1/meetings/{mid}/results/"))
    assert {r["outcome"] for r in results} == {"passed"}
    assert ok(proposer.get(f"/api/v1/dossiers/{pk}/"))["status"] == "awaiting_decision"

    # 5. The secretariat drafts the decision and submits it; the leader signs and issues it.
    awardable = ok(clerk.get("/api/v1/decisions/awardable/", {"issuer": commune.pk}))
    ids = [n["id"] for n in awardable if n["dossier"] == pk]
    assert len(ids) == 3
    draft = ok(
        clerk.post("/api/v1/decisions/", {"issuer": commune.pk, "nominees": ids}, format="json"),
        201,
    )
    did = draft["id"]
    assert (
        ok(clerk.post(f"/api/v1/decisions/{did}/submit/", {}, format="json"))["status"]
        == "submitted"
    )
    issued = ok(
        signer.post(
            f"/api/v1/decisions/{did}/issue/",
            {"issued_on": timezone.localdate().isoformat()},
            format="json",
        )
    )
    assert issued["status"] == "issued"
    assert issued["label"].startswith("Số: 01/")
    assert ok(proposer.get(f"/api/v1/dossiers/{pk}/"))["status"] == "decided"
    assert RegistryEntry.objects.filter(decision_id=did).count() == 3

    # 6. The school downloads the Word decision and the signed PDF; the registry has them.
    word = proposer.get(f"/api/v1/decisions/{did}/docx/")
    assert word.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(word.getvalue())).paragraphs)
    number = issued["label"].removeprefix("Số: ")  # "01/QĐ-UBND"
    assert f"Quyết định số {number}" in text
    found = ok(proposer.get("/api/v1/registry/", {"name": "hoang thi mai"}))["results"]
    assert [e["decision_label"] for e in found] == [number]
    history = ok(proposer.get(f"/api/v1/registry/{found[0]['id']}/history/"))
    assert len(history) == 1
    pdf = proposer.get(f"/api/v1/decisions/{did}/pdf/")
    if soffice_binary() is None:
        pytest.skip("LibreOffice (soffice) is not installed: no signed PDF to download")
    assert pdf.status_code == 200
    signed = pdf.getvalue()  # streamed: read once
    assert signed.startswith(b"%PDF")
    assert b"/ByteRange" in signed  # a signature over the bytes
    assert pdf["X-Content-SHA256"]
