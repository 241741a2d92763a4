"""The award catalogue shipped with khenthuong: RS-2024 and RS-2025, as the law stands.

RS-2024 is Law 06/2022 with Decree 98/2023 (01/01/2024–30/06/2025, district stage);
RS-2025 is Law 06/2022 with Decree 152/2025 from 01/07/2025 (two-tier local government: the
commune chair holds the old district powers, Decree 129/2025 art. 59). Values follow
domain.md, its "Corrections and additions (verified 12/2026)" section first.

Every rule carries its legal basis (căn cứ) beside it: `basis` on the award form (its
decider and criteria), on each route stage (its limits and vote rule), on each required
document, and inside each eligibility parameter. A value the domain marks provincial or
to confirm says so in `note` (or `"provincial": True` / `"to_confirm": True` inside an
eligibility parameter): an administrator edits it in the admin.

seed_catalogue() is idempotent: it creates what is missing and never overwrites an
administrator's edits.
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
    },
}

# --- legal bases (căn cứ), quoted as domain.md gives them --------------------------------

TO_CONFIRM = "Giá trị mặc định, chờ xác nhận; quản trị viên sửa được."
PROVINCIAL = "Tỉnh quy định; giá trị mặc định sửa được."
VOTE_98 = "Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP"
VOTE_NOTE_2025 = (
    "Áp dụng tiếp Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP đến khi văn bản Nghị định "
    "152/2025/NĐ-CP quy định khác; chờ xác nhận."
)
COMMUNE_LIMIT_CSTDCS = "QĐ 638/QĐ-BNV 2025"
DECIDERS_2025 = (
    "Điều 59 Nghị định 129/2025/NĐ-CP; khoản 1 Điều 80 Luật Thi đua, khen thưởng; "
    "Bắc Ninh QĐ 86/2025 điều 5"
)
DECIDERS_2024 = "Điều 80 Luật Thi đua, khen thưởng năm 2022; Nghị định 98/2023/NĐ-CP"
DOCUMENTS = {
    "rs-2024": "Nghị định 98/2023/NĐ-CP; Thông tư 01/2024/TT-BNV",
    "rs-2025": "Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV",
}

# --- eligibility parameters (registry.eligibility reads the keys it knows) -------------

# Decree 91/2017 (15 % of LĐTT, rounded down) lapsed; Law 06/2022 and Decrees 98/2023 and
# 152/2025 set no cap. The quota mechanism stays (registry.eligibility.check_quota): a
# province that sets one turns it on with set_provincial_quota() or by adding this under
# "quota" in the award form's eligibility in the admin.
CSTDCS_QUOTA = {
    "of": "ldtt",
    "num": 15,
    "den": 100,
    "provincial": True,
    "basis": "Không có hạn mức toàn quốc (Luật TĐKT 2022 điều 23; Nghị định 98/2023/NĐ-CP); "
    "tỉnh có thể quy định",
}
CSTDCS_RULES = {
    "requires_same_year": ["ldtt"],
    # An initiative (or applied research, combat creativity) is required; an alternative
    # without one is reported by some sources: configurable, to confirm.
    "initiative": {"required": True, "to_confirm": True, "basis": "Điều 23 Luật TĐKT 2022"},
    "bases": {
        "requires_same_year": "Điều 23 Luật Thi đua, khen thưởng năm 2022",
        "quota": "Không có hạn mức toàn quốc; tỉnh quy định (tắt mặc định)",
    },
}
CSTD_TINH_RULES = {
    "consecutive": {
        "of": "cstdcs",
        "years": 3,
        "basis": "Luật Thi đua, khen thưởng năm 2022 (3 lần liên tục CSTĐCS)",
    },
    "bases": {"consecutive": "Luật Thi đua, khen thưởng năm 2022 (3 lần liên tục CSTĐCS)"},
}


def collective_share(num: int, *, provincial: bool, basis: str, note: str = "") -> dict:
    """A collective title's share of members holding LĐTT (e.g. TTLĐTT ≥ 50 %/≥ 70 %).

    Parameter only: registry.eligibility has no rule reading it yet (reported to its
    owner); stored, pinned and shown with its basis meanwhile."""
    return {
        "of": "ldtt",
        "num": num,
        "den": 100,
        "strict": False,
        "provincial": provincial,
        "basis": basis,
        "note": note,
    }


TTLDTT_RULES = {
    "member_share": collective_share(
        50,
        provincial=True,
        basis="Điều 6 khoản 2 điểm c Nghị định 152/2025/NĐ-CP; Bắc Ninh QĐ 86/2025 điều 4",
        note="≥ 50 % ở một số tỉnh, ≥ 70 % ở tỉnh khác: tỉnh quy định.",
    ),
    "no_discipline_from": {
        "level": "canh_cao",
        "provincial": True,
        "basis": "Điều 6 khoản 2 điểm c Nghị định 152/2025/NĐ-CP",
    },
}
TTLDTT_RULES_2024 = {
    "member_share": collective_share(
        50, provincial=True, basis="Nghị định 98/2023/NĐ-CP", note=TO_CONFIRM
    ),
    "no_discipline_from": {"level": "canh_cao", "to_confirm": True, "basis": ""},
}
TTLDXS_RULES = {
    "member_share": collective_share(
        70, provincial=False, basis="Luật Thi đua, khen thưởng năm 2022", note=TO_CONFIRM
    ),
    "requires_member": {"of": "cstdcs", "count": 1, "to_confirm": True, "basis": ""},
}

# --- route stages ------------------------------------------------------------------------

UNIT = {
    "tier": StageTier.UNIT,
    "has_council": False,
    "limit_days": 10,
    "threshold": (2, 3, False),
    "threshold_base": "present",
    "note": TO_CONFIRM,
}
# A council stage whose vote is mandatory at ≥ 4/5 of ALL members of the proposing
# level's council, absentees' written votes counted, secret ballot (Decree 98/2023 art. 30
# §7: CSTĐCS, Cờ thi đua tỉnh, Cờ thi đua Chính phủ).
FOUR_FIFTHS = {
    "threshold": (4, 5, False),
    "threshold_base": "all_members",
    "count_written_votes": True,
    "secret_ballot": True,
}
NINE_TENTHS = {**FOUR_FIFTHS, "threshold": (9, 10, False)}  # CSTĐ tỉnh, CSTĐTQ, Anh hùng
PROVINCE = {
    "tier": StageTier.PROVINCIAL,
    "levels": ["province"],
    "has_council": True,
    "limit_days": 20,
    "limit_days_with_consultation": 30,
    "limit_days_simplified": 10,
    "threshold": (1, 2, True),
    "threshold_base": "all_members",
    "note": "Thời hạn 20 / 30 (có hiệp y) / 10 (thủ tục đơn giản) ngày làm việc: " + TO_CONFIRM,
}


def local(rs: str, *, levels: list[str] | None = None, deciding: bool, **extra) -> dict:
    """The stage below the province: the commune (RS-2025) or the district (RS-2024), or the
    department. `deciding`: the route ends here and this level's head decides."""
    if rs == "rs-2025":
        spec = {"levels": ["commune", "department"], "limit_days": 10, "note": TO_CONFIRM}
    else:
        spec = {"levels": ["district", "department"], "limit_days": 20, "note": ""}
    spec.update(
        tier=StageTier.INTERMEDIATE,
        has_council=True,
        threshold=(1, 2, True),
        threshold_base="present",
        basis=(DECIDERS_2025 if rs == "rs-2025" else DECIDERS_2024) if deciding else "",
    )
    if levels:
        spec["levels"] = levels
    spec.update(extra)
    return spec


