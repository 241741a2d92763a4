"""Decision and number register pages, and the submission letter. Thin: each POST calls
one service (the registry and eligibility pages are registry's).

A decision or number outside the user's organisations answers 404, so its existence is not
disclosed; pages with nothing for the user (no drafting right) answer 404 too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.errors import DomainError
from dossiers.models import Dossier
from dossiers.queries import dossier_for
from organisations.models import Organisation

from . import queries, services
from .documents import build_decision, build_submission_letter, decision_doc, letter_doc
from .exports import decision_xlsx
from .forms import CancelForm, DraftForm, ExternalNumberForm, IssueForm, VoidNumberForm
from .models import Decision, DecisionStatus

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _decision(request: HttpRequest, pk: int) -> Decision:
    try:
        return queries.decision_for(request.user, pk)
    except Decision.DoesNotExist:
        raise Http404 from None


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return dossier_for(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _refused(request: HttpRequest, form, error: DomainError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, str(error))
    else:
        messages.error(request, str(error))


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    issuers = queries.issuers_for(request.user)
    if not issuers.exists():
        raise Http404
    return render(
        request,
        "decisions/list.html",
        {
            "page": _page(request, queries.decisions_visible_to(request.user)),
            "can_draft": queries.drafting_orgs(request.user).exists(),
        },
    )


@login_required
def draft_new(request: HttpRequest) -> HttpResponse:
    """The secretariat picks passed nominees of dossiers awaiting its organisation's decision."""
    orgs = queries.drafting_orgs(request.user)
    if not orgs.exists():
        raise Http404
    try:
        issuer = orgs.get(pk=request.GET.get("issuer") or orgs.first().pk)
    except (Organisation.DoesNotExist, ValueError):
        raise Http404 from None
    nominees = list(services.awardable_nominees(issuer))
    form = DraftForm(request.POST or None, issuer=issuer, nominees=nominees)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("capacity", "signer_name", "proposal_ref") if data[k]}
        if data["title"]:
            fields["title"] = data["title"]
        try:
            decision = services.create_draft(
                issuer.pk, by=request.user, nominee_ids=data["nominees"], **fields
            )
        except DomainError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Đã tạo dự thảo quyết định."))
            return redirect("decisions:detail", pk=decision.pk)
    return render(
        request,
        "decisions/draft_new.html",
        {"form": form, "issuer": issuer, "orgs": orgs, "nominees": nominees},
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    lines = decision.lines.select_related("nominee__dossier")
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "lines": lines,
            "is_draft": decision.status == DecisionStatus.DRAFT,
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_GET
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    name = f"quyet-dinh-{decision.pk}.docx"
    return _file(build_decision(decision_doc(decision)), DOCX, name)


@login_required
@require_GET
def decision_list_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    return _file(decision_xlsx(decision), XLSX, f"danh-sach-quyet-dinh-{decision.pk}.xlsx")


@login_required
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: the number is given on submit and can never be taken back."""
    decision = _decision(request, pk)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("Quyết định đã ban hành hoặc đã hủy."))
        return redirect("decisions:detail", pk=pk)
    form = IssueForm(request.POST or None, initial={"signer_name": decision.signer_name})
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.issue_decision(
                decision.pk,
                by=request.user,
                issued_on=form.cleaned_data["issued_on"],
                signer_name=form.cleaned_data["signer_name"],
            )
        except DomainError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request, _("Đã ban hành quyết định %(label)s.") % {"label": issued.label}
            )
            return redirect("decisions:detail", pk=pk)
    return render(request, "decisions/issue.html", {"decision": decision, "form": form})


@login_required
def decision_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_draft(decision.pk, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã hủy dự thảo."))
    elif request.method == "POST":
        messages.error(request, _("Đánh dấu ô xác nhận để hủy dự thảo."))
    return redirect("decisions:detail", pk=pk)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The number register: numbers given, recorded from paper, voided."""
    issuers = queries.issuers_for(request.user)
    if not issuers.exists():
        raise Http404
    action = request.POST.get("action")
    external = ExternalNumberForm(
        request.POST if action == "external" else None, issuers=issuers, prefix="ext"
    )
    void = VoidNumberForm(
        request.POST if action == "void" else None, issuers=issuers, prefix="void"
    )
    if action == "external" and external.is_valid():
        data = external.cleaned_data
        try:
            entry = services.record_external_number(
                data["issuer"].pk,
                by=request.user,
                number=data["number"],
                issued_on=data["issued_on"],
                note=data["note"],
            )
        except DomainError as error:
            _refused(request, external, error)
        else:
            messages.success(request, _("Đã ghi số %(n)s vào sổ.") % {"n": entry})
            return redirect("decisions:register")
    if action == "void" and void.is_valid():
        data = void.cleaned_data
        try:
            entry = services.void_number(
                data["issuer"].pk,
                by=request.user,
                year=data["year"],
                number=data["number"],
                reason=data["reason"],
            )
        except DomainError as error:
            _refused(request, void, error)
        else:
            messages.success(request, _("Đã hủy số %(n)s.") % {"n": entry})
            return redirect("decisions:register")
    return render(
        request,
        "decisions/register.html",
        {
            "page": _page(request, queries.numbers_visible_to(request.user)),
            "external": external,
            "void": void,
        },
    )


@login_required
@require_GET
def submission_letter(request: HttpRequest, dossier_pk: int) -> HttpResponse:
    dossier = _dossier(request, dossier_pk)
    data = build_submission_letter(letter_doc(dossier))
    return _file(data, DOCX, f"to-trinh-{dossier.reference}.docx")
