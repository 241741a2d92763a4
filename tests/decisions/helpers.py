"""Reading a .docx back in document order, and a decision issued through the services."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from docx import Document
from docx.oxml.ns import qn

from decisions import services
from decisions.models import DecisionStatus
from tests.factories import make_dossier_awaiting_decision, user

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def body_texts(data: bytes) -> list[str]:
    """Every non-empty paragraph text of the body, tables included, in document order."""
    document = Document(BytesIO(data))
    out: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                text = "".join(t.text or "" for t in child.iter(qn("w:t")))
                if text.strip():
                    out.append(text)
            elif child.tag in (qn("w:tbl"), qn("w:tr"), qn("w:tc")):
                walk(child)

    walk(document.element.body)
    return out


def index_of(texts: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(texts)):
        if needle in texts[i]:
            return i
    raise AssertionError(f"{needle!r} not found after position {start}: {texts[start : start + 8]}")


def decision_for(unit, *, nominees: int = 3, award_code: str = "bang-khen-tinh", **kwargs):
    """A draft decision (by the province secretariat) over a dossier awaiting decision."""
    dossier = make_dossier_awaiting_decision(unit, award_code, nominees=nominees, **kwargs)
    issuer = dossier.current_stage.organisation
    secretariat = user(f"{issuer.code}.vanphong")
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    draft = services.create_draft(
        issuer.pk, by=secretariat, nominee_ids=ids, signer_name="Hoàng Văn Nghiệm"
    )
    return dossier, draft, secretariat


def submit(draft, *, by=None):
    """The issuer's secretariat submits the draft for signature (trình ký)."""
    clerk = by or user(f"{draft.issuer.code}.vanphong")
    return services.submit_for_signature(draft.pk, by=clerk)


def signing_day(on: date):
    """The clock on `on` at 09:00 Hà Nội time: a decision is signed on the day it bears, so a
    test that signs "on 04/01/2027" lives that day (the services refuse a future date)."""
    return time_machine.travel(datetime(on.year, on.month, on.day, 9, tzinfo=HANOI), tick=False)


def issue(draft, *, by, on: date = date(2027, 1, 4)):
    """Submit (if not yet) and sign on the day `on`, as the signing authority `by`."""
    draft.refresh_from_db()
    if draft.status in (DecisionStatus.DRAFT, DecisionStatus.RETURNED):
        submit(draft)
    with signing_day(on):
        return services.issue_decision(draft.pk, by=by, issued_on=on)
