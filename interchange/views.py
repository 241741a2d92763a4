"""Interchange pages under /tich-hop/: the imports (past awards, a commune's organisations
and users) with their templates and dry runs, and the packages' downloads. Thin: each calls
one service; a page the user has no right to is a 404; a refused step is a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from decisions.models import Decision
from decisions.queries import decision_for
from dossiers.models import Dossier
from dossiers.queries import dossier_for
from organisations.permissions import organisations_where
from organisations.roles import Perm
from webhooks.services import organisations_managed_by

from . import award_import, onboarding_import, packages, services
from .forms import XlsxForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 200


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _may_import_awards(user) -> bool:
    return bool(services.registrar_scope(user))


def _may_onboard(user) -> bool:
    return organisations_where(user, Perm.ADMINISTER).exists()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    can = {
        "awards": _may_import_awards(request.user),
        "onboarding": _may_onboard(request.user),
        "webhooks": organisations_managed_by(request.user).exists(),
    }
    if not any(can.values()):
        raise Http404
    return render(request, "interchange/home.html", {"can": can})


def _read_upload(form: XlsxForm, limit: int) -> bytes | None:
    upload = form.cleaned_data["file"]
    if upload.size > limit:
        form.add_error(
            "file",
            _("Tệp lớn quá %(mb)s MB: hãy chia thành nhiều tệp.") % {"mb": limit // 2**20},
        )
        return None
    return upload.read()


@login_required
@require_GET
def awards_template(request: HttpRequest) -> HttpResponse:
    if not _may_import_awards(request.user):
        raise Http404
    return _attachment(award_import.template_xlsx(), XLSX, "mau-nhap-khen-thuong.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def awards_import(request: HttpRequest) -> HttpResponse:
    """Past awards: "Kiểm tra" shows what would be created (a dry run); "Nhập" writes all
    rows or none; every problem is listed by row and column."""
    if not _may_import_awards(request.user):
        raise Http404
    form = XlsxForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = _read_upload(form, award_import.MAX_BYTES)
        if data is not None:
            dry_run = request.POST.get("action") != "import"
            outcome = services.import_past_awards(data, by=request.user, dry_run=dry_run)
            if outcome.created:
                messages.success(
                    request,
                    _("Đã nhập %(n)s khen thưởng vào sổ.") % {"n": outcome.created},
                )
                return redirect("registry:registry")
    return render(
        request,
        "interchange/awards_import.html",
        {
            "form": form,
            "outcome": outcome,
            "preview": outcome.planned[:PREVIEW_ROWS] if outcome else [],
            "columns": [h for h, _n in award_import.COLUMNS],
            "max_rows": award_import.MAX_ROWS,
        },
    )


@login_required
@require_GET
def onboarding_template(request: HttpRequest) -> HttpResponse:
    if not _may_onboard(request.user):
        raise Http404
    return _attachment(onboarding_import.template_xlsx(), XLSX, "mau-nhap-don-vi-nguoi-dung.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    if not _may_onboard(request.user):
        raise Http404
    form = XlsxForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = _read_upload(form, onboarding_import.MAX_BYTES)
        if data is not None:
            dry_run = request.POST.get("action") != "import"
            outcome = services.onboard_from_xlsx(data, by=request.user, dry_run=dry_run)
            if not dry_run and outcome.ok:
                messages.success(
                    request,
                    _("Đã tạo %(o)s đơn vị và cấp %(r)s vai trò.")
                    % {"o": outcome.created_organisations, "r": outcome.granted},
                )
                return redirect("interchange:onboarding")
    return render(request, "interchange/onboarding.html", {"form": form, "outcome": outcome})


@login_required
@require_GET
def dossier_package(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = dossier_for(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if not services.may_package(request.user, dossier):
        raise Http404
    try:
        package = packages.dossier_package(dossier, by=request.user)
    except DomainError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return _attachment(package.zip(), "application/zip", package.name)


@login_required
@require_GET
def decision_package(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = decision_for(request.user, pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    try:
        package = packages.decision_package(decision)
    except DomainError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    return _attachment(package.zip("metadata.json"), "application/zip", package.name)
