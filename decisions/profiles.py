"""What an issuing body writes on its decisions: its profile row, or defaults from the tree.

Everything a province may word differently (header lines, symbol, signing capacities, the
order of the list's groups, recipients) is data on `IssuerProfile`; without a row, the
defaults below follow Decree 30/2020 for a People's Committee.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models

from office.dates import unit_place
from organisations.models import Level, Membership, Organisation
from organisations.permissions import holds, users_who_can
from organisations.roles import Perm, Role

from .models import IssuerProfile, Signatory

GOVERNMENT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
DEFAULT_CAPACITIES = [
    {"code": "chair", "lines": ["CHỦ TỊCH"]},
    {"code": "deputy", "lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]},
    {"code": "by_order", "lines": ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]},
    {"code": "authorised", "lines": ["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"]},
    {"code": "acting", "lines": ["Q. CHỦ TỊCH"]},
]
DEFAULT_RECIPIENTS = ["Như Điều 3;", "Các tập thể, cá nhân có tên tại Điều 1;"]
# Decree 30/2020 app. I §VIII: "Lưu: VT, <the drafting unit>". The province's decisions are
# drafted by Sở Nội vụ; a commune's by its office (Văn phòng HĐND và UBND): data on the profile,
# these are only the defaults when the profile leaves the line blank.
DEFAULT_FILING = {Level.PROVINCE: "Lưu: VT, SNV.", Level.DISTRICT: "Lưu: VT, NV."}
DEFAULT_FILING_OTHER = "Lưu: VT, VP."


def _committee(org: Organisation) -> str:
    return f"ỦY BAN NHÂN DÂN {org.name.upper()}"


def government_of(org: Organisation) -> Organisation:
    """The organisation itself if it is a province/district/commune, else its nearest
    ancestor that is (a school sits where its commune or province does)."""
    if org.level in GOVERNMENT_LEVELS:
        return org
    for ancestor in reversed(list(Organisation.objects.get_ancestors(org))):
        if ancestor.level in GOVERNMENT_LEVELS:
            return ancestor
    return org


def place_for(org: Organisation) -> str:
    """The place of the place-date line: the profile's, else the organisation's own
    `place_name` (a province), else its administrative unit's name without the level word.

    A commune never borrows the province's place: `Organisation.place_name` is read only on
    the body itself (or its administrative unit, for a school), never on an ancestor.
    """
    profile = saved_profile(org)
    if profile is not None and profile.place_name:
        return profile.place_name
    unit = government_of(org)
    return unit.place_name or unit_place(unit.name)


def saved_profile(org: Organisation) -> IssuerProfile | None:
    try:
        return org.issuer_profile
    except IssuerProfile.DoesNotExist:
        return None


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
    saved = saved_profile(org)
    if saved is not None:
        return saved
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
            else default_proposal_by(org)
        ),
        proposal_by=default_proposal_by(org),
    )


def default_proposal_by(org: Organisation) -> str:
    """Whose tờ trình the decision answers (Decree 30/2020: `Theo đề nghị của …`). The
    province: Giám đốc Sở Nội vụ (its Phòng TĐKT is the secretariat); a commune: the head of
    its office, which keeps the commune's TĐKT work since 07/2025 (to confirm per province:
    the profile's `proposal_by` holds the real title)."""
    if org.level == Level.PROVINCE:
        return "Giám đốc Sở Nội vụ"
    if org.level in GOVERNMENT_LEVELS:
        return (
            "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân "
            f"{org.name[:1].lower()}{org.name[1:]}"
        )
    return f"bộ phận phụ trách thi đua, khen thưởng của {org.name}"


def filing_line(org: Organisation, profile: IssuerProfile) -> str:
    if profile.filing_line:
        return profile.filing_line
    return DEFAULT_FILING.get(org.level, DEFAULT_FILING_OTHER)


def recipients_of(org: Organisation, profile: IssuerProfile) -> list[str]:
    """The distribution list, ending with the filing line (`Lưu: VT, …`). A profile written
    before the filing line was its own field keeps its `Lưu:` line as it was."""
    lines = list(profile.recipients or DEFAULT_RECIPIENTS)
    if not any(line.strip().startswith("Lưu") for line in lines):
        lines.append(filing_line(org, profile))
    return lines


