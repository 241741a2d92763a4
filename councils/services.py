"""Council verbs: build the agenda, take attendance, open voting, cast ballots, close.

Views, commands and tasks call these; nothing else writes meetings or ballots. A refusal
raises workflow.exceptions.DomainError before anything is written. Closing hands each
dossier to workflow.services.record_council_result, the only writer of dossier state.
"""

import secrets
from collections import Counter
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from audit.services import record_event
from dossiers.models import Dossier, Nominee
from notifications import outbox
from organisations.models import Membership
from organisations.permissions import holds
from organisations.roles import Perm
from workflow import services as transitions
from workflow.states import COUNCIL_STATES

from .exceptions import refused
from .models import (
    AgendaItem,
    Attendance,
    BallotReceipt,
    Choice,
    Council,
    CouncilMember,
    Meeting,
    MeetingStatus,
    NomineeResult,
    OpenVote,
    Recusal,
    RecusalReason,
    SecretChoice,
)
from .voting import Count, Verdict, VoteRule, tally


def may_manage(user, council: Council) -> bool:
    """The secretariat prepares meetings (agenda, attendance)."""
    return holds(user, council.organisation_id, Perm.MANAGE_MEETINGS)


def may_chair(user, council: Council) -> bool:
    """The chair runs the vote; the secretariat may too (it records the result on paper)."""
    return holds(user, council.organisation_id, Perm.CHAIR_COUNCIL, Perm.MANAGE_MEETINGS)


def members_on(council: Council, day) -> list[CouncilMember]:
    """Members whose term covers `day`."""
    return list(
        council.members.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("user", "council")
    )


def _lock(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_for_update()
        .select_related("council__organisation")
        .get(pk=meeting_id)
    )


def _share_lock(meeting_id: int) -> Meeting:
    """Read the meeting under a shared lock on PostgreSQL.

    Casters hold FOR SHARE, so fifty ballots go in side by side, while close_meeting's
    FOR UPDATE waits for those in flight; a ballot that arrives after the close then reads
    status "closed" and is refused. Without the lock a caster could read "open", the close
    commit, and the ballot land after the count. SQLite serialises writers anyway.
    """
    if connection.vendor == "postgresql":
        table = Meeting._meta.db_table
        rows = list(
            Meeting.objects.raw(
                f"SELECT * FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608 (table name)
                [meeting_id],
            )
        )
        if not rows:
            raise Meeting.DoesNotExist
        return rows[0]
    return Meeting.objects.get(pk=meeting_id)


def _require_draft(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.DRAFT:
        raise refused("not_draft", field="status")


@transaction.atomic
def create_meeting(
    council_id: int,
    *,
    by,
    title: str,
    scheduled_for: datetime,
    place: str = "",
    online: bool = False,
    voting_closes_at: datetime | None = None,
) -> Meeting:
    """Schedule a session of the council. Side effects: the meeting row, an audit row."""
    council = Council.objects.select_related("organisation").get(pk=council_id)
    if not may_manage(by, council):
        raise refused("no_permission")
    if not title.strip():
        raise refused("title_required", field="title")
    meeting = Meeting.objects.create(
        council=council,
        title=title.strip(),
        place=place,
        scheduled_for=scheduled_for,
        online=online,
        voting_closes_at=voting_closes_at,
        year=timezone.localdate(scheduled_for).year,
        created_by=by,
    )
    record_event(meeting, action="meeting_created", actor=by, data={"council": council.name})
    return meeting


@transaction.atomic
def add_to_agenda(meeting_id: int, *, by, dossier_id: int) -> AgendaItem:
    """Put a dossier that reached this council on the agenda, pinning its stage's vote rules.

    Refused if the meeting is no longer in preparation, the dossier is not before this
    council, or it already sits on another meeting that has not closed.
    """
    meeting = _lock(meeting_id)
    if not may_manage(by, meeting.council):
        raise refused("no_permission")
    _require_draft(meeting)
    dossier = Dossier.objects.select_related("current_stage").get(pk=dossier_id)
    stage = dossier.current_stage
    if (
        dossier.status not in COUNCIL_STATES
        or stage is None
        or stage.organisation_id != meeting.council.organisation_id
    ):
        raise refused(
            "dossier_not_at_council",
            field="dossier",
            reference=dossier.reference,
            organisation=meeting.council.organisation.name,
        )
    other = (
        AgendaItem.objects.filter(stage=stage)
        .exclude(meeting__status=MeetingStatus.CLOSED)
        .select_related("meeting")
        .first()
    )
    if other:
        raise refused(
            "already_on_agenda",
            field="dossier",
            reference=dossier.reference,
            meeting=other.meeting.title,
        )
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, dossier=dossier, stage=stage, rules=dict(stage.rules), position=position
    )
    record_event(meeting, action="agenda_added", actor=by, data={"dossier": dossier.reference})
    return item


