"""Council pages. Thin: each POST calls one service; a refusal comes back as a message.

Every page is scoped to the user: a meeting of a council one does not chair, prepare, or
sit on answers 404, so its existence is not disclosed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import conflicts, queries, services
from .forms import (
    CHOSEN_COUNT,
    MAX_ID,
    PARTIAL_WARNING,
    AgendaChoiceForm,
    BallotForm,
    MeetingForm,
    WrittenOpinionForm,
)
from .minutes import build_minutes, minutes_filename, ranked_results
from .models import Meeting, MeetingStatus, NomineeResult, Recusal, WrittenOpinion
from .voting import PRIORITY_NOTE

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _or_404(lookup, *args):
    try:
        return lookup(*args)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _attempt(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Sessions of the councils the user chairs or prepares; the secretariat schedules here."""
    managed = queries.councils_managed_by(request.user)
    form = MeetingForm(request.POST or None, councils=managed)
    if request.method == "POST":
        if not managed.exists():
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.create_meeting(
                    data["council"].pk,
                    by=request.user,
                    title=data["title"],
                    scheduled_for=data["scheduled_for"],
                    place=data["place"],
                    online=data["online"],
                    voting_closes_at=data["voting_closes_at"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("Đã tạo phiên họp. Hãy lập chương trình họp."))
                return redirect("councils:agenda", pk=meeting.pk)
    meetings = queries.meetings_run_by(request.user).order_by("-scheduled_for", "-pk")
    return render(
        request,
        "councils/meeting_list.html",
        {"page": _page(request, meetings), "form": form if managed.exists() else None},
    )


@login_required
def ballot_list(request: HttpRequest) -> HttpResponse:
    """The member's "ballots to cast": open sessions where they hold a voting seat."""
    return render(
        request,
        "councils/ballot_list.html",
        {"page": _page(request, queries.ballots_to_cast(request.user))},
    )


def _agenda_rows(meeting: Meeting, *, user=None) -> list[dict]:
    """Each agenda item with its nominees; per nominee the user's own state, never a choice."""
    recused = {}
    if user is not None:
        recused = {
            r.nominee_id: r.get_reason_display()
            for r in Recusal.objects.filter(meeting=meeting, member__user=user)
        }
    mine = queries.receipts_of(user, meeting) if user is not None else set()
    counts = queries.turnout(meeting)
    results = {
        r.nominee_id: r
        for r in NomineeResult.objects.filter(item__meeting=meeting).select_related("nominee")
    }
    rows = []
    for item in meeting.items.select_related("dossier__proposer", "dossier__award_type"):
        priority: set[int] = set()
        if meeting.status == MeetingStatus.CLOSED and item.quorate:
            # Ranked by agree votes; equal counts by Decree 152/2025 art. 4 §6 priority.
            ranked = ranked_results([r for r in results.values() if r.item_id == item.pk])
            shown = [r.nominee for r, _ in ranked]
            priority = {r.nominee_id for r, place in ranked if place.tie_broken}
        else:
            shown = list(item.dossier.active_nominees())
        nominees = [
            {
                "nominee": nominee,
                "recused": recused.get(nominee.pk),
                "cast": nominee.pk in mine,
                "turnout": counts.get(nominee.pk, 0),
                "result": results.get(nominee.pk),
                "priority": PRIORITY_NOTE if nominee.pk in priority else "",
            }
            for nominee in shown
        ]
        rows.append({"item": item, "nominees": nominees})
    return rows


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's session page: roll, agenda, turnout counts; open, close; the results."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    can_manage = services.may_manage(request.user, meeting.council)
    editable = can_manage and meeting.status != MeetingStatus.CLOSED
    absent = [a for a in meeting.attendance.select_related("member__user") if not a.present]
    return render(
        request,
        "councils/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": _agenda_rows(meeting),
            "attendance": meeting.attendance.select_related("member__user"),
            "can_manage": can_manage,
            # The secretariat's checks before and during voting (recusal by identity).
            "warnings": conflicts.warnings(meeting) if editable else [],
            "opinions": WrittenOpinion.objects.filter(meeting=meeting).select_related(
                "member__user", "nominee"
            ),
            "opinion_form": WrittenOpinionForm(meeting=meeting, absent=absent)
            if editable and absent
            else None,
            # The live turnout box (htmx polls councils:progress): counts only, never who.
            "progress": services.ballot_progress(meeting.pk, by=request.user)
            if meeting.status == MeetingStatus.OPEN
            else None,
        },
    )


