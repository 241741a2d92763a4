"""Registry pages: search, export, a person's history. Thin: reads through registry.queries.

An award outside the user's provinces answers 404, so its existence is not disclosed. The
eligibility panel of a dossier is a dossier page (dossiers.views.eligibility) that asks the
registry, since the registry imports no dossier or workflow code (issue 11).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from organisations.permissions import organisations_where
from organisations.roles import Perm

from . import queries, services
from .exports import registry_xlsx
from .forms import ClearHoldForm, HoldForm, RegistrySearchForm
from .models import Hold, RegistryEntry

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


# --- holds: the secretariats' pages (Decree 152/2025 art. 4 §4) ---------------------------


def _secretariats(request: HttpRequest):
    """The organisations where the user is a secretariat; none: the pages do not exist."""
    orgs = organisations_where(request.user, Perm.RECEIVE_DOSSIER).order_by("name")
    if not orgs.exists():
        raise Http404
    return orgs


def _refusal_to_form(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@login_required
def hold_list(request: HttpRequest) -> HttpResponse:
    """The holds recorded by the user's secretariats, active ones first."""
    orgs = _secretariats(request)
    holds = Hold.objects.filter(secretariat__in=orgs).select_related("secretariat")
    active = [h for h in holds if h.is_active]
    cleared = [h for h in holds if not h.is_active]
    return render(request, "registry/holds.html", {"active": active, "cleared": cleared})


@login_required
@require_http_methods(["GET", "POST"])
def hold_add(request: HttpRequest) -> HttpResponse:
    orgs = _secretariats(request)
    form = HoldForm(request.POST or None, secretariats=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.place_hold(by=request.user, **data)
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            return redirect("registry:holds")
    return render(
        request, "registry/hold_form.html", {"form": form, "title": _("Ghi nhận tạm dừng xét")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_clear(request: HttpRequest, pk: int) -> HttpResponse:
    orgs = _secretariats(request)
    try:
        hold = Hold.objects.select_related("secretariat").get(pk=pk, secretariat__in=orgs)
    except Hold.DoesNotExist:
        raise Http404 from None
    form = ClearHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.clear_hold(
                hold.pk,
                by=request.user,
                document=data["cleared_document"],
                cleared_on=data["cleared_on"],
                discipline_imposed=data["discipline_imposed"],
            )
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            return redirect("registry:holds")
    return render(
        request,
        "registry/hold_form.html",
        {"form": form, "hold": hold, "title": _("Chấm dứt tạm dừng xét")},
    )
