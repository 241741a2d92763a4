"""The product's URLs plus the bare view the bench compares every page with."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as product
from organisations.models import Organisation

BARE = engines["django"].from_string(
    "<!doctype html><title>{{ o.name }}</title><p>{{ o.code }}: {{ o.name }}</p>"
)


def bare(request: HttpRequest) -> HttpResponse:
    """One row, a small template: what any Django page costs on this stack."""
    return HttpResponse(BARE.render({"o": Organisation.objects.order_by("pk").first()}))


urlpatterns = [path("__bench/bare/", bare), *product]
