"""A few demo dossiers at different steps, made through the real services. Idempotent:
nothing is created once any dossier exists.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from organisations.models import Organisation
from workflow import services as transitions

from .models import AwardType, Dossier
from .services import add_nominee, attach_document, create_dossier

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

PEOPLE = [
    ("Hoàng Thị Thu Trang", 1984, "female", "Giáo viên tiểu học", True),
    ("Nông Văn Quyết", 1979, "male", "Tổ trưởng chuyên môn", True),
    ("Lương Thị Mai Hương", 1990, "female", "Kế toán", False),
]


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _dossier(unit_code: str, award_code: str, title: str) -> Dossier:
    unit = Organisation.objects.get(code=unit_code)
    proposer = _user(f"{unit_code}.thiduakhenthuong")
    award = AwardType.objects.get(code=award_code, rule_set__code="rs-2025")
    dossier = create_dossier(
        proposer=unit,
        award_type=award,
        by=proposer,
        year=2026,
        title=title,
        letter_text="Kính gửi Hội đồng Thi đua – Khen thưởng.",
    )
    for name, born, gender, position, direct in PEOPLE:
        add_nominee(
            dossier.pk,
            by=proposer,
            kind="individual",
            full_name=name,
            birth_year=born,
            gender=gender,
            position=position,
            organisation_name=unit.name,
            is_direct_worker=direct,
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2026.",
        )
    for category in dossier.required_categories():
        attach_document(
            dossier.pk,
            by=proposer,
            category=category,
            name=f"{category}.pdf",
            size=len(PDF),
            chunks=[PDF],
        )
    return dossier


@transaction.atomic
def seed_dossiers() -> None:
    if Dossier.objects.exists():
        return
    _dossier(
        "th-hop-thanh",
        "bang-khen-tinh",
        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm học 2025–2026",
    )
    submitted = _dossier(
        "mn-xuat-le", "giay-khen-xa", "Đề nghị tặng Giấy khen của Chủ tịch UBND xã năm 2026"
    )
    transitions.submit_dossier(submitted.pk, by=_user("mn-xuat-le.thiduakhenthuong"))
    at_commune = _dossier(
        "thcs-tan-doan",
        "bang-khen-tinh",
        "Đề nghị tặng Bằng khen cho giáo viên Trường THCS Tân Đoàn",
    )
    transitions.submit_dossier(at_commune.pk, by=_user("thcs-tan-doan.thiduakhenthuong"))
    transitions.approve_dossier(at_commune.pk, by=_user("thcs-tan-doan.thutruong"))
    at_province = _dossier(
        "bvdk-tinh",
        "bang-khen-tinh",
        "Đề nghị tặng Bằng khen cho tập thể, cá nhân Bệnh viện Đa khoa tỉnh",
    )
    transitions.submit_dossier(at_province.pk, by=_user("bvdk-tinh.thiduakhenthuong"))
    transitions.approve_dossier(at_province.pk, by=_user("bvdk-tinh.thutruong"))
    transitions.accept_dossier(at_province.pk, by=_user("so-y-te.vanphong"))
    transitions.send_to_council(at_province.pk, by=_user("so-y-te.vanphong"))
    transitions.record_council_result(
        at_province.pk,
        by=_user("so-y-te.chutichhd"),
        outcomes={n.pk: "passed" for n in at_province.active_nominees()},
    )
