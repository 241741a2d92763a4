"""Webhook pages, under /tich-hop/webhook/: the endpoints of the organisations the user
manages (administrator or secretariat), registering one, its secret and delivery log.
Thin: writes go through webhooks.services; an endpoint of another organisation is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError

from . import services
from .forms import DisableForm, EndpointForm
from .models import Attempt, Endpoint


def _managed(request: HttpRequest):
    orgs = services.organisations_managed_by(request.user).order_by("name")
    if not orgs.exists():
        raise Http404
    return orgs


def _endpoint(request: HttpRequest, pk: int) -> Endpoint:
    orgs = _managed(request)
    try:
        return Endpoint.objects.select_related("organisation").get(pk=pk, organisation__in=orgs)
    except Endpoint.DoesNotExist:
        raise Http404 from None


@login_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    orgs = _managed(request)
    endpoints = Endpoint.objects.filter(organisation__in=orgs).select_related("organisation")
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_add(request: HttpRequest) -> HttpResponse:
    orgs = _managed(request)
    form = EndpointForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.register_endpoint(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return redirect("webhooks:detail", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form})


@login_required
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    log = Attempt.objects.filter(delivery__endpoint=endpoint).select_related("delivery")
    page = Paginator(log.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/detail.html",
        {"endpoint": endpoint, "page": page, "disable_form": DisableForm()},
    )


@login_required
@require_POST
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    services.rotate_secret(endpoint.pk, by=request.user)
    return redirect("webhooks:detail", endpoint.pk)


@login_required
@require_POST
def endpoint_disable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    form = DisableForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.disable_endpoint(endpoint.pk, by=request.user, reason=reason)
    return redirect("webhooks:detail", endpoint.pk)
