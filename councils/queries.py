"""Read-only questions about councils and meetings (pages use these; services write)."""

from django.db.models import Count, Q, QuerySet

from dossiers.models import Dossier
from organisations.permissions import organisations_where
from organisations.roles import Perm
from workflow.states import COUNCIL_STATES

from .models import AgendaItem, Attendance, BallotReceipt, Council, Meeting, MeetingStatus


def councils_managed_by(user) -> QuerySet[Council]:
    """Councils whose meetings `user` prepares (the secretariat of the organisation)."""
    return Council.objects.filter(
        organisation__in=organisations_where(user, Perm.MANAGE_MEETINGS)
    ).select_related("organisation")


def councils_chaired_by(user) -> QuerySet[Council]:
    """Councils whose sessions `user` may run: the chair, or the secretariat."""
    orgs = organisations_where(user, Perm.CHAIR_COUNCIL, Perm.MANAGE_MEETINGS)
    return Council.objects.filter(organisation__in=orgs).select_related("organisation")


def meetings_run_by(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(council__in=councils_chaired_by(user)).select_related(
        "council__organisation"
    )


def meeting_run_by(user, pk: int) -> Meeting:
    """The meeting, if `user` chairs or prepares it; DoesNotExist otherwise (a 404)."""
    return meetings_run_by(user).get(pk=pk)


def meeting_managed_by(user, pk: int) -> Meeting:
    return Meeting.objects.select_related("council__organisation").get(
        pk=pk, council__in=councils_managed_by(user)
    )


def seat_of(user, meeting: Meeting) -> Attendance | None:
    """The user's voting seat at `meeting`, if any."""
    return (
        Attendance.objects.filter(meeting=meeting, member__user=user, votes=True)
        .select_related("member")
        .first()
    )


def ballots_to_cast(user) -> QuerySet[Meeting]:
    """Open meetings where `user` holds a voting seat, with how many ballots they cast."""
    return (
        Meeting.objects.filter(
            status=MeetingStatus.OPEN, attendance__member__user=user, attendance__votes=True
        )
        .select_related("council__organisation")
        .annotate(cast=Count("receipts", filter=Q(receipts__member__user=user), distinct=True))
        .order_by("scheduled_for", "pk")
    )


def dossiers_awaiting(council: Council) -> QuerySet[Dossier]:
    """Dossiers before this council and on no meeting that is still to close."""
    pending = AgendaItem.objects.exclude(meeting__status=MeetingStatus.CLOSED).values("stage_id")
    return (
        Dossier.objects.filter(
            status__in=COUNCIL_STATES, current_stage__organisation=council.organisation_id
        )
        .exclude(current_stage__in=pending)
        .select_related("proposer", "award_type")
        .order_by("pk")
    )


def receipts_of(user, meeting: Meeting) -> set[int]:
    """Nominee ids the user has voted on at `meeting` (never what they chose)."""
    return set(
        BallotReceipt.objects.filter(meeting=meeting, member__user=user).values_list(
            "nominee_id", flat=True
        )
    )


def turnout(meeting: Meeting) -> dict[int, int]:
    """Ballots received per nominee id (counts only)."""
    return dict(
        BallotReceipt.objects.filter(meeting=meeting)
        .values_list("nominee_id")
        .annotate(n=Count("id"))
        .values_list("nominee_id", "n")
    )