def cstdcs_stage(rs: str) -> dict:
    if rs == "rs-2025":
        # domain.md corrections: 20 working days for the commune to appraise a CSTĐCS
        # dossier and submit it to the commune chair (not 10).
        return local(
            rs,
            deciding=True,
            limit_days=20,
            basis=f"{COMMUNE_LIMIT_CSTDCS} (thời hạn 20 ngày); {VOTE_98} (biểu quyết); "
            f"{DECIDERS_2025} (thẩm quyền)",
            note=VOTE_NOTE_2025,
            **FOUR_FIFTHS,
        )
    return local(
        rs,
        deciding=True,
        basis=f"{VOTE_98} (biểu quyết); {DECIDERS_2024} (thẩm quyền)",
        **FOUR_FIFTHS,
    )


def province(rs: str, **vote) -> dict:
    basis = VOTE_98 if vote else ""
    note = PROVINCE["note"] + (" " + VOTE_NOTE_2025 if vote and rs == "rs-2025" else "")
    return {**PROVINCE, **vote, "basis": basis, "note": note}


BASIC = [D.SUBMISSION_LETTER, D.MINUTES]
WITH_REPORT = [D.SUBMISSION_LETTER, D.ACHIEVEMENT_REPORT, D.MINUTES]
SIMPLIFIED = [D.SUBMISSION_LETTER, D.SUMMARY_REPORT]


