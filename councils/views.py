"""Council pages. Thin: each POST calls one service; a refusal comes back as a message.

Every page is scoped to the user: a meeting of a council one does not chair, prepare, or
sit on answers 404, so its existence is not disclosed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import queries, services
from .forms import MeetingForm
from .minutes import build_minutes
from .models import Choice, Meeting, MeetingStatus, NomineeResult, Recusal

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
        if meeting.status == MeetingStatus.CLOSED and item.quorate:
            shown = [r.nominee for r in results.values() if r.item_id == item.pk]
        else:
            shown = list(item.dossier.active_nominees())
        nominees = [
            {
                "nominee": nominee,
                "recused": recused.get(nominee.pk),
                "cast": nominee.pk in mine,
                "turnout": counts.get(nominee.pk, 0),
                "result": results.get(nominee.pk),
            }
            for nominee in shown
        ]
        rows.append({"item": item, "nominees": nominees})
    return rows


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's session page: roll, agenda, turnout counts; open, close; the results."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    return render(
        request,
        "councils/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": _agenda_rows(meeting),
            "attendance": meeting.attendance.select_related("member__user"),
            "can_manage": services.may_manage(request.user, meeting.council),
        },
    )


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
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Hãy đánh dấu xác nhận: kết thúc phiên họp không thể hoàn tác."))
    else:
        _attempt(
            request,
            lambda: services.close_meeting(
                meeting.pk, by=request.user, note=request.POST.get("note", "").strip()
            ),
            _("Đã kết thúc phiên họp và ghi nhận kết quả."),
        )
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's agenda builder: add or remove dossiers, take the roll."""
    meeting = _or_404(queries.meeting_managed_by, request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            _attempt(
                request,
                lambda: services.add_to_agenda(
                    meeting.pk, by=request.user, dossier_id=int(request.POST.get("dossier") or 0)
                ),
                _("Đã thêm hồ sơ vào chương trình họp."),
            )
        elif action == "remove":
            _attempt(
                request,
                lambda: services.remove_from_agenda(
                    meeting.pk, by=request.user, item_id=int(request.POST.get("item") or 0)
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


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot page. After casting, it shows that a ballot was received, never the choice."""
    meeting = Meeting.objects.select_related("council__organisation").filter(pk=pk).first()
    if meeting is None or meeting.status == MeetingStatus.DRAFT:
        raise Http404
    seat = queries.seat_of(request.user, meeting)
    if seat is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Hãy đánh dấu xác nhận: phiếu đã gửi không thể sửa."))
            return redirect("councils:ballot", pk=meeting.pk)
        cast = repeated = 0
        for key, choice in request.POST.items():
            if not key.startswith("nominee-") or not key.removeprefix("nominee-").isdigit():
                continue
            try:
                new = services.cast_ballot(
                    meeting.pk,
                    by=request.user,
                    nominee_id=int(key.removeprefix("nominee-")),
                    choice=choice,
                )
            except DomainError as error:
                messages.error(request, str(error))
                continue
            cast += new
            repeated += not new
        if cast:
            messages.success(request, _("Đã nhận %(n)d phiếu.") % {"n": cast})
        if repeated:
            messages.info(
                request, _("%(n)d phiếu đã gửi trước đó, không thay đổi.") % {"n": repeated}
            )
        return redirect("councils:ballot", pk=meeting.pk)
    return render(
        request,
        "councils/ballot.html",
        {
            "meeting": meeting,
            "seat": seat,
            "rows": _agenda_rows(meeting, user=request.user),
            "choices": Choice.choices,
            "is_open": meeting.status == MeetingStatus.OPEN,
        },
    )


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (.docx) of a closed meeting, for its chair and secretariat."""
    meeting = _or_404(queries.meeting_run_by, request.user, pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise Http404
    response = HttpResponse(build_minutes(meeting), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="bien-ban-{meeting.number:02d}-{meeting.year}.docx"'
    )
    return response
