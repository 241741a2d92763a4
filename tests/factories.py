"""Helpers that drive the real services to put dossiers where a test needs them.

Nothing here writes rows behind the services' back: a dossier at the provincial council
got there through submit, forward, accept and send_to_council, as a user's would.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from dossiers.models import AwardType, DocumentCategory, Dossier
from dossiers.services import add_nominee, attach_document, create_dossier
from workflow import services as transitions
from workflow.states import DossierStatus

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"IEND\xaeB`\x82"


def user(username: str):
    """A fresh instance (guardian caches permissions per user object)."""
    return get_user_model().objects.get(username=username)


def award(code: str, rule_set: str = "rs-2025") -> AwardType:
    return AwardType.objects.get(code=code, rule_set__code=rule_set)


@dataclass
class Actors:
    proposer: object
    unit_head: object


def actors_of(unit_code: str) -> Actors:
    return Actors(user(f"{unit_code}.thiduakhenthuong"), user(f"{unit_code}.thutruong"))


def upload(dossier: Dossier, by, category: str, *, data: bytes = PDF, name: str = "tai-lieu.pdf"):
    return attach_document(
        dossier.pk, by=by, category=category, name=name, size=len(data), chunks=[data]
    )


def make_draft(
    unit,
    award_code: str = "bang-khen-tinh",
    *,
    nominees: int = 1,
    rule_set: str = "rs-2025",
    documents: bool = True,
    year: int = 2025,
    nominee_fields: list[dict] | None = None,
) -> Dossier:
    """A draft from `unit` (an Organisation) with nominees and every required document."""
    proposer = actors_of(unit.code).proposer
    form = award(award_code, rule_set)
    dossier = create_dossier(
        proposer=unit,
        award_type=form,
        by=proposer,
        year=year,
        title=f"Đề nghị {form.name} năm {year}",
    )
    kind = "collective" if form.subject == "collective" else "individual"
    fields_list = nominee_fields or [
        {
            "kind": kind,
            "full_name": f"Nguyễn Thị Hồng Nhung {i + 1}"
            if kind == "individual"
            else f"Tổ chuyên môn số {i + 1}",
            "birth_year": 1985 + i if kind == "individual" else None,
            "gender": "female" if kind == "individual" else "",
            "position": "Giáo viên" if kind == "individual" else "",
            "organisation_name": unit.name,
            "identity_code": f"0010850{i:05d}-{unit.code}",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        }
        for i in range(nominees)
    ]
    for fields in fields_list:
        add_nominee(dossier.pk, by=proposer, **fields)
    if documents:
        for category in dossier.required_categories():
            upload(dossier, proposer, category)
    return Dossier.objects.get(pk=dossier.pk)


def stage_secretariat(dossier: Dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    return user(f"{dossier.current_stage.organisation.code}.vanphong")


def submit_and_approve(dossier: Dossier) -> Dossier:
    """Proposer submits, unit head sends it on: it lands at the first receiving level."""
    a = actors_of(dossier.proposer.code)
    transitions.submit_dossier(dossier.pk, by=a.proposer)
    transitions.approve_dossier(dossier.pk, by=a.unit_head)
    return Dossier.objects.get(pk=dossier.pk)


def advance_to_council(dossier: Dossier, *, received_on=None) -> Dossier:
    """From an appraisal state: the stage secretariat accepts it complete and sends it on."""
    secretariat = stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=secretariat, received_on=received_on)
    transitions.send_to_council(dossier.pk, by=secretariat)
    return Dossier.objects.get(pk=dossier.pk)


def pass_council(dossier: Dossier, *, failed=()) -> Dossier:
    """Record a council result (the chair of the stage's organisation); `failed` nominee ids."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    chair = user(f"{dossier.current_stage.organisation.code}.chutichhd")
    outcomes = {n.pk: ("failed" if n.pk in failed else "passed") for n in dossier.active_nominees()}
    transitions.record_council_result(dossier.pk, by=chair, outcomes=outcomes)
    return Dossier.objects.get(pk=dossier.pk)


def make_dossier_at_council(
    unit,
    award_code: str = "bang-khen-tinh",
    *,
    level: str = "provincial",
    nominees: int = 3,
    **kwargs,
) -> Dossier:
    """A dossier before the intermediate or the provincial council, through the real steps."""
    dossier = submit_and_approve(make_draft(unit, award_code, nominees=nominees, **kwargs))
    dossier = advance_to_council(dossier)
    if level == "provincial" and dossier.status == DossierStatus.INTERMEDIATE_COUNCIL:
        dossier = advance_to_council(pass_council(dossier))
    assert dossier.status == (
        DossierStatus.PROVINCIAL_COUNCIL
        if level == "provincial"
        else DossierStatus.INTERMEDIATE_COUNCIL
    ), dossier.status
    return dossier


def make_dossier_awaiting_decision(unit, award_code: str = "bang-khen-tinh", **kwargs) -> Dossier:
    dossier = pass_council(make_dossier_at_council(unit, award_code, **kwargs))
    assert dossier.status == DossierStatus.AWAITING_DECISION, dossier.status
    return dossier


__all__ = ["PDF", "PNG", "DocumentCategory"]
