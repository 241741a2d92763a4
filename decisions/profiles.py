"""What an issuing body writes on its decisions: its profile row, or defaults from the tree.

Everything a province may word differently (header lines, symbol, signing capacities, the
order of the list's groups, recipients) is data on `IssuerProfile`; without a row, the
defaults below follow Decree 30/2020 for a People's Committee.
"""

from organisations.models import Level, Organisation

from .models import IssuerProfile

GOVERNMENT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
DEFAULT_CAPACITIES = [
    {"code": "chair", "lines": ["CHỦ TỊCH"]},
    {"code": "deputy", "lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]},
    {"code": "by_order", "lines": ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]},
    {"code": "authorised", "lines": ["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"]},
    {"code": "acting", "lines": ["Q. CHỦ TỊCH"]},
]
DEFAULT_RECIPIENTS = ["Như Điều 3;", "Các tập thể, cá nhân có tên tại Điều 1;", "Lưu: VT, SNV."]


def _committee(org: Organisation) -> str:
    return f"ỦY BAN NHÂN DÂN {org.name.upper()}"


def issuer_lines_for(org: Organisation) -> list[str]:
    """`ỦY BAN NHÂN DÂN` / `TỈNH LẠNG SƠN`; a unit writes its parent body above its name."""
    if org.level in GOVERNMENT_LEVELS:
        return ["ỦY BAN NHÂN DÂN", org.name.upper()]
    parent = Organisation.objects.get_parent(org)
    if parent is None:
        return [org.name.upper()]
    above = f"UBND {parent.name.upper()}" if parent.level in GOVERNMENT_LEVELS else parent.name
    return [above.upper(), org.name.upper()]


def profile_for(org: Organisation) -> IssuerProfile:
    """The saved profile, or an unsaved one holding the defaults."""
    try:
        return org.issuer_profile
    except IssuerProfile.DoesNotExist:
        pass
    government = org.level in GOVERNMENT_LEVELS
    return IssuerProfile(
        organisation=org,
        issuer_lines=issuer_lines_for(org),
        authority_line=f"CHỦ TỊCH {_committee(org)}" if government else f"THỦ TRƯỞNG {org.name}",
        symbol="QĐ-UBND" if government else "QĐ",
        capacities=DEFAULT_CAPACITIES,
        group_order=["collective", "individual", "household"],
        recipients=DEFAULT_RECIPIENTS,
        implementers=(
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ"
            if org.level == Level.PROVINCE
            else "Văn phòng, bộ phận phụ trách thi đua, khen thưởng"
        ),
        proposal_by=(
            "Giám đốc Sở Nội vụ" if org.level == Level.PROVINCE else "bộ phận phụ trách thi đua"
        ),
    )


def capacity_lines(profile: IssuerProfile, code: str) -> list[str]:
    for capacity in profile.capacities or DEFAULT_CAPACITIES:
        if capacity["code"] == code:
            return list(capacity["lines"])
    return ["CHỦ TỊCH"]


def capacity_choices(org: Organisation) -> list[tuple[str, str]]:
    profile = profile_for(org)
    return [(c["code"], " – ".join(c["lines"])) for c in profile.capacities or DEFAULT_CAPACITIES]


def short_authority(org: Organisation) -> str:
    """`Chủ tịch UBND tỉnh` (the caption under DANH SÁCH)."""
    if org.level in GOVERNMENT_LEVELS:
        return f"Chủ tịch UBND {org.name.split(' ')[0].lower()}"
    return f"Thủ trưởng {org.name}"


def legal_bases_of(decision) -> list[str]:
    """The căn cứ of the dossiers' rule set (snapshotted on each dossier when it was complete)."""
    for dossier in decision.dossiers.all():
        bases = (dossier.rules_snapshot or {}).get("legal_bases")
        if bases:
            return list(bases)
        if dossier.rule_set_id:
            return list(dossier.rule_set.legal_bases)
    return list(decision.award_type.rule_set.legal_bases)


def profile_values(decision) -> dict:
    """The values printed on the decision; frozen on the row when it is issued."""
    org = decision.issuer
    profile = profile_for(org)
    proposal = f"Theo đề nghị của {profile.proposal_by}"
    if decision.proposal_ref:
        proposal += f" tại {decision.proposal_ref}"
    return {
        "issuer_lines": list(profile.issuer_lines),
        "authority_line": profile.authority_line,
        "symbol": profile.symbol,
        "place": org.place_name or org.province().place_name or org.name,
        "legal_bases": legal_bases_of(decision),
        "proposal_line": proposal,
        "implementers": profile.implementers,
        "capacity_lines": capacity_lines(profile, decision.capacity),
        "recipients": list(profile.recipients or DEFAULT_RECIPIENTS),
        "group_order": list(profile.group_order or ["collective", "individual", "household"]),
        "short_authority": short_authority(org),
    }