@transaction.atomic
def remove_from_agenda(meeting_id: int, *, by, item_id: int) -> None:
    """Take a dossier off an agenda still in preparation."""
    meeting = _lock(meeting_id)
    if not may_manage(by, meeting.council):
        raise refused("no_permission")
    _require_draft(meeting)
    item = meeting.items.select_related("dossier").get(pk=item_id)
    reference = item.dossier.reference
    item.delete()
    record_event(meeting, action="agenda_removed", actor=by, data={"dossier": reference})


def _seat_members(meeting: Meeting) -> list[Attendance]:
    """Attendance rows for every member in term on the meeting day (present by default)."""
    day = timezone.localdate(meeting.scheduled_for)
    for member in members_on(meeting.council, day):
        Attendance.objects.get_or_create(
            meeting=meeting, member=member, defaults={"votes": member.votes()}
        )
    return list(meeting.attendance.select_related("member__user", "member__council"))


@transaction.atomic
def record_attendance(meeting_id: int, *, by, absent: dict[int, str]) -> list[Attendance]:
    """Take the roll before voting opens: `absent` maps member id to the reason given.

    Every member in term not named is present. Side effects: attendance rows, an audit row.
    """
    meeting = _lock(meeting_id)
    if not may_manage(by, meeting.council):
        raise refused("no_permission")
    _require_draft(meeting)
    rows = _seat_members(meeting)
    unknown = set(absent) - {row.member_id for row in rows}
    if unknown:
        raise refused("unknown_member", field="absent")
    for row in rows:
        row.present = row.member_id not in absent
        row.absence_reason = absent.get(row.member_id, "")
        row.save(update_fields=["present", "absence_reason"])
    record_event(
        meeting,
        action="attendance_recorded",
        actor=by,
        data={"present": sum(r.present for r in rows), "members": len(rows)},
    )
    return rows


def _recusals(meeting: Meeting, rows: list[Attendance]) -> list[Recusal]:
    found = []
    for item in meeting.items.select_related("dossier"):
        dossier = item.dossier
        by_unit = meeting.council.recuse_proposing_unit or item.stage_rules.recuse_proposing_unit
        unit_users = (
            set(
                Membership.objects.filter(organisation=dossier.proposer_id).values_list(
                    "user_id", flat=True
                )
            )
            if by_unit
            else set()
        )
        for nominee in dossier.active_nominees():
            for row in rows:
                member = row.member
                if not row.votes:
                    continue
                if (nominee.user_id and nominee.user_id == member.user_id) or (
                    member.identity_code and member.identity_code == nominee.identity_code
                ):
                    reason = RecusalReason.NOMINEE
                elif by_unit and (
                    member.home_organisation_id == dossier.proposer_id
                    or member.user_id in unit_users
                ):
                    reason = RecusalReason.PROPOSING_UNIT
                else:
                    continue
                found.append(
                    Recusal.objects.create(
                        meeting=meeting, member=member, nominee=nominee, reason=reason
                    )
                )
    return found


