"""The workflow's own pages: the task inbox (claim, release) and the overdue stages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from dossiers.listing import ListPaginator
from dossiers.models import Dossier

from . import deadlines
from .deadlines import attach_open_deadlines
from .flows import (
    assigned_tasks,
    claim_task,
    claimable_tasks,
    inbox_dossiers,
    inbox_rows,
    release_task,
    tasks_of,
)

PAGE_SIZE = 25


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = deadlines.overdue_deadlines_for(request.user, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = deadlines.calendar_spanning((row.due_on for row in page), today=today)
    items = [(row, deadlines.status_of(row, today=today, calendar=calendar)) for row in page]
    return render(request, "workflow/overdue.html", {"page": page, "items": items, "today": today})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's viewflow tasks: those they claimed, then those they may claim.

    Paginated in SQL (issue 18): the page's dossiers are chosen by a semi-join on the tasks,
    and only the page's tasks are loaded, however many the queue holds."""
    # The ids in the queue's order over narrow rows, counted up to a cap past the page in
    # the same walk (the list's ListPaginator), then the page's rows whole by id: not every
    # queued dossier joined to its unit, form and stage, nor a COUNT of them (issue 18).
    page = ListPaginator(
        inbox_dossiers(request.user),
        PAGE_SIZE,
        rows=lambda ids: inbox_rows(Dossier.objects.filter(pk__in=ids)),
    ).get_page(request.GET.get("page"))
    tasks = tasks_of(request.user, page)
    for dossier in page:
        dossier.task = tasks[dossier.pk]
    attach_open_deadlines(page)
    return render(request, "workflow/inbox.html", {"page": page, "user_id": request.user.pk})


@login_required
@require_POST
def task_claim(request: HttpRequest, task_id: int) -> HttpResponse:
    if not claimable_tasks(request.user).filter(pk=task_id).exists():
        raise Http404
    try:
        with transaction.atomic():
            claim_task(task_id, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bạn đã nhận xử lý việc này."))
    return redirect("workflow:inbox")


@login_required
@require_POST
def task_release(request: HttpRequest, task_id: int) -> HttpResponse:
    if not assigned_tasks(request.user).filter(pk=task_id).exists():
        raise Http404
    try:
        with transaction.atomic():
            release_task(task_id, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã trả việc về hàng chờ chung."))
    return redirect("workflow:inbox")