def awards(rs: str) -> list[dict]:
    """The forms of rule set `rs`: who decides (authority, basis), criteria, route, documents."""
    new = rs == "rs-2025"
    local_head = (
        "Chủ tịch Ủy ban nhân dân cấp xã; thủ trưởng sở, ban, ngành, đơn vị có tư cách pháp "
        "nhân (đối với cán bộ, công chức, viên chức, người lao động của mình)"
        if new
        else "Chủ tịch Ủy ban nhân dân cấp huyện; thủ trưởng sở, ban, ngành"
    )
    deciders = DECIDERS_2025 if new else DECIDERS_2024
    provincial = {"authority": "Chủ tịch Ủy ban nhân dân tỉnh", "basis": deciders}
    commune_only = ["commune"] if new else ["district"]
    giay_khen = (
        ("giay-khen-xa", "Giấy khen của Chủ tịch Ủy ban nhân dân xã", "Chủ tịch UBND xã")
        if new
        else (
            "giay-khen-huyen",
            "Giấy khen của Chủ tịch Ủy ban nhân dân huyện",
            "Chủ tịch UBND huyện",
        )
    )
    return [
        {
            "code": "ldtt",
            "name": "Danh hiệu Lao động tiên tiến",
            "subject": Subject.INDIVIDUAL,
            "authority": local_head,
            "basis": deciders,
            "title": "Về việc công nhận danh hiệu Lao động tiên tiến",
            "route": [UNIT, local(rs, deciding=True)],
            "documents": BASIC,
            "rules": {},
        },
        {
            "code": "cstdcs",
            "name": "Danh hiệu Chiến sĩ thi đua cơ sở",
            "subject": Subject.INDIVIDUAL,
            "authority": local_head,
            "basis": f"{deciders}; Điều 23 Luật Thi đua, khen thưởng năm 2022 (tiêu chuẩn)",
            "title": "Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở",
            "route": [UNIT, cstdcs_stage(rs)],
            "documents": [*WITH_REPORT, D.INITIATIVE],
            "rules": CSTDCS_RULES,
        },
        {
            "code": "ttldtt",
            "name": "Danh hiệu Tập thể lao động tiên tiến",
            "subject": Subject.COLLECTIVE,
            "authority": local_head,
            "basis": deciders,
            "title": "Về việc công nhận danh hiệu Tập thể lao động tiên tiến",
            "route": [UNIT, local(rs, deciding=True)],
            "documents": WITH_REPORT,
            "rules": TTLDTT_RULES if new else TTLDTT_RULES_2024,
        },
        {
            "code": giay_khen[0],
            "name": giay_khen[1],
            "subject": Subject.BOTH,
            "authority": giay_khen[2],
            "basis": deciders,
            "title": f"Về việc tặng {giay_khen[1]}",
            "route": [UNIT, local(rs, levels=commune_only, deciding=True)],
            "documents": WITH_REPORT,
            "simplified": SIMPLIFIED,
            "rules": {},
        },
        {
            "code": "gia-dinh-van-hoa",
            "name": "Danh hiệu Gia đình văn hóa",
            "subject": Subject.COLLECTIVE,  # households (NomineeKind.HOUSEHOLD)
            "authority": "Chủ tịch Ủy ban nhân dân xã" if new else "Chủ tịch UBND cấp huyện",
            "basis": deciders,
            "note": "" if new else TO_CONFIRM,
            "title": "Về việc công nhận danh hiệu Gia đình văn hóa",
            "route": [UNIT, local(rs, levels=commune_only, deciding=True)],
            "documents": BASIC,
            "rules": {},
        },
        {
            "code": "thon-van-hoa",
            "name": "Danh hiệu Thôn, tổ dân phố văn hóa",
            "subject": Subject.COLLECTIVE,
            "authority": "Chủ tịch Ủy ban nhân dân xã" if new else "Chủ tịch UBND cấp huyện",
            "basis": deciders,
            "note": "" if new else TO_CONFIRM,
            "title": "Về việc công nhận danh hiệu Thôn, tổ dân phố văn hóa",
            "route": [UNIT, local(rs, levels=commune_only, deciding=True)],
            "documents": BASIC,
            "rules": {},
        },
        {
            "code": "cstd-tinh",
            "name": "Danh hiệu Chiến sĩ thi đua cấp tỉnh",
            **provincial,
            "subject": Subject.INDIVIDUAL,
            "title": "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
            "route": [UNIT, local(rs, deciding=False), province(rs, **NINE_TENTHS)],
            "documents": [*WITH_REPORT, D.INITIATIVE_EFFECT, D.PRIOR_DECISIONS],
            "rules": CSTD_TINH_RULES,
        },
        {
            "code": "bang-khen-tinh",
            "name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            **provincial,
            "subject": Subject.BOTH,
            "title": "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "route": [UNIT, local(rs, deciding=False), province(rs)],
            "documents": WITH_REPORT,
            "simplified": SIMPLIFIED,
            "rules": {},
        },
        {
            "code": "ttldxs",
            "name": "Danh hiệu Tập thể lao động xuất sắc",
            **provincial,
            "subject": Subject.COLLECTIVE,
            "title": "Về việc công nhận danh hiệu Tập thể lao động xuất sắc",
            "route": [UNIT, local(rs, deciding=False), province(rs)],
            "documents": WITH_REPORT,
            "rules": TTLDXS_RULES,
        },
        {
            "code": "co-thi-dua-tinh",
            "name": "Cờ thi đua của Ủy ban nhân dân tỉnh",
            **provincial,
            "subject": Subject.COLLECTIVE,
            "title": "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
            # ≥ 4/5 of all members of the council of the level that proposes it to the
            # chair: the provincial council.
            "route": [UNIT, local(rs, deciding=False), province(rs, **FOUR_FIFTHS)],
            "documents": [*WITH_REPORT, D.CLUSTER_SCORE],
            "rules": {},
        },
    ]


