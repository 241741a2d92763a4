"""The home page: each role's task list (workflow.dashboards), then the user's roles."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workflow.dashboards import dashboard_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__path"
    )
    return render(
        request,
        "home.html",
        {"memberships": memberships, "board": dashboard_for(request.user)},
    )
