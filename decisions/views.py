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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from councils.minutes import build_minutes, minutes_filename
from councils.models import Meeting, MeetingStatus
from councils.queries import meeting_run_by
from dossiers.models import Dossier
from dossiers.queries import dossier_for
from organisations.models import Organisation
from organisations.permissions import holds
from organisations.roles import Perm

from . import queries, services
from .certificates import certificates_pdf
from .documents import build_decision, build_submission_letter, decision_doc, letter_doc
from .exports import decision_xlsx
from .forms import (
    CancelForm,
    DraftEditForm,
    DraftForm,
    ExternalNumberForm,
    IssueForm,
    ReturnForm,
    SubmitForm,
    VoidNumberForm,
)
from .models import EDITABLE_STATUSES, Decision, DecisionStatus, SignedDecision
from .pdf import docx_to_pdf, first_page_with, split_pages
from .profiles import profile_for, signature_lines, signer_for
from .signing import signed_path

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


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
    visible = queries.decisions_visible_to(request.user)
    if not visible.exists() and not queries.issuers_for(request.user).exists():
        raise Http404
    return render(
        request,
        "decisions/list.html",
        {
            "page": _page(request, visible),
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
        fields = {k: data[k] for k in ("proposal_ref",) if data[k]}
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


def _abilities(decision: Decision, user) -> dict:
    """What the page offers `user`: the secretariat edits, submits and cancels an unsigned
    draft; the signer signs or returns a submitted one. The services check again."""
    secretariat = holds(user, decision.issuer_id, Perm.RECEIVE_DOSSIER)
    unsigned = decision.status in EDITABLE_STATUSES
    submitted = decision.status == DecisionStatus.SUBMITTED
    signer = signer_for(user, decision.issuer, on=timezone.localdate()) if submitted else None
    return {
        "can_edit": secretariat and unsigned,
        "can_submit": secretariat
        and decision.status in (DecisionStatus.DRAFT, DecisionStatus.RETURNED),
        "can_sign": signer is not None,
        "signer": signer,
    }


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
            "is_draft": decision.status != DecisionStatus.ISSUED,
            "cancel_form": CancelForm(),
            "submit_form": SubmitForm(),
            "return_form": ReturnForm(),
            **_abilities(decision, request.user),
        },
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat edits an unsigned draft (a returned one, after the signer's comments)."""
    decision = _decision(request, pk)
    if not _abilities(decision, request.user)["can_edit"]:
        raise Http404
    initial = {k: getattr(decision, k) for k in ("title", "proposal_ref", "prize_note")}
    form = DraftEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(decision.pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("decisions:detail", pk=pk)
    return render(request, "decisions/edit.html", {"decision": decision, "form": form})


@login_required
@require_POST
def decision_submit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    form = SubmitForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.submit_for_signature(decision.pk, by=request.user, note=note)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã trình ký dự thảo quyết định."))
    return redirect("decisions:detail", pk=pk)


@login_required
@require_POST
def decision_return(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ý kiến khi trả lại: bắt buộc nhập (cần sửa gì)."))
        return redirect("decisions:detail", pk=pk)
    try:
        services.return_draft(decision.pk, by=request.user, comment=form.cleaned_data["comment"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã trả lại dự thảo cho cơ quan thường trực."))
    return redirect("decisions:detail", pk=pk)


@login_required
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing authority's confirmation page: it shows the signature as it will be
    printed (from their own record) and takes the number on submit, irreversibly. Anyone
    else (the secretariat included) is sent back to the decision: signing is not theirs."""
    decision = _decision(request, pk)
    if decision.status != DecisionStatus.SUBMITTED:
        messages.error(request, _("Quyết định chưa được trình ký, hoặc đã ban hành, đã hủy."))
        return redirect("decisions:detail", pk=pk)
    signer = signer_for(request.user, decision.issuer, on=timezone.localdate())
    if signer is None:
        messages.error(
            request, _("Chỉ người có thẩm quyền ký của cơ quan ban hành mới ký ban hành được.")
        )
        return redirect("decisions:detail", pk=pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.issue_decision(
                decision.pk, by=request.user, issued_on=form.cleaned_data["issued_on"]
            )
        except DomainError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request, _("Đã ban hành quyết định %(label)s.") % {"label": issued.label}
            )
            return redirect("decisions:detail", pk=pk)
    lines = signature_lines(profile_for(decision.issuer), signer.capacity, signer.title)
    return render(
        request,
        "decisions/issue.html",
        {"decision": decision, "form": form, "signer": signer, "signature_lines": lines},
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


# --- PDF (decisions/pdf.py, decisions/signing.py, docs/signing.md) ---------------------------


def _pdf(request: HttpRequest, data_or_docx: bytes, name: str, *, convert: bool = True):
    """A PDF download; a conversion LibreOffice refuses is a message, never a 500."""
    try:
        data = docx_to_pdf(data_or_docx) if convert else data_or_docx
    except DomainError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return _file(data, PDF, name)


@login_required
@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF of an issued decision (stored, as signed); a draft's unsigned preview."""
    decision = _decision(request, pk)
    if decision.status != DecisionStatus.ISSUED:
        name = f"du-thao-{decision.pk}.pdf"
        return _pdf(request, build_decision(decision_doc(decision)), name)
    signed = SignedDecision.objects.filter(decision=decision).first()
    if signed is None:
        raise Http404
    path = signed_path(signed)
    response = _file(path.read_bytes(), PDF, f"quyet-dinh-{decision.pk}-da-ky.pdf")
    response["X-Content-SHA256"] = signed.sha256
    return response


@login_required
@require_GET
def decision_annex_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The attached list alone (DANH SÁCH onwards), unsigned: the signed whole is the
    decision PDF; this extract is for printing."""
    decision = _decision(request, pk)
    try:
        pdf = docx_to_pdf(build_decision(decision_doc(decision)))
    except DomainError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    start = first_page_with(pdf, "DANH SÁCH") or 0
    return _pdf(request, split_pages(pdf, start), f"danh-sach-{decision.pk}.pdf", convert=False)


@login_required
@require_GET
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Every awardee's certificate (one page each, with its QR code) of an issued decision."""
    decision = _decision(request, pk)
    if decision.status != DecisionStatus.ISSUED:
        raise Http404
    try:
        data = certificates_pdf(decision)
    except DomainError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return _file(data, PDF, f"bang-khen-{decision.pk}.pdf")


@login_required
@require_GET
def submission_letter_pdf(request: HttpRequest, dossier_pk: int) -> HttpResponse:
    dossier = _dossier(request, dossier_pk)
    data = build_submission_letter(letter_doc(dossier))
    return _pdf(request, data, f"to-trinh-{dossier.reference}.pdf")


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The minutes of a closed meeting as PDF, for those who may read its .docx
    (councils.views.minutes: the meeting's chair and secretariat)."""
    try:
        meeting = meeting_run_by(request.user, meeting_pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if meeting.status != MeetingStatus.CLOSED:
        raise Http404
    return _pdf(request, build_minutes(meeting), minutes_filename(meeting, "pdf"))
