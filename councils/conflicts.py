"""Conflicts of interest at a meeting: which members are (or may be) one of its nominees.

Reads only. Services recuse on a certain link (same account, same identity code); the
secretariat's pages show the warnings: members without an identity code, and possible
matches by name and birth year, which it confirms as a recusal or leaves.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Nominee

from .identity import Match, MatchKind, Person, match
from .models import CouncilMember, Meeting, MeetingStatus, Recusal

LINK_LABEL = {
    MatchKind.ACCOUNT: "cùng tài khoản người dùng",
    MatchKind.IDENTITY_CODE: "cùng mã định danh",
}


def member_person(member: CouncilMember) -> Person:
    home = member.home_organisation
    return Person(
        name=member.name,
        user_id=member.user_id,
        identity_code=member.identity_code,
        birth_year=member.birth_year,
        organisation=home.name if home else "",
    )


def nominee_person(nominee: Nominee) -> Person:
    return Person(
        name=nominee.full_name,
        user_id=nominee.user_id,
        identity_code=nominee.identity_code if nominee.kind == "individual" else "",
        birth_year=nominee.birth_year,
        organisation=nominee.organisation_name,
    )


def link(member: CouncilMember, nominee: Nominee) -> Match | None:
    """How the member is linked to the nominee; collectives and households are nobody."""
    if nominee.kind != "individual":
        return None
    return match(member_person(member), nominee_person(nominee))


@dataclass(frozen=True)
class ConflictWarning:
    kind: str  # "missing_identity" | "possible_match"
    member: CouncilMember
    message: str
    nominee: Nominee | None = None


def voting_members(meeting: Meeting) -> list[CouncilMember]:
    """The members who vote at `meeting`: frozen at opening, else those in term that day."""
    if meeting.status != MeetingStatus.DRAFT:
        seats = meeting.attendance.filter(votes=True).select_related(
            "member__user", "member__council", "member__home_organisation"
        )
        return [seat.member for seat in seats]
    day = timezone.localdate(meeting.scheduled_for)
    members = (
        meeting.council.members.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("user", "council", "home_organisation")
    )
    return [m for m in members if m.votes()]


def warnings(meeting: Meeting) -> list[ConflictWarning]:
    """What the secretariat should check before and during voting (domain §5, recusal)."""
    members = voting_members(meeting)
    recused = set(Recusal.objects.filter(meeting=meeting).values_list("member_id", "nominee_id"))
    nominees = [
        nominee
        for item in meeting.items.select_related("dossier")
        for nominee in item.dossier.active_nominees()
    ]
    found = [
        ConflictWarning(
            "missing_identity",
            member,
            _(
                "Thành viên %(member)s chưa có mã định danh: chỉ đối chiếu được với người được "
                "đề nghị theo tài khoản và theo họ tên, năm sinh."
            )
            % {"member": member.name},
        )
        for member in members
        if not member.identity_code.strip()
    ]
    for member in members:
        for nominee in nominees:
            if (member.pk, nominee.pk) in recused:
                continue
            found_link = link(member, nominee)
            if found_link is None or found_link.certain:
                continue  # certain links are recused when voting opens
            also = "".join(f", {fact}" for fact in found_link.also)
            found.append(
                ConflictWarning(
                    "possible_match",
                    member,
                    _(
                        "Thành viên %(member)s có thể là người được đề nghị %(nominee)s (hồ sơ "
                        "%(reference)s): trùng họ tên%(also)s. Nếu đúng, hãy xác nhận không "
                        "biểu quyết."
                    )
                    % {
                        "member": member.name,
                        "nominee": nominee.full_name,
                        "reference": nominee.dossier.reference,
                        "also": also,
                    },
                    nominee,
                )
            )
    return found