@login_required
@require_POST
def written_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat records an absent member's written opinion, with its document."""
    meeting = _or_404(queries.meeting_managed_by, request.user, pk)
    absent = [a for a in meeting.attendance.select_related("member__user") if not a.present]
    form = WrittenOpinionForm(request.POST, request.FILES, meeting=meeting, absent=absent)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("councils:meeting", pk=meeting.pk)
    data = form.cleaned_data
    upload = data.get("document")
    _attempt(
        request,
        lambda: services.record_written_opinion(
            meeting.pk,
            by=request.user,
            member_id=int(data["member"]),
            nominee_id=int(data["nominee"]),
            choice=data["choice"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            upload=(upload.name, upload.size, upload.chunks()) if upload else None,
        ),
        _("Đã ghi nhận ý kiến bằng văn bản."),
    )
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
@require_POST
def confirm_recusal(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat confirms a possible match: the member does not vote on the nominee."""
    meeting = _or_404(queries.meeting_managed_by, request.user, pk)
    member, nominee = request.POST.get("member", ""), request.POST.get("nominee", "")
    if not (member.isdigit() and nominee.isdigit()):
        messages.error(request, _("Thiếu thành viên hoặc người được đề nghị."))
        return redirect("councils:meeting", pk=meeting.pk)
    _attempt(
        request,
        lambda: services.confirm_recusal(
            meeting.pk, by=request.user, member_id=int(member), nominee_id=int(nominee)
        ),
        _("Đã ghi thành viên không biểu quyết cho người được đề nghị này."),
    )
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    _attempt(
        request,
        lambda: services.open_meeting(meeting.pk, by=request.user),
        _("Đã mở bỏ phiếu. Thành viên Hội đồng đã được thông báo."),
    )
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page (how many have not voted, the time left before the
    voting deadline or the meeting's start); POST with `confirm`: close and count."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    if meeting.status != MeetingStatus.OPEN:
        messages.error(
            request, _("Phiên họp không trong thời gian bỏ phiếu (chưa mở hoặc đã kết thúc).")
        )
        return redirect("councils:meeting", pk=meeting.pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            messages.error(
                request, _("Hãy đánh dấu xác nhận: kết thúc phiên họp không thể hoàn tác.")
            )
            return redirect("councils:close", pk=meeting.pk)
        done = _attempt(
            request,
            lambda: services.close_meeting(
                meeting.pk, by=request.user, note=request.POST.get("note", "").strip()
            ),
            _("Đã kết thúc phiên họp và ghi nhận kết quả."),
        )
        return redirect("councils:meeting" if done else "councils:close", pk=meeting.pk)
    return render(
        request,
        "councils/close_confirm.html",
        {
            "meeting": meeting,
            "progress": services.ballot_progress(meeting.pk, by=request.user),
            "crumbs": [
                (reverse("councils:meetings"), _("Phiên họp Hội đồng")),
                (reverse("councils:meeting", args=[meeting.pk]), meeting.title),
            ],
        },
    )


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's agenda builder: add or remove dossiers, take the roll."""
    meeting = _or_404(queries.meeting_managed_by, request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        posted = AgendaChoiceForm(request.POST, meeting=meeting)
        if action in ("add", "remove") and not posted.is_valid():
            # A tampered or stale value (not a number, no such row): a message, never a 500.
            messages.error(request, posted.problem(action))
        elif action == "add":
            _attempt(
                request,
                lambda: services.add_to_agenda(
                    meeting.pk, by=request.user, dossier_id=posted.cleaned_data["dossier"]
                ),
                _("Đã thêm hồ sơ vào chương trình họp."),
            )
        elif action == "remove":
            _attempt(
                request,
                lambda: services.remove_from_agenda(
                    meeting.pk, by=request.user, item_id=posted.cleaned_data["item"]
                ),
                _("Đã bỏ hồ sơ khỏi chương trình họp."),
            )
        elif action == "attendance":
            absent = {
                int(key.removeprefix("absent-")): request.POST.get(
                    f"reason-{key.removeprefix('absent-')}", ""
                ).strip()
                for key in request.POST
                if key.startswith("absent-") and key.removeprefix("absent-").isdigit()
            }
            _attempt(
                request,
                lambda: services.record_attendance(meeting.pk, by=request.user, absent=absent),
                _("Đã ghi điểm danh."),
            )
        return redirect("councils:agenda", pk=meeting.pk)
    seats = {a.member_id: a for a in meeting.attendance.all()}
    day = timezone.localdate(meeting.scheduled_for)
    members = services.members_on(meeting.council, day)
    return render(
        request,
        "councils/agenda.html",
        {
            "meeting": meeting,
            "items": meeting.items.select_related("dossier__proposer", "dossier__award_type"),
            "available": queries.dossiers_awaiting(meeting.council),
            "members": [(m, seats.get(m.pk)) for m in members],
            "editable": meeting.status == MeetingStatus.DRAFT,
        },
    )


def _ballot_rows(meeting: Meeting, user, form: BallotForm | None) -> list[dict]:
    """The agenda rows of the ballot page; each open nominee carries its bound radio field,
    so a refused ballot comes back with every choice the member made."""
    fields = {f.name: f for f in form.choice_fields()} if form is not None else {}
    rows = _agenda_rows(meeting, user=user)
    for row in rows:
        row["counts_written"] = row["item"].stage_rules.count_written_votes
        for n in row["nominees"]:
            n["field"] = fields.get(BallotForm.key(n["nominee"]))
    return rows


def _open_nominees(meeting: Meeting, user) -> list:
    """The nominees this member may still vote on: on the agenda, not recused, not cast."""
    recused = set(
        Recusal.objects.filter(meeting=meeting, member__user=user).values_list(
            "nominee_id", flat=True
        )
    )
    mine = queries.receipts_of(user, meeting)
    return [
        nominee
        for item in meeting.items.select_related("dossier")
        for nominee in item.dossier.active_nominees()
        if nominee.pk not in recused and nominee.pk not in mine
    ]


def _posted_elsewhere(data, form: BallotForm) -> dict[int, str]:
    """Choices posted for nominees the form does not offer (a page loaded before a recusal
    or another ballot). They go to the service too, so its refusal is shown, not dropped."""
    offered = set(form.fields)
    return {
        int(key.removeprefix("nominee-")): choice
        for key, choice in data.items()
        if key.startswith("nominee-")
        and key not in offered
        and key.removeprefix("nominee-").isdigit()
        and 0 < int(key.removeprefix("nominee-")) <= MAX_ID
    }


def _cast_all(meeting: Meeting, user, chosen: dict[int, str]) -> tuple[int, int]:
    """Cast the member's choices as one ballot: all of them, or (on a refusal) none.

    Returns (new, repeated). A refusal (DomainError) rolls back the ballots cast before it,
    so the page can show the form again, choices kept, and nothing half-sent.
    """
    new = repeated = 0
    with transaction.atomic():
        for nominee_id, choice in chosen.items():
            if services.cast_ballot(meeting.pk, by=user, nominee_id=nominee_id, choice=choice):
                new += 1
            else:
                repeated += 1
    return new, repeated


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot page. After casting, it shows that a ballot was received, never the choice.

    Before anything is filled, the member learns what applies to him, once each: absent
    (his vote is a written opinion the secretariat records: no form), recused from a
    nominee (marked on that row), voting closed. A refused or partial ballot comes back
    with every choice kept; a partial one needs "send anyway" ticked.
    """
    meeting = Meeting.objects.select_related("council__organisation").filter(pk=pk).first()
    if meeting is None or meeting.status == MeetingStatus.DRAFT:
        raise Http404
    seat = queries.seat_of(request.user, meeting)
    if seat is None:
        raise Http404
    window_passed = bool(meeting.voting_closes_at and timezone.now() > meeting.voting_closes_at)
    is_open = meeting.status == MeetingStatus.OPEN and not window_passed
    nominees = _open_nominees(meeting, request.user) if is_open and seat.present else []
    form = None
    if nominees:
        form = BallotForm(request.POST or None, nominees=nominees)
    if request.method == "POST":
        if form is None:
            # Absent, closed, or nothing left to cast: the page already says which, once.
            return redirect("councils:ballot", pk=meeting.pk)
        if form.is_valid():
            try:
                chosen = {**form.chosen, **_posted_elsewhere(request.POST, form)}
                cast, repeated = _cast_all(meeting, request.user, chosen)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if cast:
                    messages.success(request, _("Đã nhận %(n)d phiếu.") % {"n": cast})
                if repeated:
                    messages.info(
                        request,
                        _("%(n)d phiếu đã gửi trước đó, không thay đổi.") % {"n": repeated},
                    )
                return redirect("councils:ballot", pk=meeting.pk)
    rows = _ballot_rows(meeting, request.user, form)
    return render(
        request,
        "councils/ballot.html",
        {
            "meeting": meeting,
            "seat": seat,
            "rows": rows,
            "form": form,
            "is_open": is_open,
            "window_passed": window_passed and meeting.status == MeetingStatus.OPEN,
            "total": len(nominees),
            "partial_template": PARTIAL_WARNING,
            "count_template": CHOSEN_COUNT,
            "secret_kinds": {row["item"].secret for row in rows},
            "crumbs": [(reverse("councils:ballots"), _("Phiếu cần bỏ"))],
        },
    )


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live "n of m have voted" box of the meeting page (htmx polls it). Counts only.

    Once voting is no longer open the box comes back without its polling trigger, so the
    page stops asking.
    """
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    return render(
        request,
        "councils/_progress.html",
        {"meeting": meeting, "progress": services.ballot_progress(meeting.pk, by=request.user)},
    )


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the present members who have not cast every ballot (once per hour)."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    try:
        sent = services.remind_non_voters(meeting.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if sent.sent:
            messages.success(
                request,
                _("Đã gửi lời nhắc tới %(n)d thành viên chưa bỏ đủ phiếu.") % {"n": sent.sent},
            )
        elif sent.waiting:
            messages.info(
                request,
                _(
                    "Các thành viên chưa bỏ đủ phiếu đã được nhắc trong giờ này; có thể nhắc "
                    "lại từ %(time)s."
                )
                % {"time": timezone.localtime(sent.next_from).strftime("%H:%M")},
            )
        else:
            messages.info(request, _("Mọi thành viên có mặt đã bỏ đủ phiếu: không cần nhắc."))
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (.docx) of a closed meeting, for its chair and secretariat."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise Http404
    response = HttpResponse(build_minutes(meeting), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(meeting, "docx")}"'
    return response
