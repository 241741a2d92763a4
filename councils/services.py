"""Council verbs: build the agenda, take attendance, open voting, cast ballots, close.

Views, commands and tasks call these; nothing else writes meetings or ballots. A refusal
raises workflow.exceptions.DomainError before anything is written. Closing hands each
dossier to workflow.services.record_council_result, the only writer of dossier state.
"""

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core.errors import DomainError
from dossiers.models import Dossier, Nominee
from dossiers.uploads import check_upload, write_private
from notifications import outbox
from organisations.models import Membership
from organisations.permissions import holds
from organisations.roles import Perm
from organisations.services import check_may_administer
from workflow import services as transitions
from workflow.states import COUNCIL_STATES

from . import sealing
from .conflicts import LINK_LABEL, link
from .exceptions import refused
from .models import (
    AgendaItem,
    Attendance,
    BallotReceipt,
    Choice,
    Council,
    CouncilMember,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    NomineeResult,
    OpenVote,
    Recusal,
    RecusalReason,
    SealedBallot,
    SecretChoice,
    WrittenOpinion,
)
from .voting import Count, Ratio, Verdict, VoteRule, tally


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


def _meeting_keys(meeting: Meeting) -> sealing.MeetingKeys:
    # bytes(): PostgreSQL hands binary columns back as memoryview.
    return sealing.MeetingKeys(
        bytes(meeting.ballot_public_key or b""), bytes(meeting.ballot_private_key or b"")
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
    if meeting.kind != MeetingKind.AWARD:
        award_quorum = meeting.council.quorum_for(MeetingKind.AWARD)
        raise refused(
            "ordinary_meeting",
            field="dossier",
            reference=dossier.reference,
            quorum=str(Ratio(*award_quorum)),
            basis=meeting.council.quorum_basis,
        )
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
    # An absentee's written opinion stands only while he is absent: a present member votes.
    with_opinion = set(meeting.written.values_list("member_id", flat=True)) - set(absent)
    if with_opinion:
        member = next(row.member for row in rows if row.member_id in with_opinion)
        raise refused("present_with_written", field="absent", member=member.name)
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
    """Recuse each voting member from the nominees he is (same account or identity code)
    and, when configured, from those of the unit he works at. Recusals the secretariat
    confirmed before opening are kept as they are."""
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
                same = link(member, nominee)
                if same is not None and same.certain:
                    reason, detail = RecusalReason.NOMINEE, LINK_LABEL[same.kind]
                elif by_unit and (
                    member.home_organisation_id == dossier.proposer_id
                    or member.user_id in unit_users
                ):
                    reason, detail = RecusalReason.PROPOSING_UNIT, ""
                else:
                    continue
                recusal, _ = Recusal.objects.get_or_create(
                    meeting=meeting,
                    member=member,
                    nominee=nominee,
                    defaults={"reason": reason, "detail": detail},
                )
                found.append(recusal)
    return found


@transaction.atomic
def open_meeting(meeting_id: int, *, by) -> Meeting:
    """Open voting. Members are frozen for this meeting and conflicts of interest found.

    Side effects, in order: attendance rows for members not yet seated, recusal rows (a
    member who is a nominee, or works at the proposing unit when configured), the secret
    ballots' key pair (councils/sealing.py) and the status, an audit row, a notice to each
    voting member. Refused without the key-encryption key when an item is a secret vote.
    """
    meeting = _lock(meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    _require_draft(meeting)
    if not meeting.items.exists():
        raise refused("empty_agenda")
    if any(item.secret for item in meeting.items.all()):
        keys = sealing.new_meeting_keys(meeting.pk)  # refused here, before any write
        meeting.ballot_public_key = keys.public_key
        meeting.ballot_private_key = keys.wrapped_private_key
    rows = _seat_members(meeting)
    voters = [row for row in rows if row.votes]
    if not voters:
        raise refused("no_members")
    recusals = _recusals(meeting, rows)
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = timezone.now()
    meeting.opened_by = by
    # The council's quorum for this kind of meeting, pinned: later edits do not move it.
    meeting.quorum = list(meeting.council.quorum_for(meeting.kind))
    meeting.quorum_basis = meeting.council.quorum_basis
    meeting.save(
        update_fields=[
            "status",
            "opened_at",
            "opened_by",
            "quorum",
            "quorum_basis",
            "ballot_public_key",
            "ballot_private_key",
        ]
    )
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
    choice is sealed to the meeting's public key (councils/sealing.py) and stored with no
    member, no time and a random key: the plain choice never reaches the database before
    the close. Refused: meeting not open, not a voting member, nominee not on the agenda,
    recused, absent, past the online voting window, or (secret vote) the key-encryption key
    missing or not opening this meeting's key, since such a ballot could never be counted.
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
            member=seat.member.name,
            nominee=nominee.full_name,
            reason=recusal.get_reason_display(),
        )
    rule = VoteRule.from_rules(item.stage_rules)
    if not seat.present:
        # An absentee's vote is his written opinion, recorded with its document by the
        # secretariat (record_written_opinion), never a ballot on the page.
        raise refused("absent", member=seat.member.name, nominee=nominee.full_name)
    sealed = b""
    if rule.secret:  # sealed before anything is written: a refusal leaves no receipt
        keys = _meeting_keys(meeting)
        sealing.check_openable(keys, meeting.pk)
        sealed = sealing.seal_choice(
            keys.public_key, meeting_id=meeting.pk, nominee_id=nominee.pk, choice=choice
        )
    try:
        with transaction.atomic():  # a savepoint: the duplicate's error stays contained
            BallotReceipt.objects.create(meeting_id=meeting.pk, member=seat.member, nominee=nominee)
    except IntegrityError:
        return False
    if rule.secret:
        SealedBallot.objects.create(meeting_id=meeting.pk, nominee=nominee, sealed=sealed)
    else:
        OpenVote.objects.create(
            meeting_id=meeting.pk, member=seat.member, nominee=nominee, choice=choice
        )
    return True


def _store_file(upload: tuple[str, int, object]) -> tuple[str, str, str]:
    """Check and store an uploaded written opinion outside the web root, like dossier files.

    Returns (original name, stored name, sha256)."""
    name, size, chunks = upload
    checked = check_upload(name, size, chunks)
    stored_name = secrets.token_hex(16)
    path = Path(settings.PRIVATE_STORAGE_ROOT) / "councils" / stored_name[:2] / stored_name
    write_private(path, checked.data)
    return Path(name).name[:255], stored_name, hashlib.sha256(checked.data).hexdigest()


def written_opinion_path(opinion: WrittenOpinion) -> Path:
    name = opinion.stored_name
    return Path(settings.PRIVATE_STORAGE_ROOT) / "councils" / name[:2] / name


@transaction.atomic
def record_written_opinion(
    meeting_id: int,
    *,
    by,
    member_id: int,
    nominee_id: int,
    choice: str,
    document_number: str = "",
    document_date: date | None = None,
    upload: tuple[str, int, object] | None = None,
) -> WrittenOpinion:
    """Record an absent member's written opinion on one nominee, with its document.

    Decree 98/2023 art. 30 §7: absentees give their opinion in writing. The secretariat
    records it before or during the meeting; it counts toward agree/disagree at closing
    when the stage's rule counts written votes (never toward the quorum) and is listed in
    the minutes either way. Side effects, in order: the stored file, the member's written
    BallotReceipt (one ballot per member and nominee), the opinion, an audit row.
    Refused: not the secretariat, meeting closed, bad choice, not a voting member, present,
    nominee not on the agenda, recused (or linked to the nominee by account or identity
    code), no document, or already voted on that nominee.
    """
    meeting = _lock(meeting_id)
    if not may_manage(by, meeting.council):
        raise refused("no_permission")
    if meeting.status == MeetingStatus.CLOSED:
        raise refused("closed", field="status")
    if choice not in Choice.values:
        raise refused("bad_choice", field="choice")
    rows = (
        _seat_members(meeting)
        if meeting.status == MeetingStatus.DRAFT
        else list(meeting.attendance.select_related("member__user", "member__council"))
    )
    seat = next((r for r in rows if r.member_id == member_id and r.votes), None)
    if seat is None:
        raise refused("unknown_member", field="member")
    member = seat.member
    nominee = Nominee.objects.filter(pk=nominee_id, dropped_at__isnull=True).first()
    if nominee is None or not meeting.items.filter(dossier_id=nominee.dossier_id).exists():
        raise refused("not_on_agenda", field="nominee")
    names = {"member": member.name, "nominee": nominee.full_name}
    if seat.present:
        raise refused("written_present", field="member", **names)
    recusal = Recusal.objects.filter(meeting=meeting, member=member, nominee=nominee).first()
    same = link(member, nominee)
    if recusal or (same is not None and same.certain):
        reason = recusal.get_reason_display() if recusal else RecusalReason.NOMINEE.label
        raise refused("recused", field="member", reason=reason, **names)
    document_number = document_number.strip()
    if not upload and not (document_number and document_date):
        raise refused("written_document_required", field="document_number", **names)
    if BallotReceipt.objects.filter(meeting=meeting, member=member, nominee=nominee).exists():
        raise refused("written_duplicate", field="nominee", **names)
    original_name = stored_name = sha256 = ""
    if upload:
        original_name, stored_name, sha256 = _store_file(upload)
    BallotReceipt.objects.create(meeting=meeting, member=member, nominee=nominee, written=True)
    opinion = WrittenOpinion.objects.create(
        meeting=meeting,
        member=member,
        nominee=nominee,
        choice=choice,
        document_number=document_number,
        document_date=document_date,
        original_name=original_name,
        stored_name=stored_name,
        sha256=sha256,
        recorded_by=by,
    )
    record_event(
        meeting,
        action="written_opinion_recorded",
        actor=by,
        data={**names, "document": opinion.document_label, "sha256": sha256},
    )
    return opinion


@transaction.atomic
def confirm_recusal(meeting_id: int, *, by, member_id: int, nominee_id: int) -> Recusal:
    """The secretariat confirms that a member is a nominee (after a name and birth-year
    warning): he does not vote on that nominee, and the base shrinks by one for it.

    Before or during voting; refused once the member has a ballot or written opinion on
    that nominee (a secret ballot cannot be taken back). Side effects: the recusal, an
    audit row.
    """
    meeting = _lock(meeting_id)
    if not may_manage(by, meeting.council):
        raise refused("no_permission")
    if meeting.status == MeetingStatus.CLOSED:
        raise refused("closed", field="status")
    member = (
        CouncilMember.objects.filter(pk=member_id, council=meeting.council)
        .select_related("user")
        .first()
    )
    if member is None:
        raise refused("unknown_member", field="member")
    nominee = Nominee.objects.filter(pk=nominee_id, dropped_at__isnull=True).first()
    if nominee is None or not meeting.items.filter(dossier_id=nominee.dossier_id).exists():
        raise refused("not_on_agenda", field="nominee")
    names = {"member": member.name, "nominee": nominee.full_name}
    if Recusal.objects.filter(meeting=meeting, member=member, nominee=nominee).exists():
        raise refused("already_recused", field="member", **names)
    if BallotReceipt.objects.filter(meeting=meeting, member=member, nominee=nominee).exists():
        raise refused("recusal_after_ballot", field="member", **names)
    recusal = Recusal.objects.create(
        meeting=meeting,
        member=member,
        nominee=nominee,
        reason=RecusalReason.CONFIRMED,
        detail="họ tên, năm sinh",
        confirmed_by=by,
    )
    record_event(meeting, action="recusal_confirmed", actor=by, data=names)
    return recusal


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
    # Written opinions of absentees (Decree 98/2023 art. 30 §7): they add to agree and
    # disagree only when the rule counts them; `present`, hence the quorum, never moves.
    opinions = Counter(
        WrittenOpinion.objects.filter(meeting_id=item.meeting_id, nominee=nominee)
        .exclude(member_id__in=recused_ids)
        .values_list("choice", flat=True)
    )
    counted = item.stage_rules.count_written_votes
    written = opinions.total() if counted else 0
    if counted:
        chosen.update(opinions)
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


def _unseal_secret_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """Open the meeting's sealed ballots: (nominee id, choice) each. Reads only, so a refusal
    (no key-encryption key, a tampered ballot) comes before the close writes anything.

    Plain secret choices already stored (ballots cast before sealing existed) are taken too,
    so they are rewritten with the rest.
    """
    sealed = list(SealedBallot.objects.filter(meeting=meeting).values_list("nominee_id", "sealed"))
    rows = list(SecretChoice.objects.filter(meeting=meeting).values_list("nominee_id", "choice"))
    if sealed:
        rows += sealing.open_choices(_meeting_keys(meeting), meeting_id=meeting.pk, sealed=sealed)
    return rows


def _write_secret_choices(meeting: Meeting, rows: list[tuple[int, str]]) -> None:
    """Store the opened choices, delete the sealed ballots and destroy the private key, all in
    the closing transaction.

    The choices are new rows in random order under random keys, all with the closing
    transaction's id (PostgreSQL `xmin`): no plain choice shares a transaction id or a
    physical neighbour with a receipt. The sealed ballots did share their receipts' `xmin`;
    old versions of them may stay in the heap until vacuum, but with the private key gone
    (and only ever stored wrapped under a key outside the database) nothing opens them.
    """
    secrets.SystemRandom().shuffle(rows)
    SealedBallot.objects.filter(meeting=meeting).delete()
    SecretChoice.objects.filter(meeting=meeting).delete()
    SecretChoice.objects.bulk_create(
        SecretChoice(meeting=meeting, nominee_id=nominee_id, choice=choice)
        for nominee_id, choice in rows
    )


@transaction.atomic
def close_meeting(meeting_id: int, *, by, note: str = "") -> Meeting:
    """Close voting, count, and move each dossier on.

    Side effects, in order: the status and the minutes number; per agenda item the
    members and present counts; if quorate, one NomineeResult per nominee and
    workflow.services.record_council_result (outcomes, dropped nominees, the dossier's
    transition, its notices); if not quorate, no result at all and the dossier stays before
    the council for another meeting. Then an audit row. Secret ballots are opened first
    (refused, nothing written, without the key-encryption key or on a tampered ballot); the
    private key is destroyed with the status change, the plain choices written in random
    order and the sealed ballots deleted (_write_secret_choices) before anything is counted.
    """
    meeting = _lock(meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    if meeting.status != MeetingStatus.OPEN:
        raise refused("not_open", field="status")
    opened = _unseal_secret_choices(meeting)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = by
    meeting.note = note
    meeting.number = _allocate_number(meeting)
    meeting.ballot_private_key = b""  # destroyed: no old copy of a sealed ballot opens again
    meeting.save(
        update_fields=["status", "closed_at", "closed_by", "note", "number", "ballot_private_key"]
    )
    _write_secret_choices(meeting, opened)
    seats = list(meeting.attendance.all())
    summary = {}
    for item in meeting.items.select_related("dossier"):
        rule = VoteRule.from_rules(item.stage_rules).sitting_with(
            meeting.pinned_quorum, meeting.quorum_basis
        )
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


# -- Council terms (issue 15, "trust"): who sits on a council is who votes in its meetings, so
# a term is granted like a role: only by an administrator of the council's organisation or
# above it (its subtree), never to himself, always audited. The admin calls these two.

COUNCIL_TERM_REFUSALS = {
    "bad_role": (gettext_lazy("Chức danh trong Hội đồng: không hợp lệ."), "role"),
    "term_dates": (
        gettext_lazy("Đến ngày: phải từ ngày bắt đầu nhiệm kỳ (%(start)s) trở đi."),
        "ends_on",
    ),
    "term_overlaps": (
        gettext_lazy(
            "Người dùng: %(name)s đã có nhiệm kỳ trong Hội đồng này trùng thời gian "
            "(từ ngày %(start)s); kết thúc nhiệm kỳ đó trước."
        ),
        "user",
    ),
}


def _term_refused(code: str, **params) -> DomainError:
    message, field = COUNCIL_TERM_REFUSALS[code]
    return DomainError(code, message % params if params else message, field=field)


def check_council_term(
    council: Council,
    *,
    by,
    user,
    starts_on: date,
    ends_on: date | None = None,
    role: str | None = None,
    home_organisation=None,
    member_id: int | None = None,
) -> None:
    """Raise DomainError unless `by` may give `user` this term on `council`.

    Refusals, in order: `user` is `by` (self_grant), the council's organisation or the home
    organisation outside `by`'s subtree (outside_scope), an unknown role, an end before the
    start, a term of the same person overlapping this one. Reads only: the admin form shows
    the refusal on its field; the services call it again under the lock.
    """
    check_may_administer(by, organisation=council.organisation, user=user)
    if home_organisation is not None:
        try:
            check_may_administer(by, organisation=home_organisation)
        except DomainError as refusal:
            refusal.field = "home_organisation"
            raise
    if role is not None and role not in MemberRole.values:
        raise _term_refused("bad_role")
    if ends_on is not None and ends_on < starts_on:
        raise _term_refused("term_dates", start=starts_on.strftime("%d/%m/%Y"))
    overlapping = council.members.filter(user=user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    other = overlapping.exclude(pk=member_id).order_by("starts_on").first()
    if other is not None:
        raise _term_refused(
            "term_overlaps", name=other.name, start=other.starts_on.strftime("%d/%m/%Y")
        )


def _term_data(member: CouncilMember, by) -> dict:
    return {
        "member": member.pk,
        "user": member.user.get_username(),
        "role": member.role,
        "organisation": member.council.organisation.code,
        "starts_on": member.starts_on.isoformat(),
        "ends_on": member.ends_on.isoformat() if member.ends_on else None,
        "by": by.get_username() if by is not None else "system",
    }


@transaction.atomic
def add_council_member(
    council_id: int,
    *,
    by,
    user,
    role: str,
    starts_on: date,
    ends_on: date | None = None,
    position: str = "",
    home_organisation=None,
    identity_code: str = "",
    reason: str = "",
) -> CouncilMember:
    """Give `user` a term on the council: from `starts_on` he is counted and votes.

    Side effects, in order: the CouncilMember row, an audit row `council_member_added` on the
    council (by, user, role, dates, reason). A meeting already open keeps its frozen
    attendance. Refused (DomainError, nothing written): see check_council_term.
    """
    council = Council.objects.select_for_update().select_related("organisation").get(pk=council_id)
    check_council_term(
        council,
        by=by,
        user=user,
        starts_on=starts_on,
        ends_on=ends_on,
        role=role,
        home_organisation=home_organisation,
    )
    member = CouncilMember.objects.create(
        council=council,
        user=user,
        role=role,
        position=position,
        home_organisation=home_organisation,
        identity_code=identity_code,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    record_event(
        council,
        action="council_member_added",
        actor=by,
        reason=reason,
        data=_term_data(member, by),
    )
    return member


@transaction.atomic
def end_council_member(member_id: int, *, by, ends_on: date, reason: str = "") -> CouncilMember:
    """End (or re-date the end of) a term; meetings from the day after no longer count him.

    Side effects, in order: `ends_on` on the term, an audit row `council_member_ended` on the
    council (the old end in from_state, the new in to_state). A term is never deleted: past
    meetings' bases are rebuilt from it. Refused like add_council_member.
    """
    member = (
        CouncilMember.objects.select_for_update(of=("self",))
        .select_related("council__organisation", "user")
        .get(pk=member_id)
    )
    check_council_term(
        member.council,
        by=by,
        user=member.user,
        starts_on=member.starts_on,
        ends_on=ends_on,
        member_id=member.pk,
    )
    previous = member.ends_on
    member.ends_on = ends_on
    member.save(update_fields=["ends_on"])
    record_event(
        member.council,
        action="council_member_ended",
        actor=by,
        from_state=previous.isoformat() if previous else "",
        to_state=ends_on.isoformat(),
        reason=reason,
        data=_term_data(member, by),
    )
    return member


# -- Ballot progress and reminders (issue 12, "ballot-ux"). Counts only: who chose what is
# never read here, and the pages built on these show numbers, not names.


@dataclass(frozen=True)
class BallotProgress:
    """How far the members are with their ballots at one meeting (counts only, never who).

    `voters` are the present voting members with at least one nominee to vote on (a member
    recused from every nominee has nothing to cast); `voted` of them cast every ballot open
    to them, `partly` some. Absent members vote by written opinion, recorded by the
    secretariat: `absent` of them, `written` opinions recorded.
    """

    voters: int
    voted: int
    partly: int
    ballots_cast: int
    ballots_expected: int
    absent: int
    written: int
    is_open: bool
    closes_at: datetime | None
    scheduled_for: datetime

    @property
    def not_voted(self) -> int:
        """Present members still to cast at least one ballot (those who cast some count)."""
        return self.voters - self.voted

    @property
    def deadline_ahead(self) -> bool:
        return self.closes_at is not None and timezone.now() < self.closes_at

    @property
    def before_start(self) -> bool:
        return timezone.now() < self.scheduled_for


def _ballots_owed(meeting: Meeting) -> tuple[dict[int, set[int]], dict[int, set[int]], list]:
    """Per present voting member: the nominees he may vote on, and those he has voted on.

    Also the absent voting seats. Reads receipts (that a member voted), never a choice.
    """
    seats = list(meeting.attendance.filter(votes=True).select_related("member__user"))
    nominees = {
        nominee.pk
        for item in meeting.items.select_related("dossier")
        for nominee in item.dossier.active_nominees()
    }
    recused = set(Recusal.objects.filter(meeting=meeting).values_list("member_id", "nominee_id"))
    cast = set(
        BallotReceipt.objects.filter(meeting=meeting, written=False).values_list(
            "member_id", "nominee_id"
        )
    )
    owed: dict[int, set[int]] = {}
    done: dict[int, set[int]] = {}
    for seat in seats:
        if not seat.present:
            continue
        mine = {n for n in nominees if (seat.member_id, n) not in recused}
        if mine:
            owed[seat.member_id] = mine
            done[seat.member_id] = {n for n in mine if (seat.member_id, n) in cast}
    return owed, done, [seat for seat in seats if not seat.present]


def _progress_of(meeting: Meeting) -> BallotProgress:
    owed, done, absent = _ballots_owed(meeting)
    return BallotProgress(
        voters=len(owed),
        voted=sum(done[m] == owed[m] for m in owed),
        partly=sum(bool(done[m]) and done[m] != owed[m] for m in owed),
        ballots_cast=sum(len(d) for d in done.values()),
        ballots_expected=sum(len(o) for o in owed.values()),
        absent=len(absent),
        written=WrittenOpinion.objects.filter(meeting=meeting).count(),
        is_open=meeting.status == MeetingStatus.OPEN,
        closes_at=meeting.voting_closes_at,
        scheduled_for=meeting.scheduled_for,
    )


def ballot_progress(meeting_id: int, *, by) -> BallotProgress:
    """The "n of m have voted" figures for the chair and the secretariat. Reads only.

    Counts only: a secret ballot's page may say how many have voted, never who chose what.
    Refused (no_permission) to anyone who does not run the meeting.
    """
    meeting = Meeting.objects.select_related("council__organisation").get(pk=meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    return _progress_of(meeting)


@dataclass(frozen=True)
class BallotReminder:
    sent: int  # members reminded now
    waiting: int  # present members who still have a ballot to cast
    next_from: datetime  # when another reminder would reach those already reminded


@transaction.atomic
def remind_non_voters(meeting_id: int, *, by) -> BallotReminder:
    """Remind the present members who still have a ballot to cast (no receipt yet).

    Idempotent per meeting and hour: the notice's key names the local hour, so a second
    click (or a second secretary) within the hour reminds nobody twice; the next hour may.
    Side effects, in order: one notice per member not yet reminded this hour (outbox), an
    audit row with the number reminded (counts only, no names) when anyone was.
    Refused: not the chair or secretariat (no_permission); voting not open, or its online
    window passed (not_open).
    """
    meeting = _lock(meeting_id)
    if not may_chair(by, meeting.council):
        raise refused("no_permission")
    now = timezone.now()
    if meeting.status != MeetingStatus.OPEN or (
        meeting.voting_closes_at and now > meeting.voting_closes_at
    ):
        raise refused("not_open", field="status")
    owed, done, _absent = _ballots_owed(meeting)
    waiting = [member_id for member_id in owed if done[member_id] != owed[member_id]]
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    users = list(CouncilMember.objects.filter(pk__in=waiting).values_list("user_id", flat=True))
    closes = (
        timezone.localtime(meeting.voting_closes_at).strftime("%H:%M %d/%m/%Y")
        if meeting.voting_closes_at
        else ""
    )
    sent = outbox.enqueue(
        recipients=users,
        template="council_ballot_reminder",
        dedupe_key=f"meeting:{meeting.pk}:remind:{hour:%Y%m%d%H}",
        context={
            "meeting_id": meeting.pk,
            "title": meeting.title,
            "council": meeting.council.name,
            "closes_at": closes,
            "url": reverse("councils:ballot", args=[meeting.pk]),
        },
    )
    if sent:
        record_event(
            meeting,
            action="ballot_reminder_sent",
            actor=by,
            data={"reminded": len(sent), "waiting": len(waiting)},
        )
    return BallotReminder(sent=len(sent), waiting=len(waiting), next_from=hour + timedelta(hours=1))
