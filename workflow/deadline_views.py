"""The overdue list: stages past their due day, for the bodies the user answers for."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import deadlines

PAGE_SIZE = 25


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = deadlines.overdue_deadlines_for(request.user, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(row, deadlines.status_of(row, today=today)) for row in page]
    return render(request, "workflow/overdue.html", {"page": page, "items": items, "today": today})