@transaction.atomic
def open_meeting(meeting_id: int, *, by) -> Meeting:
    """Open voting. Members are frozen for this meeting and conflicts of interest found.

    Side effects, in order: attendance rows for members not yet seated, recusal rows (a
    member who is a nominee, or works at the proposing unit when configured), the status,
    an audit row, a notice to each voting member.
    """
    meeting = _lock(meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    _require_draft(meeting)
    if not meeting.items.exists():
        raise refused("empty_agenda")
    rows = _seat_members(meeting)
    voters = [row for row in rows if row.votes]
    if not voters:
        raise refused("no_members")
    recusals = _recusals(meeting, rows)
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = timezone.now()
    meeting.opened_by = by
    meeting.save(update_fields=["status", "opened_at", "opened_by"])
    record_event(
        meeting,
        action="meeting_opened",
        actor=by,
        from_state=MeetingStatus.DRAFT,
        to_state=MeetingStatus.OPEN,
        data={"recusals": len(recusals)},
    )
    outbox.enqueue(
        recipients=[row.member.user for row in voters],
        template="council_ballot_open",
        dedupe_key=f"meeting:{meeting.pk}:open",
        context={
            "meeting_id": meeting.pk,
            "title": meeting.title,
            "council": meeting.council.name,
            "url": reverse("councils:ballot", args=[meeting.pk]),
        },
    )
    return meeting


@transaction.atomic
def cast_ballot(meeting_id: int, *, by, nominee_id: int, choice: str) -> bool:
    """Record one member's vote on one nominee. Returns False if they had already voted.

    Idempotent and safe under concurrency: the receipt's unique constraint (member,
    meeting, nominee) admits one row, inserted in the same transaction as the choice, so a
    repeated or racing request adds nothing and changes nothing. In a secret vote the
    choice goes to a table with no member, no time and a random key.
    Refused: meeting not open, not a voting member, nominee not on the agenda, recused, or
    absent when written votes do not count, or past the online voting window.
    """
    if choice not in Choice.values:
        raise refused("bad_choice", field="choice")
    meeting = _share_lock(meeting_id)
    if meeting.status != MeetingStatus.OPEN or (
        meeting.voting_closes_at and timezone.now() > meeting.voting_closes_at
    ):
        raise refused("not_open", field="status")
    seat = (
        Attendance.objects.filter(meeting_id=meeting.pk, member__user=by, votes=True)
        .select_related("member")
        .first()
    )
    if seat is None:
        raise refused("not_a_member")
    nominee = Nominee.objects.filter(pk=nominee_id, dropped_at__isnull=True).first()
    item = (
        AgendaItem.objects.filter(meeting_id=meeting.pk, dossier_id=nominee.dossier_id).first()
        if nominee
        else None
    )
    if item is None:
        raise refused("not_on_agenda", field="nominee")
    recusal = Recusal.objects.filter(
        meeting_id=meeting.pk, member=seat.member, nominee=nominee
    ).first()
    if recusal:
        raise refused(
            "recused",
            field="nominee",
            nominee=nominee.full_name,
            reason=recusal.get_reason_display(),
        )
    rule = VoteRule.from_rules(item.stage_rules)
    if not seat.present and not rule.count_written_votes:
        raise refused("absent")
    try:
        with transaction.atomic():  # a savepoint: the duplicate's error stays contained
            BallotReceipt.objects.create(
                meeting_id=meeting.pk, member=seat.member, nominee=nominee, written=not seat.present
            )
    except IntegrityError:
        return False
    if rule.secret:
        SecretChoice.objects.create(meeting_id=meeting.pk, nominee=nominee, choice=choice)
    else:
        OpenVote.objects.create(
            meeting_id=meeting.pk, member=seat.member, nominee=nominee, choice=choice
        )
    return True


def _count(item: AgendaItem, nominee: Nominee, seats: list[Attendance]) -> tuple[Count, int]:
    voters = [s for s in seats if s.votes]
    recused_ids = set(
        Recusal.objects.filter(meeting_id=item.meeting_id, nominee=nominee).values_list(
            "member_id", flat=True
        )
    )
    model = SecretChoice if item.secret else OpenVote
    chosen = Counter(
        model.objects.filter(meeting_id=item.meeting_id, nominee=nominee).values_list(
            "choice", flat=True
        )
    )
    written = BallotReceipt.objects.filter(
        meeting_id=item.meeting_id, nominee=nominee, written=True
    ).count()
    count = Count(
        members=len(voters),
        present=sum(s.present for s in voters),
        agree=chosen[Choice.AGREE],
        disagree=chosen[Choice.DISAGREE],
        recused=len(recused_ids),
        recused_present=sum(s.present for s in voters if s.member_id in recused_ids),
    )
    return count, written


def _allocate_number(meeting: Meeting) -> int:
    # The council row lock serialises closes of the same council: two never share a number.
    Council.objects.select_for_update().get(pk=meeting.council_id)
    last = Meeting.objects.filter(council_id=meeting.council_id, year=meeting.year).aggregate(
        m=Max("number")
    )["m"]
    return (last or 0) + 1


def _reshuffle_secret_choices(meeting: Meeting) -> None:
    """Rewrite the meeting's secret choices in random order under new keys, in this
    transaction: afterwards no row keeps the transaction id (PostgreSQL `xmin`) or the
    physical place of the ballot that wrote it, so even raw database access cannot pair a
    choice with its member's receipt. The counts are unchanged.
    """
    rows = list(SecretChoice.objects.filter(meeting=meeting).values("nominee_id", "choice"))
    if not rows:
        return
    secrets.SystemRandom().shuffle(rows)
    SecretChoice.objects.filter(meeting=meeting).delete()
    SecretChoice.objects.bulk_create(SecretChoice(meeting=meeting, **row) for row in rows)


@transaction.atomic
def close_meeting(meeting_id: int, *, by, note: str = "") -> Meeting:
    """Close voting, count, and move each dossier on.

    Side effects, in order: the status and the minutes number; per agenda item the
    members and present counts; if quorate, one NomineeResult per nominee and
    workflow.services.record_council_result (outcomes, dropped nominees, the dossier's
    transition, its notices); if not quorate, no result at all and the dossier stays before
    the council for another meeting. Then an audit row.
    """
    meeting = _lock(meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    if meeting.status != MeetingStatus.OPEN:
        raise refused("not_open", field="status")
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = by
    meeting.note = note
    meeting.number = _allocate_number(meeting)
    meeting.save(update_fields=["status", "closed_at", "closed_by", "note", "number"])
    _reshuffle_secret_choices(meeting)
    seats = list(meeting.attendance.all())
    summary = {}
    for item in meeting.items.select_related("dossier"):
        rule = VoteRule.from_rules(item.stage_rules)
        outcomes: dict[int, str] = {}
        voters = [s for s in seats if s.votes]
        item.members = len(voters)
        item.present = sum(s.present for s in voters)
        item.quorate = item.members > 0 and rule.quorum.met_by(item.present, item.members)
        item.save(update_fields=["members", "present", "quorate"])
        if not item.quorate:
            summary[item.dossier.reference] = Verdict.INQUORATE.value
            continue
        for nominee in item.dossier.active_nominees():
            count, written = _count(item, nominee, seats)
            result = tally(rule, count)
            NomineeResult.objects.create(
                item=item,
                nominee=nominee,
                agree=count.agree,
                disagree=count.disagree,
                written=written,
                recused=count.recused,
                base=result.base,
                needed=result.needed,
                outcome=result.verdict.value,
            )
            outcomes[nominee.pk] = result.verdict.value
        transitions.record_council_result(item.dossier_id, by=by, outcomes=outcomes, note=note)
        summary[item.dossier.reference] = dict(Counter(outcomes.values()))
    record_event(
        meeting,
        action="meeting_closed",
        actor=by,
        from_state=MeetingStatus.OPEN,
        to_state=MeetingStatus.CLOSED,
        reason=note,
        data={"number": meeting.minutes_number, "items": summary},
    )
    return meeting