def _create_stage(award: AwardType, position: int, stage: dict) -> RouteStage:
    num, den, strict = stage.get("threshold", (1, 2, True))
    return RouteStage.objects.create(
        award_type=award,
        position=position,
        tier=stage["tier"],
        levels=stage.get("levels", []),
        has_council=stage["has_council"],
        limit_days=stage["limit_days"],
        limit_days_with_consultation=stage.get("limit_days_with_consultation"),
        limit_days_simplified=stage.get("limit_days_simplified"),
        consultation=stage.get("consultation", False),
        threshold_num=num,
        threshold_den=den,
        threshold_strict=strict,
        threshold_base=stage.get("threshold_base", "present"),
        count_written_votes=stage.get("count_written_votes", False),
        secret_ballot=stage.get("secret_ballot", True),
        recuse_proposing_unit=stage.get("recuse_proposing_unit", False),
        basis=stage.get("basis", ""),
        note=stage.get("note", ""),
    )


@transaction.atomic
def seed_catalogue() -> None:
    for rs, spec in RULE_SETS.items():
        rule_set, _ = RuleSet.objects.get_or_create(
            code=rs,
            defaults={k: spec[k] for k in ("name", "valid_from", "valid_to", "legal_bases")},
        )
        for form in awards(rs):
            award, created = AwardType.objects.get_or_create(
                rule_set=rule_set,
                code=form["code"],
                defaults={
                    "name": form["name"],
                    "subject": form["subject"],
                    "deciding_authority": form["authority"],
                    "basis": form["basis"],
                    "note": form.get("note", ""),
                    "decision_title": form["title"],
                    "eligibility": form["rules"],
                },
            )
            if not created:
                continue
            for position, stage in enumerate(form["route"]):
                _create_stage(award, position, stage)
            for simplified, categories in (
                (False, form["documents"]),
                (True, form.get("simplified", [])),
            ):
                for category in categories:
                    RequiredDocument.objects.create(
                        award_type=award,
                        category=category,
                        simplified=simplified,
                        basis=DOCUMENTS[rs],
                    )


@transaction.atomic
def set_provincial_quota(
    rule_set_code: str,
    *,
    award_code: str = "cstdcs",
    num: int = 15,
    den: int = 100,
    basis: str = "",
) -> AwardType:
    """Turn on a province's CSTĐCS quota (⌊LĐTT × num/den⌋ per unit and year) in the live
    rule set; `num=0` turns it off. Dossiers already received complete keep the rules they
    pinned; only later ones are judged by the change."""
    award = AwardType.objects.select_for_update().get(rule_set__code=rule_set_code, code=award_code)
    rules = dict(award.eligibility or {})
    if num:
        rules["quota"] = {**CSTDCS_QUOTA, "num": num, "den": den, "basis": basis or PROVINCIAL}
    else:
        rules.pop("quota", None)
    award.eligibility = rules
    award.save(update_fields=["eligibility"])
    return award
