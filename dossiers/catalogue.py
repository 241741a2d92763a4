"""The award catalogue shipped with khenthuong: RS-2024 and RS-2025 (domain §1–§5).

Values marked "to confirm" in the domain notes are defaults an administrator edits in
the admin (rule sets, award types, route stages). seed_catalogue() is idempotent: it
creates what is missing and never overwrites an administrator's edits.
"""

from datetime import date

from django.db import transaction

from workflow.states import StageTier

from .models import AwardType, RequiredDocument, RouteStage, RuleSet, Subject
from .models import DocumentCategory as D

LAW = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
RULE_SETS = {
    "rs-2024": {
        "name": "Luật Thi đua, khen thưởng 2022 và Nghị định 98/2023/NĐ-CP",
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2025, 6, 30),
        "legal_bases": [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
            LAW,
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        ],
        "intermediate_levels": ["district", "department"],
        "intermediate_days": 20,
    },
    "rs-2025": {
        "name": "Luật Thi đua, khen thưởng 2022 và Nghị định 152/2025/NĐ-CP",
        "valid_from": date(2025, 7, 1),
        "valid_to": None,
        "legal_bases": [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
            LAW,
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        ],
        "intermediate_levels": ["commune", "department"],
        "intermediate_days": 10,
    },
}

UNIT = {
    "tier": StageTier.UNIT,
    "has_council": False,
    "limit_days": 10,
    "threshold": (2, 3, False),
    "threshold_base": "present",
}
PROVINCE = {
    "tier": StageTier.PROVINCIAL,
    "levels": ["province"],
    "has_council": True,
    "limit_days": 20,
    "limit_days_with_consultation": 30,
    "limit_days_simplified": 10,
    "threshold": (1, 2, True),
    "threshold_base": "all_members",
}
CSTD_PROVINCE = {
    **PROVINCE,
    "threshold": (9, 10, False),
    "threshold_base": "all_members",
    "count_written_votes": True,
}
INTERMEDIATE = {
    "tier": StageTier.INTERMEDIATE,
    "has_council": True,
    "threshold": (1, 2, True),
    "threshold_base": "present",
}

BASIC = [D.SUBMISSION_LETTER, D.MINUTES]
WITH_REPORT = [D.SUBMISSION_LETTER, D.ACHIEVEMENT_REPORT, D.MINUTES]
SIMPLIFIED = [D.SUBMISSION_LETTER, D.SUMMARY_REPORT]

AWARDS = [
    # code, name, subject, authority, decision title, route, documents, simplified docs, rules
    (
        "ldtt",
        "Danh hiệu Lao động tiên tiến",
        Subject.INDIVIDUAL,
        "Thủ trưởng đơn vị",
        "Về việc công nhận danh hiệu Lao động tiên tiến",
        [UNIT],
        BASIC,
        [],
        {},
    ),
    (
        "cstdcs",
        "Danh hiệu Chiến sĩ thi đua cơ sở",
        Subject.INDIVIDUAL,
        "Chủ tịch Ủy ban nhân dân cấp xã (cấp huyện trước 01/07/2025) hoặc thủ trưởng sở, ngành",
        "Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở",
        [UNIT, INTERMEDIATE],
        [*WITH_REPORT, D.INITIATIVE],
        [],
        {"requires_same_year": ["ldtt"], "quota": {"of": "ldtt", "num": 15, "den": 100}},
    ),
    (
        "cstd-tinh",
        "Danh hiệu Chiến sĩ thi đua cấp tỉnh",
        Subject.INDIVIDUAL,
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        [UNIT, INTERMEDIATE, CSTD_PROVINCE],
        [*WITH_REPORT, D.INITIATIVE_EFFECT, D.PRIOR_DECISIONS],
        [],
        {"consecutive": {"of": "cstdcs", "years": 3}},
    ),
    (
        "bang-khen-tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        Subject.BOTH,
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        [UNIT, INTERMEDIATE, PROVINCE],
        WITH_REPORT,
        SIMPLIFIED,
        {},
    ),
    (
        "ttldxs",
        "Danh hiệu Tập thể lao động xuất sắc",
        Subject.COLLECTIVE,
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "Về việc công nhận danh hiệu Tập thể lao động xuất sắc",
        [UNIT, INTERMEDIATE, PROVINCE],
        WITH_REPORT,
        [],
        {},
    ),
    (
        "co-thi-dua-tinh",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        Subject.COLLECTIVE,
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
        [UNIT, INTERMEDIATE, PROVINCE],
        [*WITH_REPORT, D.CLUSTER_SCORE],
        [],
        {},
    ),
]
GIAY_KHEN = {
    "rs-2024": (
        "giay-khen-huyen",
        "Giấy khen của Chủ tịch Ủy ban nhân dân huyện",
        "Chủ tịch Ủy ban nhân dân huyện",
        ["district"],
    ),
    "rs-2025": (
        "giay-khen-xa",
        "Giấy khen của Chủ tịch Ủy ban nhân dân xã",
        "Chủ tịch Ủy ban nhân dân xã",
        ["commune"],
    ),
}


@transaction.atomic
def seed_catalogue() -> None:
    for code, spec in RULE_SETS.items():
        rule_set, _ = RuleSet.objects.get_or_create(
            code=code,
            defaults={k: spec[k] for k in ("name", "valid_from", "valid_to", "legal_bases")},
        )
        awards = list(AWARDS)
        gk_code, gk_name, gk_authority, gk_levels = GIAY_KHEN[code]
        awards.append(
            (
                gk_code,
                gk_name,
                Subject.BOTH,
                gk_authority,
                f"Về việc tặng {gk_name}",
                [UNIT, {**INTERMEDIATE, "levels": gk_levels}],
                WITH_REPORT,
                SIMPLIFIED,
                {},
            )
        )
        for code_, name, subject, authority, title, route, docs, simple_docs, rules in awards:
            award, created = AwardType.objects.get_or_create(
                rule_set=rule_set,
                code=code_,
                defaults={
                    "name": name,
                    "subject": subject,
                    "deciding_authority": authority,
                    "decision_title": title,
                    "eligibility": rules,
                },
            )
            if not created:
                continue
            for position, stage in enumerate(route):
                levels = stage.get("levels") or (
                    spec["intermediate_levels"] if stage["tier"] == StageTier.INTERMEDIATE else []
                )
                num, den, strict = stage.get("threshold", (1, 2, True))
                RouteStage.objects.create(
                    award_type=award,
                    position=position,
                    tier=stage["tier"],
                    levels=levels,
                    has_council=stage["has_council"],
                    limit_days=stage.get("limit_days", spec["intermediate_days"]),
                    limit_days_with_consultation=stage.get("limit_days_with_consultation"),
                    limit_days_simplified=stage.get("limit_days_simplified"),
                    consultation=stage.get("consultation", False),
                    threshold_num=num,
                    threshold_den=den,
                    threshold_strict=strict,
                    threshold_base=stage.get("threshold_base", "present"),
                    count_written_votes=stage.get("count_written_votes", False),
                    recuse_proposing_unit=stage.get("recuse_proposing_unit", False),
                )
            for category in docs:
                RequiredDocument.objects.create(award_type=award, category=category)
            for category in simple_docs:
                RequiredDocument.objects.create(
                    award_type=award, category=category, simplified=True
                )