def capacity_lines(profile: IssuerProfile, code: str) -> list[str]:
    for capacity in profile.capacities or DEFAULT_CAPACITIES:
        if capacity["code"] == code:
            return list(capacity["lines"])
    return ["CHỦ TỊCH"]


def capacity_choices(org: Organisation) -> list[tuple[str, str]]:
    profile = profile_for(org)
    return [(c["code"], " – ".join(c["lines"])) for c in profile.capacities or DEFAULT_CAPACITIES]


def short_authority(org: Organisation) -> str:
    """`Chủ tịch UBND xã Hợp Thành` (the caption under DANH SÁCH): the profile's
    `list_authority`, else the chair of the body named in full, so a commune's list says
    which commune (it read `… của Chủ tịch UBND xã`)."""
    profile = saved_profile(org)
    if profile is not None and profile.list_authority:
        return profile.list_authority
    if org.level in GOVERNMENT_LEVELS:
        return f"Chủ tịch UBND {org.name[:1].lower()}{org.name[1:]}"
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
        "place": place_for(org),
        "legal_bases": legal_bases_of(decision),
        "proposal_line": proposal,
        "implementers": profile.implementers,
        "capacity_lines": signature_lines(profile, decision.capacity, decision.signer_title),
        "recipients": recipients_of(org, profile),
        "group_order": list(profile.group_order or ["collective", "individual", "household"]),
        "short_authority": short_authority(org),
    }


def signature_lines(profile: IssuerProfile, code: str, title: str = "") -> list[str]:
    """`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`: the capacity's lines, the last one the signer's own
    title when the capacity names one (a deputy, by order, by authorisation)."""
    lines = capacity_lines(profile, code)
    if len(lines) > 1 and title.strip():
        lines[-1] = title.strip().upper()
    return lines


# --- who signs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """The signer's record as printed: from a Signatory row, or the signing authority's
    Membership. `signatory_id` is None for the latter."""

    full_name: str
    title: str
    capacity: str
    signatory_id: int | None = None


def _capacity_for_title(profile: IssuerProfile, title: str) -> str | None:
    """The capacity whose title line is `title` (`Phó Chủ tịch` → deputy), from the profile."""
    wanted = title.strip().upper()
    for capacity in profile.capacities or DEFAULT_CAPACITIES:
        if capacity["lines"] and capacity["lines"][-1].strip().upper() == wanted:
            return capacity["code"]
    return None


def signer_for(user, issuer: Organisation, *, on: date) -> Signer | None:
    """Who `user` signs as for `issuer` on `on`, or None if they may not sign its decisions.

    The right to sign is the `sign_decision` grant on the issuer (a signing authority's
    role, or one an administrator grants to a delegate through organisations.services,
    audited). *How* they sign is their record: a Signatory row in force that day (a
    delegate's TL./TUQ. with its document and dates: once they have rows, only a row
    covering the day lets them sign), else their Membership's title in the profile's
    capacity of that title. Nobody signs under a name someone typed.
    """
    if not holds(user, issuer, Perm.SIGN_DECISION):
        return None
    rows = list(
        Signatory.objects.filter(organisation=issuer, user=user, active=True).order_by(
            "-valid_from"
        )
    )
    if rows:
        row = next((r for r in rows if r.covers(on)), None)
        return row and Signer(row.full_name, row.title, row.capacity, row.pk)
    membership = Membership.objects.filter(
        user=user, organisation=issuer, role=Role.SIGNING_AUTHORITY
    ).first()
    title = membership.title if membership else ""
    capacity = _capacity_for_title(profile_for(issuer), title)
    if capacity is None:
        return None
    return Signer(person_name(user), title, capacity)


def person_name(user) -> str:
    """`Phạm Thị Yến`: a Vietnamese name is family and middle names, then the given name
    (Django's get_full_name puts the given name first)."""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def signers_of(issuer: Organisation) -> models.QuerySet:
    """The users who may sign `issuer`'s decisions (told of a submission)."""
    return users_who_can(Perm.SIGN_DECISION, issuer)
