"""Registry pages: search, export, a person's history. Thin: reads through registry.queries.

An award outside the user's provinces answers 404, so its existence is not disclosed. The
eligibility panel of a dossier is a dossier page (dossiers.views.eligibility) that asks the
registry, since the registry imports no dossier or workflow code (issue 11).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import queries
from .exports import registry_xlsx
from .forms import RegistrySearchForm
from .models import RegistryEntry

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _search(request: HttpRequest):
    form = RegistrySearchForm(request.GET or None, awards=queries.award_forms())
    entries = RegistryEntry.objects.none()
    if form.is_valid():
        entries = queries.search_registry(request.user, **form.cleaned_data)
    elif not request.GET:
        entries = queries.registry_visible_to(request.user)
    return form, entries


@login_required
def registry_search(request: HttpRequest) -> HttpResponse:
    form, entries = _search(request)
    return render(
        request,
        "registry/registry.html",
        {"form": form, "page": _page(request, entries), "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def registry_export(request: HttpRequest) -> HttpResponse:
    _form, entries = _search(request)
    response = HttpResponse(registry_xlsx(entries), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ket-qua-khen-thuong.xlsx"'
    return response


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every award on record for the subject of one registry entry (same identity)."""
    visible = queries.registry_visible_to(request.user)
    try:
        entry = visible.get(pk=pk)
    except RegistryEntry.DoesNotExist:
        raise Http404 from None
    history = visible.filter(subject_key=entry.subject_key).order_by("-year", "-decision_date")
    return render(request, "registry/person.html", {"entry": entry, "history": history})
